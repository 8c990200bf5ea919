//! The root component: builds the first state (share link, autosave or default preset; the
//! trace of `?flow=<id>`), provides it by context, autosaves every design change (reporting a
//! page without storage or a full storage), listens for Ctrl+Z / Ctrl+Shift+Z, share links
//! pasted into the address bar and files dropped anywhere on the page (a design, Azure JSON or
//! ARM template, optionally with its parameters file). Lays out the skip links, the header, the
//! notices and the three panels; the embed shows Diagram / Flows tabs when it is narrow.

use std::cell::RefCell;
use std::rc::Rc;

use gloo::events::{EventListener, EventListenerOptions};
use gloo::timers::callback::Timeout;
use wasm_bindgen::JsCast;
use yew::prelude::*;

use super::analysis_worker::{Background, Mode};
use super::autosave_notice::AutosaveNotice;
use super::banner::Banner;
use super::browser;
use super::defer_while_hidden::DeferWhileHidden;
use super::diagnostics_panel::DiagnosticsPanel;
use super::diagram::Diagram;
use super::dropped_folder::{dropped_folder, terraform_files};
use super::element_tree::ElementTree;
use super::flows_panel::FlowsPanel;
use super::header::Header;
use super::import_module::{self, picked_names, PickedFile};
use super::options_panel::OptionsPanel;
use super::share_conflict::ShareConflictQuestion;
use super::state::{AppContext, AppDispatch, ByPtr, DesignContext};
use super::toggle_list::{FlipCacheHandle, ToggleList};
use crate::model::Design;
use crate::view::autosave::AutosaveStatus;
use crate::view::design_text::DesignText;
use crate::view::embed::{self, PageQuery};
use crate::view::evaluation::Evaluation;
use crate::view::flip_cache::FlipCache;
use crate::view::import_report::NO_TERRAFORM_IN_FOLDER;
use crate::view::share;
use crate::view::startup::Startup;
use crate::view::state::{Action, ToggleRow};
use crate::view::toggle_sight::ToggleSight;
use crate::view::toggles;

/// What the page starts from, read once: its query, its fragment and the autosave.
struct PageStart {
    query: PageQuery,
    fragment: Option<String>,
    autosave: Option<String>,
    storage: AutosaveStatus,
    help_dismissed: bool,
    lab: Option<String>,
}

/// The pane a narrow embed shows (wide layouts show both).
#[derive(Clone, Copy, PartialEq)]
enum Pane {
    Diagram,
    Flows,
}

/// How long one task of badge analyses may take, in ms (a long task is over 50).
const BADGE_TASK_MS: f64 = 30.0;

const DIAGRAM: &str = "[data-testid=\"diagram\"]";
const FLOWS: &str = "[data-testid=\"flows-panel\"]";

