//! Where each element of a converted design came from, so that validation diagnostics — found
//! in the design (`$.network_security_groups[0].rules[1].priority`) — point into the user's
//! file instead (`input.json: $[3].properties.securityRules[1]`), keeping the design path in
//! the message. An element is found by its kind and name among the input's resources; a
//! nested element (a rule, a subnet, a route, a rule collection and its rules) as a child
//! resource or as an item with that name in an array of its parent (or of its properties).

use serde_json::Value;

use super::context::Context;
use super::kind::Kind;
use super::resource::Resource;
use crate::import::node::Node;
use crate::model::{Design, Diagnostic};

/// The resource kinds each design collection is converted from.
const COLLECTIONS: [(&str, &[Kind]); 17] = [
    ("virtual_networks", &[Kind::VirtualNetwork]),
    ("peerings", &[Kind::VirtualNetworkPeering]),
    ("gateways", &[Kind::VirtualNetworkGateway]),
    ("network_security_groups", &[Kind::NetworkSecurityGroup]),
    (
        "application_security_groups",
        &[Kind::ApplicationSecurityGroup],
    ),
    ("route_tables", &[Kind::RouteTable]),
    (
        "computes",
        &[
            Kind::VirtualMachine,
            Kind::WorkspaceCompute,
            Kind::NetworkInterface,
        ],
    ),
    ("private_endpoints", &[Kind::PrivateEndpoint]),
    ("private_dns_zones", &[Kind::PrivateDnsZone]),
    ("firewalls", &[Kind::AzureFirewall]),
    ("firewall_policies", &[Kind::FirewallPolicy]),
    ("load_balancers", &[Kind::LoadBalancer]),
    ("ip_groups", &[Kind::IpGroup]),
    ("service_endpoint_policies", &[Kind::ServiceEndpointPolicy]),
    (
        "resources",
        &[
            Kind::StorageAccount,
            Kind::KeyVault,
            Kind::ContainerRegistry,
        ],
    ),
    ("workspaces", &[Kind::Workspace]),
    (
        "network_security_perimeters",
        &[Kind::NetworkSecurityPerimeter],
    ),
];

/// Rewrites the design paths of `diagnostics` to the input locations their elements came
/// from; diagnostics whose element is not found keep their design path.
pub(super) fn locate(
    context: &Context,
    design: &Design,
    resources: &[Resource],
    diagnostics: &mut [Diagnostic],
) {
    let Ok(design_value) = serde_json::to_value(design) else {
        return;
    };
    for diagnostic in diagnostics {
        if let Some(origin) = origin(context, &design_value, resources, &diagnostic.path) {
            diagnostic.message = format!(
                "{} (converted design: {})",
                diagnostic.message, diagnostic.path
            );
            diagnostic.path = origin;
        }
    }
}

/// `$.collection[i]` and the named children below it (`.rules[j]`, `.rule_collection_groups[j]
/// .rule_collections[k]…`) of a design path.
struct DesignPath<'p> {
    collection: &'p str,
    index: usize,
    children: Vec<(&'p str, usize)>,
}

fn parse(path: &str) -> Option<DesignPath<'_>> {
    let rest = path.strip_prefix("$.")?;
    let (collection, index, mut rest) = segment(rest)?;
    let mut children = Vec::new();
    while let Some((field, index, tail)) = rest.strip_prefix('.').and_then(segment) {
        children.push((field, index));
        rest = tail;
    }
    Some(DesignPath {
        collection,
        index,
        children,
    })
}

/// `field[3]…` → (`field`, 3, `…`).
fn segment(text: &str) -> Option<(&str, usize, &str)> {
    let (field, rest) = text.split_once('[')?;
    let (index, rest) = rest.split_once(']')?;
    Some((field, index.parse().ok()?, rest))
}

fn name_of(value: &Value) -> Option<&str> {
    value
        .as_str()
        .or_else(|| value.get("name").and_then(Value::as_str))
}

fn origin(context: &Context, design: &Value, resources: &[Resource], path: &str) -> Option<String> {
    let parsed = parse(path)?;
    let kinds = COLLECTIONS
        .iter()
        .find(|(collection, _)| *collection == parsed.collection)?
        .1;
    let element = design.get(parsed.collection)?.get(parsed.index)?;
    let name = name_of(element)?;
    let resource = resources.iter().find(|resource| {
        kinds.contains(&resource.kind) && resource.name().eq_ignore_ascii_case(name)
    });
    // The deepest named child found in the input, else the element itself.
    let mut node = resource.map(|resource| resource.node.clone());
    let mut design_child = element;
    for (depth, (field, index)) in parsed.children.iter().enumerate() {
        let Some(child) = design_child.get(field).and_then(|items| items.get(index)) else {
            break;
        };
        let Some(child_name) = name_of(child) else {
            break;
        };
        let found = if depth == 0 {
            child_origin(resources, name, resource, child_name)
        } else {
            node.as_ref().and_then(|node| named_item(node, child_name))
        };
        match found {
            Some(found) => node = Some(found),
            None => break,
        }
        design_child = child;
    }
    Some(context.location(&node?))
}

/// An item named `name` in an array of `node` or of its `properties`.
fn named_item<'a>(node: &Node<'a>, name: &str) -> Option<Node<'a>> {
    [node.properties(), node.clone()]
        .iter()
        .flat_map(Node::entries)
        .flat_map(|(_, list)| list.items())
        .find(|item| {
            item.str_at("name")
                .is_some_and(|n| n.eq_ignore_ascii_case(name))
        })
}

/// A child named `name` of the element `parent_name`: a child resource (also when the parent
/// itself is not in the input), or an item of an array of the parent resource's properties.
fn child_origin<'a>(
    resources: &[Resource<'a>],
    parent_name: &str,
    parent: Option<&Resource<'a>>,
    name: &str,
) -> Option<Node<'a>> {
    let standalone = resources.iter().find(|resource| {
        resource.names.len() == 2
            && resource.parent().eq_ignore_ascii_case(parent_name)
            && resource.name().eq_ignore_ascii_case(name)
    });
    if let Some(child) = standalone {
        return Some(child.node.clone());
    }
    named_item(&parent?.node, name)
}
