//! Structural validation of a design: every problem is reported (never only the first), each
//! with the element and the JSON path where it is. Semantic checks that need Azure knowledge
//! (service tag names, route next hops) are reported by the engine when it compiles a design.

use crate::model::sorting;
use std::collections::{BTreeMap, BTreeSet};
use std::net::Ipv4Addr;

use ipnet::Ipv4Net;

use super::{
    AddressMatch, Design, Diagnostic, Direction, ManagedIsolationMode, NetworkInterface,
    NextHopType, PaasKind, SecurityRule, SCHEMA_VERSION,
};

mod admin_rules;
mod firewall_features;
mod firewalls;
mod hub_spoke;
mod load_balancers;
mod managed_network;
mod names;
mod paas_rules;
mod perimeter;

/// Validates a design's structure and references. Errors make evaluation meaningless;
/// warnings point at likely mistakes.
pub fn validate(design: &Design) -> Vec<Diagnostic> {
    let mut validator = Validator::new(design);
    validator.check_schema();
    validator.check_size();
    validator.check_unique_names();
    validator.check_vnets();
    validator.check_nsgs();
    validator.check_route_tables();
    validator.check_next_hop_reachability();
    validator.check_express_route_next_hops();
    validator.check_firewall_public_ips();
    validator.check_vnet_rules_have_endpoints();
    validator.check_managed_fqdn_rules();
    validator.check_network_managers();
    validator.check_computes();
    validator.check_private_endpoints();
    validator.check_dns_zones();
    validator.check_firewalls();
    validator.check_load_balancers();
    validator.check_service_endpoint_policies();
    validator.check_resources();
    validator.check_perimeters();
    validator.check_explicit_proxies();
    validator.check_managed_network_details();
    validator.check_workspaces();
    sorting::sort(&mut validator.diagnostics);
    validator.diagnostics.dedup();
    validator.diagnostics
}

