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

use super::address::{is_public, AddressScope, Party, AZURE_HOST_IP};
use super::dns::{fqdn_matches, paas_fqdn, parse_paas_fqdn, PrivateAnswer};
use super::endpoints::{Destination, Entity, Origin};
use super::firewall::{FirewallOutcome, FirewallPacket};
use super::load_balancer::OutboundIdentity;
use super::nsg::{NsgDecision, NsgPacket};
use super::paas::{evaluate_resource, evaluate_workspace, sep_decision, AccessPath};
use super::perimeter;
use super::port_span::PortSpan;
use super::regions::normalise_region;
use super::routing::{NextHop, RouteEntry, RouteSelection, SubnetRoutes};
use super::trace::{
    Flow, FlowSource, FlowTarget, FlowVerdict, Hop, HopLog, Outcome, RuleRef, Step, Trace, Verdict,
};
use super::well_known::well_known_host;
use super::Engine;
use crate::model::{
    Access, Cloud, Compute, ComputeKind, Direction, ManagedIsolationMode, NetworkInterface,
    OutboundRule, PaasKind, PortRange, Protocol, Workspace,
};
use admin::AdminOutcome;
use managed_network::fqdn_rule_ports;
use private_subnet::DefaultOutbound;

mod admin;
mod explicit_proxy;
mod firewall_dnat;
mod load_balancing;
mod managed_network;
mod private_subnet;
mod resource_source;
mod transit;
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

