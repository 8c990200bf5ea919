//! The one-click toggles of the design panel. Each toggle reads an on/off state from a design
//! (`None` when it does not apply, e.g. no firewall to route through) and [`Toggle::flip`] is a
//! pure function `Design -> Design` setting the opposite state. They act on the "focus" of the
//! design: the subnet of its first AML compute (or first compute), the workspace and the
//! workspace's storage account.

use crate::model::sorting;
use std::net::Ipv4Addr;

use crate::model::{
    Access, AddressMatch, ApplicationProtocol, ApplicationProtocolPort, ApplicationRule, Design,
    Direction, ManagedIsolationMode, NetworkSecurityGroup, NextHopType, NodeCommunication,
    PaasKind, PortRange, PrivateEndpoint, Protocol, PublicNetworkAccess, Route, RouteTable,
    RuleAction, RuleCollection, SecurityRule, SepDefinition, ServiceEndpointPolicy, Subnet,
};

use super::edit::add_private_endpoint;

/// The alias that lets AML computes reach Microsoft-managed storage through a SEP.
pub const AML_SEP_ALIAS: &str = "/services/Azure/MachineLearning";
const STORAGE_ENDPOINT: &str = "Microsoft.Storage";
const FRONT_DOOR_TAG: &str = "AzureFrontDoor.Frontend";
const FRONT_DOOR_FQDNS: [&str; 2] = [
    "ml.azure.com",
    "automlresources-prod-d0eaehh7g8andvav.b02.azurefd.net",
];
const FRONT_DOOR_COLLECTION: &str = "frontdoor-fqdns";
const LOCKDOWN_RULE: &str = "DenyInternetOutbound";
const DEFAULT_ROUTE: &str = "default-to-firewall";

/// One toggle: its id (used in `data-testid`), a label and what "on" means.
pub struct Toggle {
    pub id: &'static str,
    pub label: &'static str,
    pub help: &'static str,
    read: fn(&Design) -> Option<bool>,
    write: fn(&mut Design, bool),
}

impl Toggle {
    /// Whether the toggle is on, or `None` when it does not apply to the design.
    pub fn state(&self, design: &Design) -> Option<bool> {
        (self.read)(design)
    }

    /// The design with the toggle set the other way; `None` when it does not apply.
    pub fn flip(&self, design: &Design) -> Option<Design> {
        let on = self.state(design)?;
        let mut flipped = design.clone();
        (self.write)(&mut flipped, !on);
        Some(flipped)
    }
}

/// Every toggle, in display order.
pub fn all() -> &'static [Toggle] {
    &TOGGLES
}

pub fn find(id: &str) -> Option<&'static Toggle> {
    TOGGLES.iter().find(|toggle| toggle.id == id)
}

