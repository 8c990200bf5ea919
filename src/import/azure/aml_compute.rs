//! AML computes (`workspaces/computes`): compute instances and clusters. In a subnet of yours
//! the compute has a NIC: `enableNodePublicIp` (Azure's default: true) decides whether it has a
//! public IP, and a compute instance's connectivity endpoints give real addresses when present.
//! Without a subnet it lives in the workspace's managed VNet and has no NIC.

use std::net::Ipv4Addr;

use super::addresses::Holder;
use super::context::Context;
use super::kind::Kind;
use super::merge::insert_named;
use super::resource::Resource;
use crate::import::node::Node;
use crate::model::{
    Compute, ComputeKind, Design, ManagedIsolationMode, NetworkInterface, NodeCommunication,
};

const COMPUTE_TYPES: [(&str, ComputeKind); 2] = [
    ("ComputeInstance", ComputeKind::ComputeInstance),
    ("AmlCompute", ComputeKind::ComputeCluster),
];

pub(super) fn compute(context: &mut Context, design: &mut Design, resource: &Resource) {
    let name = resource.name();
    let properties = resource.properties();
    let compute_type = properties.str_at("computeType").unwrap_or_default();
    let Some(kind) = COMPUTE_TYPES
        .iter()
        .find(|(type_name, _)| type_name.eq_ignore_ascii_case(compute_type))
        .map(|(_, kind)| *kind)
    else {
        context.ignore(&format!("{} ({compute_type})", resource.kind.type_name()));
        return;
    };
    let workspace = match context.index.find(Kind::Workspace, resource.parent()) {
        Some(known) => known.to_string(),
        None => {
            context.warn(
                name,
                &resource.node,
                format!(
                    "its workspace `{}` is not in the input; the reference is kept",
                    resource.parent()
                ),
            );
            resource.parent().to_string()
        }
    };
    let settings = properties
        .get("properties")
        .unwrap_or_else(|| properties.clone());
    let nic = match settings.get("subnet") {
        Some(holder) => context
            .reference(Kind::Subnet, name, &holder)
            .map(|subnet| interface(context, name, &settings, subnet)),
        None => {
            let managed = design.workspaces.iter().any(|w| {
                w.name.eq_ignore_ascii_case(&workspace)
                    && w.managed_network.isolation_mode != ManagedIsolationMode::Disabled
            });
            if !managed {
                context.warn(
                    name,
                    &settings,
                    "the compute has no subnet, which only a workspace with a managed VNet \
                     allows: imported without a NIC",
                );
            }
            None
        }
    };
    let compute = Compute {
        name: name.to_string(),
        kind,
        nic,
        workspace: Some(workspace),
        node_communication: NodeCommunication::Simplified,
        explicit_proxy: None,
    };
    insert_named(
        context,
        &mut design.computes,
        compute,
        |c| &c.name,
        "compute",
        &resource.node,
    );
}

/// The compute's NIC in `subnet`: addresses from a compute instance's connectivity endpoints,
/// a public IP when `enableNodePublicIp` is on (Azure's default), else picked later.
fn interface(
    context: &mut Context,
    name: &str,
    settings: &Node,
    subnet: String,
) -> NetworkInterface {
    let endpoints = settings.get("connectivityEndpoints");
    let known_public = endpoints
        .as_ref()
        .and_then(|e| context.ipv4(name, e, "publicIpAddress"));
    let public_ip = match context.flag(name, settings, "enableNodePublicIp") {
        Some(false) => None,
        enabled => known_public.or_else(|| {
            let why = if enabled.is_some() {
                "`enableNodePublicIp` is true but no address is in the input"
            } else {
                "`enableNodePublicIp` is absent (Azure's default: true) and no address is in the input"
            };
            Some(context.await_public_ip(Holder::Compute, name, settings, why.to_string()))
        }),
    };
    let private_ip = endpoints
        .as_ref()
        .and_then(|e| context.ipv4(name, e, "privateIpAddress"));
    if private_ip.is_none() {
        context.await_address(Holder::Compute, name, &subnet, settings);
    }
    NetworkInterface {
        subnet,
        private_ip: private_ip.unwrap_or(Ipv4Addr::UNSPECIFIED),
        public_ip,
        nsg: None,
        asgs: Vec::new(),
        ip_forwarding: false,
        snat: false,
    }
}
