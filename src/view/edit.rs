//! Editing a design: add, remove and rename VNets, subnets, computes, private endpoints and load
//! balancers, and add, replace or remove NSG rules; the policy edits of [`PolicyEdit`] (routes,
//! firewall rules and settings, service endpoint policies, resource firewalls, options), the
//! load balancer edits of [`LoadBalancerEdit`], the [`PerimeterEdit`]s and the
//! [`NetworkManagerEdit`]s are refused when they add a validation error. Every edit is a pure function returning a new design or a
//! message saying why it cannot be made; renames update every reference to the element.
//! [`RuleDraft`] holds an NSG rule as typed in the editor and parses it with per-field messages.

use crate::model::sorting;
use std::net::Ipv4Addr;

use ipnet::Ipv4Net;

use crate::engine::{paas_fqdn, parse_paas_fqdn};
use crate::model::{
    Access, AddressMatch, Compute, ComputeKind, Design, Direction, NetworkInterface, PaasKind,
    PortRange, PrivateDnsZone, PrivateEndpoint, Protocol, SecurityRule, Subnet, VirtualNetwork,
};

use super::lb_edit::{apply_load_balancer_edit, LoadBalancerEdit};
use super::network_manager_edit::{apply_network_manager_edit, NetworkManagerEdit};
use super::perimeter_edit::{apply_perimeter_edit, PerimeterEdit};
use super::policy_edit::{apply_policy_edit, PolicyEdit};
use super::toggles::free_address;

/// The element kinds the editor can add, remove and rename.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ElementKind {
    Vnet,
    /// Named `vnet/subnet`.
    Subnet,
    Compute,
    PrivateEndpoint,
    LoadBalancer,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Edit {
    AddVnet,
    AddSubnet {
        vnet: String,
    },
    AddCompute {
        subnet: String,
    },
    /// A private endpoint to `target` (a resource or workspace) in `subnet`, with its DNS zone.
    AddPrivateEndpoint {
        subnet: String,
        target: String,
    },
    Remove {
        kind: ElementKind,
        name: String,
    },
    Rename {
        kind: ElementKind,
        name: String,
        to: String,
    },
    /// Replaces rule `index` of the NSG, or appends when `index` is `None`.
    SetNsgRule {
        nsg: String,
        index: Option<usize>,
        rule: SecurityRule,
    },
    RemoveNsgRule {
        nsg: String,
        index: usize,
    },
    /// How a compute's NIC forwards transit traffic: IP forwarding (an appliance) and, with it,
    /// SNAT of what it forwards (SNAT without forwarding is stored off).
    SetForwarding {
        compute: String,
        ip_forwarding: bool,
        snat: bool,
    },
    /// The firewall whose explicit proxy a compute sends its HTTP and HTTPS requests to (an OS
    /// or application setting), or none. Refused when it adds a validation error.
    SetComputeProxy {
        compute: String,
        firewall: Option<String>,
    },
    /// Routes, firewall rules and settings, service endpoint policies, resource firewalls and
    /// options.
    Policy(PolicyEdit),
    /// Network security perimeters: profiles, access rules, associations.
    Perimeter(PerimeterEdit),
    /// Virtual Network Manager: network groups, admin rule collections and rules.
    NetworkManager(NetworkManagerEdit),
    /// A new internal load balancer, or a load balancer's frontends, pools, probes and rules.
    LoadBalancer(LoadBalancerEdit),
}

impl From<PerimeterEdit> for Edit {
    fn from(edit: PerimeterEdit) -> Self {
        Edit::Perimeter(edit)
    }
}

impl From<NetworkManagerEdit> for Edit {
    fn from(edit: NetworkManagerEdit) -> Self {
        Edit::NetworkManager(edit)
    }
}

