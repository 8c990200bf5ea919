//! Managed-VNet rules checked as written (Microsoft Learn, "Workspace managed virtual network
//! isolation"): an FQDN outbound rule opens ports 80 and 443 only; the isolation mode moves one
//! way, Disabled → AllowInternetOutbound → AllowOnlyApprovedOutbound, so a design stating the
//! workspace's previous mode cannot go back; serverless Spark runs only in a managed VNet.

use super::Validator;
use crate::model::{ComputeKind, ManagedIsolationMode, OutboundRule};

impl Validator<'_> {
    pub(super) fn check_managed_network_details(&mut self) {
        let design = self.design;
        for (w, workspace) in design.workspaces.iter().enumerate() {
            let managed = &workspace.managed_network;
            let path = format!("$.workspaces[{w}].managed_network");
            for (r, rule) in managed.outbound_rules.iter().enumerate() {
                let OutboundRule::Fqdn { name, ports, .. } = rule else {
                    continue;
                };
                let other = ports
                    .iter()
                    .find(|range| !(range.first == range.last && matches!(range.first, 80 | 443)));
                if let Some(range) = other {
                    self.error(
                        &workspace.name,
                        format!("{path}.outbound_rules[{r}].ports"),
                        format!(
                            "FQDN rule {name} names port {range}: FQDN outbound rules open only \
                             ports 80 and 443 (use a service tag or private endpoint rule)"
                        ),
                    );
                }
            }
            if let Some(previous) = managed.previous_isolation_mode {
                if previous.rank() > managed.isolation_mode.rank() {
                    self.error(
                        &workspace.name,
                        format!("{path}.isolation_mode"),
                        format!(
                            "the isolation mode cannot go back from {} to {}: it only moves \
                             Disabled → AllowInternetOutbound → AllowOnlyApprovedOutbound",
                            mode_name(previous),
                            mode_name(managed.isolation_mode)
                        ),
                    );
                }
            }
        }
        for (c, compute) in design.computes.iter().enumerate() {
            if compute.kind != ComputeKind::ServerlessSpark {
                continue;
            }
            let managed = compute
                .workspace
                .as_ref()
                .and_then(|name| design.workspaces.iter().find(|w| &w.name == name))
                .is_some_and(|w| {
                    w.managed_network.isolation_mode != ManagedIsolationMode::Disabled
                });
            if compute.nic.is_some() || !managed {
                self.error(
                    &compute.name,
                    format!("$.computes[{c}]"),
                    "serverless Spark runs only in its workspace's managed VNet: give it a \
                     workspace with a managed network and no NIC"
                        .into(),
                );
            }
        }
    }
}

fn mode_name(mode: ManagedIsolationMode) -> &'static str {
    match mode {
        ManagedIsolationMode::Disabled => "Disabled",
        ManagedIsolationMode::AllowInternetOutbound => "AllowInternetOutbound",
        ManagedIsolationMode::AllowOnlyApprovedOutbound => "AllowOnlyApprovedOutbound",
    }
}
