//! The question a share link asks at startup when the autosave holds a different design: the
//! autosaved design stays on screen until the user opens the shared one, opens it keeping
//! theirs as an undo step, or keeps theirs. Any answer removes the link from the address bar,
//! so a reload does not ask again.

use yew::prelude::*;

use super::browser;
use super::state::use_app;
use crate::view::startup::ShareChoice;
use crate::view::state::Action;

const FIRST_CHOICE: &str = "[data-testid=\"share-open-keep-mine\"]";

#[function_component(ShareConflictQuestion)]
pub fn share_conflict_question() -> Html {
    let app = use_app();
    let asking = app.share_conflict.is_some();
    use_effect_with(asking, |asking| {
        if *asking {
            browser::focus_in_place_after_render(FIRST_CHOICE);
        }
    });
    let Some(conflict) = app.share_conflict.as_ref() else {
        return html! {};
    };
    let answer = |choice: ShareChoice| {
        let app = app.clone();
        Callback::from(move |_| {
            browser::clear_fragment();
            app.dispatch(Action::ResolveShareConflict(choice));
        })
    };
    html! {
        <section class="banner banner-note share-conflict" role="alertdialog"
                 aria-labelledby="share-conflict-title" aria-describedby="share-conflict-text"
                 data-testid="share-conflict">
            <span aria-hidden="true">{ "ℹ" }</span>
            <span>
                <strong id="share-conflict-title">{ "Open the shared design?" }</strong>
                { " " }
                <span id="share-conflict-text" data-testid="share-conflict-text">
                    { conflict.question(&app.design) }
                </span>
            </span>
            <button type="button" onclick={answer(ShareChoice::OpenSharedKeepMine)}
                    data-testid="share-open-keep-mine">{ "Open it, keep mine as an undo step" }</button>
            <button type="button" onclick={answer(ShareChoice::OpenShared)}
                    data-testid="share-open">{ "Open it" }</button>
            <button type="button" onclick={answer(ShareChoice::KeepMine)}
                    data-testid="share-keep-mine">{ "Keep mine" }</button>
        </section>
    }
}
