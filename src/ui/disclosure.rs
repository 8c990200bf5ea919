//! A `<details>` whose content is built only while it is open: the hook keeps whether it is
//! open, in step with the element's `toggle` events.

use yew::prelude::*;

/// Whether the disclosure is open, and the `ontoggle` handler for its `<details>`.
#[hook]
pub fn use_disclosure(initially_open: bool) -> (bool, Callback<Event>) {
    let open = use_state(|| initially_open);
    let ontoggle = {
        let open = open.clone();
        Callback::from(move |event: Event| {
            let now = event
                .target_dyn_into::<web_sys::Element>()
                .is_some_and(|details| details.has_attribute("open"));
            if now != *open {
                open.set(now);
            }
        })
    };
    (*open, ontoggle)
}
