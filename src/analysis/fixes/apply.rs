//! How each [`Change`](super::Change) edits a design: attach a service endpoint policy, edit or
//! add NSG rules, route through a firewall, narrow firewall rules, close public access or turn a
//! managed VNet to approved-only outbound. Each returns whether the design changed.

use crate::engine::service_tags::CanonicalTag;
use crate::engine::{paas_fqdn, parse_paas_fqdn};
use crate::model::{
    Access, AddressMatch, ApplicationProtocol, ApplicationProtocolPort, ApplicationRule, Cloud,
    Design, Direction, ManagedIsolationMode, NetworkSecurityGroup, NextHopType, OutboundRule,
    PaasKind, PortRange, Protocol, PublicNetworkAccess, Route, RouteTable, RuleAction,
    RuleCollection, SecurityRule, SepDefinition, ServiceEndpointPolicy, Subnet,
};

use super::positions::Positions;
use super::{is_tag, FIX_PREFIX};
use crate::analysis::catalogue::{AUTOML_HOST, STUDIO_HOST};
use crate::analysis::synthetic::{host_name, AML_SEP_ALIAS};

pub(super) fn subnet_of<'d>(design: &'d Design, at: &Positions, id: &str) -> Option<&'d Subnet> {
    let (vnet, subnet) = id.split_once('/')?;
    let v = at.vnet(design, vnet)?;
    design.virtual_networks[v]
        .subnets
        .iter()
        .find(|s| s.name == subnet)
}

pub(super) fn subnet_mut<'d>(
    design: &'d mut Design,
    at: &Positions,
    id: &str,
) -> Option<&'d mut Subnet> {
    let (vnet, subnet) = id.split_once('/')?;
    let v = at.vnet(design, vnet)?;
    design.virtual_networks[v]
        .subnets
        .iter_mut()
        .find(|s| s.name == subnet)
}

pub(super) fn region_of_subnet(design: &Design, at: &Positions, id: &str) -> String {
    let vnet = id.split('/').next().unwrap_or_default();
    at.vnet(design, vnet)
        .map(|v| crate::engine::normalise_region(&design.virtual_networks[v].region))
        .unwrap_or_default()
}

fn fix_name(kind: &str, subnet: &str) -> String {
    format!("{FIX_PREFIX}{kind}-{}", subnet.replace('/', "-"))
}

pub(super) fn attach_sep(design: &mut Design, at: &Positions, subnet_id: &str) -> bool {
    let region = region_of_subnet(design, at, subnet_id);
    let accounts: Vec<String> = design
        .workspaces
        .iter()
        .filter_map(|w| w.storage_account.as_ref())
        .filter_map(|name| at.resource(design, name))
        .map(|r| &design.resources[r])
        .map(|r| {
            format!(
                "/subscriptions/{}/resourceGroups/{}/providers/Microsoft.Storage/storageAccounts/{}",
                r.subscription, r.resource_group, r.name
            )
        })
        .collect();
    let name = fix_name("sep", subnet_id);
    let Some(subnet) = subnet_mut(design, at, subnet_id) else {
        return false;
    };
    if !subnet
        .service_endpoints
        .iter()
        .any(|s| s.to_ascii_lowercase().starts_with("microsoft.storage"))
    {
        subnet.service_endpoints.push("Microsoft.Storage".into());
    }
    subnet.service_endpoint_policies.push(name.clone());
    let mut definitions = Vec::new();
    if !accounts.is_empty() {
        definitions.push(SepDefinition {
            name: "workspace-storage".into(),
            service: "Microsoft.Storage".into(),
            service_resources: accounts,
        });
    }
    definitions.push(SepDefinition {
        name: "aml-alias".into(),
        service: "Global".into(),
        service_resources: vec![AML_SEP_ALIAS.into()],
    });
    design
        .service_endpoint_policies
        .push(ServiceEndpointPolicy {
            name,
            region: Some(region),
            definitions,
        });
    true
}

