//! The details card of the diagram: what the clicked or focused node or edge is, and every
//! flow through it as a button that opens the flow's trace.

use yew::prelude::*;

use super::state::use_app;
use crate::view::diagram::details::Details;
use crate::view::state::Action;

#[derive(Properties, PartialEq)]
pub struct DiagramCardProps {
    pub details: Details,
    /// `Some(collapsed)` for a node that can be collapsed or expanded.
    pub collapsible: Option<bool>,
    pub ontogglecollapse: Callback<()>,
    pub onclose: Callback<()>,
}

#[function_component(DiagramCard)]
pub fn diagram_card(props: &DiagramCardProps) -> Html {
    let app = use_app();
    let details = &props.details;
    let close = props.onclose.reform(|_: MouseEvent| ());
    let collapse = props.ontogglecollapse.reform(|_: MouseEvent| ());
    html! {
        <section class="diagram-card" role="dialog" aria-label={format!("Details of {}", details.title)}
                 data-testid="diagram-card">
            <header>
                <h3>{ details.title.clone() }</h3>
                <button type="button" class="icon-button" aria-label="Close details" onclick={close}>{ "×" }</button>
            </header>
            <p class="card-kind">{ details.kind.clone() }</p>
            if let Some(collapsed) = props.collapsible {
                <button type="button" data-testid="card-collapse" onclick={collapse}>
                    { if collapsed { "Expand" } else { "Collapse to one box" } }
                </button>
            }
            if !details.facts.is_empty() {
                <dl class="card-facts">
                    { for details.facts.iter().map(|fact| html! {
                        <>
                            <dt>{ fact.label }</dt>
                            <dd>{ fact.value.clone() }</dd>
                        </>
                    }) }
                </dl>
            }
            if details.flows.is_empty() {
                <p class="card-kind">{ "No flow of the analysis starts or ends here." }</p>
            } else {
                <h4>{ format!("Flows ({})", details.flows.len()) }</h4>
                <ul class="card-flows">
                    { for details.flows.iter().map(|flow| {
                        let onclick = {
                            let app = app.clone();
                            let id = flow.id.clone();
                            Callback::from(move |_| app.dispatch(Action::Select(Some(id.clone()))))
                        };
                        html! {
                            <li>
                                <button type="button" class={classes!("card-flow", flow.status.class())} {onclick}
                                        data-testid="card-flow">
                                    <span aria-hidden="true">{ flow.status.icon() }</span>
                                    { format!(" {}", flow.label) }
                                    <span class="visually-hidden">{ format!(" ({})", flow.status.text()) }</span>
                                </button>
                            </li>
                        }
                    }) }
                </ul>
            }
        </section>
    }
}
