//! What a node or an edge of the diagram is, for the details card the page opens when one is
//! clicked or focused: the element's addresses and controls (NSG, route table, endpoints,
//! firewall, network rules) and every flow to and from it, each a link to its trace.

use crate::model::sorting;
use crate::model::{Design, Owner};
use crate::view::evaluation::{Evaluation, Status};

use super::graph::compute_kind_name;
use super::names::{owner_name, paas_kind_name};
use super::{Node, NodeKind, Scene};

/// One fact about an element: "Private IP" → "10.0.1.4".
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fact {
    pub label: &'static str,
    pub value: String,
}

/// A flow listed on the card.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FlowLink {
    pub id: String,
    pub label: String,
    pub status: Status,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Details {
    pub title: String,
    /// What the element is ("subnet", "attacker-owned sink", "3 flows").
    pub kind: String,
    pub facts: Vec<Fact>,
    pub flows: Vec<FlowLink>,
}

fn fact(label: &'static str, value: impl Into<String>) -> Fact {
    Fact {
        label,
        value: value.into(),
    }
}

fn or_none(value: Option<&String>) -> String {
    value.cloned().unwrap_or_else(|| "none".to_string())
}

/// `values` by name (a card lists a load balancer's parts whatever the order of its arrays).
fn sorted(mut values: Vec<String>) -> Vec<String> {
    sorting::sort(&mut values);
    values
}

fn list(values: &[String]) -> String {
    if values.is_empty() {
        "none".to_string()
    } else {
        values.join(", ")
    }
}

fn inside(outer: &Node, inner: &Node) -> bool {
    inner.x >= outer.x
        && inner.y >= outer.y
        && inner.x + inner.w <= outer.x + outer.w
        && inner.y + inner.h <= outer.y + outer.h
}

/// The card of the node `key` of `scene`.
pub fn node_details(
    scene: &Scene,
    design: &Design,
    evaluation: &Evaluation,
    key: &str,
) -> Option<Details> {
    let node = scene.node(key)?;
    let members: Vec<&str> = scene
        .nodes
        .iter()
        .filter(|n| n.key == node.key || (node.container && inside(node, n)))
        .map(|n| n.key.as_str())
        .collect();
    let ids = scene
        .edges
        .iter()
        .filter(|e| members.contains(&e.from.as_str()) || members.contains(&e.to.as_str()))
        .flat_map(|e| e.flow_ids.iter());
    let mut flows: Vec<FlowLink> = Vec::new();
    for id in ids {
        if flows.iter().any(|f| &f.id == id) {
            continue;
        }
        if let Some(result) = evaluation.find(id) {
            flows.push(FlowLink {
                id: id.clone(),
                label: result.question.label.clone(),
                status: result.status(),
            });
        }
    }
    Some(Details {
        title: node.label.clone(),
        kind: node.kind.noun().to_string(),
        facts: facts(design, node),
        flows,
    })
}

/// The card of the edge `key` (`from→to`): its flows.
pub fn edge_details(scene: &Scene, evaluation: &Evaluation, key: &str) -> Option<Details> {
    let edge = scene.edge(key)?;
    let name = |key: &str| scene.node(key).map_or(key.to_string(), |n| n.label.clone());
    let flows = edge
        .flow_ids
        .iter()
        .filter_map(|id| evaluation.find(id))
        .map(|result| FlowLink {
            id: result.question.id.clone(),
            label: result.question.label.clone(),
            status: result.status(),
        })
        .collect::<Vec<_>>();
    Some(Details {
        title: format!("{} → {}", name(&edge.from), name(&edge.to)),
        kind: format!("{} flow(s), {} problem(s)", flows.len(), edge.problems),
        facts: Vec::new(),
        flows,
    })
}

