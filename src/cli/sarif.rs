//! SARIF 2.1.0 (OASIS) for GitHub code scanning and Azure DevOps: one run of the `vnetlab`
//! driver, one rule per kind of result, one result per item that did not simply pass — open
//! path, broken flow, failing check, undetermined result, validation diagnostic — located in
//! the input file (the line of its JSON path when the input is a design file) and named by
//! element; fixes ride in the message and, for a design file, as SARIF `fixes` (the lines to
//! replace); the trace rides in the result's property bag.

use serde_json::{json, Map, Value};

use super::line_edit::LineEdit;
use super::locate::line_of;
use super::report::{Item, Report, Status};

/// The schema the log names (the OASIS 2.1.0 errata 01 schema).
const SCHEMA: &str =
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";

pub fn render(report: &Report) -> String {
    let rules = report.rules();
    let sources: Vec<(String, Option<String>)> = report
        .inputs
        .iter()
        .map(|file| (file.clone(), std::fs::read_to_string(file).ok()))
        .collect();
    let results: Vec<Value> = report
        .items
        .iter()
        .filter(|item| item.status != Status::Passed)
        .map(|item| {
            let rule_index = rules.iter().position(|r| r.id == item.rule.id);
            let text = sources
                .iter()
                .find(|(file, _)| file == &item.file)
                .and_then(|(_, text)| text.as_deref());
            result(item, rule_index.unwrap_or(0), text)
        })
        .collect();
    let log = json!({
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "vnetlab",
                "semanticVersion": env!("CARGO_PKG_VERSION"),
                "rules": rules.iter().map(|rule| json!({
                    "id": rule.id,
                    "shortDescription": {"text": rule.description},
                })).collect::<Vec<_>>(),
            }},
            "invocations": [{
                "executionSuccessful": true,
                "commandLine": format!("vnetlab {} {}", report.command, report.inputs.join(" ")),
            }],
            "artifacts": report.inputs.iter().map(|file| json!({
                "location": {"uri": uri(file)},
            })).collect::<Vec<_>>(),
            "columnKind": "unicodeCodePoints",
            "results": results,
        }],
    });
    serde_json::to_string_pretty(&log).unwrap_or_default()
}

fn result(item: &Item, rule_index: usize, text: Option<&str>) -> Value {
    let level = match item.status {
        Status::Failed => "error",
        Status::Undetermined | Status::Warning => "warning",
        Status::Passed => "none",
    };
    let mut message = item.message.clone();
    for fix in &item.fixes {
        message.push_str(&format!("\nFix: {fix}"));
    }
    let mut physical = Map::new();
    physical.insert("artifactLocation".into(), json!({"uri": uri(&item.file)}));
    let line = item
        .path
        .as_deref()
        .and_then(|path| text.and_then(|t| line_of(t, path)));
    if let Some(line) = line {
        physical.insert("region".into(), json!({"startLine": line}));
    }
    let mut location = Map::new();
    location.insert("physicalLocation".into(), Value::Object(physical));
    if let Some(element) = &item.element {
        let mut logical = json!({"name": element, "kind": "resource"});
        if let Some(path) = &item.path {
            logical["fullyQualifiedName"] = json!(format!("{element} ({path})"));
        }
        location.insert("logicalLocations".into(), json!([logical]));
    }
    let mut result = json!({
        "ruleId": item.rule.id,
        "ruleIndex": rule_index,
        "level": level,
        "message": {"text": message},
        "locations": [Value::Object(location)],
        "partialFingerprints": {"vnetlabKey/v1": format!("{}:{}", item.rule.id, item.title)},
        "properties": {
            "status": match item.status {
                Status::Failed => "failed",
                Status::Undetermined => "undetermined",
                Status::Warning => "warning",
                Status::Passed => "passed",
            },
            "path": item.path,
            "fixes": item.fixes.iter().map(|fix| &fix.text).collect::<Vec<_>>(),
            "trace": item.trace,
        },
    });
    let fixes: Vec<Value> = item
        .fixes
        .iter()
        .filter(|fix| !fix.edits.is_empty())
        .map(|fix| sarif_fix(&fix.text, &fix.edits, &item.file))
        .collect();
    if !fixes.is_empty() {
        result["fixes"] = Value::Array(fixes);
    }
    result
}

/// A SARIF fix: the fix's description and its edits of the input file, each a replacement of
/// whole lines.
fn sarif_fix(description: &str, edits: &[LineEdit], file: &str) -> Value {
    let replacements: Vec<Value> = edits
        .iter()
        .map(|edit| {
            json!({
                "deletedRegion": {"startLine": edit.start_line, "endLine": edit.end_line},
                "insertedContent": {"text": edit.text},
            })
        })
        .collect();
    json!({
        "description": {"text": description},
        "artifactChanges": [{
            "artifactLocation": {"uri": uri(file)},
            "replacements": replacements,
        }],
    })
}

/// A relative URI reference for a file path: `/` separators, and every byte outside the
/// unreserved set and `/` percent-encoded.
fn uri(path: &str) -> String {
    let mut encoded = String::new();
    for byte in path.replace('\\', "/").bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~/".contains(&byte) {
            encoded.push(byte as char);
        } else {
            encoded.push_str(&format!("%{byte:02X}"));
        }
    }
    encoded
}
