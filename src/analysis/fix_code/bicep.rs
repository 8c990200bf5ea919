//! Bicep for each [`Edit`]: the ARM resources of [`super::arm`] written as Bicep resource
//! declarations (`[…]` expressions become Bicep expressions, `[[` literals plain strings), so
//! the snippet declares exactly those resources; what ARM cannot express stays a comment.

use serde_json::Value;

use super::{arm, collection_listing, symbol, Edit};

/// A Bicep string literal.
fn string(text: &str) -> String {
    let mut quoted = String::from("'");
    for c in text.chars() {
        match c {
            '\\' => quoted.push_str("\\\\"),
            '\'' => quoted.push_str("\\'"),
            '$' => quoted.push_str("\\$"),
            '\n' => quoted.push_str("\\n"),
            '\r' => quoted.push_str("\\r"),
            '\t' => quoted.push_str("\\t"),
            c if c.is_control() => quoted.push_str(&format!("\\u{{{:x}}}", c as u32)),
            c => quoted.push(c),
        }
    }
    quoted.push('\'');
    quoted
}

/// An ARM string as Bicep: `[expr]` is the expression (ARM's `'…'` literals with `''` read
/// the same in Bicep once re-quoted), `[[…` the literal `[…`, anything else a literal.
fn arm_string(text: &str) -> String {
    if let Some(rest) = text.strip_prefix("[[") {
        return string(&format!("[{rest}"));
    }
    match text.strip_prefix('[').and_then(|t| t.strip_suffix(']')) {
        Some(expression) => requote(expression),
        None => string(text),
    }
}

/// An ARM expression in Bicep syntax: its `'…'` literals (with `''` for a quote) re-quoted
/// with Bicep's escapes.
fn requote(expression: &str) -> String {
    let mut out = String::new();
    let mut chars = expression.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '\'' {
            out.push(c);
            continue;
        }
        let mut literal = String::new();
        while let Some(c) = chars.next() {
            if c == '\'' {
                if chars.peek() == Some(&'\'') {
                    chars.next();
                    literal.push('\'');
                } else {
                    break;
                }
            } else {
                literal.push(c);
            }
        }
        out.push_str(&string(&literal));
    }
    out
}

/// A JSON value as Bicep, indented by `depth` levels.
fn value(json: &Value, depth: usize) -> String {
    let indent = "  ".repeat(depth + 1);
    let close = "  ".repeat(depth);
    match json {
        Value::Null => "null".into(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => n.to_string(),
        Value::String(s) => arm_string(s),
        Value::Array(items) if items.is_empty() => "[]".into(),
        Value::Array(items) => {
            let lines: Vec<String> = items
                .iter()
                .map(|item| format!("{indent}{}\n", value(item, depth + 1)))
                .collect();
            format!("[\n{}{close}]", lines.concat())
        }
        Value::Object(members) => {
            let lines: Vec<String> = members
                .iter()
                .map(|(key, item)| format!("{indent}{key}: {}\n", value(item, depth + 1)))
                .collect();
            format!("{{\n{}{close}}}", lines.concat())
        }
    }
}

/// `resource symbol 'type@apiVersion' = { … }` for one ARM resource.
fn declaration(resource: &Value) -> String {
    let text = |key: &str| resource[key].as_str().unwrap_or_default().to_string();
    let name = text("name");
    let mut body = resource.as_object().cloned().unwrap_or_default();
    body.remove("type");
    body.remove("apiVersion");
    format!(
        "resource {} '{}@{}' = {}\n",
        symbol(&[name.trim_start_matches('[')]),
        text("type"),
        text("apiVersion"),
        value(&Value::Object(body), 0)
    )
}

pub(super) fn render(edit: &Edit) -> String {
    if let Some(resources) = arm::resources(edit) {
        let note = match edit {
            Edit::PublicAccess { .. } | Edit::ManagedNetwork(_) => {
                "// merge into the existing resource's properties\n".to_string()
            }
            Edit::NsgRulesRemoved { nsg, removed } => format!(
                "// {} with its security rules, without {}: deploying the NSG replaces its rule list\n",
                nsg.name,
                removed.join(", ")
            ),
            _ => String::new(),
        };
        return note + &resources.iter().map(declaration).collect::<String>();
    }
    match edit {
        Edit::PublicIpRemoved(compute) => format!(
            "// the NIC of {}: remove publicIPAddress from its ipConfigurations[].properties\n",
            compute.name
        ),
        Edit::FirewallCollection {
            firewall,
            collection,
        } => collection_listing("//", firewall, collection),
        _ => String::new(),
    }
}
