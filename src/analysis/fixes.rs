//! Changes that close an exfiltration path. Candidates are read off the path itself (which
//! NSG rule, route, firewall rule, service endpoint or public endpoint let it through), and
//! how each change applies to a design. [`super::fix_verification`] keeps a candidate only
//! when every port of the path is then stopped, with the required flows it breaks.

use crate::engine::service_tags::{lookup_tag, CanonicalTag, TagLookup};
use crate::engine::{Step, Trace};
use crate::model::sorting;
use crate::model::{Access, AddressMatch, Design, SecurityRule, Subnet};

use super::catalogue::AUTOML_HOST;
use super::synthetic::AML_SEP_ALIAS;

mod apply;
mod positions;
use apply::{
    approved_outbound_only, attach_sep, deny_internet, disable_public_access, edit_nsg_rule,
    narrow_storage_fqdns, region_of_subnet, remove_nsg_tag, route_through_firewall, subnet_mut,
    subnet_of, swap_front_door,
};
pub use positions::Positions;

/// Name prefix of every element or rule a fix adds.
pub const FIX_PREFIX: &str = "vnetlab-fix-";

/// One edit of a design.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
pub enum Change {
    /// Enable `Microsoft.Storage` on the subnet and attach a service endpoint policy with the
    /// workspace storage accounts and the `/services/Azure/MachineLearning` alias (seeds 000-002).
    AttachServiceEndpointPolicy {
        subnet: String,
    },
    /// Replace the plain `Storage` tag of an NSG rule with `Storage.<region>`.
    NarrowStorageTag {
        nsg: String,
        rule: String,
        region: String,
    },
    /// Add an outbound Deny to `Internet` below the subnet NSG's allow rules.
    DenyInternetOutbound {
        subnet: String,
    },
    /// Remove a service tag from an NSG rule's destinations (the rule goes when none remain).
    RemoveNsgTag {
        nsg: String,
        rule: String,
        tag: String,
    },
    /// Remove `AzureFrontDoor.Frontend` from a firewall network rule and allow the studio and
    /// AutoML hosts by FQDN in an application rule instead (seed 000).
    SwapFrontDoorTagForFqdns {
        container: String,
        rule: String,
    },
    /// In a firewall application rule, replace storage wildcards (`*.blob.core…`) with the host
    /// names of the workspaces' own storage accounts.
    NarrowStorageFqdns {
        container: String,
        rule: String,
    },
    /// Route `0.0.0.0/0` from the subnet to the firewall (and keep AML's inbound return path
    /// with an `AzureMachineLearning` → Internet route, seed 004 Step D).
    RouteDefaultThroughFirewall {
        subnet: String,
        firewall: String,
    },
    DropPublicIp {
        compute: String,
    },
    DisableDefaultOutbound {
        subnet: String,
    },
    /// Disable public network access of a resource or workspace.
    DisablePublicNetworkAccess {
        target: String,
    },
    /// Remove a private endpoint to a resource in another (an attacker's) tenant — what the
    /// Azure Policy that denies cross-tenant private endpoint connections enforces.
    RemoveCrossTenantPrivateEndpoint {
        endpoint: String,
    },
    /// Switch a managed VNet to allow-only-approved-outbound with the documented service-tag
    /// and FQDN rules (reference 7.5).
    ApprovedOutboundOnly {
        workspace: String,
    },
}

impl Change {
    pub fn describe(&self) -> String {
        match self {
            Change::AttachServiceEndpointPolicy { subnet } => format!("enable the Microsoft.Storage service endpoint on {subnet} and attach a service endpoint policy allowing the workspace storage and the {AML_SEP_ALIAS} alias"),
            Change::NarrowStorageTag { nsg, rule, region } => format!("in NSG {nsg}, replace the Storage tag of rule {rule} with {}", CanonicalTag::new("Storage", Some(region))),
            Change::DenyInternetOutbound { subnet } => format!("add an outbound NSG rule on {subnet} denying Internet below the allow rules"),
            Change::RemoveNsgTag { nsg, rule, tag } => format!("remove {tag} from NSG {nsg} rule {rule}"),
            Change::SwapFrontDoorTagForFqdns { container, rule } => format!("in firewall rule {rule} ({container}), replace AzureFrontDoor.Frontend with an application rule for the studio host and {AUTOML_HOST}"),
            Change::NarrowStorageFqdns { container, rule } => format!("in firewall application rule {rule} ({container}), replace the storage wildcards with the workspace storage accounts' host names"),
            Change::RouteDefaultThroughFirewall { subnet, firewall } => format!("route 0.0.0.0/0 from {subnet} through firewall {firewall} (AzureMachineLearning keeps next hop Internet for inbound)"),
            Change::DropPublicIp { compute } => format!("remove the public IP of {compute}"),
            Change::DisableDefaultOutbound { subnet } => format!("turn off default outbound access on {subnet} (private subnet)"),
            Change::DisablePublicNetworkAccess { target } => format!("disable public network access on {target}"),
            Change::RemoveCrossTenantPrivateEndpoint { endpoint } => format!("remove private endpoint {endpoint}, whose target is in another tenant, and deny cross-tenant private endpoints with Azure Policy"),
            Change::ApprovedOutboundOnly { workspace } => format!("set the managed VNet of {workspace} to allow_only_approved_outbound with the documented service-tag and FQDN rules"),
        }
    }

