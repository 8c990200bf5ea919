//! A design's parts crossing between threads: from the import module to the page, read there a
//! few parts per task, and from the page to the analysis worker, read there in one go. The
//! parts' elements cross as UTF-8 bytes in one array, which the message copies in one go (11 MB
//! of strings took the page's thread about 45 ms to receive and decode, 36 MB about 80 ms to
//! send), and each part's bytes are copied into wasm memory only when that part is read.

use gloo::timers::callback::Timeout;
use js_sys::Uint8Array;
use serde::{Deserialize, Serialize};

use super::browser;
use crate::view::design_text::{DesignParts, DesignText, Part, PartsReader};

/// How long each task reading an imported design's parts runs, at most (one part past it).
const READ_TASK_MS: f64 = 25.0;

/// A design's parts as they cross: the head, each part's list and byte length, and every
/// part's elements one after the other.
#[derive(Serialize, Deserialize)]
pub struct PartsInTransit {
    head: String,
    parts: Vec<(String, u32)>,
    #[serde(with = "serde_wasm_bindgen::preserve")]
    elements: Uint8Array,
}

impl PartsInTransit {
    /// `parts` as they are sent.
    pub fn of(parts: &DesignParts) -> Self {
        let total: usize = parts.parts.iter().map(|part| part.elements.len()).sum();
        let elements = Uint8Array::new_with_length(total as u32);
        let mut offset = 0;
        let parts_sent = parts
            .parts
            .iter()
            .map(|part| {
                let length = part.elements.len() as u32;
                elements
                    .subarray(offset, offset + length)
                    .copy_from(part.elements.as_bytes());
                offset += length;
                (part.list.clone(), length)
            })
            .collect();
        PartsInTransit {
            head: parts.head.clone(),
            parts: parts_sent,
            elements,
        }
    }

    /// Reads the design, from the next task on, [`READ_TASK_MS`] per task, and hands it with
    /// its parts to `read` (or why it could not be read).
    pub fn read_in_tasks(self, read: impl FnOnce(Result<DesignText, String>) + 'static) {
        match self.arriving() {
            Ok(arriving) => arriving.read_on(Box::new(read)),
            Err(error) => read(Err(error)),
        }
    }

    /// Reads the design in one go (in the analysis worker, where nothing waits on it).
    pub fn read_all(self) -> Result<DesignText, String> {
        let mut arriving = self.arriving()?;
        while arriving.read_next()? {}
        Ok(arriving.reader.finish())
    }

    fn arriving(self) -> Result<Arriving, String> {
        Ok(Arriving {
            reader: PartsReader::new(self.head).map_err(|error| error.to_string())?,
            parts: self.parts.into_iter(),
            elements: self.elements,
            offset: 0,
        })
    }
}

type Read = Box<dyn FnOnce(Result<DesignText, String>)>;

/// A design being read: the parts not read yet and where their bytes start.
struct Arriving {
    reader: PartsReader,
    parts: std::vec::IntoIter<(String, u32)>,
    elements: Uint8Array,
    offset: u32,
}

impl Arriving {
    fn read_on(mut self, read: Read) {
        Timeout::new(0, move || {
            let started = browser::now();
            loop {
                match self.read_next() {
                    Err(error) => return read(Err(error)),
                    Ok(false) => return read(Ok(self.reader.finish())),
                    Ok(true) if browser::now() - started >= READ_TASK_MS => {
                        return self.read_on(read)
                    }
                    Ok(true) => {}
                }
            }
        })
        .forget();
    }

    /// Reads the next part; whether there was one.
    fn read_next(&mut self) -> Result<bool, String> {
        let Some((list, length)) = self.parts.next() else {
            return Ok(false);
        };
        let end = self.offset + length;
        let bytes = self.elements.subarray(self.offset, end).to_vec();
        self.offset = end;
        let elements = String::from_utf8(bytes).map_err(|error| error.to_string())?;
        self.reader
            .read(Part { list, elements })
            .map_err(|error| error.to_string())?;
        Ok(true)
    }
}
