//! One input resource, classified: its supported kind, its name path (`vnet/subnet` for a child
//! resource) and its JSON node. Names come from `name` (`vnet/subnet` in templates) or, for
//! REST and CLI output where `name` is only the last part, from the resource ID.

use super::arm_id::ArmId;
use super::kind::Kind;
use super::shape::RawResource;
use crate::import::node::Node;

#[derive(Debug, Clone)]
pub(super) struct Resource<'a> {
    pub(super) kind: Kind,
    /// Parent names first, then the resource's own name; `kind.depth() + 1` entries.
    pub(super) names: Vec<String>,
    pub(super) id: Option<ArmId>,
    pub(super) node: Node<'a>,
}

/// What a raw resource turned out to be.
pub(super) enum Classified<'a> {
    Supported(Resource<'a>),
    /// A resource of a type the import does not convert (the type as written).
    Ignored(String),
    /// Not usable: why, and where.
    Unusable(Node<'a>, String),
}

impl<'a> Resource<'a> {
    pub(super) fn classify(raw: RawResource<'a>) -> Classified<'a> {
        let id = raw.node.str_at("id").and_then(ArmId::parse);
        let kind = match (&raw.type_name, &id) {
            (Some(type_name), _) => match Kind::of_type(type_name) {
                Some(kind) => kind,
                None => return Classified::Ignored(type_name.clone()),
            },
            (None, Some(id)) => match Kind::of_id_type(&id.type_path) {
                Some(kind) => kind,
                None => return Classified::Ignored(id.type_path.clone()),
            },
            (None, None) => {
                return Classified::Unusable(
                    raw.node,
                    "it has neither a `type` nor a resource `id`".to_string(),
                )
            }
        };
        match name_path(kind, raw.name.as_deref(), id.as_ref()) {
            Some(names) => Classified::Supported(Resource {
                kind,
                names,
                id,
                node: raw.node,
            }),
            None => Classified::Unusable(
                raw.node,
                format!(
                    "a {} needs a name{} (in `name` or its `id`)",
                    kind.describe(),
                    match kind.depth() {
                        0 => String::new(),
                        depth => format!(" with its {depth} parent name(s), like `parent/child`"),
                    }
                ),
            ),
        }
    }

    /// The resource's own name.
    pub(super) fn name(&self) -> &str {
        self.names.last().map(String::as_str).unwrap_or_default()
    }

    /// The top-level parent's name (the resource's own name when it has no parent).
    pub(super) fn parent(&self) -> &str {
        self.names.first().map(String::as_str).unwrap_or_default()
    }

    pub(super) fn properties(&self) -> Node<'a> {
        self.node.properties()
    }

    /// The region in ARM's canonical form (`West US` → `westus`).
    pub(super) fn location(&self) -> Option<String> {
        self.node
            .str_at("location")
            .map(|location| {
                location
                    .chars()
                    .filter(|c| !c.is_whitespace())
                    .collect::<String>()
                    .to_ascii_lowercase()
            })
            .filter(|location| !location.is_empty())
    }
}

/// `depth + 1` names: from `name` when it has them all, else parents from the ID and the own
/// name from `name` (or the ID).
fn name_path(kind: Kind, name: Option<&str>, id: Option<&ArmId>) -> Option<Vec<String>> {
    let wanted = kind.depth() + 1;
    let usable = |names: &[String]| names.len() == wanted && names.iter().all(|n| !n.is_empty());
    if let Some(name) = name {
        let parts: Vec<String> = name.split('/').map(|p| p.trim().to_string()).collect();
        if usable(&parts) {
            return Some(parts);
        }
    }
    let id_names = id?.names.get(id?.names.len().checked_sub(wanted)?..)?;
    let mut names = id_names.to_vec();
    if let (Some(own), Some(name)) = (names.last_mut(), name) {
        if !name.contains('/') && !name.trim().is_empty() {
            *own = name.trim().to_string();
        }
    }
    usable(&names).then_some(names)
}
