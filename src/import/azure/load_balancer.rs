//! Load balancers (`Microsoft.Network/loadBalancers`, the shape of Microsoft's REST examples
//! `LoadBalancerCreate.json` / `LoadBalancerGet.json`): frontend IP configurations (a subnet
//! and private address, or a public IP), backend pools (inline, or as
//! `loadBalancers/backendAddressPools` resources), probes, load-balancing rules and outbound
//! rules. Pool members come from two places: a pool's `loadBalancerBackendAddresses`
//! naming NIC IP configurations (or the private address of a NIC in the input), and a NIC IP
//! configuration's `loadBalancerBackendAddressPools`
//! (recorded by `interface.rs` and added in `finish`); either way a member is the compute its
//! NIC became. Inbound NAT rules and pools are not modelled and are reported, and so is a Basic
//! SKU (modelled as Standard).

use super::arm_id::ArmId;
use super::context::Context;
use super::kind::Kind;
use super::merge::{insert_named, parent_or_stub, Child};
use super::resource::Resource;
use super::values;
use crate::import::node::Node;
use crate::model::sorting;
use crate::model::{
    BackendPool, Design, Frontend, HealthProbe, LoadBalancer, LoadBalancerOutboundRule,
    LoadBalancerProtocol, LoadBalancingRule, NoHealthyBackends, ProbeProtocol,
};

const PROTOCOLS: [(&str, LoadBalancerProtocol); 3] = [
    ("Tcp", LoadBalancerProtocol::Tcp),
    ("Udp", LoadBalancerProtocol::Udp),
    ("All", LoadBalancerProtocol::All),
];

const PROBE_PROTOCOLS: [(&str, ProbeProtocol); 3] = [
    ("Tcp", ProbeProtocol::Tcp),
    ("Http", ProbeProtocol::Http),
    ("Https", ProbeProtocol::Https),
];

const NO_HEALTHY_BACKENDS: [(&str, NoHealthyBackends); 2] = [
    ("AllProbedDown", NoHealthyBackends::AllProbedDown),
    ("AllProbedUp", NoHealthyBackends::AllProbedUp),
];

/// A pool membership found on a NIC: (load balancer, pool, compute).
pub(super) type PoolMembership = (String, String, String);

/// The load balancer and child name of a sub-resource ID
/// (`…/loadBalancers/lb/backendAddressPools/pool` → `("lb", "pool")`).
pub(super) fn child_of_load_balancer(id: &str) -> Option<(String, String)> {
    let parsed = ArmId::parse(id)?;
    let [lb, child] = parsed.names.as_slice() else {
        return None;
    };
    parsed
        .type_path
        .to_ascii_lowercase()
        .starts_with("microsoft.network/loadbalancers/")
        .then(|| (lb.clone(), child.clone()))
}

/// The compute a NIC became (its VM's name when the input has the VM).
pub(super) fn compute_of_nic(context: &Context, nic: &str) -> String {
    context.index.vm_of_nic(nic).unwrap_or(nic).to_string()
}

pub(super) fn load_balancer(context: &mut Context, design: &mut Design, resource: &Resource) {
    let name = resource.name();
    let properties = resource.properties();
    let frontends = context
        .list(name, &properties, "frontendIPConfigurations")
        .iter()
        .filter_map(|item| frontend(context, name, item))
        .collect();
    let backend_pools = context
        .list(name, &properties, "backendAddressPools")
        .iter()
        .filter_map(|item| {
            let pool_name = item_name(context, name, item)?;
            Some(pool(context, design, name, pool_name, item))
        })
        .collect();
    let probes = context
        .list(name, &properties, "probes")
        .iter()
        .filter_map(|item| {
            let settings = item.properties();
            Some(HealthProbe {
                name: item_name(context, name, item)?,
                protocol: context.choice(name, &settings, "protocol", &PROBE_PROTOCOLS)?,
                port: context.number(name, &settings, "port")?,
                no_healthy_backends: context
                    .choice(
                        name,
                        &settings,
                        "noHealthyBackendsBehavior",
                        &NO_HEALTHY_BACKENDS,
                    )
                    .unwrap_or_default(),
            })
        })
        .collect();
    let rules = context
        .list(name, &properties, "loadBalancingRules")
        .iter()
        .filter_map(|item| rule(context, name, item))
        .collect();
    let outbound_rules = context
        .list(name, &properties, "outboundRules")
        .iter()
        .filter_map(|item| outbound_rule(context, name, item))
        .collect();
    let sku = resource.node.get("sku").and_then(|sku| sku.get("name"));
    if let Some(sku) = sku.filter(|s| s.as_str().is_some_and(|n| n.eq_ignore_ascii_case("Basic"))) {
        context.warn(
            name,
            &sku,
            "a Basic load balancer is modelled with Standard semantics (HA ports, outbound rules, health probes through NSGs); Basic was retired on 30 September 2025",
        );
    }
    for key in ["inboundNatRules", "inboundNatPools"] {
        if let Some(node) = properties.get(key).filter(|n| !n.items().is_empty()) {
            context.warn(
                name,
                &node,
                "inbound NAT rules are not modelled: flows they would carry are not traced",
            );
        }
    }
    let lb = LoadBalancer {
        name: name.to_string(),
        frontends,
        backend_pools,
        probes,
        rules,
        outbound_rules,
    };
    insert_named(
        context,
        &mut design.load_balancers,
        lb,
        |l| &l.name,
        "load balancer",
        &resource.node,
    );
}

