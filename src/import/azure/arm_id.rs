//! ARM resource IDs: `/subscriptions/{sub}/resourceGroups/{rg}/providers/{namespace}/{type}/
//! {name}[/{child type}/{child name}…]`. Parsing is lenient because real inputs (and Azure's own
//! REST examples) contain IDs with typos and misplaced segments.

/// A parsed resource ID.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct ArmId {
    pub(super) subscription: Option<String>,
    pub(super) resource_group: Option<String>,
    /// `Microsoft.Network/virtualNetworks/subnets`.
    pub(super) type_path: String,
    /// One name per type segment: `["vnet1", "subnet1"]`.
    pub(super) names: Vec<String>,
}

impl ArmId {
    /// Parses an ID with a `providers` segment followed by type/name pairs; the last
    /// `providers` wins, so extension resources get their own type.
    pub(super) fn parse(text: &str) -> Option<ArmId> {
        let segments: Vec<&str> = text.split('/').filter(|s| !s.is_empty()).collect();
        let providers = segments
            .iter()
            .rposition(|s| s.eq_ignore_ascii_case("providers"))?;
        let namespace = segments.get(providers + 1)?;
        let pairs = segments.get(providers + 2..)?;
        if pairs.is_empty() || pairs.len() % 2 != 0 {
            return None;
        }
        let types: Vec<&str> = pairs.iter().step_by(2).copied().collect();
        let names = pairs
            .iter()
            .skip(1)
            .step_by(2)
            .map(|s| s.to_string())
            .collect();
        let before_providers = segments.get(..providers).unwrap_or_default();
        Some(ArmId {
            subscription: value_after(before_providers, "subscriptions"),
            resource_group: value_after(before_providers, "resourceGroups"),
            type_path: format!("{namespace}/{}", types.join("/")),
            names,
        })
    }
}

/// The name path a reference ID points at, taking `depth + 1` names from the end (an ID ends
/// with type/name pairs even when its start is malformed): `…/virtualNetworks/v/subnets/s` with
/// depth 1 is `v/s`. A bare name (no `/`) is its own reference at depth 0.
pub(super) fn referenced_name(text: &str, depth: usize) -> Option<String> {
    let segments: Vec<&str> = text.split('/').filter(|s| !s.is_empty()).collect();
    if !text.contains('/') {
        return (depth == 0 && segments.len() == 1).then(|| text.to_string());
    }
    let needed = 2 * depth + 2;
    let start = segments.len().checked_sub(needed)?;
    let tail = segments.get(start..)?;
    let names: Vec<&str> = tail.iter().skip(1).step_by(2).copied().collect();
    Some(names.join("/"))
}

fn value_after(segments: &[&str], key: &str) -> Option<String> {
    let position = segments.iter().position(|s| s.eq_ignore_ascii_case(key))?;
    segments.get(position + 1).map(|s| s.to_string())
}
