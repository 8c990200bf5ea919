//! The walk of one flow through the compiled design, following `azure-semantics.md` §10:
//! resolve the destination, source NSGs outbound, route lookup, then the firewall, service
//! endpoint (+ policy), private endpoint, internet edge or destination NSGs inbound, and finally
//! the destination service's own firewall. Every step appends a [`Hop`]; the first control that
//! drops the packet ends the walk.

use std::cell::Cell;
use std::fmt;
use std::net::Ipv4Addr;

use super::address::{is_public, AddressScope, Party};
use super::dns::{fqdn_matches, paas_fqdn, parse_paas_fqdn, PrivateAnswer};
use super::endpoints::{Destination, Entity, Origin};
use super::firewall::{FirewallOutcome, FirewallPacket};
use super::nsg::{NsgDecision, NsgPacket};
use super::paas::{evaluate_resource, evaluate_workspace, sep_decision, AccessPath};
use super::port_span::PortSpan;
use super::regions::normalise_region;
use super::routing::{find_subnet, NextHop, RouteSelection, SubnetRoutes};
use super::trace::{Flow, FlowSource, FlowTarget, Hop, Outcome, RuleRef, Step, Trace, Verdict};
use super::Engine;
use crate::model::{
    Access, Cloud, Compute, Direction, ManagedIsolationMode, NetworkInterface, OutboundRule,
    PaasKind, PortRange, Protocol, Workspace,
};

/// A flow that cannot be traced because it names nothing, or starts where traffic never starts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FlowError {
    UnknownElement(String),
    NotASource { name: String, why: String },
}

impl fmt::Display for FlowError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FlowError::UnknownElement(name) => write!(f, "`{name}` is not an element of the design (give a compute, subnet as vnet/subnet, private endpoint, resource, workspace, service, external host, an IPv4 address or, for destinations, an FQDN)"),
            FlowError::NotASource { name, why } => write!(f, "`{name}` cannot start a flow: {why}"),
        }
    }
}

impl std::error::Error for FlowError {}

/// How the walk ended.
struct End {
    verdict: Verdict,
    reason: String,
}

impl End {
    fn new(verdict: Verdict, reason: impl Into<String>) -> Self {
        End {
            verdict,
            reason: reason.into(),
        }
    }
}

/// The sender as the network sees it at the current point of the path.
#[derive(Debug, Clone)]
struct Sender {
    party: Party,
    /// VNet the packet is in when it starts this leg (forwarded-traffic checks on peerings).
    origin_vnet: Option<String>,
    /// Address the internet sees (instance public IP, NAT gateway, firewall public IP).
    public_ip: Option<Ipv4Addr>,
    /// Azure default outbound access is available (a dynamic Microsoft address).
    default_outbound: bool,
    /// Region the sender runs in, when in Azure.
    region: Option<String>,
    /// A stateful firewall forwarded the packet without SNAT: the return path must go back
    /// through it.
    unsnatted_firewall: Option<usize>,
    /// Whether the packet already crossed a firewall or appliance (it is forwarded traffic).
    forwarded: bool,
}

const MAX_APPLIANCE_HOPS: usize = 4;

pub(super) fn trace(engine: &Engine, flow: &Flow) -> Result<Trace, FlowError> {
    let mut walk = Walk {
        engine,
        flow,
        ports: Cell::new(PortSpan::around(flow.port)),
        hops: Vec::new(),
    };
    let origin = walk.origin()?;
    let end = walk.run(origin)?;
    Ok(walk.finish(end))
}

struct Walk<'e> {
    engine: &'e Engine,
    flow: &'e Flow,
    /// The destination port as the network sees it now (DNAT may translate it), and the ports
    /// every decision so far treated alike.
    ports: Cell<PortSpan>,
    hops: Vec<Hop>,
}

impl<'e> Walk<'e> {
    fn hop(
        &mut self,
        step: Step,
        element: impl Into<String>,
        outcome: Outcome,
        rule: Option<RuleRef>,
        reason: impl Into<String>,
    ) {
        self.hops.push(Hop {
            step,
            element: element.into(),
            outcome,
            rule,
            reason: reason.into(),
        });
    }

    fn finish(self, end: End) -> Trace {
        let deciding_outcome = match end.verdict {
            Verdict::Allowed => Outcome::Allow,
            Verdict::Blocked => Outcome::Deny,
            Verdict::NoRoute => Outcome::Drop,
            Verdict::Unresolved => Outcome::Nxdomain,
            Verdict::Unsupported => Outcome::Unsupported,
        };
        let decided_by = self
            .hops
            .iter()
            .rev()
            .find(|h| {
                h.outcome == deciding_outcome
                    && (h.rule.is_some() || end.verdict != Verdict::Allowed)
            })
            .or_else(|| {
                self.hops
                    .iter()
                    .rev()
                    .find(|h| h.outcome == deciding_outcome)
            })
            .cloned();
        Trace {
            flow: self.flow.clone(),
            verdict: end.verdict,
            reason: end.reason,
            decided_by,
            hops: self.hops,
            alike_ports: self.ports.get().alike(),
        }
    }

    // ----- the two ends -------------------------------------------------------------------

