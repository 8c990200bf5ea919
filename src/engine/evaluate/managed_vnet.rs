//! The walk from a compute in an AML managed virtual network (Microsoft Learn, "Workspace
//! managed virtual network isolation"): private endpoints the workspace manages, FQDN and
//! service-tag outbound rules, and the isolation mode deciding what else leaves.

use std::fmt;

use super::managed_network::fqdn_rule_ports;
use super::{End, Walk};
use crate::engine::dns::fqdn_matches;
use crate::engine::endpoints::{Destination, Entity};
use crate::engine::paas::AccessPath;
use crate::engine::port_span::PortSpan;
use crate::engine::trace::{Outcome, RuleRef, Step, Verdict};
use crate::model::{
    Compute, ComputeKind, ManagedIsolationMode, OutboundRule, PaasKind, Protocol, Workspace,
};

impl<'e> Walk<'e> {
    pub(super) fn start_in_managed_vnet(
        &mut self,
        workspace: &'e Workspace,
        compute: &'e Compute,
        destination: &Destination<'e>,
    ) -> End {
        let engine = self.engine;
        let design = &engine.design;
        let network = &workspace.managed_network;
        let element = fmt::from_fn(|f| write!(f, "{} managed VNet", workspace.name));
        let own_resources = [
            &workspace.storage_account,
            &workspace.key_vault,
            &workspace.container_registry,
        ];
        let target_name = match &destination.entity {
            Entity::Resource(r) => Some(r.name.as_str()),
            Entity::Workspace(w) => Some(w.name.as_str()),
            _ => None,
        };
        let rule_ref = |name: &str| {
            Some(RuleRef {
                name: name.to_string(),
                priority: None,
                container: format!("{} outbound rules", workspace.name),
            })
        };
        let approved_only =
            network.isolation_mode == ManagedIsolationMode::AllowOnlyApprovedOutbound;
        if let Some(target) = target_name {
            let public_access_disabled = match &destination.entity {
                Entity::Resource(r) => {
                    r.public_network_access != crate::model::PublicNetworkAccess::Enabled
                }
                Entity::Workspace(w) => {
                    w.public_network_access != crate::model::PublicNetworkAccess::Enabled
                }
                _ => false,
            };
            let is_own = target == workspace.name
                || own_resources.iter().any(|r| r.as_deref() == Some(target));
            let auto_private_endpoint = is_own && (approved_only || public_access_disabled);
            let user_rule = network.outbound_rules.iter().find_map(|rule| match rule {
                OutboundRule::PrivateEndpoint {
                    name,
                    target: t,
                    sub_resource,
                    spark_enabled,
                } if t == target
                    && destination
                        .sub_resource
                        .as_deref()
                        .is_none_or(|s| s.eq_ignore_ascii_case(sub_resource)) =>
                {
                    Some((name.as_str(), *spark_enabled))
                }
                _ => None,
            });
            let (user_rule, end) = self.spark_private_endpoint(
                workspace,
                compute,
                target,
                (auto_private_endpoint, user_rule),
                approved_only,
            );
            if let Some(end) = end {
                return end;
            }
            let auto_private_endpoint = auto_private_endpoint
                && (compute.kind != ComputeKind::ServerlessSpark || network.spark_ready);
            if auto_private_endpoint || user_rule.is_some() {
                let managed_name;
                let name = match user_rule {
                    Some(name) => name,
                    None => {
                        managed_name =
                            self.text(format_args!("managed private endpoint to {target}"));
                        &managed_name
                    }
                };
                self.hop(
                    Step::PrivateEndpoint,
                    &element,
                    Outcome::Allow,
                    || rule_ref(name),
                    format_args!(
                        "{name}: the managed VNet reaches {target} through a private endpoint"
                    ),
                );
                return self.data_plane(target, &AccessPath::PrivateEndpoint { name }, destination);
            }
        }
        if !approved_only {
            self.hop(
                Step::InternetEgress,
                &element,
                Outcome::Allow,
                || rule_ref("allow_internet_outbound"),
                "isolation mode allow_internet_outbound: all internet egress is allowed",
            );
            let path = AccessPath::Public {
                source_ip: None,
                azure_region: Some(&workspace.region),
            };
            return self.public_destination(&path, destination);
        }
        for rule in &network.outbound_rules {
            let allowed = match rule {
                OutboundRule::ServiceTag {
                    tag,
                    protocol,
                    ports,
                    ..
                } => {
                    let tag = match crate::engine::service_tags::lookup_tag(tag) {
                        crate::engine::service_tags::TagLookup::Known(t)
                        | crate::engine::service_tags::TagLookup::Alias { canonical: t, .. } => t,
                        crate::engine::service_tags::TagLookup::Unknown => continue,
                    };
                    crate::engine::nsg::protocol_matches(
                        *protocol,
                        self.flow.protocol,
                        &design.options,
                    ) && crate::engine::address::tag_matches(
                        &tag,
                        &destination.party,
                        engine.service_tags(),
                        design.cloud,
                    ) == crate::engine::address::Match::Yes
                        && PortSpan::check_in(&self.ports, ports)
                }
                OutboundRule::Fqdn { name, fqdn, ports } => {
                    let web_ports = fqdn_rule_ports(ports);
                    let storage = matches!(destination.entity, Entity::Resource(r) if r.kind == PaasKind::StorageAccount)
                        || matches!(
                            destination.entity,
                            Entity::UnmodelledResource {
                                kind: PaasKind::StorageAccount,
                                ..
                            }
                        );
                    let named = self.flow.protocol == Protocol::Tcp
                        && destination
                            .fqdn
                            .as_deref()
                            .is_some_and(|f| fqdn_matches(fqdn, f));
                    if named && storage {
                        self.hop(Step::InternetEgress, &element, Outcome::Info, || rule_ref(name), format_args!("FQDN rule {name} names this storage account, but FQDN rules never reach Azure Storage (use a private endpoint outbound rule)"));
                    }
                    !storage && named && PortSpan::check_in(&self.ports, &web_ports)
                }
                OutboundRule::PrivateEndpoint { .. } => false,
            };
            if allowed {
                let name = match rule {
                    OutboundRule::ServiceTag { name, .. }
                    | OutboundRule::Fqdn { name, .. }
                    | OutboundRule::PrivateEndpoint { name, .. } => name,
                };
                self.hop(
                    Step::InternetEgress,
                    &element,
                    Outcome::Allow,
                    || rule_ref(name),
                    format_args!("outbound rule {name} allows it (managed firewall)"),
                );
                let path = AccessPath::Public {
                    source_ip: None,
                    azure_region: Some(&workspace.region),
                };
                return self.public_destination(&path, destination);
            }
        }
        let reason = format_args!("isolation mode allow_only_approved_outbound: no outbound rule of {} allows this (FQDN rules: TCP 80/443 only and never storage)", workspace.name);
        self.stop(
            Verdict::Blocked,
            Step::InternetEgress,
            &element,
            || rule_ref("allow_only_approved_outbound"),
            reason,
        )
    }
}
