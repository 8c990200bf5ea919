//! The engine: lowers a design once into compiled tables (NSGs sorted with their defaults,
//! effective routes per subnet, firewall rules in processing order, private DNS) and a topology
//! graph, then evaluates flows against Azure's semantics (`azure-semantics.md` §10), producing a
//! closed verdict and a hop-by-hop trace.

mod address;
mod admin_rules;
mod dns;
mod endpoints;
mod evaluate;
mod firewall;
mod host_names;
mod load_balancer;
pub mod lookup;
mod nsg;
mod paas;
mod perimeter;
mod port_span;
pub mod query;
mod regions;
mod routing;
pub mod service_tags;
mod topology;
mod trace;
pub mod well_known;

use crate::model::sorting;
use std::collections::BTreeMap;
use std::sync::Arc;

pub use address::{is_public, AZURE_HOST_IP, IMDS_IP, PRIVATE_RANGES};
pub use dns::{fqdn_matches, paas_fqdn, parse_paas_fqdn};
pub use evaluate::FlowError;
pub use lookup::Lookup;
pub use perimeter::{membership, Membership};
pub use regions::normalise_region;
pub use topology::{ElementId, Topology};
pub use trace::{
    Flow, FlowSource, FlowTarget, FlowVerdict, Hop, Outcome, RuleRef, Step, Trace, Verdict,
};

use crate::model::{validate, Design, Diagnostic, EvaluationOptions};
use admin_rules::{compile_admin_rules, VnetAdminRules};
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
    /// Elements by name and address, for the walk.
    lookup: Lookup,
    tag_data: TagData,
    /// Shared (`Arc`) so that a [derived](Engine::derive) engine reuses what a change left alone.
    nsgs: BTreeMap<String, Arc<CompiledNsg>>,
    subnet_routes: BTreeMap<String, Arc<SubnetRoutes>>,
    gateway_routes: BTreeMap<String, SubnetRoutes>,
    firewalls: Vec<CompiledFirewall>,
    /// Virtual Network Manager security admin rules per VNet name.
    admin_rules: BTreeMap<String, VnetAdminRules>,
    private_dns: PrivateDns,
    diagnostics: Vec<Diagnostic>,
}

impl Engine {
    /// Compiles `design` with its own options and the embedded service-tag data.
    pub fn new(design: &Design) -> Self {
        Self::compile(design.clone(), TagData::Embedded)
    }

    /// [`Engine::new`] on a design given away (no copy is made; [`Engine::into_design`] gives
    /// it back).
    pub fn from_design(design: Design) -> Self {
        Self::compile(design, TagData::Embedded)
    }

    /// [`Engine::from_design`] for a caller that reads no diagnostics (an analysis copy):
    /// validation, which only reports, is skipped, and [`Engine::diagnostics`] is empty.
    /// Traces are exactly those of [`Engine::new`].
    pub fn without_diagnostics(design: Design) -> Self {
        let mut engine = Self::compile_with(design, TagData::Embedded, false);
        engine.diagnostics = Vec::new();
        engine
    }

    /// [`Engine::new`] for a design whose validation diagnostics the caller has already:
    /// [`Engine::diagnostics`] holds only what compiling finds (service tags, routes, firewall
    /// rules). Traces are exactly those of [`Engine::new`].
    pub fn without_validation(design: &Design) -> Self {
        Self::compile_with(design.clone(), TagData::Embedded, false)
    }

    /// Compiles `design` with service-tag data loaded from a Microsoft file.
    pub fn with_service_tags(design: &Design, data: ServiceTagData) -> Self {
        Self::compile(design.clone(), TagData::Loaded(Box::new(data)))
    }

    fn compile(owned: Design, tag_data: TagData) -> Self {
        Self::compile_with(owned, tag_data, true)
    }