/// Applies `edit` to a copy of `design`.
pub fn apply_edit(design: &Design, edit: &Edit) -> Result<Design, String> {
    let mut design = design.clone();
    match edit {
        Edit::AddVnet => add_vnet(&mut design),
        Edit::AddSubnet { vnet } => add_subnet(&mut design, vnet)?,
        Edit::AddCompute { subnet } => add_compute(&mut design, subnet)?,
        Edit::AddPrivateEndpoint { subnet, target } => {
            add_private_endpoint(&mut design, subnet, target)?
        }
        Edit::Remove { kind, name } => remove(&mut design, *kind, name)?,
        Edit::Rename { kind, name, to } => rename(&mut design, *kind, name, to)?,
        Edit::SetNsgRule { nsg, index, rule } => {
            let rules = &mut nsg_mut(&mut design, nsg)?.rules;
            match index {
                Some(i) => *rules.get_mut(*i).ok_or("no such rule")? = rule.clone(),
                None => rules.push(rule.clone()),
            }
        }
        Edit::RemoveNsgRule { nsg, index } => {
            let rules = &mut nsg_mut(&mut design, nsg)?.rules;
            if *index >= rules.len() {
                return Err("no such rule".to_string());
            }
            rules.remove(*index);
        }
        Edit::SetForwarding {
            compute,
            ip_forwarding,
            snat,
        } => {
            let nic = compute_mut(&mut design, compute)?
                .nic
                .as_mut()
                .ok_or_else(|| format!("{compute} has no network interface"))?;
            nic.ip_forwarding = *ip_forwarding;
            nic.snat = *snat && *ip_forwarding;
        }
        Edit::SetComputeProxy { compute, firewall } => refuse_new_errors(&mut design, |design| {
            compute_mut(design, compute)?.explicit_proxy = firewall.clone();
            Ok(())
        })?,
        Edit::Policy(edit) => {
            refuse_new_errors(&mut design, |design| apply_policy_edit(design, edit))?
        }
        Edit::LoadBalancer(edit) => {
            refuse_new_errors(&mut design, |design| apply_load_balancer_edit(design, edit))?
        }
        Edit::Perimeter(edit) => {
            refuse_new_errors(&mut design, |design| apply_perimeter_edit(design, edit))?
        }
        Edit::NetworkManager(edit) => refuse_new_errors(&mut design, |design| {
            apply_network_manager_edit(design, edit)
        })?,
    }
    Ok(design)
}

/// Makes `change`, refusing it (with the new errors' messages) when it adds validation errors.
fn refuse_new_errors(
    design: &mut Design,
    change: impl FnOnce(&mut Design) -> Result<(), String>,
) -> Result<(), String> {
    let before = error_messages(design);
    change(design)?;
    let added: Vec<String> = error_messages(design)
        .into_iter()
        .filter(|message| !before.contains(message))
        .collect();
    if !added.is_empty() {
        return Err(format!("the change is not applied: {}", added.join("; ")));
    }
    Ok(())
}

/// The validation errors of `design` as `element: message` (paths left out, so that errors
/// that only moved are not counted as new).
fn error_messages(design: &Design) -> Vec<String> {
    crate::model::validate(design)
        .into_iter()
        .filter(|d| d.is_error())
        .map(|d| format!("{}: {}", d.element, d.message))
        .collect()
}

fn nsg_mut<'d>(
    design: &'d mut Design,
    name: &str,
) -> Result<&'d mut crate::model::NetworkSecurityGroup, String> {
    design
        .network_security_groups
        .iter_mut()
        .find(|nsg| nsg.name == name)
        .ok_or_else(|| format!("there is no NSG named {name}"))
}

/// `base-1`, `base-2`… the first not taken.
fn unused_name(base: &str, taken: &[&str]) -> String {
    (1..)
        .map(|i| format!("{base}-{i}"))
        .find(|name| !taken.contains(&name.as_str()))
        .unwrap_or_else(|| base.to_string())
}

fn add_vnet(design: &mut Design) {
    let taken: Vec<&str> = design
        .virtual_networks
        .iter()
        .map(|v| v.name.as_str())
        .collect();
    let name = unused_name("vnet", &taken);
    let overlaps = |net: &Ipv4Net| {
        design
            .virtual_networks
            .iter()
            .flat_map(|v| &v.address_space)
            .any(|space| space.contains(&net.network()) || net.contains(&space.network()))
    };
    let space = (1..=254u8)
        .map(|i| Ipv4Net::new(Ipv4Addr::new(10, i, 0, 0), 16).unwrap_or_default())
        .find(|net| !overlaps(net))
        .unwrap_or_default();
    let region = design
        .virtual_networks
        .first()
        .map_or_else(|| "eastus".to_string(), |v| v.region.clone());
    design.virtual_networks.push(VirtualNetwork {
        name,
        region,
        address_space: vec![space],
        subnets: Vec::new(),
        dns_servers: Vec::new(),
    });
}

