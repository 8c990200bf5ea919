//! The walk's Virtual Network Manager step: the security admin rules of the VNet, evaluated
//! before its NSGs in each direction (`admin_rules.rs`; Microsoft Learn, "Security admin rules
//! in Azure Virtual Network Manager").

use super::{no_rule, End, Walk};
use crate::engine::address::{AddressScope, Party};
use crate::engine::admin_rules::AdminDecision;
use crate::engine::nsg::NsgPacket;
use crate::engine::trace::{Outcome, RuleRef, Step, Verdict};
use crate::model::{AdminAccess, Direction};

/// What the admin rules leave to the NSGs.
pub(super) enum AdminOutcome {
    /// No admin rule matched, or an `Allow` rule did: the NSGs decide.
    EvaluateNsgs,
    /// An `AlwaysAllow` rule matched: the NSGs are skipped.
    SkipNsgs,
    Stop(End),
}

impl<'e> Walk<'e> {
    /// The admin rules of `subnet`'s VNet for `direction`.
    pub(super) fn admin_rules(
        &mut self,
        direction: Direction,
        subnet: &str,
        source: &Party,
        destination: &Party,
    ) -> AdminOutcome {
        let engine = self.engine;
        let vnet = subnet.split('/').next().unwrap_or_default();
        let Some(rules) = engine.admin_rules.get(vnet) else {
            return AdminOutcome::EvaluateNsgs;
        };
        let no_scope = AddressScope::default();
        let scope = engine
            .subnet_routes
            .get(subnet)
            .map_or(&no_scope, |r| &r.scope);
        let packet = NsgPacket {
            source,
            destination,
            protocol: self.flow.protocol,
            ports: &self.ports,
        };
        let decision = rules.evaluate(
            direction,
            packet,
            scope,
            engine.service_tags(),
            engine.design.cloud,
            &engine.design.options,
        );
        let rule_ref = |rule: &crate::engine::admin_rules::CompiledAdminRule| {
            Some(RuleRef {
                name: rule.rule.name.clone(),
                priority: Some(rule.rule.priority),
                container: format!("{}/{}", rule.manager, rule.collection),
            })
        };
        let way = if direction == Direction::Inbound {
            "inbound"
        } else {
            "outbound"
        };
        match decision {
            AdminDecision::NoRuleMatched => {
                self.hop(
                    Step::AdminRule,
                    vnet,
                    Outcome::Info,
                    no_rule,
                    format_args!(
                        "no security admin rule of VNet {vnet} matches {way}: the NSGs decide"
                    ),
                );
                AdminOutcome::EvaluateNsgs
            }
            AdminDecision::Matched(rule) => {
                let name = &rule.rule.name;
                let priority = rule.rule.priority;
                let manager = &rule.manager;
                match rule.access {
                    AdminAccess::Allow => {
                        self.hop(Step::AdminRule, manager, Outcome::Info, || rule_ref(rule), format_args!("security admin rule {name} (priority {priority}) allows it {way}; the NSGs still decide"));
                        AdminOutcome::EvaluateNsgs
                    }
                    AdminAccess::AlwaysAllow => {
                        self.hop(Step::AdminRule, manager, Outcome::Allow, || rule_ref(rule), format_args!("security admin rule {name} (priority {priority}) always allows it {way}: the NSGs are not evaluated"));
                        AdminOutcome::SkipNsgs
                    }
                    AdminAccess::Deny => AdminOutcome::Stop(self.stop(
                        Verdict::Blocked,
                        Step::AdminRule,
                        manager,
                        || rule_ref(rule),
                        format_args!("security admin rule {name} (priority {priority}) of {manager} denies it {way}, before any NSG"),
                    )),
                }
            }
            AdminDecision::Undecidable { rule, reason } => {
                let text = format_args!("security admin rule {}: {reason}", rule.rule.name);
                AdminOutcome::Stop(self.stop(
                    Verdict::Unsupported,
                    Step::AdminRule,
                    &rule.manager,
                    || rule_ref(rule),
                    text,
                ))
            }
        }
    }
}
