//! Drafts of the firewall editor: a rule collection's header and its network, application or
//! DNAT rules (a DNAT rule translating to an address or an FQDN).

use std::net::Ipv4Addr;

use crate::model::{
    AddressMatch, ApplicationProtocol, ApplicationProtocolPort, ApplicationRule, DnatTarget,
    NatRule, NetworkRule, PortRange, Protocol, RuleAction,
};

use super::{items, join, list, name, Errors};
use crate::view::edit::FieldError;

/// A network or application rule, as the firewall editor applies it.
#[derive(Debug, Clone, PartialEq)]
pub enum FirewallRule {
    Network(NetworkRule),
    Application(ApplicationRule),
}

/// A firewall rule as typed; which fields count depends on `application`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FirewallRuleDraft {
    pub application: bool,
    pub name: String,
    /// Network: `tcp, udp`; application: `https:443, http:80`.
    pub protocols: String,
    pub sources: String,
    /// Network rules: prefixes or service tags.
    pub destinations: String,
    /// Network rules: FQDNs; application rules: target FQDNs (wildcards allowed).
    pub fqdns: String,
    /// Network rules only.
    pub destination_ports: String,
    /// Application rules only.
    pub fqdn_tags: String,
}

fn application_protocol(text: &str) -> Result<ApplicationProtocolPort, String> {
    let (protocol, port) = text
        .split_once(':')
        .ok_or_else(|| format!("`{text}`: write protocol:port, e.g. https:443"))?;
    let protocol = match protocol.trim().to_ascii_lowercase().as_str() {
        "http" => ApplicationProtocol::Http,
        "https" => ApplicationProtocol::Https,
        "mssql" => ApplicationProtocol::Mssql,
        other => return Err(format!("`{other}`: the protocol is http, https or mssql")),
    };
    let port = port
        .trim()
        .parse::<u16>()
        .ok()
        .filter(|p| *p > 0)
        .ok_or_else(|| format!("`{text}`: the port is a number from 1 to 65535"))?;
    Ok(ApplicationProtocolPort { protocol, port })
}

fn application_protocol_text(p: &ApplicationProtocolPort) -> String {
    let protocol = match p.protocol {
        ApplicationProtocol::Http => "http",
        ApplicationProtocol::Https => "https",
        ApplicationProtocol::Mssql => "mssql",
    };
    format!("{protocol}:{}", p.port)
}

impl FirewallRuleDraft {
    pub fn of(rule: &FirewallRule) -> Self {
        match rule {
            FirewallRule::Network(rule) => FirewallRuleDraft {
                application: false,
                name: rule.name.clone(),
                protocols: join(&rule.protocols),
                sources: join(&rule.sources),
                destinations: join(&rule.destinations),
                fqdns: rule.destination_fqdns.join(", "),
                destination_ports: join(&rule.destination_ports),
                fqdn_tags: String::new(),
            },
            FirewallRule::Application(rule) => FirewallRuleDraft {
                application: true,
                name: rule.name.clone(),
                protocols: rule
                    .protocols
                    .iter()
                    .map(application_protocol_text)
                    .collect::<Vec<_>>()
                    .join(", "),
                sources: join(&rule.sources),
                destinations: String::new(),
                fqdns: rule.target_fqdns.join(", "),
                destination_ports: String::new(),
                fqdn_tags: rule.fqdn_tags.join(", "),
            },
        }
    }

    /// A new rule for a collection of the given type.
    pub fn new_rule(application: bool) -> Self {
        if application {
            FirewallRuleDraft {
                application,
                name: "allow-fqdn".to_string(),
                protocols: "https:443".to_string(),
                sources: "*".to_string(),
                fqdns: "*.example.com".to_string(),
                ..FirewallRuleDraft::default()
            }
        } else {
            FirewallRuleDraft {
                application,
                name: "allow-network".to_string(),
                protocols: "tcp".to_string(),
                sources: "*".to_string(),
                destinations: "AzureCloud".to_string(),
                destination_ports: "443".to_string(),
                ..FirewallRuleDraft::default()
            }
        }
    }

