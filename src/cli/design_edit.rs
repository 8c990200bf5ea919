//! The edit of a design file that applies a fix, keeping the file as written: the fix's changes
//! are the JSON values that differ between the design and the fixed design, each spliced into
//! the text where its value is (or added as a member of the nearest object the text has),
//! indented to its place, then widened to whole lines for CI systems. The edited text is checked
//! by loading it again; when it does not give the fixed design, the edit is the fixed design
//! written whole, so an edit is never wrong, only sometimes larger.

use std::collections::BTreeSet;
use std::ops::Range;

use serde_json::Value;

use crate::import::{design_text, parse_typed};
use crate::model::Design;

use super::line_edit::{self, LineEdit};
use super::locate::{array_items, object_members, value_span, Segment};

/// The line edits of the design file `text` (which loads as `design`) that make it load as
/// `fixed`, in file order; empty when nothing changes.
pub fn design_file_edits(text: &str, design: &Design, fixed: &Design) -> Vec<LineEdit> {
    match splice(text, design, fixed) {
        Some(replacements) if loads_as(&applied(text, &replacements), fixed) => {
            line_edits(text, &replacements)
        }
        _ => line_edit::between(text, &design_text(fixed))
            .into_iter()
            .collect(),
    }
}

fn loads_as(text: &str, fixed: &Design) -> bool {
    parse_typed::<Design>(text, "edited design")
        .is_ok_and(|loaded| design_text(&loaded) == design_text(fixed))
}

/// A byte range of the text and what replaces it.
type Replacement = (Range<usize>, String);

/// `text` with `replacements` (sorted, disjoint) made.
fn applied(text: &str, replacements: &[Replacement]) -> String {
    let mut edited = String::with_capacity(text.len());
    let mut copied = 0;
    for (span, replacement) in replacements {
        edited.push_str(&text[copied..span.start]);
        edited.push_str(replacement);
        copied = span.end;
    }
    edited.push_str(&text[copied..]);
    edited
}

/// The replacements widened to whole lines, those sharing a line made one edit.
fn line_edits(text: &str, replacements: &[Replacement]) -> Vec<LineEdit> {
    let line_start = |at: usize| text[..at].rfind('\n').map_or(0, |newline| newline + 1);
    let line_end = |at: usize| {
        text[at..]
            .find('\n')
            .map_or(text.len(), |newline| at + newline)
    };
    let line_number = |at: usize| text[..at].matches('\n').count() + 1;
    let mut groups: Vec<(Range<usize>, Vec<Replacement>)> = Vec::new();
    for (span, replacement) in replacements {
        let lines = line_start(span.start)..line_end(span.end);
        match groups.last_mut() {
            Some((group, members)) if lines.start <= group.end => {
                group.end = group.end.max(lines.end);
                members.push((span.clone(), replacement.clone()));
            }
            _ => groups.push((lines, vec![(span.clone(), replacement.clone())])),
        }
    }
    groups
        .into_iter()
        .map(|(lines, members)| {
            let relative: Vec<Replacement> = members
                .into_iter()
                .map(|(span, text)| (span.start - lines.start..span.end - lines.start, text))
                .collect();
            LineEdit {
                start_line: line_number(lines.start),
                end_line: line_number(lines.end),
                text: applied(&text[lines.clone()], &relative),
            }
        })
        .collect()
}

/// A value that differs between the two designs.
enum Difference {
    Set(Vec<Segment>, Value),
    Remove(Vec<Segment>),
    /// Items added to an array before the item at the index (or at its end).
    InsertItems(Vec<Segment>, usize, Vec<Value>),
    /// Items taken out of an array.
    RemoveItems(Vec<Segment>, Range<usize>),
}

fn differences(before: &Value, after: &Value, path: &mut Vec<Segment>, out: &mut Vec<Difference>) {
    match (before, after) {
        (Value::Object(old), Value::Object(new)) => {
            for (key, old_value) in old {
                path.push(Segment::Member(key.clone()));
                match new.get(key) {
                    Some(new_value) => differences(old_value, new_value, path, out),
                    None => out.push(Difference::Remove(path.clone())),
                }
                path.pop();
            }
            for (key, new_value) in new.iter().filter(|(key, _)| !old.contains_key(*key)) {
                let mut member = path.clone();
                member.push(Segment::Member(key.clone()));
                out.push(Difference::Set(member, new_value.clone()));
            }
        }
        (Value::Array(old), Value::Array(new)) => {
            if !named_differences(old, new, path, out) {
                positional_differences(old, new, path, out);
            }
        }
        _ if before == after => {}
        _ => out.push(Difference::Set(path.clone(), after.clone())),
    }
}

