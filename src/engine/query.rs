//! A flow as a person writes it — `--from ci --to pypi.org --proto tcp --port 443` — resolved
//! against a design. Shared by `vnetlab trace` and the browser's trace form, so both trace the
//! same flow for the same words.

use std::net::Ipv4Addr;

use crate::model::Design;

use super::{Flow, FlowSource, FlowTarget};

/// A source: an IPv4 address, otherwise an element name (the engine says when none has it).
pub fn flow_source(text: &str) -> FlowSource {
    let text = text.trim();
    text.parse::<Ipv4Addr>().map_or_else(
        |_| FlowSource::Element(text.to_string()),
        FlowSource::Address,
    )
}

/// A destination: an IPv4 address, an element of `design`, or (with a dot) an FQDN resolved
/// from the source.
pub fn flow_target(text: &str, design: &Design) -> FlowTarget {
    let text = text.trim();
    if let Ok(ip) = text.parse::<Ipv4Addr>() {
        return FlowTarget::Address(ip);
    }
    if !names_element(design, text) && text.contains('.') {
        FlowTarget::Fqdn(text.to_string())
    } else {
        FlowTarget::Element(text.to_string())
    }
}

/// Whether `text` names an element a flow can start or end at: a compute, private endpoint,
/// resource, workspace, service, external host, firewall, load balancer (a destination only) or
/// subnet (`subnet` or `vnet/subnet`).
pub fn names_element(design: &Design, text: &str) -> bool {
    design.computes.iter().any(|c| c.name == text)
        || design.private_endpoints.iter().any(|p| p.name == text)
        || design.resources.iter().any(|r| r.name == text)
        || design.workspaces.iter().any(|w| w.name == text)
        || design.services.iter().any(|s| s.name == text)
        || design.external_hosts.iter().any(|h| h.name == text)
        || design.firewalls.iter().any(|f| f.name == text)
        || design.load_balancers.iter().any(|l| l.name == text)
        || design.virtual_networks.iter().any(|v| {
            v.subnets
                .iter()
                .any(|s| s.name == text || format!("{}/{}", v.name, s.name) == text)
        })
}

/// The flow `from` → `to` over `protocol` and `port`, as `vnetlab trace` reads it.
pub fn flow_between(
    design: &Design,
    from: &str,
    to: &str,
    protocol: crate::model::Protocol,
    port: Option<u16>,
) -> Flow {
    Flow::new(flow_source(from), flow_target(to, design), protocol, port)
}