    /// Parses the draft, keeping IP groups from `base`.
    pub fn parse(&self, base: Option<&FirewallRule>) -> Result<FirewallRule, Vec<FieldError>> {
        let mut errors = Errors::default();
        let name = name(&mut errors, &self.name, "rule");
        let sources = list::<AddressMatch>(&self.sources).unwrap_or_else(|e| {
            errors.add("sources", e);
            Vec::new()
        });
        let fqdns: Vec<String> = items(&self.fqdns).into_iter().map(str::to_string).collect();
        if self.application {
            let protocols = items(&self.protocols)
                .into_iter()
                .map(application_protocol)
                .collect::<Result<Vec<_>, _>>()
                .unwrap_or_else(|e| {
                    errors.add("protocols", e);
                    Vec::new()
                });
            if protocols.is_empty() && !errors.0.iter().any(|e| e.field == "protocols") {
                errors.add(
                    "protocols",
                    "give at least one protocol:port, e.g. https:443",
                );
            }
            let fqdn_tags: Vec<String> = items(&self.fqdn_tags)
                .into_iter()
                .map(str::to_string)
                .collect();
            if fqdns.is_empty() && fqdn_tags.is_empty() {
                errors.add(
                    "fqdns",
                    "an application rule needs a target FQDN or an FQDN tag",
                );
            }
            let base = match base {
                Some(FirewallRule::Application(rule)) => Some(rule),
                _ => None,
            };
            return errors.finish(FirewallRule::Application(ApplicationRule {
                name,
                sources,
                source_ip_groups: base.map(|b| b.source_ip_groups.clone()).unwrap_or_default(),
                protocols,
                target_fqdns: fqdns,
                fqdn_tags,
            }));
        }
        let protocols = list::<Protocol>(&self.protocols).unwrap_or_else(|e| {
            errors.add("protocols", e);
            Vec::new()
        });
        if protocols.is_empty() && !errors.0.iter().any(|e| e.field == "protocols") {
            errors.add(
                "protocols",
                "give at least one protocol (tcp, udp, icmp or any)",
            );
        }
        let destinations = list::<AddressMatch>(&self.destinations).unwrap_or_else(|e| {
            errors.add("destinations", e);
            Vec::new()
        });
        if let Some(wildcard) = fqdns.iter().find(|f| f.contains('*')) {
            errors.add(
                "fqdns",
                format!(
                    "`{wildcard}`: network rules take no wildcard FQDN (use an application rule)"
                ),
            );
        }
        let base = match base {
            Some(FirewallRule::Network(rule)) => Some(rule),
            _ => None,
        };
        let has_groups = base.is_some_and(|b| !b.destination_ip_groups.is_empty());
        if destinations.is_empty() && fqdns.is_empty() && !has_groups {
            errors.add(
                "destinations",
                "a network rule needs a destination address, service tag or FQDN",
            );
        }
        let destination_ports = list::<PortRange>(&self.destination_ports).unwrap_or_else(|e| {
            errors.add("destination_ports", e);
            Vec::new()
        });
        if destination_ports.is_empty() && !errors.0.iter().any(|e| e.field == "destination_ports")
        {
            errors.add(
                "destination_ports",
                "give at least one port or range (`*` for all)",
            );
        }
        errors.finish(FirewallRule::Network(NetworkRule {
            name,
            protocols,
            sources,
            source_ip_groups: base.map(|b| b.source_ip_groups.clone()).unwrap_or_default(),
            destinations,
            destination_ip_groups: base
                .map(|b| b.destination_ip_groups.clone())
                .unwrap_or_default(),
            destination_fqdns: fqdns,
            destination_ports,
        }))
    }
}

/// A DNAT rule as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NatRuleDraft {
    pub name: String,
    /// `tcp, udp` (or `any`).
    pub protocols: String,
    /// Address matches; empty for any source.
    pub sources: String,
    /// The firewall's public IP the rule listens on.
    pub destination_address: String,
    pub destination_ports: String,
    pub translated_address: String,
    pub translated_port: String,
}

fn ipv4(errors: &mut Errors, field: &'static str, text: &str) -> Ipv4Addr {
    text.trim().parse::<Ipv4Addr>().unwrap_or_else(|_| {
        errors.add(field, format!("`{}` is not an IPv4 address", text.trim()));
        Ipv4Addr::UNSPECIFIED
    })
}

/// A DNAT rule's translation as typed: an IPv4 address, or an FQDN (a name with a letter
/// before its last dot, so that a mistyped address such as `10.0.1.x` is not taken for one).
fn translation(errors: &mut Errors, text: &str) -> (Option<Ipv4Addr>, Option<String>) {
    let text = text.trim();
    if let Ok(address) = text.parse::<Ipv4Addr>() {
        return (Some(address), None);
    }
    let labels: Vec<&str> = text.split('.').collect();
    let well_formed = labels.len() > 1
        && labels.iter().all(|label| {
            !label.is_empty() && label.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        });
    let named = labels[..labels.len() - 1]
        .iter()
        .any(|label| label.chars().any(|c| c.is_ascii_alphabetic()));
    if well_formed && named {
        return (None, Some(text.to_ascii_lowercase()));
    }
    errors.add(
        "translated_address",
        format!("`{text}` is neither an IPv4 address nor an FQDN"),
    );
    (Some(Ipv4Addr::UNSPECIFIED), None)
}

