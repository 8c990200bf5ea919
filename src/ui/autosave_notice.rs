//! What the page says when changes do not reach the autosave: a note when the page has no
//! storage (a sandboxed or cross-site iframe), an alert when a save failed (storage full),
//! both offering Export JSON so no work is lost. Dismissing hides that message until it
//! changes.

use yew::prelude::*;

use super::browser;
use super::state::use_app;
use crate::view::autosave::AutosaveStatus;

#[derive(Properties, PartialEq)]
pub struct AutosaveNoticeProps {
    pub status: AutosaveStatus,
}

#[function_component(AutosaveNotice)]
pub fn autosave_notice(props: &AutosaveNoticeProps) -> Html {
    let app = use_app();
    let dismissed = use_state(|| None::<String>);
    let Some(message) = props.status.message() else {
        return html! {};
    };
    if dismissed.as_deref() == Some(message.as_str()) {
        return html! {};
    }
    let export = {
        let app = app.clone();
        Callback::from(move |_| browser::download_design(&app.design))
    };
    let dismiss = {
        let message = message.clone();
        Callback::from(move |_| dismissed.set(Some(message.clone())))
    };
    let alert = props.status.is_alert();
    let (class, role, icon) = if alert {
        ("banner banner-error", "alert", "⚠")
    } else {
        ("banner banner-note", "status", "ℹ")
    };
    html! {
        <div {class} {role} data-testid="autosave-notice" data-alert={alert.to_string()}>
            <span aria-hidden="true">{ icon }</span>
            <span data-testid="autosave-text">{ message }</span>
            <button type="button" onclick={export} data-testid="autosave-export">{ "Export JSON" }</button>
            <button type="button" class="banner-dismiss" aria-label="Dismiss autosave message"
                    onclick={dismiss}>{ "×" }</button>
        </div>
    }
}
