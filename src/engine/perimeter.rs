//! Network security perimeters in the data plane of storage accounts and key vaults
//! (`azure-semantics.md` §4.3 step 2). Microsoft Learn, "Transition to a network security
//! perimeter in Azure" (learn.microsoft.com/azure/private-link/network-security-perimeter-transition)
//! decides how an association's access mode and the resource's `publicNetworkAccess` combine:
//!
//! | publicNetworkAccess | not associated | Learning (Transition) | Enforced |
//! |---|---|---|---|
//! | Enabled | in: resource rules; out: allowed | in: perimeter + resource rules; out: perimeter rules + allowed | in/out: perimeter rules |
//! | Disabled | in: denied; out: allowed | in: perimeter rules; out: perimeter rules + allowed | in/out: perimeter rules |
//! | SecuredByPerimeter | in/out: denied | in/out: perimeter rules | in/out: perimeter rules |
//!
//! Perimeter access (a member of the same perimeter) is allowed whenever the resource is
//! associated; trusted access keeps following the resource's settings in Learning mode and is
//! not supported in Enforced mode ("Trusted access is not supported in enforced mode");
//! private endpoint traffic is never affected (decided before this module is asked). Subscription
//! rules match callers whose subscription the design knows (the workspace, a PaaS resource);
//! for any other caller they cannot be decided and the verdict is `unsupported`.

use std::fmt::Display;
use std::net::Ipv4Addr;

use super::dns::fqdn_matches;
use super::trace::{Hop, HopLog, Outcome, RuleRef, Step};
use crate::model::{
    Design, InboundAccessRule, NetworkSecurityPerimeter, PaasResource, PerimeterAccessMode,
    PerimeterAssociation, PerimeterProfile, PublicNetworkAccess,
};

/// A resource's place in a perimeter: the perimeter, its association and the association's
/// profile (`None` only in a design with validation errors).
#[derive(Debug, Clone, Copy)]
pub struct Membership<'d> {
    pub perimeter: &'d NetworkSecurityPerimeter,
    pub association: &'d PerimeterAssociation,
    pub profile: Option<&'d PerimeterProfile>,
}

impl Membership<'_> {
    /// Whether only the perimeter decides public traffic: Enforced mode, or a resource whose
    /// own `publicNetworkAccess` is `SecuredByPerimeter`.
    pub fn perimeter_only(&self, resource: &PaasResource) -> bool {
        self.association.access_mode == PerimeterAccessMode::Enforced
            || resource.public_network_access == PublicNetworkAccess::SecuredByPerimeter
    }

    fn container(&self) -> String {
        match self.profile {
            Some(profile) => format!("{}/{}", self.perimeter.name, profile.name),
            None => format!("{}/{}", self.perimeter.name, self.association.profile),
        }
    }
}

/// The perimeter `resource` is associated with (the first association naming it, as
/// validation allows one).
pub fn membership<'d>(design: &'d Design, resource: &str) -> Option<Membership<'d>> {
    design
        .network_security_perimeters
        .iter()
        .find_map(|perimeter| {
            let association = perimeter
                .associations
                .iter()
                .find(|a| a.resource.eq_ignore_ascii_case(resource))?;
            let profile = perimeter
                .profiles
                .iter()
                .find(|p| p.name == association.profile);
            Some(Membership {
                perimeter,
                association,
                profile,
            })
        })
}

/// Who calls an associated resource's public endpoint, as its perimeter sees it.
#[derive(Debug, Clone, Copy)]
pub enum Caller<'a> {
    /// A client with this public address (`None`: a private or dynamic Microsoft address).
    Client { public_ip: Option<Ipv4Addr> },
    /// A caller whose subscription the design knows (the AML workspace's trusted access).
    Identified { subscription: &'a str },
    /// A PaaS resource, in `perimeter` when it is associated with one.
    Resource {
        subscription: &'a str,
        perimeter: Option<&'a str>,
    },
}