impl NatRuleDraft {
    pub fn of(rule: &NatRule) -> Self {
        NatRuleDraft {
            name: rule.name.clone(),
            protocols: join(&rule.protocols),
            sources: join(&rule.sources),
            destination_address: rule.destination_address.to_string(),
            destination_ports: join(&rule.destination_ports),
            translated_address: match rule.target() {
                Some(DnatTarget::Address(address)) => address.to_string(),
                Some(DnatTarget::Fqdn(fqdn)) => fqdn.to_string(),
                None => String::new(),
            },
            translated_port: rule.translated_port.to_string(),
        }
    }

    /// A new rule: SSH on port 2222 of `public_ip` (the firewall's public IP, when it has one)
    /// to port 22 of a private address.
    pub fn new_rule(public_ip: Option<Ipv4Addr>) -> Self {
        NatRuleDraft {
            name: "dnat-ssh".to_string(),
            protocols: "tcp".to_string(),
            sources: "*".to_string(),
            destination_address: public_ip.map(|ip| ip.to_string()).unwrap_or_default(),
            destination_ports: "2222".to_string(),
            translated_address: "10.0.1.4".to_string(),
            translated_port: "22".to_string(),
        }
    }

    pub fn parse(&self) -> Result<NatRule, Vec<FieldError>> {
        let mut errors = Errors::default();
        let name = name(&mut errors, &self.name, "rule");
        let protocols = list::<Protocol>(&self.protocols)
            .and_then(|protocols| {
                match protocols
                    .iter()
                    .find(|p| !matches!(p, Protocol::Tcp | Protocol::Udp | Protocol::Any))
                {
                    Some(p) => Err(format!("`{p}`: a DNAT rule translates tcp, udp or any")),
                    None => Ok(protocols),
                }
            })
            .unwrap_or_else(|e| {
                errors.add("protocols", e);
                Vec::new()
            });
        if protocols.is_empty() && !errors.0.iter().any(|e| e.field == "protocols") {
            errors.add("protocols", "give at least one protocol (tcp, udp or any)");
        }
        let sources = list::<AddressMatch>(&self.sources).unwrap_or_else(|e| {
            errors.add("sources", e);
            Vec::new()
        });
        let destination_address = ipv4(
            &mut errors,
            "destination_address",
            &self.destination_address,
        );
        let destination_ports = list::<PortRange>(&self.destination_ports).unwrap_or_else(|e| {
            errors.add("destination_ports", e);
            Vec::new()
        });
        if destination_ports.is_empty() && !errors.0.iter().any(|e| e.field == "destination_ports")
        {
            errors.add(
                "destination_ports",
                "give at least one port or range (`*` for all)",
            );
        }
        let (translated_address, translated_fqdn) =
            translation(&mut errors, &self.translated_address);
        let translated_port = self
            .translated_port
            .trim()
            .parse::<u16>()
            .unwrap_or_else(|_| {
                errors.add(
                    "translated_port",
                    "the translated port is a number from 0 to 65535",
                );
                0
            });
        errors.finish(NatRule {
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
}

/// A rule collection's name, priority and action as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CollectionDraft {
    pub name: String,
    pub priority: String,
    pub action: String,
}

/// A parsed collection header.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CollectionHeader {
    pub name: String,
    pub priority: u32,
    pub action: RuleAction,
}

impl CollectionDraft {
    pub fn of(name: &str, priority: u32, action: RuleAction) -> Self {
        CollectionDraft {
            name: name.to_string(),
            priority: priority.to_string(),
            action: format!("{action:?}"),
        }
    }

    pub fn parse(&self) -> Result<CollectionHeader, Vec<FieldError>> {
        let mut errors = Errors::default();
        let name = name(&mut errors, &self.name, "collection");
        let priority = match self.priority.trim().parse::<u32>() {
            Ok(p) if (100..=65000).contains(&p) => p,
            _ => {
                errors.add("priority", "priority is a number from 100 to 65000");
                0
            }
        };
        let action = match self.action.trim().to_ascii_lowercase().as_str() {
            "allow" => RuleAction::Allow,
            "deny" => RuleAction::Deny,
            _ => {
                errors.add("action", "action is Allow or Deny");
                RuleAction::Deny
            }
        };
        errors.finish(CollectionHeader {
            name,
            priority,
            action,
        })
    }
}
