//! The browser side effects, kept out of the components: localStorage autosave, the URL
//! (embed flag, share fragment), reading dropped or picked files, downloads, and running work
//! once a change has been painted.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use gloo::file::callbacks::FileReader;
use gloo::file::{Blob, File, ObjectUrl};
use gloo::storage::{LocalStorage, Storage};
use gloo::timers::callback::Timeout;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;

use crate::model::Design;
use crate::view::import_report::InputFile;
use crate::view::{autosave, share};

/// Whether the page was opened with `?embed=1`.
pub fn is_embedded() -> bool {
    let search = gloo::utils::window()
        .location()
        .search()
        .unwrap_or_default();
    search
        .trim_start_matches('?')
        .split('&')
        .any(|pair| pair == "embed=1" || pair == "embed=true")
}

/// The URL fragment, `#` included, if any.
pub fn fragment() -> Option<String> {
    gloo::utils::window()
        .location()
        .hash()
        .ok()
        .filter(|hash| !hash.is_empty())
}

pub fn load_autosave() -> Option<String> {
    LocalStorage::raw()
        .get_item(autosave::STORAGE_KEY)
        .ok()
        .flatten()
}

pub fn save_autosave(design: &Design, scenario: &str) {
    let _ =
        LocalStorage::raw().set_item(autosave::STORAGE_KEY, &autosave::encode(design, scenario));
}

/// The share link of `design`: this page's address with the design in the fragment.
pub fn share_link(design: &Design) -> String {
    let location = gloo::utils::window().location();
    let origin = location.origin().unwrap_or_default();
    let path = location.pathname().unwrap_or_default();
    format!("{origin}{path}#{}", share::encode_fragment(design))
}

/// Reads `file` as text and hands `(text, name)` to `done`; keep the reader until it finishes.
pub fn read_file(
    file: File,
    done: impl FnOnce(Result<String, String>, String) + 'static,
) -> FileReader {
    let name = file.name();
    gloo::file::callbacks::read_as_text(&file, move |result| {
        done(result.map_err(|error| error.to_string()), name)
    })
}

/// The files of a picker or drop.
pub fn file_list(files: &web_sys::FileList) -> Vec<File> {
    (0..files.length())
        .filter_map(|i| files.get(i))
        .map(File::from)
        .collect()
}

/// Reads every file as text and hands them to `done` together (or the first error) once all
/// have been read; keep the readers until they finish.
pub fn read_files(
    files: Vec<File>,
    done: impl FnOnce(Result<Vec<InputFile>, String>) + 'static,
) -> Vec<FileReader> {
    let count = files.len();
    type Slots = Rc<RefCell<Vec<Option<Result<InputFile, String>>>>>;
    let results: Slots = Rc::new(RefCell::new(vec![None; count]));
    let done = Rc::new(RefCell::new(Some(done)));
    files
        .into_iter()
        .enumerate()
        .map(|(index, file)| {
            let (results, done) = (results.clone(), done.clone());
            read_file(file, move |result, name| {
                let read = result
                    .map(|text| InputFile {
                        name: name.clone(),
                        text,
                    })
                    .map_err(|error| format!("could not read {name}: {error}"));
                results.borrow_mut()[index] = Some(read);
                if results.borrow().iter().all(Option::is_some) {
                    let all: Result<Vec<InputFile>, String> =
                        results.borrow_mut().drain(..).flatten().collect();
                    if let Some(done) = done.borrow_mut().take() {
                        done(all);
                    }
                }
            })
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

/// Work scheduled by [`after_paint`]; dropping it cancels the work if it has not run yet.
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
    let run = move || {
        Timeout::new(0, move || {
            if !flag.get() {
                work();
            }
        })
        .forget();
    };
    let first = Closure::once_into_js(move || animation_frame(Closure::once_into_js(run)));
    animation_frame(first);
    AfterPaint { cancelled }
}

fn animation_frame(callback: wasm_bindgen::JsValue) {
    let _ = gloo::utils::window().request_animation_frame(callback.unchecked_ref());
}
