//! A long list of editors (NSGs, route tables, resource firewalls) builds its first
//! [`EDITORS_SHOWN`] only, followed by a "Show all" button ([`ListWindow`]): a 100-spoke
//! design has a thousand NSGs, whose closed editors alone were ten thousand elements.

use yew::prelude::*;

use crate::view::list_window::{ListWindow, EDITORS_SHOWN};

/// The indices of the `total` editors to build and the button that builds the rest, if any;
/// `plural` names the editors ("NSGs"), `testid` the button. An editor just added
/// ("+ route table") is built wherever it falls. The button is keyed, so that a keyed list of
/// editor components it follows stays fully keyed (yew matches an unkeyed list from its end:
/// an open editor's state would move to another editor when the list grows).
#[hook]
pub fn use_editor_window(
    total: usize,
    plural: &'static str,
    testid: &'static str,
) -> (Vec<usize>, Option<Html>) {
    let expanded = use_state_eq(|| false);
    let newest = use_newest(total);
    let window = ListWindow::new(total, EDITORS_SHOWN, *expanded, newest);
    let button = (window.hidden > 0).then(|| {
        let onclick = Callback::from(move |_| expanded.set(true));
        html! {
            <button key="show-all" type="button" class="small show-all" data-testid={testid} {onclick}>
                { format!("Show all {total} {plural} ({} more)", window.hidden) }
            </button>
        }
    });
    (window.shown, button)
}

/// The index of the item last added to a list now `total` long (the list grew by one), kept
/// while it exists.
#[hook]
fn use_newest(total: usize) -> Option<usize> {
    let last_total = use_mut_ref(|| total);
    let newest = use_mut_ref(|| None::<usize>);
    let grew_by_one = total == *last_total.borrow() + 1;
    *last_total.borrow_mut() = total;
    let mut newest = newest.borrow_mut();
    if grew_by_one {
        *newest = Some(total - 1);
    } else if newest.is_some_and(|index| index >= total) {
        *newest = None;
    }
    *newest
}