fn facts(design: &Design, node: &Node) -> Vec<Fact> {
    let key = node.key.as_str();
    match node.kind {
        NodeKind::Vnet => {
            let name = key.trim_start_matches("vnet:");
            let Some(vnet) = design.virtual_networks.iter().find(|v| v.name == name) else {
                return Vec::new();
            };
            let spaces: Vec<String> = vnet.address_space.iter().map(|s| s.to_string()).collect();
            let dns: Vec<String> = vnet.dns_servers.iter().map(|s| s.to_string()).collect();
            let peers: Vec<String> = design
                .peerings
                .iter()
                .filter(|p| p.local_vnet == name)
                .map(|p| p.remote_vnet.clone())
                .collect();
            vec![
                fact("Region", &vnet.region),
                fact("Address space", spaces.join(", ")),
                fact("Subnets", vnet.subnets.len().to_string()),
                fact("Peered with", list(&peers)),
                fact(
                    "DNS servers",
                    if dns.is_empty() {
                        "Azure DNS".to_string()
                    } else {
                        dns.join(", ")
                    },
                ),
            ]
        }
        NodeKind::Subnet => {
            let Some((vnet, subnet)) = key.split_once('/').and_then(|(v, s)| {
                let vnet = design.virtual_networks.iter().find(|n| n.name == v)?;
                Some((vnet, vnet.subnets.iter().find(|n| n.name == s)?))
            }) else {
                return Vec::new();
            };
            vec![
                fact("VNet", &vnet.name),
                fact("Prefix", subnet.prefix.to_string()),
                fact("NSG", or_none(subnet.nsg.as_ref())),
                fact("Route table", or_none(subnet.route_table.as_ref())),
                fact("Service endpoints", list(&subnet.service_endpoints)),
                fact(
                    "Service endpoint policies",
                    list(&subnet.service_endpoint_policies),
                ),
                fact(
                    "Private endpoint network policies",
                    format!("{:?}", subnet.private_endpoint_network_policies),
                ),
            ]
        }
        NodeKind::Compute | NodeKind::Appliance => {
            let Some(compute) = design.computes.iter().find(|c| c.name == key) else {
                return Vec::new();
            };
            let mut facts = vec![fact("Kind", compute_kind_name(compute.kind))];
            match &compute.nic {
                Some(nic) => {
                    let subnet = design.virtual_networks.iter().find_map(|v| {
                        v.subnets
                            .iter()
                            .find(|s| format!("{}/{}", v.name, s.name) == nic.subnet)
                    });
                    facts.extend([
                        fact("Subnet", &nic.subnet),
                        fact("Private IP", nic.private_ip.to_string()),
                        fact(
                            "Public IP",
                            nic.public_ip
                                .map_or("none".to_string(), |ip| ip.to_string()),
                        ),
                        fact("NIC NSG", or_none(nic.nsg.as_ref())),
                        fact("Subnet NSG", or_none(subnet.and_then(|s| s.nsg.as_ref()))),
                        fact(
                            "Route table",
                            or_none(subnet.and_then(|s| s.route_table.as_ref())),
                        ),
                    ]);
                }
                None => facts.push(fact("Network", "workspace managed VNet")),
            }
            if let Some(workspace) = &compute.workspace {
                facts.push(fact("Workspace", workspace));
            }
            facts
        }
        NodeKind::PrivateEndpoint => {
            let Some(endpoint) = design.private_endpoints.iter().find(|e| e.name == key) else {
                return Vec::new();
            };
            vec![
                fact("Subnet", &endpoint.subnet),
                fact("Private IP", endpoint.private_ip.to_string()),
                fact("Target", &endpoint.target),
                fact("Sub-resource", &endpoint.sub_resource),
                fact("Connection", format!("{:?}", endpoint.connection_state)),
                fact("DNS zones", list(&endpoint.dns_zones)),
            ]
        }
        NodeKind::Firewall => {
            let Some(firewall) = design.firewalls.iter().find(|f| f.name == key) else {
                return Vec::new();
            };
            vec![
                fact("Subnet", &firewall.subnet),
                fact("Private IP", firewall.private_ip.to_string()),
                fact(
                    "Public IP",
                    firewall
                        .public_ip
                        .map_or("none".to_string(), |ip| ip.to_string()),
                ),
                fact("Policy", or_none(firewall.policy.as_ref())),
                fact(
                    "Classic rule collections",
                    firewall.rule_collections.len().to_string(),
                ),
            ]
        }
        NodeKind::LoadBalancer => {
            let Some(lb) = design.load_balancers.iter().find(|l| l.name == key) else {
                return Vec::new();
            };
            let frontends: Vec<String> = lb
                .frontends
                .iter()
                .map(|f| match (f.private_ip, f.public_ip, &f.subnet) {
                    (_, Some(ip), _) => format!("{} {ip}", f.name),
                    (Some(ip), None, Some(subnet)) => format!("{} {ip} in {subnet}", f.name),
                    _ => f.name.clone(),
                })
                .collect();
            let pools: Vec<String> = lb
                .backend_pools
                .iter()
                .map(|p| {
                    let mut members = p.members.clone();
                    sorting::sort(&mut members);
                    format!("{} ({})", p.name, members.join(", "))
                })
                .collect();
            let rules: Vec<String> = lb
                .rules
                .iter()
                .map(|r| {
                    let what = if r.is_ha_ports() {
                        "HA ports".to_string()
                    } else {
                        format!("{:?} {}→{}", r.protocol, r.frontend_port, r.backend_port)
                    };
                    format!("{}: {what} → {}", r.name, r.backend_pool)
                })
                .collect();
            let probes: Vec<String> = lb
                .probes
                .iter()
                .map(|p| format!("{} {:?} {}", p.name, p.protocol, p.port))
                .collect();
            let outbound: Vec<String> = lb
                .outbound_rules
                .iter()
                .map(|r| format!("{} → {}", r.name, r.backend_pool))
                .collect();
            vec![
                fact(
                    "Kind",
                    if lb.is_internal() {
                        "internal"
                    } else {
                        "public"
                    },
                ),
                fact("Frontends", list(&sorted(frontends))),
                fact("Backend pools", list(&sorted(pools))),
                fact("Rules", list(&sorted(rules))),
                fact("Health probes", list(&sorted(probes))),
                fact("Outbound rules", list(&sorted(outbound))),
            ]
        }
        NodeKind::Gateway => {
            let Some(gateway) = design.gateways.iter().find(|g| g.name == key) else {
                return Vec::new();
            };
            let prefixes: Vec<String> = gateway
                .on_premises_prefixes
                .iter()
                .map(|p| p.to_string())
                .collect();
            vec![
                fact("VNet", &gateway.vnet),
                fact("Kind", format!("{:?}", gateway.kind)),
                fact("On-premises prefixes", list(&prefixes)),
            ]
        }
        NodeKind::Resource | NodeKind::Sink => {
            if let Some(resource) = design.resources.iter().find(|r| r.name == key) {
                let acls = &resource.network_acls;
                let mut facts = vec![
                    fact("Kind", paas_kind_name(resource.kind)),
                    fact("Owner", owner_name(resource.owner)),
                    fact("Region", &resource.region),
                    fact(
                        "Public network access",
                        format!("{:?}", resource.public_network_access),
                    ),
                    fact("Default action", format!("{:?}", acls.default_action)),
                    fact(
                        "Network rules",
                        format!(
                            "{} VNet rule(s), {} IP rule(s){}",
                            acls.virtual_network_rules.len(),
                            acls.ip_rules.len(),
                            if acls.bypass_azure_services {
                                ", trusted Azure services allowed"
                            } else {
                                ""
                            }
                        ),
                    ),
                ];
                let endpoints: Vec<String> = design
                    .private_endpoints
                    .iter()
                    .filter(|e| e.target == resource.name)
                    .map(|e| e.name.clone())
                    .collect();
                facts.push(fact("Private endpoints", list(&endpoints)));
                if resource.owner == Owner::Attacker {
                    facts.push(fact(
                        "Why it is here",
                        "an account outside your tenant that a compromised compute could write data to",
                    ));
                }
                return facts;
            }
            service_or_host_facts(design, key)
        }
        NodeKind::Workspace => {
            let Some(workspace) = design.workspaces.iter().find(|w| w.name == key) else {
                return Vec::new();
            };
            vec![
                fact("Region", &workspace.region),
                fact(
                    "Public network access",
                    format!("{:?}", workspace.public_network_access),
                ),
                fact(
                    "Storage account",
                    or_none(workspace.storage_account.as_ref()),
                ),
                fact("Key vault", or_none(workspace.key_vault.as_ref())),
                fact(
                    "Container registry",
                    or_none(workspace.container_registry.as_ref()),
                ),
                fact("High business impact", workspace.hbi.to_string()),
            ]
        }
        NodeKind::Service | NodeKind::ExternalHost => service_or_host_facts(design, key),
        NodeKind::Group => vec![fact("Contents", node.detail.clone())],
    }
}

