//! The toggles: one button each (`aria-pressed`, on/off in text), with a sentence saying what
//! flipping it would do ("Turning this off would break 2 required flows."). Toggles that do not apply to the design are shown disabled.
//! An IntersectionObserver reports which toggles are on screen ([`ToggleSight`]): only their
//! badges are worked out; one out of sight is marked `data-computed="deferred"` until it comes
//! into view.

use std::cell::RefCell;
use std::collections::BTreeSet;
use std::rc::Rc;

use wasm_bindgen::JsCast;
use yew::prelude::*;

use super::element_observer::watch;
use super::state::use_app;
use crate::view::diff::flip_sentence;
use crate::view::flip_cache::FlipCache;
use crate::view::state::{Action, ToggleRow};
use crate::view::toggle_sight::ToggleSight;

/// The page's prepared flips (compared by identity: filling it renders nothing).
#[derive(Clone)]
pub struct FlipCacheHandle(pub Rc<RefCell<FlipCache>>);

impl PartialEq for FlipCacheHandle {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

#[derive(Properties, PartialEq)]
pub struct ToggleListProps {
    pub flips: FlipCacheHandle,
    /// The toggles on screen, as last reported through `on_sight`.
    pub sight: ToggleSight,
    pub on_sight: Callback<ToggleSight>,
}

#[function_component(ToggleList)]
pub fn toggle_list(props: &ToggleListProps) -> Html {
    let app = use_app();
    let list = use_node_ref();
    {
        // The items are the same for every design (one per toggle), so they are watched once.
        let on_sight = props.on_sight.clone();
        use_effect_with(list.clone(), move |list| {
            let items = list
                .cast::<web_sys::Element>()
                .and_then(|list| list.query_selector_all("li[data-toggle]").ok());
            let items: Vec<web_sys::Element> = items
                .map(|found| {
                    (0..found.length())
                        .filter_map(|i| found.item(i)?.dyn_into().ok())
                        .collect()
                })
                .unwrap_or_default();
            let mut in_sight = BTreeSet::new();
            watch::<web_sys::IntersectionObserver>(items, move |entries: js_sys::Array| {
                for entry in entries.iter() {
                    let Ok(entry) = entry.dyn_into::<web_sys::IntersectionObserverEntry>() else {
                        continue;
                    };
                    if let Some(id) = entry.target().get_attribute("data-toggle") {
                        if entry.is_intersecting() {
                            in_sight.insert(id);
                        } else {
                            in_sight.remove(&id);
                        }
                    }
                }
                on_sight.emit(ToggleSight::Only(in_sight.clone()));
            })
        });
    }
    let change = app.last_change.filter(|diff| !diff.is_empty());
    html! {
        <section class="toggles" aria-labelledby="toggles-title">
            <h2 id="toggles-title">{ "What if…" }</h2>
            // Always there, two lines high, so the toggles below do not move when a first
            // change fills it.
            if let Some(diff) = change {
                <p class={classes!("last-change", diff.is_regression().then_some("regression"))}
                   role="status" data-testid="last-change">
                    { format!("Last change: {}", diff.summary()) }
                </p>
            } else {
                <p class="last-change empty" role="status">
                    { "Flip a toggle or edit the design: what it changed shows here." }
                </p>
            }
            <ul class="toggle-list" ref={list}>
                { for app.toggles.iter().map(|row| toggle(&app, &props.flips, &props.sight, row)) }
            </ul>
        </section>
    }
}

/// Flips the toggle, with its flip's evaluation if the page prepared it.
fn on_flip(
    app: &super::state::AppContext,
    flips: &FlipCacheHandle,
    id: &'static str,
) -> Callback<MouseEvent> {
    let (app, flips) = (app.clone(), flips.clone());
    Callback::from(move |_| {
        let prepared = flips.0.borrow().get(&app.design, id);
        app.dispatch(match prepared {
            Some(evaluation) => Action::FlipPrepared {
                toggle: id.to_string(),
                design: app.design.clone(),
                evaluation,
            },
            None => Action::Flip(id.to_string()),
        })
    })
}

fn toggle(
    app: &super::state::AppContext,
    flips: &FlipCacheHandle,
    sight: &ToggleSight,
    row: &ToggleRow,
) -> Html {
    let testid = format!("toggle-{}", row.id);
    let Some(on) = row.on else {
        return html! {
            <li class="toggle not-applicable" data-toggle={row.id}>
                <button type="button" class="toggle-button" disabled=true data-testid={testid}
                        title={row.help}>
                    <span class="toggle-state">{ "—" }</span>
                    <span class="toggle-label">{ row.label }</span>
                </button>
                <span class="badge">{ "does not apply" }</span>
            </li>
        };
    };
    // Until this design's badge is computed the earlier one stays, dimmed: one text change
    // per flip instead of every badge's.
    let stale = row.badge.is_none() && row.earlier.is_some();
    let shown = row.badge.or(row.earlier).filter(|_| !app.answers_hidden());
    let badge_text = if app.answers_hidden() {
        "What this would change is hidden during the lab.".to_string()
    } else {
        flip_sentence(on, shown.as_ref())
    };
    let shown = shown.unwrap_or_default();
    let computed = match (row.badge.is_some(), sight.shows(row.id)) {
        (true, _) => "true",
        (false, true) => "false",
        (false, false) => "deferred",
    };
    // A flip that opens a path or breaks a flow reads as danger even when it also repairs.
    let improves = shown.exfiltration_closed > 0 || shown.required_repaired > 0;
    let badge_class = classes!(
        "badge",
        stale.then_some("stale"),
        shown.is_regression().then_some("regression"),
        (improves && !shown.is_regression()).then_some("improvement")
    );
    html! {
        <li class={classes!("toggle", on.then_some("on"))} data-toggle={row.id}>
            <button type="button" class="toggle-button" aria-pressed={on.to_string()} data-testid={testid}
                    title={row.help} onclick={on_flip(app, flips, row.id)}>
                <span class="toggle-state" aria-hidden="true">{ if on { "● on" } else { "○ off" } }</span>
                <span class="toggle-label">{ row.label }</span>
            </button>
            <span class={badge_class} data-testid={format!("badge-{}", row.id)}
                  data-computed={computed} aria-busy={stale.to_string()}
                  title={stale.then_some("Updating for your change…")}>
                { badge_text }
            </span>
        </li>
    }
}
