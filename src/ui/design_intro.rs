//! The top of the flows panel: what the user is looking at — the design's name and
//! description — and a short "How to read this" panel (the three sections, what ✓ and ✗ mean,
//! click a flow for its trace), dismissable and reopened with its button.

use yew::prelude::*;

use super::state::{dispatch_on_click, use_app};
use crate::view::scenarios::find;
use crate::view::state::Action;

#[function_component(DesignIntro)]
pub fn design_intro() -> Html {
    let app = use_app();
    let description = if app.design.description.trim().is_empty() {
        find(&app.scenario)
            .map_or("", |preset| preset.intent)
            .to_string()
    } else {
        app.design.description.clone()
    };
    html! {
        <section class="design-intro" aria-labelledby="design-intro-name" data-testid="design-intro">
            <div class="design-intro-title">
                <p class="design-intro-name" id="design-intro-name" role="heading" aria-level="2"
                   data-testid="intro-name">{ app.design.name.clone() }</p>
                if app.help_dismissed {
                    <button type="button" class="help-open" data-testid="help-open"
                            onclick={dispatch_on_click(&app, Action::ShowHelp(true))}>{ "? How to read this" }</button>
                }
            </div>
            if !description.is_empty() {
                <p class="design-description" data-testid="intro-description">{ description }</p>
            }
            if !app.help_dismissed {
                <div class="how-to-read" role="note" aria-labelledby="how-to-read-title" data-testid="how-to-read">
                    <h3 id="how-to-read-title">{ "How to read this" }</h3>
                    <ul>
                        <li><strong>{ "Required flows" }</strong>{ " — what Azure Machine Learning needs to work. ✓ passes; ✗ is blocked and needs a change." }</li>
                        <li><strong>{ "Exfiltration paths" }</strong>{ " — ways data could leave to an attacker. Each one listed as ✗ open is a risk, with fixes you can apply." }</li>
                        <li><strong>{ "Other flows" }</strong>{ " — optional flows such as package installs. Trace any other flow with the form." }</li>
                        <li>
                            { "Click a flow to see its trace hop by hop (← / → step through it, Play walks it on the diagram)." }
                            if !app.read_only {
                                { " The toggles on the left ask \"what if…\" and say what each would change." }
                            }
                        </li>
                    </ul>
                    <button type="button" data-testid="help-dismiss"
                            onclick={dispatch_on_click(&app, Action::ShowHelp(false))}>{ "Got it" }</button>
                </div>
            }
        </section>
    }
}