pub(super) fn edit_nsg_rule(
    design: &mut Design,
    at: &Positions,
    nsg: &str,
    rule: &str,
    edit: impl FnOnce(&mut SecurityRule) -> bool,
) -> bool {
    at.nsg(design, nsg)
        .and_then(|n| {
            design.network_security_groups[n]
                .rules
                .iter_mut()
                .find(|r| r.name == rule)
        })
        .is_some_and(edit)
}

pub(super) fn remove_nsg_tag(
    design: &mut Design,
    at: &Positions,
    nsg: &str,
    rule: &str,
    tag: &str,
) -> bool {
    let Some(n) = at.nsg(design, nsg) else {
        return false;
    };
    let group = &mut design.network_security_groups[n];
    let Some(index) = group.rules.iter().position(|r| r.name == rule) else {
        return false;
    };
    let destinations = &mut group.rules[index].destination;
    let before = destinations.len();
    destinations.retain(|a| !is_tag(a, tag, false));
    let changed = destinations.len() != before;
    if destinations.is_empty() {
        group.rules.remove(index);
    }
    changed
}

pub(super) fn deny_internet(design: &mut Design, at: &Positions, subnet_id: &str) -> bool {
    let nsg_name = match subnet_of(design, at, subnet_id).map(|s| s.nsg.clone()) {
        Some(Some(name)) => name,
        Some(None) => {
            let name = fix_name("nsg", subnet_id);
            design.network_security_groups.push(NetworkSecurityGroup {
                name: name.clone(),
                rules: Default::default(),
            });
            if let Some(subnet) = subnet_mut(design, at, subnet_id) {
                subnet.nsg = Some(name.clone());
            }
            name
        }
        None => return false,
    };
    let Some(n) = at.nsg(design, &nsg_name) else {
        return false;
    };
    let nsg = &mut design.network_security_groups[n];
    let rule_name = format!("{FIX_PREFIX}deny-internet-outbound");
    if nsg.rules.iter().any(|r| r.name == rule_name) {
        return false;
    }
    let outbound: Vec<&SecurityRule> = nsg
        .rules
        .iter()
        .filter(|r| r.direction == Direction::Outbound)
        .collect();
    let mut priority = outbound
        .iter()
        .filter(|r| r.access == Access::Allow)
        .map(|r| r.priority + 1)
        .max()
        .unwrap_or(100)
        .max(100);
    while outbound.iter().any(|r| r.priority == priority) {
        priority += 1;
    }
    if priority > 4096 {
        return false;
    }
    nsg.rules.push(SecurityRule {
        name: rule_name,
        priority,
        direction: Direction::Outbound,
        access: Access::Deny,
        protocol: Protocol::Any,
        source: vec![AddressMatch::Any],
        source_ports: vec![PortRange::ANY],
        destination: vec![AddressMatch::Tag("Internet".into())],
        destination_ports: vec![PortRange::ANY],
        source_asgs: Vec::new(),
        destination_asgs: Vec::new(),
        description: "added by vnetlab analysis".into(),
    });
    true
}

/// The rule-collection list holding the collection the engine names `container`
/// (`firewall/collection` or `policy/group/collection`), and its index there.
fn collection_in<'d>(
    design: &'d mut Design,
    container: &str,
) -> Option<(&'d mut Vec<RuleCollection>, usize)> {
    let classic = design
        .firewalls
        .iter_mut()
        .map(|f| (f.name.clone(), &mut f.rule_collections));
    let policies = design.firewall_policies.iter_mut().flat_map(|policy| {
        let name = policy.name.clone();
        policy
            .rule_collection_groups
            .iter_mut()
            .map(move |g| (format!("{name}/{}", g.name), &mut g.rule_collections))
    });
    classic.chain(policies).find_map(|(prefix, list)| {
        let index = list
            .iter()
            .position(|c| format!("{prefix}/{}", c.name()) == container)?;
        Some((list, index))
    })
}

