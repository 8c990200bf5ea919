//! Required flows of one design: the catalogue bound to the design's computes, clients and
//! workspace resources, each traced with the engine. A flow is *passing* when the engine
//! allows it; a design "still works" when every non-optional required flow passes.

use crate::engine::{paas_fqdn, Engine, Flow, FlowSource, FlowTarget, FlowVerdict, Trace, Verdict};
use crate::model::{
    Compute, ComputeKind, ConnectionState, Design, ExternalKind, NodeCommunication, PaasKind,
    Protocol, Workspace,
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
    /// Identifies the flow across designs: `entry@source:port`.
    pub fn key(&self) -> String {
        flow_key(self.entry.id, &self.source, self.flow.port)
    }

    pub fn passes(&self) -> bool {
        self.trace.verdict == Verdict::Allowed
    }
}

pub(super) fn flow_key(id: &str, source: &str, port: Option<u16>) -> String {
    match port {
        Some(port) => format!("{id}@{source}:{port}"),
        None => format!("{id}@{source}"),
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
        Endpoint::VpnClient | Endpoint::WorkspaceService => None,
    }
}

/// The flows `entry` asks of `design`: (source shown, flow).
fn bind(design: &Design, entry: &CatalogueEntry) -> Vec<(String, Flow)> {
    let inbound_from_service = matches!(entry.from, Endpoint::ServiceTag { .. });
    let role = if inbound_from_service {
        entry.to
    } else {
        entry.from
    };
    let mut flows = Vec::new();
    for subject in subjects(design, role) {
        if !condition_holds(entry.required_when, design, &subject) {
            continue;
        }
        let (source_name, source, target) = if inbound_from_service {
            let Some(FlowTarget::Element(service)) = bind_destination(design, &subject, entry.from)
            else {
                continue;
            };
            let Some(target) = bind_destination(design, &subject, entry.to) else {
                continue;
            };
            (service.clone(), FlowSource::Element(service), target)
        } else {
            let Some(target) = bind_destination(design, &subject, entry.to) else {
                continue;
            };
            (
                subject.name.clone(),
                FlowSource::Element(subject.name.clone()),
                target,
            )
        };
        for &port in entry.ports {
            let port = (entry.protocol != Protocol::Icmp).then_some(port);
            flows.push((
                source_name.clone(),
                Flow::new(source.clone(), target.clone(), entry.protocol, port),
            ));
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
/// destination exists), traced, in catalogue order.
pub fn evaluate(engine: &Engine) -> Vec<RequiredFlow> {
    bind_all(engine.design())
        .into_iter()
        .map(|(entry, source, flow)| RequiredFlow {
            entry,
            source,
            destination: flow.destination.to_string(),
            trace: trace_or_unsupported(engine, &flow),
            flow,
        })
        .collect()
}
