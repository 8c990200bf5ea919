//! The data plane of PaaS resources: storage, key vault and registry firewalls (evaluated in the
//! order of `azure-semantics.md` §4.3), workspace public access, and service endpoint policies.

use std::net::Ipv4Addr;

use super::regions::normalise_region;
use super::trace::{Hop, Outcome, RuleRef, Step};
use crate::model::{
    Access, EvaluationOptions, PaasKind, PaasResource, PublicNetworkAccess, ServiceEndpointPolicy,
    Workspace,
};

/// How a request reaches a resource's data plane.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AccessPath {
    PrivateEndpoint {
        name: String,
    },
    /// Over a service endpoint: the resource sees the subnet's identity.
    ServiceEndpoint {
        subnet: String,
    },
    /// Over the public endpoint from `source_ip`; `azure_region` is the caller's region when it
    /// runs in Azure (same-region callers reach storage with private Azure addresses).
    Public {
        source_ip: Option<Ipv4Addr>,
        azure_region: Option<String>,
    },
    /// A Microsoft service acting for `caller` (e.g. the AML workspace): trusted-service bypass
    /// and resource-instance rules apply.
    TrustedService {
        caller: String,
    },
}

fn step_for(kind: PaasKind) -> Step {
    match kind {
        PaasKind::StorageAccount => Step::StorageFirewall,
        PaasKind::KeyVault => Step::KeyVaultFirewall,
        PaasKind::ContainerRegistry => Step::RegistryFirewall,
    }
}

fn hop(resource: &PaasResource, outcome: Outcome, rule: &str, reason: String) -> Hop {
    Hop {
        step: step_for(resource.kind),
        element: resource.name.clone(),
        outcome,
        rule: Some(RuleRef {
            name: rule.to_string(),
            priority: None,
            container: format!("{} network rules", resource.name),
        }),
        reason,
    }
}

/// Evaluates the resource's network rules for one request.
pub fn evaluate_resource(
    resource: &PaasResource,
    path: &AccessPath,
    options: &EvaluationOptions,
) -> Hop {
    let acls = &resource.network_acls;
    if let AccessPath::PrivateEndpoint { name } = path {
        return hop(resource, Outcome::Allow, "private endpoint", format!("arrives through private endpoint {name}: the public-endpoint firewall does not apply"));
    }
    let trusted_caller = match path {
        AccessPath::TrustedService { caller } => Some(caller.as_str()),
        _ => None,
    };
    let exception = trusted_caller.and_then(|caller| {
        if acls.resource_access_rules.iter().any(|r| {
            r.eq_ignore_ascii_case(caller)
                || r.to_ascii_lowercase()
                    .ends_with(&format!("/{}", caller.to_ascii_lowercase()))
        }) {
            Some((
                "resource instance rule",
                format!("resource instance {caller} is listed in resourceAccessRules"),
            ))
        } else if acls.bypass_azure_services {
            Some((
                "trusted services bypass",
                format!(
                    "{caller} is a trusted Microsoft service and bypass includes AzureServices"
                ),
            ))
        } else {
            None
        }
    });
    match resource.public_network_access {
        PublicNetworkAccess::Disabled => {
            let exceptions_survive = match resource.kind {
                PaasKind::KeyVault => exception
                    .as_ref()
                    .is_some_and(|(rule, _)| *rule == "trusted services bypass"),
                PaasKind::StorageAccount => {
                    options.storage_disabled_allows_exceptions && exception.is_some()
                }
                PaasKind::ContainerRegistry => false,
            };
            return match (exceptions_survive, exception) {
                (true, Some((rule, reason))) => hop(
                    resource,
                    Outcome::Allow,
                    rule,
                    format!("{reason} (public network access is Disabled)"),
                ),
                _ => hop(
                    resource,
                    Outcome::Deny,
                    "publicNetworkAccess: Disabled",
                    "public network access is Disabled: only private endpoints reach it".into(),
                ),
            };
        }
        PublicNetworkAccess::SecuredByPerimeter => {
            return hop(
                resource,
                Outcome::Unsupported,
                "publicNetworkAccess: SecuredByPerimeter",
                "network security perimeters are not modelled".into(),
            );
        }
        PublicNetworkAccess::Enabled => {}
    }
    if acls.default_action == Access::Allow {
        return hop(
            resource,
            Outcome::Allow,
            "defaultAction: Allow",
            "the firewall's default action is Allow".into(),
        );
    }
    match path {
        AccessPath::ServiceEndpoint { subnet }
            if acls.virtual_network_rules.iter().any(|rule| rule == subnet) =>
        {
            return hop(resource, Outcome::Allow, &format!("virtual network rule {subnet}"), format!("request comes over the service endpoint of {subnet}, which a virtual network rule allows"));
        }
        AccessPath::Public {
            source_ip: Some(source_ip),
            azure_region,
        } => {
            if let Some(rule) = acls.ip_rules.iter().find(|rule| rule.contains(source_ip)) {
                let same_region = resource.kind == PaasKind::StorageAccount
                    && azure_region.as_deref().is_some_and(|region| {
                        normalise_region(region) == normalise_region(&resource.region)
                    });
                if !same_region {
                    return hop(
                        resource,
                        Outcome::Allow,
                        &format!("IP rule {rule}"),
                        format!("public source {source_ip} matches IP rule {rule}"),
                    );
                }
                return hop(resource, Outcome::Deny, "defaultAction: Deny", format!("IP rule {rule} matches {source_ip}, but IP rules have no effect on requests from the account's own Azure region"));
            }
        }
        _ => {}
    }
    if let Some((rule, reason)) = exception {
        return hop(resource, Outcome::Allow, rule, reason);
    }
    let seen_as = match path {
        AccessPath::ServiceEndpoint { subnet } => format!("subnet {subnet} (service endpoint), which no virtual network rule lists"),
        AccessPath::Public { source_ip: Some(source_ip), .. } => format!("public address {source_ip}, which no IP rule allows"),
        AccessPath::Public { source_ip: None, .. } => "a dynamic Microsoft address, which IP rules cannot allow".to_string(),
        AccessPath::TrustedService { caller } => format!("{caller}, which is neither a listed resource instance nor allowed by a trusted-services bypass"),
        AccessPath::PrivateEndpoint { name } => format!("private endpoint {name}"),
    };
    hop(
        resource,
        Outcome::Deny,
        "defaultAction: Deny",
        format!("default action Deny: the request comes from {seen_as}"),
    )
}

