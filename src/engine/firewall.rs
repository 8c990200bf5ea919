//! Azure Firewall lowered into one ordered list per rule type: all DNAT rules, then all network
//! rules, then all application rules, each ordered parent policy first, then rule collection
//! group priority, collection priority and rule order. The first matching rule decides;
//! nothing matching is the default deny.

use crate::model::sorting;
use std::cell::Cell;
use std::net::Ipv4Addr;

use ipnet::Ipv4Net;

use super::address::{AddressScope, CompiledAddress, Match, Party, PrefixContains, PRIVATE_RANGES};
use super::dns::fqdn_matches;
use super::port_span::PortSpan;
use super::service_tags::ServiceTagData;
use super::trace::{Hop, HopLog, Outcome, RuleRef, Step};
use crate::model::{
    AddressMatch, ApplicationRule, Cloud, Design, Diagnostic, DnatTarget, EvaluationOptions,
    ExplicitProxy, Firewall, NatRule, NetworkRule, PortRange, Protocol, RuleAction, RuleCollection,
    ThreatIntelMode,
};

/// A rule in evaluation order, with where it came from.
#[derive(Debug, Clone)]
struct Ordered<R> {
    origin: RuleRef,
    action: RuleAction,
    rule: R,
}

#[derive(Debug, Clone)]
struct CompiledNetworkRule {
    protocols: Vec<Protocol>,
    sources: Vec<CompiledAddress>,
    destinations: Vec<CompiledAddress>,
    fqdns: Vec<String>,
    ports: Vec<PortRange>,
}

#[derive(Debug, Clone)]
struct CompiledApplicationRule {
    sources: Vec<CompiledAddress>,
    /// The ports of the rule's protocols (HTTP, HTTPS, MSSQL); application rules see TCP only.
    ports: Vec<PortRange>,
    fqdns: Vec<String>,
    fqdn_tags: Vec<String>,
}

#[derive(Debug, Clone)]
pub struct CompiledFirewall {
    pub name: String,
    pub subnet: String,
    pub private_ip: Ipv4Addr,
    /// The public IP the trace shows for SNAT: the lowest of `public_ips` (Azure picks any of
    /// them per connection; the lowest keeps the trace independent of input order).
    pub public_ip: Option<Ipv4Addr>,
    /// Every public IP of the firewall, lowest first: DNAT rules listen on any of them.
    pub public_ips: Vec<Ipv4Addr>,
    /// The explicit proxy of the firewall's policy (the first in its chain that sets one).
    pub explicit_proxy: Option<ExplicitProxy>,
    threat_intel: ThreatIntelMode,
    dns_proxy: bool,
    dnat: Vec<Ordered<NatRule>>,
    network: Vec<Ordered<CompiledNetworkRule>>,
    application: Vec<Ordered<CompiledApplicationRule>>,
    snat_private_ranges: Vec<Ipv4Net>,
}

/// The packet as the firewall sees it. `fqdn` is the TLS SNI / HTTP Host, when the client
/// connected by name.
#[derive(Debug, Clone, Copy)]
pub struct FirewallPacket<'a> {
    pub source: &'a Party,
    pub destination: &'a Party,
    pub fqdn: Option<&'a str>,
    pub protocol: Protocol,
    /// The destination port, narrowed by every rule whose ports decide whether it matches.
    pub ports: &'a Cell<PortSpan>,
}

/// How a firewall decided.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FirewallOutcome {
    /// Allowed; `snat` is the source address the destination sees, when translated.
    Allow {
        snat: Option<Ipv4Addr>,
    },
    Deny,
    Undecidable,
}

/// FQDN tags with the FQDNs vnetlab knows for them (partial: Microsoft maintains the lists).
const FQDN_TAGS: &[(&str, &[&str])] = &[
    (
        "WindowsUpdate",
        &[
            "*.update.microsoft.com",
            "*.windowsupdate.com",
            "*.delivery.mp.microsoft.com",
        ],
    ),
    (
        "WindowsDiagnostics",
        &[
            "*.vortex-win.data.microsoft.com",
            "settings-win.data.microsoft.com",
        ],
    ),
    (
        "MicrosoftActiveProtectionService",
        &[
            "*.wdcp.microsoft.com",
            "*.wdcpalt.microsoft.com",
            "*.wd.microsoft.com",
        ],
    ),
    (
        "AzureKubernetesService",
        &[
            "mcr.microsoft.com",
            "*.data.mcr.microsoft.com",
            "management.azure.com",
            "login.microsoftonline.com",
            "packages.microsoft.com",
            "acs-mirror.azureedge.net",
            "*.azmk8s.io",
        ],
    ),
    (
        "AzureBackup",
        &[
            "*.backup.windowsazure.com",
            "*.blob.core.windows.net",
            "*.queue.core.windows.net",
        ],
    ),
    ("HDInsight", &["*.azurehdinsight.net"]),
    ("AppServiceEnvironment", &["*.azurewebsites.net"]),
];

