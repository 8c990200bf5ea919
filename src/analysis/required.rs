//! Required flows of one design: the catalogue bound to the design's computes, clients and
//! workspace resources, each traced with the engine. A flow is *passing* when the engine
//! allows it; a design "still works" when every non-optional required flow passes.

use crate::engine::{
    paas_fqdn, Engine, Flow, FlowSource, FlowTarget, FlowVerdict, Trace, Verdict, AZURE_HOST_IP,
};
use crate::model::{
    Compute, ComputeKind, ConnectionState, Design, Direction, ExternalKind, NodeCommunication,
    PaasKind, Protocol, Workspace,
};

use super::catalogue::{CatalogueEntry, Condition, Endpoint, CATALOGUE};
use super::synthetic::{
    compute_region, find_batch_storage, find_internet_host, find_service, home_region, host_name,
    workspace_of,
};

/// One catalogue entry bound to one source and port, with its trace.
#[derive(Debug, Clone)]
pub struct RequiredFlow {
    pub entry: &'static CatalogueEntry,
    /// The element the flow starts at (compute, client, service tag endpoint, workspace).
    pub source: String,
    /// The destination as traced: an element name or an FQDN.
    pub destination: String,
    pub flow: Flow,
    pub trace: Trace,
}

impl RequiredFlow {
    /// Identifies the flow across designs: `entry@source:port`, or for inbound entries
    /// `entry@source->destination:port` (one source, e.g. a service tag, reaches every compute).
    pub fn key(&self) -> String {
        flow_key(self.entry, &self.source, &self.flow)
    }

    pub fn passes(&self) -> bool {
        self.trace.verdict == Verdict::Allowed
    }
}

/// The key of `flow`, bound from `entry` and shown as starting at `source`: outbound entries
/// are bound once per source, inbound ones once per destination, so an inbound key names both.
pub(super) fn flow_key(entry: &CatalogueEntry, source: &str, flow: &Flow) -> String {
    let id = entry.id;
    let ends = if entry.direction == Direction::Inbound {
        format!("{source}->{}", flow.destination)
    } else {
        source.to_string()
    };
    match flow.port {
        Some(port) => format!("{id}@{ends}:{port}"),
        None => format!("{id}@{ends}"),
    }
}

/// Who a group of entries is evaluated for.
struct Subject<'d> {
    name: String,
    compute: Option<&'d Compute>,
    workspace: Option<&'d Workspace>,
    region: String,
}

fn subjects<'d>(design: &'d Design, role: Endpoint) -> Vec<Subject<'d>> {
    let first_workspace = design.workspaces.first();
    let home = home_region(design);
    let compute_subject = |c: &'d Compute| Subject {
        name: c.name.clone(),
        compute: Some(c),
        workspace: workspace_of(design, c).or(first_workspace),
        region: compute_region(design, c).unwrap_or_else(|| home.clone()),
    };
    match role {
        Endpoint::AmlCompute => design
            .computes
            .iter()
            .filter(|c| c.kind.is_aml_compute())
            .map(compute_subject)
            .collect(),
        Endpoint::JumpBox => design
            .computes
            .iter()
            .filter(|c| c.kind == ComputeKind::JumpBox)
            .map(compute_subject)
            .collect(),
        Endpoint::VpnClient => design
            .external_hosts
            .iter()
            .filter(|h| h.kind == ExternalKind::OnPremises)
            .map(|h| Subject {
                name: h.name.clone(),
                compute: None,
                workspace: first_workspace,
                region: home.clone(),
            })
            .collect(),
        Endpoint::WorkspaceService => design
            .workspaces
            .iter()
            .map(|w| Subject {
                name: w.name.clone(),
                compute: None,
                workspace: Some(w),
                region: crate::engine::normalise_region(&w.region),
            })
            .collect(),
        _ => Vec::new(),
    }
}

fn has_workspace_private_endpoint(design: &Design, workspace: &Workspace) -> bool {
    design
        .private_endpoints
        .iter()
        .any(|p| p.target == workspace.name && p.connection_state == ConnectionState::Approved)
}

