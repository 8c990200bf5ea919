//! The trainer's lab maker: the current design as the start, its current problems as goals to
//! tick, a title, task, hints and explanation; then start the lab, download its file or copy
//! its lab link. The lab itself is made by `view::lab::maker`.

use crate::model::json_value::to_pretty_json;
use wasm_bindgen::JsCast;
use yew::prelude::*;

use super::browser;
use super::state::use_app;
use crate::view::lab::maker::{candidate_goals, make, LabDraft};
use crate::view::share;
use crate::view::state::Action;

#[derive(Properties, PartialEq)]
pub struct LabMakerProps {
    pub onclose: Callback<()>,
}

/// A text field's setter: `update` writes the typed value into the draft.
fn field(
    draft: &UseStateHandle<LabDraft>,
    update: fn(&mut LabDraft, String),
) -> Callback<InputEvent> {
    let draft = draft.clone();
    Callback::from(move |event: InputEvent| {
        let Some(target) = event.target() else {
            return;
        };
        let value = match (
            target.dyn_ref::<web_sys::HtmlInputElement>(),
            target.dyn_ref::<web_sys::HtmlTextAreaElement>(),
        ) {
            (Some(input), _) => input.value(),
            (_, Some(area)) => area.value(),
            _ => return,
        };
        let mut next = (*draft).clone();
        update(&mut next, value);
        draft.set(next);
    })
}

#[function_component(LabMaker)]
pub fn lab_maker(props: &LabMakerProps) -> Html {
    let app = use_app();
    let candidates = use_memo(super::state::ByPtr(app.evaluation.clone()), |evaluation| {
        candidate_goals(&evaluation.0)
    });
    let draft = use_state(LabDraft::default);
    let ticked = use_state(|| vec![true; candidates.len()]);
    let outcome = use_state(String::new);

    let lab = {
        let goals = candidates
            .iter()
            .zip(ticked.iter())
            .filter(|(_, on)| **on)
            .map(|(goal, _)| goal.clone())
            .collect();
        make(&app.design, &draft, goals)
    };
    let act = |what: &'static str| {
        let lab = lab.clone();
        let app = app.clone();
        let outcome = outcome.clone();
        let onclose = props.onclose.clone();
        Callback::from(move |_: MouseEvent| {
            let lab = match &lab {
                Ok(lab) => lab.clone(),
                Err(error) => return outcome.set(format!("✗ {error}")),
            };
            match what {
                "start" => {
                    app.dispatch(Action::OpenLab(Box::new(lab)));
                    onclose.emit(());
                }
                "download" => {
                    let json = to_pretty_json(&lab).unwrap_or_default();
                    browser::download(&format!("{}.lab.json", lab.id), "application/json", &json);
                    outcome.set("✓ Downloaded the lab file.".into());
                }
                _ => {
                    let link = format!(
                        "{}#{}",
                        browser::page_address(),
                        share::encode_lab_fragment(&lab)
                    );
                    let outcome = outcome.clone();
                    browser::copy_text(link, move |done| {
                        outcome.set(if done {
                            "✓ Copied the lab link.".into()
                        } else {
                            "The page may not use the clipboard here: start the lab and use Share… instead.".into()
                        })
                    });
                }
            }
        })
    };
    let close = {
        let onclose = props.onclose.clone();
        Callback::from(move |_| onclose.emit(()))
    };
    html! {
        <div class="share-dialog lab-maker" role="dialog" aria-labelledby="lab-maker-title" data-testid="lab-maker">
            <div class="share-dialog-title">
                <h2 id="lab-maker-title">{ "Make a lab from this design" }</h2>
                <button type="button" class="icon-button" aria-label="Close the lab maker" onclick={close}>{ "×" }</button>
            </div>
            <p class="share-note">{ "The design as it is now is where trainees start. Tick what they must achieve." }</p>
            <label class="share-field"><span>{ "Title" }</span>
                <input type="text" value={draft.title.clone()} data-testid="lab-maker-title-input"
                       oninput={field(&draft, |d, v| d.title = v)} /></label>
            <label class="share-field"><span>{ "Task, in plain words" }</span>
                <textarea rows="2" value={draft.task.clone()} data-testid="lab-maker-task"
                          oninput={field(&draft, |d, v| d.task = v)} /></label>
            <fieldset class="lab-maker-goals">
                <legend>{ "Goals (from the design's current problems)" }</legend>
                if candidates.is_empty() {
                    <p>{ "This design has no open path, broken required flow or failing check to turn into a goal." }</p>
                }
                { for candidates.iter().enumerate().map(|(index, goal)| {
                    let checked = ticked[index];
                    let ticked = ticked.clone();
                    let onchange = Callback::from(move |_| {
                        let mut next = (*ticked).clone();
                        next[index] = !next[index];
                        ticked.set(next);
                    });
                    html! {
                        <label class="lab-maker-goal">
                            <input type="checkbox" {checked} {onchange} data-testid="lab-maker-goal" />
                            { format!(" {}", goal.text) }
                        </label>
                    }
                }) }
            </fieldset>
            <label class="share-field"><span>{ "Hints, one per line, from a nudge to the answer" }</span>
                <textarea rows="3" value={draft.hints.clone()} oninput={field(&draft, |d, v| d.hints = v)} /></label>
            <label class="share-field"><span>{ "Why the solution works (shown on success)" }</span>
                <textarea rows="2" value={draft.success.clone()} oninput={field(&draft, |d, v| d.success = v)} /></label>
            <div class="lab-actions">
                <button type="button" data-testid="lab-maker-start" onclick={act("start")}>{ "Start the lab" }</button>
                <button type="button" data-testid="lab-maker-download" onclick={act("download")}>{ "Download lab file" }</button>
                <button type="button" data-testid="lab-maker-copy" onclick={act("copy")}>{ "Copy lab link" }</button>
            </div>
            <p class={classes!("copy-status", outcome.starts_with('✗').then_some("bad"))} role="status"
               aria-live="polite" data-testid="lab-maker-status">{ (*outcome).clone() }</p>
        </div>
    }
}
