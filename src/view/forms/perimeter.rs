//! Drafts of the network security perimeter editor: a profile's inbound access rule (public
//! address prefixes, caller subscriptions) or outbound access rule (FQDNs), and a resource
//! association (storage account or key vault, profile, access mode). Microsoft Learn, "What is
//! a network security perimeter?" (access rules, access modes).

use std::net::Ipv4Addr;

use ipnet::Ipv4Net;

use crate::model::{
    Design, InboundAccessRule, NetworkSecurityPerimeter, OutboundAccessRule, PaasKind,
    PerimeterAccessMode, PerimeterAssociation,
};

use super::{items, join, name, Errors};
use crate::view::edit::FieldError;

/// An inbound or outbound access rule, as the perimeter editor applies it.
#[derive(Debug, Clone, PartialEq)]
pub enum AccessRule {
    Inbound(InboundAccessRule),
    Outbound(OutboundAccessRule),
}

/// An access rule as typed; which fields count depends on `outbound`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AccessRuleDraft {
    pub outbound: bool,
    pub name: String,
    /// Inbound: public CIDR prefixes (or addresses).
    pub address_prefixes: String,
    /// Inbound: subscription ids, bare or `/subscriptions/<id>`.
    pub subscriptions: String,
    /// Outbound: FQDNs, `*.` wildcards allowed.
    pub fqdns: String,
}

/// `text` as a CIDR prefix, a bare address taken as its /32.
fn prefix(text: &str) -> Result<Ipv4Net, String> {
    text.parse::<Ipv4Net>()
        .or_else(|_| text.parse::<Ipv4Addr>().map(Ipv4Net::from))
        .map_err(|_| format!("`{text}` is not an IPv4 address or CIDR prefix"))
}

/// A subscription as an access rule lists it: a bare id or `/subscriptions/<id>`.
fn subscription(text: &str) -> Result<String, String> {
    let id = text.strip_prefix("/subscriptions/").unwrap_or(text);
    let plain = !id.is_empty()
        && id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_' || c == '.');
    if plain {
        Ok(text.to_string())
    } else {
        Err(format!(
            "`{text}`: write a subscription id or /subscriptions/<id>"
        ))
    }
}

/// An FQDN of an outbound rule: dot-separated labels, optionally starting with `*.`.
fn fqdn(text: &str) -> Result<String, String> {
    let name = text.strip_prefix("*.").unwrap_or(text);
    let labels: Vec<&str> = name.split('.').collect();
    let well_formed = labels.len() > 1
        && labels.iter().all(|label| {
            !label.is_empty() && label.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        });
    if well_formed {
        Ok(text.to_ascii_lowercase())
    } else {
        Err(format!(
            "`{text}` is not an FQDN (a wildcard is written *.example.com)"
        ))
    }
}

/// Every item of `text` through `parse`; the first failure is the field's message.
fn each<T>(text: &str, parse: impl Fn(&str) -> Result<T, String>) -> Result<Vec<T>, String> {
    items(text).into_iter().map(parse).collect()
}

impl AccessRuleDraft {
    pub fn of(rule: &AccessRule) -> Self {
        match rule {
            AccessRule::Inbound(rule) => AccessRuleDraft {
                outbound: false,
                name: rule.name.clone(),
                address_prefixes: join(&rule.address_prefixes),
                subscriptions: rule.subscriptions.join(", "),
                fqdns: String::new(),
            },
            AccessRule::Outbound(rule) => AccessRuleDraft {
                outbound: true,
                name: rule.name.clone(),
                address_prefixes: String::new(),
                subscriptions: String::new(),
                fqdns: rule.fqdns.join(", "),
            },
        }
    }

    /// A new rule: inbound from a documentation prefix, or outbound to a wildcard FQDN.
    pub fn new_rule(outbound: bool) -> Self {
        if outbound {
            AccessRuleDraft {
                outbound,
                name: "allow-outbound".to_string(),
                fqdns: "*.blob.core.windows.net".to_string(),
                ..AccessRuleDraft::default()
            }
        } else {
            AccessRuleDraft {
                outbound,
                name: "allow-inbound".to_string(),
                address_prefixes: "203.0.113.0/24".to_string(),
                ..AccessRuleDraft::default()
            }
        }
    }