/// What the perimeter's inbound side says about one caller.
pub enum Inbound {
    /// A member of the same perimeter or an inbound rule admits it; the hop is recorded.
    Admitted,
    /// No rule admits it; nothing is recorded (the caller decides what happens next).
    NotAdmitted,
    /// A subscription rule might admit a caller whose subscription is not modelled; the hop
    /// is recorded.
    Undecided,
}

fn record(
    log: &mut HopLog,
    membership: &Membership<'_>,
    outcome: Outcome,
    rule: impl Display,
    reason: impl Display,
) {
    log.push(|| Hop {
        step: Step::Perimeter,
        element: membership.perimeter.name.clone(),
        outcome,
        rule: Some(RuleRef {
            name: rule.to_string(),
            priority: None,
            container: membership.container(),
        }),
        reason: reason.to_string(),
    });
}

fn subscription_id(entry: &str) -> &str {
    let entry = entry.trim_end_matches('/');
    entry.rsplit('/').next().unwrap_or(entry)
}

fn rule_admits(rule: &InboundAccessRule, caller: Caller<'_>) -> Option<String> {
    match caller {
        Caller::Client {
            public_ip: Some(ip),
        } => rule
            .address_prefixes
            .iter()
            .find(|prefix| prefix.contains(&ip))
            .map(|prefix| format!("public source {ip} is in address prefix {prefix}")),
        Caller::Client { public_ip: None } => None,
        Caller::Identified { subscription } | Caller::Resource { subscription, .. } => rule
            .subscriptions
            .iter()
            .find(|s| subscription_id(s).eq_ignore_ascii_case(subscription_id(subscription)))
            .map(|s| format!("the caller's subscription {subscription} is listed ({s})")),
    }
}

/// The inbound access rules of `membership` for `caller`, recording the admitting hop.
pub fn inbound(
    membership: &Membership<'_>,
    caller: Caller<'_>,
    describe_caller: &dyn Display,
    log: &mut HopLog,
) -> Inbound {
    if let Caller::Resource {
        perimeter: Some(perimeter),
        ..
    } = caller
    {
        if perimeter == membership.perimeter.name {
            record(log, membership, Outcome::Allow, "perimeter access", format_args!("{describe_caller} is a member of the same perimeter {perimeter}: perimeter access is allowed"));
            return Inbound::Admitted;
        }
    }
    let rules = membership.profile.map_or(&[][..], |p| &p.inbound_rules);
    for rule in rules {
        if let Some(why) = rule_admits(rule, caller) {
            record(
                log,
                membership,
                Outcome::Allow,
                &rule.name,
                format_args!(
                    "inbound access rule {} of profile {} admits it: {why}",
                    rule.name,
                    membership.container()
                ),
            );
            return Inbound::Admitted;
        }
    }
    let unknown_subscription = matches!(caller, Caller::Client { .. });
    if let Some(rule) = rules
        .iter()
        .find(|r| unknown_subscription && !r.subscriptions.is_empty())
    {
        record(log, membership, Outcome::Unsupported, &rule.name, format_args!("inbound access rule {} admits callers of subscriptions {} by their identity; the design does not say which subscription {describe_caller} belongs to", rule.name, rule.subscriptions.join(", ")));
        return Inbound::Undecided;
    }
    Inbound::NotAdmitted
}

/// Records that no perimeter rule admits the caller and the resource's own settings decide
/// next (Learning mode).
pub fn falls_back(membership: &Membership<'_>, describe_caller: &dyn Display, log: &mut HopLog) {
    let mode = membership.association.access_mode;
    record(log, membership, Outcome::Info, format_args!("accessMode: {}", mode.as_str()), format_args!("no inbound access rule admits {describe_caller}; in {} mode the resource's own public network access, firewall and trusted access decide next", mode.as_str()));
}

/// Records that the resource's own rules deny a caller a subscription rule might admit
/// (Learning mode), so the verdict stays undecided.
pub fn undecided_after_fallback(
    membership: &Membership<'_>,
    describe_caller: &dyn Display,
    log: &mut HopLog,
) {
    record(log, membership, Outcome::Unsupported, "subscription rules", format_args!("the resource's own rules deny {describe_caller}, and whether a subscription rule of profile {} admits it depends on a subscription the design does not give", membership.container()));
}

