//! The walk of one flow through the compiled design, following `azure-semantics.md` §10:
//! resolve the destination, source NSGs outbound, route lookup, then the firewall, service
//! endpoint (+ policy), private endpoint, internet edge or destination NSGs inbound, and finally
//! the destination service's own firewall. Every step appends a [`Hop`]; the first control that
//! drops the packet ends the walk.
//!
//! One walk serves [`Engine::trace`] and [`Engine::verdict`]: every piece of text (hop elements,
//! rules and reasons, end reasons) is built lazily and only when the walk explains, and no
//! decision reads text back, so a verdict is a trace's verdict without the cost of its text.

use std::cell::Cell;
use std::fmt::{self, Display};
use std::net::Ipv4Addr;

use super::address::{Party, AZURE_HOST_IP};
use super::dns::{fqdn_matches, paas_fqdn, parse_paas_fqdn, PrivateAnswer};
use super::endpoints::{Destination, Entity, Origin};
use super::load_balancer::OutboundIdentity;
use super::port_span::PortSpan;
use super::regions::normalise_region;
use super::routing::RouteEntry;
use super::trace::{
    Flow, FlowSource, FlowTarget, FlowVerdict, Hop, HopLog, Outcome, RuleRef, Step, Trace, Verdict,
};
use super::well_known::well_known_host;
use super::Engine;
use crate::model::PaasKind;
use internet_edge::egress_identity;
use private_subnet::DefaultOutbound;

mod admin;
mod explicit_proxy;
mod firewall_dnat;
mod internet_edge;
mod load_balancing;
mod managed_network;
mod managed_vnet;
mod private_subnet;
mod resource_source;
mod subnet_source;
mod transit;
mod vnet_destination;
mod well_known_hosts;

/// A flow that cannot be traced because it names nothing, or starts where traffic never starts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FlowError {
    UnknownElement(String),
    NotASource { name: String, why: String },
}

impl fmt::Display for FlowError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FlowError::UnknownElement(name) => write!(f, "`{name}` is not an element of the design (give a compute, subnet as vnet/subnet, private endpoint, resource, workspace, service, external host, an IPv4 address or, for destinations, a load balancer or an FQDN)"),
            FlowError::NotASource { name, why } => write!(f, "`{name}` cannot start a flow: {why}"),
        }
    }
}

impl std::error::Error for FlowError {}

/// How the walk ended; `reason` is empty when the walk does not explain.
struct End {
    verdict: Verdict,
    reason: String,
}

/// The sender as the network sees it at the current point of the path.
#[derive(Debug, Clone)]
struct Sender {
    party: Party,
    /// Address the internet sees (instance public IP, NAT gateway, firewall public IP).
    public_ip: Option<Ipv4Addr>,
    /// Whether Azure default outbound access (a dynamic Microsoft address) is available.
    default_outbound: DefaultOutbound,
    /// `public_ip` comes from a public load balancer's outbound rule.
    outbound_rule: Option<OutboundIdentity>,
    /// Region the sender runs in, when in Azure.
    region: Option<String>,
    /// A stateful firewall forwarded the packet without SNAT: the return path must go back
    /// through it.
    unsnatted_firewall: Option<usize>,
    /// Whether the packet already crossed a firewall or appliance (it is forwarded traffic).
    forwarded: bool,
}