#[function_component(App)]
pub fn app() -> Html {
    let start = use_memo((), |_| {
        let (autosave, storage) = browser::load_autosave();
        PageStart {
            query: browser::page_query(),
            fragment: browser::fragment(),
            autosave,
            storage,
            help_dismissed: browser::help_dismissed(),
            lab: browser::load_lab(),
        }
    });
    let app = AppContext::new({
        let start = start.clone();
        use_reducer(move || {
            embed::start(
                Startup {
                    fragment: start.fragment.as_deref(),
                    autosave: start.autosave.as_deref(),
                    embed: start.query.embed,
                    help_dismissed: start.help_dismissed,
                    lab: start.lab.as_deref(),
                },
                start.query.flow.as_deref(),
            )
        })
    });
    let storage = use_state_eq(|| start.storage.clone());
    let badge_cost = use_mut_ref(|| (0u64, None::<f64>));
    let background = use_mut_ref(|| None::<Rc<Background>>);
    let flips = use_mut_ref(FlipCache::default);
    // The evaluation a change replaced is freed after the change is painted (it holds every
    // flow's trace): the components letting go of it while rendering are then not the last.
    let shown_evaluation = use_mut_ref(|| app.evaluation.clone());
    if !Rc::ptr_eq(&shown_evaluation.borrow(), &app.evaluation) {
        browser::drop_after_paint(shown_evaluation.replace(app.evaluation.clone()));
    }
    let mode = use_state(|| Mode::Page);
    // Nothing is in sight until the toggle list has looked (and an embed has no toggles).
    let sight = use_state_eq(ToggleSight::nothing);
    let wide_panel = use_state(|| false);
    let pane = use_state(|| {
        if app.selected.is_some() {
            Pane::Flows
        } else {
            Pane::Diagram
        }
    });

    {
        // A lab opened again brings back the hints seen in it before (read before the effect
        // below saves the newly opened lab's fresh progress).
        let app = app.clone();
        let opened = app.lab.as_ref().map(|lab| lab.lab.id.clone());
        use_effect_with(opened, move |opened| {
            let saved = opened.as_deref().and_then(browser::load_lab_progress);
            if let Some(saved) = saved.filter(|saved| saved.hints_shown > 0) {
                app.dispatch(Action::RestoreLabProgress(saved));
            }
        });
    }

    {
        let read_only = app.read_only;
        use_effect_with(app.lab.clone().map(ByPtr), move |lab| {
            if !read_only {
                let lab = lab.as_ref().map(|lab| &*lab.0);
                browser::save_lab(lab);
                if let Some(lab) = lab {
                    browser::save_lab_progress(&lab.lab.id, &lab.progress);
                }
            }
        });
    }

    {
        let remembered = start.help_dismissed;
        use_effect_with(app.help_dismissed, move |dismissed| {
            if *dismissed != remembered {
                browser::remember_help_dismissed(*dismissed);
            }
        });
    }

    {
        // Choosing a flow (in the list, on a diagram card, from a link) opens its trace: a
        // narrow embed shows the flows pane for it.
        let pane = pane.clone();
        use_effect_with(app.selected.clone(), move |selected| {
            if selected.is_some() {
                pane.set(Pane::Flows);
            }
        });
    }

    {
        let design = app.design.clone();
        let scenario = app.scenario.clone();
        let read_only = app.read_only;
        let storage = storage.clone();
        // Saved once per design. With the worker, the change's job packs it (a large design
        // takes as long to pack as to analyse: every new design gets a job, below) and the page
        // stores the worker's text; without the worker the page packs it after the change is
        // painted. A newer change cancels a save not yet done.
        let by_worker = *mode == Mode::Worker;
        use_effect_with((ByPtr(design), *mode), move |(ByPtr(design), _)| {
            let design = design.clone();
            let pending = (!read_only && !by_worker && storage.saves()).then(|| {
                browser::after_paint(move || {
                    storage.set(browser::save_autosave(&design, &scenario));
                })
            });
            move || drop(pending)
        });
    }

    {
        let app = app.clone();
        use_effect_with((), move |_| {
            let document = gloo::utils::document();
            let keys = {
                let app = app.clone();
                // Not passive: the shortcut calls preventDefault (a passive listener may not).
                let options = EventListenerOptions::enable_prevent_default();
                EventListener::new_with_options(&document, "keydown", options, move |event| {
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
                    if share::is_share_fragment(&fragment) {
                        app.dispatch(Action::OpenShareLink(fragment));
                    } else if share::is_lab_fragment(&fragment) {
                        match share::decode_lab_fragment(&fragment) {
                            Ok(lab) => app.dispatch(Action::OpenLab(Box::new(lab))),
                            Err(error) => app.dispatch(Action::ShowError(error.to_string())),
                        }
                    }
                }
            });
            move || drop((keys, hash))
        });
    }

    {
        // The analysis worker, started once; answers for the design on screen become actions.
        let dispatch = app.dispatcher();
        let background = background.clone();
        let mode = mode.clone();
        let storage = storage.clone();
        use_effect_with((), move |_| {
            let started = Background::start(
                move |design, answers| dispatch.dispatch(Action::Background { design, answers }),
                move |encoded| storage.set(browser::store_autosave(encoded)),
            );
            if let Some(started) = started {
                *background.borrow_mut() = Some(Rc::new(started));
                mode.set(Mode::Worker);
            }
        });
    }

    {
        // Once a change is on screen: verify the open paths' fixes, then compute the badges.
        // In the worker: one job per design, its answers arriving as actions. On the page:
        // as many badges per task as fit in BADGE_TASK_MS by the dearest badge of this change
        // so far (one at first), so that no task blocks the page for long and the page is
        // not re-rendered per badge.
        let app = app.clone();
        let verifying = app.evaluation.verifying();
        let sight = (*sight).clone();
        let pending = app.pending_badges(&sight);
        let started = app.toggles.iter().any(|row| row.badge.is_some());
        let badges = ByPtr(app.toggles.clone());
        let badge_cost = badge_cost.clone();
        let revision = app.revision;
        let worker = background
            .borrow()
            .clone()
            .filter(|_| *mode == Mode::Worker);
        let mode_handle = mode.clone();
        let flips = flips.clone();
        let autosave = (!app.read_only && storage.saves()).then(|| app.scenario.clone());
        use_effect_with(
            (app.revision, verifying, badges, *mode, sight.clone()),
            move |(.., sight)| {
                if let Some(worker) = worker {
                    let design = app.design.clone();
                    // The worker has something to do: fixes to verify, badges in sight.
                    let due = verifying || !pending.is_empty();
                    // Once nothing is due, the flips in sight are prepared while idle.
                    let preparing = (!due).then(|| {
                        prepare_flips(flips, design.clone(), app.toggles.clone(), sight.clone())
                    });
                    // Every new design gets a job, if only to pack its autosave. A toggle
                    // scrolled into sight after the design's job was sent needs a job of its
                    // own, which replaces the running one, so it asks for every missing badge
                    // in sight (the design was already packed).
                    let autosave = autosave.filter(|_| !worker.working_on(&design));
                    let wanted = due || autosave.is_some();
                    let scheduled = (wanted && worker.needs_job(&design, &pending)).then(|| {
                        let text = app.design_text.as_ref().and_then(|t| t.text_of(&design));
                        browser::after_paint(move || {
                            let design = DesignText { design, text };
                            worker.send(design, verifying, pending, autosave, move || {
                                mode_handle.set(Mode::Page)
                            })
                        })
                    });
                    return Box::new(move || {
                        drop(scheduled);
                        drop(preparing.map(|slot| slot.take()));
                    }) as Box<dyn FnOnce()>;
                }
                let any_pending = !pending.is_empty();
                let dispatcher = app.clone();
                let compute = move || {
                    let dearest = match *badge_cost.borrow() {
                        (seen, cost) if seen == revision => cost,
                        _ => None,
                    };
                    let count = dearest
                        .map_or(1, |cost: f64| (BADGE_TASK_MS / cost.max(0.1)) as usize)
                        .clamp(1, toggles::all().len());
                    let started = browser::now();
                    let ids: Vec<String> = pending.into_iter().take(count).collect();
                    let count = ids.len().max(1);
                    dispatcher.dispatch(Action::ComputeBadges(ids));
                    let cost = (browser::now() - started) / count as f64;
                    *badge_cost.borrow_mut() =
                        (revision, Some(dearest.map_or(cost, |d| d.max(cost))));
                };
                let scheduled = if verifying {
                    Some(browser::after_paint(move || {
                        app.dispatch(Action::VerifyFixes)
                    }))
                } else if any_pending && started {
                    Some(browser::next_task(compute))
                } else if any_pending {
                    Some(browser::after_paint(compute))
                } else {
                    None
                };
                Box::new(move || drop(scheduled))
            },
        );
    }

    // Files dragged over the page start the import module, which then loads before the drop.
    // An embed is read-only: a drop on it imports nothing.
    let read_only = app.read_only;
    let ondragover = Callback::from(move |event: DragEvent| {
        event.prevent_default();
        if !read_only {
            import_module::start();
        }
    });
    let ondrop = {
        let app = app.clone();
        Callback::from(move |event: DragEvent| {
            event.prevent_default();
            if read_only {
                return;
            }
            let Some(transfer) = event.data_transfer() else {
                return;
            };
            if let Some(folder) = dropped_folder(&transfer) {
                let app = app.clone();
                wasm_bindgen_futures::spawn_local(async move {
                    match terraform_files(folder).await {
                        Ok(files) => import_folder(&app, files),
                        Err(error) => app.dispatch(Action::ShowError(error)),
                    }
                });
            } else if let Some(files) = transfer.files() {
                import_files(&app, browser::file_list(&files));
            }
        })
    };

    let class = if app.read_only {
        "shell embed"
    } else {
        "shell"
    };
    let skip = |target: Pane, selector: &'static str| {
        let pane = pane.clone();
        Callback::from(move |event: MouseEvent| {
            event.prevent_default();
            pane.set(target);
            browser::focus_after_render(selector);
        })
    };
    let show = |target: Pane| {
        let pane = pane.clone();
        Callback::from(move |_| pane.set(target))
    };
    let toggle_width = {
        let wide_panel = wide_panel.clone();
        Callback::from(move |_| wide_panel.set(!*wide_panel))
    };
    let on_sight = {
        let sight = sight.clone();
        Callback::from(move |seen: ToggleSight| sight.set(seen))
    };
    let workspace = classes!(
        "workspace",
        match *pane {
            Pane::Diagram => "show-diagram",
            Pane::Flows => "show-flows",
        }
    );
    html! {
        <ContextProvider<AppContext> context={app.clone()}>
        <ContextProvider<AppDispatch> context={app.dispatcher()}>
        <ContextProvider<DesignContext> context={DesignContext::of(&app)}>
            <div {class} data-testid="shell" data-analysis={mode.as_str()} {ondragover} {ondrop}>
                <nav class="skip-links" aria-label="Skip links">
                    <a href="#" class="skip-link" data-testid="skip-to-flows"
                       onclick={skip(Pane::Flows, FLOWS)}>{ "Skip to flows" }</a>
                    <a href="#" class="skip-link" data-testid="skip-to-diagram"
                       onclick={skip(Pane::Diagram, DIAGRAM)}>{ "Skip to diagram" }</a>
                </nav>
                <Header />
                if !app.read_only {
                    <AutosaveNotice status={(*storage).clone()} />
                }
                <ShareConflictQuestion />
                <Banner />
                if app.read_only {
                    <div class="pane-tabs" role="tablist" aria-label="Show">
                        <button type="button" role="tab" aria-selected={(*pane == Pane::Diagram).to_string()}
                                data-testid="tab-diagram" onclick={show(Pane::Diagram)}>{ "Diagram" }</button>
                        <button type="button" role="tab" aria-selected={(*pane == Pane::Flows).to_string()}
                                data-testid="tab-flows" onclick={show(Pane::Flows)}>{ "Flows" }</button>
                    </div>
                }
                <main class={workspace}>
                    if !app.read_only {
                        <aside class={classes!("panel", "design-panel", wide_panel.then_some("wide"))}
                               aria-label="Design" data-testid="design-panel">
                            <button type="button" class="small panel-width" aria-pressed={wide_panel.to_string()}
                                    data-testid="widen-design-panel" onclick={toggle_width}>
                                { if *wide_panel { "⇤ Narrow panel" } else { "⇥ Wide panel for the editors" } }
                            </button>
                            <ToggleList flips={FlipCacheHandle(flips.clone())} sight={(*sight).clone()}
                                        on_sight={on_sight} />
                            <DeferWhileHidden><OptionsPanel /></DeferWhileHidden>
                            <DiagnosticsPanel />
                            <ElementTree />
                        </aside>
                    }
                    <Diagram />
                    <FlowsPanel />
                </main>
            </div>
        </ContextProvider<DesignContext>>
        </ContextProvider<AppDispatch>>
        </ContextProvider<AppContext>>
    }
}