/// Arrays of named elements (NSG rules, subnets, …) compared by name, so that a fix adding one
/// element and changing another edits just those; `false` when the items are not all uniquely
/// named or the names they share are in another order.
fn named_differences(
    old: &[Value],
    new: &[Value],
    path: &mut Vec<Segment>,
    out: &mut Vec<Difference>,
) -> bool {
    let names = |items: &[Value]| -> Option<Vec<String>> {
        let names: Vec<String> = items
            .iter()
            .map(|item| item.get("name")?.as_str().map(str::to_string))
            .collect::<Option<_>>()?;
        let unique: BTreeSet<&String> = names.iter().collect();
        (unique.len() == names.len()).then_some(names)
    };
    let (Some(old_names), Some(new_names)) = (names(old), names(new)) else {
        return false;
    };
    let kept_old: Vec<&String> = old_names.iter().filter(|n| new_names.contains(n)).collect();
    let kept_new: Vec<&String> = new_names.iter().filter(|n| old_names.contains(n)).collect();
    if kept_old != kept_new {
        return false;
    }
    let mut removed: Option<Range<usize>> = None;
    for (index, name) in old_names.iter().enumerate() {
        match new_names.iter().position(|n| n == name) {
            Some(new_index) => {
                if let Some(run) = removed.take() {
                    out.push(Difference::RemoveItems(path.clone(), run));
                }
                path.push(Segment::Index(index));
                differences(&old[index], &new[new_index], path, out);
                path.pop();
            }
            None => removed = Some(removed.map_or(index..index + 1, |run| run.start..index + 1)),
        }
    }
    if let Some(run) = removed {
        out.push(Difference::RemoveItems(path.clone(), run));
    }
    let mut added: Vec<Value> = Vec::new();
    for (new_index, name) in new_names.iter().enumerate() {
        match old_names.iter().position(|n| n == name) {
            Some(old_index) if !added.is_empty() => out.push(Difference::InsertItems(
                path.clone(),
                old_index,
                std::mem::take(&mut added),
            )),
            Some(_) => {}
            None => added.push(new[new_index].clone()),
        }
    }
    if !added.is_empty() {
        out.push(Difference::InsertItems(path.clone(), old.len(), added));
    }
    true
}

/// Arrays compared by position: the items between their common first and last items changed
/// in place, inserted, removed, or (when both sides differ in length) the array replaced.
fn positional_differences(
    old: &[Value],
    new: &[Value],
    path: &mut Vec<Segment>,
    out: &mut Vec<Difference>,
) {
    let prefix = old.iter().zip(new).take_while(|(a, b)| a == b).count();
    let room = old.len().min(new.len()) - prefix;
    let suffix = old
        .iter()
        .rev()
        .zip(new.iter().rev())
        .take(room)
        .take_while(|(a, b)| a == b)
        .count();
    let old_middle = prefix..old.len() - suffix;
    let new_middle = prefix..new.len() - suffix;
    if old_middle.len() == new_middle.len() {
        for index in old_middle {
            path.push(Segment::Index(index));
            differences(&old[index], &new[index], path, out);
            path.pop();
        }
    } else if old_middle.is_empty() {
        out.push(Difference::InsertItems(
            path.clone(),
            prefix,
            new[new_middle].to_vec(),
        ));
    } else if new_middle.is_empty() {
        out.push(Difference::RemoveItems(path.clone(), old_middle));
    } else {
        out.push(Difference::Set(path.clone(), Value::Array(new.to_vec())));
    }
}

/// The replacements that splice every difference into `text`, sorted and disjoint; `None` when
/// a difference has no place in it.
fn splice(text: &str, design: &Design, fixed: &Design) -> Option<Vec<Replacement>> {
    let before = serde_json::to_value(design).ok()?;
    let after = serde_json::to_value(fixed).ok()?;
    let mut found = Vec::new();
    differences(&before, &after, &mut Vec::new(), &mut found);
    let mut inserted_members = BTreeSet::new();
    let mut replacements = Vec::new();
    for difference in &found {
        let replacement = match difference {
            Difference::Set(path, value) => match value_span(text, path) {
                Some(span) => {
                    let indent = indent_at(text, span.start);
                    (span, rendered(value, indent))
                }
                None => {
                    let (open, key, value) = missing_member(text, path, &after)?;
                    if !inserted_members.insert((open, key.clone())) {
                        continue;
                    }
                    member_insertion(text, open, &key, value)?
                }
            },
            Difference::Remove(path) => member_removal(text, path)?,
            Difference::InsertItems(path, at, items) => {
                items_insertion(text, value_span(text, path)?.start, *at, items)?
            }
            Difference::RemoveItems(path, removed) => {
                items_removal(text, value_span(text, path)?.start, removed)?
            }
        };
        replacements.push(replacement);
    }
    replacements.sort_by_key(|(span, _)| (span.start, span.end));
    let disjoint = replacements
        .windows(2)
        .all(|pair| pair[0].0.end <= pair[1].0.start);
    disjoint.then_some(replacements)
}