static TOGGLES: [Toggle; 12] = [
    Toggle {
        id: "sep-attached",
        label: "Service endpoint policy attached",
        help: "A storage service endpoint policy on the compute subnet (only listed accounts are reachable)",
        read: sep_attached,
        write: set_sep_attached,
    },
    Toggle {
        id: "sep-alias",
        label: "SEP includes the AML alias",
        help: "The policy's Global definition /services/Azure/MachineLearning (AML's managed storage)",
        read: sep_alias,
        write: set_sep_alias,
    },
    Toggle {
        id: "storage-service-endpoint",
        label: "Storage service endpoint",
        help: "Microsoft.Storage service endpoint on the compute subnet",
        read: storage_service_endpoint,
        write: set_storage_service_endpoint,
    },
    Toggle {
        id: "storage-private-endpoint",
        label: "Storage via private endpoint",
        help: "On: the workspace storage has a blob private endpoint (no service endpoint). Off: service endpoint",
        read: storage_private_endpoint,
        write: set_storage_private_endpoint,
    },
    Toggle {
        id: "compute-public-ip",
        label: "Compute public IP",
        help: "AML computes have a public IP (off: no-public-IP compute)",
        read: compute_public_ip,
        write: set_compute_public_ip,
    },
    Toggle {
        id: "classic-node-communication",
        label: "Classic node communication",
        help: "Batch classic mode (off: simplified node communication)",
        read: classic_node_communication,
        write: set_classic_node_communication,
    },
    Toggle {
        id: "firewall-default-route",
        label: "Firewall with 0/0 UDR",
        help: "The compute subnet's default route goes to the Azure Firewall",
        read: firewall_default_route,
        write: set_firewall_default_route,
    },
    Toggle {
        id: "frontdoor-fqdn-rules",
        label: "Front Door via FQDN rules",
        help: "On: firewall application rules for ml.azure.com and the AutoML host. Off: NSG allow to the AzureFrontDoor.Frontend tag",
        read: frontdoor_fqdn_rules,
        write: set_frontdoor_fqdn_rules,
    },
    Toggle {
        id: "nsg-outbound-lockdown",
        label: "NSG outbound lockdown",
        help: "Deny Internet outbound below the service-tag allows on the compute subnet's NSG",
        read: nsg_outbound_lockdown,
        write: set_nsg_outbound_lockdown,
    },
    Toggle {
        id: "managed-vnet",
        label: "Managed VNet (approved outbound only)",
        help: "The workspace's managed network isolation: allow only approved outbound",
        read: managed_vnet,
        write: set_managed_vnet,
    },
    Toggle {
        id: "private-dns-linked",
        label: "Private DNS zones linked",
        help: "Every private DNS zone is linked to the compute VNet",
        read: private_dns_linked,
        write: set_private_dns_linked,
    },
    Toggle {
        id: "storage-public-access",
        label: "Storage public network access",
        help: "The workspace storage account accepts traffic on its public endpoint",
        read: storage_public_access,
        write: set_storage_public_access,
    },
];

// ---- the focus of the toggles ------------------------------------------------------------

/// `(vnet index, subnet index)` of the first AML compute's subnet, else the first compute's.
fn compute_subnet_index(design: &Design) -> Option<(usize, usize)> {
    let with_nic = |aml_only: bool| {
        design
            .computes
            .iter()
            .filter(|compute| !aml_only || compute.kind.is_aml_compute())
            .find_map(|compute| compute.nic.as_ref())
    };
    let nic = with_nic(true).or_else(|| with_nic(false))?;
    let (vnet_name, subnet_name) = nic.subnet.split_once('/')?;
    let vnet = design
        .virtual_networks
        .iter()
        .position(|v| v.name == vnet_name)?;
    let subnet = design.virtual_networks[vnet]
        .subnets
        .iter()
        .position(|s| s.name == subnet_name)?;
    Some((vnet, subnet))
}

fn compute_subnet(design: &Design) -> Option<&Subnet> {
    let (vnet, subnet) = compute_subnet_index(design)?;
    Some(&design.virtual_networks[vnet].subnets[subnet])
}

fn compute_subnet_mut(design: &mut Design) -> Option<&mut Subnet> {
    let (vnet, subnet) = compute_subnet_index(design)?;
    Some(&mut design.virtual_networks[vnet].subnets[subnet])
}

fn compute_subnet_id(design: &Design) -> Option<String> {
    let (vnet, subnet) = compute_subnet_index(design)?;
    let vnet = &design.virtual_networks[vnet];
    Some(format!("{}/{}", vnet.name, vnet.subnets[subnet].name))
}

fn compute_vnet_name(design: &Design) -> Option<String> {
    let (vnet, _) = compute_subnet_index(design)?;
    Some(design.virtual_networks[vnet].name.clone())
}

/// The workspace's storage account, else the first storage account of yours.
fn workspace_storage_index(design: &Design) -> Option<usize> {
    let named = design
        .workspaces
        .first()
        .and_then(|workspace| workspace.storage_account.as_deref());
    design.resources.iter().position(|resource| match named {
        Some(name) => resource.name == name,
        None => {
            resource.kind == PaasKind::StorageAccount
                && resource.owner == crate::model::Owner::Yours
        }
    })
}

fn has_storage_endpoint(subnet: &Subnet) -> bool {
    subnet
        .service_endpoints
        .iter()
        .any(|endpoint| endpoint.starts_with(STORAGE_ENDPOINT))
}

