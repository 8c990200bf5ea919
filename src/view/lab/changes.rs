//! What a trainee changed: the named elements (VNets, subnets, NSGs and their rules, routes,
//! firewall rules, endpoints, …) added, removed or changed between two designs, innermost
//! only — a changed rule counts once, not also as a changed NSG — each with the names of the
//! elements it sits in (`training-nsg › DenyInternetOutbound`). Counts a lab's "at most N
//! changes" and guards its locked elements (and what they contain).

use crate::model::json_value::to_json_value;
use std::collections::BTreeSet;

use serde_json::Value;

use crate::model::Design;

/// Separates an element's name from the names of the elements it sits in.
pub const NESTING: &str = " › ";

/// The elements that differ between `before` and `after` (each named with its containers,
/// outermost first; the design's own settings as "design settings"), sorted.
pub fn changed_elements(before: &Design, after: &Design) -> BTreeSet<String> {
    let (before, after) = (as_value(before), as_value(after));
    let mut changed = BTreeSet::new();
    record(&before, &after, &[], &mut changed);
    changed
}

/// Whether the changed element `path` is `name` or sits inside it.
pub fn touches(path: &str, name: &str) -> bool {
    path.split(NESTING).any(|segment| segment == name)
}

fn as_value(design: &Design) -> Value {
    to_json_value(design).unwrap_or(Value::Null)
}

fn name_of(value: &Value) -> Option<&str> {
    value.get("name").and_then(Value::as_str)
}

/// Records the element at `trail` when its own values differ (not only elements inside it).
fn record(before: &Value, after: &Value, trail: &[&str], changed: &mut BTreeSet<String>) {
    if own_difference(before, after, trail, changed) {
        let path = if trail.is_empty() {
            "design settings".to_string()
        } else {
            trail.join(NESTING)
        };
        changed.insert(path);
    }
}

/// Whether `before` and `after` differ other than in named elements inside them, which are
/// recorded on the way.
fn own_difference(
    before: &Value,
    after: &Value,
    trail: &[&str],
    changed: &mut BTreeSet<String>,
) -> bool {
    if before == after {
        return false;
    }
    let (Value::Object(a), Value::Object(b)) = (before, after) else {
        return true;
    };
    let keys: BTreeSet<&String> = a.keys().chain(b.keys()).collect();
    let mut own = false;
    for key in keys {
        let (x, y) = (
            a.get(key).unwrap_or(&Value::Null),
            b.get(key).unwrap_or(&Value::Null),
        );
        if named_array(x) || named_array(y) {
            compare_named(x, y, trail, changed);
        } else {
            own |= own_difference(x, y, trail, changed);
        }
    }
    own
}

fn named_array(value: &Value) -> bool {
    value
        .as_array()
        .is_some_and(|items| !items.is_empty() && items.iter().all(|item| name_of(item).is_some()))
}

/// Compares two arrays of named elements (inside `trail`) by name: added and removed ones
/// count, common ones are compared inside.
fn compare_named(before: &Value, after: &Value, trail: &[&str], changed: &mut BTreeSet<String>) {
    let empty = Vec::new();
    let a = before.as_array().unwrap_or(&empty);
    let b = after.as_array().unwrap_or(&empty);
    let path = |name: &str| [trail, &[name]].concat().join(NESTING);
    for item in a {
        let name = name_of(item).unwrap_or_default();
        match b.iter().find(|other| name_of(other) == Some(name)) {
            Some(other) => record(item, other, &[trail, &[name]].concat(), changed),
            None => {
                changed.insert(path(name));
            }
        }
    }
    for item in b {
        let name = name_of(item).unwrap_or_default();
        if !a.iter().any(|other| name_of(other) == Some(name)) {
            changed.insert(path(name));
        }
    }
}
