//! Azure Bastion hosts. The design has no Bastion element, so a Bastion host becomes a
//! `jump_box` compute named after it, with a NIC in its `AzureBastionSubnet` (the address
//! picked like other missing private IPs) and its public IP: it stands for the Bastion
//! service's instances, which open the RDP/SSH sessions to your VMs from that subnet, and the
//! NSG of the subnet applies to it. A warning says so for each host.

use std::net::Ipv4Addr;

use super::addresses::Holder;
use super::context::Context;
use super::merge::insert_named;
use super::resource::Resource;
use crate::model::{Compute, ComputeKind, Design, NetworkInterface, NodeCommunication};

const BASTION_SUBNET: &str = "AzureBastionSubnet";

pub(super) fn bastion_host(context: &mut Context, design: &mut Design, resource: &Resource) {
    let name = resource.name();
    let properties = resource.properties();
    let configurations = context.list(name, &properties, "ipConfigurations");
    let Some(configuration) = configurations.first() else {
        context.warn(
            name,
            &resource.node,
            "the Bastion host has no IP configuration (the Developer SKU runs on shared \
             infrastructure, outside your VNet): not imported",
        );
        return;
    };
    let Some((settings, subnet)) = context.configuration_subnet(name, configuration) else {
        return;
    };
    let in_bastion_subnet = subnet
        .rsplit('/')
        .next()
        .is_some_and(|last| last.eq_ignore_ascii_case(BASTION_SUBNET));
    if !in_bastion_subnet {
        context.warn(
            name,
            &settings,
            format!(
                "the Bastion host's subnet `{subnet}` is not an `{BASTION_SUBNET}`, which Azure \
                 requires; it is used as given"
            ),
        );
    }
    let private_ip = context.ipv4(name, &settings, "privateIPAddress");
    if private_ip.is_none() {
        context.await_address(Holder::Compute, name, &subnet, &settings);
    }
    let public_ip = settings
        .get("publicIPAddress")
        .and_then(|reference| context.public_ip(Holder::Compute, name, &reference));
    context.warn(
        name,
        &resource.node,
        format!(
            "the design has no Azure Bastion element: imported as jump box `{name}` in \
             `{subnet}`, standing for the Bastion service's instances that open sessions to \
             your VMs"
        ),
    );
    let compute = Compute {
        name: name.to_string(),
        kind: ComputeKind::JumpBox,
        nic: Some(NetworkInterface {
            subnet,
            private_ip: private_ip.unwrap_or(Ipv4Addr::UNSPECIFIED),
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
        &resource.node,
    );
}
