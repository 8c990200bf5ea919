//! Service endpoint policies and their definitions (`Microsoft.Storage` resources, `Global`
//! aliases): add, edit and remove definitions with a validating form, add and remove policies.
//! Policies are attached to subnets in the element tree.

use yew::prelude::*;

use super::form::{actions, apply_policy, diagnostics, policy, Binding};
use super::state::{dispatch_on_click, use_design_context};
use crate::view::forms::SepDefinitionDraft;
use crate::view::policy_edit::PolicyEdit;

type Form = Option<(String, Option<usize>, SepDefinitionDraft)>;

#[function_component(SepEditor)]
pub fn sep_editor() -> Html {
    let app = use_design_context();
    let form = use_state(|| None as Form);
    let design = app.design.clone();
    let open = |sep: &str, index: Option<usize>, draft: SepDefinitionDraft| {
        let form = form.clone();
        let sep = sep.to_string();
        Callback::from(move |_| form.set(Some((sep.clone(), index, draft.clone()))))
    };
    html! {
        <section class="editor" aria-labelledby="sep-title" data-testid="sep-editor">
            <h2 id="sep-title">{ "Service endpoint policies" }</h2>
            { for design.service_endpoint_policies.iter().map(|sep| html! {
                <div class="policy" data-testid={format!("sep-{}", sep.name)}>
                    <h3>
                        { sep.name.clone() }
                        <button type="button" class="icon-button" aria-label={format!("Remove policy {}", sep.name)}
                                onclick={dispatch_on_click(&app, policy(PolicyEdit::RemoveSepPolicy { policy: sep.name.clone() }))}>{ "✕" }</button>
                    </h3>
                    <ul class="fw-rules">
                        { for sep.definitions.iter().enumerate().map(|(index, d)| html! {
                            <li data-testid={format!("sep-definition-{}-{}", sep.name, d.name)}>
                                <span class="name">{ d.name.clone() }</span>
                                { format!(" {}: {}", d.service, d.service_resources.join(", ")) }
                                <button type="button" class="icon-button" aria-label={format!("Edit definition {}", d.name)}
                                        onclick={open(&sep.name, Some(index), SepDefinitionDraft::of(d))}>{ "✎" }</button>
                                <button type="button" class="icon-button" aria-label={format!("Remove definition {}", d.name)}
                                        onclick={dispatch_on_click(&app, policy(PolicyEdit::RemoveSepDefinition { policy: sep.name.clone(), index }))}>{ "✕" }</button>
                            </li>
                        }) }
                    </ul>
                    <button type="button" class="small" aria-label={format!("Add a definition to {}", sep.name)}
                            onclick={open(&sep.name, None, SepDefinitionDraft::new_definition(&design))}>{ "+ definition" }</button>
                    if let Some((name, index, draft)) = (*form).clone().filter(|(n, _, _)| *n == sep.name) {
                        { definition_form(&app, &form, name, index, draft) }
                    }
                    { diagnostics(&app, &sep.name, format!("sep-diagnostics-{}", sep.name)) }
                </div>
            }) }
            <button type="button" class="small" data-testid="add-sep"
                    onclick={dispatch_on_click(&app, policy(PolicyEdit::AddSepPolicy))}>{ "+ policy" }</button>
        </section>
    }
}

fn definition_form(
    app: &super::state::DesignContext,
    form: &UseStateHandle<Form>,
    sep: String,
    index: Option<usize>,
    draft: SepDefinitionDraft,
) -> Html {
    let parsed = draft.parse();
    let set = {
        let (form, sep) = (form.clone(), sep.clone());
        Callback::from(move |draft| form.set(Some((sep.clone(), index, draft))))
    };
    let binding = Binding {
        draft,
        set,
        errors: parsed.clone().err().unwrap_or_default(),
        prefix: "sep-definition",
    };
    let apply = {
        let form = form.clone();
        apply_policy(
            app,
            parsed.clone().ok(),
            move |definition| PolicyEdit::SetSepDefinition {
                policy: sep.clone(),
                index,
                definition,
            },
            move || form.set(None),
        )
    };
    let cancel = {
        let form = form.clone();
        Callback::from(move |_| form.set(None))
    };
    html! {
        <div class="rule-form" role="group" aria-label="Edit definition" data-testid="sep-definition-form">
            { binding.text("name", "Name", |d| &d.name, |d, v| d.name = v) }
            { binding.select("service", "Service", &["Microsoft.Storage", "Global"], |d| &d.service, |d, v| d.service = v) }
            { binding.text("service_resources", "Resources or aliases", |d| &d.service_resources, |d, v| d.service_resources = v) }
            { actions("sep-definition", parsed.is_ok(), apply, cancel) }
        </div>
    }
}
