//! The data plane of PaaS resources: storage, key vault and registry firewalls (evaluated in the
//! order of `azure-semantics.md` §4.3), workspace public access, and service endpoint policies.

use std::fmt::{self, Display};
use std::net::Ipv4Addr;

use super::perimeter::{self, Caller, Inbound, Membership};
use super::regions::normalise_region;
use super::trace::{Hop, HopLog, Outcome, RuleRef, Step};
use crate::model::{
    Access, EvaluationOptions, PaasKind, PaasResource, PerimeterAccessMode, PublicNetworkAccess,
    ServiceEndpointPolicy, Workspace,
};

/// How a request reaches a resource's data plane.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum AccessPath<'a> {
    PrivateEndpoint {
        name: &'a str,
    },
    /// Over a service endpoint: the resource sees the subnet's identity.
    ServiceEndpoint {
        subnet: &'a str,
    },
    /// Over the public endpoint from `source_ip`; `azure_region` is the caller's region when it
    /// runs in Azure (same-region callers reach storage with private Azure addresses).
    Public {
        source_ip: Option<Ipv4Addr>,
        azure_region: Option<&'a str>,
    },
    /// A Microsoft service acting for `caller` (e.g. the AML workspace): trusted-service bypass
    /// and resource-instance rules apply.
    TrustedService {
        caller: &'a str,
        subscription: &'a str,
    },
    /// A PaaS resource calling another one's public endpoint (from a dynamic Microsoft
    /// address), in `perimeter` when it is associated with one.
    Resource {
        caller: &'a PaasResource,
        perimeter: Option<&'a str>,
    },
}

impl<'a> AccessPath<'a> {
    /// The caller as a network security perimeter sees it.
    fn perimeter_caller(&self) -> Caller<'a> {
        match *self {
            AccessPath::Public { source_ip, .. } => Caller::Client {
                public_ip: source_ip,
            },
            AccessPath::ServiceEndpoint { .. } | AccessPath::PrivateEndpoint { .. } => {
                Caller::Client { public_ip: None }
            }
            AccessPath::TrustedService { subscription, .. } => Caller::Identified { subscription },
            AccessPath::Resource { caller, perimeter } => Caller::Resource {
                subscription: &caller.subscription,
                perimeter,
            },
        }
    }

    /// Who sends the request, in a few words.
    fn caller_label(&self) -> impl Display + '_ {
        fmt::from_fn(move |f| match self {
            AccessPath::ServiceEndpoint { subnet } => {
                write!(f, "subnet {subnet} (service endpoint, private address)")
            }
            AccessPath::Public {
                source_ip: Some(ip),
                ..
            } => write!(f, "public address {ip}"),
            AccessPath::Public {
                source_ip: None, ..
            } => f.write_str("a dynamic Microsoft address"),
            AccessPath::TrustedService { caller, .. } => write!(f, "{caller} (trusted service)"),
            AccessPath::Resource { caller, .. } => write!(f, "{}", caller.name),
            AccessPath::PrivateEndpoint { name } => write!(f, "private endpoint {name}"),
        })
    }
}

/// The sender as the resource firewall sees it.
impl Display for AccessPath<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            AccessPath::ServiceEndpoint { subnet } => write!(f, "subnet {subnet} (service endpoint), which no virtual network rule lists"),
            AccessPath::Public { source_ip: Some(source_ip), .. } => write!(f, "public address {source_ip}, which no IP rule allows"),
            AccessPath::Public { source_ip: None, .. } => f.write_str("a dynamic Microsoft address, which IP rules cannot allow"),
            AccessPath::TrustedService { caller, .. } => write!(f, "{caller}, which is neither a listed resource instance nor allowed by a trusted-services bypass"),
            AccessPath::Resource { caller, .. } => write!(f, "{} (a PaaS resource calling from a dynamic Microsoft address, which IP rules cannot allow)", caller.name),
            AccessPath::PrivateEndpoint { name } => write!(f, "private endpoint {name}"),
        }
    }
}

/// Why a trusted caller may pass a resource firewall that would otherwise deny it.
#[derive(Debug, Clone, Copy)]
enum Exception<'a> {
    ResourceInstance { caller: &'a str },
    TrustedServices { caller: &'a str },
}

impl Exception<'_> {
    fn rule(self) -> &'static str {
        match self {
            Exception::ResourceInstance { .. } => "resource instance rule",
            Exception::TrustedServices { .. } => "trusted services bypass",
        }
    }
}

impl Display for Exception<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Exception::ResourceInstance { caller } => {
                write!(
                    f,
                    "resource instance {caller} is listed in resourceAccessRules"
                )
            }
            Exception::TrustedServices { caller } => write!(
                f,
                "{caller} is a trusted Microsoft service and bypass includes AzureServices"
            ),
        }
    }
}

fn step_for(kind: PaasKind) -> Step {
    match kind {
        PaasKind::StorageAccount => Step::StorageFirewall,
        PaasKind::KeyVault => Step::KeyVaultFirewall,
        PaasKind::ContainerRegistry => Step::RegistryFirewall,
    }
}

