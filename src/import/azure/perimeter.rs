//! Network security perimeters (`Microsoft.Network/networkSecurityPerimeters`) with their
//! `profiles`, `profiles/accessRules` and `resourceAssociations`, in the shapes of Microsoft's
//! REST examples (`NspProfilePut`, `NspAccessRulePut`, `NspAssociationPut`, api-version
//! 2024-07-01). Inbound rules keep `addressPrefixes` and `subscriptions`, outbound rules
//! `fullyQualifiedDomainNames`; the rest (email and phone notifications, perimeter links,
//! service tags, IPv6 prefixes) is reported as not modelled. Associations keep storage
//! accounts and key vaults, the perimeter-aware kinds vnetlab models.

use super::arm_id::{referenced_name, ArmId};
use super::context::Context;
use super::kind::Kind;
use super::merge::{parent_or_stub, position_of, Child};
use super::resource::Resource;
use super::values;
use crate::model::{
    Design, InboundAccessRule, NetworkSecurityPerimeter, OutboundAccessRule, PerimeterAccessMode,
    PerimeterAssociation, PerimeterProfile,
};

const ACCESS_MODES: [(&str, PerimeterAccessMode); 4] = [
    ("Learning", PerimeterAccessMode::Learning),
    ("Transition", PerimeterAccessMode::Learning),
    ("Enforced", PerimeterAccessMode::Enforced),
    ("Audit", PerimeterAccessMode::Audit),
];

/// Rule members vnetlab does not evaluate, with what they are.
const NOT_MODELLED: [(&str, &str); 4] = [
    ("emailAddresses", "email notification rules"),
    ("phoneNumbers", "phone notification rules"),
    ("networkSecurityPerimeters", "perimeter-based inbound rules"),
    ("serviceTags", "service-tag inbound rules"),
];

fn empty(name: &str) -> NetworkSecurityPerimeter {
    NetworkSecurityPerimeter {
        name: name.to_string(),
        profiles: Vec::new(),
        associations: Vec::new(),
    }
}

pub(super) fn perimeter(context: &mut Context, design: &mut Design, resource: &Resource) {
    let name = resource.name();
    let perimeters = &design.network_security_perimeters;
    if position_of(perimeters, name, |p| &p.name).is_some() {
        context.warn(
            name,
            &resource.node,
            "the perimeter is defined twice: merged",
        );
    } else {
        design.network_security_perimeters.push(empty(name));
    }
}

/// The perimeter (`names[0]`) of a child resource, created (and reported) when missing.
fn perimeter_of(context: &mut Context, design: &mut Design, resource: &Resource) -> usize {
    let element = resource.names.join("/");
    let name = resource.names.first().cloned().unwrap_or_default();
    parent_or_stub(
        context,
        &mut design.network_security_perimeters,
        (Kind::NetworkSecurityPerimeter, &name),
        |p| &p.name,
        || empty(&name),
        Child {
            kind: resource.kind,
            element: &element,
            node: &resource.node,
        },
        "",
    )
}

/// The position of profile `name` in perimeter `perimeter`, created when missing.
fn profile_position(design: &mut Design, perimeter: usize, name: &str) -> usize {
    let profiles = &mut design.network_security_perimeters[perimeter].profiles;
    position_of(profiles, name, |p| &p.name).unwrap_or_else(|| {
        profiles.push(PerimeterProfile {
            name: name.to_string(),
            inbound_rules: Vec::new(),
            outbound_rules: Vec::new(),
        });
        profiles.len() - 1
    })
}

pub(super) fn profile(context: &mut Context, design: &mut Design, resource: &Resource) {
    let perimeter = perimeter_of(context, design, resource);
    profile_position(design, perimeter, resource.name());
}

