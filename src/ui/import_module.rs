//! The import module: the importers (ARM template evaluation, Azure resource conversion,
//! Terraform) are a wasm module of their own (`src/bin/vnetlab-import.rs`), which the page
//! starts in a module Web Worker when files are first about to be imported (a picker opened,
//! files dragged over the page) or imported, so they are not part of the page's first load.
//! Plumbing by `gloo-worker`, messages as JSON; one import at a time, a newer one replacing
//! the answer the page waits for.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use gloo::timers::callback::Timeout;
use gloo_worker::{HandlerId, Registrable, Spawnable, Worker, WorkerBridge, WorkerScope};
use serde::{Deserialize, Serialize};

use super::worker_codec::Json;
use crate::view::import_report::{
    file_names, import_outcome, ImportOutcome, ImportReport, InputFile,
};

/// How long the module may take to load and answer before the page gives up on that import
/// (an import's own evaluation is bounded by the evaluation budget well before this).
const ANSWER_MS: u32 = 60_000;

/// The loader trunk writes for the module (`index.html`, `data-loader-shim`).
const LOADER: &str = "vnetlab-import_loader.js";

/// Files to import, numbered so that a stale answer is recognised.
#[derive(Serialize, Deserialize)]
pub struct ImportJob {
    id: u64,
    files: Vec<InputFile>,
}

/// The worker side: imports each job's files.
pub struct ImportWorker;

impl Worker for ImportWorker {
    type Message = ();
    type Input = ImportJob;
    type Output = (u64, ImportOutcome);

    fn create(_scope: &WorkerScope<Self>) -> Self {
        ImportWorker
    }

    fn update(&mut self, _scope: &WorkerScope<Self>, _message: ()) {}

    fn received(&mut self, scope: &WorkerScope<Self>, job: ImportJob, client: HandlerId) {
        scope.respond(client, (job.id, import_outcome(&job.files)));
    }
}

/// Serves imports: the import module's entry point.
pub fn serve() {
    ImportWorker::registrar().encoding::<Json>().register();
}

/// The answer the page waits for: the job's id and what to do with its outcome.
type Waiting = Rc<RefCell<Option<(u64, Box<dyn FnOnce(ImportOutcome)>)>>>;

/// The page side: the module, started when first needed.
struct Importer {
    bridge: WorkerBridge<ImportWorker>,
    waiting: Waiting,
    next_id: Cell<u64>,
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
pub fn import(files: Vec<InputFile>, done: impl FnOnce(ImportOutcome) + 'static) {
    let source = file_names(&files);
    let Some(importer) = importer() else {
        done(failure(
            source,
            "the import module cannot start on this page (it needs a Web Worker from the page's own site)".to_string(),
        ));
        return;
    };
    let id = importer.next_id.get() + 1;
    importer.next_id.set(id);
    *importer.waiting.borrow_mut() = Some((id, Box::new(done)));
    importer.bridge.send(ImportJob { id, files });
    let waiting = importer.waiting.clone();
    let watchdog = Timeout::new(ANSWER_MS, move || {
        let stale = waiting.borrow_mut().take_if(|(waited, _)| *waited == id);
        if let Some((_, done)) = stale {
            let error = format!(
                "the import module did not answer within {} s",
                ANSWER_MS / 1000
            );
            done(failure(source, error));
        }
    });
    *importer.watchdog.borrow_mut() = Some(watchdog);
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
        let bridge = {
            let waiting = waiting.clone();
            ImportWorker::spawner()
                .encoding::<Json>()
                .with_loader(true)
                .as_module(true)
                .callback(move |(id, outcome): (u64, ImportOutcome)| {
                    let answered = waiting.borrow_mut().take_if(|(waited, _)| *waited == id);
                    if let Some((_, done)) = answered {
                        // Decoding the answer (the whole design) took this task: the import's
                        // first analysis and render get one of their own.
                        Timeout::new(0, move || done(outcome)).forget();
                    }
                })
                .spawn(&url)
        };
        let started = Rc::new(Importer {
            bridge,
            waiting,
            next_id: Cell::new(0),
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
