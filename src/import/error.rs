//! Why an input could not be loaded at all, and where: the source, the document (when the input
//! holds several), the JSON path, the line and column when known, and a message.

use std::error::Error;
use std::fmt;

use super::BudgetExceeded;
use crate::model::excerpt::excerpt_quoted;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoadError {
    /// The name the caller gave the input, usually its file name.
    pub source: String,
    /// 1-based document number when the input holds several concatenated JSON documents.
    pub document: Option<usize>,
    /// JSON path of the offending value (`$.virtual_networks[0].subnets[1].prefix`).
    pub path: Option<String>,
    pub line: Option<u32>,
    pub column: Option<u32>,
    pub message: String,
    /// Set when an ARM template's evaluation budget was spent: which limit, and the counters.
    pub budget: Option<Box<BudgetExceeded>>,
}

impl LoadError {
    /// An error about the input as a whole.
    pub(crate) fn whole(source: &str, message: impl Into<String>) -> Self {
        LoadError {
            source: source.to_string(),
            document: None,
            path: None,
            line: None,
            column: None,
            message: excerpt_quoted(&message.into()),
            budget: None,
        }
    }

    /// The evaluation budget was spent while evaluating the value at `exceeded.path`.
    pub(crate) fn budget(source: &str, exceeded: BudgetExceeded) -> Self {
        LoadError {
            path: Some(exceeded.path.clone()),
            budget: Some(Box::new(exceeded.clone())),
            ..LoadError::whole(source, exceeded.to_string())
        }
    }

    /// An error at a JSON path of one document.
    pub(crate) fn at(
        source: &str,
        document: Option<usize>,
        path: impl Into<String>,
        message: impl Into<String>,
    ) -> Self {
        LoadError {
            document,
            path: Some(excerpt_quoted(&path.into())),
            ..LoadError::whole(source, message)
        }
    }

    /// Adds the line and column serde_json reported (1-based; 0 means unknown).
    pub(crate) fn with_position(mut self, line: usize, column: usize) -> Self {
        if line > 0 {
            self.line = u32::try_from(line).ok();
            self.column = u32::try_from(column).ok();
        }
        self
    }
}

impl fmt::Display for LoadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.source)?;
        if let Some(document) = self.document {
            write!(f, ", document {document}")?;
        }
        if let Some(path) = &self.path {
            write!(f, ": {path}")?;
        }
        match (self.line, self.column) {
            (Some(line), Some(column)) => write!(f, " (line {line}, column {column})")?,
            (Some(line), None) => write!(f, " (line {line})")?,
            _ => {}
        }
        write!(f, ": {}", self.message)
    }
}

impl Error for LoadError {}