    /// Applies the change; `false` when it does not apply to `design` (nothing to change).
    pub fn apply(&self, design: &mut Design) -> bool {
        self.apply_at(design, &Positions::default())
    }

    /// [`Change::apply`], finding what it edits through `at` (built from this design or the
    /// one it was copied from).
    pub fn apply_at(&self, design: &mut Design, at: &Positions) -> bool {
        match self {
            Change::AttachServiceEndpointPolicy { subnet } => attach_sep(design, at, subnet),
            Change::NarrowStorageTag { nsg, rule, region } => {
                let regional =
                    AddressMatch::Tag(CanonicalTag::new("Storage", Some(region)).to_string());
                edit_nsg_rule(design, at, nsg, rule, |rule| {
                    let mut changed = false;
                    for address in &mut rule.destination {
                        if is_tag(address, "Storage", true) {
                            *address = regional.clone();
                            changed = true;
                        }
                    }
                    changed
                })
            }
            Change::DenyInternetOutbound { subnet } => deny_internet(design, at, subnet),
            Change::RemoveNsgTag { nsg, rule, tag } => remove_nsg_tag(design, at, nsg, rule, tag),
            Change::SwapFrontDoorTagForFqdns { container, rule } => {
                swap_front_door(design, container, rule)
            }
            Change::NarrowStorageFqdns { container, rule } => {
                narrow_storage_fqdns(design, container, rule)
            }
            Change::RouteDefaultThroughFirewall { subnet, firewall } => {
                route_through_firewall(design, at, subnet, firewall)
            }
            Change::DropPublicIp { compute } => at
                .compute(design, compute)
                .and_then(|c| design.computes[c].nic.as_mut())
                .and_then(|nic| nic.public_ip.take())
                .is_some(),
            Change::DisableDefaultOutbound { subnet } => match subnet_mut(design, at, subnet) {
                Some(s) if s.default_outbound_access => {
                    s.default_outbound_access = false;
                    true
                }
                _ => false,
            },
            Change::DisablePublicNetworkAccess { target } => {
                disable_public_access(design, at, target)
            }
            Change::ApprovedOutboundOnly { workspace } => {
                approved_outbound_only(design, at, workspace)
            }
            Change::RemoveCrossTenantPrivateEndpoint { endpoint } => {
                let before = design.private_endpoints.len();
                design.private_endpoints.retain(|p| &p.name != endpoint);
                design.private_endpoints.len() != before
            }
        }
    }

    /// Whether applying the change may edit firewall rule collections (classic or policy).
    pub(super) fn edits_firewall_rules(&self) -> bool {
        matches!(
            self,
            Change::SwapFrontDoorTagForFqdns { .. } | Change::NarrowStorageFqdns { .. }
        )
    }

    /// The existing NSGs of `design` that applying the change may edit (an NSG it adds is
    /// not listed).
    pub(super) fn edited_nsgs(&self, design: &Design, at: &Positions) -> Vec<String> {
        match self {
            Change::NarrowStorageTag { nsg, .. } | Change::RemoveNsgTag { nsg, .. } => {
                vec![nsg.clone()]
            }
            Change::DenyInternetOutbound { subnet } => subnet_of(design, at, subnet)
                .and_then(|s| s.nsg.clone())
                .into_iter()
                .collect(),
            _ => Vec::new(),
        }
    }
}

/// A set of changes that together close a path, with what to know before applying it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
pub struct Fix {
    pub changes: Vec<Change>,
    pub notes: Vec<String>,
}

impl Fix {
    fn single(change: Change) -> Self {
        Fix {
            changes: vec![change],
            notes: Vec::new(),
        }
    }

    pub fn describe(&self) -> String {
        self.changes
            .iter()
            .map(Change::describe)
            .collect::<Vec<_>>()
            .join("; ")
    }