fn add_storage_endpoint(subnet: &mut Subnet) {
    if !has_storage_endpoint(subnet) {
        subnet.service_endpoints.push(STORAGE_ENDPOINT.to_string());
    }
}

// ---- service endpoint policies -----------------------------------------------------------

fn sep_attached(design: &Design) -> Option<bool> {
    Some(!compute_subnet(design)?.service_endpoint_policies.is_empty())
}

fn set_sep_attached(design: &mut Design, on: bool) {
    if !on {
        if let Some(subnet) = compute_subnet_mut(design) {
            subnet.service_endpoint_policies.clear();
        }
        return;
    }
    let policy = match design.service_endpoint_policies.first() {
        Some(policy) => policy.name.clone(),
        None => {
            let mut resources: Vec<String> = workspace_storage_index(design)
                .map(|i| design.resources[i].name.clone())
                .into_iter()
                .collect();
            sorting::sort(&mut resources);
            let mut definitions = vec![SepDefinition {
                name: "aml-alias".to_string(),
                service: "Global".to_string(),
                service_resources: vec![AML_SEP_ALIAS.to_string()],
            }];
            if !resources.is_empty() {
                definitions.insert(
                    0,
                    SepDefinition {
                        name: "workspace-storage".to_string(),
                        service: STORAGE_ENDPOINT.to_string(),
                        service_resources: resources,
                    },
                );
            }
            design
                .service_endpoint_policies
                .push(ServiceEndpointPolicy {
                    name: "sep-aml".to_string(),
                    region: None,
                    definitions,
                });
            "sep-aml".to_string()
        }
    };
    if let Some(subnet) = compute_subnet_mut(design) {
        add_storage_endpoint(subnet);
        subnet.service_endpoint_policies.push(policy);
    }
}

fn sep_alias(design: &Design) -> Option<bool> {
    let attached = &compute_subnet(design)?.service_endpoint_policies;
    if attached.is_empty() {
        return None;
    }
    Some(
        design
            .service_endpoint_policies
            .iter()
            .filter(|policy| attached.contains(&policy.name))
            .flat_map(|policy| &policy.definitions)
            .any(|definition| {
                definition
                    .service_resources
                    .iter()
                    .any(|r| r == AML_SEP_ALIAS)
            }),
    )
}

fn set_sep_alias(design: &mut Design, on: bool) {
    let Some(attached) = compute_subnet(design).map(|s| s.service_endpoint_policies.clone()) else {
        return;
    };
    let mut policies = design
        .service_endpoint_policies
        .iter_mut()
        .filter(|policy| attached.contains(&policy.name));
    if on {
        if let Some(policy) = policies.next() {
            policy.definitions.push(SepDefinition {
                name: "aml-alias".to_string(),
                service: "Global".to_string(),
                service_resources: vec![AML_SEP_ALIAS.to_string()],
            });
        }
        return;
    }
    for policy in policies {
        for definition in &mut policy.definitions {
            definition.service_resources.retain(|r| r != AML_SEP_ALIAS);
        }
        policy
            .definitions
            .retain(|definition| !definition.service_resources.is_empty());
    }
}

// ---- storage: service endpoint, private endpoint, public access --------------------------

fn storage_service_endpoint(design: &Design) -> Option<bool> {
    Some(has_storage_endpoint(compute_subnet(design)?))
}

fn set_storage_service_endpoint(design: &mut Design, on: bool) {
    if let Some(subnet) = compute_subnet_mut(design) {
        if on {
            add_storage_endpoint(subnet);
        } else {
            subnet
                .service_endpoints
                .retain(|endpoint| !endpoint.starts_with(STORAGE_ENDPOINT));
        }
    }
}

fn is_storage_blob_endpoint(endpoint: &PrivateEndpoint, storage: &str) -> bool {
    endpoint.target == storage && endpoint.sub_resource == "blob"
}

fn storage_private_endpoint(design: &Design) -> Option<bool> {
    compute_subnet(design)?;
    let storage = &design.resources[workspace_storage_index(design)?].name;
    Some(
        design
            .private_endpoints
            .iter()
            .any(|endpoint| is_storage_blob_endpoint(endpoint, storage)),
    )
}