pub(super) fn trace(engine: &Engine, flow: &Flow) -> Result<Trace, FlowError> {
    let mut walk = Walk::new(engine, flow, true);
    let end = walk.run()?;
    let deciding_outcome = deciding_outcome(end.verdict);
    let hops = walk.hops.into_hops();
    // An allowed transit flow is decided by the firewall or appliance rule that let it through,
    // not by a peering it crossed afterwards (issue 12, defect 7).
    let allowed_by_firewall = || {
        (end.verdict == Verdict::Allowed)
            .then(|| {
                hops.iter().rev().find(|h| {
                    h.outcome == Outcome::Allow && h.rule.is_some() && h.step.is_firewall()
                })
            })
            .flatten()
    };
    let decided_by = allowed_by_firewall()
        .or_else(|| {
            hops.iter().rev().find(|h| {
                h.outcome == deciding_outcome
                    && (end.verdict != Verdict::Allowed
                        || (h.rule.is_some() && h.step != Step::Peering))
            })
        })
        .or_else(|| hops.iter().rev().find(|h| h.outcome == deciding_outcome))
        .cloned();
    Ok(Trace {
        flow: flow.clone(),
        verdict: end.verdict,
        reason: end.reason,
        decided_by,
        hops,
        alike_ports: walk.ports.get().alike(),
    })
}

pub(super) fn verdict(engine: &Engine, flow: &Flow) -> Result<FlowVerdict, FlowError> {
    let mut walk = Walk::new(engine, flow, false);
    let end = walk.run()?;
    Ok(FlowVerdict {
        verdict: end.verdict,
        alike_ports: walk.ports.get().alike(),
    })
}

/// The outcome of the hop that decides a walk ending with `verdict`.
fn deciding_outcome(verdict: Verdict) -> Outcome {
    match verdict {
        Verdict::Allowed => Outcome::Allow,
        Verdict::Blocked => Outcome::Deny,
        Verdict::NoRoute => Outcome::Drop,
        Verdict::Unresolved => Outcome::Nxdomain,
        Verdict::Unsupported => Outcome::Unsupported,
    }
}

struct Walk<'e> {
    engine: &'e Engine,
    flow: &'e Flow,
    /// The destination port as the network sees it now (DNAT may translate it), and the ports
    /// every decision so far treated alike.
    ports: Cell<PortSpan>,
    hops: HopLog,
}

/// For [`Walk::hop`]: the hop has no rule.
fn no_rule() -> Option<RuleRef> {
    None
}

impl<'e> Walk<'e> {
    /// A walk of `flow` that records hops and reasons when it `explain`s.
    fn new(engine: &'e Engine, flow: &'e Flow, explain: bool) -> Self {
        Walk {
            engine,
            flow,
            ports: Cell::new(PortSpan::around(flow.port)),
            hops: HopLog::new(explain),
        }
    }

    /// Records a hop; `rule` is called and `element` and `reason` formatted only when the walk
    /// explains.
    fn hop(
        &mut self,
        step: Step,
        element: impl Display,
        outcome: Outcome,
        rule: impl FnOnce() -> Option<RuleRef>,
        reason: impl Display,
    ) {
        self.hops.push(|| Hop {
            step,
            element: element.to_string(),
            outcome,
            rule: rule(),
            reason: reason.to_string(),
        });
    }

    /// `text` formatted when the walk explains, empty otherwise.
    fn text(&self, text: impl Display) -> String {
        if self.hops.explains() {
            text.to_string()
        } else {
            String::new()
        }
    }

    fn end(&self, verdict: Verdict, reason: impl Display) -> End {
        End {
            verdict,
            reason: self.text(reason),
        }
    }

    /// Records the hop that decides `verdict` and ends the walk for the same reason.
    fn stop(
        &mut self,
        verdict: Verdict,
        step: Step,
        element: impl Display,
        rule: impl FnOnce() -> Option<RuleRef>,
        reason: impl Display,
    ) -> End {
        let end = self.end(verdict, reason);
        self.hop(step, element, deciding_outcome(verdict), rule, &end.reason);
        end
    }

    // ----- the two ends -------------------------------------------------------------------