    /// When every change only edits the rules of NSGs that exist in `design` (a tag narrowed
    /// or removed, a deny rule added to a subnet's NSG): those NSGs' names, sorted. `None`
    /// when a change edits anything else (or adds an NSG).
    pub(super) fn nsgs_edited_only(&self, design: &Design, at: &Positions) -> Option<Vec<String>> {
        let mut names = Vec::new();
        for change in &self.changes {
            let edited = match change {
                Change::NarrowStorageTag { .. } | Change::RemoveNsgTag { .. } => {
                    change.edited_nsgs(design, at)
                }
                Change::DenyInternetOutbound { subnet } => match subnet_of(design, at, subnet) {
                    Some(Subnet { nsg: Some(_), .. }) => change.edited_nsgs(design, at),
                    _ => return None,
                },
                _ => return None,
            };
            names.extend(edited);
        }
        sorting::sort(&mut names);
        names.dedup();
        Some(names)
    }

    /// When every change only edits one subnet's service endpoints, service endpoint policies
    /// (adding the policy it attaches) or default outbound access: that subnet.
    pub(super) fn subnet_edited_only(&self) -> Option<&str> {
        let mut subnets = self.changes.iter().map(|change| match change {
            Change::AttachServiceEndpointPolicy { subnet }
            | Change::DisableDefaultOutbound { subnet } => Some(subnet.as_str()),
            _ => None,
        });
        let first = subnets.next()??;
        subnets.all(|s| s == Some(first)).then_some(first)
    }

    /// The design with every change applied; `None` when a change does not apply.
    pub fn apply(&self, design: &Design) -> Option<Design> {
        let mut fixed = design.clone();
        self.changes
            .iter()
            .all(|change| change.apply(&mut fixed))
            .then_some(fixed)
    }
}

/// A fix that was applied and closes its path, with the required flows it breaks
/// ([`RequiredFlow::key`]s of flows that passed before and fail after) and those the engine
/// can no longer decide once it is applied (they passed before and are unsupported after).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerifiedFix {
    pub fix: Fix,
    pub breaks: Vec<String>,
    pub undetermined: Vec<String>,
}

/// What the path tells about where to intervene.
pub struct PathFacts<'a> {
    /// The subnet the source egresses from (none for managed-VNet compute and public reads).
    pub subnet: Option<&'a str>,
    pub compute: Option<&'a crate::model::Compute>,
    /// The source's managed-VNet workspace, when it runs there.
    pub managed_workspace: Option<&'a str>,
    /// The destination is a storage account.
    pub to_storage: bool,
    /// For reads from the internet: the resource or workspace reached.
    pub public_target: Option<&'a str>,
}

/// The private endpoint the path went through when its target is an attacker's resource.
fn cross_tenant_endpoint<'d>(design: &'d Design, trace: &Trace) -> Option<&'d str> {
    trace
        .hops
        .iter()
        .filter(|h| h.step == Step::PrivateEndpoint)
        .find_map(|h| {
            design
                .private_endpoints
                .iter()
                .find(|p| p.name == h.element)
        })
        .filter(|p| {
            design
                .resources
                .iter()
                .any(|r| r.name == p.target && r.owner == crate::model::Owner::Attacker)
        })
        .map(|p| p.name.as_str())
}

fn is_tag(address: &AddressMatch, service: &str, plain_only: bool) -> bool {
    let AddressMatch::Tag(written) = address else {
        return false;
    };
    match lookup_tag(written) {
        TagLookup::Known(t) | TagLookup::Alias { canonical: t, .. } => {
            t.service == service && (!plain_only || t.region.is_none())
        }
        TagLookup::Unknown => false,
    }
}

fn nsg_rule<'d>(design: &'d Design, nsg: &str, rule: &str) -> Option<&'d SecurityRule> {
    design
        .network_security_groups
        .iter()
        .find(|n| n.name == nsg)?
        .rules
        .iter()
        .find(|r| r.name == rule)
}