fn set_storage_private_endpoint(design: &mut Design, on: bool) {
    let (Some(storage), Some(compute_subnet)) = (
        workspace_storage_index(design).map(|i| design.resources[i].name.clone()),
        compute_subnet_id(design),
    ) else {
        return;
    };
    set_storage_service_endpoint(design, !on);
    if !on {
        design
            .private_endpoints
            .retain(|endpoint| !is_storage_blob_endpoint(endpoint, &storage));
        return;
    }
    let subnet = design
        .private_endpoints
        .first()
        .map_or(compute_subnet, |endpoint| endpoint.subnet.clone());
    // Without a free address the design is left with the service endpoint removed, which
    // the flows then show; the toggle never panics.
    let _ = add_private_endpoint(design, &subnet, &storage);
}

/// The first address of `subnet` (`vnet/subnet`) after Azure's five reserved ones that no NIC,
/// endpoint, firewall or load balancer frontend uses.
pub fn free_address(design: &Design, subnet: &str) -> Option<Ipv4Addr> {
    let (vnet_name, subnet_name) = subnet.split_once('/')?;
    let prefix = design
        .virtual_networks
        .iter()
        .find(|vnet| vnet.name == vnet_name)?
        .subnets
        .iter()
        .find(|s| s.name == subnet_name)?
        .prefix;
    let used: Vec<Ipv4Addr> = design
        .computes
        .iter()
        .filter_map(|c| c.nic.as_ref().map(|nic| nic.private_ip))
        .chain(design.private_endpoints.iter().map(|e| e.private_ip))
        .chain(design.firewalls.iter().map(|f| f.private_ip))
        .chain(
            design
                .load_balancers
                .iter()
                .flat_map(|lb| &lb.frontends)
                .filter_map(|f| f.private_ip),
        )
        .collect();
    prefix.hosts().skip(3).find(|ip| !used.contains(ip))
}

fn storage_public_access(design: &Design) -> Option<bool> {
    let storage = &design.resources[workspace_storage_index(design)?];
    Some(storage.public_network_access == PublicNetworkAccess::Enabled)
}

fn set_storage_public_access(design: &mut Design, on: bool) {
    if let Some(i) = workspace_storage_index(design) {
        design.resources[i].public_network_access = if on {
            PublicNetworkAccess::Enabled
        } else {
            PublicNetworkAccess::Disabled
        };
    }
}

// ---- AML compute -------------------------------------------------------------------------

fn aml_computes_with_nic(design: &Design) -> impl Iterator<Item = &crate::model::Compute> {
    design
        .computes
        .iter()
        .filter(|compute| compute.kind.is_aml_compute() && compute.nic.is_some())
}

fn compute_public_ip(design: &Design) -> Option<bool> {
    let mut computes = aml_computes_with_nic(design).peekable();
    computes.peek()?;
    Some(computes.any(|c| c.nic.as_ref().is_some_and(|nic| nic.public_ip.is_some())))
}

fn set_compute_public_ip(design: &mut Design, on: bool) {
    let aml_nics = design
        .computes
        .iter_mut()
        .filter(|compute| compute.kind.is_aml_compute())
        .filter_map(|compute| compute.nic.as_mut());
    for (i, nic) in (4u8..).zip(aml_nics) {
        nic.public_ip = on.then(|| Ipv4Addr::new(52, 160, 0, i));
    }
}

fn classic_node_communication(design: &Design) -> Option<bool> {
    let mut computes = design
        .computes
        .iter()
        .filter(|c| c.kind.is_aml_compute())
        .peekable();
    computes.peek()?;
    Some(computes.any(|c| c.node_communication == NodeCommunication::Classic))
}

fn set_classic_node_communication(design: &mut Design, on: bool) {
    for compute in design
        .computes
        .iter_mut()
        .filter(|c| c.kind.is_aml_compute())
    {
        compute.node_communication = if on {
            NodeCommunication::Classic
        } else {
            NodeCommunication::Simplified
        };
    }
}

// ---- firewall ----------------------------------------------------------------------------

