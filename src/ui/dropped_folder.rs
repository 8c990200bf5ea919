//! A folder dropped on the page: its Terraform files read with their paths inside it (local
//! modules in subfolders included), as the folder picker gives them. The browser's entries API
//! (`webkitGetAsEntry`, `readEntries`, `file`) takes callbacks; each call is wrapped in a
//! promise and awaited. Hidden folders (`.terraform`, `.git`) are never walked.

use crate::model::sorting;
use gloo::file::File;
use js_sys::{Array, Function, Promise};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{DataTransfer, FileSystemDirectoryEntry, FileSystemEntry, FileSystemFileEntry};

use crate::view::import_report::terraform_folder_entry;

/// The first folder among the dropped items, if any (read while the drop event is handled).
pub fn dropped_folder(transfer: &DataTransfer) -> Option<FileSystemDirectoryEntry> {
    let items = transfer.items();
    (0..items.length())
        .filter_map(|index| items.get(index))
        .filter_map(|item| item.webkit_get_as_entry().ok().flatten())
        .find(FileSystemEntry::is_directory)
        .map(JsCast::unchecked_into)
}

/// The folder's Terraform files, each named by its path inside the folder.
pub async fn terraform_files(
    folder: FileSystemDirectoryEntry,
) -> Result<Vec<(String, File)>, String> {
    let mut files = Vec::new();
    let mut pending = vec![folder];
    while let Some(directory) = pending.pop() {
        for entry in children(&directory).await? {
            let path = entry.full_path();
            let relative = path.trim_start_matches('/');
            if entry.is_directory() {
                if !entry.name().starts_with('.') {
                    pending.push(entry.unchecked_into());
                }
            } else if let Some(name) = terraform_folder_entry(relative) {
                let file = file_of(entry.unchecked_ref()).await?;
                files.push((name, File::from(file)));
            }
        }
    }
    sorting::sort_by(&mut files, |a, b| a.0.cmp(&b.0));
    Ok(files)
}

/// Every entry of a directory (`readEntries` returns them in batches until an empty one).
async fn children(directory: &FileSystemDirectoryEntry) -> Result<Vec<FileSystemEntry>, String> {
    let reader = directory.create_reader();
    let mut entries = Vec::new();
    loop {
        let batch = awaited(|resolve, reject| {
            reader.read_entries_with_callback_and_callback(resolve, reject)
        })
        .await
        .map_err(|error| format!("could not read the folder {}: {error:?}", directory.name()))?;
        let batch: Array = batch.unchecked_into();
        if batch.length() == 0 {
            return Ok(entries);
        }
        entries.extend(batch.iter().map(JsCast::unchecked_into::<FileSystemEntry>));
    }
}

async fn file_of(entry: &FileSystemFileEntry) -> Result<web_sys::File, String> {
    let entry_name = entry.name();
    awaited(|resolve, reject| {
        entry.file_with_callback_and_callback(resolve, reject);
        Ok(())
    })
    .await
    .map(JsCast::unchecked_into)
    .map_err(|error| format!("could not read {entry_name}: {error:?}"))
}

/// Calls `start` with a promise's resolve and reject functions and awaits the promise.
async fn awaited(
    start: impl FnOnce(&Function, &Function) -> Result<(), JsValue>,
) -> Result<JsValue, JsValue> {
    let mut start = Some(start);
    let promise = Promise::new(&mut |resolve, reject| {
        if let Some(start) = start.take() {
            if let Err(error) = start(&resolve, &reject) {
                let _ = reject.call1(&JsValue::NULL, &error);
            }
        }
    });
    JsFuture::from(promise).await
}