/// `profiles/accessRules`: `direction` Inbound (address prefixes, subscriptions) or Outbound
/// (FQDNs).
pub(super) fn access_rule(context: &mut Context, design: &mut Design, resource: &Resource) {
    let element = resource.names.join("/");
    let properties = resource.properties();
    let directions = [("Inbound", true), ("Outbound", false)];
    let Some(inbound) = context.choice(&element, &properties, "direction", &directions) else {
        context.warn(
            &element,
            &resource.node,
            "the access rule has no `direction` (Inbound or Outbound): not imported",
        );
        return;
    };
    for (member, what) in NOT_MODELLED {
        if properties
            .get(member)
            .is_some_and(|m| m.value.as_array().is_some_and(|a| !a.is_empty()))
        {
            let node = properties.get(member).unwrap_or_else(|| properties.clone());
            context.warn(
                &element,
                &node,
                format!("{what} are not modelled: this part of the rule is ignored"),
            );
        }
    }
    let name = resource.name().to_string();
    let perimeter = perimeter_of(context, design, resource);
    let profile_name = resource.names.get(1).cloned().unwrap_or_default();
    let profile = profile_position(design, perimeter, &profile_name);
    if inbound {
        let mut address_prefixes = Vec::new();
        for (node, text) in context.texts(&element, &properties, "addressPrefixes") {
            address_prefixes.extend(context.report(&element, &node, values::prefix(text)));
        }
        let mut subscriptions = Vec::new();
        for entry in context.list(&element, &properties, "subscriptions") {
            match entry.str_at("id").or(entry.as_str()) {
                Some(id) => subscriptions.push(id.to_string()),
                None => context.warn(&element, &entry, "the subscription has no `id`; ignored"),
            }
        }
        if address_prefixes.is_empty() && subscriptions.is_empty() {
            context.warn(&element, &resource.node, "the inbound rule has no address prefix or subscription vnetlab models: not imported");
            return;
        }
        let rules =
            &mut design.network_security_perimeters[perimeter].profiles[profile].inbound_rules;
        rules.retain(|r| r.name != name);
        rules.push(InboundAccessRule {
            name,
            address_prefixes,
            subscriptions,
        });
    } else {
        let fqdns: Vec<String> = context
            .texts(&element, &properties, "fullyQualifiedDomainNames")
            .into_iter()
            .map(|(_, text)| text.to_string())
            .collect();
        if fqdns.is_empty() {
            context.warn(
                &element,
                &resource.node,
                "the outbound rule has no `fullyQualifiedDomainNames`: not imported",
            );
            return;
        }
        let rules =
            &mut design.network_security_perimeters[perimeter].profiles[profile].outbound_rules;
        rules.retain(|r| r.name != name);
        rules.push(OutboundAccessRule { name, fqdns });
    }
}

/// `resourceAssociations`: `privateLinkResource.id` (a storage account or key vault),
/// `profile.id` (a profile of the same perimeter) and `accessMode` (Learning by default).
pub(super) fn association(context: &mut Context, design: &mut Design, resource: &Resource) {
    let element = resource.names.join("/");
    let properties = resource.properties();
    let target = properties
        .get("privateLinkResource")
        .and_then(|holder| holder.get("id").or(Some(holder)));
    let Some(target) = target.filter(|t| t.as_str().is_some()) else {
        context.warn(
            &element,
            &resource.node,
            "the association has no `privateLinkResource.id`: not imported",
        );
        return;
    };
    let text = target.as_str().unwrap_or_default();
    let kind = ArmId::parse(text).and_then(|id| Kind::of_id_type(&id.type_path));
    let Some(kind @ (Kind::StorageAccount | Kind::KeyVault)) = kind else {
        let name = referenced_name(text, 0).unwrap_or_else(|| text.to_string());
        context.warn(
            &element,
            &target,
            format!("`{name}` is not a storage account or key vault, the perimeter members vnetlab models: not imported"),
        );
        return;
    };
    let Some(member) = context.reference(kind, &element, &target) else {
        return;
    };
    let profile_id = properties
        .get("profile")
        .and_then(|holder| holder.str_at("id"))
        .unwrap_or_default();
    let perimeter = perimeter_of(context, design, resource);
    let Some(profile_name) = profile_id.rsplit('/').next().filter(|n| !n.is_empty()) else {
        context.warn(
            &element,
            &resource.node,
            "the association has no `profile.id`: not imported",
        );
        return;
    };
    let perimeter_name = &design.network_security_perimeters[perimeter].name;
    let same_perimeter = ArmId::parse(profile_id).is_none_or(|_| {
        referenced_name(profile_id, 1)
            .is_some_and(|names| names.split('/').next() == Some(perimeter_name.as_str()))
    });
    if !same_perimeter {
        context.warn(
            &element,
            &resource.node,
            format!("profile `{profile_id}` is not a profile of perimeter `{perimeter_name}`; the association keeps its name"),
        );
    }
    let access_mode = context
        .choice(&element, &properties, "accessMode", &ACCESS_MODES)
        .unwrap_or_default();
    let name = resource.name().to_string();
    let associations = &mut design.network_security_perimeters[perimeter].associations;
    associations.retain(|a| a.name != name);
    associations.push(PerimeterAssociation {
        name,
        resource: member,
        profile: profile_name.to_string(),
        access_mode,
    });
}