fn is_default_route_to(route: &Route, firewall_ip: Ipv4Addr) -> bool {
    route.address_prefix == AddressMatch::Prefix(Default::default())
        && route.next_hop_type == NextHopType::VirtualAppliance
        && route.next_hop_ip == Some(firewall_ip)
}

fn firewall_default_route(design: &Design) -> Option<bool> {
    let firewall_ip = design.firewalls.first()?.private_ip;
    let table = compute_subnet(design)?.route_table.as_ref();
    Some(table.is_some_and(|name| {
        design
            .route_tables
            .iter()
            .filter(|table| &table.name == name)
            .flat_map(|table| &table.routes)
            .any(|route| is_default_route_to(route, firewall_ip))
    }))
}

fn set_firewall_default_route(design: &mut Design, on: bool) {
    let Some(firewall_ip) = design.firewalls.first().map(|f| f.private_ip) else {
        return;
    };
    let Some(subnet) = compute_subnet_mut(design) else {
        return;
    };
    let default_name = format!("rt-{}", subnet.name);
    let table_name = subnet.route_table.get_or_insert(default_name).clone();
    if !design.route_tables.iter().any(|t| t.name == table_name) {
        design.route_tables.push(RouteTable {
            name: table_name.clone(),
            routes: Vec::new(),
            disable_gateway_propagation: false,
        });
    }
    let Some(table) = design
        .route_tables
        .iter_mut()
        .find(|t| t.name == table_name)
    else {
        return;
    };
    if on {
        table.routes.push(Route {
            name: DEFAULT_ROUTE.to_string(),
            address_prefix: AddressMatch::Prefix(Default::default()),
            next_hop_type: NextHopType::VirtualAppliance,
            next_hop_ip: Some(firewall_ip),
        });
    } else {
        table
            .routes
            .retain(|route| !is_default_route_to(route, firewall_ip));
    }
}

fn frontdoor_tag_rule(rule: &SecurityRule) -> bool {
    rule.direction == Direction::Outbound
        && rule.access == Access::Allow
        && rule.destination.iter().any(
            |d| matches!(d, AddressMatch::Tag(tag) if tag.eq_ignore_ascii_case(FRONT_DOOR_TAG)),
        )
}

fn compute_nsg_index(design: &Design) -> Option<usize> {
    let name = compute_subnet(design)?.nsg.as_ref()?;
    design
        .network_security_groups
        .iter()
        .position(|nsg| &nsg.name == name)
}

fn frontdoor_fqdn_rules(design: &Design) -> Option<bool> {
    design.firewalls.first()?;
    let nsg = compute_nsg_index(design)?;
    Some(
        !design.network_security_groups[nsg]
            .rules
            .iter()
            .any(frontdoor_tag_rule),
    )
}

fn set_frontdoor_fqdn_rules(design: &mut Design, on: bool) {
    let Some(nsg) = compute_nsg_index(design) else {
        return;
    };
    let rules = &mut design.network_security_groups[nsg].rules;
    let Some(firewall) = design.firewalls.first_mut() else {
        return;
    };
    if on {
        rules.retain(|rule| !frontdoor_tag_rule(rule));
        firewall.rule_collections.push(RuleCollection::Application {
            name: FRONT_DOOR_COLLECTION.to_string(),
            priority: 300,
            action: RuleAction::Allow,
            rules: vec![ApplicationRule {
                name: "studio-and-automl".to_string(),
                sources: vec![AddressMatch::Any],
                source_ip_groups: Vec::new(),
                protocols: vec![ApplicationProtocolPort {
                    protocol: ApplicationProtocol::Https,
                    port: 443,
                }],
                target_fqdns: FRONT_DOOR_FQDNS.iter().map(|f| f.to_string()).collect(),
                fqdn_tags: Vec::new(),
            }],
        });
    } else {
        firewall
            .rule_collections
            .retain(|collection| collection.name() != FRONT_DOOR_COLLECTION);
        let priority = free_priority(rules, Direction::Outbound, 170);
        rules.push(outbound_rule(
            "AllowFrontDoorFrontend",
            priority,
            Access::Allow,
            Protocol::Tcp,
            AddressMatch::Tag(FRONT_DOOR_TAG.to_string()),
            PortRange::single(443),
        ));
    }
}