pub(super) fn swap_front_door(design: &mut Design, container: &str, rule_name: &str) -> bool {
    let studio = host_name(STUDIO_HOST, design.cloud, "");
    let Some((collections, index)) = collection_in(design, container) else {
        return false;
    };
    let RuleCollection::Network {
        rules,
        action: RuleAction::Allow,
        ..
    } = &mut collections[index]
    else {
        return false;
    };
    let Some(index) = rules.iter().position(|r| r.name == rule_name) else {
        return false;
    };
    let rule = &mut rules[index];
    let before = rule.destinations.len();
    rule.destinations
        .retain(|a| !is_tag(a, "AzureFrontDoor.Frontend", false));
    if rule.destinations.len() == before {
        return false;
    }
    if rule.destinations.is_empty()
        && rule.destination_fqdns.is_empty()
        && rule.destination_ip_groups.is_empty()
    {
        rules.remove(index);
    }
    let priority = collections
        .iter()
        .map(RuleCollection::priority)
        .max()
        .map_or(65000, |p| (p + 10).min(65000));
    collections.push(RuleCollection::Application {
        name: format!("{FIX_PREFIX}studio-fqdns"),
        priority,
        action: RuleAction::Allow,
        rules: vec![ApplicationRule {
            name: "studio-and-automl".into(),
            sources: vec![AddressMatch::Any],
            source_ip_groups: Vec::new(),
            protocols: vec![ApplicationProtocolPort {
                protocol: ApplicationProtocol::Https,
                port: 443,
            }],
            target_fqdns: vec![studio, AUTOML_HOST.to_string()],
            fqdn_tags: Vec::new(),
        }],
    });
    true
}

/// The storage sub-resource a wildcard like `*.blob.core.windows.net` stands for.
fn storage_wildcard(pattern: &str, cloud: Cloud) -> Option<String> {
    let suffix = pattern.strip_prefix("*.")?;
    parse_paas_fqdn(&format!("account.{suffix}"), cloud)
        .filter(|name| name.resource == "account")
        .map(|name| name.sub_resource)
        .filter(|sub| !matches!(sub.as_str(), "vault" | "registry" | "amlworkspace"))
}

pub(super) fn narrow_storage_fqdns(design: &mut Design, container: &str, rule_name: &str) -> bool {
    let cloud = design.cloud;
    let accounts: Vec<String> = design
        .workspaces
        .iter()
        .filter_map(|w| w.storage_account.clone())
        .collect();
    let Some((collections, index)) = collection_in(design, container) else {
        return false;
    };
    let RuleCollection::Application { rules, .. } = &mut collections[index] else {
        return false;
    };
    let mut changed = false;
    for rule in rules.iter_mut().filter(|r| r.name == rule_name) {
        let mut narrowed = Vec::new();
        for fqdn in &rule.target_fqdns {
            match storage_wildcard(fqdn, cloud) {
                Some(sub_resource) => {
                    changed = true;
                    narrowed.extend(accounts.iter().map(|account| {
                        paas_fqdn(
                            Some(PaasKind::StorageAccount),
                            account,
                            &sub_resource,
                            "",
                            cloud,
                        )
                    }));
                }
                None => narrowed.push(fqdn.clone()),
            }
        }
        narrowed.dedup();
        rule.target_fqdns = narrowed;
    }
    changed
}

pub(super) fn route_through_firewall(
    design: &mut Design,
    at: &Positions,
    subnet_id: &str,
    firewall: &str,
) -> bool {
    let Some(firewall_ip) = design
        .firewalls
        .iter()
        .find(|f| f.name == firewall)
        .map(|f| f.private_ip)
    else {
        return false;
    };
    let needs_inbound_return = design.computes.iter().any(|c| {
        c.kind.is_aml_compute()
            && c.nic
                .as_ref()
                .is_some_and(|n| n.subnet == subnet_id && n.public_ip.is_some())
    });
    let table_name = match subnet_of(design, at, subnet_id).map(|s| s.route_table.clone()) {
        Some(Some(name)) => name,
        Some(None) => {
            let name = fix_name("rt", subnet_id);
            design.route_tables.push(RouteTable {
                name: name.clone(),
                routes: Vec::new(),
                disable_gateway_propagation: false,
            });
            if let Some(subnet) = subnet_mut(design, at, subnet_id) {
                subnet.route_table = Some(name.clone());
            }
            name
        }
        None => return false,
    };
    let Some(t) = at.route_table(design, &table_name) else {
        return false;
    };
    let table = &mut design.route_tables[t];
    let default: AddressMatch = AddressMatch::Prefix(Default::default());
    table.routes.retain(|r| r.address_prefix != default);
    table.routes.push(Route {
        name: format!("{FIX_PREFIX}default-to-firewall"),
        address_prefix: default,
        next_hop_type: NextHopType::VirtualAppliance,
        next_hop_ip: Some(firewall_ip),
    });
    let has_aml_route = table
        .routes
        .iter()
        .any(|r| is_tag(&r.address_prefix, "AzureMachineLearning", false));
    if needs_inbound_return && !has_aml_route {
        table.routes.push(Route {
            name: format!("{FIX_PREFIX}aml-inbound-return"),
            address_prefix: AddressMatch::Tag("AzureMachineLearning".into()),
            next_hop_type: NextHopType::Internet,
            next_hop_ip: None,
        });
    }
    true
}

