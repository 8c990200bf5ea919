//! Private DNS zones: `privateDnsZones`, their `virtualNetworkLinks` (→ linked VNet names, and
//! `NxDomainRedirect` → fallback to internet) and `A` record sets.

use super::context::Context;
use super::kind::Kind;
use super::merge::{parent_or_stub, Child};
use super::resource::Resource;
use super::values;
use crate::model::{Design, DnsRecord, PrivateDnsZone};

pub(super) fn zone(design: &mut Design, resource: &Resource) {
    // Links and records are separate resources: a zone listed twice keeps what it has.
    let known = design
        .private_dns_zones
        .iter()
        .any(|z| z.name.eq_ignore_ascii_case(resource.name()));
    if !known {
        design.private_dns_zones.push(empty_zone(resource.name()));
    }
}

/// A `virtualNetworkLinks` resource: its VNet is linked to the zone (created when missing).
pub(super) fn link(context: &mut Context, design: &mut Design, resource: &Resource) {
    let element = format!("{}/{}", resource.parent(), resource.name());
    let properties = resource.properties();
    let Some(holder) = properties.get("virtualNetwork") else {
        context.warn(
            &element,
            &resource.node,
            "the link has no `virtualNetwork`: not imported",
        );
        return;
    };
    let Some(vnet) = context.reference(Kind::VirtualNetwork, &element, &holder) else {
        return;
    };
    let redirects = context
        .text(&element, &properties, "resolutionPolicy")
        .is_some_and(|policy| policy.eq_ignore_ascii_case("NxDomainRedirect"));
    let position = zone_for(
        context,
        design,
        resource,
        Kind::VirtualNetworkLink,
        &element,
    );
    let Some(zone) = design.private_dns_zones.get_mut(position) else {
        return;
    };
    if zone.vnet_links.is_empty() {
        zone.fallback_to_internet = redirects;
    } else if zone.fallback_to_internet != redirects {
        zone.fallback_to_internet = true;
        context.warn(
            &element,
            &resource.node,
            "the zone's links disagree on `NxDomainRedirect`; vnetlab applies it to the whole zone",
        );
    }
    if !zone
        .vnet_links
        .iter()
        .any(|v| v.eq_ignore_ascii_case(&vnet))
    {
        zone.vnet_links.push(vnet);
    }
}

/// An `A` record set: one record per address.
pub(super) fn a_record(context: &mut Context, design: &mut Design, resource: &Resource) {
    let element = format!("{}/{}", resource.parent(), resource.name());
    let properties = resource.properties();
    let mut records = Vec::new();
    for item in context.list(&element, &properties, "aRecords") {
        let Some(member) = item.get("ipv4Address") else {
            continue;
        };
        let address = member.as_str().map(values::address).unwrap_or_else(|| {
            Err(format!(
                "expected an address string, found {}",
                member.type_name()
            ))
        });
        if let Some(ip) = context.report(&element, &member, address) {
            records.push(DnsRecord {
                name: resource.name().to_string(),
                ip,
            });
        }
    }
    let position = zone_for(context, design, resource, Kind::DnsARecord, &element);
    if let Some(zone) = design.private_dns_zones.get_mut(position) {
        for record in records {
            if !zone.records.contains(&record) {
                zone.records.push(record);
            }
        }
    }
}

fn zone_for(
    context: &mut Context,
    design: &mut Design,
    resource: &Resource,
    child: Kind,
    element: &str,
) -> usize {
    let zone_name = resource.parent();
    parent_or_stub(
        context,
        &mut design.private_dns_zones,
        (Kind::PrivateDnsZone, zone_name),
        |z| &z.name,
        || empty_zone(zone_name),
        Child {
            kind: child,
            element,
            node: &resource.node,
        },
        "",
    )
}

fn empty_zone(name: &str) -> PrivateDnsZone {
    PrivateDnsZone {
        name: name.to_string(),
        vnet_links: Vec::new(),
        records: Vec::new(),
        fallback_to_internet: false,
    }
}
