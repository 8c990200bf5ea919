//! The state of one Azure import: the source name for locations, the diagnostics so far, the
//! ignored resource types, the input index, the parents created for orphaned children, and the
//! elements waiting for an address. Readers (`readers`) and reference resolution
//! (`references`) extend it.

use std::collections::{BTreeMap, BTreeSet};
use std::net::Ipv4Addr;

use super::addresses::{Holder, MissingAddress, MissingPublicIp};
use super::index::Index;
use super::kind::Kind;
use super::load_balancer::PoolMembership;
use crate::import::node::Node;
use crate::model::Diagnostic;

pub(super) struct Context<'s> {
    source: &'s str,
    diagnostics: Vec<Diagnostic>,
    ignored: BTreeMap<String, usize>,
    pub(super) index: Index,
    /// Elements imported without a private address; one is picked after conversion.
    pub(super) missing_addresses: Vec<MissingAddress>,
    /// Elements with a public IP of unknown address; placeholders are given after conversion.
    pub(super) missing_public_ips: Vec<MissingPublicIp>,
    /// Parents created because only their children were in the input.
    stubs: BTreeSet<(Kind, String)>,
    /// Load balancer pool memberships declared by NICs, added to the pools at the end.
    pub(super) pool_memberships: Vec<PoolMembership>,
}

impl<'s> Context<'s> {
    pub(super) fn new(source: &'s str) -> Self {
        Context {
            source,
            diagnostics: Vec::new(),
            ignored: BTreeMap::new(),
            index: Index::default(),
            missing_addresses: Vec::new(),
            missing_public_ips: Vec::new(),
            stubs: BTreeSet::new(),
            pool_memberships: Vec::new(),
        }
    }

    /// `source: $.path`, or `source, document 2: $.path` for concatenated documents.
    pub(super) fn location(&self, node: &Node) -> String {
        match node.document {
            Some(document) => format!("{}, document {document}: {}", self.source, node.path),
            None => format!("{}: {}", self.source, node.path),
        }
    }

    pub(super) fn warn(&mut self, element: &str, node: &Node, message: impl Into<String>) {
        let location = self.location(node);
        self.warn_at(element, location, message);
    }

    pub(super) fn warn_at(&mut self, element: &str, location: String, message: impl Into<String>) {
        self.diagnostics
            .push(Diagnostic::warning(element, location, message));
    }

    /// A warning about the input as a whole.
    pub(super) fn warn_input(&mut self, message: impl Into<String>) {
        let location = format!("{}: $", self.source);
        self.warn_at("input", location, message);
    }

    /// Counts something the import skipped (a resource type or a non-resource document kind).
    pub(super) fn ignore(&mut self, what: &str) {
        *self.ignored.entry(what.to_string()).or_default() += 1;
    }

    pub(super) fn into_parts(self) -> (Vec<Diagnostic>, BTreeMap<String, usize>) {
        (self.diagnostics, self.ignored)
    }

    pub(super) fn mark_stub(&mut self, kind: Kind, name: &str) {
        self.stubs.insert((kind, name.to_ascii_lowercase()));
    }

    pub(super) fn is_stub(&self, kind: Kind, name: &str) -> bool {
        self.stubs.contains(&(kind, name.to_ascii_lowercase()))
    }

    /// Records that an element has a public IP of unknown address (`reason` says why); it holds
    /// the unspecified address until a placeholder is given.
    pub(super) fn await_public_ip(
        &mut self,
        holder: Holder,
        element: &str,
        node: &Node,
        reason: String,
    ) -> Ipv4Addr {
        let location = self.location(node);
        self.missing_public_ips.push(MissingPublicIp {
            holder,
            name: element.to_string(),
            location,
            reason,
        });
        Ipv4Addr::UNSPECIFIED
    }

    /// Records that an element was imported without a private address (it holds the
    /// unspecified address until one is picked from `subnet`), expected at `node`.
    pub(super) fn await_address(&mut self, holder: Holder, name: &str, subnet: &str, node: &Node) {
        let location = self.location(node);
        self.missing_addresses.push(MissingAddress {
            holder,
            name: name.to_string(),
            subnet: subnet.to_string(),
            location,
        });
    }
}