/// Records the resource firewall's hop and returns its outcome.
fn decided(
    log: &mut HopLog,
    resource: &PaasResource,
    outcome: Outcome,
    rule: impl Display,
    reason: impl Display,
) -> Outcome {
    log.push(|| Hop {
        step: step_for(resource.kind),
        element: resource.name.clone(),
        outcome,
        rule: Some(RuleRef {
            name: rule.to_string(),
            priority: None,
            container: format!("{} network rules", resource.name),
        }),
        reason: reason.to_string(),
    });
    outcome
}

/// Evaluates the resource's network security perimeter (`membership`, when it is associated
/// with one) and its own network rules for one request; the hops go to `log`.
pub fn evaluate_resource(
    resource: &PaasResource,
    path: &AccessPath<'_>,
    membership: Option<&Membership<'_>>,
    options: &EvaluationOptions,
    log: &mut HopLog,
) -> Outcome {
    if let AccessPath::PrivateEndpoint { name } = path {
        let controls = if membership.is_some()
            || resource.public_network_access == PublicNetworkAccess::SecuredByPerimeter
        {
            "neither the public-endpoint firewall nor the network security perimeter applies (private access is never affected by a perimeter)"
        } else {
            "the public-endpoint firewall does not apply"
        };
        return decided(
            log,
            resource,
            Outcome::Allow,
            "private endpoint",
            format_args!("arrives through private endpoint {name}: {controls}"),
        );
    }
    let Some(membership) = membership else {
        return resource_firewall(resource, path, options, log);
    };
    let caller = path.caller_label();
    match perimeter::inbound(membership, path.perimeter_caller(), &caller, log) {
        Inbound::Admitted => Outcome::Allow,
        Inbound::Undecided if membership.perimeter_only(resource) => Outcome::Unsupported,
        // Learning mode: the resource's own rules may allow it anyway; only their denial
        // leaves the subscription rule to decide.
        Inbound::Undecided => match resource_firewall(resource, path, options, log) {
            Outcome::Allow => Outcome::Allow,
            _ => {
                perimeter::undecided_after_fallback(membership, &caller, log);
                Outcome::Unsupported
            }
        },
        Inbound::NotAdmitted if !membership.perimeter_only(resource) => {
            perimeter::falls_back(membership, &caller, log);
            resource_firewall(resource, path, options, log)
        }
        Inbound::NotAdmitted => {
            let trusted_still_applies = membership.association.access_mode
                != PerimeterAccessMode::Enforced
                && matches!(path, AccessPath::TrustedService { .. });
            if !trusted_still_applies {
                return perimeter::denies(membership, resource, &caller, log);
            }
            perimeter::falls_back(membership, &caller, log);
            match exception_for(resource, path) {
                Some(exception) => {
                    decided(log, resource, Outcome::Allow, exception.rule(), format_args!("{exception} (trusted access still follows the resource's settings in Learning mode)"))
                }
                None => decided(log, resource, Outcome::Deny, "publicNetworkAccess: SecuredByPerimeter", format_args!("public network access is SecuredByPerimeter and {path}")),
            }
        }
    }
}

/// The exception a trusted caller has on `resource`, if any.
fn exception_for<'a>(resource: &PaasResource, path: &AccessPath<'a>) -> Option<Exception<'a>> {
    let acls = &resource.network_acls;
    match *path {
        AccessPath::TrustedService { caller, .. } => {
            if acls.resource_access_rules.iter().any(|r| {
                r.eq_ignore_ascii_case(caller)
                    || r.to_ascii_lowercase()
                        .ends_with(&format!("/{}", caller.to_ascii_lowercase()))
            }) {
                Some(Exception::ResourceInstance { caller })
            } else if acls.bypass_azure_services {
                Some(Exception::TrustedServices { caller })
            } else {
                None
            }
        }
        _ => None,
    }
}