impl CompiledFirewall {
    pub fn compile(
        design: &Design,
        index: usize,
        firewall: &Firewall,
        diagnostics: &mut Vec<Diagnostic>,
    ) -> Self {
        let public_ips = firewall.public_ips();
        let mut compiled = CompiledFirewall {
            name: firewall.name.clone(),
            subnet: firewall.subnet.clone(),
            private_ip: firewall.private_ip,
            public_ip: public_ips.first().copied(),
            public_ips,
            explicit_proxy: None,
            threat_intel: firewall.threat_intel,
            dns_proxy: firewall.dns_proxy,
            dnat: Vec::new(),
            network: Vec::new(),
            application: Vec::new(),
            snat_private_ranges: if firewall.snat_private_ranges.is_empty() {
                PRIVATE_RANGES.to_vec()
            } else {
                firewall.snat_private_ranges.clone()
            },
        };
        let mut collections: Vec<(String, String, &RuleCollection)> = Vec::new();
        match &firewall.policy {
            Some(policy_name) => {
                for (p, policy) in design.policy_chain(policy_name) {
                    compiled.threat_intel = policy.threat_intel;
                    compiled.dns_proxy |= policy.dns_proxy;
                    if policy.explicit_proxy.is_some() {
                        compiled.explicit_proxy = policy.explicit_proxy.clone();
                    }
                    let mut groups: Vec<(usize, &crate::model::RuleCollectionGroup)> =
                        policy.rule_collection_groups.iter().enumerate().collect();
                    sorting::sort_by_key(&mut groups, |(_, group)| group.priority);
                    for (g, group) in groups {
                        let mut in_group: Vec<(usize, &RuleCollection)> =
                            group.rule_collections.iter().enumerate().collect();
                        sorting::sort_by_key(&mut in_group, |(_, c)| c.priority());
                        for (c, collection) in in_group {
                            let container =
                                format!("{}/{}/{}", policy.name, group.name, collection.name());
                            collections.push((container, format!("$.firewall_policies[{p}].rule_collection_groups[{g}].rule_collections[{c}]"), collection));
                        }
                    }
                }
            }
            None => {
                let mut classic: Vec<(usize, &RuleCollection)> =
                    firewall.rule_collections.iter().enumerate().collect();
                sorting::sort_by_key(&mut classic, |(_, c)| c.priority());
                for (c, collection) in classic {
                    collections.push((
                        format!("{}/{}", firewall.name, collection.name()),
                        format!("$.firewalls[{index}].rule_collections[{c}]"),
                        collection,
                    ));
                }
            }
        }
        for (container, path, collection) in collections {
            compiled.add_collection(design, container, &path, collection, diagnostics);
        }
        compiled
    }

    fn add_collection(
        &mut self,
        design: &Design,
        container: String,
        path: &str,
        collection: &RuleCollection,
        diagnostics: &mut Vec<Diagnostic>,
    ) {
        let origin = |name: &str| RuleRef {
            name: name.to_string(),
            priority: Some(collection.priority()),
            container: container.clone(),
        };
        match collection {
            RuleCollection::Nat { rules, .. } => {
                self.dnat.extend(rules.iter().map(|rule| Ordered {
                    origin: origin(&rule.name),
                    action: RuleAction::Dnat,
                    rule: rule.clone(),
                }));
            }
            RuleCollection::Network { action, rules, .. } => {
                for (r, rule) in rules.iter().enumerate() {
                    let rule_path = format!("{path}.rules[{r}]");
                    let compiled =
                        compile_network_rule(design, rule, &container, &rule_path, diagnostics);
                    self.network.push(Ordered {
                        origin: origin(&rule.name),
                        action: *action,
                        rule: compiled,
                    });
                }
            }
            RuleCollection::Application { action, rules, .. } => {
                for (r, rule) in rules.iter().enumerate() {
                    let rule_path = format!("{path}.rules[{r}]");
                    let compiled =
                        compile_application_rule(design, rule, &container, &rule_path, diagnostics);
                    self.application.push(Ordered {
                        origin: origin(&rule.name),
                        action: *action,
                        rule: compiled,
                    });
                }
            }
        }
    }