/// For a path the text lacks: the `{` of the deepest object on it the text has, the member to
/// add there and its value in the fixed design.
fn missing_member<'a>(
    text: &str,
    path: &[Segment],
    after: &'a Value,
) -> Option<(usize, String, &'a Value)> {
    let present = (0..path.len())
        .rev()
        .find(|&depth| value_span(text, &path[..depth]).is_some())?;
    let Segment::Member(key) = &path[present] else {
        return None;
    };
    let open = value_span(text, &path[..present])?.start;
    let value = path[..=present]
        .iter()
        .try_fold(after, |value, segment| match segment {
            Segment::Member(name) => value.get(name),
            Segment::Index(index) => value.get(index),
        })?;
    Some((open, key.clone(), value))
}

/// Adds `"key": value` as the object's last member.
fn member_insertion(text: &str, open: usize, key: &str, value: &Value) -> Option<Replacement> {
    let (members, close) = object_members(text, open)?;
    let key = serde_json::to_string(key).ok()?;
    Some(match members.last() {
        Some(last) => {
            let indent = indent_at(text, last.key_start);
            let at = last.value.end;
            (
                at..at,
                format!(",\n{indent}{key}: {}", rendered(value, indent)),
            )
        }
        None => {
            let outer = indent_at(text, open);
            let indent = format!("{outer}  ");
            (
                open + 1..close,
                format!("\n{indent}{key}: {}\n{outer}", rendered(value, &indent)),
            )
        }
    })
}

/// Takes the member at `path` out of its object, with the comma that separated it.
fn member_removal(text: &str, path: &[Segment]) -> Option<Replacement> {
    let (Segment::Member(key), parent) = path.split_last()? else {
        return None;
    };
    let open = value_span(text, parent)?.start;
    let (members, _) = object_members(text, open)?;
    let index = members.iter().position(|member| &member.key == key)?;
    let member = &members[index];
    let previous_comma = index
        .checked_sub(1)
        .and_then(|previous| members[previous].comma);
    let span = match (member.comma, previous_comma) {
        (Some(comma), Some(previous)) => previous + 1..comma + 1,
        (Some(comma), None) => open + 1..comma + 1,
        (None, Some(previous)) => previous..member.value.end,
        (None, None) => member.key_start..member.value.end,
    };
    Some((span, String::new()))
}

/// Adds `items` to the array at `open` before its item `at` (or at its end).
fn items_insertion(text: &str, open: usize, at: usize, items: &[Value]) -> Option<Replacement> {
    let (existing, close) = array_items(text, open)?;
    let render_all = |indent: &str, separator: &str| {
        items
            .iter()
            .map(|item| rendered(item, indent))
            .collect::<Vec<_>>()
            .join(separator)
    };
    Some(match (existing.get(at), existing.last()) {
        (Some(next), _) => {
            let indent = indent_at(text, next.start);
            let separator = format!(",\n{indent}");
            (
                next.start..next.start,
                format!("{}{separator}", render_all(indent, &separator)),
            )
        }
        (None, Some(last)) => {
            let indent = indent_at(text, last.start);
            let separator = format!(",\n{indent}");
            (
                last.end..last.end,
                format!("{separator}{}", render_all(indent, &separator)),
            )
        }
        (None, None) => {
            let outer = indent_at(text, open);
            let indent = format!("{outer}  ");
            let separator = format!(",\n{indent}");
            (
                open + 1..close,
                format!("\n{indent}{}\n{outer}", render_all(&indent, &separator)),
            )
        }
    })
}

/// Takes the items in `removed` out of the array at `open`, with their commas.
fn items_removal(text: &str, open: usize, removed: &Range<usize>) -> Option<Replacement> {
    let (items, close) = array_items(text, open)?;
    let span = match (items.get(removed.end), removed.start.checked_sub(1)) {
        (Some(next), _) => items.get(removed.start)?.start..next.start,
        (None, Some(previous)) => items[previous].end..items.last()?.end,
        (None, None) => open + 1..close,
    };
    Some((span, String::new()))
}

/// The whitespace the line holding `position` starts with.
fn indent_at(text: &str, position: usize) -> &str {
    let line_start = text[..position]
        .rfind('\n')
        .map_or(0, |newline| newline + 1);
    let line = &text[line_start..];
    &line[..line.len() - line.trim_start_matches([' ', '\t']).len()]
}