fn add_subnet(design: &mut Design, vnet_name: &str) -> Result<(), String> {
    let vnet = vnet_mut(design, vnet_name)?;
    let space = *vnet
        .address_space
        .first()
        .ok_or("the VNet has no address space")?;
    let free = space
        .subnets(24.max(space.prefix_len()))
        .map_err(|error| error.to_string())?
        .find(|candidate| {
            !vnet.subnets.iter().any(|s| {
                s.prefix.contains(&candidate.network()) || candidate.contains(&s.prefix.network())
            })
        })
        .ok_or_else(|| format!("{vnet_name} has no free /24 left"))?;
    let taken: Vec<&str> = vnet.subnets.iter().map(|s| s.name.as_str()).collect();
    let name = unused_name("subnet", &taken);
    vnet.subnets.push(Subnet {
        name,
        prefix: free,
        nsg: None,
        route_table: None,
        service_endpoints: Vec::new(),
        service_endpoint_policies: Vec::new(),
        private_endpoint_network_policies: Default::default(),
        nat_gateway_ip: None,
        private_by_api_version: None,
        default_outbound_access: true,
    });
    Ok(())
}

fn vnet_mut<'d>(design: &'d mut Design, name: &str) -> Result<&'d mut VirtualNetwork, String> {
    design
        .virtual_networks
        .iter_mut()
        .find(|v| v.name == name)
        .ok_or_else(|| format!("there is no VNet named {name}"))
}

fn compute_mut<'d>(design: &'d mut Design, name: &str) -> Result<&'d mut Compute, String> {
    design
        .computes
        .iter_mut()
        .find(|c| c.name == name)
        .ok_or_else(|| format!("there is no compute {name}"))
}

fn add_compute(design: &mut Design, subnet: &str) -> Result<(), String> {
    let private_ip =
        free_address(design, subnet).ok_or_else(|| format!("{subnet} has no free address"))?;
    let taken: Vec<&str> = design.computes.iter().map(|c| c.name.as_str()).collect();
    let workspace = design.workspaces.first().map(|w| w.name.clone());
    design.computes.push(Compute {
        name: unused_name("compute", &taken),
        kind: if workspace.is_some() {
            ComputeKind::ComputeCluster
        } else {
            ComputeKind::VirtualMachine
        },
        nic: Some(NetworkInterface {
            subnet: subnet.to_string(),
            private_ip,
            public_ip: None,
            nsg: None,
            asgs: Vec::new(),
            ip_forwarding: false,
            snat: false,
        }),
        workspace,
        node_communication: Default::default(),
        explicit_proxy: None,
    });
    Ok(())
}

/// The sub-resource and private DNS zone of a private endpoint to `target`, from the engine's
/// naming rules (storage endpoints use `blob`).
fn endpoint_naming(design: &Design, target: &str) -> Option<(String, String)> {
    let (kind, region) = match design.resources.iter().find(|r| r.name == target) {
        Some(resource) => (Some(resource.kind), resource.region.clone()),
        None => (
            None,
            design
                .workspaces
                .iter()
                .find(|w| w.name == target)?
                .region
                .clone(),
        ),
    };
    let sub_resource = match kind {
        Some(PaasKind::StorageAccount) => "blob",
        Some(PaasKind::KeyVault) => "vault",
        Some(PaasKind::ContainerRegistry) => "registry",
        None => "amlworkspace",
    };
    let fqdn = paas_fqdn(kind, target, sub_resource, &region, design.cloud);
    let zone = parse_paas_fqdn(&fqdn, design.cloud)?.private_zone;
    Some((sub_resource.to_string(), zone))
}

