//! Where a matched DNAT rule sends the packet: its translated address, or its translated FQDN
//! resolved by the firewall (Microsoft Learn, "Filter inbound Internet or intranet traffic
//! with Azure Firewall policy DNAT": the translated address may be an FQDN, resolved through
//! the firewall's DNS settings). vnetlab resolves it in the private DNS zones linked to the
//! firewall's VNet, then among the hosts the design models; a name found nowhere is
//! `unsupported` (the design does not say where it leads), and a linked zone without the
//! record is NXDOMAIN — never a silent miss.

use std::net::Ipv4Addr;

use super::{End, Walk};
use crate::engine::dns::PrivateAnswer;
use crate::engine::firewall::CompiledFirewall;
use crate::engine::trace::{Outcome, RuleRef, Step, Verdict};
use crate::model::DnatTarget;

impl<'e> Walk<'e> {
    /// The address a DNAT rule (`rule`) of `firewall` translates to.
    pub(super) fn dnat_address(
        &mut self,
        firewall: &CompiledFirewall,
        target: DnatTarget<'_>,
        rule: &RuleRef,
    ) -> Result<Ipv4Addr, End> {
        let fqdn = match target {
            DnatTarget::Address(address) => return Ok(address),
            DnatTarget::Fqdn(fqdn) => fqdn,
        };
        let vnet = firewall.subnet.split('/').next().unwrap_or_default();
        let element = &firewall.name;
        let by_rule = || Some(rule.clone());
        match self.engine.private_dns.lookup_name(vnet, fqdn) {
            PrivateAnswer::Record(ip) => {
                self.hop(Step::FirewallDnat, element, Outcome::Forward, by_rule, format_args!("the firewall resolves the translated FQDN {fqdn} → {ip} from a private DNS zone linked to VNet {vnet}"));
                return Ok(ip);
            }
            PrivateAnswer::Missing {
                fallback_to_internet: false,
            } => {
                let reason = format_args!("DNAT rule {} translates to {fqdn}, but the private DNS zone linked to VNet {vnet} that holds it has no record for it: NXDOMAIN", rule.name);
                return Err(self.stop(
                    Verdict::Unresolved,
                    Step::FirewallDnat,
                    element,
                    by_rule,
                    reason,
                ));
            }
            PrivateAnswer::Missing {
                fallback_to_internet: true,
            }
            | PrivateAnswer::NotLinked => {}
        }
        match self.resolve_quietly(fqdn, Some(vnet)) {
            Some(ip) => {
                self.hop(Step::FirewallDnat, element, Outcome::Forward, by_rule, format_args!("the firewall resolves the translated FQDN {fqdn} → {ip} (a host the design models)"));
                Ok(ip)
            }
            None => {
                let reason = format_args!("DNAT rule {} translates to {fqdn}, which neither a private DNS zone linked to VNet {vnet} nor a host of the design resolves: where the packet goes is unknown", rule.name);
                Err(self.stop(
                    Verdict::Unsupported,
                    Step::FirewallDnat,
                    element,
                    by_rule,
                    reason,
                ))
            }
        }
    }
}
