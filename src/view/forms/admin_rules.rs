//! Drafts of the Virtual Network Manager editor: a network group (its static member VNets), a
//! security admin rule collection (the network groups it applies to) and a security admin rule.
//! Microsoft Learn, "Security admin rules in Azure Virtual Network Manager": priorities 1-4096,
//! actions Allow / Always Allow / Deny.

use crate::model::{
    AddressMatch, AdminAccess, AdminRule, Design, Direction, NetworkGroup, NetworkManager,
    PortRange, Protocol,
};

use super::{items, join, list, name, Errors};
use crate::view::edit::FieldError;

/// A network group as typed: its name and member VNets (comma-separated names).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NetworkGroupDraft {
    pub name: String,
    pub vnets: String,
}

impl NetworkGroupDraft {
    pub fn of(group: &NetworkGroup) -> Self {
        NetworkGroupDraft {
            name: group.name.clone(),
            vnets: group.vnets.join(", "),
        }
    }

    /// A new group holding every VNet of the design.
    pub fn new_group(design: &Design) -> Self {
        NetworkGroupDraft {
            name: "network-group".to_string(),
            vnets: design
                .virtual_networks
                .iter()
                .map(|v| v.name.as_str())
                .collect::<Vec<_>>()
                .join(", "),
        }
    }

    /// Parses the draft; members must be VNets of `design`.
    pub fn parse(&self, design: &Design) -> Result<NetworkGroup, Vec<FieldError>> {
        let mut errors = Errors::default();
        let name = name(&mut errors, &self.name, "network group");
        let vnets: Vec<String> = items(&self.vnets).into_iter().map(str::to_string).collect();
        if let Some(unknown) = vnets
            .iter()
            .find(|v| !design.virtual_networks.iter().any(|n| &n.name == *v))
        {
            errors.add("vnets", format!("`{unknown}` is not a VNet of the design"));
        } else if vnets.is_empty() {
            errors.add("vnets", "a network group needs at least one member VNet");
        }
        errors.finish(NetworkGroup { name, vnets })
    }
}

/// A rule collection's name and target network groups as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AdminCollectionDraft {
    pub name: String,
    pub network_groups: String,
}

/// A parsed collection header (the rules are kept).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AdminCollectionHeader {
    pub name: String,
    pub network_groups: Vec<String>,
}

impl AdminCollectionDraft {
    pub fn of(name: &str, network_groups: &[String]) -> Self {
        AdminCollectionDraft {
            name: name.to_string(),
            network_groups: network_groups.join(", "),
        }
    }

    /// Parses the draft; the groups must be network groups of `manager`.
    pub fn parse(
        &self,
        manager: &NetworkManager,
    ) -> Result<AdminCollectionHeader, Vec<FieldError>> {
        let mut errors = Errors::default();
        let name = name(&mut errors, &self.name, "rule collection");
        let network_groups: Vec<String> = items(&self.network_groups)
            .into_iter()
            .map(str::to_string)
            .collect();
        if let Some(unknown) = network_groups
            .iter()
            .find(|g| !manager.network_groups.iter().any(|n| &n.name == *g))
        {
            errors.add(
                "network_groups",
                format!("`{unknown}` is not a network group of {}", manager.name),
            );
        } else if network_groups.is_empty() {
            errors.add(
                "network_groups",
                "a rule collection applies to at least one network group",
            );
        }
        errors.finish(AdminCollectionHeader {
            name,
            network_groups,
        })
    }
}

/// The admin rule actions, in the spelling of the design format.
pub const ADMIN_ACCESSES: [&str; 3] = ["Allow", "AlwaysAllow", "Deny"];

/// A security admin rule as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AdminRuleDraft {
    pub name: String,
    pub priority: String,
    pub direction: String,
    pub access: String,
    pub protocol: String,
    pub source: String,
    pub source_ports: String,
    pub destination: String,
    pub destination_ports: String,
}

impl AdminRuleDraft {
    pub fn of(rule: &AdminRule) -> Self {
        AdminRuleDraft {
            name: rule.name.clone(),
            priority: rule.priority.to_string(),
            direction: format!("{:?}", rule.direction),
            access: format!("{:?}", rule.access),
            protocol: rule.protocol.to_string(),
            source: join(&rule.source),
            source_ports: join(&rule.source_ports),
            destination: join(&rule.destination),
            destination_ports: join(&rule.destination_ports),
        }
    }

    /// A new inbound Deny rule for SSH and RDP from anywhere, at `priority`.
    pub fn new_rule(priority: u32) -> Self {
        AdminRuleDraft {
            name: "deny-ssh-rdp".to_string(),
            priority: priority.to_string(),
            direction: "Inbound".to_string(),
            access: "Deny".to_string(),
            protocol: "tcp".to_string(),
            source: "*".to_string(),
            source_ports: "*".to_string(),
            destination: "*".to_string(),
            destination_ports: "22, 3389".to_string(),
        }
    }

    pub fn parse(&self) -> Result<AdminRule, Vec<FieldError>> {
        let mut errors = Errors::default();
        let name = name(&mut errors, &self.name, "rule");
        let priority = match self.priority.trim().parse::<u32>() {
            Ok(p) if (1..=4096).contains(&p) => p,
            _ => {
                errors.add("priority", "priority is a number from 1 to 4096");
                0
            }
        };
        let direction = match self.direction.trim().to_ascii_lowercase().as_str() {
            "inbound" => Direction::Inbound,
            "outbound" => Direction::Outbound,
            _ => {
                errors.add("direction", "direction is Inbound or Outbound");
                Direction::Inbound
            }
        };
        let access = match self.access.trim().to_ascii_lowercase().as_str() {
            "allow" => AdminAccess::Allow,
            "alwaysallow" | "always allow" => AdminAccess::AlwaysAllow,
            "deny" => AdminAccess::Deny,
            _ => {
                errors.add("access", "the action is Allow, AlwaysAllow or Deny");
                AdminAccess::Deny
            }
        };
        let protocol = self.protocol.parse::<Protocol>().unwrap_or_else(|e| {
            errors.add("protocol", e.to_string());
            Protocol::Any
        });
        let mut addresses = |field: &'static str, text: &str| {
            let values = list::<AddressMatch>(text).unwrap_or_else(|e| {
                errors.add(field, e);
                Vec::new()
            });
            if values.is_empty() && !errors.0.iter().any(|e| e.field == field) {
                errors.add(
                    field,
                    "give at least one address, prefix or service tag (`*` for any)",
                );
            }
            values
        };
        let source = addresses("source", &self.source);
        let destination = addresses("destination", &self.destination);
        let mut ports = |field: &'static str, text: &str| {
            let values = list::<PortRange>(text).unwrap_or_else(|e| {
                errors.add(field, e);
                Vec::new()
            });
            if values.is_empty() && !errors.0.iter().any(|e| e.field == field) {
                errors.add(field, "give at least one port or range (`*` for all)");
            }
            values
        };
        let source_ports = ports("source_ports", &self.source_ports);
        let destination_ports = ports("destination_ports", &self.destination_ports);
        errors.finish(AdminRule {
            name,
            priority,
            direction,
            access,
            protocol,
            source,
            source_ports,
            destination,
            destination_ports,
        })
    }
}
