//! References between resources: ARM IDs resolved to element names through the input index.
//! A reference to something not in the input is reported and keeps its name, so the design
//! still shows the intent and validation reports the gap. Public IP references resolve to the
//! address, or to a placeholder awaited until conversion ends.

use std::net::Ipv4Addr;

use super::addresses::Holder;
use super::arm_id::{referenced_name, ArmId};
use super::context::Context;
use super::kind::Kind;
use super::values;
use crate::import::node::Node;

impl Context<'_> {
    /// The settings of an IP configuration and the subnet (`vnet/subnet`) it is in; a
    /// configuration without a subnet is reported and the element is not imported.
    pub(super) fn configuration_subnet<'a>(
        &mut self,
        element: &str,
        configuration: &Node<'a>,
    ) -> Option<(Node<'a>, String)> {
        let settings = configuration.properties();
        let subnet = settings
            .get("subnet")
            .and_then(|holder| self.reference(Kind::Subnet, element, &holder));
        if subnet.is_none() {
            self.warn(
                element,
                configuration,
                "the IP configuration has no subnet: not imported",
            );
        }
        Some((settings, subnet?))
    }

    /// Resolves a reference (`{"id": "/subscriptions/…"}` or the ID string) to an element name.
    /// A reference to something not in the input is reported and the name is kept, so the
    /// design still shows the intent and validation reports the gap.
    pub(super) fn reference(&mut self, kind: Kind, element: &str, holder: &Node) -> Option<String> {
        let id = if holder.value.is_object() {
            match holder.get("id") {
                Some(id) => id,
                None => {
                    self.warn(
                        element,
                        holder,
                        format!("the {} reference has no `id`; ignored", kind.describe()),
                    );
                    return None;
                }
            }
        } else {
            holder.clone()
        };
        let Some(text) = id.as_str() else {
            let found = id.type_name();
            self.warn(
                element,
                &id,
                format!("expected a resource ID string, found {found}; ignored"),
            );
            return None;
        };
        let Some(name) = referenced_name(text, kind.depth()) else {
            self.warn(
                element,
                &id,
                format!("`{text}` is not a {} resource ID; ignored", kind.describe()),
            );
            return None;
        };
        if let Some(known) = self.index.find(kind, &name) {
            return Some(known.to_string());
        }
        self.warn(
            element,
            &id,
            format!(
                "refers to {} `{name}`, which is not in the input; the reference is kept",
                kind.describe()
            ),
        );
        Some(name)
    }

    /// The references in an array member (`[{"id": …}, …]`).
    pub(super) fn references(
        &mut self,
        kind: Kind,
        element: &str,
        node: &Node,
        key: &str,
    ) -> Vec<String> {
        self.list(element, node, key)
            .iter()
            .filter_map(|item| self.reference(kind, element, item))
            .collect()
    }

    /// The address of a referenced public IP: inline (expanded REST output) or from the public
    /// IP resource in the input. Without one, the element waits for a placeholder (and holds
    /// the unspecified address until then), so that "has a public IP" survives the import.
    pub(super) fn public_ip(
        &mut self,
        holder: Holder,
        element: &str,
        reference: &Node,
    ) -> Option<Ipv4Addr> {
        let inline = reference
            .properties()
            .str_at("ipAddress")
            .and_then(|text| values::address(text).ok());
        if inline.is_some() {
            return inline;
        }
        let id = reference.str_at("id").or(reference.as_str())?;
        let name = referenced_name(id, 0).unwrap_or_else(|| id.to_string());
        if let Some(address) = self.index.public_ip(&name) {
            return Some(address);
        }
        let why = if self.index.find(Kind::PublicIpAddress, &name).is_some() {
            "has no address in the input"
        } else {
            "is not in the input"
        };
        let reason = format!("public IP `{name}` {why}");
        Some(self.await_public_ip(holder, element, reference, reason))
    }

    /// Resolves a private-link target ID (private endpoints, workspace outbound rules) to the
    /// name of a storage account, key vault, registry or workspace. Other targets are reported
    /// and keep their name.
    pub(super) fn link_target(&mut self, element: &str, id: &Node) -> Option<String> {
        let Some(text) = id.as_str() else {
            let found = id.type_name();
            self.warn(
                element,
                id,
                format!("expected a resource ID string, found {found}; ignored"),
            );
            return None;
        };
        match ArmId::parse(text).and_then(|id| Kind::of_id_type(&id.type_path)) {
            Some(
                kind @ (Kind::StorageAccount
                | Kind::KeyVault
                | Kind::ContainerRegistry
                | Kind::Workspace),
            ) => self.reference(kind, element, id),
            _ => {
                let name = referenced_name(text, 0).unwrap_or_else(|| text.to_string());
                self.warn(
                    element,
                    id,
                    format!(
                        "target `{name}` is not a storage account, key vault, container registry \
                         or AML workspace, the private-link targets vnetlab models; the name is kept"
                    ),
                );
                Some(name)
            }
        }
    }
}