fn condition_holds(condition: Condition, design: &Design, subject: &Subject) -> bool {
    let public_ip = subject
        .compute
        .and_then(|c| c.nic.as_ref())
        .is_some_and(|n| n.public_ip.is_some());
    match condition {
        Condition::Always | Condition::PackageInstalls => true,
        Condition::ComputeHasPublicIp => public_ip,
        Condition::ClassicNodeCommunication => {
            public_ip
                && (subject
                    .compute
                    .is_some_and(|c| c.node_communication == NodeCommunication::Classic)
                    || design.options.legacy_batch_inbound)
        }
        Condition::NoPublicIpClassicNodeCommunication => subject.compute.is_some_and(|c| {
            c.nic.as_ref().is_some_and(|n| n.public_ip.is_none())
                && (c.node_communication == NodeCommunication::Classic
                    || design.options.legacy_batch_inbound)
        }),
        Condition::VsCodeOnComputeInstance => subject
            .compute
            .is_some_and(|c| c.kind == ComputeKind::ComputeInstance),
        Condition::ComputeInstanceWithWorkspacePrivateEndpoint => {
            subject
                .compute
                .is_some_and(|c| c.kind == ComputeKind::ComputeInstance)
                && subject
                    .workspace
                    .is_some_and(|w| has_workspace_private_endpoint(design, w))
        }
        Condition::ComputeInCustomerVnet => subject.compute.is_some_and(|c| c.nic.is_some()),
        Condition::HbiWorkspace => subject.workspace.is_some_and(|w| w.hbi),
        Condition::CuratedImagesFromMcr => subject.workspace.is_some_and(|w| {
            w.image_registry
                .as_deref()
                .is_none_or(|r| r.contains("mcr.microsoft.com"))
        }),
    }
}

/// A bound endpoint: what the flow names and how it is shown.
fn bind_destination(design: &Design, subject: &Subject, endpoint: Endpoint) -> Option<FlowTarget> {
    let cloud = design.cloud;
    let region = subject.region.as_str();
    let workspace = subject.workspace;
    match endpoint {
        Endpoint::ServiceTag {
            tag,
            regional,
            host,
        } => {
            let host = host.map(|h| host_name(h, cloud, region));
            let service = find_service(design, tag, regional.then_some(region), host.as_deref())?;
            Some(match host {
                Some(host) => FlowTarget::Fqdn(host),
                None => FlowTarget::Element(service.name.clone()),
            })
        }
        Endpoint::InternetHost(host) => {
            let host = host_name(host, cloud, region);
            find_internet_host(design, &host).map(|_| FlowTarget::Fqdn(host))
        }
        Endpoint::WorkspaceStorage(sub_resource) => {
            let account = workspace?.storage_account.as_ref()?;
            Some(FlowTarget::Fqdn(paas_fqdn(
                Some(PaasKind::StorageAccount),
                account,
                sub_resource,
                "",
                cloud,
            )))
        }
        Endpoint::BatchStorage => {
            find_batch_storage(design, region).map(|r| FlowTarget::Element(r.name.clone()))
        }
        Endpoint::WorkspaceKeyVault => workspace?.key_vault.clone().map(FlowTarget::Element),
        Endpoint::WorkspaceRegistry => workspace?
            .container_registry
            .clone()
            .map(FlowTarget::Element),
        Endpoint::Workspace => workspace.map(|w| FlowTarget::Element(w.name.clone())),
        Endpoint::AmlCompute | Endpoint::JumpBox => {
            subject.compute.map(|c| FlowTarget::Element(c.name.clone()))
        }
        Endpoint::VpnClient
        | Endpoint::WorkspaceService
        | Endpoint::ComputeVnet
        | Endpoint::AzureHost => None,
    }
}

/// Who starts an inbound flow to `subject`: (source shown, source).
fn inbound_sources(
    design: &Design,
    subject: &Subject,
    endpoint: Endpoint,
) -> Vec<(String, FlowSource)> {
    let named = |name: &str| (name.to_string(), FlowSource::Element(name.to_string()));
    match endpoint {
        Endpoint::ServiceTag { .. } => match bind_destination(design, subject, endpoint) {
            Some(FlowTarget::Element(service)) => vec![named(&service)],
            _ => Vec::new(),
        },
        Endpoint::ComputeVnet => subject
            .compute
            .and_then(|c| c.nic.as_ref())
            .map(|nic| named(&nic.subnet))
            .into_iter()
            .collect(),
        Endpoint::AzureHost => vec![(
            AZURE_HOST_IP.to_string(),
            FlowSource::Address(AZURE_HOST_IP),
        )],
        Endpoint::JumpBox => design
            .computes
            .iter()
            .filter(|c| c.kind == ComputeKind::JumpBox)
            .map(|c| named(&c.name))
            .collect(),
        Endpoint::VpnClient => design
            .external_hosts
            .iter()
            .filter(|h| h.kind == ExternalKind::OnPremises)
            .map(|h| named(&h.name))
            .collect(),
        _ => Vec::new(),
    }
}