fn item_name(context: &mut Context, lb: &str, item: &Node) -> Option<String> {
    let name = context.text(lb, item, "name").map(str::to_string);
    if name.is_none() {
        context.warn(lb, item, "the item has no `name`: not imported");
    }
    name
}

/// The last name of a sub-resource reference (`{"id": "…/frontendIPConfigurations/fe"}`).
fn child_reference(context: &mut Context, lb: &str, holder: &Node) -> Option<String> {
    let id = holder.str_at("id").or(holder.as_str());
    let child = id.and_then(child_of_load_balancer).map(|(_, child)| child);
    if child.is_none() {
        context.warn(
            lb,
            holder,
            "expected a reference to a part of a load balancer (`{\"id\": \"…/loadBalancers/lb/…/name\"}`); ignored",
        );
    }
    child
}

fn frontend(context: &mut Context, lb: &str, item: &Node) -> Option<Frontend> {
    let name = item_name(context, lb, item)?;
    let settings = item.properties();
    let element = format!("{lb}/{name}");
    if let Some(reference) = settings.get("publicIPAddress") {
        let inline = reference
            .properties()
            .str_at("ipAddress")
            .and_then(|text| values::address(text).ok());
        let id = reference.str_at("id").or(reference.as_str());
        let indexed = id
            .and_then(|id| super::arm_id::referenced_name(id, 0))
            .and_then(|pip| context.index.public_ip(&pip));
        let Some(public_ip) = inline.or(indexed) else {
            context.warn(
                &element,
                &reference,
                "the frontend's public IP has no address in the input: the frontend is not imported",
            );
            return None;
        };
        return Some(Frontend {
            name,
            subnet: None,
            private_ip: None,
            public_ip: Some(public_ip),
        });
    }
    let subnet = settings
        .get("subnet")
        .and_then(|holder| context.reference(Kind::Subnet, &element, &holder));
    let private_ip = context.ipv4(&element, &settings, "privateIPAddress");
    if subnet.is_some() && private_ip.is_none() {
        context.warn(
            &element,
            item,
            "the frontend has no private address in the input (dynamic allocation before deployment): give `privateIPAddress`; the frontend is not imported",
        );
        return None;
    }
    Some(Frontend {
        name,
        subnet,
        private_ip,
        public_ip: None,
    })
}

/// A `loadBalancers/backendAddressPools` resource (a Bicep or template child), added to its
/// load balancer (created when missing).
pub(super) fn pool_resource(context: &mut Context, design: &mut Design, resource: &Resource) {
    let lb_name = resource.parent();
    let element = format!("{lb_name}/{}", resource.name());
    let pool = pool(
        context,
        design,
        lb_name,
        resource.name().to_string(),
        &resource.node,
    );
    let position = parent_or_stub(
        context,
        &mut design.load_balancers,
        (Kind::LoadBalancer, lb_name),
        |l| &l.name,
        || LoadBalancer {
            name: lb_name.to_string(),
            frontends: Vec::new(),
            backend_pools: Vec::new(),
            probes: Vec::new(),
            rules: Vec::new(),
            outbound_rules: Vec::new(),
        },
        Child {
            kind: Kind::LoadBalancerBackendPool,
            element: &element,
            node: &resource.node,
        },
        "",
    );
    if let Some(lb) = design.load_balancers.get_mut(position) {
        insert_named(
            context,
            &mut lb.backend_pools,
            pool,
            |p| &p.name,
            "backend pool",
            &resource.node,
        );
    }
}

