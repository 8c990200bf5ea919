//! The analysis worker: the same wasm module, started in a module Web Worker by
//! `static/worker.js`, runs what a change leaves for after its repaint (the autosave's packing,
//! fix verification, toggle badges; [`crate::view::background`]) so that it never blocks the
//! page; the page only stores the autosave text it sends back. Plumbing by `gloo-worker`; a job
//! crosses as JavaScript values (its design's parts as bytes, [`super::design_transit`]), an
//! answer as JSON text ([`super::worker_codec`]).
//!
//! The page falls back to computing on its own thread ([`Mode::Page`]) when it cannot start a
//! worker (an opaque origin: a sandboxed iframe; no loader script: the browser tests) or the
//! worker does not answer its first job within [`FIRST_ANSWER_MS`].

use std::cell::{Cell, RefCell};
use std::collections::BTreeSet;
use std::rc::Rc;

use gloo::timers::callback::Timeout;
use gloo_worker::{HandlerId, Registrable, Spawnable, Worker, WorkerBridge, WorkerScope};
use wasm_bindgen::JsCast;

use super::design_transit::PartsInTransit;
use super::worker_codec::JsValues;

use crate::model::Design;
use crate::view::background::{Answer, Job, Runner};
use crate::view::design_text::DesignText;

/// How long answers are gathered before the page takes them in one change (one re-render
/// for many answers).
const GATHER_MS: u32 = 100;

/// How long the worker may take to load and answer its first job before the page computes
/// on its own thread instead.
const FIRST_ANSWER_MS: u32 = 10_000;

/// Where a change's after-repaint work runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Worker,
    Page,
}

impl Mode {
    pub fn as_str(self) -> &'static str {
        match self {
            Mode::Worker => "worker",
            Mode::Page => "page",
        }
    }
}

/// The worker side: the job in progress, one step per task.
pub struct AnalysisWorker {
    runner: Option<(HandlerId, Runner)>,
    step_scheduled: bool,
}

/// Asks for the next step.
pub struct Step;

impl Worker for AnalysisWorker {
    type Message = Step;
    /// The job, its design's parts as they cross.
    type Input = Job<PartsInTransit>;
    /// The [`Answer`] as JSON text.
    type Output = String;

    fn create(_scope: &WorkerScope<Self>) -> Self {
        AnalysisWorker {
            runner: None,
            step_scheduled: false,
        }
    }

    fn update(&mut self, scope: &WorkerScope<Self>, _step: Step) {
        self.step_scheduled = false;
        let Some((client, runner)) = &mut self.runner else {
            return;
        };
        match runner.step() {
            Some(answer) => {
                let text = serde_json::to_string(&answer).expect("answers serialize to JSON");
                scope.respond(*client, text);
                self.schedule_step(scope);
            }
            None => self.runner = None,
        }
    }

    fn received(&mut self, scope: &WorkerScope<Self>, job: Job<PartsInTransit>, client: HandlerId) {
        let job = job.map_design(|parts| {
            parts
                .read_all()
                .expect("a job's design is the parts the page wrote")
        });
        self.runner = Some((client, Runner::new(job)));
        self.schedule_step(scope);
    }
}

impl AnalysisWorker {
    /// The next step runs in its own task, after any job that arrived meanwhile replaced
    /// this one.
    fn schedule_step(&mut self, scope: &WorkerScope<Self>) {
        if !self.step_scheduled {
            self.step_scheduled = true;
            let scope = scope.clone();
            Timeout::new(0, move || scope.send_message(Step)).forget();
        }
    }
}

/// Whether this wasm instance runs in a worker (started by `static/worker.js`).
pub fn in_worker() -> bool {
    js_sys::global()
        .dyn_into::<web_sys::DedicatedWorkerGlobalScope>()
        .is_ok()
}

/// Serves jobs: the worker's entry point.
pub fn serve() {
    AnalysisWorker::registrar()
        .encoding::<JsValues>()
        .register();
}

/// The latest job's id and design, shared with the bridge's callback.
type LatestJob = Rc<RefCell<Option<(u64, Rc<Design>)>>>;

/// Answers of the latest job gathered for the next hand-over, and whether one is scheduled.
#[derive(Default)]
struct Gathered {
    answers: Vec<Answer>,
    flush: Option<Timeout>,
}

/// The page side: sends one job per design and hands the latest one's answers to
/// `on_answers` with the design they belong to, gathered for up to [`GATHER_MS`].
pub struct Background {
    bridge: WorkerBridge<AnalysisWorker>,
    latest: LatestJob,
    answered: Rc<Cell<bool>>,
    next_id: Cell<u64>,
    /// The toggles whose badges the latest job asked for.
    requested: RefCell<BTreeSet<String>>,
    watchdog: RefCell<Option<Timeout>>,
}