fn service_or_host_facts(design: &Design, key: &str) -> Vec<Fact> {
    if let Some(tag) = key.strip_prefix("tag:") {
        let members: Vec<&crate::model::PlatformService> = design
            .services
            .iter()
            .filter(|s| s.service_tag.eq_ignore_ascii_case(tag))
            .collect();
        let fqdns: Vec<String> = members.iter().flat_map(|s| s.fqdns.clone()).collect();
        let named: Vec<String> = members
            .iter()
            .map(|s| s.name.clone())
            .filter(|n| !n.starts_with(crate::analysis::synthetic::SYNTHETIC_PREFIX))
            .collect();
        let service_tag = members
            .first()
            .map_or(tag.to_string(), |s| s.service_tag.clone());
        let mut facts = vec![
            fact("Service tag", service_tag),
            fact("Names reached", list(&fqdns)),
        ];
        if named.len() < members.len() {
            facts.push(fact(
                "Note",
                "added by the analysis: the design does not model this service, so vnetlab stands in an endpoint of its service tag",
            ));
        }
        if !named.is_empty() {
            facts.push(fact("In the design as", named.join(", ")));
        }
        return facts;
    }
    if let Some(service) = design.services.iter().find(|s| s.name == key) {
        return vec![
            fact("Service tag", &service.service_tag),
            fact("Names reached", list(&service.fqdns)),
            fact("Owner", owner_name(service.owner)),
        ];
    }
    if let Some(host) = design.external_hosts.iter().find(|h| h.name == key) {
        return vec![
            fact("Where", format!("{:?}", host.kind)),
            fact("Address", host.ip.to_string()),
            fact("Names", list(&host.fqdns)),
            fact("Owner", owner_name(host.owner)),
        ];
    }
    vec![fact(
        "Note",
        "not an element of the design: a flow end vnetlab drew",
    )]
}