const MAX_APPLIANCE_HOPS: usize = 4;

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
                no_rule,
                "168.63.129.16 and 169.254.169.254 are not filtered by NSGs",
            );
            self.hop(
                Step::Delivered,
                destination_label(destination),
                Outcome::Allow,
                no_rule,
                "reaches the Azure platform address",
            );
            return self.end(
                Verdict::Allowed,
                "platform addresses are always reachable from a VNet",
            );
        }
        let nic_nsg = compute
            .and_then(|c| c.nic.as_ref())
            .and_then(|n| n.nsg.as_deref());
        let subnet_nsg = self
            .engine
            .subnet(subnet)
            .and_then(|(_, s)| s.nsg.as_deref());
        let nsgs = match self.admin_rules(
            Direction::Outbound,
            subnet,
            &sender.party,
            &destination.party,
        ) {
            AdminOutcome::Stop(end) => return end,
            AdminOutcome::SkipNsgs => Vec::new(),
            AdminOutcome::EvaluateNsgs => vec![("NIC", nic_nsg), ("subnet", subnet_nsg)],
        };
        for (level, nsg) in nsgs {
            if let Some(end) = self.nsg(
                Step::NsgOutbound,
                Direction::Outbound,
                nsg,
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
                format_args!("{subnet} ({level})"),
                Outcome::Allow,
                no_rule,
                format_args!("no NSG on the {level}: all traffic passes"),
            );
            return None;
        };
        let Some(compiled) = engine.nsgs.get(name) else {
            self.hop(
                step,
                name,
                Outcome::Unsupported,
                no_rule,
                "the NSG is not in the design",
            );
            return Some(self.end(
                Verdict::Unsupported,
                format_args!("NSG {name} is referenced but not defined"),
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
                let rule_ref = || {
                    Some(RuleRef {
                        name: rule.name.clone(),
                        priority: Some(rule.priority),
                        container: name.to_string(),
                    })
                };
                let default = if rule.is_default { "default rule " } else { "" };
                let verb = if rule.access == Access::Allow {
                    "allows"
                } else {
                    "denies"
                };
                let reason = format_args!(
                    "{level} NSG {name}: {default}{} (priority {}) {verb} it",
                    rule.name, rule.priority
                );
                if rule.access == Access::Allow {
                    self.hop(step, name, Outcome::Allow, rule_ref, reason);
                    None
                } else {
                    Some(self.stop(Verdict::Blocked, step, name, rule_ref, reason))
                }
            }
            NsgDecision::Undecidable { rule, reason } => {
                let rule_ref = || {
                    Some(RuleRef {
                        name: rule.name.clone(),
                        priority: Some(rule.priority),
                        container: name.to_string(),
                    })
                };
                self.hop(step, name, Outcome::Unsupported, rule_ref, &reason);
                Some(self.end(
                    Verdict::Unsupported,
                    format_args!("NSG {name} rule {}: {reason}", rule.name),
                ))
            }
            NsgDecision::NoRuleMatched => {
                let protocol = self.flow.protocol;
                let reason = format_args!("no rule of {name} matches protocol {protocol} (option any_protocol_includes_esp_ah is off)");
                Some(self.stop(Verdict::Unsupported, step, name, no_rule, reason))
            }
        }
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
        let subnet_nsg = self
            .engine
            .subnet(&nic.subnet)
            .and_then(|(_, s)| s.nsg.as_deref());
        match self.admin_rules(Direction::Inbound, &nic.subnet, source, destination) {
            AdminOutcome::Stop(end) => return Some(end),
            AdminOutcome::SkipNsgs => return None,
            AdminOutcome::EvaluateNsgs => {}
        }
        [("subnet", subnet_nsg), ("NIC", nic.nsg.as_deref())]
            .into_iter()
            .find_map(|(level, nsg)| {
                self.nsg(
                    Step::NsgInbound,
                    Direction::Inbound,
                    nsg,
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
            None => self.end(
                Verdict::Unsupported,
                format_args!("subnet {subnet} is not in the design"),
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
                no_rule,
                "more than four appliance hops: routing loop",
            );
            return self.end(Verdict::NoRoute, "routing loop between appliances");
        }
        let entry = match routes.select(
            &destination.party,
            engine.service_tags(),
            design.cloud,
            &design.options,
        ) {
            RouteSelection::Route { entry, note } => {
                if let Some(note) = note {
                    self.hop(Step::Route, subnet, Outcome::Info, no_rule, note);
                }
                entry
            }
            RouteSelection::NoRoute => {
                self.hop(
                    Step::Route,
                    subnet,
                    Outcome::Drop,
                    no_rule,
                    "no route matches the destination",
                );
                return self.end(
                    Verdict::NoRoute,
                    format_args!("no route in {subnet} matches the destination"),
                );
            }
            RouteSelection::Undecidable(reason) => {
                return self.stop(Verdict::Unsupported, Step::Route, subnet, no_rule, reason);
            }
        };
        if !matches!(entry.next_hop, NextHop::Peering { .. } | NextHop::VnetLocal) {
            self.note_one_sided_peering(subnet, &destination.party);
        }
        let rule = || {
            Some(RuleRef {
                name: entry.name.clone(),
                priority: None,
                container: entry.table.clone(),
            })
        };
        match &entry.next_hop {
            NextHop::None | NextHop::MissingGateway => {
                let why = if entry.next_hop == NextHop::None {
                    "next hop None"
                } else {
                    "next hop VirtualNetworkGateway, but no gateway serves this VNet"
                };
                self.hop(
                    Step::Route,
                    subnet,
                    Outcome::Drop,
                    rule,
                    route_text(subnet, entry, why),
                );
                self.end(
                    Verdict::NoRoute,
                    format_args!("dropped by route {} in {}: {why}", entry.name, entry.table),
                )
            }
            NextHop::VnetLocal => {
                self.hop(
                    Step::Route,
                    subnet,
                    Outcome::Forward,
                    rule,
                    route_text(subnet, entry, "VnetLocal"),
                );
                self.deliver_in_vnet(sender, destination)
            }
            NextHop::Peering { remote_vnet } => {
                self.hop(
                    Step::Route,
                    subnet,
                    Outcome::Forward,
                    rule,
                    route_text(subnet, entry, format_args!("VNet peering to {remote_vnet}")),
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
                    route_text(subnet, entry, "Internet"),
                );
                self.leave_to_internet(subnet, sender, destination)
            }
            NextHop::Gateway { name } => {
                self.hop(
                    Step::Route,
                    subnet,
                    Outcome::Forward,
                    rule,
                    route_text(
                        subnet,
                        entry,
                        format_args!("virtual network gateway {name}"),
                    ),
                );
                self.hop(
                    Step::Delivered,
                    destination_label(destination),
                    Outcome::Allow,
                    no_rule,
                    "leaves Azure through the gateway; the on-premises side is not modelled",
                );
                self.end(
                    Verdict::Allowed,
                    format_args!("routed on-premises through gateway {name}"),
                )
            }
            NextHop::ServiceEndpoint { service } => {
                self.hop(
                    Step::Route,
                    subnet,
                    Outcome::Forward,
                    rule,
                    route_text(subnet, entry, format_args!("service endpoint {service}")),
                );
                self.over_service_endpoint(subnet, service, destination)
            }
            NextHop::PrivateEndpoint { name } => {
                self.hop(
                    Step::Route,
                    subnet,
                    Outcome::Forward,
                    rule,
                    route_text(subnet, entry, format_args!("private endpoint {name}")),
                );
                self.enter_private_endpoint(sender, destination)
            }
            NextHop::Appliance(ip) => {
                self.hop(
                    Step::Route,
                    subnet,
                    Outcome::Forward,
                    rule,
                    route_text(subnet, entry, format_args!("virtual appliance {ip}")),
                );
                self.through_appliance(subnet, *ip, sender, destination, depth)
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
            let reason = format_args!(
                "peering {} does not allow virtual network access",
                outgoing.name
            );
            return Some(self.stop(
                Verdict::Blocked,
                Step::Peering,
                &outgoing.name,
                || rule(outgoing),
                reason,
            ));
        }
        if sender.forwarded && !incoming.allow_forwarded_traffic {
            let reason = format_args!("the packet was forwarded by an appliance and peering {} does not allow forwarded traffic", incoming.name);
            return Some(self.stop(
                Verdict::Blocked,
                Step::Peering,
                &incoming.name,
                || rule(incoming),
                reason,
            ));
        }
        self.hop(
            Step::Peering,
            &outgoing.name,
            Outcome::Allow,
            || rule(outgoing),
            format_args!("crosses peering {local_vnet} → {remote_vnet}"),
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
                    return self.end(
                        Verdict::NoRoute,
                        format_args!("{} has no NIC in a customer VNet", compute.name),
                    );
                };
                if let Some(end) = self.nic_inbound(nic, &sender.party, &destination.party) {
                    return end;
                }
                if let Some(end) = self.check_return_path(&nic.subnet, &sender) {
                    return end;
                }
                self.delivered(destination, format_args!("reaches {}", compute.name))
            }
            Entity::SubnetAddress(subnet) => {
                let subnet_nsg = self
                    .engine
                    .subnet(subnet)
                    .and_then(|(_, s)| s.nsg.as_deref());
                let admin = self.admin_rules(
                    Direction::Inbound,
                    subnet,
                    &sender.party,
                    &destination.party,
                );
                let subnet_nsg = match admin {
                    AdminOutcome::Stop(end) => return end,
                    AdminOutcome::SkipNsgs => None,
                    AdminOutcome::EvaluateNsgs => Some(subnet_nsg),
                };
                if let Some(end) = subnet_nsg.and_then(|subnet_nsg| {
                    self.nsg(
                        Step::NsgInbound,
                        Direction::Inbound,
                        subnet_nsg,
                        "subnet",
                        subnet,
                        &sender.party,
                        &destination.party,
                    )
                }) {
                    return end;
                }
                self.delivered(
                    destination,
                    format_args!(
                        "reaches an address in {subnet} (no modelled NIC there, so no NIC NSG)"
                    ),
                )
            }
            Entity::Firewall(index) => {
                let name = &design.firewalls[*index].name;
                self.delivered(destination, format_args!("reaches firewall {name} itself"))
            }
            Entity::LoadBalancer { lb, frontend } if frontend.public_ip.is_none() => {
                self.deliver_through_frontend(sender, lb, frontend, destination)
            }
            _ => {
                let address = describe_party(&destination.party);
                self.hop(
                    Step::Route,
                    &address,
                    Outcome::Drop,
                    no_rule,
                    "the route leads into the VNet, but no subnet holds this address",
                );
                self.end(
                    Verdict::NoRoute,
                    format_args!("{address} is routed into the VNet but no subnet holds it"),
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
        let no_route_back = matches!(back, RouteSelection::NoRoute)
            || matches!(back, RouteSelection::Route { entry, .. } if matches!(entry.next_hop, NextHop::None | NextHop::MissingGateway));
        let reply = fmt::from_fn(|f| {
            if no_route_back {
                write!(
                    f,
                    "has no route back to {} (the reply is dropped)",
                    describe_party(&sender.party)
                )
            } else {
                write!(
                    f,
                    "routes the reply to {} around it, so the stateful firewall drops it",
                    describe_party(&sender.party)
                )
            }
        });
        let reason = format_args!(
            "asymmetric path: firewall {} forwarded without SNAT, but {destination_subnet} {reply}",
            firewall.name
        );
        Some(self.stop(
            Verdict::Blocked,
            Step::Route,
            destination_subnet,
            no_rule,
            reason,
        ))
    }

    fn delivered(&mut self, destination: &Destination<'e>, reason: impl Display) -> End {
        if let Entity::Compute(compute) = &destination.entity {
            let batch_ports = PortRange {
                first: 29876,
                last: 29877,
            };
            if compute.kind.is_aml_compute()
                && compute.node_communication == crate::model::NodeCommunication::Simplified
                && PortSpan::check_in(&self.ports, &[batch_ports])
            {
                self.hop(Step::Delivered, &compute.name, Outcome::Info, no_rule, "simplified node communication: Azure Batch no longer connects inbound on 29876-29877 (the network would still allow it)");
            }
        }
        self.stop(
            Verdict::Allowed,
            Step::Delivered,
            destination_label(destination),
            no_rule,
            reason,
        )
    }

    fn enter_private_endpoint(&mut self, sender: Sender, destination: &Destination<'e>) -> End {
        let engine = self.engine;
        let design = &engine.design;
        let Entity::PrivateEndpoint(endpoint) = &destination.entity else {
            return self.deliver_in_vnet(sender, destination);
        };
        let rule = || {
            Some(RuleRef {
                name: endpoint.name.clone(),
                priority: None,
                container: endpoint.target.clone(),
            })
        };
        if endpoint.connection_state != crate::model::ConnectionState::Approved {
            let reason = format_args!(
                "private endpoint {} connection is {:?}: only Approved connections carry traffic",
                endpoint.name, endpoint.connection_state
            );
            return self.stop(
                Verdict::Blocked,
                Step::PrivateEndpoint,
                &endpoint.name,
                rule,
                reason,
            );
        }
        let protocol_ok = match self.flow.protocol {
            Protocol::Tcp => true,
            Protocol::Udp => design.options.private_endpoint_udp,
            _ => false,
        };
        if !protocol_ok {
            let and_udp = if design.options.private_endpoint_udp {
                " and UDP"
            } else {
                ""
            };
            let reason = format_args!("private endpoints carry TCP{and_udp} only");
            return self.stop(
                Verdict::Blocked,
                Step::PrivateEndpoint,
                &endpoint.name,
                rule,
                reason,
            );
        }
        if let Some(sub) = &destination.sub_resource {
            if !sub.eq_ignore_ascii_case(&endpoint.sub_resource) {
                let reason = format_args!(
                    "private endpoint {} serves {} of {}, not {sub}",
                    endpoint.name, endpoint.sub_resource, endpoint.target
                );
                return self.stop(
                    Verdict::Blocked,
                    Step::PrivateEndpoint,
                    &endpoint.name,
                    rule,
                    reason,
                );
            }
        }
        if let Some((_, pe_subnet)) = self.engine.subnet(&endpoint.subnet) {
            if pe_subnet.private_endpoint_network_policies.applies_nsg() {
                if design.cloud == Cloud::UsGovernment
                    && !design.options.private_endpoint_nsg_in_us_gov
                {
                    self.hop(Step::NsgInbound, &endpoint.subnet, Outcome::Info, no_rule, "private endpoint network policies are treated as unavailable in US Government regions (option private_endpoint_nsg_in_us_gov)");
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
                self.hop(Step::NsgInbound, &endpoint.subnet, Outcome::Info, no_rule, "private endpoint network policies are Disabled: the subnet NSG does not apply to the endpoint");
            }
        }
        self.hop(
            Step::PrivateEndpoint,
            &endpoint.name,
            Outcome::Allow,
            rule,
            format_args!(
                "private endpoint {} ({}) for {}",
                endpoint.name, endpoint.sub_resource, endpoint.target
            ),
        );
        let path = AccessPath::PrivateEndpoint {
            name: &endpoint.name,
        };
        self.data_plane(&endpoint.target, &path, destination)
    }

    /// The target resource's own network rules.
    fn data_plane(
        &mut self,
        target: &str,
        path: &AccessPath<'_>,
        destination: &Destination<'e>,
    ) -> End {
        let engine = self.engine;
        let design = &engine.design;
        let lookup = &engine.lookup;
        let outcome = if let Some(i) = lookup.resource_named_folded(target, |_| true) {
            let resource = &design.resources[i];
            let membership = perimeter::membership(design, &resource.name);
            evaluate_resource(
                resource,
                path,
                membership.as_ref(),
                &design.options,
                &mut self.hops,
            )
        } else if let Some(i) = lookup.workspace_named_folded(target) {
            evaluate_workspace(&design.workspaces[i], path, &mut self.hops)
        } else {
            return self.delivered(
                destination,
                format_args!(
                    "reaches {target}, which the design does not model (no firewall assumed)"
                ),
            );
        };
        self.after_data_plane(outcome, target, destination)
    }

    /// Ends the walk on the data-plane decision of `target` just recorded, repeating its reason.
    fn after_data_plane(
        &mut self,
        outcome: Outcome,
        target: &str,
        destination: &Destination<'e>,
    ) -> End {
        let reason = self.hops.last_reason();
        match outcome {
            Outcome::Allow => {
                self.delivered(destination, format_args!("{target} accepts it: {reason}"))
            }
            Outcome::Unsupported => self.end(Verdict::Unsupported, reason),
            _ => self.end(
                Verdict::Blocked,
                format_args!("{target} rejects it: {reason}"),
            ),
        }
    }

    fn over_service_endpoint(
        &mut self,
        subnet: &str,
        service: &str,
        destination: &Destination<'e>,
    ) -> End {
        let design = &self.engine.design;
        let resource = match &destination.entity {
            Entity::Resource(resource) => Some(*resource),
            _ => None,
        };
        let name = fmt::from_fn(|f| match &destination.entity {
            Entity::Resource(resource) => f.write_str(&resource.name),
            Entity::UnmodelledResource { name, .. } => f.write_str(name),
            _ => write!(f, "{}", describe_party(&destination.party)),
        });
        self.hop(Step::ServiceEndpoint, subnet, Outcome::Forward, no_rule, format_args!("over the {service} service endpoint: {name} sees the source as subnet {subnet} (private address)"));
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
        let policies: Vec<_> = self
            .engine
            .subnet(subnet)
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
            if sep_decision(&policies, resource, &name, subnet, &mut self.hops) == Outcome::Deny {
                let reason = self.hops.last_reason();
                return self.end(
                    Verdict::Blocked,
                    format_args!("service endpoint policy: {reason}"),
                );
            }
        } else if is_storage {
            self.hop(Step::Sep, subnet, Outcome::Info, no_rule, "no service endpoint policy on the subnet: every storage account is reachable over the endpoint");
        }
        let path = AccessPath::ServiceEndpoint { subnet };
        match (resource, &destination.entity) {
            (Some(resource), _) => {
                let membership = perimeter::membership(design, &resource.name);
                let outcome = evaluate_resource(
                    resource,
                    &path,
                    membership.as_ref(),
                    &design.options,
                    &mut self.hops,
                );
                self.after_data_plane(outcome, &resource.name, destination)
            }
            (None, Entity::Workspace(workspace)) => self.data_plane(&workspace.name, &path, destination),
            _ => self.delivered(destination, format_args!("reaches {name} over the service endpoint (not modelled: its firewall is assumed open)")),
        }
    }

    fn through_appliance(
        &mut self,
        subnet: &str,
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
            if let Some(end) =
                self.reach_next_hop(subnet, &firewall.name, next_hop, &firewall.subnet, &sender)
            {
                return end;
            }
            let packet = self.firewall_packet(
                &sender.party,
                &destination.party,
                destination.fqdn.as_deref(),
            );
            let firewall_vnet = firewall.subnet.split('/').next();
            let resolve = |fqdn: &str| self.resolve_quietly(fqdn, firewall_vnet);
            let mut hops = HopLog::new(self.hops.explains());
            let outcome = firewall.evaluate(
                packet,
                &resolve,
                engine.service_tags(),
                design.cloud,
                &design.options,
                &mut hops,
            );
            self.hops.append(hops);
            return match outcome {
                FirewallOutcome::Deny => {
                    let reason = self.hops.last_reason();
                    self.end(
                        Verdict::Blocked,
                        format_args!("firewall {}: {reason}", firewall.name),
                    )
                }
                FirewallOutcome::Undecidable => self.end(
                    Verdict::Unsupported,
                    format_args!("firewall {} cannot decide", firewall.name),
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
                    next.default_outbound = DefaultOutbound::NotApplicable;
                    next.outbound_rule = None;
                    next.forwarded = true;
                    self.hop(Step::Route, &firewall.subnet, Outcome::Info, no_rule, "after the firewall, its own subnet's routes and service endpoints apply (not the source subnet's, nor its service endpoint policies)");
                    self.route(&firewall.subnet, next, destination, depth + 1)
                }
            };
        }
        let frontend = engine
            .load_balancer_at(next_hop)
            .filter(|(_, frontend)| frontend.private_ip == Some(next_hop));
        if let Some((lb, frontend)) = frontend {
            return self.through_load_balancer(
                subnet,
                next_hop,
                lb,
                frontend,
                sender,
                destination,
                depth,
            );
        }
        let appliance = design.computes.iter().find_map(|c| {
            c.nic
                .as_ref()
                .filter(|n| n.private_ip == next_hop)
                .map(|nic| (c, nic))
        });
        if let Some((appliance, nic)) = appliance {
            if let Some(end) =
                self.reach_next_hop(subnet, &appliance.name, next_hop, &nic.subnet, &sender)
            {
                return end;
            }
            return self.forward_by_appliance(appliance, nic, sender, destination, depth);
        }
        let reason = format_args!(
            "next hop {next_hop} is neither an Azure Firewall, a NIC with IP forwarding nor an internal load balancer frontend"
        );
        self.stop(Verdict::NoRoute, Step::Appliance, next_hop, no_rule, reason)
    }

    /// A network virtual appliance forwards the packet it received: it needs IP forwarding,
    /// its NSGs filter the packet in and out, it source-NATs it when `snat` is on, and its
    /// own subnet's routes carry it on.
    fn forward_by_appliance(
        &mut self,
        appliance: &'e Compute,
        nic: &'e NetworkInterface,
        sender: Sender,
        destination: &Destination<'e>,
        depth: usize,
    ) -> End {
        let engine = self.engine;
        if !nic.ip_forwarding {
            let reason = format_args!(
                "{} ({}) does not have IP forwarding enabled: it drops transit traffic",
                nic.private_ip, appliance.name
            );
            return self.stop(
                Verdict::NoRoute,
                Step::Appliance,
                &appliance.name,
                no_rule,
                reason,
            );
        }
        if let Some(end) = self.appliance_nsgs(nic, &sender, destination) {
            return end;
        }
        let mut next = sender;
        next.forwarded = true;
        if nic.snat {
            self.hop(Step::Appliance, &appliance.name, Outcome::Forward, no_rule, format_args!("network virtual appliance {} forwards the packet with its source translated to its own address {} (SNAT): the destination and the return path see the appliance (its own filtering is not modelled)", appliance.name, nic.private_ip));
            let (public_ip, default_outbound, outbound_rule) = egress_identity(
                engine,
                &nic.subnet,
                Some(appliance),
                None,
                self.flow.protocol,
            );
            next.party = Party::at(nic.private_ip);
            next.public_ip = public_ip;
            next.default_outbound = default_outbound;
            next.outbound_rule = outbound_rule;
            next.unsnatted_firewall = None;
        } else {
            self.hop(Step::Appliance, &appliance.name, Outcome::Forward, no_rule, format_args!("network virtual appliance {} forwards the packet unchanged, without SNAT (its own filtering is not modelled)", appliance.name));
        }
        self.route(&nic.subnet, next, destination, depth + 1)
    }

    fn resolve_quietly(&self, fqdn: &str, vnet: Option<&str>) -> Option<Ipv4Addr> {
        self.engine.resolve_host(fqdn, vnet)
    }

    // ----- the internet edge --------------------------------------------------------------

    fn leave_to_internet(
        &mut self,
        subnet: &str,
        sender: Sender,
        destination: &Destination<'e>,
    ) -> End {
        if destination.party.ip.is_some_and(|ip| !is_public(ip)) {
            let reason = format_args!(
                "{} is a private address: the Internet next hop cannot reach it",
                describe_party(&destination.party)
            );
            return self.stop(
                Verdict::NoRoute,
                Step::InternetEgress,
                subnet,
                no_rule,
                reason,
            );
        }
        if sender.public_ip.is_none() {
            match &sender.default_outbound {
                DefaultOutbound::Available => {}
                DefaultOutbound::NotApplicable => {
                    let reason = format_args!("{subnet} has no outbound path to the internet: no public IP, NAT gateway, load balancer outbound rule for {} or default outbound access", self.flow.protocol);
                    return self.stop(
                        Verdict::NoRoute,
                        Step::InternetEgress,
                        subnet,
                        no_rule,
                        reason,
                    );
                }
                DefaultOutbound::PrivateSubnet(private) => {
                    return self.stop_at_private_subnet(private);
                }
            }
        }
        let design = &self.engine.design;
        let outbound_rule = sender.outbound_rule.map(|o| {
            let lb = &design.load_balancers[o.load_balancer];
            (lb, &lb.outbound_rules[o.rule])
        });
        let identity = fmt::from_fn(|f| match (sender.public_ip, outbound_rule) {
            (Some(ip), Some((lb, rule))) => write!(
                f,
                "public IP {ip} of load balancer {} (outbound rule {}, backend pool {})",
                lb.name, rule.name, rule.backend_pool
            ),
            (Some(ip), None) => write!(f, "public IP {ip}"),
            (None, _) => f.write_str("Azure default outbound access (a dynamic Microsoft address)"),
        });
        let rule = || {
            outbound_rule.map(|(lb, rule)| RuleRef {
                name: rule.name.clone(),
                priority: None,
                container: lb.name.clone(),
            })
        };
        self.hop(
            Step::InternetEgress,
            subnet,
            Outcome::Forward,
            rule,
            format_args!("leaves through {identity}"),
        );
        let path = AccessPath::Public {
            source_ip: sender.public_ip,
            azure_region: sender.region.as_deref(),
        };
        self.public_destination(&path, destination)
    }

    fn public_destination(&mut self, path: &AccessPath<'_>, destination: &Destination<'e>) -> End {
        match &destination.entity {
            Entity::LoadBalancer { lb, .. } => self.public_frontend(lb, destination),
            Entity::Resource(resource) => self.data_plane(&resource.name, path, destination),
            Entity::Workspace(workspace) => self.data_plane(&workspace.name, path, destination),
            Entity::UnmodelledResource { name, .. } => self.delivered(destination, format_args!("reaches {name}, which the design does not model (its firewall is assumed open)")),
            Entity::Service(service) => self.delivered(destination, format_args!("reaches {} ({})", service.name, service.service_tag)),
            Entity::External(host) => self.delivered(destination, format_args!("reaches {} on the internet", host.name)),
            _ => self.delivered(destination, format_args!("reaches {} on the internet", describe_party(&destination.party))),
        }
    }

    /// From the Azure host to a NIC: the subnet's and the NIC's inbound NSGs decide.
    fn start_at_azure_host(&mut self, destination: &Destination<'e>) -> End {
        let nic = match &destination.entity {
            Entity::Compute(compute) => compute.nic.as_ref(),
            _ => None,
        };
        let Some(nic) = nic else {
            return self.stop(
                Verdict::Unsupported,
                Step::Source,
                AZURE_HOST_IP,
                no_rule,
                "flows from the Azure host are modelled to the NICs of computes only",
            );
        };
        let host = Party::at(AZURE_HOST_IP);
        if let Some(end) = self.nic_inbound(nic, &host, &destination.party) {
            return end;
        }
        self.delivered(
            destination,
            format_args!("the Azure host reaches {} directly", nic.private_ip),
        )
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
            Entity::LoadBalancer { lb, .. } => self.public_frontend(lb, destination),
            Entity::Compute(compute) => {
                let Some(nic) = compute.nic.as_ref() else {
                    return self.end(
                        Verdict::NoRoute,
                        format_args!("{} has no NIC in a customer VNet", compute.name),
                    );
                };
                let Some(public_ip) = nic.public_ip else {
                    let reason = format_args!(
                        "{} has no public IP: it cannot be reached from outside the VNet",
                        compute.name
                    );
                    return self.stop(
                        Verdict::NoRoute,
                        Step::InternetIngress,
                        &compute.name,
                        no_rule,
                        reason,
                    );
                };
                self.hop(
                    Step::InternetIngress,
                    &compute.name,
                    Outcome::Forward,
                    no_rule,
                    format_args!(
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
                            let reason = format_args!("asymmetric path: the reply from {} to {} follows route {} to appliance {ip}, not the internet it came from; add a route with next hop Internet for the source's service tag", compute.name, describe_party(&party), entry.name);
                            let rule = || {
                                Some(RuleRef {
                                    name: entry.name.clone(),
                                    priority: None,
                                    container: entry.table.clone(),
                                })
                            };
                            return self.stop(
                                Verdict::Blocked,
                                Step::Route,
                                &nic.subnet,
                                rule,
                                reason,
                            );
                        }
                    }
                }
                self.delivered(
                    &inside,
                    format_args!("reaches {} through its public IP", compute.name),
                )
            }
            Entity::Firewall(index)
                if destination
                    .party
                    .ip
                    .is_some_and(|ip| engine.firewalls[*index].public_ips.contains(&ip)) =>
            {
                let firewall = &engine.firewalls[*index];
                let packet = self.firewall_packet(&party, &destination.party, None);
                let mut hops = HopLog::new(self.hops.explains());
                let translated = firewall.dnat(
                    packet,
                    engine.service_tags(),
                    design.cloud,
                    &design.options,
                    &mut hops,
                );
                self.hops.append(hops);
                let Some((target, port, rule)) = translated else {
                    return self.end(
                        Verdict::Blocked,
                        format_args!("firewall {}: no DNAT rule for this packet", firewall.name),
                    );
                };
                let address = match self.dnat_address(firewall, target, &rule) {
                    Ok(address) => address,
                    Err(end) => return end,
                };
                self.ports.get_mut().translate(port);
                let (entity, inside_party) = engine.entity_at(address);
                if design.options.dnat_network_deny_applies {
                    let translated = self.firewall_packet(&party, &inside_party, None);
                    let mut hops = HopLog::new(self.hops.explains());
                    let denied = firewall.network_deny_after_dnat(
                        translated,
                        engine.service_tags(),
                        design.cloud,
                        &design.options,
                        &mut hops,
                    );
                    self.hops.append(hops);
                    if denied {
                        return self.end(Verdict::Blocked, format_args!("firewall {}: a network deny overrides the DNAT allow (option dnat_network_deny_applies)", firewall.name));
                    }
                } else if self.hops.explains() {
                    let translated = self.firewall_packet(&party, &inside_party, None);
                    if let Some(rule) = firewall.network_deny_bypassed_by_dnat(
                        translated,
                        engine.service_tags(),
                        design.cloud,
                        &design.options,
                    ) {
                        let reason = format_args!("network rule {} would deny the translated packet, but a DNAT match is final: network rules are not evaluated (option dnat_network_deny_applies off)", rule.name);
                        self.hop(
                            Step::FirewallNetwork,
                            &firewall.name,
                            Outcome::Info,
                            || Some(rule.clone()),
                            reason,
                        );
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
                    public_ip: firewall.public_ip,
                    default_outbound: DefaultOutbound::NotApplicable,
                    outbound_rule: None,
                    region: azure_region,
                    unsnatted_firewall: None,
                    forwarded: true,
                };
                self.route(&firewall.subnet, sender, &inside, 1)
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
                    azure_region: azure_region.as_deref(),
                };
                self.public_destination(&path, destination)
            }
            _ => {
                let reason = format_args!(
                    "{} is not reachable from outside the VNets (private address, no public IP)",
                    destination_label(destination)
                );
                self.stop(
                    Verdict::NoRoute,
                    Step::InternetIngress,
                    destination_label(destination),
                    no_rule,
                    reason,
                )
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
                    caller: &workspace.name,
                    subscription: &workspace.subscription,
                };
                self.data_plane(&resource.name, &path, destination)
            }
            _ => self.stop(
                Verdict::Unsupported,
                Step::Source,
                &workspace.name,
                no_rule,
                "the workspace acts as a caller only towards storage accounts, key vaults and registries",
            ),
        }
    }

    // ----- managed virtual network --------------------------------------------------------

    fn start_in_managed_vnet(
        &mut self,
        workspace: &'e Workspace,
        compute: &'e Compute,
        destination: &Destination<'e>,
    ) -> End {
        let engine = self.engine;
        let design = &engine.design;
        let network = &workspace.managed_network;
        let element = fmt::from_fn(|f| write!(f, "{} managed VNet", workspace.name));
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
                    spark_enabled,
                } if t == target
                    && destination
                        .sub_resource
                        .as_deref()
                        .is_none_or(|s| s.eq_ignore_ascii_case(sub_resource)) =>
                {
                    Some((name.as_str(), *spark_enabled))
                }
                _ => None,
            });
            let (user_rule, end) = self.spark_private_endpoint(
                workspace,
                compute,
                target,
                (auto_private_endpoint, user_rule),
                approved_only,
            );
            if let Some(end) = end {
                return end;
            }
            let auto_private_endpoint = auto_private_endpoint
                && (compute.kind != ComputeKind::ServerlessSpark || network.spark_ready);
            if auto_private_endpoint || user_rule.is_some() {
                let managed_name;
                let name = match user_rule {
                    Some(name) => name,
                    None => {
                        managed_name =
                            self.text(format_args!("managed private endpoint to {target}"));
                        &managed_name
                    }
                };
                self.hop(
                    Step::PrivateEndpoint,
                    &element,
                    Outcome::Allow,
                    || rule_ref(name),
                    format_args!(
                        "{name}: the managed VNet reaches {target} through a private endpoint"
                    ),
                );
                return self.data_plane(target, &AccessPath::PrivateEndpoint { name }, destination);
            }
        }
        if !approved_only {
            self.hop(
                Step::InternetEgress,
                &element,
                Outcome::Allow,
                || rule_ref("allow_internet_outbound"),
                "isolation mode allow_internet_outbound: all internet egress is allowed",
            );
            let path = AccessPath::Public {
                source_ip: None,
                azure_region: Some(&workspace.region),
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
                OutboundRule::Fqdn { name, fqdn, ports } => {
                    let web_ports = fqdn_rule_ports(ports);
                    let storage = matches!(destination.entity, Entity::Resource(r) if r.kind == PaasKind::StorageAccount)
                        || matches!(
                            destination.entity,
                            Entity::UnmodelledResource {
                                kind: PaasKind::StorageAccount,
                                ..
                            }
                        );
                    let named = self.flow.protocol == Protocol::Tcp
                        && destination
                            .fqdn
                            .as_deref()
                            .is_some_and(|f| fqdn_matches(fqdn, f));
                    if named && storage {
                        self.hop(Step::InternetEgress, &element, Outcome::Info, || rule_ref(name), format_args!("FQDN rule {name} names this storage account, but FQDN rules never reach Azure Storage (use a private endpoint outbound rule)"));
                    }
                    !storage && named && PortSpan::check_in(&self.ports, &web_ports)
                }
                OutboundRule::PrivateEndpoint { .. } => false,
            };
            if allowed {
                let name = match rule {
                    OutboundRule::ServiceTag { name, .. }
                    | OutboundRule::Fqdn { name, .. }
                    | OutboundRule::PrivateEndpoint { name, .. } => name,
                };
                self.hop(
                    Step::InternetEgress,
                    &element,
                    Outcome::Allow,
                    || rule_ref(name),
                    format_args!("outbound rule {name} allows it (managed firewall)"),
                );
                let path = AccessPath::Public {
                    source_ip: None,
                    azure_region: Some(&workspace.region),
                };
                return self.public_destination(&path, destination);
            }
        }
        let reason = format_args!("isolation mode allow_only_approved_outbound: no outbound rule of {} allows this (FQDN rules: TCP 80/443 only and never storage)", workspace.name);
        self.stop(
            Verdict::Blocked,
            Step::InternetEgress,
            &element,
            || rule_ref("allow_only_approved_outbound"),
            reason,
        )
    }
}

