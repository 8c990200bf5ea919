//! The DNS step for a well-known host the design does not model (`well_known.rs`): the host is
//! a member of its service tags, at an address of its first tag, or a host outside Azure.

use super::{no_rule, Walk};
use crate::engine::address::Party;
use crate::engine::endpoints::{Destination, Entity};
use crate::engine::service_tags::{lookup_tag, CanonicalTag, TagLookup};
use crate::engine::trace::{Outcome, Step};
use crate::engine::well_known::WellKnownHost;

impl<'e> Walk<'e> {
    pub(super) fn well_known_destination(
        &mut self,
        fqdn: &str,
        host: &'static WellKnownHost,
    ) -> Destination<'e> {
        let member_of: Vec<CanonicalTag> = host
            .service_tags
            .iter()
            .filter_map(|tag| match lookup_tag(tag) {
                TagLookup::Known(tag) | TagLookup::Alias { canonical: tag, .. } => Some(tag),
                TagLookup::Unknown => None,
            })
            .collect();
        let data = self.engine.service_tags();
        let ip = member_of
            .iter()
            .find_map(|tag| data.representative_address(tag));
        let party = Party {
            ip,
            outside_azure: member_of.is_empty(),
            member_of,
            ..Party::default()
        };
        let owner = if host.attacker_can_own {
            "; anyone, an attacker too, can own a name or content there"
        } else {
            ""
        };
        self.hop(
            Step::Dns,
            fqdn,
            Outcome::Forward,
            no_rule,
            format_args!(
                "{fqdn} is not modelled but well known: {} ({}){owner}",
                host.what,
                tags(host.service_tags)
            ),
        );
        Destination {
            party,
            entity: Entity::OtherAddress,
            fqdn: Some(fqdn.to_string()),
            sub_resource: None,
        }
    }
}

/// The tags as the trace names them, formatted only when the walk explains.
fn tags<'a>(tags: &'a [&'a str]) -> impl std::fmt::Display + 'a {
    std::fmt::from_fn(move |f| match tags {
        [] => f.write_str("outside Azure, in no service tag"),
        _ => write!(f, "service tag {}", tags.join(", ")),
    })
}
