//! Protocol/port classes for the exhaustive exfiltration search. Rules only distinguish ports
//! at the edges of the ranges they name, so the ports 0-65535 split into intervals inside which
//! every NSG rule, firewall rule and managed outbound rule of the design treats all ports alike.
//! Tracing one port per interval (per protocol) therefore covers every port without sampling.
//! Well-known ports are cut out as their own classes so reports name them.

use std::collections::BTreeSet;

use crate::model::{Design, Direction, OutboundRule, PortRange, Protocol, RuleCollection};

/// Ports that always get a class of their own (SSH, DNS, HTTP, HTTPS, SMB, RDP).
pub const WELL_KNOWN_PORTS: [u16; 6] = [22, 53, 80, 443, 445, 3389];

/// A protocol and an interval of destination ports treated alike, with the port traced.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct PortClass {
    pub protocol: Protocol,
    /// `None` for ICMP.
    pub ports: Option<PortRange>,
}

impl PortClass {
    /// The port traced for the class: a well-known port inside it, else its first port.
    pub fn representative(&self) -> Option<u16> {
        let range = self.ports?;
        WELL_KNOWN_PORTS
            .into_iter()
            .find(|p| range.contains(*p))
            .or(Some(range.first))
    }
}

fn outbound_port_ranges(design: &Design) -> Vec<PortRange> {
    let mut ranges = Vec::new();
    for nsg in &design.network_security_groups {
        for rule in nsg
            .rules
            .iter()
            .filter(|r| r.direction == Direction::Outbound)
        {
            ranges.extend(rule.destination_ports.iter().copied());
        }
    }
    let classic = design.firewalls.iter().flat_map(|f| &f.rule_collections);
    let policies = design
        .firewall_policies
        .iter()
        .flat_map(|p| &p.rule_collection_groups)
        .flat_map(|g| &g.rule_collections);
    for collection in classic.chain(policies) {
        match collection {
            RuleCollection::Network { rules, .. } => {
                ranges.extend(
                    rules
                        .iter()
                        .flat_map(|r| r.destination_ports.iter().copied()),
                );
            }
            RuleCollection::Application { rules, .. } => ranges.extend(
                rules
                    .iter()
                    .flat_map(|r| r.protocols.iter().map(|p| PortRange::single(p.port))),
            ),
            RuleCollection::Nat { .. } => {}
        }
    }
    for workspace in &design.workspaces {
        for rule in &workspace.managed_network.outbound_rules {
            if let OutboundRule::ServiceTag { ports, .. } = rule {
                ranges.extend(ports.iter().copied());
            }
        }
    }
    ranges.extend(WELL_KNOWN_PORTS.map(PortRange::single));
    ranges
}

/// The classes for `designs` together (a diff compares two designs on the same classes):
/// TCP and UDP intervals, then ICMP.
pub fn port_classes(designs: &[&Design]) -> Vec<PortClass> {
    let mut cuts: BTreeSet<u32> = [0, u32::from(u16::MAX) + 1].into();
    for design in designs {
        for range in outbound_port_ranges(design) {
            cuts.insert(u32::from(range.first));
            cuts.insert(u32::from(range.last) + 1);
        }
    }
    let cuts: Vec<u32> = cuts.into_iter().collect();
    let intervals: Vec<PortRange> = cuts
        .windows(2)
        .filter_map(|pair| {
            Some(PortRange {
                first: u16::try_from(pair[0]).ok()?,
                last: u16::try_from(pair[1] - 1).ok()?,
            })
        })
        .collect();
    let mut classes = Vec::new();
    for protocol in [Protocol::Tcp, Protocol::Udp] {
        classes.extend(intervals.iter().map(|&ports| PortClass {
            protocol,
            ports: Some(ports),
        }));
    }
    classes.push(PortClass {
        protocol: Protocol::Icmp,
        ports: None,
    });
    classes
}
