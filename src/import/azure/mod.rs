//! Resolved Azure resource JSON → design. The documents are searched for resources (`shape`,
//! `template`), each resource is classified (`resource`, `kind`), an index of what the input
//! holds is built (`index`) so references resolve regardless of order, and each supported
//! resource is converted by its family's module, parents before children. Unsupported types
//! are counted as ignored; every problem is a warning naming the source, the JSON path and the
//! element. Nothing here panics on any input.

mod addresses;
mod aks;
mod aml_compute;
mod arm_id;
mod bastion;
mod context;
mod default_rules;
mod finish;
mod firewall;
mod firewall_policy;
mod firewall_rules;
mod gateway;
mod index;
mod interface;
mod ip_group;
mod kind;
mod load_balancer;
mod merge;
mod network;
mod network_manager;
mod nsg;
mod on_premises;
mod origins;
mod paas;
mod perimeter;
mod private_dns;
mod private_endpoint;
mod readers;
mod references;
mod resource;
mod route_table;
mod service_endpoint_policy;
mod shape;
mod template;
mod values;
mod workspace;

use crate::model::sorting;
use std::collections::BTreeMap;

use serde_json::Value;

use self::context::Context;
use self::index::Index;
use self::kind::Kind;
use self::resource::{Classified, Resource};
use self::shape::{NonResource, Shapes};
use super::{ImportSummary, InputFormat, LoadError, Loaded, ResourceSource};
use crate::model::{validate, Design};

/// Converts the documents (none of them a design) into a design.
pub(super) fn load(documents: &[Value], source: &str) -> Result<Loaded, LoadError> {
    let shapes = shape::collect(documents, source)?;
    if shapes.resources.is_empty() && shapes.non_resources.is_empty() {
        if let Some((node, reason)) = shapes.unrecognised.first() {
            return Err(LoadError::at(
                source,
                node.document,
                node.path.clone(),
                format!(
                    "neither a vnetlab design (no `schema_version`) nor Azure resource JSON: {reason}"
                ),
            ));
        }
    }
    let mut context = Context::new(source);
    let resources = classify(&mut context, shapes);
    context.index = Index::build(&resources);
    let sources = resources
        .iter()
        .map(|resource| ResourceSource {
            arm_type: resource.kind.type_name().to_string(),
            name: resource.names.join("/"),
            location: context.location(&resource.node),
        })
        .collect();
    let mut design = Design::new(design_name(source));
    design.description = format!("Imported from {source}");
    for resource in &resources {
        convert(&mut context, &mut design, resource);
    }
    finish::finish(&mut context, &mut design);
    let mut validation = validate(&design);
    origins::locate(&context, &design, &resources, &mut validation);
    let (mut diagnostics, ignored) = context.into_parts();
    diagnostics.extend(validation);
    sorting::sort(&mut diagnostics);
    diagnostics.dedup();
    let summary = ImportSummary::new(&design, ignored);
    Ok(Loaded {
        design,
        format: InputFormat::AzureResources,
        diagnostics,
        summary,
        sources,
    })
}

/// Supported resources in conversion order; everything else is reported or counted.
fn classify<'a>(context: &mut Context, shapes: Shapes<'a>) -> Vec<Resource<'a>> {
    let found_any = !shapes.resources.is_empty() || !shapes.non_resources.is_empty();
    let mut first_of_kind: BTreeMap<NonResource, String> = BTreeMap::new();
    for (kind, node) in &shapes.non_resources {
        context.ignore(&format!("{} (not resources)", kind.describe()));
        let location = context.location(node);
        first_of_kind.entry(*kind).or_insert(location);
    }
    for (kind, location) in first_of_kind {
        context.warn_at(kind.describe(), location, kind.explain());
    }
    for (node, reason) in &shapes.unrecognised {
        context.warn("input", node, format!("{reason}; ignored"));
    }
    let mut resources = Vec::new();
    let mut ignored_types = 0;
    for raw in shapes.resources {
        match Resource::classify(raw) {
            Classified::Supported(resource) => resources.push(resource),
            Classified::Ignored(type_name) => {
                ignored_types += 1;
                context.ignore(&type_name);
            }
            Classified::Unusable(node, reason) => {
                let element = node.str_at("name").unwrap_or("resource").to_string();
                context.warn(&element, &node, format!("{reason}: not imported"));
            }
        }
    }
    if !found_any {
        context.warn_input("the input holds no resources");
    } else if resources.is_empty() && ignored_types > 0 {
        context.warn_input(format!(
            "none of the input's {ignored_types} resource(s) is of a type vnetlab imports (see \
             the summary's ignored types)"
        ));
    }
    sorting::sort_by_key(&mut resources, |resource| resource.kind);
    resources
}