/// Adds a private endpoint to `target` in `subnet` and its DNS zone, linked to the subnet's VNet.
pub fn add_private_endpoint(design: &mut Design, subnet: &str, target: &str) -> Result<(), String> {
    let (sub_resource, zone) = endpoint_naming(design, target)
        .ok_or_else(|| format!("{target} is not a resource or workspace of the design"))?;
    let private_ip =
        free_address(design, subnet).ok_or_else(|| format!("{subnet} has no free address"))?;
    let taken: Vec<&str> = design
        .private_endpoints
        .iter()
        .map(|e| e.name.as_str())
        .collect();
    let base = format!("pe-{target}-{sub_resource}");
    let name = if taken.contains(&base.as_str()) {
        unused_name(&base, &taken)
    } else {
        base
    };
    design.private_endpoints.push(PrivateEndpoint {
        name,
        subnet: subnet.to_string(),
        private_ip,
        target: target.to_string(),
        sub_resource,
        connection_state: Default::default(),
        dns_zones: vec![zone.clone()],
    });
    let vnet = subnet
        .split_once('/')
        .map(|(vnet, _)| vnet.to_string())
        .unwrap_or_default();
    match design.private_dns_zones.iter_mut().find(|z| z.name == zone) {
        Some(existing) => {
            if !existing.vnet_links.contains(&vnet) {
                existing.vnet_links.push(vnet);
            }
        }
        None => design.private_dns_zones.push(PrivateDnsZone {
            name: zone,
            vnet_links: vec![vnet],
            records: Vec::new(),
            fallback_to_internet: false,
        }),
    }
    Ok(())
}

fn remove(design: &mut Design, kind: ElementKind, name: &str) -> Result<(), String> {
    let before = element_count(design);
    match kind {
        ElementKind::Vnet => design.virtual_networks.retain(|v| v.name != name),
        ElementKind::Subnet => {
            let (vnet, subnet) = name
                .split_once('/')
                .ok_or("a subnet is named vnet/subnet")?;
            vnet_mut(design, vnet)?.subnets.retain(|s| s.name != subnet);
        }
        ElementKind::Compute => {
            design.computes.retain(|c| c.name != name);
            // A removed compute's NIC leaves the backend pools it was in.
            for pool in design
                .load_balancers
                .iter_mut()
                .flat_map(|lb| lb.backend_pools.iter_mut())
            {
                pool.members.retain(|m| m != name);
            }
        }
        ElementKind::PrivateEndpoint => design.private_endpoints.retain(|e| e.name != name),
        ElementKind::LoadBalancer => design.load_balancers.retain(|lb| lb.name != name),
    }
    if element_count(design) == before {
        return Err(format!("there is nothing named {name} to remove"));
    }
    Ok(())
}

fn element_count(design: &Design) -> usize {
    design.virtual_networks.len()
        + design
            .virtual_networks
            .iter()
            .map(|v| v.subnets.len())
            .sum::<usize>()
        + design.computes.len()
        + design.private_endpoints.len()
        + design.load_balancers.len()
}

fn rename(design: &mut Design, kind: ElementKind, name: &str, to: &str) -> Result<(), String> {
    let to = to.trim();
    let valid = !to.is_empty() && !to.contains('/') && !to.chars().any(char::is_control);
    if !valid {
        return Err(format!("`{to}` is not a valid name (non-empty, no `/`)"));
    }
    match kind {
        ElementKind::Vnet => {
            if design.virtual_networks.iter().any(|v| v.name == to) {
                return Err(format!("a VNet named {to} already exists"));
            }
            vnet_mut(design, name)?.name = to.to_string();
            rename_vnet_references(design, name, to);
        }
        ElementKind::Subnet => {
            let (vnet_name, subnet_name) = name
                .split_once('/')
                .ok_or("a subnet is named vnet/subnet")?;
            let vnet = vnet_mut(design, vnet_name)?;
            if vnet.subnets.iter().any(|s| s.name == to) {
                return Err(format!("{vnet_name} already has a subnet named {to}"));
            }
            let subnet = vnet
                .subnets
                .iter_mut()
                .find(|s| s.name == subnet_name)
                .ok_or_else(|| format!("there is no subnet {name}"))?;
            subnet.name = to.to_string();
            let new_id = format!("{vnet_name}/{to}");
            for_each_subnet_reference(design, |reference| {
                if reference == name {
                    *reference = new_id.clone();
                }
            });
        }
        ElementKind::Compute => {
            if design.computes.iter().any(|c| c.name == to) {
                return Err(format!("a compute named {to} already exists"));
            }
            let compute = compute_mut(design, name)?;
            compute.name = to.to_string();
            let members = design
                .load_balancers
                .iter_mut()
                .flat_map(|lb| lb.backend_pools.iter_mut())
                .flat_map(|pool| pool.members.iter_mut());
            for member in members.filter(|m| *m == name) {
                *member = to.to_string();
            }
        }
        ElementKind::PrivateEndpoint => {
            if design.private_endpoints.iter().any(|e| e.name == to) {
                return Err(format!("a private endpoint named {to} already exists"));
            }
            let endpoint = design
                .private_endpoints
                .iter_mut()
                .find(|e| e.name == name)
                .ok_or_else(|| format!("there is no private endpoint {name}"))?;
            endpoint.name = to.to_string();
        }
        ElementKind::LoadBalancer => {
            if design.load_balancers.iter().any(|lb| lb.name == to) {
                return Err(format!("a load balancer named {to} already exists"));
            }
            design
                .load_balancers
                .iter_mut()
                .find(|lb| lb.name == name)
                .ok_or_else(|| format!("there is no load balancer {name}"))?
                .name = to.to_string();
        }
    }
    Ok(())
}

