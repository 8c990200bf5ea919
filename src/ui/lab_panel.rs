//! Exercise mode's panel, above the flows: the lab's title, story and task, every goal ✓/✗
//! live with what the engine found, progress (goals met, hints seen, elements changed), the
//! hints one at a time, Check, Reset, the reference solution step by step, and the success
//! explanation once every goal holds. The goal checks are pure (`view::lab`); this renders them.

use yew::prelude::*;

use super::state::{dispatch_on_click, use_app, ByPtr};
use crate::view::lab::changes::changed_elements;
use crate::view::state::Action;

#[function_component(LabPanel)]
pub fn lab_panel() -> Html {
    let app = use_app();
    let Some(session) = app.lab.clone() else {
        return html! {};
    };
    let goals = {
        let session = session.clone();
        use_memo(
            (
                ByPtr(app.evaluation.clone()),
                ByPtr(app.design.clone()),
                ByPtr(session.lab.clone()),
            ),
            move |(evaluation, design, _)| {
                let rows = session.goals(&evaluation.0, &design.0);
                let changed = changed_elements(&session.start, &design.0).len();
                (rows, changed)
            },
        )
    };
    let (rows, changed) = &*goals;
    let met = rows.iter().filter(|row| row.check.met).count();
    let solved = met == rows.len();
    let lab = &session.lab;
    let progress = &session.progress;
    let hints = &lab.hints[..progress.hints_shown.min(lab.hints.len())];
    let next_step = lab.solution.get(progress.solution_shown);
    html! {
        <section class="lab-panel" aria-labelledby="lab-title" data-testid="lab-panel">
            <p class="lab-kicker">{ "Workshop lab" }</p>
            <h2 id="lab-title" data-testid="lab-title">{ lab.title.clone() }</h2>
            <p class="lab-story">{ lab.story.clone() }</p>
            <p class="lab-task" data-testid="lab-task"><strong>{ "Your task: " }</strong>{ lab.task.clone() }</p>
            <ul class="lab-goals" aria-label="Goals">
                { for rows.iter().map(|row| {
                    let (icon, class, state) = if row.check.met { ("✓", "good", "met") } else { ("✗", "bad", "not met") };
                    html! {
                        <li class={classes!("lab-goal", class)} data-testid="lab-goal" data-met={row.check.met.to_string()}>
                            <span class="status-icon" aria-hidden="true">{ icon }</span>
                            <span>{ row.text.clone() }
                                <span class="lab-goal-detail">{ row.check.detail.clone() }</span>
                            </span>
                            <span class="visually-hidden">{ format!(" ({state})") }</span>
                        </li>
                    }
                }) }
            </ul>
            <p class="lab-progress" data-testid="lab-progress" role="status">
                { format!("{met} of {} goals met · {} of {} hints · {changed} element(s) changed",
                    rows.len(), progress.hints_shown, lab.hints.len()) }
            </p>
            if progress.checked {
                <p class={classes!("lab-verdict", if solved { "good" } else { "bad" })} data-testid="lab-verdict">
                    { if solved { "✓ Every goal holds." } else { "✗ Not yet: the goals marked ✗ do not hold." } }
                </p>
            }
            if solved {
                <div class="lab-success" data-testid="lab-success">
                    <strong>{ "Solved. Why it works: " }</strong>{ lab.success.clone() }
                </div>
            }
            if !hints.is_empty() {
                <ol class="lab-hints" data-testid="lab-hints">
                    { for hints.iter().map(|hint| html! { <li>{ hint.clone() }</li> }) }
                </ol>
            }
            if progress.solution_shown > 0 {
                <ol class="lab-solution" data-testid="lab-solution">
                    { for lab.solution[..progress.solution_shown].iter().map(|step| html! { <li>{ step.say.clone() }</li> }) }
                </ol>
            }
            <div class="lab-actions">
                <button type="button" data-testid="lab-check" onclick={dispatch_on_click(&app, Action::CheckLab)}>{ "Check" }</button>
                <button type="button" data-testid="lab-hint" disabled={progress.hints_shown >= lab.hints.len()}
                        onclick={dispatch_on_click(&app, Action::ShowHint)}>{ "Hint" }</button>
                <button type="button" data-testid="lab-reset" onclick={dispatch_on_click(&app, Action::ResetLab)}>{ "Reset" }</button>
                <button type="button" data-testid="lab-solution-step" disabled={next_step.is_none()}
                        onclick={dispatch_on_click(&app, Action::ShowSolutionStep)}>
                    { if progress.solution_shown == 0 { "Show solution" } else { "Next solution step" } }
                </button>
                <button type="button" data-testid="lab-leave" onclick={dispatch_on_click(&app, Action::LeaveLab)}>{ "Leave lab" }</button>
            </div>
            if app.answers_hidden() {
                <p class="lab-note">{ "Fixes and the toggles' predictions are hidden until you have seen every hint or the solution." }</p>
            }
        </section>
    }
}