/// Whether `c` can change how a terminal shows text: control characters (C0, DEL, C1) and the
/// bidirectional overrides and isolates that reorder what is displayed.
pub fn is_control_character(c: char) -> bool {
    c.is_control()
        || matches!(c, '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// Service endpoint policy aliases seen in Microsoft's docs and provider code (§5.1; the
/// overview pages do not list them, so an unknown one is a warning, not an error).
pub(crate) const KNOWN_SEP_ALIASES: [&str; 7] = [
    "/services/Azure",
    "/services/Azure/Batch",
    "/services/Azure/DataFactory",
    "/services/Azure/MachineLearning",
    "/services/Azure/ManagedInstance",
    "/services/Azure/WebPI",
    "/services/Azure/Databricks",
];

/// Sub-resources (`groupIds`) each private-link target kind offers.
pub(crate) fn sub_resources_of(kind: Option<PaasKind>) -> &'static [&'static str] {
    match kind {
        Some(PaasKind::StorageAccount) => &[
            "blob",
            "blob_secondary",
            "file",
            "file_secondary",
            "queue",
            "queue_secondary",
            "table",
            "table_secondary",
            "web",
            "web_secondary",
            "dfs",
            "dfs_secondary",
        ],
        Some(PaasKind::KeyVault) => &["vault"],
        Some(PaasKind::ContainerRegistry) => &["registry"],
        None => &["amlworkspace"],
    }
}

/// The kinds of named element a reference can require (looked up in the validator's name sets,
/// which a check borrows without copying).
#[derive(Clone, Copy)]
enum Known {
    Vnet,
    Nsg,
    Asg,
    RouteTable,
    IpGroup,
    Zone,
    Sep,
    Policy,
}

struct Validator<'a> {
    design: &'a Design,
    diagnostics: Vec<Diagnostic>,
    subnets: BTreeMap<String, Ipv4Net>,
    vnets: BTreeSet<&'a str>,
    nsgs: BTreeSet<&'a str>,
    asgs: BTreeSet<&'a str>,
    route_tables: BTreeSet<&'a str>,
    ip_groups: BTreeSet<&'a str>,
    zones: BTreeSet<&'a str>,
    seps: BTreeSet<&'a str>,
    policies: BTreeSet<&'a str>,
}

impl<'a> Validator<'a> {
    fn new(design: &'a Design) -> Self {
        let subnets = design
            .virtual_networks
            .iter()
            .flat_map(|vnet| {
                vnet.subnets
                    .iter()
                    .map(move |s| (format!("{}/{}", vnet.name, s.name), s.prefix))
            })
            .collect();
        Validator {
            design,
            diagnostics: Vec::new(),
            subnets,
            vnets: design
                .virtual_networks
                .iter()
                .map(|v| v.name.as_str())
                .collect(),
            nsgs: design
                .network_security_groups
                .iter()
                .map(|n| n.name.as_str())
                .collect(),
            asgs: design
                .application_security_groups
                .iter()
                .map(String::as_str)
                .collect(),
            route_tables: design
                .route_tables
                .iter()
                .map(|r| r.name.as_str())
                .collect(),
            ip_groups: design.ip_groups.iter().map(|g| g.name.as_str()).collect(),
            zones: design
                .private_dns_zones
                .iter()
                .map(|z| z.name.as_str())
                .collect(),
            seps: design
                .service_endpoint_policies
                .iter()
                .map(|s| s.name.as_str())
                .collect(),
            policies: design
                .firewall_policies
                .iter()
                .map(|p| p.name.as_str())
                .collect(),
        }
    }

    fn error(&mut self, element: &str, path: String, message: String) {
        self.diagnostics
            .push(Diagnostic::error(element, path, message));
    }

    fn warning(&mut self, element: &str, path: String, message: String) {
        self.diagnostics
            .push(Diagnostic::warning(element, path, message));
    }

    fn require(&mut self, known: Known, what: &str, name: &str, element: &str, path: String) {
        let names = match known {
            Known::Vnet => &self.vnets,
            Known::Nsg => &self.nsgs,
            Known::Asg => &self.asgs,
            Known::RouteTable => &self.route_tables,
            Known::IpGroup => &self.ip_groups,
            Known::Zone => &self.zones,
            Known::Sep => &self.seps,
            Known::Policy => &self.policies,
        };
        if !names.contains(name) {
            self.error(
                element,
                path,
                format!("refers to {what} `{name}`, which is not in the design"),
            );
        }
    }

    fn require_subnet(&mut self, subnet: &str, element: &str, path: String) -> Option<Ipv4Net> {
        let found = self.subnets.get(subnet).copied();
        if found.is_none() {
            let hint = if subnet.contains('/') {
                ""
            } else {
                " (subnets are written `vnet/subnet`)"
            };
            self.error(
                element,
                path,
                format!("refers to subnet `{subnet}`, which is not in the design{hint}"),
            );
        }
        found
    }

    fn check_schema(&mut self) {
        let name = self.design.name.clone();
        self.check_control_characters(&name, "$.name");
        if self.design.schema_version != SCHEMA_VERSION {
            self.error(
                &self.design.name.clone(),
                "$.schema_version".into(),
                format!(
                    "schema_version {} is not supported (this build reads version {SCHEMA_VERSION})",
                    self.design.schema_version
                ),
            );
        }
    }

    fn check_vnets(&mut self) {
        let design = self.design;
        for (v, vnet) in design.virtual_networks.iter().enumerate() {
            if vnet.address_space.is_empty() {
                self.error(
                    &vnet.name,
                    format!("$.virtual_networks[{v}].address_space"),
                    "a VNet needs at least one address range".into(),
                );
            }
            let mut seen_subnets = BTreeSet::new();
            for (s, subnet) in vnet.subnets.iter().enumerate() {
                let path = format!("$.virtual_networks[{v}].subnets[{s}]");
                let id = format!("{}/{}", vnet.name, subnet.name);
                self.check_control_characters(&id, &format!("{path}.name"));
                if !seen_subnets.insert(subnet.name.as_str()) {
                    self.error(
                        &id,
                        format!("{path}.name"),
                        format!(
                            "duplicate subnet name `{}` in VNet `{}`",
                            subnet.name, vnet.name
                        ),
                    );
                }
                if !vnet
                    .address_space
                    .iter()
                    .any(|space| space.contains(&subnet.prefix))
                {
                    self.error(
                        &id,
                        format!("{path}.prefix"),
                        format!("subnet {} is outside the VNet address space", subnet.prefix),
                    );
                }
                for (t, other) in vnet.subnets.iter().enumerate().skip(s + 1) {
                    if overlaps(subnet.prefix, other.prefix) {
                        self.error(&id, format!("{path}.prefix"), format!("subnet {} overlaps subnet `{}` ({}) at $.virtual_networks[{v}].subnets[{t}]", subnet.prefix, other.name, other.prefix));
                    }
                }
                if let Some(nsg) = &subnet.nsg {
                    self.require(Known::Nsg, "NSG", nsg, &id, format!("{path}.nsg"));
                }
                if let Some(table) = &subnet.route_table {
                    self.require(
                        Known::RouteTable,
                        "route table",
                        table,
                        &id,
                        format!("{path}.route_table"),
                    );
                }
                let endpoints: BTreeSet<String> = subnet
                    .service_endpoints
                    .iter()
                    .map(|e| e.to_ascii_lowercase())
                    .collect();
                if endpoints.contains("microsoft.storage")
                    && endpoints.contains("microsoft.storage.global")
                {
                    self.error(&id, format!("{path}.service_endpoints"), "Microsoft.Storage and Microsoft.Storage.Global cannot both be enabled on one subnet".into());
                }
                for (p, policy) in subnet.service_endpoint_policies.iter().enumerate() {
                    self.require(
                        Known::Sep,
                        "service endpoint policy",
                        policy,
                        &id,
                        format!("{path}.service_endpoint_policies[{p}]"),
                    );
                }
                if !subnet.service_endpoint_policies.is_empty()
                    && !endpoints.iter().any(|e| e.starts_with("microsoft.storage"))
                {
                    self.error(&id, format!("{path}.service_endpoint_policies"), "a service endpoint policy needs the Microsoft.Storage service endpoint on the subnet".into());
                }
            }
        }
        for (i, peering) in design.peerings.iter().enumerate() {
            for (field, vnet) in [
                ("local_vnet", &peering.local_vnet),
                ("remote_vnet", &peering.remote_vnet),
            ] {
                self.require(
                    Known::Vnet,
                    "VNet",
                    vnet,
                    &peering.name,
                    format!("$.peerings[{i}].{field}"),
                );
            }
        }
        for (i, gateway) in design.gateways.iter().enumerate() {
            self.require(
                Known::Vnet,
                "VNet",
                &gateway.vnet,
                &gateway.name,
                format!("$.gateways[{i}].vnet"),
            );
        }
    }

    fn check_size(&mut self) {
        if let Some(message) = super::oversize(self.design) {
            self.error("design", "$".to_string(), message);
        }
    }

    fn check_nsgs(&mut self) {
        let design = self.design;
        for (n, nsg) in design.network_security_groups.iter().enumerate() {
            if nsg.rules.len() as u32 > design.options.max_rules_per_nsg {
                self.warning(
                    &nsg.name,
                    format!("$.network_security_groups[{n}].rules"),
                    format!(
                        "{} rules exceed the configured limit of {} per NSG",
                        nsg.rules.len(),
                        design.options.max_rules_per_nsg
                    ),
                );
            }
            let mut priorities: BTreeMap<(Direction, u32), &str> = BTreeMap::new();
            for (r, rule) in nsg.rules.iter().enumerate() {
                // Written only for a diagnostic: a million rules are checked without formatting.
                let path = || format!("$.network_security_groups[{n}].rules[{r}]");
                let element = || format!("{}/{}", nsg.name, rule.name);
                if !(100..=4096).contains(&rule.priority) {
                    self.error(
                        &element(),
                        format!("{}.priority", path()),
                        format!("priority {} is outside 100-4096", rule.priority),
                    );
                }
                if let Some(first) = priorities.insert((rule.direction, rule.priority), &rule.name)
                {
                    self.error(
                        &element(),
                        format!("{}.priority", path()),
                        format!(
                            "priority {} is already used by {:?} rule `{first}`",
                            rule.priority, rule.direction
                        ),
                    );
                }
                if !valid_rule_name(&rule.name) {
                    self.error(&element(), format!("{}.name", path()), "rule names are 1-80 word characters, `.`, `-` or `_`, starting with a word character".into());
                }
                self.check_rule_sides(rule, &element, &path);
            }
        }
    }

    fn check_rule_sides(
        &mut self,
        rule: &SecurityRule,
        element: &dyn Fn() -> String,
        path: &dyn Fn() -> String,
    ) {
        for (side, asgs, prefixes) in [
            ("source", &rule.source_asgs, &rule.source),
            ("destination", &rule.destination_asgs, &rule.destination),
        ] {
            for (a, asg) in asgs.iter().enumerate() {
                self.require(
                    Known::Asg,
                    "application security group",
                    asg,
                    &element(),
                    format!("{}.{side}_asgs[{a}]", path()),
                );
            }
            let tags = prefixes
                .iter()
                .filter(|p| matches!(p, AddressMatch::Tag(_)))
                .count();
            if tags > 1 {
                self.warning(&element(), format!("{}.{side}", path()), format!("{tags} service tags on one side: Azure accepts at most one service tag per rule side"));
            }
            if prefixes.is_empty() && asgs.is_empty() {
                self.error(
                    &element(),
                    format!("{}.{side}", path()),
                    format!("the {side} is empty: give `*`, prefixes, a service tag or ASGs"),
                );
            }
        }
    }

    fn check_route_tables(&mut self) {
        let design = self.design;
        let forwarding_ips: BTreeSet<Ipv4Addr> = design
            .firewalls
            .iter()
            .map(|f| f.private_ip)
            .chain(
                design
                    .computes
                    .iter()
                    .filter_map(|c| c.nic.as_ref())
                    .filter(|nic| nic.ip_forwarding)
                    .map(|nic| nic.private_ip),
            )
            .chain(
                design
                    .load_balancers
                    .iter()
                    .flat_map(|lb| &lb.frontends)
                    .filter_map(|f| f.private_ip),
            )
            .collect();
        for (t, table) in design.route_tables.iter().enumerate() {
            let mut prefixes = BTreeSet::new();
            for (r, route) in table.routes.iter().enumerate() {
                let path = format!("$.route_tables[{t}].routes[{r}]");
                let element = format!("{}/{}", table.name, route.name);
                if route.address_prefix == AddressMatch::Any {
                    self.error(
                        &element,
                        format!("{path}.address_prefix"),
                        "a route needs a CIDR prefix or a service tag, not `*`".into(),
                    );
                }
                if !prefixes.insert(route.address_prefix.to_string()) {
                    self.error(
                        &element,
                        format!("{path}.address_prefix"),
                        format!(
                            "another route in `{}` already has prefix {}",
                            table.name, route.address_prefix
                        ),
                    );
                }
                match (route.next_hop_type, route.next_hop_ip) {
                    (NextHopType::VirtualAppliance, None) => self.error(&element, format!("{path}.next_hop_ip"), "next hop VirtualAppliance needs next_hop_ip".into()),
                    (NextHopType::VirtualAppliance, Some(ip)) if !forwarding_ips.contains(&ip) => self.warning(&element, format!("{path}.next_hop_ip"), format!("next hop {ip} is neither an Azure Firewall, a NIC with IP forwarding nor an internal load balancer frontend: traffic is dropped")),
                    (NextHopType::VirtualAppliance, Some(_)) => {}
                    (_, Some(_)) => self.warning(&element, format!("{path}.next_hop_ip"), format!("next_hop_ip is ignored for next hop type {:?}", route.next_hop_type)),
                    (_, None) => {}
                }
            }
        }
    }

    fn check_nic(
        &mut self,
        nic: &NetworkInterface,
        element: &str,
        path: &str,
        used_ips: &mut BTreeMap<Ipv4Addr, String>,
    ) {
        if let Some(prefix) = self.require_subnet(&nic.subnet, element, format!("{path}.subnet")) {
            self.check_ip_in_subnet(
                nic.private_ip,
                prefix,
                element,
                format!("{path}.private_ip"),
            );
        }
        if let Some(first) = used_ips.insert(nic.private_ip, element.to_string()) {
            self.error(
                element,
                format!("{path}.private_ip"),
                format!("{} is already used by `{first}`", nic.private_ip),
            );
        }
        if let Some(nsg) = &nic.nsg {
            self.require(Known::Nsg, "NSG", nsg, element, format!("{path}.nsg"));
        }
        for (a, asg) in nic.asgs.iter().enumerate() {
            self.require(
                Known::Asg,
                "application security group",
                asg,
                element,
                format!("{path}.asgs[{a}]"),
            );
        }
    }

    fn check_ip_in_subnet(&mut self, ip: Ipv4Addr, prefix: Ipv4Net, element: &str, path: String) {
        if !prefix.contains(&ip) {
            self.error(
                element,
                path,
                format!("{ip} is outside its subnet {prefix}"),
            );
        } else {
            let offset = u32::from(ip) - u32::from(prefix.network());
            if offset < 4 || ip == prefix.broadcast() {
                self.error(
                    element,
                    path,
                    format!("{ip} is one of the five addresses Azure reserves in {prefix}"),
                );
            }
        }
    }

    fn check_computes(&mut self) {
        let mut used_ips = BTreeMap::new();
        for (i, compute) in self.design.computes.iter().enumerate() {
            let path = format!("$.computes[{i}]");
            if let Some(nic) = &compute.nic {
                self.check_nic(nic, &compute.name, &format!("{path}.nic"), &mut used_ips);
            }
            let workspace = compute
                .workspace
                .as_ref()
                .and_then(|name| self.design.workspaces.iter().find(|w| &w.name == name));
            if let (Some(name), None) = (&compute.workspace, workspace) {
                self.error(
                    &compute.name,
                    format!("{path}.workspace"),
                    format!("refers to workspace `{name}`, which is not in the design"),
                );
            }
            let managed = workspace.is_some_and(|w| {
                w.managed_network.isolation_mode != ManagedIsolationMode::Disabled
            });
            match (&compute.nic, managed) {
                (None, false) => self.error(&compute.name, format!("{path}.nic"), "a compute outside a managed VNet needs a nic".into()),
                (Some(_), true) => self.error(&compute.name, format!("{path}.nic"), "compute of a workspace with a managed VNet lives in the Microsoft-managed VNet: remove its nic".into()),
                _ => {}
            }
        }
        for (i, firewall) in self.design.firewalls.iter().enumerate() {
            if let Some(first) = used_ips.insert(firewall.private_ip, firewall.name.clone()) {
                self.error(
                    &firewall.name,
                    format!("$.firewalls[{i}].private_ip"),
                    format!("{} is already used by `{first}`", firewall.private_ip),
                );
            }
        }
        for (i, endpoint) in self.design.private_endpoints.iter().enumerate() {
            if let Some(first) = used_ips.insert(endpoint.private_ip, endpoint.name.clone()) {
                self.error(
                    &endpoint.name,
                    format!("$.private_endpoints[{i}].private_ip"),
                    format!("{} is already used by `{first}`", endpoint.private_ip),
                );
            }
        }
    }

    fn check_private_endpoints(&mut self) {
        let design = self.design;
        // Targets by name, the first resource of a name as a linear search finds it.
        let mut resource_kinds: BTreeMap<&str, PaasKind> = BTreeMap::new();
        for resource in &design.resources {
            resource_kinds
                .entry(&resource.name)
                .or_insert(resource.kind);
        }
        let workspaces: BTreeSet<&str> =
            design.workspaces.iter().map(|w| w.name.as_str()).collect();
        for (i, endpoint) in design.private_endpoints.iter().enumerate() {
            let path = format!("$.private_endpoints[{i}]");
            if let Some(prefix) =
                self.require_subnet(&endpoint.subnet, &endpoint.name, format!("{path}.subnet"))
            {
                self.check_ip_in_subnet(
                    endpoint.private_ip,
                    prefix,
                    &endpoint.name,
                    format!("{path}.private_ip"),
                );
            }
            let target_kind = resource_kinds
                .get(endpoint.target.as_str())
                .map(|&kind| Some(kind));
            let is_workspace = workspaces.contains(endpoint.target.as_str());
            match (target_kind, is_workspace) {
                (None, false) => self.error(&endpoint.name, format!("{path}.target"), format!("target `{}` is not a storage account, key vault, registry or workspace of the design", endpoint.target)),
                (kind, _) => {
                    let allowed = sub_resources_of(kind.flatten());
                    if !allowed.iter().any(|s| s.eq_ignore_ascii_case(&endpoint.sub_resource)) {
                        self.error(&endpoint.name, format!("{path}.sub_resource"), format!("`{}` is not a sub-resource of `{}` (expected one of: {})", endpoint.sub_resource, endpoint.target, allowed.join(", ")));
                    }
                }
            }
            for (z, zone) in endpoint.dns_zones.iter().enumerate() {
                self.require(
                    Known::Zone,
                    "private DNS zone",
                    zone,
                    &endpoint.name,
                    format!("{path}.dns_zones[{z}]"),
                );
            }
        }
    }

    fn check_dns_zones(&mut self) {
        for (i, zone) in self.design.private_dns_zones.iter().enumerate() {
            for (l, vnet) in zone.vnet_links.iter().enumerate() {
                self.require(
                    Known::Vnet,
                    "VNet",
                    vnet,
                    &zone.name,
                    format!("$.private_dns_zones[{i}].vnet_links[{l}]"),
                );
            }
        }
    }

    fn check_service_endpoint_policies(&mut self) {
        for (p, policy) in self.design.service_endpoint_policies.iter().enumerate() {
            for (d, definition) in policy.definitions.iter().enumerate() {
                let path = format!("$.service_endpoint_policies[{p}].definitions[{d}]");
                let service = definition.service.to_ascii_lowercase();
                if service != "microsoft.storage" && service != "global" {
                    self.error(&policy.name, format!("{path}.service"), format!("service `{}` is not supported: policies cover Microsoft.Storage (and Global aliases)", definition.service));
                }
                for (r, resource) in definition.service_resources.iter().enumerate() {
                    let is_alias = resource.starts_with("/services/");
                    if service == "global" && !is_alias {
                        self.error(&policy.name, format!("{path}.service_resources[{r}]"), format!("`{resource}`: Global definitions list aliases such as /services/Azure/MachineLearning"));
                    }
                    if is_alias
                        && !KNOWN_SEP_ALIASES
                            .iter()
                            .any(|known| known.eq_ignore_ascii_case(resource))
                    {
                        self.warning(&policy.name, format!("{path}.service_resources[{r}]"), format!("alias `{resource}` is not one vnetlab knows ({}): check its spelling", KNOWN_SEP_ALIASES.join(", ")));
                    }
                    if service == "microsoft.storage" && is_alias {
                        self.error(
                            &policy.name,
                            format!("{path}.service_resources[{r}]"),
                            format!(
                                "alias `{resource}` belongs in a definition with service `Global`"
                            ),
                        );
                    }
                }
            }
        }
    }

    fn check_resources(&mut self) {
        let design = self.design;
        for (i, resource) in design.resources.iter().enumerate() {
            let path = format!("$.resources[{i}].network_acls");
            let acls = &resource.network_acls;
            let rules = (acls.virtual_network_rules.len() + acls.ip_rules.len()) as u32;
            if rules > design.options.max_storage_network_rules {
                self.warning(
                    &resource.name,
                    path.clone(),
                    format!(
                        "{rules} network rules exceed the configured limit of {}",
                        design.options.max_storage_network_rules
                    ),
                );
            }
            for (v, subnet) in acls.virtual_network_rules.iter().enumerate() {
                self.require_subnet(
                    subnet,
                    &resource.name,
                    format!("{path}.virtual_network_rules[{v}]"),
                );
            }
            for (r, ip_rule) in acls.ip_rules.iter().enumerate() {
                if is_private(ip_rule.addr()) {
                    self.error(
                        &resource.name,
                        format!("{path}.ip_rules[{r}]"),
                        format!("IP rules accept public addresses only, not {ip_rule}"),
                    );
                }
            }
        }
    }

    fn check_workspaces(&mut self) {
        let design = self.design;
        for (i, workspace) in design.workspaces.iter().enumerate() {
            let path = format!("$.workspaces[{i}]");
            for (field, name, kind) in [
                (
                    "storage_account",
                    &workspace.storage_account,
                    PaasKind::StorageAccount,
                ),
                ("key_vault", &workspace.key_vault, PaasKind::KeyVault),
                (
                    "container_registry",
                    &workspace.container_registry,
                    PaasKind::ContainerRegistry,
                ),
            ] {
                if let Some(name) = name {
                    if !design
                        .resources
                        .iter()
                        .any(|r| &r.name == name && r.kind == kind)
                    {
                        self.error(
                            &workspace.name,
                            format!("{path}.{field}"),
                            format!("`{name}` is not a {kind:?} of the design"),
                        );
                    }
                }
            }
        }
    }
}

fn overlaps(a: Ipv4Net, b: Ipv4Net) -> bool {
    a.contains(&b.network()) || b.contains(&a.network())
}

fn valid_rule_name(name: &str) -> bool {
    let word = |c: char| c.is_alphanumeric() || c == '_';
    !name.is_empty()
        && name.chars().count() <= 80
        && name.starts_with(word)
        && name.chars().all(|c| word(c) || c == '.' || c == '-')
        && name.ends_with(word)
}

/// RFC 1918, RFC 6598 and other non-public space (loopback, link-local).
pub(crate) fn is_private(ip: Ipv4Addr) -> bool {
    ip.is_private()
        || ip.is_loopback()
        || ip.is_link_local()
        || (ip.octets()[0] == 100 && (ip.octets()[1] & 0xc0) == 64)
}
