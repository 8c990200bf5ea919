//! The import module: the importers (ARM template evaluation, Azure resource conversion,
//! Terraform) are a wasm module of their own (`src/bin/vnetlab-import.rs`), which the page
//! starts in a module Web Worker when files are first about to be imported (a picker opened,
//! files dragged over the page) or imported, so they are not part of the page's first load.
//! The page hands the module the browser's `File` objects, which it reads itself: a large
//! file's text is never copied into the page's memory nor escaped into a message. Plumbing by
//! `gloo-worker`; the job and the answer cross as JavaScript values (the files as themselves,
//! the design in parts as bytes, which the page reads a few parts per task:
//! [`super::design_transit`]). One import at a time, a newer one replacing the answer the page
//! waits for.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use gloo::timers::callback::Timeout;
use gloo_worker::{HandlerId, Registrable, Spawnable, Worker, WorkerBridge, WorkerScope};
use serde::{Deserialize, Serialize};

use super::browser::exception_text;
use super::design_transit::PartsInTransit;
use super::worker_codec::JsValues;
use crate::view::import_report::{import_outcome, ImportOutcome, ImportReport, InputFile};
use crate::view::scenarios::presets;

/// How long the module may take to load and answer before the page gives up on that import
/// (an import's own evaluation is bounded by the evaluation budget well before this).
const ANSWER_MS: u32 = 60_000;

/// The loader trunk writes for the module (`index.html`, `data-loader-shim`).
const LOADER: &str = "vnetlab-import_loader.js";

/// A picked or dropped file: the name it is imported under and the browser's `File`, which
/// crosses to the module as itself (structured clone shares its data).
#[derive(Serialize, Deserialize)]
pub struct PickedFile {
    name: String,
    #[serde(with = "serde_wasm_bindgen::preserve")]
    file: web_sys::File,
}

impl PickedFile {
    pub fn new(name: String, file: &gloo::file::File) -> Self {
        let file: &web_sys::File = file.as_ref();
        PickedFile {
            name,
            file: file.clone(),
        }
    }
}

/// Files to import, numbered so that a stale answer is recognised.
#[derive(Serialize, Deserialize)]
pub struct ImportJob {
    id: u64,
    files: Vec<PickedFile>,
}

/// How long the module rehearses imports after it starts ([`warm_up`]).
const WARM_UP_MS: f64 = 300.0;

/// The worker side: reads and imports each job's files.
pub struct ImportWorker {
    /// Set when the first job arrives: the rehearsal stops.
    job_arrived: Rc<Cell<bool>>,
}

impl Worker for ImportWorker {
    type Message = ();
    type Input = ImportJob;
    /// The job's id and its outcome, the design in parts.
    type Output = (u64, ImportOutcome<PartsInTransit>);

    fn create(_scope: &WorkerScope<Self>) -> Self {
        let job_arrived = Rc::new(Cell::new(false));
        warm_up(js_sys::Date::now(), 0, job_arrived.clone());
        ImportWorker { job_arrived }
    }

    fn update(&mut self, _scope: &WorkerScope<Self>, _message: ()) {}

    fn received(&mut self, scope: &WorkerScope<Self>, job: ImportJob, client: HandlerId) {
        self.job_arrived.set(true);
        let outcome = match read_all(&job.files) {
            Ok(files) => import_outcome(&files),
            Err(error) => failure(picked_names(&job.files), error),
        };
        let outcome = outcome
            .written()
            .map_design(|parts| PartsInTransit::of(&parts));
        scope.respond(client, (job.id, outcome));
    }
}

/// Rehearses the import of the built-in designs, one per task, from the module's start until
/// [`WARM_UP_MS`] have passed or the first job arrives. The module starts when a picker opens
/// or files are dragged over the page, so the user is choosing meanwhile. V8 runs a wasm
/// function in baseline code until it has run enough to be compiled optimised; without the
/// rehearsal, the user's file (parsed, checked and written back once) ran in baseline code: a
/// 3.7 MB design's import was shown about 80 ms later, an 11 MB one up to 230 ms later.
fn warm_up(started: f64, next: usize, job_arrived: Rc<Cell<bool>>) {
    Timeout::new(0, move || {
        if job_arrived.get() || js_sys::Date::now() - started > WARM_UP_MS {
            return;
        }
        let presets = presets();
        let preset = &presets[next % presets.len()];
        let files = [InputFile {
            name: format!("{}.json", preset.id),
            text: preset.json.to_string(),
        }];
        // Only running it matters: the rehearsal's answer is dropped.
        let _ = import_outcome(&files).written();
        warm_up(started, next + 1, job_arrived);
    })
    .forget();
}

/// Every file's text (in the worker, where reading may block), or the first that could not
/// be read.
fn read_all(files: &[PickedFile]) -> Result<Vec<InputFile>, String> {
    let reader = web_sys::FileReaderSync::new()
        .map_err(|error| format!("files cannot be read here: {}", exception_text(&error)))?;
    files
        .iter()
        .map(|picked| {
            reader
                .read_as_text(&picked.file)
                .map(|text| InputFile {
                    name: picked.name.clone(),
                    text,
                })
                .map_err(|error| {
                    format!("could not read {}: {}", picked.name, exception_text(&error))
                })
        })
        .collect()
}

