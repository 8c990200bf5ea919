//! Azure Firewall rules, shared by classic rule collections and Firewall Policy rule collection
//! groups (which spell protocols `ipProtocols` where classic rules say `protocols`). Address
//! ranges (`a.b.c.d-e.f.g.h`) become the exact prefixes that cover them.

use super::context::Context;
use super::kind::Kind;
use super::values;
use crate::import::node::Node;
use crate::model::{
    ApplicationProtocol, ApplicationProtocolPort, ApplicationRule, NatRule, NetworkRule, Protocol,
};

const APPLICATION_PROTOCOLS: [(&str, ApplicationProtocol, u16); 3] = [
    ("Http", ApplicationProtocol::Http, 80),
    ("Https", ApplicationProtocol::Https, 443),
    ("Mssql", ApplicationProtocol::Mssql, 1433),
];

/// A network rule; `None` (reported) without protocols or destination ports.
pub(super) fn network_rule(
    context: &mut Context,
    collection: &str,
    node: &Node,
) -> Option<NetworkRule> {
    let name = node.str_at("name").unwrap_or_default().to_string();
    let element = format!("{collection}/{name}");
    let protocols = protocols(context, &element, node);
    let ports = context.texts(&element, node, "destinationPorts");
    let destination_ports = context.ports(&element, &ports);
    if protocols.is_empty() || destination_ports.is_empty() {
        context.warn(
            &element,
            node,
            "the network rule needs protocols and destination ports: not imported",
        );
        return None;
    }
    let sources = addresses(context, &element, node, "sourceAddresses");
    let destinations = addresses(context, &element, node, "destinationAddresses");
    Some(NetworkRule {
        name,
        protocols,
        sources,
        source_ip_groups: ip_groups(context, &element, node, "sourceIpGroups"),
        destinations,
        destination_ip_groups: ip_groups(context, &element, node, "destinationIpGroups"),
        destination_fqdns: plain_texts(context, &element, node, "destinationFqdns"),
        destination_ports,
    })
}

/// An application rule; `None` (reported) without a usable protocol.
pub(super) fn application_rule(
    context: &mut Context,
    collection: &str,
    node: &Node,
) -> Option<ApplicationRule> {
    let name = node.str_at("name").unwrap_or_default().to_string();
    let element = format!("{collection}/{name}");
    let mut protocols = Vec::new();
    for item in context.list(&element, node, "protocols") {
        let properties = item.properties();
        let Some(protocol_type) = properties.get("protocolType") else {
            context.warn(
                &element,
                &item,
                "the protocol has no `protocolType`; ignored",
            );
            continue;
        };
        let text = protocol_type.as_str().unwrap_or_default();
        let Some((_, protocol, default_port)) = APPLICATION_PROTOCOLS
            .iter()
            .find(|(known, _, _)| known.eq_ignore_ascii_case(text.trim()))
        else {
            context.warn(
                &element,
                &protocol_type,
                format!("`{text}` is not Http, Https or Mssql; ignored"),
            );
            continue;
        };
        let port = context
            .number::<u16>(&element, &properties, "port")
            .unwrap_or(*default_port);
        protocols.push(ApplicationProtocolPort {
            protocol: *protocol,
            port,
        });
    }
    if protocols.is_empty() {
        context.warn(
            &element,
            node,
            "the application rule has no usable protocol: not imported",
        );
        return None;
    }
    for unsupported in ["targetUrls", "webCategories"] {
        if node
            .get(unsupported)
            .is_some_and(|list| !list.items().is_empty())
        {
            context.warn(
                &element,
                node,
                format!("`{unsupported}` is not modelled; ignored"),
            );
        }
    }
    let sources = addresses(context, &element, node, "sourceAddresses");
    Some(ApplicationRule {
        name,
        sources,
        source_ip_groups: ip_groups(context, &element, node, "sourceIpGroups"),
        protocols,
        target_fqdns: plain_texts(context, &element, node, "targetFqdns"),
        fqdn_tags: plain_texts(context, &element, node, "fqdnTags"),
    })
}

/// A DNAT rule, translated to an address or to an FQDN (`translatedFqdn`, resolved by the
/// firewall when a packet matches); `None` (reported) when it filters on source IP groups (not
/// modelled) or lacks a destination, a translation or a port.
pub(super) fn nat_rule(context: &mut Context, collection: &str, node: &Node) -> Option<NatRule> {
    let name = node.str_at("name").unwrap_or_default().to_string();
    let element = format!("{collection}/{name}");
    if node
        .get("sourceIpGroups")
        .is_some_and(|g| !g.items().is_empty())
    {
        context.warn(
            &element,
            node,
            "DNAT rules with source IP groups are not modelled: not imported",
        );
        return None;
    }
    let destinations = context.texts(&element, node, "destinationAddresses");
    if destinations.len() > 1 {
        context.warn(
            &element,
            node,
            "a DNAT rule has one destination address; only the first is used",
        );
    }
    let destination_address = destinations
        .first()
        .and_then(|(node, text)| context.report(&element, node, values::address(text)));
    let translated_fqdn = node
        .str_at("translatedFqdn")
        .map(str::trim)
        .filter(|f| !f.is_empty())
        .map(str::to_string);
    let translated_address = match translated_fqdn {
        Some(_) => None,
        None => context.ipv4(&element, node, "translatedAddress"),
    };
    let translated_port = context.number::<u16>(&element, node, "translatedPort");
    let protocols = protocols(context, &element, node);
    let ports = context.texts(&element, node, "destinationPorts");
    let destination_ports = context.ports(&element, &ports);
    let translated = translated_address.is_some() || translated_fqdn.is_some();
    let (Some(destination_address), true, Some(translated_port)) =
        (destination_address, translated, translated_port)
    else {
        context.warn(
            &element,
            node,
            "the DNAT rule needs a destination address, a translated address or FQDN and a \
             translated port: not imported",
        );
        return None;
    };
    if protocols.is_empty() || destination_ports.is_empty() {
        context.warn(
            &element,
            node,
            "the DNAT rule needs protocols and destination ports: not imported",
        );
        return None;
    }
    let sources = addresses(context, &element, node, "sourceAddresses");
    Some(NatRule {
        name,
        protocols,
        sources,
        destination_address,
        destination_ports,
        translated_address,
        translated_fqdn,
        translated_port,
    })
}

/// `ipProtocols` (policy rules) or `protocols` (classic rules).
fn protocols(context: &mut Context, element: &str, node: &Node) -> Vec<Protocol> {
    let key = if node.get("ipProtocols").is_some() {
        "ipProtocols"
    } else {
        "protocols"
    };
    context
        .texts(element, node, key)
        .iter()
        .filter_map(|(node, text)| context.parse::<Protocol>(element, node, text))
        .collect()
}

fn plain_texts(context: &mut Context, element: &str, node: &Node, key: &str) -> Vec<String> {
    context
        .texts(element, node, key)
        .into_iter()
        .map(|(_, text)| text.to_string())
        .collect()
}

fn addresses(
    context: &mut Context,
    element: &str,
    node: &Node,
    key: &str,
) -> Vec<crate::model::AddressMatch> {
    let entries = context.texts(element, node, key);
    context.addresses(element, &entries)
}

fn ip_groups(context: &mut Context, element: &str, node: &Node, key: &str) -> Vec<String> {
    context
        .texts(element, node, key)
        .iter()
        .filter_map(|(id, _)| context.reference(Kind::IpGroup, element, id))
        .collect()
}
