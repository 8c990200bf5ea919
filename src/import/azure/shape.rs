//! Finds the resources in the input documents, whatever wraps them: a single resource, a JSON
//! array, a `{"value": [...]}` list response, an ARM template, or a REST API example file (its
//! 200 or 201 response body). Azure data that is not resources (effective routes and security
//! rules, service tag lists) is recognised so the user can be told what it is.

use serde_json::Value;

use super::arm_id::ArmId;
use super::template;
use crate::import::node::Node;
use crate::import::LoadError;

/// A resource as found in the input: its type and name as written (composed from the parent's
/// for nested template resources) and its node.
#[derive(Debug, Clone)]
pub(super) struct RawResource<'a> {
    pub(super) type_name: Option<String>,
    pub(super) name: Option<String>,
    pub(super) node: Node<'a>,
}

impl<'a> RawResource<'a> {
    pub(super) fn of(node: Node<'a>) -> Self {
        RawResource {
            type_name: node.str_at("type").map(str::to_string),
            name: node.str_at("name").map(str::to_string),
            node,
        }
    }
}

/// Azure data that is recognised but holds no resources.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(super) enum NonResource {
    EffectiveSecurityRules,
    EffectiveRoutes,
    ServiceTags,
}

impl NonResource {
    pub(super) fn describe(self) -> &'static str {
        match self {
            NonResource::EffectiveSecurityRules => "effective security rules",
            NonResource::EffectiveRoutes => "effective routes",
            NonResource::ServiceTags => "service tags",
        }
    }

    /// Why nothing was imported from it, and what to load instead.
    pub(super) fn explain(self) -> &'static str {
        match self {
            NonResource::EffectiveSecurityRules => {
                "effective security rules are Azure's evaluation of a NIC, not resources: nothing \
                 was imported from them (load the NSG, VNet and NIC resources instead)"
            }
            NonResource::EffectiveRoutes => {
                "effective routes are Azure's evaluation of a NIC, not resources: nothing was \
                 imported from them (load the route tables and VNets instead)"
            }
            NonResource::ServiceTags => {
                "service tag lists are not resources: nothing was imported from them (vnetlab \
                 has its own service tag data)"
            }
        }
    }
}

/// Everything found in the documents.
#[derive(Debug, Default)]
pub(super) struct Shapes<'a> {
    pub(super) resources: Vec<RawResource<'a>>,
    pub(super) non_resources: Vec<(NonResource, Node<'a>)>,
    /// Values that are none of the above, with the reason.
    pub(super) unrecognised: Vec<(Node<'a>, String)>,
}

/// Walks every document. Only templates with expressions are errors here.
pub(super) fn collect<'a>(documents: &'a [Value], source: &str) -> Result<Shapes<'a>, LoadError> {
    let mut shapes = Shapes::default();
    let numbered = documents.len() > 1;
    for (index, document) in documents.iter().enumerate() {
        let root = Node::root(document, numbered.then_some(index + 1));
        walk(root, &mut shapes, source)?;
    }
    Ok(shapes)
}

pub(super) fn walk<'a>(
    node: Node<'a>,
    shapes: &mut Shapes<'a>,
    source: &str,
) -> Result<(), LoadError> {
    if node.value.is_array() {
        for item in node.items() {
            walk(item, shapes, source)?;
        }
        return Ok(());
    }
    if !node.value.is_object() {
        let reason = format!("{} is not an Azure resource", node.type_name());
        shapes.unrecognised.push((node, reason));
        return Ok(());
    }
    let schema = node
        .str_at("$schema")
        .unwrap_or_default()
        .to_ascii_lowercase();
    if let Some(responses) = node.get("responses").filter(|r| r.value.is_object()) {
        let body = ["200", "201"]
            .iter()
            .find_map(|status| responses.get(status).and_then(|r| r.get("body")));
        match body {
            Some(body) => walk(body, shapes, source)?,
            None => shapes.unrecognised.push((
                responses,
                "a REST API example without a 200 or 201 response body".to_string(),
            )),
        }
    } else if schema.contains("deploymenttemplate")
        || (node.get("resources").is_some() && node.get("contentVersion").is_some())
    {
        template::expand(&node, shapes, source)?;
    } else if schema.contains("deploymentparameters") {
        shapes.unrecognised.push((
            node,
            "an ARM template parameters file holds parameter values, not resources".to_string(),
        ));
    } else if is_service_tag_list(&node) {
        shapes.non_resources.push((NonResource::ServiceTags, node));
    } else if is_resource(&node) {
        shapes.resources.push(RawResource::of(node));
    } else if let Some(list) = node.get("value").filter(|v| v.value.is_array()) {
        walk(list, shapes, source)?;
    } else if let Some(kind) = non_resource_item(&node) {
        shapes.non_resources.push((kind, node));
    } else {
        shapes.unrecognised.push((
            node,
            "an object without a `type` or a resource `id` is not an Azure resource".to_string(),
        ));
    }
    Ok(())
}

/// A resource names its type (`Microsoft.Network/...`) or has a resource ID to infer it from.
fn is_resource(node: &Node) -> bool {
    node.str_at("type").is_some_and(|t| t.contains('/'))
        || node.str_at("id").and_then(ArmId::parse).is_some()
}

/// The downloadable service tag file and `serviceTags` REST responses: `values` of tags.
fn is_service_tag_list(node: &Node) -> bool {
    node.get("values").is_some_and(|v| v.value.is_array())
        && (node.get("changeNumber").is_some()
            || node
                .str_at("type")
                .is_some_and(|t| t.eq_ignore_ascii_case("Microsoft.Network/serviceTags")))
}

/// Items of effective-rule, effective-route and service-tag-information lists.
fn non_resource_item(node: &Node) -> Option<NonResource> {
    let properties = node.properties();
    if node.get("effectiveSecurityRules").is_some() {
        Some(NonResource::EffectiveSecurityRules)
    } else if ["nextHopType", "addressPrefix", "source"]
        .iter()
        .all(|key| node.get(key).is_some())
    {
        Some(NonResource::EffectiveRoutes)
    } else if properties.get("addressPrefixes").is_some()
        && (properties.get("systemService").is_some() || properties.get("changeNumber").is_some())
    {
        Some(NonResource::ServiceTags)
    } else {
        None
    }
}
