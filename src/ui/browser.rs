//! The browser side effects, kept out of the components: localStorage autosave (which a
//! sandboxed or cross-site iframe may not have), the URL (query, share fragment, page address),
//! the clipboard, moving focus, reading dropped or picked files, downloads, and running work
//! once a change has been painted.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use gloo::file::{Blob, File, ObjectUrl};
use gloo::timers::callback::Timeout;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};

use crate::model::Design;
use crate::view::autosave::{self, AutosaveStatus};
use crate::view::embed::{self, PageQuery};
use crate::view::import_report::terraform_folder_entry;
use crate::view::lab::session::{self, LabSession, Progress};

/// What the page's query string asks for (`?embed=1&flow=<id>`).
pub fn page_query() -> PageQuery {
    let search = gloo::utils::window()
        .location()
        .search()
        .unwrap_or_default();
    embed::parse_query(&search)
}

/// This page's address without query and fragment. Not `origin + pathname`: a sandboxed
/// iframe's origin is the string "null".
pub fn page_address() -> String {
    let href = gloo::utils::window().location().href().unwrap_or_default();
    href.split(['?', '#'])
        .next()
        .unwrap_or_default()
        .to_string()
}

/// The URL fragment, `#` included, if any.
pub fn fragment() -> Option<String> {
    gloo::utils::window()
        .location()
        .hash()
        .ok()
        .filter(|hash| !hash.is_empty())
}

/// The page's localStorage, or the browser's reason why there is none: reading
/// `window.localStorage` throws in a sandboxed iframe and wherever storage is blocked.
fn local_storage() -> Result<web_sys::Storage, String> {
    match gloo::utils::window().local_storage() {
        Ok(Some(storage)) => Ok(storage),
        Ok(None) => Err("the browser provides no localStorage".to_string()),
        Err(error) => Err(exception_text(&error)),
    }
}

/// The autosaved text, if any, and whether autosave can work on this page at all. An autosave
/// this build cannot open is first copied to [`autosave::ASIDE_KEY`]; when that copy fails,
/// autosave is paused so the text is not overwritten.
pub fn load_autosave() -> (Option<String>, AutosaveStatus) {
    let storage = match local_storage() {
        Ok(storage) => storage,
        Err(detail) => return (None, AutosaveStatus::Unavailable { detail }),
    };
    let text = storage.get_item(autosave::STORAGE_KEY).ok().flatten();
    let status = match &text {
        Some(text) if autosave::decode(text).is_err() => {
            match storage.set_item(autosave::ASIDE_KEY, text) {
                Ok(()) => AutosaveStatus::On,
                Err(error) => AutosaveStatus::Paused {
                    detail: exception_text(&error),
                },
            }
        }
        _ => AutosaveStatus::On,
    };
    (text, status)
}

/// The autosave kept aside because this build could not open it, if any.
pub fn aside_autosave() -> Option<String> {
    local_storage()
        .ok()?
        .get_item(autosave::ASIDE_KEY)
        .ok()
        .flatten()
}

/// Forgets the autosave kept aside; whether it worked.
pub fn discard_aside_autosave() -> bool {
    local_storage().is_ok_and(|storage| storage.remove_item(autosave::ASIDE_KEY).is_ok())
}

/// Removes the share link from the address bar (keeping the query), so a reload does not
/// ask about it again.
pub fn clear_fragment() -> bool {
    let window = gloo::utils::window();
    let search = window.location().search().unwrap_or_default();
    let address = format!("{}{search}", page_address());
    window.history().is_ok_and(|history| {
        history
            .replace_state_with_url(&JsValue::NULL, "", Some(&address))
            .is_ok()
    })
}

/// Saves `design`; the status says whether it worked (a full storage is a
/// `QuotaExceededError`).
pub fn save_autosave(design: &Design, scenario: &str) -> AutosaveStatus {
    store_autosave(autosave::encode_within_ceiling(design, scenario))
}

/// Stores an autosave text packed elsewhere (by the analysis worker), or reports its length
/// past the ceiling, as [`save_autosave`] does.
pub fn store_autosave(encoded: Result<String, usize>) -> AutosaveStatus {
    let storage = match local_storage() {
        Ok(storage) => storage,
        Err(detail) => return AutosaveStatus::Unavailable { detail },
    };
    let text = match encoded {
        Ok(text) => text,
        Err(chars) => return AutosaveStatus::TooLarge { chars },
    };
    match storage.set_item(autosave::STORAGE_KEY, &text) {
        Ok(()) => AutosaveStatus::On,
        Err(error) => {
            AutosaveStatus::save_failed(&property(&error, "name"), &property(&error, "message"))
        }
    }
}