pub(super) fn disable_public_access(design: &mut Design, at: &Positions, target: &str) -> bool {
    if let Some(r) = at.resource(design, target) {
        let resource = &mut design.resources[r];
        let changed = resource.public_network_access != PublicNetworkAccess::Disabled;
        resource.public_network_access = PublicNetworkAccess::Disabled;
        return changed;
    }
    if let Some(w) = at.workspace(design, target) {
        let workspace = &mut design.workspaces[w];
        let changed = workspace.public_network_access != PublicNetworkAccess::Disabled;
        workspace.public_network_access = PublicNetworkAccess::Disabled;
        return changed;
    }
    false
}

pub(super) fn approved_outbound_only(
    design: &mut Design,
    at: &Positions,
    workspace_name: &str,
) -> bool {
    let cloud = design.cloud;
    let Some(w) = at.workspace(design, workspace_name) else {
        return false;
    };
    let workspace = &mut design.workspaces[w];
    let network = &mut workspace.managed_network;
    if network.isolation_mode == ManagedIsolationMode::AllowOnlyApprovedOutbound {
        return false;
    }
    network.isolation_mode = ManagedIsolationMode::AllowOnlyApprovedOutbound;
    let region = crate::engine::normalise_region(&workspace.region);
    let tag_rule = |tag: String, protocol: Protocol, ports: &[u16]| OutboundRule::ServiceTag {
        name: format!("{FIX_PREFIX}{}", tag.to_ascii_lowercase().replace('.', "-")),
        tag,
        protocol,
        ports: ports.iter().map(|&p| PortRange::single(p)).collect(),
    };
    let regional = |service: &str| CanonicalTag::new(service, Some(&region)).to_string();
    let mut rules = vec![
        tag_rule(
            "AzureMachineLearning".into(),
            Protocol::Tcp,
            &[443, 8787, 18881],
        ),
        tag_rule("AzureActiveDirectory".into(), Protocol::Tcp, &[80, 443]),
        tag_rule(regional("BatchNodeManagement"), Protocol::Tcp, &[443]),
        tag_rule("AzureResourceManager".into(), Protocol::Tcp, &[443]),
        tag_rule("AzureFrontDoor.FirstParty".into(), Protocol::Tcp, &[443]),
        tag_rule(
            regional("MicrosoftContainerRegistry"),
            Protocol::Tcp,
            &[443],
        ),
        tag_rule("AzureMonitor".into(), Protocol::Tcp, &[443]),
    ];
    if let Some(OutboundRule::ServiceTag { name, .. }) = rules.first_mut() {
        name.push_str("-tcp");
    }
    rules.push(OutboundRule::ServiceTag {
        name: format!("{FIX_PREFIX}azuremachinelearning-udp"),
        tag: "AzureMachineLearning".into(),
        protocol: Protocol::Udp,
        ports: vec![PortRange::single(5831)],
    });
    for fqdn in [
        host_name(STUDIO_HOST, cloud, &region),
        AUTOML_HOST.to_string(),
    ] {
        rules.push(OutboundRule::Fqdn {
            name: format!("{FIX_PREFIX}{}", fqdn.replace('.', "-")),
            fqdn,
            ports: Vec::new(),
        });
    }
    network.outbound_rules.extend(rules);
    true
}
