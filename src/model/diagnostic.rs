//! Diagnostics: problems found in a design or an import, each naming where it is, with long
//! quoted values cut.

use std::fmt;

use serde::{Deserialize, Serialize};

use super::excerpt::{excerpt, excerpt_quoted};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    Error,
    Warning,
}

/// One problem: the element it concerns, the JSON path of the offending value and a message.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Diagnostic {
    pub severity: Severity,
    pub element: String,
    pub path: String,
    pub message: String,
}

impl Diagnostic {
    pub fn error(
        element: impl Into<String>,
        path: impl Into<String>,
        message: impl Into<String>,
    ) -> Self {
        Diagnostic::new(Severity::Error, element.into(), path.into(), message.into())
    }

    pub fn warning(
        element: impl Into<String>,
        path: impl Into<String>,
        message: impl Into<String>,
    ) -> Self {
        Diagnostic::new(
            Severity::Warning,
            element.into(),
            path.into(),
            message.into(),
        )
    }

    /// Long values in the element, path and message are cut (see `excerpt`).
    fn new(severity: Severity, element: String, path: String, message: String) -> Self {
        Diagnostic {
            severity,
            element: excerpt(&element),
            path: excerpt_quoted(&path),
            message: excerpt_quoted(&message),
        }
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let level = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        write!(
            f,
            "{level}: {} ({}): {}",
            self.element, self.path, self.message
        )
    }
}
