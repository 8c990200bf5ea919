//! Virtual network gateways: VPN or ExpressRoute (`gatewayType`), in the VNet of the
//! `GatewaySubnet` their IP configuration names, advertising the on-premises prefixes of the
//! local network gateways their connections join them to (`on_premises`). A gateway with no
//! connection, or only connections whose prefixes are not in the input (BGP-learned,
//! ExpressRoute), is imported with no prefixes and a warning saying why.

use super::arm_id::referenced_name;
use super::context::Context;
use super::kind::Kind;
use super::merge::insert_named;
use super::resource::Resource;
use crate::model::sorting;
use crate::model::{Design, Gateway, GatewayKind};

const GATEWAY_KINDS: [(&str, GatewayKind); 2] = [
    ("Vpn", GatewayKind::Vpn),
    ("ExpressRoute", GatewayKind::ExpressRoute),
];

const GATEWAY_SUBNET: &str = "GatewaySubnet";

pub(super) fn gateway(context: &mut Context, design: &mut Design, resource: &Resource) {
    let name = resource.name();
    let properties = resource.properties();
    let kind = if properties.get("gatewayType").is_some() {
        context
            .choice(name, &properties, "gatewayType", &GATEWAY_KINDS)
            .unwrap_or_default()
    } else {
        context.warn(
            name,
            &properties,
            "the gateway has no `gatewayType`: imported as a VPN gateway",
        );
        GatewayKind::Vpn
    };
    let configurations = context.list(name, &properties, "ipConfigurations");
    let subnets: Vec<_> = configurations
        .iter()
        .filter_map(|configuration| {
            let holder = configuration.properties().get("subnet")?;
            let id = holder.str_at("id").or(holder.as_str())?;
            let subnet = referenced_name(id, 1)?;
            Some((holder, subnet))
        })
        .collect();
    let is_gateway_subnet = |subnet: &str| {
        subnet
            .rsplit('/')
            .next()
            .is_some_and(|last| last.eq_ignore_ascii_case(GATEWAY_SUBNET))
    };
    let chosen = subnets
        .iter()
        .find(|(_, subnet)| is_gateway_subnet(subnet))
        .or(subnets.first());
    let Some(subnet) = chosen.and_then(|(holder, _)| context.reference(Kind::Subnet, name, holder))
    else {
        context.warn(
            name,
            &resource.node,
            "the gateway has no IP configuration with a subnet, so its VNet is unknown: not \
             imported",
        );
        return;
    };
    if !is_gateway_subnet(&subnet) {
        context.warn(
            name,
            &properties,
            format!(
                "the gateway's subnet `{subnet}` is not a `{GATEWAY_SUBNET}`, which Azure \
                 requires; its VNet is used"
            ),
        );
    }
    let vnet = subnet
        .split_once('/')
        .map(|(vnet, _)| vnet)
        .unwrap_or(&subnet)
        .to_string();
    let reach = context.index.on_premises.reach(name);
    if reach.prefixes.is_empty() {
        let why = if reach.connected {
            reach.notes.join("; ")
        } else {
            "no connection (`Microsoft.Network/connections`) in the input joins it to a local \
             network gateway"
                .to_string()
        };
        context.warn(
            name,
            &resource.node,
            format!("{why}: imported with no on-premises prefixes"),
        );
    } else if !reach.notes.is_empty() {
        context.warn(
            name,
            &resource.node,
            format!(
                "some connections add no on-premises prefixes: {}",
                reach.notes.join("; ")
            ),
        );
    }
    let gateway = Gateway {
        name: name.to_string(),
        kind,
        vnet,
        on_premises_prefixes: reach.prefixes,
    };
    insert_named(
        context,
        &mut design.gateways,
        gateway,
        |g| &g.name,
        "gateway",
        &resource.node,
    );
    sorting::sort_by(&mut design.gateways, |a, b| a.name.cmp(&b.name));
}