/// `value` as pretty JSON whose lines after the first are indented by `indent`.
fn rendered(value: &Value, indent: &str) -> String {
    serde_json::to_string_pretty(value)
        .unwrap_or_default()
        .replace('\n', &format!("\n{indent}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A design file as a person writes one: four-space indents, one-line objects, members in
    /// their own order, defaults left out.
    const HAND_WRITTEN: &str = r#"{
    "name": "hand",
    "schema_version": 1,
    "virtual_networks": [
        {
            "name": "vnet", "region": "eastus", "address_space": ["10.0.0.0/16"],
            "subnets": [
                {"name": "a", "prefix": "10.0.1.0/24"},
                {"name": "b", "prefix": "10.0.2.0/24", "nsg": "nsg"}
            ]
        }
    ],
    "network_security_groups": [
        {"name": "nsg", "rules": []}
    ]
}
"#;

    fn design(text: &str) -> Design {
        parse_typed(text, "test").expect("design")
    }

    fn edited(text: &str, change: impl FnOnce(&mut Design)) -> (Vec<LineEdit>, Design) {
        let before = design(text);
        let mut after = before.clone();
        change(&mut after);
        (design_file_edits(text, &before, &after), after)
    }

    fn applied_lines(text: &str, edits: &[LineEdit]) -> String {
        let lines: Vec<&str> = text.lines().collect();
        let mut result: Vec<String> = Vec::new();
        let mut next = 1;
        for edit in edits {
            result.extend(
                lines[next - 1..edit.start_line - 1]
                    .iter()
                    .map(|l| l.to_string()),
            );
            result.push(edit.text.clone());
            next = edit.end_line + 1;
        }
        result.extend(lines[next - 1..].iter().map(|l| l.to_string()));
        result.join("\n") + "\n"
    }

    #[test]
    fn a_changed_value_replaces_just_its_line_as_written() {
        let (edits, _) = edited(HAND_WRITTEN, |d| {
            d.virtual_networks[0].subnets[0].prefix = "10.0.9.0/24".parse().expect("prefix");
        });
        assert_eq!(
            edits,
            vec![LineEdit {
                start_line: 8,
                end_line: 8,
                text: r#"                {"name": "a", "prefix": "10.0.9.0/24"},"#.into(),
            }]
        );
    }

    #[test]
    fn an_added_member_and_an_added_array_item_keep_the_file_s_indentation() {
        let (edits, fixed) = edited(HAND_WRITTEN, |d| {
            d.virtual_networks[0].subnets[0].nsg = Some("nsg".into());
            let mut extra = d.virtual_networks[0].subnets[1].clone();
            extra.name = "c".into();
            extra.prefix = "10.0.3.0/24".parse().expect("prefix");
            d.virtual_networks[0].subnets.push(extra);
        });
        let text = applied_lines(HAND_WRITTEN, &edits);
        assert!(
            text.contains(
                r#"{"name": "a", "prefix": "10.0.1.0/24",
                "nsg": "nsg"}"#
            ),
            "{text}"
        );
        assert!(
            text.contains("},\n                {\n                  \"name\": \"c\""),
            "{text}"
        );
        assert_eq!(design_text(&design(&text)), design_text(&fixed));
        assert!(text.starts_with("{\n    \"name\": \"hand\",\n    \"schema_version\": 1,"));
    }

    #[test]
    fn removed_members_and_items_take_their_commas_with_them() {
        let (edits, fixed) = edited(HAND_WRITTEN, |d| {
            d.virtual_networks[0].subnets[1].nsg = None;
            d.virtual_networks[0].subnets.remove(0);
        });
        let text = applied_lines(HAND_WRITTEN, &edits);
        assert!(
            text.contains(
                r#""subnets": [
                {"name": "b", "prefix": "10.0.2.0/24"}
            ]"#
            ),
            "{text}"
        );
        assert_eq!(design_text(&design(&text)), design_text(&fixed));
    }

    #[test]
    fn a_file_that_no_longer_matches_its_design_gets_the_fixed_design_whole() {
        // The file was edited after the design was loaded (its subnets swapped): splicing by
        // position would give the wrong design, so the edit is the fixed design written whole.
        let before = design(HAND_WRITTEN);
        let swapped = HAND_WRITTEN.replace(r#""name": "a""#, r#""name": "x""#);
        let mut fixed = before.clone();
        fixed.virtual_networks[0].subnets[0].prefix = "10.0.9.0/24".parse().expect("prefix");
        let edits = design_file_edits(&swapped, &before, &fixed);
        assert_eq!(applied_lines(&swapped, &edits), design_text(&fixed));
    }

    #[test]
    fn removing_every_subnet_takes_the_emptied_list_out_in_one_edit() {
        let (edits, fixed) = edited(HAND_WRITTEN, |d| d.virtual_networks[0].subnets.clear());
        let text = applied_lines(HAND_WRITTEN, &edits);
        assert_eq!(edits.len(), 1);
        assert!(!text.contains("subnets"), "{text}");
        assert!(
            text.contains(
                r#""address_space": ["10.0.0.0/16"]
        }"#
            ),
            "{text}"
        );
        assert_eq!(design_text(&design(&text)), design_text(&fixed));
    }
}