/// The files' names as the "Importing …" status and a failed import's report list them.
pub fn picked_names(files: &[PickedFile]) -> String {
    let names: Vec<&str> = files.iter().map(|f| f.name.as_str()).collect();
    names.join(", ")
}

/// Serves imports: the import module's entry point.
pub fn serve() {
    ImportWorker::registrar().encoding::<JsValues>().register();
}

/// The answer the page waits for: the job's id and what to do with its outcome.
type Waiting = Rc<RefCell<Option<Awaited>>>;

/// An import sent to the module: its id, its files' names and what to do with its outcome.
struct Awaited {
    id: u64,
    source: String,
    done: Box<dyn FnOnce(ImportOutcome)>,
}

impl Awaited {
    /// Takes the import waiting in `slot` if it is job `id` (a newer import replaced any other).
    fn take(slot: &Waiting, id: u64) -> Option<Awaited> {
        slot.borrow_mut().take_if(|awaited| awaited.id == id)
    }
}

/// The page side: the module, started when first needed.
struct Importer {
    bridge: WorkerBridge<ImportWorker>,
    waiting: Waiting,
    /// The newest job's id.
    next_id: Rc<Cell<u64>>,
    watchdog: RefCell<Option<Timeout>>,
}

thread_local! {
    static IMPORTER: RefCell<Option<Rc<Importer>>> = const { RefCell::new(None) };
}

/// Starts the import module if it is not running (a picker opened, files dragged over the
/// page), so that it has loaded by the time the files are read.
pub fn start() {
    importer();
}

/// Imports `files` in the import module and hands the outcome to `done` (a failure outcome
/// when the module cannot start or does not answer in time).
pub fn import(files: Vec<PickedFile>, done: impl FnOnce(ImportOutcome) + 'static) {
    let source = picked_names(&files);
    let Some(importer) = importer() else {
        done(failure(
            source,
            "the import module cannot start on this page (it needs a Web Worker from the page's own site)".to_string(),
        ));
        return;
    };
    let id = importer.next_id.get() + 1;
    importer.next_id.set(id);
    *importer.waiting.borrow_mut() = Some(Awaited {
        id,
        source,
        done: Box::new(done),
    });
    importer.bridge.send(ImportJob { id, files });
    let waiting = importer.waiting.clone();
    let watchdog = Timeout::new(ANSWER_MS, move || {
        if let Some(Awaited { source, done, .. }) = Awaited::take(&waiting, id) {
            let error = format!(
                "the import module did not answer within {} s",
                ANSWER_MS / 1000
            );
            done(failure(source, error));
        }
    });
    *importer.watchdog.borrow_mut() = Some(watchdog);
}

/// Reads the module's answer: the design a few parts per task
/// ([`PartsInTransit::read_in_tasks`]), then hands the outcome to `done` in a task of its own
/// (the first analysis) — unless a newer import was sent meanwhile (`latest`, the newest job's
/// id), whose outcome replaces it.
fn take_answer(
    Awaited { id, source, done }: Awaited,
    answer: ImportOutcome<PartsInTransit>,
    latest: Rc<Cell<u64>>,
) {
    let (parts, report) = match answer {
        ImportOutcome::Imported { design, report } => (design, report),
        ImportOutcome::Failed(report) => return done(ImportOutcome::Failed(report)),
        ImportOutcome::Lab(file) => return done(ImportOutcome::Lab(file)),
    };
    parts.read_in_tasks(move |read| {
        let outcome = match read {
            Ok(design) => ImportOutcome::Imported { design, report },
            Err(error) => failure(
                source,
                format!("the import module's answer could not be read: {error}"),
            ),
        };
        if latest.get() == id {
            Timeout::new(0, move || done(outcome)).forget();
        }
    });
}

/// The outcome of an import that never reached the module, for the files named `source`.
fn failure(source: String, error: String) -> ImportOutcome {
    ImportOutcome::Failed(ImportReport {
        source,
        error: Some(error),
        ..ImportReport::default()
    })
}

/// The running module, started on first use; `None` on an opaque origin (a sandboxed
/// iframe), where a worker script cannot be same-origin.
fn importer() -> Option<Rc<Importer>> {
    IMPORTER.with(|slot| {
        if let Some(running) = slot.borrow().as_ref() {
            return Some(running.clone());
        }
        let url = loader_url()?;
        let waiting = Waiting::default();
        let next_id = Rc::new(Cell::new(0));
        let bridge = {
            let (waiting, latest) = (waiting.clone(), next_id.clone());
            ImportWorker::spawner()
                .encoding::<JsValues>()
                .with_loader(true)
                .as_module(true)
                .callback(move |(id, answer): (u64, ImportOutcome<PartsInTransit>)| {
                    if let Some(awaited) = Awaited::take(&waiting, id) {
                        take_answer(awaited, answer, latest.clone());
                    }
                })
                .spawn(&url)
        };
        let started = Rc::new(Importer {
            bridge,
            waiting,
            next_id,
            watchdog: RefCell::new(None),
        });
        *slot.borrow_mut() = Some(started.clone());
        Some(started)
    })
}

/// The module's loader next to the page.
fn loader_url() -> Option<String> {
    let window = gloo::utils::window();
    if window.origin() == "null" {
        return None;
    }
    let base = gloo::utils::document().base_uri().ok()??;
    web_sys::Url::new_with_base(LOADER, &base)
        .ok()
        .map(|url| url.href())
}
