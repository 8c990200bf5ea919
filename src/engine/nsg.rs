//! NSGs lowered into first-match tables: user rules and the six default rules, per direction,
//! sorted by priority. Evaluation returns the first matching rule, or why it cannot decide.

use crate::model::sorting;
use std::cell::Cell;

use super::address::{AddressScope, CompiledAddress, Match, Party};
use super::port_span::PortSpan;
use super::service_tags::ServiceTagData;
use crate::model::{
    Access, AddressMatch, Cloud, Diagnostic, Direction, EvaluationOptions, NetworkSecurityGroup,
    PortRange, Protocol, SecurityRule,
};

/// One rule, ready to match.
#[derive(Debug, Clone)]
pub struct CompiledRule {
    pub name: String,
    pub priority: u32,
    pub access: Access,
    pub protocol: Protocol,
    pub source: Vec<CompiledAddress>,
    pub source_asgs: Vec<String>,
    pub source_ports: Vec<PortRange>,
    pub destination: Vec<CompiledAddress>,
    pub destination_asgs: Vec<String>,
    pub destination_ports: Vec<PortRange>,
    pub is_default: bool,
}

/// An NSG as two priority-sorted rule lists, defaults last.
#[derive(Debug, Clone)]
pub struct CompiledNsg {
    inbound: Vec<CompiledRule>,
    outbound: Vec<CompiledRule>,
}

/// The packet fields an NSG looks at.
#[derive(Debug, Clone, Copy)]
pub struct NsgPacket<'a> {
    pub source: &'a Party,
    pub destination: &'a Party,
    pub protocol: Protocol,
    /// The destination port, narrowed by every rule whose ports decide whether it matches.
    pub ports: &'a Cell<PortSpan>,
}

/// What an NSG decided for one direction.
#[derive(Debug, Clone)]
pub enum NsgDecision<'a> {
    Matched(&'a CompiledRule),
    /// A rule before any match could not be evaluated (unknown tag, unknown address).
    Undecidable {
        rule: &'a CompiledRule,
        reason: String,
    },
    /// Not even the defaults matched: only ESP/AH with `any_protocol_includes_esp_ah` off.
    NoRuleMatched,
}

impl CompiledNsg {
    pub fn compile(
        nsg: &NetworkSecurityGroup,
        index: usize,
        options: &EvaluationOptions,
        diagnostics: &mut Vec<Diagnostic>,
    ) -> Self {
        let inbound_count = nsg
            .rules
            .iter()
            .filter(|rule| rule.direction == Direction::Inbound)
            .count();
        let inbound_defaults = default_rules(Direction::Inbound);
        let outbound_defaults = default_rules(Direction::Outbound);
        let mut inbound = Vec::with_capacity(inbound_count + inbound_defaults.len());
        let mut outbound =
            Vec::with_capacity(nsg.rules.len() - inbound_count + outbound_defaults.len());
        for (r, rule) in nsg.rules.iter().enumerate() {
            let compiled = compile_rule(
                rule,
                || format!("{}/{}", nsg.name, rule.name),
                || format!("$.network_security_groups[{index}].rules[{r}]"),
                options,
                diagnostics,
            );
            match rule.direction {
                Direction::Inbound => inbound.push(compiled),
                Direction::Outbound => outbound.push(compiled),
            }
        }
        inbound.extend(inbound_defaults);
        outbound.extend(outbound_defaults);
        sorting::sort_by_key(&mut inbound, |rule| rule.priority);
        sorting::sort_by_key(&mut outbound, |rule| rule.priority);
        CompiledNsg { inbound, outbound }
    }

    pub fn rules(&self, direction: Direction) -> &[CompiledRule] {
        match direction {
            Direction::Inbound => &self.inbound,
            Direction::Outbound => &self.outbound,
        }
    }

    /// First match by priority. The defaults end each list, so some rule matches unless an
    /// earlier rule cannot be evaluated or the protocol is outside `*`.
    pub fn evaluate(
        &self,
        direction: Direction,
        packet: NsgPacket<'_>,
        scope: &AddressScope,
        data: &ServiceTagData,
        cloud: Cloud,
        options: &EvaluationOptions,
    ) -> NsgDecision<'_> {
        for rule in self.rules(direction) {
            match rule_matches(rule, packet, scope, data, cloud, options) {
                Match::Yes => return NsgDecision::Matched(rule),
                Match::No => {}
                Match::Unknown(reason) => return NsgDecision::Undecidable { rule, reason },
            }
        }
        NsgDecision::NoRuleMatched
    }
}

