//! The output format every subcommand takes: `--format text|json|sarif|junit|markdown`
//! (`--json` is short for `--format json`). Text and JSON are each subcommand's own; the
//! report formats render the shared [`super::report`] model.

use clap::{Args, ValueEnum};

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Lines for people, names with control characters escaped.
    Text,
    /// The subcommand's stable JSON shape.
    Json,
    /// SARIF 2.1.0, for GitHub code scanning and Azure DevOps.
    Sarif,
    /// JUnit XML, one test case per result.
    Junit,
    /// Markdown, for pull request comments.
    Markdown,
}

/// The formats rendered from the shared report model.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReportFormat {
    Sarif,
    Junit,
    Markdown,
}

impl Format {
    pub fn report(self) -> Option<ReportFormat> {
        match self {
            Format::Sarif => Some(ReportFormat::Sarif),
            Format::Junit => Some(ReportFormat::Junit),
            Format::Markdown => Some(ReportFormat::Markdown),
            Format::Text | Format::Json => None,
        }
    }
}

#[derive(Debug, Args)]
pub struct FormatArgs {
    /// Output format.
    #[arg(long, value_enum, default_value = "text")]
    format: Format,
    /// Same as `--format json`.
    #[arg(long, conflicts_with = "format")]
    json: bool,
}

impl FormatArgs {
    pub fn format(&self) -> Format {
        if self.json {
            Format::Json
        } else {
            self.format
        }
    }
}
