//! One report model behind the formats CI systems read (`--format sarif|junit|markdown`): each
//! subcommand turns its results into [`Item`]s — an open path, a required flow, a compliance
//! check, a validation diagnostic — with a status, the input file and the JSON path they are
//! about, the fixes and the trace; [`emit`] renders them.

use crate::import::{InputFormat, Loaded};
use crate::model::{Design, Diagnostic};

use super::format::ReportFormat;
use super::line_edit::LineEdit;
use super::output::document;
use super::{junit, markdown, sarif};

/// What an item concluded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    Passed,
    /// Passed, with something worth a look (a validation warning).
    Warning,
    Failed,
    /// The engine could not decide it.
    Undetermined,
}

/// The kind of an item: a SARIF rule, a JUnit class name.
#[derive(Debug)]
pub struct Rule {
    pub id: &'static str,
    pub description: &'static str,
}

pub const EXFILTRATION_PATH: Rule = Rule {
    id: "exfiltration-path",
    description: "Data can leave a data-holding compute (or be read from a public endpoint) to an attacker-owned sink.",
};
pub const UNDETERMINED_PATH: Rule = Rule {
    id: "undetermined-path",
    description:
        "vnetlab cannot decide whether this exfiltration path is open (an unsupported verdict).",
};
pub const REQUIRED_FLOW: Rule = Rule {
    id: "required-flow",
    description:
        "A flow Azure Machine Learning needs, from the documented catalogue, must be allowed.",
};
pub const COMPLIANCE_CHECK: Rule = Rule {
    id: "compliance-check",
    description: "An IL5 compliance policy check of the workspace and its resources.",
};
pub const OPENED_PATH: Rule = Rule {
    id: "opened-path",
    description: "The change opens an exfiltration path the design before it did not have.",
};
pub const BROKEN_FLOW: Rule = Rule {
    id: "broken-flow",
    description: "The change breaks a required flow that passed before it.",
};
pub const UNDETERMINED_AFTER_CHANGE: Rule = Rule {
    id: "undetermined-after-change",
    description: "After the change, vnetlab cannot decide this path or required flow.",
};
pub const INTENT: Rule = Rule {
    id: "intent",
    description:
        "A network intent of the checked-in intents file: what must and must not be reachable.",
};
pub const VALIDATION: Rule = Rule {
    id: "validation",
    description: "A structural problem of the design: errors make analysis meaningless, warnings point at likely mistakes.",
};

/// One result.
#[derive(Debug)]
pub struct Item {
    pub rule: &'static Rule,
    pub status: Status,
    /// Short and unique within the report: the path, flow or check key.
    pub title: String,
    /// What happened, as a sentence.
    pub message: String,
    /// The input file the item is about.
    pub file: String,
    /// The JSON path in `file` the item is about, when known.
    pub path: Option<String>,
    /// The element the item is about, when there is one.
    pub element: Option<String>,
    /// Verified fixes.
    pub fixes: Vec<ReportFix>,
    /// The trace, one line per hop.
    pub trace: Vec<String>,
}

/// A verified fix: "change (breaks …)", and the edits of the input file that make it when the
/// input is a design file.
#[derive(Debug)]
pub struct ReportFix {
    pub text: String,
    pub edits: Vec<LineEdit>,
}

impl std::fmt::Display for ReportFix {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.text)
    }
}

/// Everything one run reports.
#[derive(Debug)]
pub struct Report {
    /// The subcommand, e.g. `exfil`.
    pub command: &'static str,
    /// The input(s), as given.
    pub inputs: Vec<String>,
    pub items: Vec<Item>,
}

impl Report {
    pub fn count(&self, status: Status) -> usize {
        self.items.iter().filter(|i| i.status == status).count()
    }

    /// Every rule used by the report, in first-use order.
    pub fn rules(&self) -> Vec<&'static Rule> {
        let mut rules: Vec<&'static Rule> = Vec::new();
        for item in &self.items {
            if !rules.iter().any(|r| r.id == item.rule.id) {
                rules.push(item.rule);
            }
        }
        rules
    }
}

/// Items for validation diagnostics of `file`: errors fail, warnings warn. A diagnostic's
/// path points into `file` when it starts with `file: `; otherwise it points into the design
/// an import produced, and the item names no path.
pub fn diagnostic_items(file: &str, diagnostics: &[Diagnostic]) -> Vec<Item> {
    let prefix = format!("{file}: ");
    diagnostics
        .iter()
        .map(|diagnostic| {
            let path = diagnostic.path.strip_prefix(&prefix);
            Item {
                rule: &VALIDATION,
                status: if diagnostic.is_error() {
                    Status::Failed
                } else {
                    Status::Warning
                },
                title: format!(
                    "{} {}: {}",
                    diagnostic.element,
                    path.unwrap_or(&diagnostic.path),
                    diagnostic.message
                ),
                message: format!("{}: {}", diagnostic.element, diagnostic.message),
                file: file.to_string(),
                path: path.map(str::to_string),
                element: Some(diagnostic.element.clone()),
                fixes: Vec::new(),
                trace: Vec::new(),
            }
        })
        .collect()
}

/// The JSON path of the element named `name` in a design file, when `loaded` is one (the
/// paths of an imported template or Azure JSON would point into a design nobody wrote).
pub fn element_path(loaded: &Loaded, name: &str) -> Option<String> {
    if loaded.format != InputFormat::Design {
        return None;
    }
    let design: &Design = &loaded.design;
    let lists: [(&str, Vec<&str>); 6] = [
        (
            "computes",
            design.computes.iter().map(|c| c.name.as_str()).collect(),
        ),
        (
            "resources",
            design.resources.iter().map(|r| r.name.as_str()).collect(),
        ),
        (
            "workspaces",
            design.workspaces.iter().map(|w| w.name.as_str()).collect(),
        ),
        (
            "private_endpoints",
            design
                .private_endpoints
                .iter()
                .map(|p| p.name.as_str())
                .collect(),
        ),
        (
            "external_hosts",
            design
                .external_hosts
                .iter()
                .map(|h| h.name.as_str())
                .collect(),
        ),
        (
            "services",
            design.services.iter().map(|s| s.name.as_str()).collect(),
        ),
    ];
    lists.iter().find_map(|(list, names)| {
        let index = names.iter().position(|n| *n == name)?;
        Some(format!("$.{list}[{index}]"))
    })
}

/// Prints `report` in `format`.
pub fn emit(format: ReportFormat, report: &Report) {
    document(&match format {
        ReportFormat::Sarif => sarif::render(report),
        ReportFormat::Junit => junit::render(report),
        ReportFormat::Markdown => markdown::render(report),
    });
}