/// Compiles one rule; `element` and `path` name it in diagnostics, and are written only for
/// a service tag (the only address that can raise one): a design's many prefix rules compile
/// without formatting a name.
pub(super) fn compile_rule(
    rule: &SecurityRule,
    element: impl Fn() -> String,
    path: impl Fn() -> String,
    options: &EvaluationOptions,
    diagnostics: &mut Vec<Diagnostic>,
) -> CompiledRule {
    let side = |entries: &[AddressMatch], field: &str, diagnostics: &mut Vec<Diagnostic>| {
        entries
            .iter()
            .enumerate()
            .map(|(i, entry)| match entry {
                AddressMatch::Tag(_) => CompiledAddress::compile(
                    entry,
                    options,
                    &element(),
                    &format!("{}.{field}[{i}]", path()),
                    diagnostics,
                ),
                AddressMatch::Any | AddressMatch::Prefix(_) => {
                    CompiledAddress::compile(entry, options, "", "", diagnostics)
                }
            })
            .collect()
    };
    CompiledRule {
        name: rule.name.clone(),
        priority: rule.priority,
        access: rule.access,
        protocol: rule.protocol,
        source: side(&rule.source, "source", diagnostics),
        source_asgs: rule.source_asgs.clone(),
        source_ports: rule.source_ports.clone(),
        destination: side(&rule.destination, "destination", diagnostics),
        destination_asgs: rule.destination_asgs.clone(),
        destination_ports: rule.destination_ports.clone(),
        is_default: false,
    }
}

/// Whether a rule's protocol covers the flow's. `*` covers ESP/AH only with the option on.
pub fn protocol_matches(rule: Protocol, flow: Protocol, options: &EvaluationOptions) -> bool {
    match (rule, flow) {
        (Protocol::Any, Protocol::Esp | Protocol::Ah) => options.any_protocol_includes_esp_ah,
        (Protocol::Any, _) => true,
        (rule, flow) => rule == flow,
    }
}

fn side_matches(
    addresses: &[CompiledAddress],
    asgs: &[String],
    party: &Party,
    scope: &AddressScope,
    data: &ServiceTagData,
    cloud: Cloud,
) -> Match {
    if !asgs.is_empty() {
        return Match::from_bool(asgs.iter().any(|asg| party.asgs.contains(asg)));
    }
    Match::any(
        addresses
            .iter()
            .map(|address| address.matches(party, scope, data, cloud)),
    )
}

pub(super) fn rule_matches(
    rule: &CompiledRule,
    packet: NsgPacket<'_>,
    scope: &AddressScope,
    data: &ServiceTagData,
    cloud: Cloud,
    options: &EvaluationOptions,
) -> Match {
    // The source port of an initiating packet is ephemeral: only rules open to every source port match.
    let ports_apply = packet.protocol.has_ports();
    if !protocol_matches(rule.protocol, packet.protocol, options)
        || (ports_apply && !rule.source_ports.contains(&PortRange::ANY))
    {
        return Match::No;
    }
    let addresses = match side_matches(
        &rule.source,
        &rule.source_asgs,
        packet.source,
        scope,
        data,
        cloud,
    ) {
        Match::Yes => side_matches(
            &rule.destination,
            &rule.destination_asgs,
            packet.destination,
            scope,
            data,
            cloud,
        ),
        other => other,
    };
    // Checked last, so that only rules the addresses leave open narrow the port span.
    if addresses != Match::No
        && ports_apply
        && !PortSpan::check_in(packet.ports, &rule.destination_ports)
    {
        return Match::No;
    }
    addresses
}

fn default_rules(direction: Direction) -> Vec<CompiledRule> {
    let rule = |name: &str, priority, access, source, destination| CompiledRule {
        name: name.to_string(),
        priority,
        access,
        protocol: Protocol::Any,
        source: vec![source],
        source_asgs: Vec::new(),
        source_ports: vec![PortRange::ANY],
        destination: vec![destination],
        destination_asgs: Vec::new(),
        destination_ports: vec![PortRange::ANY],
        is_default: true,
    };
    use CompiledAddress::{Any, AzureLoadBalancer, Internet, VirtualNetwork};
    match direction {
        Direction::Inbound => vec![
            rule(
                "AllowVnetInBound",
                65000,
                Access::Allow,
                VirtualNetwork,
                VirtualNetwork,
            ),
            rule(
                "AllowAzureLoadBalancerInBound",
                65001,
                Access::Allow,
                AzureLoadBalancer,
                Any,
            ),
            rule("DenyAllInBound", 65500, Access::Deny, Any, Any),
        ],
        Direction::Outbound => vec![
            rule(
                "AllowVnetOutBound",
                65000,
                Access::Allow,
                VirtualNetwork,
                VirtualNetwork,
            ),
            rule("AllowInternetOutBound", 65001, Access::Allow, Any, Internet),
            rule("DenyAllOutBound", 65500, Access::Deny, Any, Any),
        ],
    }
}
