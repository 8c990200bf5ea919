//! The share dialog: the share link and an `<iframe>` embed snippet (`view::embed`), each with
//! a Copy button using the Clipboard API; where the page may not write the clipboard the text
//! is selected for Ctrl+C instead. Optionally both open the selected flow's trace. Escape or ×
//! closes it.

use yew::prelude::*;

use super::browser;
use super::state::use_app;
use crate::view::{embed, share};

#[derive(Properties, PartialEq)]
pub struct ShareDialogProps {
    pub onclose: Callback<()>,
}

/// What the last Copy did, for the confirmation line.
#[derive(Clone, Copy, PartialEq)]
enum CopyOutcome {
    Nothing,
    Copied(&'static str),
    Selected(&'static str),
}

#[function_component(ShareDialog)]
pub fn share_dialog(props: &ShareDialogProps) -> Html {
    let app = use_app();
    let copied = use_state(|| CopyOutcome::Nothing);
    let with_flow = use_state(|| true);
    let link_field = use_node_ref();
    let snippet_field = use_node_ref();
    let lab_field = use_node_ref();
    let first_button = use_node_ref();
    {
        let first_button = first_button.clone();
        use_effect_with((), move |_| {
            if let Some(button) = first_button.cast::<web_sys::HtmlElement>() {
                let _ = button.focus();
            }
        });
    }

    let page = browser::page_address();
    let selected = app
        .selected_result()
        .map(|result| (result.question.id.clone(), result.question.label.clone()));
    let flow = selected
        .as_ref()
        .filter(|_| *with_flow)
        .map(|(id, _)| id.as_str());
    let link = embed::share_link(&page, &app.design, flow);
    let snippet = embed::embed_snippet(&page, &app.design, flow);
    let lab_link = app
        .lab
        .as_ref()
        .map(|session| format!("{page}#{}", share::encode_lab_fragment(&session.lab)));

    let copy = |what: &'static str, text: String, field: NodeRef| {
        let copied = copied.clone();
        Callback::from(move |_| {
            let copied = copied.clone();
            let field = field.clone();
            browser::copy_text(text.clone(), move |done| {
                if done {
                    copied.set(CopyOutcome::Copied(what));
                } else {
                    select(&field);
                    copied.set(CopyOutcome::Selected(what));
                }
            });
        })
    };
    let toggle_flow = {
        let with_flow = with_flow.clone();
        let copied = copied.clone();
        Callback::from(move |_| {
            with_flow.set(!*with_flow);
            copied.set(CopyOutcome::Nothing);
        })
    };
    let close = {
        let onclose = props.onclose.clone();
        Callback::from(move |_| onclose.emit(()))
    };
    let onkeydown = {
        let onclose = props.onclose.clone();
        Callback::from(move |event: KeyboardEvent| {
            if event.key() == "Escape" {
                onclose.emit(());
            }
        })
    };
    let status = match *copied {
        CopyOutcome::Nothing => String::new(),
        CopyOutcome::Copied(what) => format!("✓ Copied the {what} to the clipboard."),
        CopyOutcome::Selected(what) => {
            format!("The page may not use the clipboard: the {what} is selected, press Ctrl+C to copy it.")
        }
    };

    html! {
        <div class="share-dialog" role="dialog" aria-labelledby="share-title" data-testid="share-dialog" {onkeydown}>
            <div class="share-dialog-title">
                <h2 id="share-title">{ "Share this design" }</h2>
                <button type="button" class="icon-button" aria-label="Close the share dialog" onclick={close}>{ "×" }</button>
            </div>
            <p class="share-note">{ "The design travels inside the link: no server stores it." }</p>
            if let Some((_, label)) = &selected {
                <label class="share-flow">
                    <input type="checkbox" checked={*with_flow} onchange={toggle_flow} data-testid="share-with-flow" />
                    { format!(" Open the selected flow's trace: {label}") }
                </label>
            }
            <label class="share-field">
                <span>{ "Link to the app" }</span>
                <input type="text" readonly=true value={link.clone()} data-testid="share-link" ref={link_field.clone()} />
            </label>
            <button type="button" ref={first_button} data-testid="copy-link"
                    onclick={copy("link", link, link_field)}>{ "Copy link" }</button>
            <label class="share-field">
                <span>{ "Embed snippet for a wiki page (read-only view, 800×500)" }</span>
                <textarea readonly=true rows="3" value={snippet.clone()} data-testid="embed-snippet" ref={snippet_field.clone()} />
            </label>
            <button type="button" data-testid="copy-embed"
                    onclick={copy("embed snippet", snippet, snippet_field)}>{ "Copy embed snippet" }</button>
            if let Some(lab_link) = lab_link {
                <label class="share-field">
                    <span>{ "Lab link: opens this lab from its start, in exercise mode" }</span>
                    <input type="text" readonly=true value={lab_link.clone()} data-testid="lab-link" ref={lab_field.clone()} />
                </label>
                <button type="button" data-testid="copy-lab-link"
                        onclick={copy("lab link", lab_link, lab_field)}>{ "Copy lab link" }</button>
            }
            <p class="copy-status" role="status" aria-live="polite" data-testid="copy-status">{ status }</p>
        </div>
    }
}

/// Selects the whole text of an input or textarea and focuses it, for Ctrl+C.
fn select(field: &NodeRef) {
    if let Some(input) = field.cast::<web_sys::HtmlInputElement>() {
        let _ = input.focus();
        input.select();
    } else if let Some(area) = field.cast::<web_sys::HtmlTextAreaElement>() {
        let _ = area.focus();
        area.select();
    }
}