    /// Evaluates an outbound or east-west packet (DNAT applies only to packets addressed to the
    /// firewall's public IP, see [`Self::dnat`]). `resolve` resolves network-rule FQDNs from the
    /// firewall's VNet.
    pub fn evaluate(
        &self,
        packet: FirewallPacket<'_>,
        resolve: &dyn Fn(&str) -> Option<Ipv4Addr>,
        data: &ServiceTagData,
        cloud: Cloud,
        options: &EvaluationOptions,
        hops: &mut HopLog,
    ) -> FirewallOutcome {
        if self.threat_intel != ThreatIntelMode::Off {
            hops.push(|| self.hop(Step::FirewallThreatIntel, Outcome::Info, None, format!("threat intelligence in {:?} mode: no threat feed is modelled, so it decides nothing", self.threat_intel)));
        }
        match self.first_network_match(packet, resolve, data, cloud, options, hops) {
            Some(Ok(ordered)) => {
                return self.decide(Step::FirewallNetwork, ordered, packet, false, hops)
            }
            Some(Err(())) => return FirewallOutcome::Undecidable,
            None => {}
        }
        let application_eligible = packet.protocol == Protocol::Tcp;
        if application_eligible {
            if let Some(outcome) = self.first_application_match(packet, data, cloud, hops) {
                return outcome;
            }
        }
        let why = match (application_eligible, packet.fqdn) {
            (true, None) => "no network rule matched; application rules need the TLS SNI / HTTP Host, and this flow names an address, not an FQDN",
            (false, _) => "no network rule matched; application rules apply to HTTP, HTTPS and MSSQL (TCP) only",
            _ => "no network or application rule matched",
        };
        self.default_deny(why, hops)
    }

    /// The first application rule matching the packet decides (`None`: none matched). An
    /// unmodelled FQDN tag before any match makes the packet undecidable.
    fn first_application_match(
        &self,
        packet: FirewallPacket<'_>,
        data: &ServiceTagData,
        cloud: Cloud,
        hops: &mut HopLog,
    ) -> Option<FirewallOutcome> {
        let scope = AddressScope::default();
        for ordered in &self.application {
            let rule = &ordered.rule;
            if packet.ports.get().port().is_none()
                || Match::any(
                    rule.sources
                        .iter()
                        .map(|a| a.matches(packet.source, &scope, data, cloud)),
                ) != Match::Yes
            {
                continue;
            }
            let Some(fqdn) = packet.fqdn else { continue };
            let by_fqdn = rule.fqdns.iter().any(|pattern| fqdn_matches(pattern, fqdn));
            let by_tag = rule.fqdn_tags.iter().any(|tag| {
                fqdn_tag_patterns(tag)
                    .is_some_and(|patterns| patterns.iter().any(|p| fqdn_matches(p, fqdn)))
            });
            let unknown_tag = rule
                .fqdn_tags
                .iter()
                .find(|tag| fqdn_tag_patterns(tag).is_none());
            if !(by_fqdn || by_tag || unknown_tag.is_some())
                || !PortSpan::check_in(packet.ports, &rule.ports)
            {
                continue;
            }
            if by_fqdn || by_tag {
                return Some(self.decide(Step::FirewallApplication, ordered, packet, true, hops));
            }
            if let Some(unknown) = unknown_tag {
                hops.push(|| {
                    self.hop(
                        Step::FirewallApplication,
                        Outcome::Unsupported,
                        Some(ordered.origin.clone()),
                        format!("FQDN tag `{unknown}` is not modelled, so whether it covers {fqdn} is unknown"),
                    )
                });
                return Some(FirewallOutcome::Undecidable);
            }
        }
        None
    }

    /// No rule matched: the firewall's default deny, saying `why`.
    fn default_deny(&self, why: &str, hops: &mut HopLog) -> FirewallOutcome {
        hops.push(|| {
            self.hop(
                Step::FirewallDefault,
                Outcome::Deny,
                Some(RuleRef {
                    name: "default deny".into(),
                    priority: None,
                    container: self.name.clone(),
                }),
                why.into(),
            )
        });
        FirewallOutcome::Deny
    }

