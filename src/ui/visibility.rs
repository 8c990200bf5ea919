//! `use_visibility`: whether an element is on screen (inside the viewport and every scrolling
//! ancestor), kept current by an IntersectionObserver, without rendering anything when it
//! changes: a component reads it when it renders.

use std::cell::Cell;
use std::rc::Rc;

use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;
use yew::prelude::*;

/// The element's visibility, `true` until the observer first reports.
#[hook]
pub fn use_visibility(node: NodeRef) -> Rc<Cell<bool>> {
    let visible = use_memo((), |_| Cell::new(true));
    {
        let visible = visible.clone();
        use_effect_with(node, move |node| {
            let element = node.cast::<web_sys::Element>();
            let callback =
                Closure::<dyn FnMut(js_sys::Array)>::new(move |entries: js_sys::Array| {
                    // Entries come in time order: the last one is the element's current state.
                    let last = entries.get(entries.length().saturating_sub(1));
                    if let Ok(entry) = last.dyn_into::<web_sys::IntersectionObserverEntry>() {
                        visible.set(entry.is_intersecting());
                    }
                });
            let observer =
                web_sys::IntersectionObserver::new(callback.as_ref().unchecked_ref()).ok();
            if let (Some(observer), Some(element)) = (&observer, &element) {
                observer.observe(element);
            }
            move || {
                if let Some(observer) = observer {
                    observer.disconnect();
                }
                drop(callback);
            }
        });
    }
    visible
}
