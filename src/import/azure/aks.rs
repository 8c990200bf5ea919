//! AKS clusters (`managedClusters`): each agent pool with a `vnetSubnetID`, inline in
//! `agentPoolProfiles` or as an `agentPools` child resource, becomes an `aks_node_pool`
//! compute named `<cluster>/<pool>` with one NIC in that subnet standing for all its nodes.
//! Node addresses are assigned at run time, so one is picked like other missing private IPs;
//! `enableNodePublicIP` gives a placeholder public IP. A pool without a subnet lives in a VNet
//! AKS manages, outside the design, and is reported.

use std::net::Ipv4Addr;

use super::addresses::Holder;
use super::context::Context;
use super::kind::Kind;
use super::merge::insert_named;
use super::resource::Resource;
use crate::import::node::Node;
use crate::model::{Compute, ComputeKind, Design, NetworkInterface, NodeCommunication};

pub(super) fn managed_cluster(context: &mut Context, design: &mut Design, resource: &Resource) {
    let cluster = resource.name();
    let properties = resource.properties();
    let pools = context.list(cluster, &properties, "agentPoolProfiles");
    if pools.is_empty() {
        context.warn(
            cluster,
            &resource.node,
            "the cluster has no `agentPoolProfiles`: no node pool imported",
        );
    }
    for pool in pools {
        match context.text(cluster, &pool, "name") {
            Some(pool_name) if !pool_name.trim().is_empty() => {
                node_pool(
                    context,
                    design,
                    cluster,
                    pool_name.trim(),
                    &pool.properties(),
                );
            }
            _ => context.warn(cluster, &pool, "the agent pool has no `name`: not imported"),
        }
    }
}

/// A standalone `managedClusters/agentPools` resource.
pub(super) fn agent_pool(context: &mut Context, design: &mut Design, resource: &Resource) {
    node_pool(
        context,
        design,
        resource.parent(),
        resource.name(),
        &resource.properties(),
    );
}

fn node_pool(
    context: &mut Context,
    design: &mut Design,
    cluster: &str,
    pool: &str,
    settings: &Node,
) {
    let name = format!("{cluster}/{pool}");
    let Some(holder) = settings.get("vnetSubnetID") else {
        context.warn(
            &name,
            settings,
            "the agent pool has no `vnetSubnetID`: its nodes are in a VNet AKS manages, outside \
             the design; not imported",
        );
        return;
    };
    let Some(subnet) = context.reference(Kind::Subnet, &name, &holder) else {
        return;
    };
    let public_ip = match context.flag(&name, settings, "enableNodePublicIP") {
        Some(true) => Some(context.await_public_ip(
            Holder::Compute,
            &name,
            settings,
            "`enableNodePublicIP` is true and node addresses are assigned at run time".to_string(),
        )),
        _ => None,
    };
    context.await_address(Holder::Compute, &name, &subnet, settings);
    let nodes = match context.number::<u32>(&name, settings, "count") {
        Some(count) => format!("its {count} node(s)"),
        None => "its nodes".to_string(),
    };
    context.warn(
        &name,
        settings,
        format!(
            "the node pool is imported as one compute standing for {nodes}, whose addresses in \
             `{subnet}` are assigned at run time"
        ),
    );
    let compute = Compute {
        name: name.clone(),
        kind: ComputeKind::AksNodePool,
        nic: Some(NetworkInterface {
            subnet,
            private_ip: Ipv4Addr::UNSPECIFIED,
            public_ip,
            nsg: None,
            asgs: Vec::new(),
            ip_forwarding: false,
            snat: false,
        }),
        workspace: None,
        node_communication: NodeCommunication::Simplified,
        explicit_proxy: None,
    };
    insert_named(
        context,
        &mut design.computes,
        compute,
        |c| &c.name,
        "compute",
        settings,
    );
}
