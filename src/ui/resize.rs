//! `use_element_size`: the CSS-pixel size of an element, kept current by a ResizeObserver, so
//! the diagram lays itself out for the room it has (a panel resized, an embed's tab shown).

use std::cell::Cell;
use std::rc::Rc;

use wasm_bindgen::JsCast;
use yew::prelude::*;

use super::element_observer::watch;

/// Calls `onresize(width, height)` with the element's size now and whenever it changes.
#[hook]
pub fn use_element_size(node: NodeRef, onresize: Callback<(f64, f64)>) {
    use_effect_with(node, move |node| {
        let element = node.cast::<web_sys::Element>();
        let last = Rc::new(Cell::new((0.0, 0.0)));
        // The observer reports each observed element once when observing starts, then on
        // every change, with its fractional content box.
        watch::<web_sys::ResizeObserver>(element, move |entries: js_sys::Array| {
            let Some(entry) = entries
                .get(0)
                .dyn_into::<web_sys::ResizeObserverEntry>()
                .ok()
            else {
                return;
            };
            let rect = entry.content_rect();
            let size = (rect.width(), rect.height());
            if size != last.get() && size.0 > 0.0 {
                last.set(size);
                onresize.emit(size);
            }
        })
    });
}