fn rename_vnet_references(design: &mut Design, from: &str, to: &str) {
    let prefix = format!("{from}/");
    for_each_subnet_reference(design, |reference| {
        if let Some(subnet) = reference.strip_prefix(&prefix) {
            *reference = format!("{to}/{subnet}");
        }
    });
    let vnet_references = design
        .peerings
        .iter_mut()
        .flat_map(|p| [&mut p.local_vnet, &mut p.remote_vnet])
        .chain(design.gateways.iter_mut().map(|g| &mut g.vnet))
        .chain(
            design
                .private_dns_zones
                .iter_mut()
                .flat_map(|z| z.vnet_links.iter_mut()),
        );
    for reference in vnet_references {
        if reference == from {
            *reference = to.to_string();
        }
    }
}

/// Calls `visit` on every `vnet/subnet` reference of the design.
fn for_each_subnet_reference(design: &mut Design, mut visit: impl FnMut(&mut String)) {
    let references = design
        .computes
        .iter_mut()
        .filter_map(|c| c.nic.as_mut().map(|nic| &mut nic.subnet))
        .chain(design.private_endpoints.iter_mut().map(|e| &mut e.subnet))
        .chain(design.firewalls.iter_mut().map(|f| &mut f.subnet))
        .chain(
            design
                .load_balancers
                .iter_mut()
                .flat_map(|lb| lb.frontends.iter_mut())
                .filter_map(|f| f.subnet.as_mut()),
        )
        .chain(
            design
                .resources
                .iter_mut()
                .flat_map(|r| r.network_acls.virtual_network_rules.iter_mut()),
        );
    for reference in references {
        visit(reference);
    }
}

/// An NSG rule as typed in the editor: every field is text until it parses.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RuleDraft {
    pub name: String,
    pub priority: String,
    pub direction: String,
    pub access: String,
    pub protocol: String,
    pub source: String,
    pub destination: String,
    pub destination_ports: String,
}

/// A message about one field of a draft.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    pub field: &'static str,
    pub message: String,
}

impl RuleDraft {
    /// The draft of an existing rule (lists comma-separated).
    pub fn of(rule: &SecurityRule) -> Self {
        let join = |items: Vec<String>| items.join(", ");
        RuleDraft {
            name: rule.name.clone(),
            priority: rule.priority.to_string(),
            direction: format!("{:?}", rule.direction),
            access: format!("{:?}", rule.access),
            protocol: rule.protocol.to_string(),
            source: join(rule.source.iter().map(|a| a.to_string()).collect()),
            destination: join(rule.destination.iter().map(|a| a.to_string()).collect()),
            destination_ports: join(
                rule.destination_ports
                    .iter()
                    .map(|p| p.to_string())
                    .collect(),
            ),
        }
    }

    /// A new outbound allow rule, for the "add rule" form.
    pub fn new_rule(priority: u32) -> Self {
        RuleDraft {
            name: "NewRule".to_string(),
            priority: priority.to_string(),
            direction: "Outbound".to_string(),
            access: "Allow".to_string(),
            protocol: "tcp".to_string(),
            source: "VirtualNetwork".to_string(),
            destination: "*".to_string(),
            destination_ports: "443".to_string(),
        }
    }

