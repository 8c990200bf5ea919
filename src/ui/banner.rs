//! The dismissable error banner (import failures, bad share links, rejected edits), and the
//! status line of an import in progress.

use yew::prelude::*;

use super::state::{dispatch_on_click, use_app};
use crate::view::state::Action;

#[function_component(Banner)]
pub fn banner() -> Html {
    let app = use_app();
    let importing = app.importing.as_ref().map(|names| {
        html! {
            <div class="banner banner-status" role="status" data-testid="importing">
                <span class="spinner small" aria-hidden="true"></span>
                { format!("Importing {names}…") }
            </div>
        }
    });
    let Some(error) = app.error.clone() else {
        return html! { { for importing } };
    };
    html! {
        <>
        { for importing }
        <div class="banner banner-error" role="alert" data-testid="error-banner">
            <span aria-hidden="true">{ "⚠" }</span>
            <span data-testid="error-text">{ error }</span>
            <button type="button" class="banner-dismiss" aria-label="Dismiss error"
                    onclick={dispatch_on_click(&app, Action::DismissError)}>{ "×" }</button>
        </div>
        </>
    }
}
