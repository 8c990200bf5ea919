//! JUnit XML for CI test tabs (Azure Pipelines' PublishTestResults, GitHub test reporters): one
//! test suite per run, one test case per item — a failed item is a `<failure>`, an
//! undetermined one an `<error>` (the check could not run), a warning passes with its text in
//! `<system-out>`. A run with no item still has one passing test case, so "no tests" never
//! reads as a pass or a failure by accident.

use super::output::escape_controls;
use super::report::{Item, Report, Status};

pub fn render(report: &Report) -> String {
    let suite = format!("vnetlab {} {}", report.command, report.inputs.join(" "));
    let mut cases: Vec<String> = report.items.iter().map(case).collect();
    if cases.is_empty() {
        cases.push(format!(
            "    <testcase classname=\"vnetlab.{}\" name=\"{}\"/>\n",
            report.command,
            xml(&format!("{suite}: nothing to report"))
        ));
    }
    let (failures, errors) = (
        report.count(Status::Failed),
        report.count(Status::Undetermined),
    );
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
         <testsuites name=\"vnetlab\" tests=\"{tests}\" failures=\"{failures}\" errors=\"{errors}\">\n  \
         <testsuite name=\"{name}\" tests=\"{tests}\" failures=\"{failures}\" errors=\"{errors}\" skipped=\"0\">\n\
         {cases}  </testsuite>\n</testsuites>\n",
        tests = cases.len(),
        name = xml(&suite),
        cases = cases.concat(),
    )
}

fn case(item: &Item) -> String {
    let opening = format!(
        "    <testcase classname=\"vnetlab.{}\" name=\"{}\"",
        item.rule.id,
        xml(&item.title)
    );
    let mut details = vec![item.message.clone()];
    if let Some(path) = &item.path {
        details.push(format!("at {} {path}", item.file));
    }
    details.extend(item.fixes.iter().map(|fix| format!("fix: {fix}")));
    details.extend(item.trace.iter().cloned());
    let body = xml(&details.join("\n"));
    match item.status {
        Status::Passed => format!("{opening}/>\n"),
        Status::Warning => format!("{opening}>\n      <system-out>{body}</system-out>\n    </testcase>\n"),
        Status::Failed => format!(
            "{opening}>\n      <failure type=\"{}\" message=\"{}\">{body}</failure>\n    </testcase>\n",
            item.rule.id,
            xml(&item.message)
        ),
        Status::Undetermined => format!(
            "{opening}>\n      <error type=\"{}\" message=\"{}\">{body}</error>\n    </testcase>\n",
            item.rule.id,
            xml(&item.message)
        ),
    }
}

/// Text as XML character data or attribute value. XML 1.0 cannot hold most control
/// characters even as references, so they are written as visible escapes first.
fn xml(text: &str) -> String {
    let visible = escape_controls(text);
    let mut escaped = String::with_capacity(visible.len());
    for character in visible.chars() {
        match character {
            '&' => escaped.push_str("&amp;"),
            '<' => escaped.push_str("&lt;"),
            '>' => escaped.push_str("&gt;"),
            '"' => escaped.push_str("&quot;"),
            '\'' => escaped.push_str("&apos;"),
            c => escaped.push(c),
        }
    }
    escaped
}