/// Candidate fixes for one path, most targeted first.
pub fn candidates(design: &Design, facts: &PathFacts, trace: &Trace) -> Vec<Fix> {
    let mut fixes = Vec::new();
    let hops = &trace.hops;
    if let Some(target) = facts.public_target {
        fixes.push(Fix::single(Change::DisablePublicNetworkAccess {
            target: target.to_string(),
        }));
        return fixes;
    }
    if let Some(workspace) = facts.managed_workspace {
        fixes.push(Fix::single(Change::ApprovedOutboundOnly {
            workspace: workspace.to_string(),
        }));
        return fixes;
    }
    if let Some(endpoint) = cross_tenant_endpoint(design, trace) {
        let mut fix = Fix::single(Change::RemoveCrossTenantPrivateEndpoint {
            endpoint: endpoint.to_string(),
        });
        fix.notes.push("or enable network policies on the endpoint's subnet and deny the endpoint's address in its NSG".to_string());
        fixes.push(fix);
        return fixes;
    }
    let Some(subnet) = facts.subnet else {
        return fixes;
    };
    let no_public_ip_note = || {
        "seed 002 (DLP preview): data loss prevention is not supported for no-public-IP compute"
            .to_string()
    };
    if facts.to_storage {
        let has_policy = subnet_of(design, &Positions::default(), subnet)
            .is_some_and(|s| !s.service_endpoint_policies.is_empty());
        if !has_policy {
            let mut fix = Fix::single(Change::AttachServiceEndpointPolicy {
                subnet: subnet.to_string(),
            });
            if facts
                .compute
                .is_some_and(|c| c.nic.as_ref().is_some_and(|n| n.public_ip.is_none()))
            {
                fix.notes.push(no_public_ip_note());
            }
            fixes.push(fix);
        }
    }
    let deny = Change::DenyInternetOutbound {
        subnet: subnet.to_string(),
    };
    for hop in hops.iter().filter(|h| h.step == Step::NsgOutbound) {
        let Some(rule_ref) = &hop.rule else { continue };
        let Some(rule) = nsg_rule(design, &rule_ref.container, &rule_ref.name) else {
            continue;
        };
        if rule.access != Access::Allow {
            continue;
        }
        if rule.destination.iter().any(|a| is_tag(a, "Storage", true)) {
            let region = region_of_subnet(design, &Positions::default(), subnet);
            fixes.push(Fix::single(Change::NarrowStorageTag {
                nsg: rule_ref.container.clone(),
                rule: rule.name.clone(),
                region,
            }));
        }
        if rule
            .destination
            .iter()
            .any(|a| is_tag(a, "AzureFrontDoor.Frontend", false))
        {
            let remove = Change::RemoveNsgTag {
                nsg: rule_ref.container.clone(),
                rule: rule.name.clone(),
                tag: "AzureFrontDoor.Frontend".into(),
            };
            let note = format!("allow the studio host and {AUTOML_HOST} by FQDN on a firewall instead (seed 000); NSGs cannot name FQDNs");
            fixes.push(Fix {
                changes: vec![remove.clone()],
                notes: vec![note.clone()],
            });
            fixes.push(Fix {
                changes: vec![remove, deny.clone()],
                notes: vec![note],
            });
        }
    }
    fixes.push(Fix::single(deny));
    for hop in hops.iter().filter(|h| {
        facts.to_storage
            && h.step == Step::FirewallApplication
            && h.outcome == crate::engine::Outcome::Allow
    }) {
        if let Some(rule_ref) = &hop.rule {
            fixes.push(Fix::single(Change::NarrowStorageFqdns {
                container: rule_ref.container.clone(),
                rule: rule_ref.name.clone(),
            }));
        }
    }
    for hop in hops.iter().filter(|h| h.step == Step::FirewallNetwork) {
        if let Some(rule_ref) = hop
            .rule
            .as_ref()
            .filter(|_| hop.outcome == crate::engine::Outcome::Allow)
        {
            fixes.push(Fix::single(Change::SwapFrontDoorTagForFqdns {
                container: rule_ref.container.clone(),
                rule: rule_ref.name.clone(),
            }));
        }
    }
    let crossed_firewall = hops.iter().any(|h| {
        matches!(
            h.step,
            Step::FirewallNetwork | Step::FirewallApplication | Step::FirewallDefault
        )
    });
    let egress = hops.iter().find(|h| h.step == Step::InternetEgress);
    if let (false, Some(_), Some(firewall)) = (crossed_firewall, egress, design.firewalls.first()) {
        let vnet = subnet.split('/').next().unwrap_or_default();
        let firewall = design
            .firewalls
            .iter()
            .find(|f| f.subnet.split('/').next() == Some(vnet))
            .unwrap_or(firewall);
        fixes.push(Fix::single(Change::RouteDefaultThroughFirewall {
            subnet: subnet.to_string(),
            firewall: firewall.name.clone(),
        }));
    }
    if let Some(egress) = egress.filter(|_| !crossed_firewall) {
        let disable_default = Change::DisableDefaultOutbound {
            subnet: subnet.to_string(),
        };
        match facts
            .compute
            .filter(|c| c.nic.as_ref().is_some_and(|n| n.public_ip.is_some()))
        {
            Some(compute) => {
                let drop = Change::DropPublicIp {
                    compute: compute.name.clone(),
                };
                for changes in [vec![drop.clone()], vec![drop, disable_default]] {
                    fixes.push(Fix {
                        changes,
                        notes: vec![no_public_ip_note()],
                    });
                }
            }
            None if egress.reason.contains("default outbound") => {
                fixes.push(Fix::single(disable_default));
            }
            None => {}
        }
    }
    sorting::sort(&mut fixes);
    fixes.dedup();
    fixes
}
