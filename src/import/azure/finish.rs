//! The last steps of an Azure import, once every resource is converted: pick missing private
//! addresses, make peering names unique (Azure scopes them per VNet, the design globally),
//! choose the cloud from the regions, and sort every list by name so the design does not
//! depend on the order of the input.

use crate::model::sorting;
use std::collections::BTreeMap;

use super::addresses::{assign_missing, assign_placeholders};
use super::context::Context;
use super::load_balancer::add_nic_memberships;
use crate::model::{Cloud, Design};

pub(super) fn finish(context: &mut Context, design: &mut Design) {
    assign_missing(context, design);
    assign_placeholders(context, design);
    add_nic_memberships(context, design);
    qualify_repeated_peering_names(design);
    design.cloud = cloud_of(design);
    sort(design);
}

/// Peerings named alike in different VNets become `vnet/name`.
fn qualify_repeated_peering_names(design: &mut Design) {
    let mut uses: BTreeMap<String, usize> = BTreeMap::new();
    for peering in &design.peerings {
        *uses.entry(peering.name.to_ascii_lowercase()).or_default() += 1;
    }
    for peering in &mut design.peerings {
        if uses
            .get(&peering.name.to_ascii_lowercase())
            .copied()
            .unwrap_or(0)
            > 1
        {
            peering.name = format!("{}/{}", peering.local_vnet, peering.name);
        }
    }
}

/// US Government when the design's regions are US Government ones (`usgov…`, `usdod…`).
fn cloud_of(design: &Design) -> Cloud {
    let regions: Vec<&str> = design
        .virtual_networks
        .iter()
        .map(|v| v.region.as_str())
        .chain(design.resources.iter().map(|r| r.region.as_str()))
        .chain(design.workspaces.iter().map(|w| w.region.as_str()))
        .filter(|region| !region.is_empty())
        .collect();
    let government = |region: &&str| region.starts_with("usgov") || region.starts_with("usdod");
    if !regions.is_empty() && regions.iter().all(government) {
        Cloud::UsGovernment
    } else {
        Cloud::Public
    }
}

/// Sorts every list assembled from several resources: top-level lists and children that may
/// come inline or as separate resources. Lists read from one resource (firewall collections,
/// rules of a collection) keep the input's order.
fn sort(design: &mut Design) {
    sorting::sort_by(&mut design.virtual_networks, |a, b| a.name.cmp(&b.name));
    for vnet in &mut design.virtual_networks {
        sorting::sort_by(&mut vnet.subnets, |a, b| a.name.cmp(&b.name));
    }
    sorting::sort_by(&mut design.peerings, |a, b| a.name.cmp(&b.name));
    sorting::sort_by(&mut design.network_security_groups, |a, b| {
        a.name.cmp(&b.name)
    });
    for nsg in &mut design.network_security_groups {
        sorting::sort_by(&mut nsg.rules, |a, b| {
            (a.direction, a.priority, &a.name).cmp(&(b.direction, b.priority, &b.name))
        });
    }
    sorting::sort(&mut design.application_security_groups);
    sorting::sort_by(&mut design.route_tables, |a, b| a.name.cmp(&b.name));
    for table in &mut design.route_tables {
        sorting::sort_by(&mut table.routes, |a, b| a.name.cmp(&b.name));
    }
    sorting::sort_by(&mut design.computes, |a, b| a.name.cmp(&b.name));
    sorting::sort_by(&mut design.private_endpoints, |a, b| a.name.cmp(&b.name));
    for endpoint in &mut design.private_endpoints {
        sorting::sort(&mut endpoint.dns_zones);
    }
    sorting::sort_by(&mut design.private_dns_zones, |a, b| a.name.cmp(&b.name));
    for zone in &mut design.private_dns_zones {
        sorting::sort(&mut zone.vnet_links);
        sorting::sort_by(&mut zone.records, |a, b| {
            (&a.name, a.ip).cmp(&(&b.name, b.ip))
        });
    }
    sorting::sort_by(&mut design.firewalls, |a, b| a.name.cmp(&b.name));
    sorting::sort_by(&mut design.load_balancers, |a, b| a.name.cmp(&b.name));
    sorting::sort_by(&mut design.firewall_policies, |a, b| a.name.cmp(&b.name));
    for policy in &mut design.firewall_policies {
        sorting::sort_by(&mut policy.rule_collection_groups, |a, b| {
            (a.priority, &a.name).cmp(&(b.priority, &b.name))
        });
    }
    sorting::sort_by(&mut design.ip_groups, |a, b| a.name.cmp(&b.name));
    sorting::sort_by(&mut design.service_endpoint_policies, |a, b| {
        a.name.cmp(&b.name)
    });
    for policy in &mut design.service_endpoint_policies {
        sorting::sort_by(&mut policy.definitions, |a, b| a.name.cmp(&b.name));
    }
    sorting::sort_by(&mut design.resources, |a, b| a.name.cmp(&b.name));
    sorting::sort_by(&mut design.workspaces, |a, b| a.name.cmp(&b.name));
}
