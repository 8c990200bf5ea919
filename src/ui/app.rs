//! The root component: builds the first state (share link, autosave or default preset),
//! provides it by context, autosaves every design change, listens for Ctrl+Z / Ctrl+Shift+Z,
//! share links pasted into the address bar and files dropped anywhere on the page (a design,
//! Azure JSON or ARM template, optionally with its parameters file).

use std::cell::RefCell;
use std::rc::Rc;

use gloo::events::EventListener;
use gloo::file::callbacks::FileReader;
use wasm_bindgen::JsCast;
use yew::prelude::*;

use super::banner::Banner;
use super::browser;
use super::diagnostics_panel::DiagnosticsPanel;
use super::diagram::Diagram;
use super::element_tree::ElementTree;
use super::flows_panel::FlowsPanel;
use super::header::Header;
use super::options_panel::OptionsPanel;
use super::state::AppContext;
use super::toggle_list::ToggleList;
use crate::view::state::{Action, AppState, Startup};

#[function_component(App)]
pub fn app() -> Html {
    let app: AppContext = use_reducer(|| {
        let fragment = browser::fragment();
        let autosave = browser::load_autosave();
        AppState::start(Startup {
            fragment: fragment.as_deref(),
            autosave: autosave.as_deref(),
            embed: browser::is_embedded(),
        })
    });

    {
        let design = app.design.clone();
        let scenario = app.scenario.clone();
        let read_only = app.read_only;
        use_effect_with(design, move |design| {
            if !read_only {
                browser::save_autosave(design, &scenario);
            }
        });
    }

    {
        let app = app.clone();
        use_effect_with((), move |_| {
            let document = gloo::utils::document();
            let keys = {
                let app = app.clone();
                EventListener::new(&document, "keydown", move |event| {
                    let Some(event) = event.dyn_ref::<web_sys::KeyboardEvent>() else {
                        return;
                    };
                    if let Some(action) = shortcut(event) {
                        event.prevent_default();
                        app.dispatch(action);
                    }
                })
            };
            let hash = EventListener::new(&gloo::utils::window(), "hashchange", move |_| {
                if let Some(fragment) = browser::fragment() {
                    if crate::view::share::is_share_fragment(&fragment) {
                        app.dispatch(Action::OpenShareLink(fragment));
                    }
                }
            });
            move || drop((keys, hash))
        });
    }

    {
        // Once a change is on screen: verify the open paths' fixes, then compute the badges
        // (one analysis per toggle), each after its own repaint.
        let app = app.clone();
        let verifying = app.evaluation.verifying();
        use_effect_with((app.revision, verifying), move |(revision, verifying)| {
            let action = if *verifying {
                Some(Action::VerifyFixes)
            } else {
                (*revision > 0).then_some(Action::ComputeBadges)
            };
            let pending = action.map(|action| browser::after_paint(move || app.dispatch(action)));
            move || drop(pending)
        });
    }

    let reader = use_mut_ref(Vec::<FileReader>::new);
    let ondragover = Callback::from(|event: DragEvent| event.prevent_default());
    let ondrop = {
        let app = app.clone();
        Callback::from(move |event: DragEvent| {
            event.prevent_default();
            let files = event.data_transfer().and_then(|transfer| transfer.files());
            if let Some(files) = files {
                read_into(&app, &reader, browser::file_list(&files));
            }
        })
    };

    let class = if app.read_only {
        "shell embed"
    } else {
        "shell"
    };
    html! {
        <ContextProvider<AppContext> context={app.clone()}>
            <div {class} data-testid="shell" {ondragover} {ondrop}>
                <Header />
                <Banner />
                <main class="workspace">
                    if !app.read_only {
                        <aside class="panel design-panel" aria-label="Design" data-testid="design-panel">
                            <ToggleList />
                            <OptionsPanel />
                            <DiagnosticsPanel />
                            <ElementTree />
                        </aside>
                    }
                    <Diagram />
                    <FlowsPanel />
                </main>
            </div>
        </ContextProvider<AppContext>>
    }
}

/// Ctrl+Z undoes, Ctrl+Shift+Z and Ctrl+Y redo, except while typing in a field.
fn shortcut(event: &web_sys::KeyboardEvent) -> Option<Action> {
    let typing = event
        .target()
        .and_then(|target| target.dyn_into::<web_sys::Element>().ok())
        .is_some_and(|element| {
            matches!(element.tag_name().as_str(), "INPUT" | "TEXTAREA" | "SELECT")
        });
    if typing || !(event.ctrl_key() || event.meta_key()) {
        return None;
    }
    match event.key().to_ascii_lowercase().as_str() {
        "z" if event.shift_key() => Some(Action::Redo),
        "z" => Some(Action::Undo),
        "y" => Some(Action::Redo),
        _ => None,
    }
}

/// Reads picked or dropped files (a design or template, optionally with its parameters file)
/// and imports them together; the readers are kept until they finish.
pub fn read_into(
    app: &AppContext,
    reader: &Rc<RefCell<Vec<FileReader>>>,
    files: Vec<gloo::file::File>,
) {
    if files.is_empty() {
        return;
    }
    let app = app.clone();
    let handles = browser::read_files(files, move |result| match result {
        Ok(files) => app.dispatch(Action::ImportFiles(files)),
        Err(error) => app.dispatch(Action::ShowError(error)),
    });
    *reader.borrow_mut() = handles;
}