    /// A request a client sent to the firewall's explicit proxy: only application rules apply
    /// (Microsoft Learn, "Azure Firewall Explicit proxy"); none matching is the default deny.
    pub fn evaluate_explicit_proxy(
        &self,
        packet: FirewallPacket<'_>,
        data: &ServiceTagData,
        cloud: Cloud,
        hops: &mut HopLog,
    ) -> FirewallOutcome {
        if let Some(outcome) = self.first_application_match(packet, data, cloud, hops) {
            return outcome;
        }
        let why = match packet.fqdn {
            None => "explicit proxy: only application rules apply, and they need the requested name; this flow names an address",
            Some(_) => "explicit proxy: only application rules apply, and none matched",
        };
        self.default_deny(why, hops)
    }

    /// The first network rule matching the packet; `Err` (with an unsupported hop pushed) when a
    /// rule before any match cannot be evaluated.
    fn first_network_match(
        &self,
        packet: FirewallPacket<'_>,
        resolve: &dyn Fn(&str) -> Option<Ipv4Addr>,
        data: &ServiceTagData,
        cloud: Cloud,
        options: &EvaluationOptions,
        hops: &mut HopLog,
    ) -> Option<Result<&Ordered<CompiledNetworkRule>, ()>> {
        let scope = AddressScope::default();
        for ordered in &self.network {
            let rule = &ordered.rule;
            let protocol_ok = rule
                .protocols
                .iter()
                .any(|p| super::nsg::protocol_matches(*p, packet.protocol, options));
            if !protocol_ok {
                continue;
            }
            let source = Match::any(
                rule.sources
                    .iter()
                    .map(|a| a.matches(packet.source, &scope, data, cloud)),
            );
            let destination = match source {
                Match::Yes => {
                    let by_fqdn = rule.fqdns.iter().any(|fqdn| {
                        packet.destination.ip.is_some() && resolve(fqdn) == packet.destination.ip
                    });
                    if by_fqdn && !self.dns_proxy {
                        hops.push(|| self.hop(Step::FirewallNetwork, Outcome::Info, Some(ordered.origin.clone()), "FQDN network rules need DNS proxy on the firewall for reliable results".into()));
                    }
                    if by_fqdn {
                        Match::Yes
                    } else {
                        Match::any(
                            rule.destinations
                                .iter()
                                .map(|a| a.matches(packet.destination, &scope, data, cloud)),
                        )
                    }
                }
                other => other,
            };
            let port_misses =
                || packet.protocol.has_ports() && !PortSpan::check_in(packet.ports, &rule.ports);
            match destination {
                Match::No => continue,
                _ if port_misses() => continue,
                Match::Yes => return Some(Ok(ordered)),
                Match::Unknown(reason) => {
                    hops.push(|| {
                        self.hop(
                            Step::FirewallNetwork,
                            Outcome::Unsupported,
                            Some(ordered.origin.clone()),
                            reason,
                        )
                    });
                    return Some(Err(()));
                }
            }
        }
        None
    }

    /// The network rule that would deny a DNAT-translated packet, which current DNAT semantics
    /// bypass (a DNAT match is final): named in the trace. Reads the packet's ports without
    /// narrowing them, since nothing is decided.
    pub fn network_deny_bypassed_by_dnat(
        &self,
        packet: FirewallPacket<'_>,
        data: &ServiceTagData,
        cloud: Cloud,
        options: &EvaluationOptions,
    ) -> Option<RuleRef> {
        let ports = std::cell::Cell::new(packet.ports.get());
        let packet = FirewallPacket {
            ports: &ports,
            ..packet
        };
        let mut quiet = HopLog::new(false);
        match self.first_network_match(packet, &|_| None, data, cloud, options, &mut quiet) {
            Some(Ok(ordered)) if ordered.action == RuleAction::Deny => Some(ordered.origin.clone()),
            _ => None,
        }
    }

    /// Legacy DNAT semantics (option `dnat_network_deny_applies`): after translation, an explicit
    /// network deny still drops the packet. `true` when it does (the hop is pushed).
    pub fn network_deny_after_dnat(
        &self,
        packet: FirewallPacket<'_>,
        data: &ServiceTagData,
        cloud: Cloud,
        options: &EvaluationOptions,
        hops: &mut HopLog,
    ) -> bool {
        match self.first_network_match(packet, &|_| None, data, cloud, options, hops) {
            Some(Ok(ordered)) if ordered.action == RuleAction::Deny => {
                hops.push(|| {
                    self.hop(
                        Step::FirewallNetwork,
                        Outcome::Deny,
                        Some(ordered.origin.clone()),
                        format!(
                            "legacy DNAT semantics: network rule {} denies the translated packet",
                            ordered.origin.name
                        ),
                    )
                });
                true
            }
            _ => false,
        }
    }

