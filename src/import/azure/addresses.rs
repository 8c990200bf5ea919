//! Addresses the input does not give. A NIC with dynamic allocation and no address yet, an AML
//! compute or a private endpoint without one still needs a private IP in the design: the first
//! free address of its subnet from `.4` (Azure reserves `.0`-`.3`) is picked. Public IPs known
//! to exist but without an address get placeholders from the documentation ranges
//! (198.51.100.0/24, then 203.0.113.0/24). Elements wait with the unspecified address until
//! conversion ends, then are served in name order, so the result does not depend on the order
//! of the input; each diagnostic states the address given.

use crate::model::sorting;
use std::collections::BTreeSet;
use std::net::Ipv4Addr;

use ipnet::Ipv4Net;

use super::context::Context;
use crate::model::Design;

/// Which design list holds an element waiting for an address.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Holder {
    Compute,
    Firewall,
    PrivateEndpoint,
}

/// An element imported with the unspecified address, to be given one from its subnet.
#[derive(Debug, Clone)]
pub(super) struct MissingAddress {
    pub(super) holder: Holder,
    pub(super) name: String,
    pub(super) subnet: String,
    /// Where in the input the address was expected.
    pub(super) location: String,
}

/// An element that has a public IP whose address the input does not give.
#[derive(Debug, Clone)]
pub(super) struct MissingPublicIp {
    pub(super) holder: Holder,
    pub(super) name: String,
    pub(super) location: String,
    /// Why there is no address, for the diagnostic.
    pub(super) reason: String,
}

/// The `n`th placeholder: 198.51.100.1-254, then 203.0.113.1-254 (the last one repeats).
fn placeholder(n: usize) -> Ipv4Addr {
    let in_range = |offset: usize| u8::try_from(offset + 1).unwrap_or(254).min(254);
    match n.checked_sub(254) {
        None => Ipv4Addr::new(198, 51, 100, in_range(n)),
        Some(beyond) => Ipv4Addr::new(203, 0, 113, in_range(beyond)),
    }
}

/// Gives each element waiting for a public address a placeholder, in name order.
pub(super) fn assign_placeholders(context: &mut Context, design: &mut Design) {
    let mut missing = std::mem::take(&mut context.missing_public_ips);
    sorting::sort_by(&mut missing, |a, b| a.name.cmp(&b.name));
    for (n, waiting) in missing.into_iter().enumerate() {
        let address = placeholder(n);
        let slot = match waiting.holder {
            Holder::Compute => design
                .computes
                .iter_mut()
                .filter(|c| c.name == waiting.name)
                .filter_map(|c| c.nic.as_mut())
                .find_map(|nic| nic.public_ip.as_mut().filter(|ip| ip.is_unspecified())),
            Holder::Firewall => design
                .firewalls
                .iter_mut()
                .filter(|f| f.name == waiting.name)
                .find_map(|f| {
                    f.public_ip
                        .iter_mut()
                        .chain(f.additional_public_ips.iter_mut())
                        .find(|ip| ip.is_unspecified())
                }),
            Holder::PrivateEndpoint => None,
        };
        if let Some(slot) = slot {
            *slot = address;
            context.warn_at(
                &waiting.name,
                waiting.location,
                format!(
                    "{}: placeholder address {address} stands for it",
                    waiting.reason
                ),
            );
        }
    }
}

/// Gives each waiting element the first free address of its subnet; elements whose subnet is
/// unknown or full are removed, with a diagnostic either way.
pub(super) fn assign_missing(context: &mut Context, design: &mut Design) {
    let mut missing = std::mem::take(&mut context.missing_addresses);
    sorting::sort_by(&mut missing, |a, b| a.name.cmp(&b.name));
    let mut used: BTreeSet<Ipv4Addr> = design
        .computes
        .iter()
        .filter_map(|c| c.nic.as_ref().map(|nic| nic.private_ip))
        .chain(design.firewalls.iter().map(|f| f.private_ip))
        .chain(design.private_endpoints.iter().map(|p| p.private_ip))
        .filter(|ip| !ip.is_unspecified())
        .collect();
    let mut removed: Vec<(Holder, String)> = Vec::new();
    for waiting in missing {
        let prefix = subnet_prefix(design, &waiting.subnet);
        let picked = prefix.and_then(|prefix| first_free(prefix, &used));
        let message = match (prefix, picked) {
            (Some(prefix), Some(address)) => {
                if set_address(design, waiting.holder, &waiting.name, address) {
                    used.insert(address);
                    format!(
                        "no private IP address in the input: picked {address}, the first free \
                         address of subnet `{}` ({prefix}) from .4",
                        waiting.subnet
                    )
                } else {
                    continue;
                }
            }
            (Some(prefix), None) => {
                removed.push((waiting.holder, waiting.name.clone()));
                format!(
                    "no private IP address in the input and subnet `{}` ({prefix}) has no free \
                     address: not imported",
                    waiting.subnet
                )
            }
            (None, _) => {
                removed.push((waiting.holder, waiting.name.clone()));
                format!(
                    "no private IP address in the input and its subnet `{}` is not in the input, \
                     so none can be picked: not imported",
                    waiting.subnet
                )
            }
        };
        context.warn_at(&waiting.name, waiting.location, message);
    }
    for (holder, name) in removed {
        let waiting = |ip: Option<Ipv4Addr>, element: &str| {
            ip.is_some_and(|ip| ip.is_unspecified()) && element == name
        };
        match holder {
            Holder::Compute => design
                .computes
                .retain(|c| !waiting(c.nic.as_ref().map(|n| n.private_ip), &c.name)),
            Holder::Firewall => design
                .firewalls
                .retain(|f| !waiting(Some(f.private_ip), &f.name)),
            Holder::PrivateEndpoint => design
                .private_endpoints
                .retain(|p| !waiting(Some(p.private_ip), &p.name)),
        }
    }
}

fn subnet_prefix(design: &Design, subnet: &str) -> Option<Ipv4Net> {
    let (vnet, name) = subnet.split_once('/')?;
    design
        .virtual_networks
        .iter()
        .filter(|v| v.name.eq_ignore_ascii_case(vnet))
        .flat_map(|v| &v.subnets)
        .find(|s| s.name.eq_ignore_ascii_case(name))
        .map(|s| s.prefix)
}

/// The first address from `.4` that is neither used nor the broadcast address.
fn first_free(prefix: Ipv4Net, used: &BTreeSet<Ipv4Addr>) -> Option<Ipv4Addr> {
    let start = u32::from(prefix.network()).checked_add(4)?;
    let end = u32::from(prefix.broadcast());
    (start..end)
        .map(Ipv4Addr::from)
        .find(|address| !used.contains(address))
}

/// Sets the address of the named element that is still waiting for one.
fn set_address(design: &mut Design, holder: Holder, name: &str, address: Ipv4Addr) -> bool {
    let slot = match holder {
        Holder::Compute => design
            .computes
            .iter_mut()
            .filter(|c| c.name == name)
            .filter_map(|c| c.nic.as_mut())
            .find(|nic| nic.private_ip.is_unspecified())
            .map(|nic| &mut nic.private_ip),
        Holder::Firewall => design
            .firewalls
            .iter_mut()
            .find(|f| f.name == name && f.private_ip.is_unspecified())
            .map(|f| &mut f.private_ip),
        Holder::PrivateEndpoint => design
            .private_endpoints
            .iter_mut()
            .find(|p| p.name == name && p.private_ip.is_unspecified())
            .map(|p| &mut p.private_ip),
    };
    match slot {
        Some(slot) => {
            *slot = address;
            true
        }
        None => false,
    }
}