    fn compile_with(owned: Design, tag_data: TagData, validating: bool) -> Self {
        let design = &owned;
        let mut diagnostics = if validating {
            validate(design)
        } else {
            Vec::new()
        };
        let topology = Topology::build(design);
        let nsgs = design
            .network_security_groups
            .iter()
            .enumerate()
            .map(|(i, nsg)| {
                (
                    nsg.name.clone(),
                    Arc::new(CompiledNsg::compile(
                        nsg,
                        i,
                        &design.options,
                        &mut diagnostics,
                    )),
                )
            })
            .collect();
        let mut subnet_routes = BTreeMap::new();
        for vnet in &design.virtual_networks {
            for subnet in &vnet.subnets {
                let routes =
                    compile_subnet_routes(design, &topology, vnet, subnet, &mut diagnostics);
                subnet_routes.insert(format!("{}/{}", vnet.name, subnet.name), Arc::new(routes));
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
        let admin_rules = compile_admin_rules(design, &design.options, &mut diagnostics);
        let lookup = Lookup::build(design);
        let private_dns = PrivateDns::compile(design, &lookup);
        let mut engine = Engine {
            lookup,
            design: owned,
            topology,
            tag_data,
            nsgs,
            subnet_routes,
            gateway_routes,
            firewalls,
            admin_rules,
            private_dns,
            diagnostics,
        };
        // Backend health needs the compiled NSGs: probes are traced on the engine itself.
        let unhealthy_pools = engine.load_balancer_diagnostics();
        let unresolved = engine.unresolved_dnat_names();
        if !unhealthy_pools.is_empty() || !unresolved.is_empty() {
            engine.diagnostics.extend(unhealthy_pools);
            engine.diagnostics.extend(unresolved);
            sorting::sort(&mut engine.diagnostics);
            engine.diagnostics.dedup();
        }
        engine
    }

    /// Compiles `fixed`, a copy of this engine's design with a few changes (an analysis fix),
    /// reusing the compiled NSGs and subnet routes the changes cannot affect. `changed_nsgs`
    /// names the NSGs the changes edited: every other NSG of `fixed` must be identical to the
    /// one at the same index of this engine's design (checked in debug builds); NSGs beyond
    /// the base design's are compiled. Traces are exactly those of `Engine::new(&fixed)` (with
    /// the same tag data); the derived engine carries no diagnostics.
    pub fn derive(&self, fixed: Design, changed_nsgs: &[&str]) -> Engine {
        let mut diagnostics = Vec::new();
        let base = &self.design;
        let topology = Topology::build(&fixed);
        let same_options = base.options == fixed.options;
        let nsgs = fixed
            .network_security_groups
            .iter()
            .enumerate()
            .map(|(i, nsg)| {
                let reused = base
                    .network_security_groups
                    .get(i)
                    .filter(|old| {
                        same_options
                            && old.name == nsg.name
                            && !changed_nsgs.contains(&nsg.name.as_str())
                    })
                    .and_then(|old| {
                        debug_assert!(old == nsg, "NSG {} changed unannounced", nsg.name);
                        self.nsgs.get(&old.name)
                    });
                let compiled = match reused {
                    Some(compiled) => Arc::clone(compiled),
                    None => Arc::new(CompiledNsg::compile(
                        nsg,
                        i,
                        &fixed.options,
                        &mut diagnostics,
                    )),
                };
                (nsg.name.clone(), compiled)
            })
            .collect();
        let routes_reusable = routing_globals_equal(base, &fixed);
        let mut subnet_routes = BTreeMap::new();
        for (v, vnet) in fixed.virtual_networks.iter().enumerate() {
            for (s, subnet) in vnet.subnets.iter().enumerate() {
                let id = format!("{}/{}", vnet.name, subnet.name);
                let reused = routes_reusable
                    .then(|| base.virtual_networks[v].subnets.get(s))
                    .flatten()
                    .filter(|old| subnet_routing_equal(old, subnet))
                    .and_then(|_| self.subnet_routes.get(&id));
                let routes = match reused {
                    Some(routes) => Arc::clone(routes),
                    None => Arc::new(compile_subnet_routes(
                        &fixed,
                        &topology,
                        vnet,
                        subnet,
                        &mut diagnostics,
                    )),
                };
                subnet_routes.insert(id, routes);
            }
        }
        let gateway_routes = endpoints::gateway_entry_routes(&fixed, &topology, &mut diagnostics);
        let firewalls = fixed
            .firewalls
            .iter()
            .enumerate()
            .map(|(i, f)| CompiledFirewall::compile(&fixed, i, f, &mut diagnostics))
            .collect();
        let admin_rules = compile_admin_rules(&fixed, &fixed.options, &mut diagnostics);
        let lookup = Lookup::build(&fixed);
        Engine {
            admin_rules,
            private_dns: PrivateDns::compile(&fixed, &lookup),
            lookup,
            design: fixed,
            topology,
            tag_data: self.tag_data.clone(),
            nsgs,
            subnet_routes,
            gateway_routes,
            firewalls,
            diagnostics: Vec::new(),
        }
    }

    /// Edits the rules of the existing NSGs `names` in place and recompiles only those: the
    /// edit that costs what it changes, for fixes that touch nothing else. `edit` may change
    /// nothing of the design but those NSGs' rules (checked in debug builds). Returns what
    /// `edit` returned and what [`Engine::restore_nsgs`] takes to undo the edit; traces in
    /// between are exactly those of `Engine::new` on the edited design (NSG rules are read
    /// only through the compiled NSGs, which no other compiled table depends on).
    pub fn edit_nsgs(
        &mut self,
        names: &[&str],
        edit: impl FnOnce(&mut Design) -> bool,
    ) -> (bool, NsgEdit) {
        let saved: Vec<(usize, crate::model::NetworkSecurityGroup)> = self
            .design
            .network_security_groups
            .iter()
            .enumerate()
            .filter(|(_, nsg)| names.contains(&nsg.name.as_str()))
            .map(|(i, nsg)| (i, nsg.clone()))
            .collect();
        #[cfg(debug_assertions)]
        let before = self.design.clone();
        let applied = edit(&mut self.design);
        #[cfg(debug_assertions)]
        {
            let mut unedited = self.design.clone();
            for (i, nsg) in &saved {
                unedited.network_security_groups[*i] = nsg.clone();
            }
            debug_assert!(unedited == before, "edit_nsgs changed more than {names:?}");
        }
        let mut diagnostics = Vec::new();
        let compiled = saved
            .iter()
            .map(|(i, old)| {
                let nsg = &self.design.network_security_groups[*i];
                let recompiled = Arc::new(CompiledNsg::compile(
                    nsg,
                    *i,
                    &self.design.options,
                    &mut diagnostics,
                ));
                let previous = self.nsgs.insert(nsg.name.clone(), recompiled);
                (old.name.clone(), previous)
            })
            .collect();
        (applied, NsgEdit { saved, compiled })
    }

    /// Undoes an [`Engine::edit_nsgs`]: the NSGs and their compiled tables as they were.
    pub fn restore_nsgs(&mut self, edit: NsgEdit) {
        for (i, nsg) in edit.saved {
            self.design.network_security_groups[i] = nsg;
        }
        // In reverse, so that an NSG name given twice gets its first table back.
        for (name, compiled) in edit.compiled.into_iter().rev() {
            match compiled {
                Some(compiled) => self.nsgs.insert(name, compiled),
                None => self.nsgs.remove(&name),
            };
        }
    }

    /// Edits subnet `subnet_id` (`vnet/subnet`) in place — its own fields, and service
    /// endpoint policies appended to the design — and recompiles only its effective routes.
    /// `edit` may change nothing else (checked in debug builds), and must keep the fields
    /// other subnets' routes read (name, prefix, private endpoint network policies): service
    /// endpoints, service endpoint policies and default outbound access are what it is for.
    /// Returns `None` (nothing edited) when the id names no subnet, more than one, or a
    /// GatewaySubnet (gateway entry routes read it); else what `edit` returned and what
    /// [`Engine::restore_subnet`] takes to undo it.
    pub fn edit_subnet(
        &mut self,
        subnet_id: &str,
        edit: impl FnOnce(&mut Design) -> bool,
    ) -> Option<(bool, SubnetEdit)> {
        let (vnet_name, subnet_name) = subnet_id.split_once('/')?;
        let mut places = self
            .design
            .virtual_networks
            .iter()
            .enumerate()
            .filter(|(_, vnet)| vnet.name == vnet_name)
            .flat_map(|(v, vnet)| {
                let named = vnet.subnets.iter().enumerate();
                named
                    .filter(|(_, s)| s.name == subnet_name)
                    .map(move |(s, _)| (v, s))
            });
        let (v, s) = places.next()?;
        if places.next().is_some() || subnet_name == "GatewaySubnet" {
            return None;
        }
        let saved = self.design.virtual_networks[v].subnets[s].clone();
        let policies = self.design.service_endpoint_policies.len();
        #[cfg(debug_assertions)]
        let before = self.design.clone();
        let applied = edit(&mut self.design);
        let edited = &self.design.virtual_networks[v].subnets[s];
        debug_assert!(
            edited.name == saved.name
                && edited.prefix == saved.prefix
                && edited.private_endpoint_network_policies
                    == saved.private_endpoint_network_policies,
            "edit_subnet changed what other compiled tables read"
        );
        #[cfg(debug_assertions)]
        {
            let mut unedited = self.design.clone();
            unedited.virtual_networks[v].subnets[s] = saved.clone();
            unedited.service_endpoint_policies.truncate(policies);
            debug_assert!(
                unedited == before,
                "edit_subnet changed more than {subnet_id}"
            );
        }
        let vnet = &self.design.virtual_networks[v];
        let routes = compile_subnet_routes(
            &self.design,
            &self.topology,
            vnet,
            &vnet.subnets[s],
            &mut Vec::new(),
        );
        let previous = self
            .subnet_routes
            .insert(subnet_id.to_string(), Arc::new(routes));
        Some((
            applied,
            SubnetEdit {
                place: (v, s),
                saved,
                policies,
                routes: previous,
            },
        ))
    }

    /// Undoes an [`Engine::edit_subnet`]: the subnet, the design's service endpoint policies
    /// and the subnet's compiled routes as they were.
    pub fn restore_subnet(&mut self, edit: SubnetEdit) {
        let (v, s) = edit.place;
        let vnet = &mut self.design.virtual_networks[v];
        let id = format!("{}/{}", vnet.name, edit.saved.name);
        vnet.subnets[s] = edit.saved;
        self.design
            .service_endpoint_policies
            .truncate(edit.policies);
        match edit.routes {
            Some(routes) => self.subnet_routes.insert(id, routes),
            None => self.subnet_routes.remove(&id),
        };
    }

    /// Subnet `vnet/subnet` of the design, found through the topology's VNet index (in the
    /// first VNet of that name, as a linear search finds it).
    fn subnet(&self, id: &str) -> Option<(&crate::model::VirtualNetwork, &crate::model::Subnet)> {
        self.topology.subnet(&self.design, id)
    }

    /// The compiled design, taken back (to edit and derive again without copying it).
    pub fn into_design(self) -> Design {
        self.design
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

    /// [`Engine::trace`]'s verdict and port span alone, for flows whose explanation nobody
    /// reads: the same walk, recording no hops and formatting no text (well under half the
    /// cost). Errs exactly when `trace` does.
    pub fn verdict(&self, flow: &Flow) -> Result<FlowVerdict, FlowError> {
        evaluate::verdict(self, flow)
    }
}

/// What [`Engine::edit_nsgs`] replaced: the NSGs (by index) and their compiled tables (by
/// name), to put back with [`Engine::restore_nsgs`].
#[must_use = "an NSG edit is undone by Engine::restore_nsgs"]
pub struct NsgEdit {
    saved: Vec<(usize, crate::model::NetworkSecurityGroup)>,
    compiled: Vec<(String, Option<Arc<CompiledNsg>>)>,
}

/// What [`Engine::edit_subnet`] replaced: the subnet (at VNet and subnet index), how many
/// service endpoint policies the design had, and the subnet's compiled routes.
#[must_use = "a subnet edit is undone by Engine::restore_subnet"]
pub struct SubnetEdit {
    place: (usize, usize),
    saved: crate::model::Subnet,
    policies: usize,
    routes: Option<Arc<SubnetRoutes>>,
}

/// Whether everything effective routes read besides the subnet itself is unchanged, with the
/// same VNets and subnets in the same places (private endpoint routes read other subnets'
/// network policies, so those must be unchanged everywhere).
fn routing_globals_equal(base: &Design, fixed: &Design) -> bool {
    base.options == fixed.options
        && base.route_tables == fixed.route_tables
        && base.gateways == fixed.gateways
        && base.private_endpoints == fixed.private_endpoints
        && base.peerings == fixed.peerings
        && base.virtual_networks.len() == fixed.virtual_networks.len()
        && base
            .virtual_networks
            .iter()
            .zip(&fixed.virtual_networks)
            .all(|(a, b)| {
                a.name == b.name
                    && a.region == b.region
                    && a.address_space == b.address_space
                    && a.subnets.len() == b.subnets.len()
                    && a.subnets.iter().zip(&b.subnets).all(|(x, y)| {
                        x.name == y.name
                            && x.prefix == y.prefix
                            && x.private_endpoint_network_policies
                                == y.private_endpoint_network_policies
                    })
            })
}

/// Whether the subnet's own fields that its effective routes read are unchanged.
fn subnet_routing_equal(a: &crate::model::Subnet, b: &crate::model::Subnet) -> bool {
    a.name == b.name
        && a.prefix == b.prefix
        && a.route_table == b.route_table
        && a.service_endpoints == b.service_endpoints
        && a.private_endpoint_network_policies == b.private_endpoint_network_policies
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