/// Records the perimeter's denial of a caller no rule admits.
pub fn denies(
    membership: &Membership<'_>,
    resource: &PaasResource,
    describe_caller: &dyn Display,
    log: &mut HopLog,
) -> Outcome {
    let mode = membership.association.access_mode;
    let why = if mode == PerimeterAccessMode::Enforced {
        "Enforced mode: only the perimeter's access rules apply (the resource firewall and trusted-service exceptions do not)"
    } else {
        "publicNetworkAccess SecuredByPerimeter: only the perimeter's access rules admit public traffic"
    };
    record(
        log,
        membership,
        Outcome::Deny,
        format_args!("accessMode: {}", mode.as_str()),
        format_args!(
            "no inbound access rule of profile {} admits {describe_caller} to {}; {why}",
            membership.container(),
            resource.name
        ),
    );
    Outcome::Deny
}

/// Where an associated (or locked-down) resource sends a request.
#[derive(Debug, Clone, Copy)]
pub struct OutboundTarget<'a> {
    pub fqdn: Option<&'a str>,
    /// The destination's perimeter, when it is a resource associated with one.
    pub perimeter: Option<&'a str>,
}

/// The outbound side for a PaaS resource `source` sending to `target`; its hop goes to `log`.
pub fn outbound(
    source: &PaasResource,
    membership: Option<&Membership<'_>>,
    target: OutboundTarget<'_>,
    describe_target: &dyn Display,
    log: &mut HopLog,
) -> Outcome {
    let Some(membership) = membership else {
        let locked = source.public_network_access == PublicNetworkAccess::SecuredByPerimeter;
        let (outcome, rule, reason) = if locked {
            (Outcome::Deny, "publicNetworkAccess: SecuredByPerimeter", "it is associated with no perimeter, so SecuredByPerimeter locks it down: no public outbound access")
        } else {
            (Outcome::Allow, "not in a perimeter", "publicNetworkAccess Enabled or Disabled does not restrict a resource's outbound requests")
        };
        log.push(|| Hop {
            step: Step::Perimeter,
            element: source.name.clone(),
            outcome,
            rule: Some(RuleRef {
                name: rule.to_string(),
                priority: None,
                container: format!("{} network rules", source.name),
            }),
            reason: reason.to_string(),
        });
        return outcome;
    };
    if target.perimeter == Some(membership.perimeter.name.as_str()) {
        record(
            log,
            membership,
            Outcome::Allow,
            "perimeter access",
            format_args!(
                "{describe_target} is a member of the same perimeter: perimeter access is allowed"
            ),
        );
        return Outcome::Allow;
    }
    let rules = membership.profile.map_or(&[][..], |p| &p.outbound_rules);
    let matched = target.fqdn.and_then(|fqdn| {
        rules.iter().find_map(|rule| {
            rule.fqdns
                .iter()
                .find(|pattern| fqdn_matches(pattern, fqdn))
                .map(|pattern| (rule, pattern, fqdn))
        })
    });
    if let Some((rule, pattern, fqdn)) = matched {
        record(
            log,
            membership,
            Outcome::Allow,
            &rule.name,
            format_args!(
                "outbound access rule {} of profile {} allows {fqdn} ({pattern})",
                rule.name,
                membership.container()
            ),
        );
        return Outcome::Allow;
    }
    let mode = membership.association.access_mode;
    if membership.perimeter_only(source) {
        record(log, membership, Outcome::Deny, format_args!("accessMode: {}", mode.as_str()), format_args!("no outbound access rule of profile {} allows {describe_target} outside the perimeter ({} mode, publicNetworkAccess {:?})", membership.container(), mode.as_str(), source.public_network_access));
        Outcome::Deny
    } else {
        record(log, membership, Outcome::Allow, format_args!("accessMode: {}", mode.as_str()), format_args!("no outbound access rule matches {describe_target}; in {} mode with publicNetworkAccess {:?} outbound requests are still allowed", mode.as_str(), source.public_network_access));
        Outcome::Allow
    }
}
