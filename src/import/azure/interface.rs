//! Network interfaces as computes: each NIC (not a private endpoint's) becomes a
//! `virtual_machine` compute named after its VM when a `Microsoft.Compute/virtualMachines`
//! resource in the input uses it as its primary NIC, else after the NIC. Only the primary IP
//! configuration is modelled; the load balancer backend pools any configuration names are recorded
//! for `load_balancer.rs`.

use std::net::Ipv4Addr;

use super::addresses::Holder;
use super::arm_id::referenced_name;
use super::context::Context;
use super::kind::Kind;
use super::load_balancer::{child_of_load_balancer, compute_of_nic};
use super::merge::insert_named;
use super::resource::Resource;
use crate::model::{Compute, ComputeKind, Design, NetworkInterface, NodeCommunication};

pub(super) fn network_interface(context: &mut Context, design: &mut Design, resource: &Resource) {
    let nic_name = resource.name();
    let properties = resource.properties();
    if properties.get("privateEndpoint").is_some() || properties.get("privateLinkService").is_some()
    {
        // A private endpoint's NIC: the endpoint itself is the element.
        return;
    }
    let name = compute_of_nic(context, nic_name);
    let configurations = context.list(&name, &properties, "ipConfigurations");
    let primary = configurations
        .iter()
        .find(|c| {
            c.properties()
                .get("primary")
                .is_some_and(|p| p.value == true)
        })
        .or(configurations.first());
    let Some(configuration) = primary else {
        context.warn(
            &name,
            &resource.node,
            "the NIC has no IP configuration: not imported",
        );
        return;
    };
    if configurations.len() > 1 {
        context.warn(
            &name,
            &resource.node,
            format!(
                "the NIC has {} IP configurations; only the primary `{}` is modelled",
                configurations.len(),
                configuration.str_at("name").unwrap_or_default()
            ),
        );
    }
    let Some((settings, subnet)) = context.configuration_subnet(&name, configuration) else {
        return;
    };
    let private_ip = context.ipv4(&name, &settings, "privateIPAddress");
    if private_ip.is_none() {
        context.await_address(Holder::Compute, &name, &subnet, &settings);
    }
    let public_ip = settings
        .get("publicIPAddress")
        .and_then(|reference| context.public_ip(Holder::Compute, &name, &reference));
    let nsg = properties
        .get("networkSecurityGroup")
        .and_then(|holder| context.reference(Kind::NetworkSecurityGroup, &name, &holder));
    let asgs = context.references(
        Kind::ApplicationSecurityGroup,
        &name,
        &settings,
        "applicationSecurityGroups",
    );
    let ip_forwarding = context
        .flag(&name, &properties, "enableIPForwarding")
        .unwrap_or(false);
    for configuration in &configurations {
        let pools = context.list(
            &name,
            &configuration.properties(),
            "loadBalancerBackendAddressPools",
        );
        for pool in pools {
            let id = pool.str_at("id").or(pool.as_str());
            match id.and_then(child_of_load_balancer) {
                Some((lb, pool)) => context.pool_memberships.push((lb, pool, name.clone())),
                None => context.warn(
                    &name,
                    &pool,
                    "expected a load balancer backend pool ID; ignored",
                ),
            }
        }
    }
    let compute = Compute {
        name,
        kind: ComputeKind::VirtualMachine,
        nic: Some(NetworkInterface {
            subnet,
            private_ip: private_ip.unwrap_or(Ipv4Addr::UNSPECIFIED),
            public_ip,
            nsg,
            asgs,
            ip_forwarding,
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
        &resource.node,
    );
}

/// A VM is imported through its NIC; one whose NICs are all missing is reported.
pub(super) fn virtual_machine(context: &mut Context, resource: &Resource) {
    let name = resource.name();
    let properties = resource.properties();
    let Some(profile) = properties.get("networkProfile") else {
        context.warn(
            name,
            &resource.node,
            "the VM has no `networkProfile`: not imported",
        );
        return;
    };
    let nics = context.list(name, &profile, "networkInterfaces");
    let has_nic_in_input = nics.iter().any(|nic| {
        nic.str_at("id")
            .and_then(|id| referenced_name(id, 0))
            .is_some_and(|nic| context.index.find(Kind::NetworkInterface, &nic).is_some())
    });
    if !has_nic_in_input {
        context.warn(
            name,
            &profile,
            "none of the VM's network interfaces is in the input: the VM is not imported (add \
             its NIC resources)",
        );
    }
}