    /// The DNAT rule for a packet to one of the firewall's public IPs: where it translates to
    /// (an address, or an FQDN the caller resolves), the translated port and the rule.
    pub fn dnat(
        &self,
        packet: FirewallPacket<'_>,
        data: &ServiceTagData,
        cloud: Cloud,
        options: &EvaluationOptions,
        hops: &mut HopLog,
    ) -> Option<(DnatTarget<'_>, u16, RuleRef)> {
        let scope = AddressScope::default();
        for ordered in &self.dnat {
            let rule = &ordered.rule;
            let protocol_ok = rule
                .protocols
                .iter()
                .any(|p| super::nsg::protocol_matches(*p, packet.protocol, options));
            let addressed = packet.destination.ip == Some(rule.destination_address);
            let sources: Vec<CompiledAddress> = rule
                .sources
                .iter()
                .map(|s| match s {
                    AddressMatch::Prefix(net) => CompiledAddress::Prefix(*net),
                    _ => CompiledAddress::Any,
                })
                .collect();
            let source_ok = sources.is_empty()
                || Match::any(
                    sources
                        .iter()
                        .map(|a| a.matches(packet.source, &scope, data, cloud)),
                ) == Match::Yes;
            let Some(target) = rule.target() else {
                continue;
            };
            if protocol_ok
                && addressed
                && source_ok
                && PortSpan::check_in(packet.ports, &rule.destination_ports)
            {
                hops.push(|| {
                    let to = match target {
                        DnatTarget::Address(address) => address.to_string(),
                        DnatTarget::Fqdn(fqdn) => format!("FQDN {fqdn}"),
                    };
                    let on = match packet.destination.ip {
                        Some(ip) if self.public_ips.len() > 1 => format!(
                            " (on {ip}, one of its {} public IPs)",
                            self.public_ips.len()
                        ),
                        _ => String::new(),
                    };
                    self.hop(
                        Step::FirewallDnat,
                        Outcome::Allow,
                        Some(ordered.origin.clone()),
                        format!("DNAT to {to}:{}{on}", rule.translated_port),
                    )
                });
                return Some((target, rule.translated_port, ordered.origin.clone()));
            }
        }
        hops.push(|| {
            self.hop(
                Step::FirewallDnat,
                Outcome::Deny,
                None,
                "no DNAT rule matches this packet to the firewall's public IP".into(),
            )
        });
        None
    }

    fn decide<R>(
        &self,
        step: Step,
        ordered: &Ordered<R>,
        packet: FirewallPacket<'_>,
        application: bool,
        hops: &mut HopLog,
    ) -> FirewallOutcome {
        if ordered.action == RuleAction::Deny {
            hops.push(|| {
                self.hop(
                    step,
                    Outcome::Deny,
                    Some(ordered.origin.clone()),
                    format!(
                        "denied by rule {} (collection priority {})",
                        ordered.origin.name,
                        ordered.origin.priority.unwrap_or_default()
                    ),
                )
            });
            return FirewallOutcome::Deny;
        }
        let private_destination = packet
            .destination
            .ip
            .is_some_and(|ip| self.snat_private_ranges.iter().any(|r| r.covers(ip)));
        let snat = match (application, private_destination) {
            (true, true) => Some(self.private_ip),
            (_, false) => Some(self.public_ip.unwrap_or(self.private_ip)),
            (false, true) => None,
        };
        hops.push(|| {
            let translation = match snat {
                Some(ip) if self.public_ip == Some(ip) && self.public_ips.len() > 1 => format!(
                    "; SNAT to {ip}, the lowest of its {} public IPs ({}): Azure picks any of \
                     them per connection, so a destination must allow them all",
                    self.public_ips.len(),
                    self.public_ips
                        .iter()
                        .map(Ipv4Addr::to_string)
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
                Some(ip) => format!("; SNAT to {ip}"),
                None => "; no SNAT (destination in the private ranges)".into(),
            };
            self.hop(
                step,
                Outcome::Allow,
                Some(ordered.origin.clone()),
                format!("allowed by rule {}{translation}", ordered.origin.name),
            )
        });
        FirewallOutcome::Allow { snat }
    }

    fn hop(&self, step: Step, outcome: Outcome, rule: Option<RuleRef>, reason: String) -> Hop {
        Hop {
            step,
            element: self.name.clone(),
            outcome,
            rule,
            reason,
        }
    }
}

fn fqdn_tag_patterns(tag: &str) -> Option<&'static [&'static str]> {
    FQDN_TAGS
        .iter()
        .find(|(name, _)| name.eq_ignore_ascii_case(tag))
        .map(|(_, patterns)| *patterns)
}