    pub fn parse(&self) -> Result<AccessRule, Vec<FieldError>> {
        let mut errors = Errors::default();
        let name = name(&mut errors, &self.name, "rule");
        if self.outbound {
            let fqdns = each(&self.fqdns, fqdn).unwrap_or_else(|e| {
                errors.add("fqdns", e);
                Vec::new()
            });
            if fqdns.is_empty() && !errors.0.iter().any(|e| e.field == "fqdns") {
                errors.add(
                    "fqdns",
                    "an outbound rule needs at least one FQDN (comma-separated)",
                );
            }
            return errors.finish(AccessRule::Outbound(OutboundAccessRule { name, fqdns }));
        }
        let address_prefixes = each(&self.address_prefixes, prefix).unwrap_or_else(|e| {
            errors.add("address_prefixes", e);
            Vec::new()
        });
        let subscriptions = each(&self.subscriptions, subscription).unwrap_or_else(|e| {
            errors.add("subscriptions", e);
            Vec::new()
        });
        if errors.0.is_empty() && address_prefixes.is_empty() && subscriptions.is_empty() {
            errors.add(
                "address_prefixes",
                "an inbound rule needs address prefixes or subscriptions: this one matches nothing",
            );
        }
        errors.finish(AccessRule::Inbound(InboundAccessRule {
            name,
            address_prefixes,
            subscriptions,
        }))
    }
}

/// The access modes, in the spelling of the API (`Learning` is the portal's Transition).
pub const ACCESS_MODES: [&str; 3] = ["Learning", "Enforced", "Audit"];

/// A resource association as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AssociationDraft {
    pub name: String,
    pub resource: String,
    pub profile: String,
    pub access_mode: String,
}

/// The storage accounts and key vaults of `design`: what can join a perimeter.
pub fn perimeter_resources(design: &Design) -> Vec<&str> {
    design
        .resources
        .iter()
        .filter(|r| matches!(r.kind, PaasKind::StorageAccount | PaasKind::KeyVault))
        .map(|r| r.name.as_str())
        .collect()
}

impl AssociationDraft {
    pub fn of(association: &PerimeterAssociation) -> Self {
        AssociationDraft {
            name: association.name.clone(),
            resource: association.resource.clone(),
            profile: association.profile.clone(),
            access_mode: association.access_mode.as_str().to_string(),
        }
    }

    /// A new association of the first storage account or key vault in no perimeter, under the
    /// perimeter's first profile, in Learning mode.
    pub fn new_association(design: &Design, perimeter: &NetworkSecurityPerimeter) -> Self {
        let associated = |name: &str| {
            design
                .network_security_perimeters
                .iter()
                .flat_map(|p| &p.associations)
                .any(|a| a.resource.eq_ignore_ascii_case(name))
        };
        let resource = perimeter_resources(design)
            .into_iter()
            .find(|name| !associated(name))
            .unwrap_or_default()
            .to_string();
        AssociationDraft {
            name: format!("{resource}-association"),
            resource,
            profile: perimeter
                .profiles
                .first()
                .map(|p| p.name.clone())
                .unwrap_or_default(),
            access_mode: "Learning".to_string(),
        }
    }

    /// Parses the draft: the resource is a storage account or key vault of `design`, the
    /// profile one of `perimeter`.
    pub fn parse(
        &self,
        design: &Design,
        perimeter: &NetworkSecurityPerimeter,
    ) -> Result<PerimeterAssociation, Vec<FieldError>> {
        let mut errors = Errors::default();
        let name = name(&mut errors, &self.name, "association");
        let resource = self.resource.trim().to_string();
        if !perimeter_resources(design).contains(&resource.as_str()) {
            errors.add(
                "resource",
                format!("`{resource}` is not a storage account or key vault of the design"),
            );
        }
        let profile = self.profile.trim().to_string();
        if !perimeter.profiles.iter().any(|p| p.name == profile) {
            errors.add(
                "profile",
                format!(
                    "`{profile}` is not a profile of {}: add one first",
                    perimeter.name
                ),
            );
        }
        let access_mode = match self.access_mode.trim().to_ascii_lowercase().as_str() {
            "learning" | "transition" => PerimeterAccessMode::Learning,
            "enforced" => PerimeterAccessMode::Enforced,
            "audit" => PerimeterAccessMode::Audit,
            _ => {
                errors.add(
                    "access_mode",
                    "the access mode is Learning (Transition), Enforced or Audit",
                );
                PerimeterAccessMode::Learning
            }
        };
        errors.finish(PerimeterAssociation {
            name,
            resource,
            profile,
            access_mode,
        })
    }
}