    fn origin(&mut self) -> Result<Origin<'e>, FlowError> {
        let engine = self.engine;
        let design = &engine.design;
        match &self.flow.source {
            FlowSource::Address(ip) => Ok(engine.origin_at(*ip)),
            FlowSource::Element(name) => {
                if let Some(compute) = design.computes.iter().find(|c| &c.name == name) {
                    return engine.origin_of_compute(compute).ok_or_else(|| {
                        FlowError::NotASource {
                            name: name.clone(),
                            why: "it has no NIC".into(),
                        }
                    });
                }
                if let Some(index) = design.firewalls.iter().position(|f| &f.name == name) {
                    let firewall = &design.firewalls[index];
                    return Ok(Origin::Subnet {
                        subnet: firewall.subnet.clone(),
                        party: Party::at(firewall.private_ip),
                        compute: None,
                        firewall: Some(index),
                    });
                }
                if design.private_endpoints.iter().any(|p| &p.name == name) {
                    return Err(FlowError::NotASource {
                        name: name.clone(),
                        why: "a private endpoint only receives traffic".into(),
                    });
                }
                if design.resources.iter().any(|r| &r.name == name) {
                    return Err(FlowError::NotASource {
                        name: name.clone(),
                        why:
                            "storage accounts, key vaults and registries only receive traffic here"
                                .into(),
                    });
                }
                if let Some(workspace) = design.workspaces.iter().find(|w| &w.name == name) {
                    return Ok(Origin::WorkspaceService { workspace });
                }
                if let Some(service) = design.services.iter().find(|s| &s.name == name) {
                    return Ok(Origin::Outside {
                        party: engine.service_party(service),
                        azure_region: service.region.clone(),
                    });
                }
                if let Some(host) = design.external_hosts.iter().find(|h| &h.name == name) {
                    return Ok(engine.origin_of_external(host));
                }
                if let Some(subnet) = engine.subnet_id(name) {
                    let ip = engine.subnet_first_address(&subnet).ok_or_else(|| {
                        FlowError::NotASource {
                            name: name.clone(),
                            why: "the subnet has no usable address".into(),
                        }
                    })?;
                    return Ok(Origin::Subnet {
                        subnet,
                        party: Party::at(ip),
                        compute: None,
                        firewall: None,
                    });
                }
                Err(FlowError::UnknownElement(name.clone()))
            }
        }
    }

    /// Resolves the destination; DNS names are resolved from `dns_vnet`.
    fn destination(
        &mut self,
        dns_vnet: Option<&str>,
    ) -> Result<Result<Destination<'e>, End>, FlowError> {
        let engine = self.engine;
        let design = &engine.design;
        match &self.flow.destination {
            FlowTarget::Address(ip) => {
                let (entity, party) = engine.entity_at(*ip);
                Ok(Ok(Destination {
                    party,
                    entity,
                    fqdn: None,
                    sub_resource: None,
                }))
            }
            FlowTarget::Fqdn(fqdn) => Ok(self.resolve(fqdn, dns_vnet)),
            FlowTarget::Element(name) => {
                if let Some(compute) = design.computes.iter().find(|c| &c.name == name) {
                    return Ok(Ok(Destination {
                        party: Engine::compute_party(compute),
                        entity: Entity::Compute(compute),
                        fqdn: None,
                        sub_resource: None,
                    }));
                }
                if let Some(index) = design.firewalls.iter().position(|f| &f.name == name) {
                    return Ok(Ok(Destination {
                        party: Party::at(design.firewalls[index].private_ip),
                        entity: Entity::Firewall(index),
                        fqdn: None,
                        sub_resource: None,
                    }));
                }
                if let Some(endpoint) = design.private_endpoints.iter().find(|p| &p.name == name) {
                    return Ok(Ok(Destination {
                        party: Party::at(endpoint.private_ip),
                        entity: Entity::PrivateEndpoint(endpoint),
                        fqdn: None,
                        sub_resource: Some(endpoint.sub_resource.to_ascii_lowercase()),
                    }));
                }
                if let Some(resource) = design.resources.iter().find(|r| &r.name == name) {
                    let fqdn = paas_fqdn(
                        Some(resource.kind),
                        &resource.name,
                        "blob",
                        "",
                        design.cloud,
                    );
                    return Ok(self.resolve(&fqdn, dns_vnet));
                }
                if let Some(workspace) = design.workspaces.iter().find(|w| &w.name == name) {
                    let fqdn = paas_fqdn(
                        None,
                        &workspace.name,
                        "amlworkspace",
                        &normalise_region(&workspace.region),
                        design.cloud,
                    );
                    return Ok(self.resolve(&fqdn, dns_vnet));
                }
                if let Some(service) = design.services.iter().find(|s| &s.name == name) {
                    let fqdn = service.fqdns.iter().find(|f| !f.contains('*')).cloned();
                    return Ok(Ok(Destination {
                        party: engine.service_party(service),
                        entity: Entity::Service(service),
                        fqdn,
                        sub_resource: None,
                    }));
                }
                if let Some(host) = design.external_hosts.iter().find(|h| &h.name == name) {
                    return Ok(Ok(Destination {
                        party: Party::external(host),
                        entity: Entity::External(host),
                        fqdn: host.fqdns.first().cloned(),
                        sub_resource: None,
                    }));
                }
                if let Some(subnet) = engine.subnet_id(name) {
                    let ip = engine
                        .subnet_first_address(&subnet)
                        .ok_or_else(|| FlowError::UnknownElement(name.clone()))?;
                    let (entity, party) = engine.entity_at(ip);
                    return Ok(Ok(Destination {
                        party,
                        entity,
                        fqdn: None,
                        sub_resource: None,
                    }));
                }
                Err(FlowError::UnknownElement(name.clone()))
            }
        }
    }

    fn resolve(&mut self, fqdn: &str, dns_vnet: Option<&str>) -> Result<Destination<'e>, End> {
        let engine = self.engine;
        let design = &engine.design;
        let view = dns_vnet.map_or("a client outside Azure (public DNS)".to_string(), |v| {
            format!("VNet {v}")
        });
        if let Some(vnet) = dns_vnet
            .and_then(|v| design.virtual_networks.iter().find(|x| x.name == v))
            .filter(|v| !v.dns_servers.is_empty())
        {
            self.hop(Step::Dns, &vnet.name, Outcome::Info, None, "custom DNS servers: assumed to forward to Azure DNS (168.63.129.16), which answers from the zones linked to this VNet");
        }
        if let Some(name) = parse_paas_fqdn(fqdn, design.cloud) {
            let resource = design.resources.iter().find(|r| {
                r.name.eq_ignore_ascii_case(&name.resource)
                    && (name.sub_resource != "vault" || r.kind == PaasKind::KeyVault)
                    && (name.sub_resource != "registry" || r.kind == PaasKind::ContainerRegistry)
            });
            let workspace = (name.sub_resource == "amlworkspace")
                .then(|| {
                    design
                        .workspaces
                        .iter()
                        .find(|w| w.name.eq_ignore_ascii_case(&name.resource))
                })
                .flatten();
            let has_private_endpoint = design
                .private_endpoints
                .iter()
                .any(|p| p.target.eq_ignore_ascii_case(&name.resource));
            let zone = &name.private_zone;
            let answer = if has_private_endpoint {
                engine.private_dns.lookup(dns_vnet, zone, &name.record)
            } else {
                PrivateAnswer::NotLinked
            };
            let rule = |record: &str| {
                Some(RuleRef {
                    name: record.to_string(),
                    priority: None,
                    container: zone.clone(),
                })
            };
            match answer {
                PrivateAnswer::Record(ip) => {
                    self.hop(
                        Step::Dns,
                        fqdn,
                        Outcome::Forward,
                        rule(&name.record),
                        format!("{fqdn} → {ip} from private zone {zone} linked to {view}"),
                    );
                    let (entity, party) = engine.entity_at(ip);
                    return Ok(Destination {
                        party,
                        entity,
                        fqdn: Some(fqdn.to_string()),
                        sub_resource: Some(name.sub_resource),
                    });
                }
                PrivateAnswer::Missing {
                    fallback_to_internet: false,
                } => {
                    self.hop(Step::Dns, fqdn, Outcome::Nxdomain, rule(&name.record), format!("private zone {zone} is linked to {view} but has no record for {}: NXDOMAIN", name.record));
                    return Err(End::new(Verdict::Unresolved, format!("{fqdn} does not resolve: {zone} is linked to {view} without a record for it")));
                }
                PrivateAnswer::Missing {
                    fallback_to_internet: true,
                } => {
                    self.hop(Step::Dns, fqdn, Outcome::Info, rule(&name.record), format!("no record in linked zone {zone}; the link falls back to public resolution"));
                }
                PrivateAnswer::NotLinked => {}
            }
            let (entity, party) = match (resource, workspace) {
                (Some(resource), _) => {
                    (Entity::Resource(resource), engine.resource_party(resource))
                }
                (None, Some(workspace)) => (
                    Entity::Workspace(workspace),
                    engine.workspace_party(workspace),
                ),
                (None, None) => {
                    let kind = match name.sub_resource.as_str() {
                        "vault" => PaasKind::KeyVault,
                        "registry" => PaasKind::ContainerRegistry,
                        _ => PaasKind::StorageAccount,
                    };
                    (
                        Entity::UnmodelledResource {
                            kind,
                            name: name.resource.clone(),
                        },
                        engine.unmodelled_resource_party(kind),
                    )
                }
            };
            let shown = party.ip.map_or("its public endpoint".to_string(), |ip| {
                format!("public endpoint {ip}")
            });
            self.hop(
                Step::Dns,
                fqdn,
                Outcome::Forward,
                None,
                format!("{fqdn} → {shown} (no private record visible from {view})"),
            );
            return Ok(Destination {
                party,
                entity,
                fqdn: Some(fqdn.to_string()),
                sub_resource: Some(name.sub_resource),
            });
        }
        if let Some(service) = design
            .services
            .iter()
            .find(|s| s.fqdns.iter().any(|p| fqdn_matches(p, fqdn)))
        {
            let party = engine.service_party(service);
            self.hop(
                Step::Dns,
                fqdn,
                Outcome::Forward,
                None,
                format!("{fqdn} → {} ({})", service.name, service.service_tag),
            );
            return Ok(Destination {
                party,
                entity: Entity::Service(service),
                fqdn: Some(fqdn.to_string()),
                sub_resource: None,
            });
        }
        if let Some(host) = design
            .external_hosts
            .iter()
            .find(|h| h.fqdns.iter().any(|p| fqdn_matches(p, fqdn)))
        {
            self.hop(
                Step::Dns,
                fqdn,
                Outcome::Forward,
                None,
                format!("{fqdn} → {} ({})", host.ip, host.name),
            );
            return Ok(Destination {
                party: Party::external(host),
                entity: Entity::External(host),
                fqdn: Some(fqdn.to_string()),
                sub_resource: None,
            });
        }
        self.hop(Step::Dns, fqdn, Outcome::Forward, None, format!("{fqdn} is not modelled: treated as a public internet host whose address is unknown"));
        Ok(Destination {
            party: Party::default(),
            entity: Entity::OtherAddress,
            fqdn: Some(fqdn.to_string()),
            sub_resource: None,
        })
    }

    fn run(&mut self, origin: Origin<'e>) -> Result<End, FlowError> {
        let engine = self.engine;
        let design = &engine.design;
        let dns_vnet = match &origin {
            Origin::Subnet { subnet, .. } => subnet.split('/').next().map(str::to_string),
            Origin::OnPremises { gateway_vnet, .. } => Some(gateway_vnet.clone()),
            _ => None,
        };
        let label = match &origin {
            Origin::Subnet {
                compute: Some(c),
                subnet,
                ..
            } => format!("{} in {subnet}", c.name),
            Origin::Subnet { subnet, party, .. } => format!(
                "{} in {subnet}",
                party.ip.map(|ip| ip.to_string()).unwrap_or_default()
            ),
            Origin::Managed { compute, workspace } => {
                format!("{} in the managed VNet of {}", compute.name, workspace.name)
            }
            Origin::Outside { party, .. } => format!("{} outside the VNets", describe_party(party)),
            Origin::WorkspaceService { workspace } => format!(
                "Azure Machine Learning acting for workspace {}",
                workspace.name
            ),
            Origin::OnPremises {
                gateway_vnet,
                party,
            } => format!(
                "{} on-premises via the gateway of {gateway_vnet}",
                describe_party(party)
            ),
        };
        self.hop(
            Step::Source,
            self.flow.source.to_string(),
            Outcome::Info,
            None,
            label,
        );
        let destination = match self.destination(dns_vnet.as_deref())? {
            Ok(destination) => destination,
            Err(end) => return Ok(end),
        };
        let end = match origin {
            Origin::Subnet {
                subnet,
                party,
                compute,
                firewall,
            } => {
                let vnet_region = find_subnet(design, &subnet).map(|(v, _)| v.region.clone());
                let (public_ip, default_outbound) =
                    egress_identity(engine, &subnet, compute, firewall);
                let sender = Sender {
                    party,
                    origin_vnet: subnet.split('/').next().map(str::to_string),
                    public_ip,
                    default_outbound,
                    region: vnet_region,
                    unsnatted_firewall: None,
                    forwarded: false,
                };
                self.start_in_subnet(&subnet, compute, sender, &destination)
            }
            Origin::Managed { workspace, .. } => {
                self.start_in_managed_vnet(workspace, &destination)
            }
            Origin::Outside {
                party,
                azure_region,
            } => self.start_outside(party, azure_region, &destination),
            Origin::WorkspaceService { workspace } => {
                self.start_as_workspace_service(workspace, &destination)
            }
            Origin::OnPremises {
                party,
                gateway_vnet,
            } => {
                let sender = Sender {
                    party,
                    origin_vnet: None,
                    public_ip: None,
                    default_outbound: false,
                    region: None,
                    unsnatted_firewall: None,
                    forwarded: true,
                };
                match engine.gateway_routes.get(&gateway_vnet) {
                    Some(routes) => {
                        self.hop(
                            Step::Route,
                            &gateway_vnet,
                            Outcome::Info,
                            None,
                            "enters the VNet through its gateway; the GatewaySubnet's routes apply",
                        );
                        self.route_with(
                            routes,
                            &format!("{gateway_vnet}/GatewaySubnet"),
                            sender,
                            &destination,
                            0,
                        )
                    }
                    None => End::new(
                        Verdict::NoRoute,
                        format!("VNet {gateway_vnet} has no gateway"),
                    ),
                }
            }
        };
        Ok(end)
    }

    // ----- sources inside customer subnets ------------------------------------------------

    fn start_in_subnet(
        &mut self,
        subnet: &str,
        compute: Option<&Compute>,
        sender: Sender,
        destination: &Destination<'e>,
    ) -> End {
        if matches!(destination.entity, Entity::PlatformAddress) {
            self.hop(
                Step::NsgOutbound,
                subnet,
                Outcome::Allow,
                None,
                "168.63.129.16 and 169.254.169.254 are not filtered by NSGs",
            );
            self.hop(
                Step::Delivered,
                destination_label(destination),
                Outcome::Allow,
                None,
                "reaches the Azure platform address",
            );
            return End::new(
                Verdict::Allowed,
                "platform addresses are always reachable from a VNet",
            );
        }
        let nic_nsg = compute
            .and_then(|c| c.nic.as_ref())
            .and_then(|n| n.nsg.clone());
        let subnet_nsg = find_subnet(&self.engine.design, subnet).and_then(|(_, s)| s.nsg.clone());
        for (level, nsg) in [("NIC", nic_nsg), ("subnet", subnet_nsg)] {
            if let Some(end) = self.nsg(
                Step::NsgOutbound,
                Direction::Outbound,
                nsg.as_deref(),
                level,
                subnet,
                &sender.party,
                &destination.party,
            ) {
                return end;
            }
        }
        self.route(subnet, sender, destination, 0)
    }

    /// Evaluates one NSG level; `Some(end)` when it stops the packet.
    #[allow(clippy::too_many_arguments)]
    fn nsg(
        &mut self,
        step: Step,
        direction: Direction,
        nsg: Option<&str>,
        level: &str,
        subnet: &str,
        source: &Party,
        destination: &Party,
    ) -> Option<End> {
        let engine = self.engine;
        let Some(name) = nsg else {
            self.hop(
                step,
                format!("{subnet} ({level})"),
                Outcome::Allow,
                None,
                format!("no NSG on the {level}: all traffic passes"),
            );
            return None;
        };
        let Some(compiled) = engine.nsgs.get(name) else {
            self.hop(
                step,
                name,
                Outcome::Unsupported,
                None,
                "the NSG is not in the design",
            );
            return Some(End::new(
                Verdict::Unsupported,
                format!("NSG {name} is referenced but not defined"),
            ));
        };
        let no_scope = AddressScope::default();
        let scope = engine
            .subnet_routes
            .get(subnet)
            .map_or(&no_scope, |r| &r.scope);
        let packet = NsgPacket {
            source,
            destination,
            protocol: self.flow.protocol,
            ports: &self.ports,
        };
        match compiled.evaluate(
            direction,
            packet,
            scope,
            engine.service_tags(),
            engine.design.cloud,
            &engine.design.options,
        ) {
            NsgDecision::Matched(rule) => {
                let rule_ref = Some(RuleRef {
                    name: rule.name.clone(),
                    priority: Some(rule.priority),
                    container: name.to_string(),
                });
                let default = if rule.is_default { "default rule " } else { "" };
                let verb = if rule.access == Access::Allow {
                    "allows"
                } else {
                    "denies"
                };
                let reason = format!(
                    "{level} NSG {name}: {default}{} (priority {}) {verb} it",
                    rule.name, rule.priority
                );
                if rule.access == Access::Allow {
                    self.hop(step, name, Outcome::Allow, rule_ref, reason);
                    None
                } else {
                    Some(self.deny(step, name, rule_ref, reason))
                }
            }
            NsgDecision::Undecidable { rule, reason } => {
                let rule_ref = Some(RuleRef {
                    name: rule.name.clone(),
                    priority: Some(rule.priority),
                    container: name.to_string(),
                });
                self.hop(step, name, Outcome::Unsupported, rule_ref, reason.clone());
                Some(End::new(
                    Verdict::Unsupported,
                    format!("NSG {name} rule {}: {reason}", rule.name),
                ))
            }
            NsgDecision::NoRuleMatched => {
                let reason = format!("no rule of {name} matches protocol {} (option any_protocol_includes_esp_ah is off)", self.flow.protocol);
                self.hop(step, name, Outcome::Unsupported, None, reason.clone());
                Some(End::new(Verdict::Unsupported, reason))
            }
        }
    }

    /// Records a denying hop and ends the walk as blocked, for the same reason.
    fn deny(
        &mut self,
        step: Step,
        element: impl Into<String>,
        rule: Option<RuleRef>,
        reason: String,
    ) -> End {
        self.hop(step, element, Outcome::Deny, rule, reason.clone());
        End::new(Verdict::Blocked, reason)
    }

    /// The packet as a firewall sees it at this point of the walk.
    fn firewall_packet<'p>(
        &'p self,
        source: &'p Party,
        destination: &'p Party,
        fqdn: Option<&'p str>,
    ) -> FirewallPacket<'p> {
        FirewallPacket {
            source,
            destination,
            fqdn,
            protocol: self.flow.protocol,
            ports: &self.ports,
        }
    }

    /// Inbound to a NIC: the subnet NSG, then the NIC NSG; both must allow.
    fn nic_inbound(
        &mut self,
        nic: &NetworkInterface,
        source: &Party,
        destination: &Party,
    ) -> Option<End> {
        let subnet_nsg =
            find_subnet(&self.engine.design, &nic.subnet).and_then(|(_, s)| s.nsg.clone());
        [("subnet", subnet_nsg), ("NIC", nic.nsg.clone())]
            .into_iter()
            .find_map(|(level, nsg)| {
                self.nsg(
                    Step::NsgInbound,
                    Direction::Inbound,
                    nsg.as_deref(),
                    level,
                    &nic.subnet,
                    source,
                    destination,
                )
            })
    }

    fn route(
        &mut self,
        subnet: &str,
        sender: Sender,
        destination: &Destination<'e>,
        depth: usize,
    ) -> End {
        match self.engine.subnet_routes.get(subnet) {
            Some(routes) => self.route_with(routes, subnet, sender, destination, depth),
            None => End::new(
                Verdict::Unsupported,
                format!("subnet {subnet} is not in the design"),
            ),
        }
    }

    fn route_with(
        &mut self,
        routes: &'e SubnetRoutes,
        subnet: &str,
        sender: Sender,
        destination: &Destination<'e>,
        depth: usize,
    ) -> End {
        let engine = self.engine;
        let design = &engine.design;
        if depth > MAX_APPLIANCE_HOPS {
            self.hop(
                Step::Route,
                subnet,
                Outcome::Drop,
                None,
                "more than four appliance hops: routing loop",
            );
            return End::new(Verdict::NoRoute, "routing loop between appliances");
        }
        let entry = match routes.select(
            &destination.party,
            engine.service_tags(),
            design.cloud,
            &design.options,
        ) {
            RouteSelection::Route { entry, note } => {
                if let Some(note) = note {
                    self.hop(Step::Route, subnet, Outcome::Info, None, note);
                }
                entry
            }
            RouteSelection::NoRoute => {
                self.hop(
                    Step::Route,
                    subnet,
                    Outcome::Drop,
                    None,
                    "no route matches the destination",
                );
                return End::new(
                    Verdict::NoRoute,
                    format!("no route in {subnet} matches the destination"),
                );
            }
            RouteSelection::Undecidable(reason) => {
                self.hop(
                    Step::Route,
                    subnet,
                    Outcome::Unsupported,
                    None,
                    reason.clone(),
                );
                return End::new(Verdict::Unsupported, reason);
            }
        };
        let rule = Some(RuleRef {
            name: entry.name.clone(),
            priority: None,
            container: entry.table.clone(),
        });
        let hop_text =
            |next: &str| format!("{subnet}: route {} ({}) → {next}", entry.name, entry.table);
        match &entry.next_hop {
            NextHop::None | NextHop::MissingGateway => {
                let why = if entry.next_hop == NextHop::None {
                    "next hop None"
                } else {
                    "next hop VirtualNetworkGateway, but no gateway serves this VNet"
                };
                self.hop(Step::Route, subnet, Outcome::Drop, rule, hop_text(why));
                End::new(
                    Verdict::NoRoute,
                    format!("dropped by route {} in {}: {why}", entry.name, entry.table),
                )
            }
            NextHop::VnetLocal => {
                self.hop(
                    Step::Route,
                    subnet,
                    Outcome::Forward,
                    rule,
                    hop_text("VnetLocal"),
                );
                self.deliver_in_vnet(sender, destination)
            }
            NextHop::Peering { remote_vnet } => {
                self.hop(
                    Step::Route,
                    subnet,
                    Outcome::Forward,
                    rule,
                    hop_text(&format!("VNet peering to {remote_vnet}")),
                );
                let local_vnet = subnet.split('/').next().unwrap_or_default();
                if let Some(end) = self.cross_peering(local_vnet, remote_vnet, &sender) {
                    return end;
                }
                self.deliver_in_vnet(sender, destination)
            }
            NextHop::Internet => {
                self.hop(
                    Step::Route,
                    subnet,
                    Outcome::Forward,
                    rule,
                    hop_text("Internet"),
                );
                self.leave_to_internet(subnet, sender, destination)
            }
            NextHop::Gateway { name } => {
                self.hop(
                    Step::Route,
                    subnet,
                    Outcome::Forward,
                    rule,
                    hop_text(&format!("virtual network gateway {name}")),
                );
                self.hop(
                    Step::Delivered,
                    destination_label(destination),
                    Outcome::Allow,
                    None,
                    "leaves Azure through the gateway; the on-premises side is not modelled",
                );
                End::new(
                    Verdict::Allowed,
                    format!("routed on-premises through gateway {name}"),
                )
            }
            NextHop::ServiceEndpoint { service } => {
                self.hop(
                    Step::Route,
                    subnet,
                    Outcome::Forward,
                    rule,
                    hop_text(&format!("service endpoint {service}")),
                );
                self.over_service_endpoint(subnet, service, destination)
            }
            NextHop::PrivateEndpoint { name } => {
                self.hop(
                    Step::Route,
                    subnet,
                    Outcome::Forward,
                    rule,
                    hop_text(&format!("private endpoint {name}")),
                );
                self.enter_private_endpoint(sender, destination)
            }
            NextHop::Appliance(ip) => {
                self.hop(
                    Step::Route,
                    subnet,
                    Outcome::Forward,
                    rule,
                    hop_text(&format!("virtual appliance {ip}")),
                );
                self.through_appliance(*ip, sender, destination, depth)
            }
        }
    }

    fn cross_peering(
        &mut self,
        local_vnet: &str,
        remote_vnet: &str,
        sender: &Sender,
    ) -> Option<End> {
        let peerings = self.engine.topology.connected_peerings(local_vnet);
        let (outgoing, incoming) = peerings
            .iter()
            .find(|(o, _)| o.remote_vnet == remote_vnet)?;
        let rule = |p: &crate::model::Peering| {
            Some(RuleRef {
                name: p.name.clone(),
                priority: None,
                container: format!("{} → {}", p.local_vnet, p.remote_vnet),
            })
        };
        if !outgoing.allow_virtual_network_access {
            let reason = format!(
                "peering {} does not allow virtual network access",
                outgoing.name
            );
            return Some(self.deny(Step::Peering, &outgoing.name, rule(outgoing), reason));
        }
        if sender.forwarded && !incoming.allow_forwarded_traffic {
            let reason = format!("the packet was forwarded by an appliance and peering {} does not allow forwarded traffic", incoming.name);
            return Some(self.deny(Step::Peering, &incoming.name, rule(incoming), reason));
        }
        self.hop(
            Step::Peering,
            &outgoing.name,
            Outcome::Allow,
            rule(outgoing),
            format!("crosses peering {local_vnet} → {remote_vnet}"),
        );
        None
    }

    // ----- destinations inside VNets ------------------------------------------------------

    fn deliver_in_vnet(&mut self, sender: Sender, destination: &Destination<'e>) -> End {
        let engine = self.engine;
        let design = &engine.design;
        match &destination.entity {
            Entity::PrivateEndpoint(_) => self.enter_private_endpoint(sender, destination),
            Entity::Compute(compute) => {
                let Some(nic) = compute.nic.as_ref() else {
                    return End::new(
                        Verdict::NoRoute,
                        format!("{} has no NIC in a customer VNet", compute.name),
                    );
                };
                if let Some(end) = self.nic_inbound(nic, &sender.party, &destination.party) {
                    return end;
                }
                if let Some(end) = self.check_return_path(&nic.subnet, &sender) {
                    return end;
                }
                self.delivered(destination, format!("reaches {}", compute.name))
            }
            Entity::SubnetAddress(subnet) => {
                let subnet_nsg = find_subnet(design, subnet).and_then(|(_, s)| s.nsg.clone());
                if let Some(end) = self.nsg(
                    Step::NsgInbound,
                    Direction::Inbound,
                    subnet_nsg.as_deref(),
                    "subnet",
                    subnet,
                    &sender.party,
                    &destination.party,
                ) {
                    return end;
                }
                self.delivered(
                    destination,
                    format!(
                        "reaches an address in {subnet} (no modelled NIC there, so no NIC NSG)"
                    ),
                )
            }
            Entity::Firewall(index) => {
                let name = design.firewalls[*index].name.clone();
                self.delivered(destination, format!("reaches firewall {name} itself"))
            }
            _ => {
                let address = describe_party(&destination.party);
                self.hop(
                    Step::Route,
                    address.clone(),
                    Outcome::Drop,
                    None,
                    "the route leads into the VNet, but no subnet holds this address",
                );
                End::new(
                    Verdict::NoRoute,
                    format!("{address} is routed into the VNet but no subnet holds it"),
                )
            }
        }
    }

    /// A stateful firewall that forwarded without SNAT sees only half the connection unless the
    /// destination routes its reply back through it.
    fn check_return_path(&mut self, destination_subnet: &str, sender: &Sender) -> Option<End> {
        let engine = self.engine;
        let (index, routes) = (
            sender.unsnatted_firewall?,
            engine.subnet_routes.get(destination_subnet)?,
        );
        let firewall = &engine.firewalls[index];
        let back = routes.select(
            &sender.party,
            engine.service_tags(),
            engine.design.cloud,
            &engine.design.options,
        );
        let returns_through = matches!(back, RouteSelection::Route { entry, .. } if entry.next_hop == NextHop::Appliance(firewall.private_ip));
        if returns_through {
            return None;
        }
        let reason = format!("asymmetric path: firewall {} forwarded without SNAT, but {destination_subnet} routes the reply to {} around it, so the stateful firewall drops it", firewall.name, describe_party(&sender.party));
        Some(self.deny(Step::Route, destination_subnet, None, reason))
    }

    fn delivered(&mut self, destination: &Destination<'e>, reason: String) -> End {
        if let Entity::Compute(compute) = &destination.entity {
            let batch_ports = PortRange {
                first: 29876,
                last: 29877,
            };
            if compute.kind.is_aml_compute()
                && compute.node_communication == crate::model::NodeCommunication::Simplified
                && PortSpan::check_in(&self.ports, &[batch_ports])
            {
                self.hop(Step::Delivered, &compute.name, Outcome::Info, None, "simplified node communication: Azure Batch no longer connects inbound on 29876-29877 (the network would still allow it)");
            }
        }
        self.hop(
            Step::Delivered,
            destination_label(destination),
            Outcome::Allow,
            None,
            reason.clone(),
        );
        End::new(Verdict::Allowed, reason)
    }

    fn enter_private_endpoint(&mut self, sender: Sender, destination: &Destination<'e>) -> End {
        let engine = self.engine;
        let design = &engine.design;
        let Entity::PrivateEndpoint(endpoint) = &destination.entity else {
            return self.deliver_in_vnet(sender, destination);
        };
        let rule = Some(RuleRef {
            name: endpoint.name.clone(),
            priority: None,
            container: endpoint.target.clone(),
        });
        if endpoint.connection_state != crate::model::ConnectionState::Approved {
            let reason = format!(
                "private endpoint {} connection is {:?}: only Approved connections carry traffic",
                endpoint.name, endpoint.connection_state
            );
            return self.deny(Step::PrivateEndpoint, &endpoint.name, rule, reason);
        }
        let protocol_ok = match self.flow.protocol {
            Protocol::Tcp => true,
            Protocol::Udp => design.options.private_endpoint_udp,
            _ => false,
        };
        if !protocol_ok {
            let reason = format!(
                "private endpoints carry TCP{} only",
                if design.options.private_endpoint_udp {
                    " and UDP"
                } else {
                    ""
                }
            );
            return self.deny(Step::PrivateEndpoint, &endpoint.name, rule, reason);
        }
        if let Some(sub) = &destination.sub_resource {
            if !sub.eq_ignore_ascii_case(&endpoint.sub_resource) {
                let reason = format!(
                    "private endpoint {} serves {} of {}, not {sub}",
                    endpoint.name, endpoint.sub_resource, endpoint.target
                );
                return self.deny(Step::PrivateEndpoint, &endpoint.name, rule, reason);
            }
        }
        if let Some((_, pe_subnet)) = find_subnet(design, &endpoint.subnet) {
            if pe_subnet.private_endpoint_network_policies.applies_nsg() {
                if design.cloud == Cloud::UsGovernment
                    && !design.options.private_endpoint_nsg_in_us_gov
                {
                    self.hop(Step::NsgInbound, &endpoint.subnet, Outcome::Info, None, "private endpoint network policies are treated as unavailable in US Government regions (option private_endpoint_nsg_in_us_gov)");
                } else if let Some(end) = self.nsg(
                    Step::NsgInbound,
                    Direction::Inbound,
                    pe_subnet.nsg.as_deref(),
                    "subnet",
                    &endpoint.subnet,
                    &sender.party,
                    &destination.party,
                ) {
                    return end;
                }
            } else {
                self.hop(Step::NsgInbound, &endpoint.subnet, Outcome::Info, None, "private endpoint network policies are Disabled: the subnet NSG does not apply to the endpoint");
            }
        }
        self.hop(
            Step::PrivateEndpoint,
            &endpoint.name,
            Outcome::Allow,
            rule,
            format!(
                "private endpoint {} ({}) for {}",
                endpoint.name, endpoint.sub_resource, endpoint.target
            ),
        );
        let path = AccessPath::PrivateEndpoint {
            name: endpoint.name.clone(),
        };
        self.data_plane(&endpoint.target, &path, destination)
    }

    /// The target resource's own network rules.
    fn data_plane(
        &mut self,
        target: &str,
        path: &AccessPath,
        destination: &Destination<'e>,
    ) -> End {
        let design = &self.engine.design;
        let hop = if let Some(resource) = design
            .resources
            .iter()
            .find(|r| r.name.eq_ignore_ascii_case(target))
        {
            evaluate_resource(resource, path, &design.options)
        } else if let Some(workspace) = design
            .workspaces
            .iter()
            .find(|w| w.name.eq_ignore_ascii_case(target))
        {
            evaluate_workspace(workspace, path)
        } else {
            return self.delivered(
                destination,
                format!("reaches {target}, which the design does not model (no firewall assumed)"),
            );
        };
        let (outcome, reason) = (hop.outcome, hop.reason.clone());
        self.hops.push(hop);
        match outcome {
            Outcome::Allow => self.delivered(destination, format!("{target} accepts it: {reason}")),
            Outcome::Unsupported => End::new(Verdict::Unsupported, reason),
            _ => End::new(Verdict::Blocked, format!("{target} rejects it: {reason}")),
        }
    }

    fn over_service_endpoint(
        &mut self,
        subnet: &str,
        service: &str,
        destination: &Destination<'e>,
    ) -> End {
        let design = &self.engine.design;
        let (resource, name) = match &destination.entity {
            Entity::Resource(resource) => (Some(*resource), resource.name.clone()),
            Entity::UnmodelledResource { name, .. } => (None, name.clone()),
            _ => (None, describe_party(&destination.party)),
        };
        self.hop(Step::ServiceEndpoint, subnet, Outcome::Forward, None, format!("over the {service} service endpoint: {name} sees the source as subnet {subnet} (private address)"));
        let is_storage = resource.map_or(
            matches!(
                destination.entity,
                Entity::UnmodelledResource {
                    kind: PaasKind::StorageAccount,
                    ..
                } | Entity::OtherAddress
            ),
            |r| r.kind == PaasKind::StorageAccount,
        );
        let policies: Vec<_> = find_subnet(design, subnet)
            .map(|(_, s)| {
                s.service_endpoint_policies
                    .iter()
                    .filter_map(|name| {
                        design
                            .service_endpoint_policies
                            .iter()
                            .find(|p| &p.name == name)
                    })
                    .collect()
            })
            .unwrap_or_default();
        if is_storage && !policies.is_empty() {
            let hop = sep_decision(&policies, resource, &name, subnet);
            let (outcome, reason) = (hop.outcome, hop.reason.clone());
            self.hops.push(hop);
            if outcome == Outcome::Deny {
                return End::new(
                    Verdict::Blocked,
                    format!("service endpoint policy: {reason}"),
                );
            }
        } else if is_storage {
            self.hop(Step::Sep, subnet, Outcome::Info, None, "no service endpoint policy on the subnet: every storage account is reachable over the endpoint");
        }
        match resource {
            Some(resource) => {
                let path = AccessPath::ServiceEndpoint { subnet: subnet.to_string() };
                let hop = evaluate_resource(resource, &path, &design.options);
                let (outcome, reason) = (hop.outcome, hop.reason.clone());
                self.hops.push(hop);
                match outcome {
                    Outcome::Allow => self.delivered(destination, format!("{} accepts it: {reason}", resource.name)),
                    Outcome::Unsupported => End::new(Verdict::Unsupported, reason),
                    _ => End::new(Verdict::Blocked, format!("{} rejects it: {reason}", resource.name)),
                }
            }
            None => match &destination.entity {
                Entity::Workspace(workspace) => self.data_plane(&workspace.name.clone(), &AccessPath::ServiceEndpoint { subnet: subnet.to_string() }, destination),
                _ => self.delivered(destination, format!("reaches {name} over the service endpoint (not modelled: its firewall is assumed open)")),
            },
        }
    }

    fn through_appliance(
        &mut self,
        next_hop: Ipv4Addr,
        sender: Sender,
        destination: &Destination<'e>,
        depth: usize,
    ) -> End {
        let engine = self.engine;
        let design = &engine.design;
        if let Some(index) = engine
            .firewalls
            .iter()
            .position(|f| f.private_ip == next_hop)
        {
            let firewall = &engine.firewalls[index];
            let packet = self.firewall_packet(
                &sender.party,
                &destination.party,
                destination.fqdn.as_deref(),
            );
            let firewall_vnet = firewall.subnet.split('/').next().map(str::to_string);
            let resolve = |fqdn: &str| self.resolve_quietly(fqdn, firewall_vnet.as_deref());
            let mut hops = Vec::new();
            let outcome = firewall.evaluate(
                packet,
                &resolve,
                engine.service_tags(),
                design.cloud,
                &design.options,
                &mut hops,
            );
            self.hops.extend(hops);
            return match outcome {
                FirewallOutcome::Deny => {
                    let reason = self
                        .hops
                        .last()
                        .map(|h| format!("firewall {}: {}", firewall.name, h.reason))
                        .unwrap_or_default();
                    End::new(Verdict::Blocked, reason)
                }
                FirewallOutcome::Undecidable => End::new(
                    Verdict::Unsupported,
                    format!("firewall {} cannot decide", firewall.name),
                ),
                FirewallOutcome::Allow { snat } => {
                    let mut next = sender.clone();
                    if let Some(ip) = snat {
                        next.party = Party::at(ip);
                        next.unsnatted_firewall = None;
                    } else {
                        next.unsnatted_firewall = Some(index);
                    }
                    next.public_ip = firewall.public_ip;
                    next.default_outbound = false;
                    next.forwarded = true;
                    next.origin_vnet = firewall_vnet;
                    self.hop(Step::Route, &firewall.subnet, Outcome::Info, None, "after the firewall, its own subnet's routes and service endpoints apply (not the source subnet's, nor its service endpoint policies)");
                    self.route(&firewall.subnet.clone(), next, destination, depth + 1)
                }
            };
        }
        let appliance = design.computes.iter().find_map(|c| {
            c.nic
                .as_ref()
                .filter(|n| n.private_ip == next_hop)
                .map(|nic| (c, nic))
        });
        if let Some((appliance, nic)) = appliance {
            if !nic.ip_forwarding {
                let reason = format!("next hop {next_hop} ({}) does not have IP forwarding enabled: it drops transit traffic", appliance.name);
                self.hop(
                    Step::Appliance,
                    &appliance.name,
                    Outcome::Drop,
                    None,
                    reason.clone(),
                );
                return End::new(Verdict::NoRoute, reason);
            }
            self.hop(Step::Appliance, &appliance.name, Outcome::Forward, None, format!("network virtual appliance {} forwards the packet unchanged (its own filtering is not modelled)", appliance.name));
            let mut next = sender;
            next.forwarded = true;
            return self.route(&nic.subnet.clone(), next, destination, depth + 1);
        }
        let reason = format!(
            "next hop {next_hop} is neither an Azure Firewall nor a NIC with IP forwarding"
        );
        self.hop(
            Step::Appliance,
            next_hop.to_string(),
            Outcome::Drop,
            None,
            reason.clone(),
        );
        End::new(Verdict::NoRoute, reason)
    }

    fn resolve_quietly(&self, fqdn: &str, vnet: Option<&str>) -> Option<Ipv4Addr> {
        let engine = self.engine;
        let design = &engine.design;
        if let Some(name) = parse_paas_fqdn(fqdn, design.cloud) {
            if let PrivateAnswer::Record(ip) =
                engine
                    .private_dns
                    .lookup(vnet, &name.private_zone, &name.record)
            {
                return Some(ip);
            }
            return design
                .resources
                .iter()
                .find(|r| r.name.eq_ignore_ascii_case(&name.resource))
                .and_then(|r| engine.resource_party(r).ip);
        }
        design
            .services
            .iter()
            .find(|s| s.fqdns.iter().any(|p| fqdn_matches(p, fqdn)))
            .and_then(|s| engine.service_party(s).ip)
            .or_else(|| {
                design
                    .external_hosts
                    .iter()
                    .find(|h| h.fqdns.iter().any(|p| fqdn_matches(p, fqdn)))
                    .map(|h| h.ip)
            })
    }

    // ----- the internet edge --------------------------------------------------------------

    fn leave_to_internet(
        &mut self,
        subnet: &str,
        sender: Sender,
        destination: &Destination<'e>,
    ) -> End {
        if destination.party.ip.is_some_and(|ip| !is_public(ip)) {
            let reason = format!(
                "{} is a private address: the Internet next hop cannot reach it",
                describe_party(&destination.party)
            );
            self.hop(
                Step::InternetEgress,
                subnet,
                Outcome::Drop,
                None,
                reason.clone(),
            );
            return End::new(Verdict::NoRoute, reason);
        }
        let identity = match (sender.public_ip, sender.default_outbound) {
            (Some(ip), _) => format!("public IP {ip}"),
            (None, true) => {
                "Azure default outbound access (a dynamic Microsoft address)".to_string()
            }
            (None, false) => {
                let reason = format!("{subnet} has no outbound path to the internet: no public IP, NAT gateway or default outbound access");
                self.hop(
                    Step::InternetEgress,
                    subnet,
                    Outcome::Drop,
                    None,
                    reason.clone(),
                );
                return End::new(Verdict::NoRoute, reason);
            }
        };
        self.hop(
            Step::InternetEgress,
            subnet,
            Outcome::Forward,
            None,
            format!("leaves through {identity}"),
        );
        let path = AccessPath::Public {
            source_ip: sender.public_ip,
            azure_region: sender.region.clone(),
        };
        self.public_destination(&path, destination)
    }

    fn public_destination(&mut self, path: &AccessPath, destination: &Destination<'e>) -> End {
        match &destination.entity {
            Entity::Resource(resource) => self.data_plane(&resource.name.clone(), path, destination),
            Entity::Workspace(workspace) => self.data_plane(&workspace.name.clone(), path, destination),
            Entity::UnmodelledResource { name, .. } => self.delivered(destination, format!("reaches {name}, which the design does not model (its firewall is assumed open)")),
            Entity::Service(service) => self.delivered(destination, format!("reaches {} ({})", service.name, service.service_tag)),
            Entity::External(host) => self.delivered(destination, format!("reaches {} on the internet", host.name)),
            _ => self.delivered(destination, format!("reaches {} on the internet", describe_party(&destination.party))),
        }
    }

    fn start_outside(
        &mut self,
        party: Party,
        azure_region: Option<String>,
        destination: &Destination<'e>,
    ) -> End {
        let engine = self.engine;
        let design = &engine.design;
        match &destination.entity {
            Entity::Compute(compute) => {
                let Some(nic) = compute.nic.as_ref() else {
                    return End::new(
                        Verdict::NoRoute,
                        format!("{} has no NIC in a customer VNet", compute.name),
                    );
                };
                let Some(public_ip) = nic.public_ip else {
                    let reason = format!(
                        "{} has no public IP: it cannot be reached from outside the VNet",
                        compute.name
                    );
                    self.hop(
                        Step::InternetIngress,
                        &compute.name,
                        Outcome::Drop,
                        None,
                        reason.clone(),
                    );
                    return End::new(Verdict::NoRoute, reason);
                };
                self.hop(
                    Step::InternetIngress,
                    &compute.name,
                    Outcome::Forward,
                    None,
                    format!(
                        "arrives at public IP {public_ip}, translated to {}",
                        nic.private_ip
                    ),
                );
                let inside = Destination {
                    party: Engine::compute_party(compute),
                    entity: Entity::Compute(compute),
                    fqdn: None,
                    sub_resource: None,
                };
                if let Some(end) = self.nic_inbound(nic, &party, &inside.party) {
                    return end;
                }
                if let Some(routes) = engine.subnet_routes.get(&nic.subnet) {
                    if let RouteSelection::Route { entry, .. } =
                        routes.select(&party, engine.service_tags(), design.cloud, &design.options)
                    {
                        if let NextHop::Appliance(ip) = entry.next_hop {
                            let reason = format!("asymmetric path: the reply from {} to {} follows route {} to appliance {ip}, not the internet it came from; add a route with next hop Internet for the source's service tag", compute.name, describe_party(&party), entry.name);
                            self.hop(
                                Step::Route,
                                &nic.subnet,
                                Outcome::Deny,
                                Some(RuleRef {
                                    name: entry.name.clone(),
                                    priority: None,
                                    container: entry.table.clone(),
                                }),
                                reason.clone(),
                            );
                            return End::new(Verdict::Blocked, reason);
                        }
                    }
                }
                self.delivered(
                    &inside,
                    format!("reaches {} through its public IP", compute.name),
                )
            }
            Entity::Firewall(index)
                if design.firewalls[*index].public_ip.is_some()
                    && destination.party.ip == design.firewalls[*index].public_ip =>
            {
                let firewall = &engine.firewalls[*index];
                let packet = self.firewall_packet(&party, &destination.party, None);
                let mut hops = Vec::new();
                let translated = firewall.dnat(
                    packet,
                    engine.service_tags(),
                    design.cloud,
                    &design.options,
                    &mut hops,
                );
                self.hops.extend(hops);
                let Some((address, port)) = translated else {
                    return End::new(
                        Verdict::Blocked,
                        format!("firewall {}: no DNAT rule for this packet", firewall.name),
                    );
                };
                self.ports.get_mut().translate(port);
                let (entity, inside_party) = engine.entity_at(address);
                if design.options.dnat_network_deny_applies {
                    let translated = self.firewall_packet(&party, &inside_party, None);
                    let mut hops = Vec::new();
                    let denied = firewall.network_deny_after_dnat(
                        translated,
                        engine.service_tags(),
                        design.cloud,
                        &design.options,
                        &mut hops,
                    );
                    self.hops.extend(hops);
                    if denied {
                        return End::new(Verdict::Blocked, format!("firewall {}: a network deny overrides the DNAT allow (option dnat_network_deny_applies)", firewall.name));
                    }
                }
                let inside = Destination {
                    party: inside_party,
                    entity,
                    fqdn: None,
                    sub_resource: None,
                };
                let sender = Sender {
                    party: Party::at(firewall.private_ip),
                    origin_vnet: firewall.subnet.split('/').next().map(str::to_string),
                    public_ip: firewall.public_ip,
                    default_outbound: false,
                    region: azure_region,
                    unsnatted_firewall: None,
                    forwarded: true,
                };
                self.route(&firewall.subnet.clone(), sender, &inside, 1)
            }
            Entity::Resource(_)
            | Entity::Workspace(_)
            | Entity::UnmodelledResource { .. }
            | Entity::Service(_)
            | Entity::External(_)
            | Entity::OtherAddress
                if Engine::is_public_party(&destination.party) =>
            {
                let path = AccessPath::Public {
                    source_ip: party.ip,
                    azure_region,
                };
                self.public_destination(&path, destination)
            }
            _ => {
                let reason = format!(
                    "{} is not reachable from outside the VNets (private address, no public IP)",
                    destination_label(destination)
                );
                self.hop(
                    Step::InternetIngress,
                    destination_label(destination),
                    Outcome::Drop,
                    None,
                    reason.clone(),
                );
                End::new(Verdict::NoRoute, reason)
            }
        }
    }

    fn start_as_workspace_service(
        &mut self,
        workspace: &Workspace,
        destination: &Destination<'e>,
    ) -> End {
        match &destination.entity {
            Entity::Resource(resource) => {
                let path = AccessPath::TrustedService {
                    caller: workspace.name.clone(),
                };
                self.data_plane(&resource.name.clone(), &path, destination)
            }
            _ => {
                let reason = "the workspace acts as a caller only towards storage accounts, key vaults and registries";
                self.hop(
                    Step::Source,
                    &workspace.name,
                    Outcome::Unsupported,
                    None,
                    reason,
                );
                End::new(Verdict::Unsupported, reason)
            }
        }
    }

    // ----- managed virtual network --------------------------------------------------------

    fn start_in_managed_vnet(
        &mut self,
        workspace: &'e Workspace,
        destination: &Destination<'e>,
    ) -> End {
        let engine = self.engine;
        let design = &engine.design;
        let network = &workspace.managed_network;
        let element = format!("{} managed VNet", workspace.name);
        let own_resources = [
            &workspace.storage_account,
            &workspace.key_vault,
            &workspace.container_registry,
        ];
        let target_name = match &destination.entity {
            Entity::Resource(r) => Some(r.name.as_str()),
            Entity::Workspace(w) => Some(w.name.as_str()),
            _ => None,
        };
        let rule_ref = |name: &str| {
            Some(RuleRef {
                name: name.to_string(),
                priority: None,
                container: format!("{} outbound rules", workspace.name),
            })
        };
        let approved_only =
            network.isolation_mode == ManagedIsolationMode::AllowOnlyApprovedOutbound;
        if let Some(target) = target_name {
            let public_access_disabled = match &destination.entity {
                Entity::Resource(r) => {
                    r.public_network_access != crate::model::PublicNetworkAccess::Enabled
                }
                Entity::Workspace(w) => {
                    w.public_network_access != crate::model::PublicNetworkAccess::Enabled
                }
                _ => false,
            };
            let is_own = target == workspace.name
                || own_resources.iter().any(|r| r.as_deref() == Some(target));
            let auto_private_endpoint = is_own && (approved_only || public_access_disabled);
            let user_rule = network.outbound_rules.iter().find_map(|rule| match rule {
                OutboundRule::PrivateEndpoint {
                    name,
                    target: t,
                    sub_resource,
                } if t == target
                    && destination
                        .sub_resource
                        .as_deref()
                        .is_none_or(|s| s.eq_ignore_ascii_case(sub_resource)) =>
                {
                    Some(name.clone())
                }
                _ => None,
            });
            if auto_private_endpoint || user_rule.is_some() {
                let name =
                    user_rule.unwrap_or_else(|| format!("managed private endpoint to {target}"));
                self.hop(
                    Step::PrivateEndpoint,
                    &element,
                    Outcome::Allow,
                    rule_ref(&name),
                    format!("{name}: the managed VNet reaches {target} through a private endpoint"),
                );
                return self.data_plane(target, &AccessPath::PrivateEndpoint { name }, destination);
            }
        }
        if !approved_only {
            self.hop(
                Step::InternetEgress,
                &element,
                Outcome::Allow,
                rule_ref("allow_internet_outbound"),
                "isolation mode allow_internet_outbound: all internet egress is allowed",
            );
            let path = AccessPath::Public {
                source_ip: None,
                azure_region: Some(workspace.region.clone()),
            };
            return self.public_destination(&path, destination);
        }
        for rule in &network.outbound_rules {
            let allowed = match rule {
                OutboundRule::ServiceTag {
                    tag,
                    protocol,
                    ports,
                    ..
                } => {
                    let tag = match super::service_tags::lookup_tag(tag) {
                        super::service_tags::TagLookup::Known(t)
                        | super::service_tags::TagLookup::Alias { canonical: t, .. } => t,
                        super::service_tags::TagLookup::Unknown => continue,
                    };
                    super::nsg::protocol_matches(*protocol, self.flow.protocol, &design.options)
                        && super::address::tag_matches(
                            &tag,
                            &destination.party,
                            engine.service_tags(),
                            design.cloud,
                        ) == super::address::Match::Yes
                        && PortSpan::check_in(&self.ports, ports)
                }
                OutboundRule::Fqdn { fqdn, .. } => {
                    let web_ports = [PortRange::single(80), PortRange::single(443)];
                    let storage = matches!(destination.entity, Entity::Resource(r) if r.kind == PaasKind::StorageAccount)
                        || matches!(
                            destination.entity,
                            Entity::UnmodelledResource {
                                kind: PaasKind::StorageAccount,
                                ..
                            }
                        );
                    !storage
                        && self.flow.protocol == Protocol::Tcp
                        && destination
                            .fqdn
                            .as_deref()
                            .is_some_and(|f| fqdn_matches(fqdn, f))
                        && PortSpan::check_in(&self.ports, &web_ports)
                }
                OutboundRule::PrivateEndpoint { .. } => false,
            };
            if allowed {
                let name = match rule {
                    OutboundRule::ServiceTag { name, .. }
                    | OutboundRule::Fqdn { name, .. }
                    | OutboundRule::PrivateEndpoint { name, .. } => name.clone(),
                };
                self.hop(
                    Step::InternetEgress,
                    &element,
                    Outcome::Allow,
                    rule_ref(&name),
                    format!("outbound rule {name} allows it (managed firewall)"),
                );
                let path = AccessPath::Public {
                    source_ip: None,
                    azure_region: Some(workspace.region.clone()),
                };
                return self.public_destination(&path, destination);
            }
        }
        let reason = format!("isolation mode allow_only_approved_outbound: no outbound rule of {} allows this (FQDN rules: TCP 80/443 only and never storage)", workspace.name);
        self.hop(
            Step::InternetEgress,
            &element,
            Outcome::Deny,
            rule_ref("allow_only_approved_outbound"),
            reason.clone(),
        );
        End::new(Verdict::Blocked, reason)
    }
}

