//! What the page says about the autosave: a note when the page has no storage (a sandboxed or
//! cross-site iframe), an alert when a save failed (storage full) or autosave is paused, both
//! offering Export JSON so no work is lost; and, when the previous autosave could not be opened
//! (damaged, or saved by a newer version) and was kept aside, a note offering "Download it".
//! Dismissing hides a message until it changes.

use yew::prelude::*;

use super::browser;
use super::state::use_app;
use crate::view::autosave::{self, AutosaveStatus};

#[derive(Properties, PartialEq)]
pub struct AutosaveNoticeProps {
    pub status: AutosaveStatus,
}

#[function_component(AutosaveNotice)]
pub fn autosave_notice(props: &AutosaveNoticeProps) -> Html {
    html! {
        <>
            <AsideNotice />
            <StatusNotice status={props.status.clone()} />
        </>
    }
}

#[function_component(StatusNotice)]
fn status_notice(props: &AutosaveNoticeProps) -> Html {
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

/// The autosave kept aside, read once when the page starts.
#[function_component(AsideNotice)]
fn aside_notice() -> Html {
    let aside = use_state(browser::aside_autosave);
    let Some(text) = (*aside).clone() else {
        return html! {};
    };
    let download = {
        let text = text.clone();
        Callback::from(move |_| {
            browser::download(autosave::ASIDE_FILE_NAME, "application/json", &text)
        })
    };
    let discard = Callback::from(move |_| {
        if browser::discard_aside_autosave() {
            aside.set(None);
        }
    });
    html! {
        <div class="banner banner-note" role="status" data-testid="aside-notice">
            <span aria-hidden="true">{ "ℹ" }</span>
            <span data-testid="aside-text">{ autosave::aside_message(&text) }</span>
            <button type="button" onclick={download} data-testid="aside-download">{ "Download it" }</button>
            <button type="button" onclick={discard} data-testid="aside-discard">{ "Discard it" }</button>
        </div>
    }
}