// ---- NSG lockdown ------------------------------------------------------------------------

fn outbound_rule(
    name: &str,
    priority: u32,
    access: Access,
    protocol: Protocol,
    destination: AddressMatch,
    port: PortRange,
) -> SecurityRule {
    SecurityRule {
        name: name.to_string(),
        priority,
        direction: Direction::Outbound,
        access,
        protocol,
        source: vec![AddressMatch::Any],
        source_ports: vec![PortRange::ANY],
        destination: vec![destination],
        destination_ports: vec![port],
        source_asgs: Vec::new(),
        destination_asgs: Vec::new(),
        description: String::new(),
    }
}

/// The first priority from `from` upwards that no rule of `direction` uses.
fn free_priority(rules: &[SecurityRule], direction: Direction, from: u32) -> u32 {
    (from..=4096)
        .find(|p| {
            !rules
                .iter()
                .any(|r| r.direction == direction && r.priority == *p)
        })
        .unwrap_or(4096)
}

fn is_internet_deny(rule: &SecurityRule) -> bool {
    rule.direction == Direction::Outbound
        && rule.access == Access::Deny
        && rule.destination.iter().any(|d| match d {
            AddressMatch::Any => true,
            AddressMatch::Tag(tag) => tag.eq_ignore_ascii_case("Internet"),
            AddressMatch::Prefix(net) => net.prefix_len() == 0,
        })
}

fn nsg_outbound_lockdown(design: &Design) -> Option<bool> {
    compute_subnet(design)?;
    Some(compute_nsg_index(design).is_some_and(|nsg| {
        design.network_security_groups[nsg]
            .rules
            .iter()
            .any(is_internet_deny)
    }))
}

fn set_nsg_outbound_lockdown(design: &mut Design, on: bool) {
    if compute_nsg_index(design).is_none() {
        let Some(subnet) = compute_subnet_mut(design) else {
            return;
        };
        let name = format!("nsg-{}", subnet.name);
        subnet.nsg = Some(name.clone());
        design.network_security_groups.push(NetworkSecurityGroup {
            name,
            rules: Default::default(),
        });
    }
    let Some(nsg) = compute_nsg_index(design) else {
        return;
    };
    let rules = &mut design.network_security_groups[nsg].rules;
    if on {
        let priority = free_priority(rules, Direction::Outbound, 4000);
        rules.push(outbound_rule(
            LOCKDOWN_RULE,
            priority,
            Access::Deny,
            Protocol::Any,
            AddressMatch::Tag("Internet".to_string()),
            PortRange::ANY,
        ));
    } else {
        rules.retain(|rule| !is_internet_deny(rule));
    }
}

// ---- workspace and DNS -------------------------------------------------------------------

fn managed_vnet(design: &Design) -> Option<bool> {
    let workspace = design.workspaces.first()?;
    Some(workspace.managed_network.isolation_mode != ManagedIsolationMode::Disabled)
}

fn set_managed_vnet(design: &mut Design, on: bool) {
    if let Some(workspace) = design.workspaces.first_mut() {
        workspace.managed_network.isolation_mode = if on {
            ManagedIsolationMode::AllowOnlyApprovedOutbound
        } else {
            ManagedIsolationMode::Disabled
        };
    }
}

fn private_dns_linked(design: &Design) -> Option<bool> {
    let vnet = compute_vnet_name(design)?;
    if design.private_dns_zones.is_empty() {
        return None;
    }
    Some(
        design
            .private_dns_zones
            .iter()
            .all(|zone| zone.vnet_links.contains(&vnet)),
    )
}

fn set_private_dns_linked(design: &mut Design, on: bool) {
    let Some(vnet) = compute_vnet_name(design) else {
        return;
    };
    for zone in &mut design.private_dns_zones {
        zone.vnet_links.retain(|link| link != &vnet);
        if on {
            zone.vnet_links.push(vnet.clone());
        }
    }
}
