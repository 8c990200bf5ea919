//! The internet edge of a private subnet: a sender without a public IP or NAT gateway in a
//! subnet whose default outbound access is off has no path to the internet. The hop names the
//! subnet as private and says why — the `defaultOutboundAccess` property, or the ARM API
//! version (2025-07-01 or later) the subnet was imported at, where subnets are private unless
//! the property says otherwise (Microsoft Learn, "Default outbound access in Azure", FAQs on
//! the change to private subnets by default).

use super::{End, Walk};
use crate::engine::trace::{RuleRef, Step, Verdict};

/// Whether Azure default outbound access can give the sender an internet identity.
#[derive(Debug, Clone)]
pub(super) enum DefaultOutbound {
    /// The sender's subnet has default outbound access.
    Available,
    /// The sender's subnet is private (default outbound access off): the subnet `vnet/subnet`.
    PrivateSubnet(String),
    /// Default outbound access does not apply (a firewall, on-premises, the Azure host).
    NotApplicable,
}

impl<'e> Walk<'e> {
    /// Stops a flow to the internet at `subnet`, a private subnet.
    pub(super) fn stop_at_private_subnet(&mut self, subnet: &str) -> End {
        let api_version = self
            .engine
            .subnet(subnet)
            .and_then(|(_, s)| s.private_by_api_version.as_deref());
        let why = std::fmt::from_fn(move |f| match api_version {
            Some(version) => write!(
                f,
                "it was created at API version {version}, where subnets are private unless \
                 defaultOutboundAccess is true"
            ),
            None => f.write_str("its defaultOutboundAccess property is false"),
        });
        let reason = format_args!(
            "{subnet} is a private subnet (default outbound access off: {why}) and the sender \
             has no public IP or NAT gateway: the flow to the internet is dropped"
        );
        let rule = || {
            Some(RuleRef {
                name: "defaultOutboundAccess: false".to_string(),
                priority: None,
                container: subnet.to_string(),
            })
        };
        self.stop(Verdict::NoRoute, Step::InternetEgress, subnet, rule, reason)
    }
}
