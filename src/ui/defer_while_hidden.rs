//! `DeferWhileHidden`: a section of the design panel that, while it is scrolled out of sight,
//! takes a design change only after the change is painted. Its editors get the design from
//! the [`DesignContext`] this section provides: the one on screen while the section is visible,
//! otherwise the previous one until the frame showing the change (toggles, flows, diagram)
//! has been painted, then the current one in a task of its own. A toggle's click then does not
//! also rebuild the editors nobody sees; nothing stays stale for more than a frame or two, and
//! an editor's own state (an open form, a draft) is kept.

use yew::prelude::*;

use super::browser;
use super::state::{use_design_context, DesignContext};
use super::visibility::use_visibility;

#[derive(Properties, PartialEq)]
pub struct DeferWhileHiddenProps {
    #[prop_or_default]
    pub children: Html,
}

#[function_component(DeferWhileHidden)]
pub fn defer_while_hidden(props: &DeferWhileHiddenProps) -> Html {
    let current = use_design_context();
    let node = use_node_ref();
    let visible = use_visibility(node.clone());
    let shown = use_mut_ref(|| current.clone());
    let catch_up = use_force_update();
    if visible.get() {
        *shown.borrow_mut() = current.clone();
    }
    {
        let shown = shown.clone();
        use_effect_with(current, move |current| {
            let behind = *shown.borrow() != *current;
            let current = current.clone();
            let pending = behind.then(|| {
                browser::after_paint(move || {
                    *shown.borrow_mut() = current;
                    catch_up.force_update();
                })
            });
            move || drop(pending)
        });
    }
    let context = shown.borrow().clone();
    html! {
        <div class="deferred-section" ref={node}>
            <ContextProvider<DesignContext> {context}>
                { props.children.clone() }
            </ContextProvider<DesignContext>>
        </div>
    }
}
