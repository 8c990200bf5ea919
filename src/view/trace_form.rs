//! "Trace anything": the trace form's draft (from, to, protocol, port), resolved against the
//! design exactly as `vnetlab trace` reads its flags ([`crate::engine::query`]), with a message
//! per field for bad input; and the summary of a trace in Azure Network Watcher's words (IP
//! flow verify, next hop, NSG diagnostics).

use crate::engine::query::{flow_between, names_element};
use crate::engine::{Flow, FlowError, Outcome, Step, Trace};
use crate::model::{Design, Protocol};

use super::edit::FieldError;

/// The protocols the form offers, as `vnetlab trace --proto` takes them.
pub const PROTOCOLS: &[&str] = &["tcp", "udp", "icmp", "any"];

/// How many traced flows the event list keeps.
pub const TRACED_KEPT: usize = 20;

/// The form as typed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TraceForm {
    pub from: String,
    pub to: String,
    pub protocol: String,
    /// Empty: "some port", matched only by rules open to every port (as the CLI without
    /// `--port`).
    pub port: String,
}

impl Default for TraceForm {
    fn default() -> Self {
        TraceForm {
            from: String::new(),
            to: String::new(),
            protocol: "tcp".to_string(),
            port: String::new(),
        }
    }
}

fn error(field: &'static str, message: impl Into<String>) -> FieldError {
    FieldError {
        field,
        message: message.into(),
    }
}

impl TraceForm {
    /// The flow the form asks for, or a message per field that cannot be read.
    pub fn resolve(&self, design: &Design) -> Result<Flow, Vec<FieldError>> {
        let mut errors = Vec::new();
        let (from, to) = (self.from.trim(), self.to.trim());
        if from.is_empty() {
            errors.push(error("from", "choose where the flow starts"));
        } else if from.parse::<std::net::Ipv4Addr>().is_err() && !names_element(design, from) {
            errors.push(error(
                "from",
                format!("there is no element named `{from}` in this design"),
            ));
        }
        if to.is_empty() {
            errors.push(error(
                "to",
                "give an element, an IPv4 address or an FQDN (such as pypi.org)",
            ));
        } else if to.parse::<std::net::Ipv4Addr>().is_err()
            && !names_element(design, to)
            && !to.contains('.')
        {
            errors.push(error(
                "to",
                format!("`{to}` is not an element of this design, an IPv4 address or an FQDN"),
            ));
        }
        let protocol = match self.protocol.parse::<Protocol>() {
            Ok(protocol) => Some(protocol),
            Err(e) => {
                errors.push(error("protocol", e.to_string()));
                None
            }
        };
        let port = self.port.trim();
        let port = if port.is_empty() {
            None
        } else {
            match port.parse::<u16>() {
                Ok(_) if protocol == Some(Protocol::Icmp) => {
                    errors.push(error("port", "ICMP has no ports: leave the port empty"));
                    None
                }
                Ok(port) => Some(port),
                Err(_) => {
                    errors.push(error("port", "a port is a number from 0 to 65535"));
                    None
                }
            }
        };
        match protocol {
            Some(protocol) if errors.is_empty() => {
                Ok(flow_between(design, from, to, protocol, port))
            }
            _ => Err(errors),
        }
    }

    /// The engine's refusal of a flow, as the message of the field it is about.
    pub fn engine_error(&self, error: &FlowError) -> FieldError {
        let field = match error {
            FlowError::UnknownElement(name) if name == self.to.trim() => "to",
            FlowError::UnknownElement(_) | FlowError::NotASource { .. } => "from",
        };
        FieldError {
            field,
            message: error.to_string(),
        }
    }
}

/// The elements a flow can start at, for the form's picker: computes, subnets (`vnet/subnet`),
/// workspaces, services, external hosts, private endpoints and resources, in design order.
pub fn source_choices(design: &Design) -> Vec<String> {
    let subnets = design.virtual_networks.iter().flat_map(|v| {
        v.subnets
            .iter()
            .map(move |s| format!("{}/{}", v.name, s.name))
    });
    design
        .computes
        .iter()
        .map(|c| c.name.clone())
        .chain(subnets)
        .chain(design.workspaces.iter().map(|w| w.name.clone()))
        .chain(design.services.iter().map(|s| s.name.clone()))
        .chain(design.external_hosts.iter().map(|h| h.name.clone()))
        .chain(design.private_endpoints.iter().map(|p| p.name.clone()))
        .chain(design.resources.iter().map(|r| r.name.clone()))
        .collect()
}

/// The destinations the form suggests: every element a flow can end at, firewalls and load
/// balancers (their first frontend by name) included (an IPv4 address or an FQDN can be typed
/// instead).
pub fn destination_choices(design: &Design) -> Vec<String> {
    let mut choices = source_choices(design);
    choices.extend(design.firewalls.iter().map(|f| f.name.clone()));
    choices.extend(design.load_balancers.iter().map(|l| l.name.clone()));
    choices
}

/// One line of the Network Watcher summary: the tool's name and what it would say.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WatcherLine {
    pub tool: &'static str,
    pub text: String,
}

/// A trace in Azure Network Watcher's vocabulary: IP flow verify (allowed or denied, and the
/// rule), next hop (the route taken), NSG diagnostics (each NSG's decision).
pub fn network_watcher(trace: &Trace) -> Vec<WatcherLine> {
    let access = if trace.verdict == crate::engine::Verdict::Allowed {
        "Access: Allow".to_string()
    } else {
        format!("Access: Deny ({})", trace.verdict)
    };
    let decided = trace
        .decided_by
        .as_ref()
        .map_or(String::new(), |hop| match hop.rule.as_ref() {
            Some(rule) => format!(" — rule {} at {}", rule.name, hop.element),
            None => format!(" — at {}", hop.element),
        });
    let next_hop = trace
        .hops
        .iter()
        .filter(|hop| hop.step == Step::Route)
        .map(|hop| hop.reason.clone())
        .collect::<Vec<_>>();
    let nsgs = trace
        .hops
        .iter()
        .filter(|hop| matches!(hop.step, Step::NsgOutbound | Step::NsgInbound))
        .map(|hop| {
            let direction = if hop.step == Step::NsgOutbound {
                "outbound"
            } else {
                "inbound"
            };
            let verdict = match hop.outcome {
                Outcome::Allow => "allow",
                Outcome::Deny | Outcome::Drop => "deny",
                _ => hop.outcome.as_str(),
            };
            let rule = hop
                .rule
                .as_ref()
                .map_or(String::new(), |r| format!(" by rule {}", r.name));
            format!("{} {direction}: {verdict}{rule}", hop.element)
        })
        .collect::<Vec<_>>();
    vec![
        WatcherLine {
            tool: "IP flow verify",
            text: format!("{access}{decided}"),
        },
        WatcherLine {
            tool: "Next hop",
            text: if next_hop.is_empty() {
                "no route was looked up on this path".to_string()
            } else {
                next_hop.join("; ")
            },
        },
        WatcherLine {
            tool: "NSG diagnostics",
            text: if nsgs.is_empty() {
                "no NSG on this path".to_string()
            } else {
                nsgs.join("; ")
            },
        },
    ]
}