fn pool(
    context: &mut Context,
    design: &Design,
    lb: &str,
    name: String,
    item: &Node,
) -> BackendPool {
    let settings = item.properties();
    let mut members = Vec::new();
    for address in context.list(lb, &settings, "loadBalancerBackendAddresses") {
        let configuration = address.properties().get("networkInterfaceIPConfiguration");
        let nic = configuration
            .as_ref()
            .and_then(|c| c.str_at("id"))
            .and_then(ArmId::parse)
            .filter(|id| {
                id.type_path
                    .eq_ignore_ascii_case("Microsoft.Network/networkInterfaces/ipConfigurations")
            })
            .and_then(|id| id.names.first().cloned());
        // An address given by IP (`azurerm_lb_backend_address_pool_address`) is the compute
        // holding it (NICs are converted before load balancers).
        let by_address = || {
            let ip = address.properties().str_at("ipAddress")?;
            let ip = values::address(ip).ok()?;
            design
                .computes
                .iter()
                .find(|c| c.nic.as_ref().is_some_and(|n| n.private_ip == ip))
                .map(|c| c.name.clone())
        };
        match nic.map(|nic| compute_of_nic(context, &nic)).or_else(by_address) {
            Some(member) => members.push(member),
            None => context.warn(
                &format!("{lb}/{name}"),
                &address,
                "the backend address names neither a NIC IP configuration nor the address of a NIC in the input; ignored",
            ),
        }
    }
    BackendPool { name, members }
}

fn rule(context: &mut Context, lb: &str, item: &Node) -> Option<LoadBalancingRule> {
    let name = item_name(context, lb, item)?;
    let settings = item.properties();
    let element = format!("{lb}/{name}");
    let frontend = settings
        .get("frontendIPConfiguration")
        .and_then(|holder| child_reference(context, &element, &holder));
    let backend_pool = settings
        .get("backendAddressPool")
        .or_else(|| {
            settings
                .get("backendAddressPools")
                .and_then(|p| p.items().into_iter().next())
        })
        .and_then(|holder| child_reference(context, &element, &holder));
    let probe = settings
        .get("probe")
        .and_then(|holder| child_reference(context, &element, &holder));
    let (Some(frontend), Some(backend_pool)) = (frontend, backend_pool) else {
        context.warn(
            &element,
            item,
            "a load-balancing rule needs a frontend IP configuration and a backend pool: not imported",
        );
        return None;
    };
    Some(LoadBalancingRule {
        name,
        frontend,
        backend_pool,
        protocol: context.choice(&element, &settings, "protocol", &PROTOCOLS)?,
        frontend_port: context.number(&element, &settings, "frontendPort")?,
        backend_port: context.number(&element, &settings, "backendPort")?,
        probe,
    })
}

fn outbound_rule(context: &mut Context, lb: &str, item: &Node) -> Option<LoadBalancerOutboundRule> {
    let name = item_name(context, lb, item)?;
    let settings = item.properties();
    let element = format!("{lb}/{name}");
    let frontends = context
        .list(&element, &settings, "frontendIPConfigurations")
        .iter()
        .filter_map(|holder| child_reference(context, &element, holder))
        .collect();
    let Some(backend_pool) = settings
        .get("backendAddressPool")
        .and_then(|holder| child_reference(context, &element, &holder))
    else {
        context.warn(
            &element,
            item,
            "an outbound rule needs a backend pool: not imported",
        );
        return None;
    };
    Some(LoadBalancerOutboundRule {
        name,
        frontends,
        backend_pool,
        protocol: context.choice(&element, &settings, "protocol", &PROTOCOLS)?,
    })
}

/// Adds the memberships NICs declared to the pools they name; a pool the design lacks is
/// reported.
pub(super) fn add_nic_memberships(context: &mut Context, design: &mut Design) {
    let memberships = std::mem::take(&mut context.pool_memberships);
    for (lb, pool, compute) in memberships {
        let target = design
            .load_balancers
            .iter_mut()
            .find(|l| l.name == lb)
            .and_then(|l| l.backend_pools.iter_mut().find(|p| p.name == pool));
        match target {
            Some(pool) => {
                if !pool.members.contains(&compute) {
                    pool.members.push(compute);
                }
            }
            None => context.warn_input(format!(
                "compute {compute} is in backend pool {pool} of load balancer {lb}, which is not in the input; the membership is ignored"
            )),
        }
    }
    for lb in &mut design.load_balancers {
        for pool in &mut lb.backend_pools {
            sorting::sort(&mut pool.members);
            pool.members.dedup();
        }
    }
}
