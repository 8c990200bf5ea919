//! Service endpoint policies: `serviceEndpointPolicies` with inline definitions, and
//! `serviceEndpointPolicies/serviceEndpointPolicyDefinitions` as separate resources.

use super::context::Context;
use super::kind::Kind;
use super::merge::{insert_named, parent_or_stub, Child};
use super::resource::Resource;
use crate::import::node::Node;
use crate::model::{Design, SepDefinition, ServiceEndpointPolicy};

pub(super) fn policy(context: &mut Context, design: &mut Design, resource: &Resource) {
    let name = resource.name();
    let properties = resource.properties();
    let mut policy = ServiceEndpointPolicy {
        name: name.to_string(),
        region: resource.location(),
        definitions: Vec::new(),
    };
    for item in context.list(name, &properties, "serviceEndpointPolicyDefinitions") {
        let definition_name = item.str_at("name").unwrap_or_default();
        if let Some(definition) = definition(context, name, definition_name, &item) {
            insert_named(
                context,
                &mut policy.definitions,
                definition,
                |d| &d.name,
                "definition",
                &item,
            );
        }
    }
    insert_named(
        context,
        &mut design.service_endpoint_policies,
        policy,
        |p| &p.name,
        "service endpoint policy",
        &resource.node,
    );
}

/// A `serviceEndpointPolicyDefinitions` resource, added to its policy (created when missing).
pub(super) fn definition_resource(context: &mut Context, design: &mut Design, resource: &Resource) {
    let policy_name = resource.parent();
    let element = format!("{policy_name}/{}", resource.name());
    let Some(definition) = definition(context, policy_name, resource.name(), &resource.node) else {
        return;
    };
    let position = parent_or_stub(
        context,
        &mut design.service_endpoint_policies,
        (Kind::ServiceEndpointPolicy, policy_name),
        |p| &p.name,
        || ServiceEndpointPolicy {
            name: policy_name.to_string(),
            region: None,
            definitions: Vec::new(),
        },
        Child {
            kind: Kind::ServiceEndpointPolicyDefinition,
            element: &element,
            node: &resource.node,
        },
        ", without a region",
    );
    if let Some(policy) = design.service_endpoint_policies.get_mut(position) {
        insert_named(
            context,
            &mut policy.definitions,
            definition,
            |d| &d.name,
            "definition",
            &resource.node,
        );
    }
}

/// One definition; `None` (reported) without a `service`.
fn definition(
    context: &mut Context,
    policy: &str,
    name: &str,
    node: &Node,
) -> Option<SepDefinition> {
    let element = format!("{policy}/{name}");
    let properties = node.properties();
    let Some(service) = context.text(&element, &properties, "service") else {
        context.warn(
            &element,
            node,
            "the definition has no `service`: not imported",
        );
        return None;
    };
    let service_resources = context
        .texts(&element, &properties, "serviceResources")
        .into_iter()
        .map(|(_, text)| text.to_string())
        .collect();
    Some(SepDefinition {
        name: name.to_string(),
        service: service.to_string(),
        service_resources,
    })
}
