//! Markdown for pull request comments: a heading with the verdict and counts, one table row
//! per item that did not simply pass, then each failing item's fixes and trace in a
//! collapsed `<details>` block. Every text from the design is escaped, so a name can neither
//! format the comment nor inject HTML.

use super::output::escape_controls;
use super::report::{Item, Report, Status};

pub fn render(report: &Report) -> String {
    let (failed, undetermined, warnings, passed) = (
        report.count(Status::Failed),
        report.count(Status::Undetermined),
        report.count(Status::Warning),
        report.count(Status::Passed),
    );
    let verdict = if failed > 0 {
        "✗ failed"
    } else if undetermined > 0 {
        "? undetermined"
    } else {
        "✓ passed"
    };
    let inputs: Vec<String> = report.inputs.iter().map(|i| code(i)).collect();
    let mut text = format!(
        "### vnetlab {} {}: {verdict}\n\n{failed} failed, {undetermined} undetermined, {warnings} warning(s), {passed} passed.\n",
        report.command,
        inputs.join(" → ")
    );
    let shown: Vec<&Item> = report
        .items
        .iter()
        .filter(|item| item.status != Status::Passed)
        .collect();
    if shown.is_empty() {
        return text;
    }
    text.push_str("\n| | result | what | where |\n|---|---|---|---|\n");
    for item in &shown {
        let mark = match item.status {
            Status::Failed => "✗ failed",
            Status::Undetermined => "? undetermined",
            Status::Warning => "⚠ warning",
            Status::Passed => "✓ passed",
        };
        let place = item.path.as_ref().map_or(code(&item.file), |path| {
            format!("{} {}", code(&item.file), code(path))
        });
        text.push_str(&format!(
            "| {mark} | {} | {} | {place} |\n",
            item.rule.id,
            escape(&item.message)
        ));
    }
    for item in shown
        .iter()
        .filter(|item| !item.fixes.is_empty() || !item.trace.is_empty())
    {
        text.push_str(&format!(
            "\n<details><summary>{}</summary>\n\n",
            escape(&item.title)
        ));
        for fix in &item.fixes {
            text.push_str(&format!("- Fix: {}\n", escape(&fix.text)));
        }
        if !item.trace.is_empty() {
            text.push_str("\nTrace:\n\n");
            for (step, hop) in item.trace.iter().enumerate() {
                text.push_str(&format!("{}. {}\n", step + 1, escape(hop)));
            }
        }
        text.push_str("\n</details>\n");
    }
    text
}

/// Design text as Markdown that renders as itself: a backslash before the characters that
/// start HTML, entities, emphasis, links, code or cell breaks; control characters (line
/// breaks too) made visible, so a cell stays one cell.
fn escape(text: &str) -> String {
    let visible = escape_controls(text);
    let mut escaped = String::with_capacity(visible.len() + 8);
    for character in visible.chars() {
        if matches!(
            character,
            '\\' | '&' | '<' | '>' | '|' | '*' | '_' | '[' | ']' | '`'
        ) {
            escaped.push('\\');
        }
        escaped.push(character);
    }
    escaped
}

/// Text in a code span; backticks inside are replaced (a span cannot escape them).
fn code(text: &str) -> String {
    format!(
        "`{}`",
        escape_controls(text).replace('`', "ʼ").replace('|', "\\|")
    )
}
