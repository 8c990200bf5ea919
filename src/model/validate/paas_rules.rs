//! PaaS network rules that cannot work as written (issue 12, defect 7):
//! - a storage (or key vault, registry) virtual network rule for a subnet without the matching
//!   service endpoint admits nothing ("Azure Storage firewall rules" / "Virtual network service
//!   endpoints": the subnet must have the service endpoint enabled for the rule to apply);
//! - a managed-VNet FQDN outbound rule naming a storage account in allow-only-approved mode:
//!   FQDN rules go through the managed firewall, which never reaches storage ("Workspace managed
//!   network isolation": use a private endpoint outbound rule for storage).

use super::Validator;
use crate::model::{ManagedIsolationMode, OutboundRule, PaasKind};

/// Storage data-plane suffixes per cloud (blob, file, queue, table, dfs, static web).
const STORAGE_SUFFIXES: &[&str] = &[
    ".blob.core.windows.net",
    ".file.core.windows.net",
    ".queue.core.windows.net",
    ".table.core.windows.net",
    ".dfs.core.windows.net",
    ".web.core.windows.net",
    ".blob.core.usgovcloudapi.net",
    ".file.core.usgovcloudapi.net",
    ".queue.core.usgovcloudapi.net",
    ".table.core.usgovcloudapi.net",
    ".dfs.core.usgovcloudapi.net",
    ".web.core.usgovcloudapi.net",
];

fn names_storage(fqdn: &str) -> bool {
    let fqdn = fqdn.trim_end_matches('.').to_ascii_lowercase();
    STORAGE_SUFFIXES.iter().any(|suffix| fqdn.ends_with(suffix))
}

/// The service endpoints that make a subnet's traffic count for a resource's VNet rules.
fn endpoints_for(kind: PaasKind) -> &'static [&'static str] {
    match kind {
        PaasKind::StorageAccount => &["Microsoft.Storage", "Microsoft.Storage.Global"],
        PaasKind::KeyVault => &["Microsoft.KeyVault"],
        PaasKind::ContainerRegistry => &["Microsoft.ContainerRegistry"],
    }
}

impl Validator<'_> {
    pub(super) fn check_vnet_rules_have_endpoints(&mut self) {
        let design = self.design;
        for (i, resource) in design.resources.iter().enumerate() {
            let wanted = endpoints_for(resource.kind);
            for (v, subnet) in resource
                .network_acls
                .virtual_network_rules
                .iter()
                .enumerate()
            {
                let Some((vnet, name)) = subnet.split_once('/') else {
                    continue;
                };
                let Some(found) = design
                    .virtual_networks
                    .iter()
                    .filter(|n| n.name == vnet)
                    .flat_map(|n| &n.subnets)
                    .find(|s| s.name == name)
                else {
                    continue;
                };
                let has_endpoint = found
                    .service_endpoints
                    .iter()
                    .any(|e| wanted.iter().any(|w| e.eq_ignore_ascii_case(w)));
                if !has_endpoint {
                    self.warning(
                        &resource.name,
                        format!("$.resources[{i}].network_acls.virtual_network_rules[{v}]"),
                        format!("subnet {subnet} has no {} service endpoint: this virtual network rule admits nothing from it until the endpoint is enabled", wanted[0]),
                    );
                }
            }
        }
    }

    pub(super) fn check_managed_fqdn_rules(&mut self) {
        let design = self.design;
        for (w, workspace) in design.workspaces.iter().enumerate() {
            let managed = &workspace.managed_network;
            if managed.isolation_mode != ManagedIsolationMode::AllowOnlyApprovedOutbound {
                continue;
            }
            for (r, rule) in managed.outbound_rules.iter().enumerate() {
                if let OutboundRule::Fqdn { name, fqdn, .. } = rule {
                    if names_storage(fqdn) {
                        self.warning(
                            &workspace.name,
                            format!("$.workspaces[{w}].managed_network.outbound_rules[{r}].fqdn"),
                            format!("FQDN rule {name} names storage ({fqdn}): in allow-only-approved mode FQDN rules never reach a storage account; use a private endpoint outbound rule"),
                        );
                    }
                }
            }
        }
    }
}