    fn origin(&mut self) -> Result<Origin<'e>, FlowError> {
        let engine = self.engine;
        let design = &engine.design;
        match &self.flow.source {
            FlowSource::Address(ip) => Ok(engine.origin_at(*ip)),
            FlowSource::Element(name) => {
                if let Some(i) = engine.lookup.compute_named(name, |_| true) {
                    let compute = &design.computes[i];
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
                if engine.lookup.endpoint_named(name).is_some() {
                    return Err(FlowError::NotASource {
                        name: name.clone(),
                        why: "a private endpoint only receives traffic".into(),
                    });
                }
                if design.load_balancers.iter().any(|lb| &lb.name == name) {
                    return Err(FlowError::NotASource {
                        name: name.clone(),
                        why: "a load balancer forwards traffic to its backends but starts none (trace from a backend instead)".into(),
                    });
                }
                if let Some(i) = engine.lookup.resource_named(name) {
                    let resource = &design.resources[i];
                    if resource.kind == PaasKind::ContainerRegistry {
                        return Err(FlowError::NotASource {
                            name: name.clone(),
                            why: "container registries only receive traffic here".into(),
                        });
                    }
                    return Ok(Origin::Resource { resource });
                }
                if let Some(i) = engine.lookup.workspace_named(name) {
                    let workspace = &design.workspaces[i];
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
                if let Some(i) = engine.lookup.compute_named(name, |_| true) {
                    let compute = &design.computes[i];
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
                // A load balancer by name is its first frontend by name.
                let frontend = design
                    .load_balancers
                    .iter()
                    .find(|lb| &lb.name == name)
                    .and_then(|lb| Some((lb, lb.main_frontend()?)));
                if let Some((lb, frontend)) = frontend {
                    let address = frontend.private_ip.or(frontend.public_ip);
                    return Ok(Ok(Destination {
                        party: address.map(Party::at).unwrap_or_default(),
                        entity: Entity::LoadBalancer { lb, frontend },
                        fqdn: None,
                        sub_resource: None,
                    }));
                }
                if let Some(i) = engine.lookup.endpoint_named(name) {
                    let endpoint = &design.private_endpoints[i];
                    return Ok(Ok(Destination {
                        party: Party::at(endpoint.private_ip),
                        entity: Entity::PrivateEndpoint(endpoint),
                        fqdn: None,
                        sub_resource: Some(endpoint.sub_resource.to_ascii_lowercase()),
                    }));
                }
                if let Some(i) = engine.lookup.resource_named(name) {
                    let resource = &design.resources[i];
                    let fqdn = paas_fqdn(
                        Some(resource.kind),
                        &resource.name,
                        "blob",
                        "",
                        design.cloud,
                    );
                    return Ok(self.resolve(&fqdn, dns_vnet));
                }
                if let Some(i) = engine.lookup.workspace_named(name) {
                    let workspace = &design.workspaces[i];
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
        // An AML compute without a NIC resolves in its workspace's managed VNet, whose
        // Microsoft-managed DNS answers for managed private endpoints: not public DNS.
        let managed_source = matches!(&self.flow.source, FlowSource::Element(name)
            if engine.lookup.compute_named(name, |i| {
                let c = &design.computes[i];
                c.nic.is_none() && c.kind.runs_in_managed_network()
            }).is_some());
        let view = fmt::from_fn(|f| {
            match (dns_vnet, managed_source) {
            (Some(vnet), _) => write!(f, "VNet {vnet}"),
            (None, true) => f.write_str("the workspace's managed VNet (Microsoft-managed DNS; its managed private endpoints are decided at the private endpoint step)"),
            (None, false) => f.write_str("a client outside Azure (public DNS)"),
        }
        });
        if let Some(vnet) = dns_vnet
            .and_then(|v| design.virtual_networks.iter().find(|x| x.name == v))
            .filter(|v| !v.dns_servers.is_empty())
        {
            self.hop(Step::Dns, &vnet.name, Outcome::Info, no_rule, "custom DNS servers: assumed to forward to Azure DNS (168.63.129.16), which answers from the zones linked to this VNet");
        }
        if let Some(name) = parse_paas_fqdn(fqdn, design.cloud) {
            let resource = engine
                .lookup
                .resource_named_folded(&name.resource, |i| {
                    let r = &design.resources[i];
                    (name.sub_resource != "vault" || r.kind == PaasKind::KeyVault)
                        && (name.sub_resource != "registry"
                            || r.kind == PaasKind::ContainerRegistry)
                })
                .map(|i| &design.resources[i]);
            let workspace = (name.sub_resource == "amlworkspace")
                .then(|| engine.lookup.workspace_named_folded(&name.resource))
                .flatten()
                .map(|i| &design.workspaces[i]);
            let has_private_endpoint = engine.lookup.has_endpoint_to(&name.resource);
            let zone = &name.private_zone;
            let answer = if has_private_endpoint {
                engine.private_dns.lookup(dns_vnet, zone, &name.record)
            } else {
                PrivateAnswer::NotLinked
            };
            let record = &name.record;
            let rule = || {
                Some(RuleRef {
                    name: record.clone(),
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
                        rule,
                        format_args!("{fqdn} → {ip} from private zone {zone} linked to {view}"),
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
                    self.hop(Step::Dns, fqdn, Outcome::Nxdomain, rule, format_args!("private zone {zone} is linked to {view} but has no record for {record}: NXDOMAIN"));
                    return Err(self.end(Verdict::Unresolved, format_args!("{fqdn} does not resolve: {zone} is linked to {view} without a record for it")));
                }
                PrivateAnswer::Missing {
                    fallback_to_internet: true,
                } => {
                    self.hop(Step::Dns, fqdn, Outcome::Info, rule, format_args!("no record in linked zone {zone}; the link falls back to public resolution"));
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
            let shown = fmt::from_fn(|f| match party.ip {
                Some(ip) => write!(f, "public endpoint {ip}"),
                None => f.write_str("its public endpoint"),
            });
            self.hop(
                Step::Dns,
                fqdn,
                Outcome::Forward,
                no_rule,
                format_args!("{fqdn} → {shown} (no private record visible from {view})"),
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
                no_rule,
                format_args!("{fqdn} → {} ({})", service.name, service.service_tag),
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
                no_rule,
                format_args!("{fqdn} → {} ({})", host.ip, host.name),
            );
            return Ok(Destination {
                party: Party::external(host),
                entity: Entity::External(host),
                fqdn: Some(fqdn.to_string()),
                sub_resource: None,
            });
        }
        if let Some(host) = well_known_host(fqdn, design.cloud) {
            return Ok(self.well_known_destination(fqdn, host));
        }
        self.hop(Step::Dns, fqdn, Outcome::Forward, no_rule, format_args!("{fqdn} is not modelled: treated as a public internet host whose address is unknown"));
        Ok(Destination {
            party: Party::default(),
            entity: Entity::OtherAddress,
            fqdn: Some(fqdn.to_string()),
            sub_resource: None,
        })
    }

    fn run(&mut self) -> Result<End, FlowError> {
        let engine = self.engine;
        let flow = self.flow;
        let origin = self.origin()?;
        let dns_vnet = match &origin {
            Origin::Subnet { subnet, .. } => subnet.split('/').next().map(str::to_string),
            Origin::OnPremises { gateway_vnet, .. } => Some(gateway_vnet.clone()),
            _ => None,
        };
        let label = fmt::from_fn(|f| {
            match &origin {
            Origin::Subnet {
                compute: Some(c),
                subnet,
                ..
            } => write!(f, "{} in {subnet}", c.name),
            Origin::Subnet { subnet, party, .. } => match party.ip {
                Some(ip) => write!(f, "{ip} in {subnet}"),
                None => write!(f, " in {subnet}"),
            },
            Origin::Managed { compute, workspace } => {
                write!(
                    f,
                    "{} in the managed VNet of {}",
                    compute.name, workspace.name
                )
            }
            Origin::Outside { party, .. } => {
                write!(f, "{} outside the VNets", describe_party(party))
            }
            Origin::WorkspaceService { workspace } => write!(
                f,
                "Azure Machine Learning acting for workspace {}",
                workspace.name
            ),
            Origin::Resource { resource } => write!(
                f,
                "{} calling out from the Azure backbone (a PaaS resource)",
                resource.name
            ),
            Origin::OnPremises {
                gateway_vnet,
                party,
            } => write!(
                f,
                "{} on-premises via the gateway of {gateway_vnet}",
                describe_party(party)
            ),
            Origin::AzureHost => write!(
                f,
                "the Azure host {AZURE_HOST_IP} (AzureLoadBalancer): it reaches NICs directly, without routes"
            ),
        }
        });
        self.hop(Step::Source, &flow.source, Outcome::Info, no_rule, label);
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
                let vnet_region = self.engine.subnet(&subnet).map(|(v, _)| v.region.clone());
                let (public_ip, default_outbound, outbound_rule) =
                    egress_identity(engine, &subnet, compute, firewall, flow.protocol);
                let sender = Sender {
                    party,
                    public_ip,
                    default_outbound,
                    outbound_rule,
                    region: vnet_region,
                    unsnatted_firewall: None,
                    forwarded: false,
                };
                self.start_from_subnet(&subnet, compute, sender, &destination)
            }
            Origin::Managed { workspace, compute } => {
                self.start_in_managed_vnet(workspace, compute, &destination)
            }
            Origin::Outside {
                party,
                azure_region,
            } => self.start_outside(party, azure_region, &destination),
            Origin::WorkspaceService { workspace } => {
                self.start_as_workspace_service(workspace, &destination)
            }
            Origin::Resource { resource } => self.start_as_resource(resource, &destination),
            Origin::AzureHost => self.start_at_azure_host(&destination),
            Origin::OnPremises {
                party,
                gateway_vnet,
            } => {
                let sender = Sender {
                    party,
                    public_ip: None,
                    default_outbound: DefaultOutbound::NotApplicable,
                    outbound_rule: None,
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
                            no_rule,
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
                    None => self.end(
                        Verdict::NoRoute,
                        format_args!("VNet {gateway_vnet} has no gateway"),
                    ),
                }
            }
        };
        Ok(end)
    }
}

fn describe_party(party: &Party) -> impl Display + '_ {
    fmt::from_fn(|f| match (party.ip, party.member_of.first()) {
        (Some(ip), Some(tag)) => write!(f, "{ip} ({tag})"),
        (Some(ip), None) => write!(f, "{ip}"),
        (None, Some(tag)) => write!(f, "an address of {tag}"),
        (None, None) => f.write_str("an unknown public address"),
    })
}

fn destination_label<'a>(destination: &'a Destination<'a>) -> impl Display + 'a {
    fmt::from_fn(|f| match &destination.entity {
        Entity::Compute(c) => f.write_str(&c.name),
        Entity::PrivateEndpoint(p) => f.write_str(&p.name),
        Entity::Resource(r) => f.write_str(&r.name),
        Entity::UnmodelledResource { name, .. } => f.write_str(name),
        Entity::Workspace(w) => f.write_str(&w.name),
        Entity::LoadBalancer { lb, .. } => f.write_str(&lb.name),
        Entity::Service(s) => f.write_str(&s.name),
        Entity::External(h) => f.write_str(&h.name),
        _ => match &destination.fqdn {
            Some(fqdn) => f.write_str(fqdn),
            None => write!(f, "{}", describe_party(&destination.party)),
        },
    })
}

/// A route hop's reason: which route of which table sends the packet where.
fn route_text<'a>(
    subnet: &'a str,
    entry: &'a RouteEntry,
    next: impl Display + 'a,
) -> impl Display + 'a {
    fmt::from_fn(move |f| {
        write!(
            f,
            "{subnet}: route {} ({}) → {next}",
            entry.name, entry.table
        )
    })
}