impl Background {
    /// Starts the worker; `None` when this page cannot (see the module docs). The latest
    /// job's autosave text goes to `on_autosave` as soon as it comes.
    pub fn start(
        on_answers: impl Fn(Rc<Design>, Vec<Answer>) + 'static,
        on_autosave: impl Fn(Result<String, usize>) + 'static,
    ) -> Option<Background> {
        let url = worker_url()?;
        let latest = LatestJob::default();
        let answered = Rc::new(Cell::new(false));
        let gathered = Rc::new(RefCell::new(Gathered::default()));
        let on_answers = Rc::new(on_answers);
        let bridge = {
            let latest = latest.clone();
            let answered = answered.clone();
            AnalysisWorker::spawner()
                .encoding::<JsValues>()
                .with_loader(true)
                .as_module(true)
                .callback(move |text: String| {
                    answered.set(true);
                    let answer: Answer = serde_json::from_str(&text)
                        .expect("the worker's answers are the JSON it wrote");
                    let current = matches!(&*latest.borrow(), Some((id, _)) if *id == answer.job());
                    if !current {
                        return;
                    }
                    let answer = match answer {
                        Answer::Autosave { text, .. } => return on_autosave(text),
                        answer => answer,
                    };
                    let mut gathering = gathered.borrow_mut();
                    gathering.answers.push(answer);
                    if gathering.flush.is_none() {
                        let (gathered, latest, on_answers) =
                            (gathered.clone(), latest.clone(), on_answers.clone());
                        gathering.flush = Some(Timeout::new(GATHER_MS, move || {
                            let answers = {
                                let mut gathering = gathered.borrow_mut();
                                gathering.flush = None;
                                std::mem::take(&mut gathering.answers)
                            };
                            let latest = latest.borrow().clone();
                            if let Some((id, design)) = latest {
                                let answers: Vec<Answer> =
                                    answers.into_iter().filter(|a| a.job() == id).collect();
                                if !answers.is_empty() {
                                    on_answers(design, answers);
                                }
                            }
                        }));
                    }
                })
                .spawn(&url)
        };
        Some(Background {
            bridge,
            latest,
            answered,
            next_id: Cell::new(0),
            requested: RefCell::default(),
            watchdog: RefCell::new(None),
        })
    }

    /// Whether `design` is the design of the latest job.
    pub fn working_on(&self, design: &Rc<Design>) -> bool {
        matches!(&*self.latest.borrow(), Some((_, latest)) if Rc::ptr_eq(latest, design))
    }

    /// Whether getting the badges of `toggles` for `design` needs a job: the latest job is for
    /// another design, or did not ask for some of them (they came into sight after it was
    /// sent, or were out of sight when a job replaced the one that asked).
    pub fn needs_job(&self, design: &Rc<Design>, toggles: &[String]) -> bool {
        !self.working_on(design) || {
            let requested = self.requested.borrow();
            toggles.iter().any(|toggle| !requested.contains(toggle))
        }
    }

    /// Sends the job of `design` (as its text when it has one), replacing the previous one;
    /// `autosave` names the scenario to pack it under for storage. Until the worker has
    /// answered once, `on_silence` runs if it stays silent for [`FIRST_ANSWER_MS`].
    pub fn send(
        &self,
        design: DesignText,
        verify_fixes: bool,
        toggles: Vec<String>,
        autosave: Option<String>,
        on_silence: impl FnOnce() + 'static,
    ) {
        let id = self.next_id.get() + 1;
        self.next_id.set(id);
        // The job replaces the previous one, whose badges not yet answered are lost with it.
        *self.requested.borrow_mut() = toggles.iter().cloned().collect();
        *self.latest.borrow_mut() = Some((id, design.design.clone()));
        self.bridge.send(Job {
            id,
            design: PartsInTransit::of(&design.written()),
            verify_fixes,
            toggles,
            autosave,
        });
        if !self.answered.get() {
            let answered = self.answered.clone();
            let watchdog = Timeout::new(FIRST_ANSWER_MS, move || {
                if !answered.get() {
                    on_silence();
                }
            });
            *self.watchdog.borrow_mut() = Some(watchdog);
        }
    }
}

/// `worker.js` next to the page, told where the wasm-bindgen glue and the wasm module are (the
/// names `boot.js` loaded, read from its script element); `None` on an opaque origin, where a
/// worker script cannot be same-origin, or without that script element.
fn worker_url() -> Option<String> {
    let window = gloo::utils::window();
    if window.origin() == "null" {
        return None;
    }
    let document = gloo::utils::document();
    let boot = document.query_selector("script[data-vnetlab-js]").ok()??;
    let base = document.base_uri().ok()??;
    let absolute = |relative: String| {
        web_sys::Url::new_with_base(&relative, &base)
            .ok()
            .map(|url| url.href())
    };
    let glue = absolute(boot.get_attribute("data-vnetlab-js")?)?;
    let wasm = absolute(boot.get_attribute("data-vnetlab-wasm")?)?;
    let url = web_sys::Url::new_with_base("worker.js", &base).ok()?;
    url.search_params().set("glue", &glue);
    url.search_params().set("wasm", &wasm);
    Some(url.href())
}
