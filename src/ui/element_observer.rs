//! What the element hooks (`use_element_size`, `use_visibility`) share: one browser observer
//! (ResizeObserver, IntersectionObserver) watching elements, with its callback kept alive
//! until the returned closure (an effect's cleanup) disconnects it.

use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;

/// A browser observer of elements, built around a callback that gets its entries.
pub trait ElementObserver: Sized {
    fn create(callback: &js_sys::Function) -> Option<Self>;
    fn observe(&self, element: &web_sys::Element);
    fn disconnect(&self);
}

impl ElementObserver for web_sys::ResizeObserver {
    fn create(callback: &js_sys::Function) -> Option<Self> {
        web_sys::ResizeObserver::new(callback).ok()
    }

    fn observe(&self, element: &web_sys::Element) {
        web_sys::ResizeObserver::observe(self, element);
    }

    fn disconnect(&self) {
        web_sys::ResizeObserver::disconnect(self);
    }
}

impl ElementObserver for web_sys::IntersectionObserver {
    fn create(callback: &js_sys::Function) -> Option<Self> {
        web_sys::IntersectionObserver::new(callback).ok()
    }

    fn observe(&self, element: &web_sys::Element) {
        web_sys::IntersectionObserver::observe(self, element);
    }

    fn disconnect(&self) {
        web_sys::IntersectionObserver::disconnect(self);
    }
}

/// Watches `elements` (an `Option` for one that may be missing) with a new `O` that hands
/// their entries to `on_entries`; calling the result stops watching.
pub fn watch<O: ElementObserver>(
    elements: impl IntoIterator<Item = web_sys::Element>,
    on_entries: impl FnMut(js_sys::Array) + 'static,
) -> impl FnOnce() {
    let callback = Closure::<dyn FnMut(js_sys::Array)>::new(on_entries);
    let observer = O::create(callback.as_ref().unchecked_ref());
    if let Some(observer) = &observer {
        for element in elements {
            observer.observe(&element);
        }
    }
    move || {
        if let Some(observer) = observer {
            observer.disconnect();
        }
        drop(callback);
    }
}