/// The flows `entry` asks of `design`: (source shown, flow). Outbound entries start at each
/// subject; inbound entries reach each subject from their sources.
fn bind(design: &Design, entry: &CatalogueEntry) -> Vec<(String, Flow)> {
    let inbound = entry.direction == Direction::Inbound;
    let role = if inbound { entry.to } else { entry.from };
    let mut flows = Vec::new();
    for subject in subjects(design, role) {
        if !condition_holds(entry.required_when, design, &subject) {
            continue;
        }
        let Some(target) = bind_destination(design, &subject, entry.to) else {
            continue;
        };
        let sources = if inbound {
            inbound_sources(design, &subject, entry.from)
        } else {
            vec![(
                subject.name.clone(),
                FlowSource::Element(subject.name.clone()),
            )]
        };
        for (shown, source) in sources {
            for &port in entry.ports {
                let port = (entry.protocol != Protocol::Icmp).then_some(port);
                flows.push((
                    shown.clone(),
                    Flow::new(source.clone(), target.clone(), entry.protocol, port),
                ));
            }
        }
    }
    flows
}

/// Traces `flow`; a flow the engine refuses is reported as unsupported with the reason.
pub fn trace_or_unsupported(engine: &Engine, flow: &Flow) -> Trace {
    engine.trace(flow).unwrap_or_else(|error| Trace {
        flow: flow.clone(),
        verdict: Verdict::Unsupported,
        reason: error.to_string(),
        decided_by: None,
        hops: Vec::new(),
        alike_ports: None,
    })
}

/// [`trace_or_unsupported`] without the explanation, for flows nobody reads.
pub fn verdict_or_unsupported(engine: &Engine, flow: &Flow) -> FlowVerdict {
    engine.verdict(flow).unwrap_or(FlowVerdict {
        verdict: Verdict::Unsupported,
        alike_ports: None,
    })
}

/// Whether [`bind_all`] binds the same flows on both designs: binding reads only the computes,
/// workspaces, services, external hosts, resources and private endpoints, the VNets' names and
/// regions, the cloud and the options. Fixes that edit NSGs, routes, subnets or firewalls
/// leave all of them alone, so their impact reuses the baseline's bindings.
pub fn same_bindings(a: &Design, b: &Design) -> bool {
    fn vnet_regions(design: &Design) -> Vec<(&str, &str)> {
        design
            .virtual_networks
            .iter()
            .map(|v| (v.name.as_str(), v.region.as_str()))
            .collect()
    }
    a.cloud == b.cloud
        && a.options == b.options
        && a.computes == b.computes
        && a.workspaces == b.workspaces
        && a.services == b.services
        && a.external_hosts == b.external_hosts
        && a.resources == b.resources
        && a.private_endpoints == b.private_endpoints
        && vnet_regions(a) == vnet_regions(b)
}

/// Every required flow of `design`, bound but not traced: (entry, source shown, flow), in
/// catalogue order.
pub fn bind_all(design: &Design) -> Vec<(&'static CatalogueEntry, String, Flow)> {
    CATALOGUE
        .iter()
        .flat_map(|entry| {
            bind(design, entry)
                .into_iter()
                .map(move |(source, flow)| (entry, source, flow))
        })
        .collect()
}

/// Every required flow of the engine's design (prepare the design first, so every catalogue
/// destination exists), traced, in catalogue order. A flow the previous trace covers (the
/// same flow on another port of its span, e.g. VS Code's seven ports) shares that trace.
pub fn evaluate(engine: &Engine) -> Vec<RequiredFlow> {
    let mut flows: Vec<RequiredFlow> = Vec::new();
    for (entry, source, flow) in bind_all(engine.design()) {
        let trace = match flows.last() {
            Some(previous) if previous.trace.covers(&flow) => Trace {
                flow: flow.clone(),
                ..previous.trace.clone()
            },
            _ => trace_or_unsupported(engine, &flow),
        };
        flows.push(RequiredFlow {
            entry,
            source,
            destination: flow.destination.to_string(),
            trace,
            flow,
        });
    }
    flows
}
