//! `use_visibility`: whether an element is on screen (inside the viewport and every scrolling
//! ancestor), kept current by an IntersectionObserver, without rendering anything when it
//! changes: a component reads it when it renders.

use std::cell::Cell;
use std::rc::Rc;

use wasm_bindgen::JsCast;
use yew::prelude::*;

use super::element_observer::watch;

/// The element's visibility, `true` until the observer first reports.
#[hook]
pub fn use_visibility(node: NodeRef) -> Rc<Cell<bool>> {
    let visible = use_memo((), |_| Cell::new(true));
    {
        let visible = visible.clone();
        use_effect_with(node, move |node| {
            watch::<web_sys::IntersectionObserver>(node.cast(), move |entries: js_sys::Array| {
                // Entries come in time order: the last one is the element's current state.
                let last = entries.get(entries.length().saturating_sub(1));
                if let Ok(entry) = last.dyn_into::<web_sys::IntersectionObserverEntry>() {
                    visible.set(entry.is_intersecting());
                }
            })
        });
    }
    visible
}
