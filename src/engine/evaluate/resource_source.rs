//! A storage account or key vault as the sender: a PaaS resource calling another one's public
//! endpoint (or an internet host). Its network security perimeter's outbound side decides
//! first (`perimeter::outbound`: same perimeter, outbound FQDN rules, the access mode), then
//! the destination's own perimeter and firewall see a PaaS caller from a dynamic Microsoft
//! address. Microsoft Learn, "What is a network security perimeter?": outbound access is
//! approved by the FQDNs of the external destinations; members reach each other.

use super::{describe_party, no_rule, End, Walk};
use crate::engine::endpoints::{Destination, Entity};
use crate::engine::paas::AccessPath;
use crate::engine::perimeter::{self, OutboundTarget};
use crate::engine::trace::{Outcome, Step, Verdict};
use crate::model::PaasResource;

impl<'e> Walk<'e> {
    pub(super) fn start_as_resource(
        &mut self,
        source: &'e PaasResource,
        destination: &Destination<'e>,
    ) -> End {
        let design = &self.engine.design;
        let target_perimeter = match &destination.entity {
            Entity::Resource(target) => {
                perimeter::membership(design, &target.name).map(|m| m.perimeter.name.as_str())
            }
            Entity::Workspace(_)
            | Entity::UnmodelledResource { .. }
            | Entity::Service(_)
            | Entity::External(_)
            | Entity::OtherAddress => None,
            _ => {
                return self.stop(
                    Verdict::Unsupported,
                    Step::Source,
                    &source.name,
                    no_rule,
                    "a PaaS resource sends only to public endpoints here (PaaS resources, services, internet hosts), not into a VNet",
                );
            }
        };
        let membership = perimeter::membership(design, &source.name);
        let target = OutboundTarget {
            fqdn: destination.fqdn.as_deref(),
            perimeter: target_perimeter,
        };
        let label = describe_party(&destination.party);
        let shown = std::fmt::from_fn(|f| match target.fqdn {
            Some(fqdn) => f.write_str(fqdn),
            None => write!(f, "{label}"),
        });
        let outcome =
            perimeter::outbound(source, membership.as_ref(), target, &shown, &mut self.hops);
        if outcome == Outcome::Deny {
            let reason = self.hops.last_reason();
            return self.end(
                Verdict::Blocked,
                format_args!("{} may not send it: {reason}", source.name),
            );
        }
        let path = AccessPath::Resource {
            caller: source,
            perimeter: membership.map(|m| m.perimeter.name.as_str()),
        };
        self.public_destination(&path, destination)
    }
}
