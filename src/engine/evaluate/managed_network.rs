//! Managed-VNet details (Microsoft Learn, "Workspace managed virtual network isolation"):
//! FQDN outbound rules open ports 80 and 443 only, and serverless Spark reaches only the
//! private endpoints marked for Spark — outbound rules with `sparkEnabled`, and the managed
//! private endpoints to the workspace's own resources once the network is provisioned for
//! Spark (`sparkReady`, `az ml workspace provision-network --include-spark`).

use super::{no_rule, End, Walk};
use crate::engine::trace::{Outcome, RuleRef, Step, Verdict};
use crate::model::{Compute, ComputeKind, PortRange, Workspace};

/// The only ports an FQDN outbound rule opens (the managed Azure Firewall's application rules).
const WEB_PORTS: [PortRange; 2] = [
    PortRange {
        first: 80,
        last: 80,
    },
    PortRange {
        first: 443,
        last: 443,
    },
];

/// The ports an FQDN rule opens: 80 and 443, or those of them its stated ports cover
/// (validation reports any other stated port).
pub(super) fn fqdn_rule_ports(stated: &[PortRange]) -> Vec<PortRange> {
    WEB_PORTS
        .into_iter()
        .filter(|web| stated.is_empty() || stated.iter().any(|r| r.contains(web.first)))
        .collect()
}

/// A managed private endpoint to `target`: `auto` (created for the workspace's own resources)
/// and the user's outbound rule with its `sparkEnabled`, when there is one.
pub(super) type ManagedEndpoints<'e> = (bool, Option<(&'e str, bool)>);

impl<'e> Walk<'e> {
    /// The user's private endpoint rule `compute` may use to reach `target`, and the end of
    /// the walk when serverless Spark finds only endpoints not marked for it in
    /// approved-only mode (in allow-internet mode it goes over the internet instead).
    pub(super) fn spark_private_endpoint(
        &mut self,
        workspace: &'e Workspace,
        compute: &'e Compute,
        target: &str,
        (auto, user): ManagedEndpoints<'e>,
        approved_only: bool,
    ) -> (Option<&'e str>, Option<End>) {
        if compute.kind != ComputeKind::ServerlessSpark {
            return (user.map(|(name, _)| name), None);
        }
        if let Some((name, true)) = user {
            return (Some(name), None);
        }
        let spark_ready = workspace.managed_network.spark_ready;
        if auto && spark_ready {
            return (None, None);
        }
        let (rule, why) = match user {
            Some((name, _)) => (
                name.to_string(),
                format!("outbound rule {name} is not marked for Spark (sparkEnabled)"),
            ),
            None if auto => (
                format!("managed private endpoint to {target}"),
                format!("the managed private endpoint to {target} serves Spark only once the network is provisioned for Spark (sparkReady)"),
            ),
            None => return (None, None),
        };
        let element = format!("{} managed VNet", workspace.name);
        let rule_ref = || {
            Some(RuleRef {
                name: rule.clone(),
                priority: None,
                container: format!("{} outbound rules", workspace.name),
            })
        };
        let spark = &compute.name;
        if approved_only {
            let reason = format_args!(
                "serverless Spark {spark} reaches only private endpoints marked for Spark: {why}"
            );
            let end = self.stop(
                Verdict::Blocked,
                Step::PrivateEndpoint,
                &element,
                rule_ref,
                reason,
            );
            return (None, Some(end));
        }
        self.hop(Step::PrivateEndpoint, &element, Outcome::Info, no_rule, format_args!("serverless Spark {spark} cannot use the private endpoint to {target} ({why}): it goes over the internet instead"));
        (None, None)
    }
}