/// Whether the page remembers "How to read this" as dismissed (never, without storage).
pub fn help_dismissed() -> bool {
    local_storage()
        .ok()
        .and_then(|storage| {
            storage
                .get_item(autosave::HELP_DISMISSED_KEY)
                .ok()
                .flatten()
        })
        .is_some_and(|value| value == "1")
}

/// Remembers whether "How to read this" is dismissed. Best effort: without storage (or with a
/// full one, which the autosave banner reports) the help shows again on the next visit.
pub fn remember_help_dismissed(dismissed: bool) {
    if let Ok(storage) = local_storage() {
        let _ = if dismissed {
            storage.set_item(autosave::HELP_DISMISSED_KEY, "1")
        } else {
            storage.remove_item(autosave::HELP_DISMISSED_KEY)
        };
    }
}

/// The lab in progress the page saved, if any.
pub fn load_lab() -> Option<String> {
    local_storage()
        .ok()
        .and_then(|storage| storage.get_item(session::STORAGE_KEY).ok().flatten())
}

/// Saves the lab in progress beside the autosave, or forgets it when there is none. Best
/// effort, like the autosave it goes with (whose banner reports a page without storage).
pub fn save_lab(lab: Option<&LabSession>) {
    if let Ok(storage) = local_storage() {
        let _ = match lab {
            Some(lab) => storage.set_item(session::STORAGE_KEY, &lab.encode()),
            None => storage.remove_item(session::STORAGE_KEY),
        };
    }
}

/// The progress saved for lab `id` ([`session::progress_key`]), if any.
pub fn load_lab_progress(id: &str) -> Option<Progress> {
    local_storage()
        .ok()
        .and_then(|storage| storage.get_item(&session::progress_key(id)).ok().flatten())
        .and_then(|text| serde_json::from_str(&text).ok())
}

/// Saves lab `id`'s progress (best effort, like the lab in progress).
pub fn save_lab_progress(id: &str, progress: &Progress) {
    if let (Ok(storage), Ok(text)) = (local_storage(), serde_json::to_string(progress)) {
        let _ = storage.set_item(&session::progress_key(id), &text);
    }
}

/// `name: message` of a thrown exception, or its text.
pub fn exception_text(error: &JsValue) -> String {
    let (name, message) = (property(error, "name"), property(error, "message"));
    match (name.is_empty(), message.is_empty()) {
        (false, false) => format!("{name}: {message}"),
        (true, true) => error
            .as_string()
            .unwrap_or_else(|| "unknown error".to_string()),
        _ => format!("{name}{message}"),
    }
}

fn property(value: &JsValue, key: &str) -> String {
    js_sys::Reflect::get(value, &JsValue::from_str(key))
        .ok()
        .and_then(|v| v.as_string())
        .unwrap_or_default()
}

/// Writes `text` to the clipboard with the Clipboard API, then calls `done(true)`; `done(false)`
/// when the page cannot (no Clipboard API outside a secure context, permission refused,
/// an iframe without `clipboard-write`), so the caller can select the text for Ctrl+C instead.
pub fn copy_text(text: String, done: impl FnOnce(bool) + 'static) {
    let navigator = gloo::utils::window().navigator();
    let has_api = js_sys::Reflect::get(&navigator, &JsValue::from_str("clipboard"))
        .is_ok_and(|clipboard| !clipboard.is_undefined() && !clipboard.is_null());
    if !has_api {
        done(false);
        return;
    }
    let promise = navigator.clipboard().write_text(&text);
    wasm_bindgen_futures::spawn_local(async move {
        done(wasm_bindgen_futures::JsFuture::from(promise).await.is_ok());
    });
}

/// Once the pending render is done, moves keyboard focus to the first element matching
/// `selector` (made focusable from script if it is not) and scrolls it into view.
pub fn focus_after_render(selector: &'static str) {
    focus_when_rendered(selector, true);
}

/// [`focus_after_render`] for an element already in view (at the top of the page), which
/// scrolling would push the header out of.
pub fn focus_in_place_after_render(selector: &'static str) {
    focus_when_rendered(selector, false);
}

fn focus_when_rendered(selector: &'static str, scroll: bool) {
    Timeout::new(0, move || {
        let element = gloo::utils::document()
            .query_selector(selector)
            .ok()
            .flatten()
            .and_then(|element| element.dyn_into::<web_sys::HtmlElement>().ok());
        if let Some(element) = element {
            if !element.has_attribute("tabindex") {
                // Only the skip link moves focus here; Tab order is unchanged.
                let _ = element.set_attribute("tabindex", "-1");
            }
            if scroll {
                element.scroll_into_view();
            }
            let _ = element.focus();
        }
    })
    .forget();
}