/// Workspace public access: with it disabled, only the workspace's private endpoints reach it.
pub fn evaluate_workspace(workspace: &Workspace, path: &AccessPath) -> Hop {
    let (outcome, rule, reason) = match (path, workspace.public_network_access) {
        (AccessPath::PrivateEndpoint { name }, _) => (
            Outcome::Allow,
            "private endpoint",
            format!("arrives through private endpoint {name}"),
        ),
        (_, PublicNetworkAccess::Enabled) => (
            Outcome::Allow,
            "publicNetworkAccess: Enabled",
            "the workspace accepts public traffic".to_string(),
        ),
        _ => (
            Outcome::Deny,
            "publicNetworkAccess: Disabled",
            "public network access is disabled: only the workspace private endpoint reaches it"
                .to_string(),
        ),
    };
    Hop {
        step: Step::WorkspaceAccess,
        element: workspace.name.clone(),
        outcome,
        rule: Some(RuleRef {
            name: rule.into(),
            priority: None,
            container: workspace.name.clone(),
        }),
        reason,
    }
}

/// A storage account as a service endpoint policy sees it; `None` for an account the design
/// does not model (it matches no scope and no alias).
pub fn sep_decision(
    policies: &[&ServiceEndpointPolicy],
    account: Option<&PaasResource>,
    account_name: &str,
    subnet: &str,
) -> Hop {
    let container = policies
        .iter()
        .map(|p| p.name.as_str())
        .collect::<Vec<_>>()
        .join(", ");
    let decided = |outcome, rule: String, reason: String| Hop {
        step: Step::Sep,
        element: subnet.to_string(),
        outcome,
        rule: Some(RuleRef {
            name: rule,
            priority: None,
            container: container.clone(),
        }),
        reason,
    };
    if account.is_some_and(|a| a.classic) {
        return decided(
            Outcome::Deny,
            "classic storage".into(),
            format!("{account_name} is a classic storage account: always denied under a policy"),
        );
    }
    for policy in policies {
        for definition in &policy.definitions {
            for entry in &definition.service_resources {
                if let Some(account) = account {
                    if definition.service.eq_ignore_ascii_case("Global") {
                        if account
                            .covered_by_aliases
                            .iter()
                            .any(|alias| alias.eq_ignore_ascii_case(entry))
                        {
                            return decided(
                                Outcome::Allow,
                                format!("{}/{}", policy.name, definition.name),
                                format!(
                                    "alias {entry} covers Microsoft-managed account {account_name}"
                                ),
                            );
                        }
                    } else if scope_covers(entry, account) {
                        return decided(
                            Outcome::Allow,
                            format!("{}/{}", policy.name, definition.name),
                            format!("{entry} covers {account_name}"),
                        );
                    }
                }
            }
        }
    }
    decided(Outcome::Deny, "not in policy".into(), format!("{account_name} is in no definition or alias of the policies attached to {subnet}: service endpoint traffic to it is dropped"))
}

/// Account, resource-group or subscription scope (ARM ids, case-insensitive); a bare name is
/// accepted as shorthand for the account.
fn scope_covers(entry: &str, account: &PaasResource) -> bool {
    let entry = entry.trim_end_matches('/').to_ascii_lowercase();
    let subscription = format!(
        "/subscriptions/{}",
        account.subscription.to_ascii_lowercase()
    );
    let group = format!(
        "{subscription}/resourcegroups/{}",
        account.resource_group.to_ascii_lowercase()
    );
    let id = format!(
        "{group}/providers/microsoft.storage/storageaccounts/{}",
        account.name.to_ascii_lowercase()
    );
    entry == id
        || entry == group
        || entry == subscription
        || entry == account.name.to_ascii_lowercase()
}
