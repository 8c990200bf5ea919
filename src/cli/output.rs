//! Standard output and standard error for the CLI, written so that neither can change the exit
//! code: a closed stdout (`vnetlab … | head -1`) stops further output but the command still
//! finishes and exits with the code its result earns; a failing stderr is ignored. Text lines
//! escape control characters, so a name holding CR or ESC cannot forge a line in a terminal.

use std::borrow::Cow;
use std::fmt::Write as _;
use std::fs;
use std::io::{ErrorKind, Write};
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};

use crate::model::is_control_character;

/// Set once stdout is closed: later output is dropped.
static STDOUT_CLOSED: AtomicBool = AtomicBool::new(false);
/// Set when writing stdout failed for another reason (disk full…): the report is incomplete.
static STDOUT_FAILED: AtomicBool = AtomicBool::new(false);

/// One text line on stdout, control characters escaped; see [`line`].
macro_rules! say {
    ($($arg:tt)*) => {
        $crate::cli::output::line(&format!($($arg)*))
    };
}

/// Writes one line of text output with its control characters escaped.
pub(crate) fn line(text: &str) {
    let mut escaped = escape_controls(text).into_owned();
    escaped.push('\n');
    write_stdout(&escaped);
}

/// Writes a machine-readable document (JSON, SARIF, JUnit XML) as it is: its own syntax
/// escapes what it holds.
pub(crate) fn document(text: &str) {
    write_stdout(text);
    if !text.ends_with('\n') {
        write_stdout("\n");
    }
}

/// Writes a message to stderr, control characters escaped, ignoring a closed stderr.
pub(crate) fn complain(text: &str) {
    let mut escaped = escape_controls(text).into_owned();
    escaped.push('\n');
    let _ = std::io::stderr().lock().write_all(escaped.as_bytes());
}

/// Whether some output could not be written for a reason other than a closed pipe.
pub(crate) fn output_failed() -> bool {
    STDOUT_FAILED.load(Ordering::Relaxed)
}

fn write_stdout(text: &str) {
    if STDOUT_CLOSED.load(Ordering::Relaxed) {
        return;
    }
    let mut stdout = std::io::stdout().lock();
    if let Err(error) = stdout
        .write_all(text.as_bytes())
        .and_then(|()| stdout.flush())
    {
        STDOUT_CLOSED.store(true, Ordering::Relaxed);
        if error.kind() != ErrorKind::BrokenPipe {
            STDOUT_FAILED.store(true, Ordering::Relaxed);
            complain(&format!("vnetlab: cannot write the output: {error}"));
        }
    }
}

/// `text` with every control character ([`is_control_character`]: C0, DEL, C1, bidirectional
/// overrides) written as an escape: `\r`, `\n`, `\t`, `\x1b`, `\u{202e}`. Printable text is
/// returned unchanged without copying.
pub fn escape_controls(text: &str) -> Cow<'_, str> {
    if !text.chars().any(is_control_character) {
        return Cow::Borrowed(text);
    }
    let mut escaped = String::with_capacity(text.len() + 8);
    for character in text.chars() {
        match character {
            '\n' => escaped.push_str("\\n"),
            '\r' => escaped.push_str("\\r"),
            '\t' => escaped.push_str("\\t"),
            c if c.is_ascii_control() => {
                let _ = write!(escaped, "\\x{:02x}", c as u32);
            }
            c if is_control_character(c) => {
                let _ = write!(escaped, "\\u{{{:x}}}", c as u32);
            }
            c => escaped.push(c),
        }
    }
    Cow::Owned(escaped)
}

/// Writes `contents` to `path` atomically: into a temporary file in the same directory, then
/// renamed over `path`, so a reader (or a crash) sees the old file or the new one, never half
/// of one. The temporary file is removed when anything fails.
pub(crate) fn write_file_atomically(path: &str, contents: &str) -> Result<(), String> {
    let target = Path::new(path);
    let directory = match target.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    };
    let file_name = target
        .file_name()
        .ok_or_else(|| format!("{path}: not a file name"))?
        .to_string_lossy();
    let temporary = directory.join(format!(".{file_name}.vnetlab-{}.tmp", std::process::id()));
    let written = fs::File::create(&temporary)
        .and_then(|mut file| {
            file.write_all(contents.as_bytes())?;
            file.sync_all()
        })
        .and_then(|()| fs::rename(&temporary, target));
    written.map_err(|error| {
        let _ = fs::remove_file(&temporary);
        format!("{path}: {error}")
    })
}