fn convert(context: &mut Context, design: &mut Design, resource: &Resource) {
    match resource.kind {
        Kind::ApplicationSecurityGroup => {
            nsg::application_security_group(context, design, resource)
        }
        Kind::IpGroup => ip_group::ip_group(context, design, resource),
        // Read through the index by the resources that use them.
        Kind::PublicIpAddress | Kind::NatGateway => {}
        Kind::NetworkSecurityGroup => nsg::network_security_group(context, design, resource),
        Kind::SecurityRule => nsg::security_rule_resource(context, design, resource),
        Kind::DefaultSecurityRule => nsg::default_rule_resource(context, design, resource),
        Kind::RouteTable => route_table::route_table(context, design, resource),
        Kind::Route => route_table::route_resource(context, design, resource),
        Kind::ServiceEndpointPolicy => service_endpoint_policy::policy(context, design, resource),
        Kind::ServiceEndpointPolicyDefinition => {
            service_endpoint_policy::definition_resource(context, design, resource)
        }
        Kind::VirtualNetwork => network::virtual_network(context, design, resource),
        Kind::Subnet => network::subnet_resource(context, design, resource),
        Kind::VirtualNetworkPeering => network::peering_resource(context, design, resource),
        Kind::PrivateDnsZone => private_dns::zone(design, resource),
        Kind::VirtualNetworkLink => private_dns::link(context, design, resource),
        Kind::DnsARecord => private_dns::a_record(context, design, resource),
        Kind::StorageAccount => paas::storage_account(context, design, resource),
        Kind::KeyVault => paas::key_vault(context, design, resource),
        Kind::ContainerRegistry => paas::container_registry(context, design, resource),
        Kind::Workspace => workspace::workspace(context, design, resource),
        Kind::FirewallPolicy => firewall_policy::policy(context, design, resource),
        Kind::RuleCollectionGroup => {
            firewall_policy::rule_collection_group(context, design, resource)
        }
        Kind::AzureFirewall => firewall::firewall(context, design, resource),
        Kind::VirtualMachine => interface::virtual_machine(context, resource),
        Kind::NetworkInterface => interface::network_interface(context, design, resource),
        Kind::LoadBalancer => load_balancer::load_balancer(context, design, resource),
        Kind::LoadBalancerBackendPool => load_balancer::pool_resource(context, design, resource),
        Kind::PrivateEndpoint => private_endpoint::private_endpoint(context, design, resource),
        Kind::PrivateDnsZoneGroup => private_endpoint::dns_zone_group(context, design, resource),
        Kind::WorkspaceCompute => aml_compute::compute(context, design, resource),
        Kind::LocalNetworkGateway => on_premises::local_network_gateway(context, resource),
        Kind::Connection => on_premises::connection(context, resource),
        Kind::VirtualNetworkGateway => gateway::gateway(context, design, resource),
        Kind::BastionHost => bastion::bastion_host(context, design, resource),
        Kind::ManagedCluster => aks::managed_cluster(context, design, resource),
        Kind::AgentPool => aks::agent_pool(context, design, resource),
        Kind::NetworkManager => network_manager::manager(context, design, resource),
        Kind::NetworkGroup => network_manager::group(context, design, resource),
        Kind::StaticMember => network_manager::static_member(context, design, resource),
        // Its rule collections carry what the design needs.
        Kind::SecurityAdminConfiguration => {}
        Kind::AdminRuleCollection => network_manager::rule_collection(context, design, resource),
        Kind::AdminRule => network_manager::admin_rule(context, design, resource),
        Kind::NetworkSecurityPerimeter => perimeter::perimeter(context, design, resource),
        Kind::PerimeterProfile => perimeter::profile(context, design, resource),
        Kind::PerimeterAccessRule => perimeter::access_rule(context, design, resource),
        Kind::PerimeterAssociation => perimeter::association(context, design, resource),
    }
}

/// The design is named after the input file: `az/hub.json` → `hub`.
fn design_name(source: &str) -> String {
    let file = source.rsplit(['/', '\\']).next().unwrap_or(source);
    let stem = file.strip_suffix(".json").unwrap_or(file);
    if stem.trim().is_empty() {
        "imported".to_string()
    } else {
        stem.to_string()
    }
}