/// The public identity a subnet source egresses with, whether default outbound access
/// applies, and the load balancer outbound rule the identity comes from. Precedence: a NAT
/// gateway or an instance public IP, then a public load balancer's outbound rule (only for a
/// backend without an instance public IP: "Outbound rules Azure Load Balancer"), then default
/// outbound access — which a backend of an outbound rule never has ("Default outbound access
/// in Azure": it has explicit outbound connectivity).
fn egress_identity(
    engine: &Engine,
    subnet: &str,
    compute: Option<&Compute>,
    firewall: Option<usize>,
    protocol: Protocol,
) -> (Option<Ipv4Addr>, DefaultOutbound, Option<OutboundIdentity>) {
    if let Some(index) = firewall {
        return (
            engine.firewalls[index].public_ip,
            DefaultOutbound::NotApplicable,
            None,
        );
    }
    let instance_ip = compute
        .and_then(|c| c.nic.as_ref())
        .and_then(|n| n.public_ip);
    let subnet_name = subnet;
    let subnet = engine.subnet(subnet).map(|(_, s)| s);
    let nat = subnet.and_then(|s| s.nat_gateway_ip);
    let in_outbound_pool = compute.is_some_and(|c| engine.has_outbound_rule(&c.name));
    let outbound_rule = compute
        .filter(|_| instance_ip.or(nat).is_none() && in_outbound_pool)
        .and_then(|c| engine.outbound_identity(&c.name, protocol));
    // A backend of an outbound rule has explicit outbound connectivity: no default access.
    let default_outbound = match subnet {
        _ if in_outbound_pool => DefaultOutbound::NotApplicable,
        Some(s) if s.default_outbound_access => DefaultOutbound::Available,
        Some(_) => DefaultOutbound::PrivateSubnet(subnet_name.to_string()),
        None => DefaultOutbound::NotApplicable,
    };
    (
        instance_ip
            .or(nat)
            .or(outbound_rule.and_then(|o| o.public_ip)),
        default_outbound,
        outbound_rule,
    )
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