/// The public identity a subnet source egresses with, and whether default outbound applies.
fn egress_identity(
    engine: &Engine,
    subnet: &str,
    compute: Option<&Compute>,
    firewall: Option<usize>,
) -> (Option<Ipv4Addr>, bool) {
    if let Some(index) = firewall {
        return (engine.design.firewalls[index].public_ip, false);
    }
    let instance_ip = compute
        .and_then(|c| c.nic.as_ref())
        .and_then(|n| n.public_ip);
    let subnet = find_subnet(&engine.design, subnet).map(|(_, s)| s);
    let nat = subnet.and_then(|s| s.nat_gateway_ip);
    (
        instance_ip.or(nat),
        subnet.is_some_and(|s| s.default_outbound_access),
    )
}

fn describe_party(party: &Party) -> String {
    match (party.ip, party.member_of.first()) {
        (Some(ip), Some(tag)) => format!("{ip} ({tag})"),
        (Some(ip), None) => ip.to_string(),
        (None, Some(tag)) => format!("an address of {tag}"),
        (None, None) => "an unknown public address".to_string(),
    }
}

fn destination_label(destination: &Destination<'_>) -> String {
    match &destination.entity {
        Entity::Compute(c) => c.name.clone(),
        Entity::PrivateEndpoint(p) => p.name.clone(),
        Entity::Resource(r) => r.name.clone(),
        Entity::UnmodelledResource { name, .. } => name.clone(),
        Entity::Workspace(w) => w.name.clone(),
        Entity::Service(s) => s.name.clone(),
        Entity::External(h) => h.name.clone(),
        _ => destination
            .fqdn
            .clone()
            .unwrap_or_else(|| describe_party(&destination.party)),
    }
}