/// Offers the design as a JSON download named after it.
pub fn download_design(design: &Design) {
    download(
        &format!("{}.json", file_stem(&design.name)),
        "application/json",
        &crate::import::design_text(design),
    );
}

/// The files of a picker or drop, each with its name.
pub fn file_list(files: &web_sys::FileList) -> Vec<(String, File)> {
    (0..files.length())
        .filter_map(|i| files.get(i))
        .map(|file| (file.name(), File::from(file)))
        .collect()
}

/// The files of a folder picker worth reading for a Terraform import, each named by its path
/// inside the folder ([`terraform_folder_entry`]); nothing else is read.
pub fn terraform_folder(files: &web_sys::FileList) -> Vec<(String, File)> {
    (0..files.length())
        .filter_map(|i| files.get(i))
        .filter_map(|file| {
            let path = js_sys::Reflect::get(&file, &"webkitRelativePath".into())
                .ok()
                .and_then(|path| path.as_string())?;
            terraform_folder_entry(&path).map(|name| (name, File::from(file)))
        })
        .collect()
}

/// Offers `content` as a download named `file_name`.
pub fn download(file_name: &str, mime: &str, content: &str) {
    let url = ObjectUrl::from(Blob::new_with_options(content, Some(mime)));
    let document = gloo::utils::document();
    let Some(anchor) = document
        .create_element("a")
        .ok()
        .and_then(|element| element.dyn_into::<web_sys::HtmlAnchorElement>().ok())
    else {
        return;
    };
    anchor.set_href(&url);
    anchor.set_download(file_name);
    anchor.click();
    // Revoke the object URL once the browser has started the download.
    Timeout::new(10_000, move || drop(url)).forget();
}

/// `name` made safe for a file name.
pub fn file_stem(name: &str) -> String {
    let stem: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '-'
            }
        })
        .collect();
    if stem.trim_matches('-').is_empty() {
        "design".to_string()
    } else {
        stem
    }
}

/// Milliseconds since the page started (`performance.now()`), for sizing work per task.
pub fn now() -> f64 {
    gloo::utils::window()
        .performance()
        .map_or(0.0, |performance| performance.now())
}

/// Work scheduled by [`after_paint`] or [`next_task`]; dropping it cancels the work if it has
/// not run yet.
pub struct AfterPaint {
    cancelled: Rc<Cell<bool>>,
}

impl Drop for AfterPaint {
    fn drop(&mut self) {
        self.cancelled.set(true);
    }
}

/// Runs `work` once the current change is on screen: after the next frame has been painted
/// and the following one has started (two animation frames), in a task of its own so that it
/// delays no frame callback.
pub fn after_paint(work: impl FnOnce() + 'static) -> AfterPaint {
    let cancelled = Rc::new(Cell::new(false));
    let flag = cancelled.clone();
    run_after_paint(move || {
        if !flag.get() {
            work();
        }
    });
    AfterPaint { cancelled }
}

/// Frees `value` once the current change is on screen (as [`after_paint`]): what a change
/// replaces (the previous evaluation, the previous scene) is not freed in the task that has
/// to paint the change.
pub fn drop_after_paint<T: 'static>(value: T) {
    let first = RETIRED.with(|retired| {
        let mut retired = retired.borrow_mut();
        retired.push(Box::new(value));
        retired.len() == 1
    });
    if first {
        run_after_paint(|| drop(RETIRED.with(RefCell::take)));
    }
}

thread_local! {
    /// What [`drop_after_paint`] holds until the frame is painted: one frame callback frees
    /// everything a change replaced.
    static RETIRED: RefCell<Vec<Box<dyn std::any::Any>>> = const { RefCell::new(Vec::new()) };
}

fn run_after_paint(work: impl FnOnce() + 'static) {
    let run = move || Timeout::new(0, work).forget();
    let first = Closure::once_into_js(move || animation_frame(Closure::once_into_js(run)));
    animation_frame(first);
}

/// Runs `work` in a task of its own as soon as the event loop is free: the browser may paint
/// and handle input before it.
pub fn next_task(work: impl FnOnce() + 'static) -> AfterPaint {
    let cancelled = Rc::new(Cell::new(false));
    let flag = cancelled.clone();
    Timeout::new(0, move || {
        if !flag.get() {
            work();
        }
    })
    .forget();
    AfterPaint { cancelled }
}

fn animation_frame(callback: wasm_bindgen::JsValue) {
    let _ = gloo::utils::window().request_animation_frame(callback.unchecked_ref());
}
