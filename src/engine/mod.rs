//! The engine: lowers a design once into compiled tables (NSGs sorted with their defaults,
//! effective routes per subnet, firewall rules in processing order, private DNS) and a topology
//! graph, then evaluates flows against Azure's semantics (`azure-semantics.md` §10), producing a
//! closed verdict and a hop-by-hop trace.

mod address;
mod dns;
mod endpoints;
mod evaluate;
mod firewall;
mod nsg;
mod paas;
mod regions;
mod routing;
pub mod service_tags;
mod topology;
mod trace;

use std::collections::BTreeMap;

pub use address::is_public;
pub use dns::{fqdn_matches, paas_fqdn, parse_paas_fqdn};
pub use evaluate::FlowError;
pub use regions::normalise_region;
pub use topology::{ElementId, Topology};
pub use trace::{Flow, FlowSource, FlowTarget, Hop, Outcome, RuleRef, Step, Trace, Verdict};

use crate::model::{validate, Design, Diagnostic, EvaluationOptions};
use dns::PrivateDns;
use firewall::CompiledFirewall;
use nsg::CompiledNsg;
use routing::{compile_subnet_routes, SubnetRoutes};
use service_tags::ServiceTagData;

/// Where service-tag prefixes come from: the data compiled into vnetlab, or a newer file.
#[derive(Debug, Clone)]
enum TagData {
    Embedded,
    Loaded(Box<ServiceTagData>),
}

/// A design compiled for evaluation. Build it once per design change; trace many flows.
#[derive(Debug, Clone)]
pub struct Engine {
    design: Design,
    topology: Topology,
    tag_data: TagData,
    nsgs: BTreeMap<String, CompiledNsg>,
    subnet_routes: BTreeMap<String, SubnetRoutes>,
    gateway_routes: BTreeMap<String, SubnetRoutes>,
    firewalls: Vec<CompiledFirewall>,
    private_dns: PrivateDns,
    diagnostics: Vec<Diagnostic>,
}

impl Engine {
    /// Compiles `design` with its own options and the embedded service-tag data.
    pub fn new(design: &Design) -> Self {
        Self::compile(design, TagData::Embedded)
    }

    /// Compiles `design` with service-tag data loaded from a Microsoft file.
    pub fn with_service_tags(design: &Design, data: ServiceTagData) -> Self {
        Self::compile(design, TagData::Loaded(Box::new(data)))
    }

    fn compile(design: &Design, tag_data: TagData) -> Self {
        let mut diagnostics = validate(design);
        let topology = Topology::build(design);
        let nsgs = design
            .network_security_groups
            .iter()
            .enumerate()
            .map(|(i, nsg)| {
                (
                    nsg.name.clone(),
                    CompiledNsg::compile(nsg, i, &design.options, &mut diagnostics),
                )
            })
            .collect();
        let mut subnet_routes = BTreeMap::new();
        for vnet in &design.virtual_networks {
            for subnet in &vnet.subnets {
                let routes =
                    compile_subnet_routes(design, &topology, vnet, subnet, &mut diagnostics);
                subnet_routes.insert(format!("{}/{}", vnet.name, subnet.name), routes);
            }
        }
        let gateway_routes = endpoints::gateway_entry_routes(design, &topology, &mut diagnostics);
        let firewalls = design
            .firewalls
            .iter()
            .enumerate()
            .map(|(i, f)| CompiledFirewall::compile(design, i, f, &mut diagnostics))
            .collect();
        for vnet in &design.virtual_networks {
            for peering in topology.unconnected_peerings(&vnet.name) {
                diagnostics.push(Diagnostic::warning(&peering.name, "$.peerings", format!("peering {} → {} has no reverse peering: it stays Initiated and carries no traffic", peering.local_vnet, peering.remote_vnet)));
            }
        }
        diagnostics.sort();
        diagnostics.dedup();
        Engine {
            design: design.clone(),
            topology,
            tag_data,
            nsgs,
            subnet_routes,
            gateway_routes,
            firewalls,
            private_dns: PrivateDns::compile(design),
            diagnostics,
        }
    }

    pub fn design(&self) -> &Design {
        &self.design
    }

    pub fn options(&self) -> &EvaluationOptions {
        &self.design.options
    }

    pub fn topology(&self) -> &Topology {
        &self.topology
    }

    /// Validation and compilation diagnostics, sorted.
    pub fn diagnostics(&self) -> &[Diagnostic] {
        &self.diagnostics
    }

    pub fn service_tags(&self) -> &ServiceTagData {
        match &self.tag_data {
            TagData::Embedded => ServiceTagData::embedded(),
            TagData::Loaded(data) => data,
        }
    }

    /// Traces one flow. Errors only for flows that name nothing in the design or start at
    /// something that never initiates traffic.
    pub fn trace(&self, flow: &Flow) -> Result<Trace, FlowError> {
        evaluate::trace(self, flow)
    }
}

/// Traces `flow` through `design` evaluated with `options` (compiles the design first; for
/// many flows build an [`Engine`] once).
pub fn trace(
    design: &Design,
    flow: &Flow,
    options: &EvaluationOptions,
) -> Result<Trace, FlowError> {
    let mut design = design.clone();
    design.options = options.clone();
    Engine::new(&design).trace(flow)
}