    /// Parses the draft, keeping the rule's other fields (ASGs, source ports, description)
    /// from `base`; every problem is reported, one per field.
    pub fn parse(&self, base: Option<&SecurityRule>) -> Result<SecurityRule, Vec<FieldError>> {
        let mut errors = Vec::new();
        let mut error = |field: &'static str, message: String| {
            errors.push(FieldError { field, message });
        };
        let name = self.name.trim().to_string();
        if name.is_empty() {
            error("name", "the rule needs a name".to_string());
        }
        let priority = match self.priority.trim().parse::<u32>() {
            Ok(p) if (100..=4096).contains(&p) => p,
            _ => {
                error(
                    "priority",
                    "priority is a number from 100 to 4096".to_string(),
                );
                0
            }
        };
        let direction = match self.direction.trim().to_ascii_lowercase().as_str() {
            "inbound" => Direction::Inbound,
            "outbound" => Direction::Outbound,
            _ => {
                error("direction", "direction is Inbound or Outbound".to_string());
                Direction::Inbound
            }
        };
        let access = match self.access.trim().to_ascii_lowercase().as_str() {
            "allow" => Access::Allow,
            "deny" => Access::Deny,
            _ => {
                error("access", "access is Allow or Deny".to_string());
                Access::Deny
            }
        };
        let protocol = self.protocol.parse::<Protocol>().unwrap_or_else(|e| {
            error("protocol", e.to_string());
            Protocol::Any
        });
        let source = parse_list::<AddressMatch>(&self.source).unwrap_or_else(|e| {
            error("source", e);
            Vec::new()
        });
        let destination = parse_list::<AddressMatch>(&self.destination).unwrap_or_else(|e| {
            error("destination", e);
            Vec::new()
        });
        let destination_ports =
            parse_list::<PortRange>(&self.destination_ports).unwrap_or_else(|e| {
                error("destination_ports", e);
                Vec::new()
            });
        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(SecurityRule {
            name,
            priority,
            direction,
            access,
            protocol,
            source,
            source_ports: base.map_or_else(|| vec![PortRange::ANY], |b| b.source_ports.clone()),
            destination,
            destination_ports,
            source_asgs: base.map(|b| b.source_asgs.clone()).unwrap_or_default(),
            destination_asgs: base.map(|b| b.destination_asgs.clone()).unwrap_or_default(),
            description: base.map(|b| b.description.clone()).unwrap_or_default(),
        })
    }
}

/// The choices of the rule form's enumerated fields, as `RuleDraft::parse` reads them.
pub const RULE_DIRECTIONS: [&str; 2] = ["Inbound", "Outbound"];
pub const RULE_ACCESSES: [&str; 2] = ["Allow", "Deny"];
pub const RULE_PROTOCOLS: [&str; 6] = ["tcp", "udp", "icmp", "esp", "ah", "any"];

/// An NSG's rules in the order Azure evaluates them, as the editor lists them: inbound then
/// outbound, each by priority (a tie, which validation flags, by name), with each rule's index
/// in the design for editing.
pub fn rules_in_order(rules: &[SecurityRule]) -> Vec<(usize, &SecurityRule)> {
    let mut ordered: Vec<(usize, &SecurityRule)> = rules.iter().enumerate().collect();
    sorting::sort_by(&mut ordered, |(_, a), (_, b)| {
        let direction = |rule: &SecurityRule| rule.direction == Direction::Outbound;
        (direction(a), a.priority, &a.name).cmp(&(direction(b), b.priority, &b.name))
    });
    ordered
}

/// A comma-separated list, at least one item.
fn parse_list<T>(text: &str) -> Result<Vec<T>, String>
where
    T: std::str::FromStr,
    T::Err: std::fmt::Display,
{
    let items: Vec<&str> = text
        .split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .collect();
    if items.is_empty() {
        return Err("give at least one value (comma-separated)".to_string());
    }
    items
        .into_iter()
        .map(|item| item.parse::<T>().map_err(|e| e.to_string()))
        .collect()
}

/// The target a new private endpoint gets: the first resource or workspace without one.
pub fn next_endpoint_target(design: &Design) -> Option<String> {
    let has_endpoint = |name: &str| design.private_endpoints.iter().any(|e| e.target == name);
    design
        .resources
        .iter()
        .filter(|r| r.owner != crate::model::Owner::Attacker)
        .map(|r| r.name.as_str())
        .chain(design.workspaces.iter().map(|w| w.name.as_str()))
        .find(|name| !has_endpoint(name))
        .map(str::to_string)
}
