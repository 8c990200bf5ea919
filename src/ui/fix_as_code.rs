//! "Copy as…" beside a verified fix: the change as `az` CLI commands, a Bicep snippet or a
//! Terraform (azurerm) snippet (`analysis::fix_code`, the same text as `vnetlab exfil
//! --fixes-as`), shown in a text box and copied to the clipboard; where the page may not write
//! the clipboard the text is selected for Ctrl+C. Built only while open.

use yew::prelude::*;

use super::browser;
use super::disclosure::use_disclosure;
use super::state::use_app;
use crate::analysis::fix_code::{fix_as_code, CodeFormat};
use crate::analysis::fixes::Fix;

#[derive(Properties, PartialEq)]
pub struct FixAsCodeProps {
    pub fix: Fix,
}

const FORMATS: [(CodeFormat, &str, &str); 3] = [
    (CodeFormat::Az, "az CLI", "az"),
    (CodeFormat::Bicep, "Bicep", "bicep"),
    (CodeFormat::Terraform, "Terraform", "terraform"),
];

#[function_component(FixAsCode)]
pub fn fix_as_code_menu(props: &FixAsCodeProps) -> Html {
    let (open, ontoggle) = use_disclosure(false);
    let shown = use_state(|| None::<(&'static str, String)>);
    let status = use_state(String::new);
    let field = use_node_ref();
    html! {
        <details class="fix-code" data-testid="fix-code" {ontoggle}>
            <summary>{ "Copy as…" }</summary>
            if open {
                <FixCodeBody fix={props.fix.clone()} shown={shown.clone()} status={status.clone()} field={field.clone()} />
            }
        </details>
    }
}

#[derive(Properties, PartialEq)]
struct FixCodeBodyProps {
    fix: Fix,
    shown: UseStateHandle<Option<(&'static str, String)>>,
    status: UseStateHandle<String>,
    field: NodeRef,
}

#[function_component(FixCodeBody)]
fn fix_code_body(props: &FixCodeBodyProps) -> Html {
    let app = use_app();
    let buttons = FORMATS.iter().map(|(format, label, id)| {
        let text = fix_as_code(&app.design, &props.fix, *format);
        let (shown, status, field) = (props.shown.clone(), props.status.clone(), props.field.clone());
        let label = *label;
        let onclick = Callback::from(move |_| {
            let Some(text) = text.clone() else {
                status.set("This fix no longer applies to the design.".into());
                return;
            };
            shown.set(Some((label, text.clone())));
            let (status, field) = (status.clone(), field.clone());
            browser::copy_text(text, move |done| {
                if done {
                    status.set(format!("✓ Copied the {label} snippet."));
                } else {
                    if let Some(area) = field.cast::<web_sys::HtmlTextAreaElement>() {
                        let _ = area.focus();
                        area.select();
                    }
                    status.set(format!("The {label} snippet is selected: press Ctrl+C to copy it."));
                }
            });
        });
        html! {
            <button type="button" class="small" data-testid={format!("fix-code-{id}")} {onclick}>{ label }</button>
        }
    });
    html! {
        <div class="fix-code-body">
            <div class="lab-actions">{ for buttons }</div>
            if let Some((label, text)) = &*props.shown {
                <textarea readonly=true rows="6" aria-label={format!("The fix as {label}")}
                          data-testid="fix-code-text" value={text.clone()} ref={props.field.clone()} />
            }
            <p class="copy-status" role="status" aria-live="polite">{ (*props.status).clone() }</p>
        </div>
    }
}