/// The policy and its ancestors, root first (a parent's groups always run first).
fn ip_group_addresses(design: &Design, groups: &[String]) -> Vec<CompiledAddress> {
    groups
        .iter()
        .filter_map(|name| design.ip_groups.iter().find(|g| &g.name == name))
        .flat_map(|group| group.prefixes.iter().map(|p| CompiledAddress::Prefix(*p)))
        .collect()
}

fn compile_firewall_address(
    entry: &AddressMatch,
    options: &EvaluationOptions,
    element: &str,
    path: &str,
    diagnostics: &mut Vec<Diagnostic>,
) -> CompiledAddress {
    let compiled = CompiledAddress::compile(entry, options, element, path, diagnostics);
    match compiled {
        CompiledAddress::VirtualNetwork
        | CompiledAddress::Internet
        | CompiledAddress::AzureLoadBalancer => {
            diagnostics.push(Diagnostic::error(element, path, format!("Azure Firewall does not accept the tag `{entry}` (VirtualNetwork, Internet and AzureLoadBalancer are NSG-only)")));
            CompiledAddress::UnknownTag(entry.to_string())
        }
        other => other,
    }
}

fn compile_network_rule(
    design: &Design,
    rule: &NetworkRule,
    container: &str,
    path: &str,
    diagnostics: &mut Vec<Diagnostic>,
) -> CompiledNetworkRule {
    let element = format!("{container}/{}", rule.name);
    let options = &design.options;
    let mut sources: Vec<CompiledAddress> = rule
        .sources
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let compiled = compile_firewall_address(
                s,
                options,
                &element,
                &format!("{path}.sources[{i}]"),
                diagnostics,
            );
            if matches!(compiled, CompiledAddress::Service(_)) {
                diagnostics.push(Diagnostic::error(
                    &element,
                    format!("{path}.sources[{i}]"),
                    "Azure Firewall accepts service tags only as destinations",
                ));
            }
            compiled
        })
        .collect();
    sources.extend(ip_group_addresses(design, &rule.source_ip_groups));
    let mut destinations: Vec<CompiledAddress> = rule
        .destinations
        .iter()
        .enumerate()
        .map(|(i, d)| {
            compile_firewall_address(
                d,
                options,
                &element,
                &format!("{path}.destinations[{i}]"),
                diagnostics,
            )
        })
        .collect();
    destinations.extend(ip_group_addresses(design, &rule.destination_ip_groups));
    CompiledNetworkRule {
        protocols: rule.protocols.clone(),
        sources,
        destinations,
        fqdns: rule.destination_fqdns.clone(),
        ports: rule.destination_ports.clone(),
    }
}

fn compile_application_rule(
    design: &Design,
    rule: &ApplicationRule,
    container: &str,
    path: &str,
    diagnostics: &mut Vec<Diagnostic>,
) -> CompiledApplicationRule {
    let element = format!("{container}/{}", rule.name);
    let mut sources: Vec<CompiledAddress> = rule
        .sources
        .iter()
        .enumerate()
        .map(|(i, s)| {
            compile_firewall_address(
                s,
                &design.options,
                &element,
                &format!("{path}.sources[{i}]"),
                diagnostics,
            )
        })
        .collect();
    sources.extend(ip_group_addresses(design, &rule.source_ip_groups));
    for (t, tag) in rule.fqdn_tags.iter().enumerate() {
        if fqdn_tag_patterns(tag).is_none() {
            diagnostics.push(Diagnostic::warning(
                &element,
                format!("{path}.fqdn_tags[{t}]"),
                format!("FQDN tag `{tag}` is not modelled: flows reaching this rule are reported as unsupported"),
            ));
        }
    }
    CompiledApplicationRule {
        sources,
        ports: rule
            .protocols
            .iter()
            .map(|p| PortRange::single(p.port))
            .collect(),
        fqdns: rule.target_fqdns.clone(),
        fqdn_tags: rule.fqdn_tags.clone(),
    }
}