/// The resource's own public network access and firewall (§4.3 steps 3-6).
fn resource_firewall(
    resource: &PaasResource,
    path: &AccessPath<'_>,
    options: &EvaluationOptions,
    log: &mut HopLog,
) -> Outcome {
    let acls = &resource.network_acls;
    let exception = exception_for(resource, path);
    match resource.public_network_access {
        PublicNetworkAccess::Disabled => {
            let exceptions_survive = match resource.kind {
                PaasKind::KeyVault => matches!(exception, Some(Exception::TrustedServices { .. })),
                PaasKind::StorageAccount => {
                    options.storage_disabled_allows_exceptions && exception.is_some()
                }
                PaasKind::ContainerRegistry => false,
            };
            return match (exceptions_survive, exception) {
                (true, Some(exception)) => decided(
                    log,
                    resource,
                    Outcome::Allow,
                    exception.rule(),
                    format_args!("{exception} (public network access is Disabled)"),
                ),
                _ => decided(
                    log,
                    resource,
                    Outcome::Deny,
                    "publicNetworkAccess: Disabled",
                    "public network access is Disabled: only private endpoints reach it",
                ),
            };
        }
        PublicNetworkAccess::SecuredByPerimeter => {
            return decided(log, resource, Outcome::Deny, "publicNetworkAccess: SecuredByPerimeter", "public network access is SecuredByPerimeter but the resource is associated with no perimeter: it is locked down for public, perimeter and trusted access (only private endpoints reach it)");
        }
        PublicNetworkAccess::Enabled => {}
    }
    if acls.default_action == Access::Allow {
        return decided(
            log,
            resource,
            Outcome::Allow,
            "defaultAction: Allow",
            "the firewall's default action is Allow",
        );
    }
    match *path {
        AccessPath::ServiceEndpoint { subnet }
            if acls.virtual_network_rules.iter().any(|rule| rule == subnet) =>
        {
            return decided(log, resource, Outcome::Allow, format_args!("virtual network rule {subnet}"), format_args!("request comes over the service endpoint of {subnet}, which a virtual network rule allows"));
        }
        AccessPath::Public {
            source_ip: Some(source_ip),
            azure_region,
        } => {
            if let Some(rule) = acls.ip_rules.iter().find(|rule| rule.contains(&source_ip)) {
                let same_region = resource.kind == PaasKind::StorageAccount
                    && azure_region.is_some_and(|region| {
                        normalise_region(region) == normalise_region(&resource.region)
                    });
                if !same_region {
                    return decided(
                        log,
                        resource,
                        Outcome::Allow,
                        format_args!("IP rule {rule}"),
                        format_args!("public source {source_ip} matches IP rule {rule}"),
                    );
                }
                return decided(log, resource, Outcome::Deny, "defaultAction: Deny", format_args!("IP rule {rule} matches {source_ip}, but IP rules have no effect on requests from the account's own Azure region"));
            }
        }
        _ => {}
    }
    if let Some(exception) = exception {
        return decided(log, resource, Outcome::Allow, exception.rule(), exception);
    }
    decided(
        log,
        resource,
        Outcome::Deny,
        "defaultAction: Deny",
        format_args!("default action Deny: the request comes from {path}"),
    )
}

/// Workspace public access: with it disabled, only the workspace's private endpoints reach it.
/// Its hop goes to `log`.
pub fn evaluate_workspace(
    workspace: &Workspace,
    path: &AccessPath<'_>,
    log: &mut HopLog,
) -> Outcome {
    let mut decided = |outcome, rule: &str, reason: &dyn Display| {
        log.push(|| Hop {
            step: Step::WorkspaceAccess,
            element: workspace.name.clone(),
            outcome,
            rule: Some(RuleRef {
                name: rule.into(),
                priority: None,
                container: workspace.name.clone(),
            }),
            reason: reason.to_string(),
        });
        outcome
    };
    match (path, workspace.public_network_access) {
        (AccessPath::PrivateEndpoint { name }, _) => decided(
            Outcome::Allow,
            "private endpoint",
            &format_args!("arrives through private endpoint {name}"),
        ),
        (_, PublicNetworkAccess::Enabled) => decided(
            Outcome::Allow,
            "publicNetworkAccess: Enabled",
            &"the workspace accepts public traffic",
        ),
        _ => decided(
            Outcome::Deny,
            "publicNetworkAccess: Disabled",
            &"public network access is disabled: only the workspace private endpoint reaches it",
        ),
    }
}

/// A storage account as a service endpoint policy sees it (`account` is `None` for an account
/// the design does not model: it matches no scope and no alias). Its hop goes to `log`.
pub fn sep_decision(
    policies: &[&ServiceEndpointPolicy],
    account: Option<&PaasResource>,
    account_name: impl Display,
    subnet: &str,
    log: &mut HopLog,
) -> Outcome {
    let mut decided = |outcome, rule: &dyn Display, reason: &dyn Display| {
        log.push(|| Hop {
            step: Step::Sep,
            element: subnet.to_string(),
            outcome,
            rule: Some(RuleRef {
                name: rule.to_string(),
                priority: None,
                container: policies
                    .iter()
                    .map(|p| p.name.as_str())
                    .collect::<Vec<_>>()
                    .join(", "),
            }),
            reason: reason.to_string(),
        });
        outcome
    };
    if account.is_some_and(|a| a.classic) {
        return decided(
            Outcome::Deny,
            &"classic storage",
            &format_args!(
                "{account_name} is a classic storage account: always denied under a policy"
            ),
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
                                &format_args!("{}/{}", policy.name, definition.name),
                                &format_args!(
                                    "alias {entry} covers Microsoft-managed account {account_name}"
                                ),
                            );
                        }
                    } else if scope_covers(entry, account) {
                        return decided(
                            Outcome::Allow,
                            &format_args!("{}/{}", policy.name, definition.name),
                            &format_args!("{entry} covers {account_name}"),
                        );
                    }
                }
            }
        }
    }
    decided(Outcome::Deny, &"not in policy", &format_args!("{account_name} is in no definition or alias of the policies attached to {subnet}: service endpoint traffic to it is dropped"))
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