/// A task longer than this blocks input noticeably (the browser's long-task threshold).
const LONG_TASK_MS: f64 = 50.0;

/// With the analysis worker, once a change's answers are in: the toggles' flips evaluated one
/// per task ([`FlipCache`]), so that a click need not analyse, until two in a row take longer
/// than [`LONG_TASK_MS`], or one takes twice that (a large design: then a click analyses its
/// flip in its own task rather than every toggle costing the page a long task while idle).
/// Dropping the returned slot's content cancels what is left.
fn prepare_flips(
    flips: Rc<RefCell<FlipCache>>,
    design: Rc<Design>,
    rows: Rc<Vec<ToggleRow>>,
    sight: ToggleSight,
) -> Rc<RefCell<Option<browser::AfterPaint>>> {
    let slot = Rc::new(RefCell::new(None));
    prepare_step(slot.clone(), flips, design, rows, sight, false);
    slot
}

fn prepare_step(
    slot: Rc<RefCell<Option<browser::AfterPaint>>>,
    flips: Rc<RefCell<FlipCache>>,
    design: Rc<Design>,
    rows: Rc<Vec<ToggleRow>>,
    sight: ToggleSight,
    last_was_long: bool,
) {
    let next = slot.clone();
    let task = browser::next_task(move || {
        let started = browser::now();
        if !flips.borrow_mut().prepare_next(&design, &rows, &sight) {
            return;
        }
        let took = browser::now() - started;
        let long = took > LONG_TASK_MS;
        // Two in a row: a first flip can be slow only because its code has not been optimised,
        // not twice as slow.
        if long && (last_was_long || took > 2.0 * LONG_TASK_MS) {
            flips.borrow_mut().stop(&design);
        } else {
            prepare_step(next, flips, design, rows, sight, long);
        }
    });
    *slot.borrow_mut() = Some(task);
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

/// Files picked or dropped, each with the name it is imported under.
pub type NamedFiles = Vec<(String, gloo::file::File)>;

/// Imports picked or dropped files together (a design or template, optionally with its
/// parameters file, a Terraform configuration, or a lab file): the import module reads them.
pub fn import_files(app: &AppContext, files: NamedFiles) {
    if files.is_empty() {
        return;
    }
    let files: Vec<PickedFile> = files
        .into_iter()
        .map(|(name, file)| PickedFile::new(name, &file))
        .collect();
    app.dispatch(Action::Importing(picked_names(&files)));
    let dispatch = app.dispatcher();
    import_module::import(files, move |outcome| {
        // The first analysis in this task, the change and its render in the next: on a large
        // design each is about as long as the two were in one.
        let evaluation = outcome
            .design()
            .map(|design| Rc::new(Evaluation::unverified(design)));
        let outcome = Box::new(outcome);
        Timeout::new(0, move || {
            dispatch.dispatch(Action::Imported {
                outcome,
                evaluation,
            })
        })
        .forget();
    });
}

/// Imports a Terraform folder's files (picked or dropped) like [`import_files`], or says the
/// folder holds no configuration.
pub fn import_folder(app: &AppContext, files: NamedFiles) {
    if files.is_empty() {
        app.dispatch(Action::ShowError(NO_TERRAFORM_IN_FOLDER.to_string()));
    } else {
        import_files(app, files);
    }
}
