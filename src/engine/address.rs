//! Matching rule addresses against the two ends of a packet.
//!
//! A [`Party`] is one end of a packet as rules see it: its address (unknown for a public FQDN
//! nobody modelled), the service tags it belongs to by what it is (a modelled storage account in
//! East US is in `Storage` and `Storage.EastUS` symbolically), and its ASGs. A rule address is
//! lowered once into a [`CompiledAddress`]; matching returns a [`Match`], whose `Unknown` arm
//! carries the reason the engine cannot decide, so callers report it instead of guessing.

use std::net::Ipv4Addr;

use ipnet::Ipv4Net;

use super::service_tags::{lookup_tag, CanonicalTag, ServiceTagData, TagLookup};
use crate::model::{AddressMatch, Cloud, Diagnostic, EvaluationOptions};

/// Azure's host virtual IP (DNS, DHCP, health probes): the AzureLoadBalancer tag.
pub const AZURE_HOST_IP: Ipv4Addr = Ipv4Addr::new(168, 63, 129, 16);
/// The instance metadata service.
pub const IMDS_IP: Ipv4Addr = Ipv4Addr::new(169, 254, 169, 254);
/// The private ranges (RFC 1918 and the shared address space of RFC 6598): Azure's default
/// routes send them nowhere, and Azure Firewall does not source-NAT them by default.
pub const PRIVATE_RANGES: [Ipv4Net; 4] = [
    Ipv4Net::new_assert(Ipv4Addr::new(10, 0, 0, 0), 8),
    Ipv4Net::new_assert(Ipv4Addr::new(172, 16, 0, 0), 12),
    Ipv4Net::new_assert(Ipv4Addr::new(192, 168, 0, 0), 16),
    Ipv4Net::new_assert(Ipv4Addr::new(100, 64, 0, 0), 10),
];

/// One end of a packet.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Party {
    pub ip: Option<Ipv4Addr>,
    /// Service tags the party belongs to because of what it is (modelled Azure endpoints).
    pub member_of: Vec<CanonicalTag>,
    pub asgs: Vec<String>,
    /// Declared to be outside Azure (an internet host of the design): in no service tag.
    pub outside_azure: bool,
}

impl Party {
    pub fn at(ip: Ipv4Addr) -> Self {
        Party {
            ip: Some(ip),
            ..Party::default()
        }
    }

    /// An external host of the design: internet hosts are declared outside Azure.
    pub fn external(host: &crate::model::ExternalHost) -> Self {
        Party {
            ip: Some(host.ip),
            outside_azure: host.kind == crate::model::ExternalKind::Internet,
            ..Party::default()
        }
    }
}

/// `Ipv4Net::contains` on the address as an integer: ipnet compares octet arrays, which costs a
/// `memcmp` call per bound on the hottest path of the walk.
pub trait PrefixContains {
    fn covers(&self, ip: Ipv4Addr) -> bool;
}

impl PrefixContains for Ipv4Net {
    fn covers(&self, ip: Ipv4Addr) -> bool {
        u32::from(ip) & u32::from(self.netmask()) == u32::from(self.network())
    }
}

/// A three-way answer: matching an unknown address or a tag without data is not guessed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Match {
    Yes,
    No,
    Unknown(String),
}

impl Match {
    pub fn from_bool(value: bool) -> Self {
        if value {
            Match::Yes
        } else {
            Match::No
        }
    }

    /// Any-of: `Yes` wins, then `Unknown`, then `No`.
    pub fn any(results: impl IntoIterator<Item = Match>) -> Match {
        let mut unknown = None;
        for result in results {
            match result {
                Match::Yes => return Match::Yes,
                Match::Unknown(reason) => unknown = unknown.or(Some(reason)),
                Match::No => {}
            }
        }
        unknown.map_or(Match::No, Match::Unknown)
    }
}

/// The address sets a rule is evaluated against, as seen from one subnet.
#[derive(Debug, Clone, Default)]
pub struct AddressScope {
    /// Effective `VirtualNetwork` tag: VNet space, connected peers, on-premises prefixes, the
    /// host IP and (option) UDR prefixes.
    pub virtual_network: Vec<Ipv4Net>,
    /// Space that is never `Internet`: VNet, peers and on-premises prefixes.
    pub not_internet: Vec<Ipv4Net>,
}

/// A rule's address entry, lowered once per design.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CompiledAddress {
    Any,
    Prefix(Ipv4Net),
    Service(CanonicalTag),
    VirtualNetwork,
    Internet,
    AzureLoadBalancer,
    PlatformAddress(Ipv4Addr),
    /// A name Azure does not know: reported at compile time, `Unknown` when matched.
    UnknownTag(String),
}

impl CompiledAddress {
    /// Lowers one written address; unknown or misspelt tags add a diagnostic at `path`.
    pub fn compile(
        written: &AddressMatch,
        options: &EvaluationOptions,
        element: &str,
        path: &str,
        diagnostics: &mut Vec<Diagnostic>,
    ) -> Self {
        match written {
            AddressMatch::Any => CompiledAddress::Any,
            AddressMatch::Prefix(net) => CompiledAddress::Prefix(*net),
            AddressMatch::Tag(name) => compile_tag(name, options, element, path, diagnostics),
        }
    }

    pub fn matches(
        &self,
        party: &Party,
        scope: &AddressScope,
        data: &ServiceTagData,
        cloud: Cloud,
    ) -> Match {
        match self {
            CompiledAddress::Any => Match::Yes,
            CompiledAddress::Prefix(net) => match party.ip {
                Some(ip) => Match::from_bool(net.covers(ip)),
                None if net.prefix_len() == 0 => Match::Yes,
                None => Match::Unknown(format!(
                    "the destination's address is unknown, so prefix {net} cannot be checked"
                )),
            },
            CompiledAddress::Service(tag) => tag_matches(tag, party, data, cloud),
            CompiledAddress::VirtualNetwork => match party.ip {
                Some(ip) => {
                    Match::from_bool(scope.virtual_network.iter().any(|net| net.covers(ip)))
                }
                None => Match::from_bool(
                    scope
                        .virtual_network
                        .iter()
                        .any(|net| net.prefix_len() == 0),
                ),
            },
            CompiledAddress::Internet => match party.ip {
                Some(ip) => Match::from_bool(
                    is_public(ip) && !scope.not_internet.iter().any(|net| net.covers(ip)),
                ),
                None => Match::Yes,
            },
            CompiledAddress::AzureLoadBalancer => Match::from_bool(party.ip == Some(AZURE_HOST_IP)),
            CompiledAddress::PlatformAddress(address) => {
                Match::from_bool(party.ip == Some(*address))
            }
            CompiledAddress::UnknownTag(name) => {
                Match::Unknown(format!("`{name}` is not a service tag Azure knows"))
            }
        }
    }
}

fn compile_tag(
    name: &str,
    options: &EvaluationOptions,
    element: &str,
    path: &str,
    diagnostics: &mut Vec<Diagnostic>,
) -> CompiledAddress {
    let canonical = match lookup_tag(name) {
        TagLookup::Known(tag) => tag,
        TagLookup::Alias { canonical, note } if options.normalise_doc_tag_spellings => {
            diagnostics.push(Diagnostic::warning(
                element,
                path,
                format!("{note} (normalised; option normalise_doc_tag_spellings)"),
            ));
            canonical
        }
        TagLookup::Alias { note, .. } => {
            diagnostics.push(Diagnostic::warning(
                element,
                path,
                format!(
                    "{note}; normalisation is off, so flows reaching this rule are unsupported"
                ),
            ));
            return CompiledAddress::UnknownTag(name.to_string());
        }
        TagLookup::Unknown => {
            diagnostics.push(Diagnostic::warning(element, path, format!("`{name}` is not a service tag Azure knows: flows reaching this rule are reported as unsupported")));
            return CompiledAddress::UnknownTag(name.to_string());
        }
    };
    match canonical.service.as_str() {
        "VirtualNetwork" => CompiledAddress::VirtualNetwork,
        "Internet" => CompiledAddress::Internet,
        "AzureLoadBalancer" => CompiledAddress::AzureLoadBalancer,
        "AzurePlatformDNS" => CompiledAddress::PlatformAddress(AZURE_HOST_IP),
        "AzurePlatformIMDS" => CompiledAddress::PlatformAddress(IMDS_IP),
        _ => CompiledAddress::Service(canonical),
    }
}

/// Whether `party` is in `tag`: symbolically for modelled endpoints, otherwise by the
/// published prefixes (public cloud only; US Government data is not shipped).
pub fn tag_matches(
    tag: &CanonicalTag,
    party: &Party,
    data: &ServiceTagData,
    cloud: Cloud,
) -> Match {
    if party.member_of.iter().any(|member| member.is_within(tag)) {
        return Match::Yes;
    }
    if party
        .member_of
        .iter()
        .any(|member| member.service == tag.service)
    {
        return Match::No;
    }
    if cloud == Cloud::UsGovernment && (party.outside_azure || !party.member_of.is_empty()) {
        // Without US Government prefixes, a modelled endpoint is taken to be in its own
        // service's tags and in AzureCloud only; a declared internet host in none.
        let in_azure_cloud = tag.service == "AzureCloud"
            && party
                .member_of
                .iter()
                .any(|member| tag.region.is_none() || member.region == tag.region);
        return Match::from_bool(in_azure_cloud);
    }
    let Some(ip) = party.ip else {
        // A host declared outside Azure is in no service tag, whatever its address.
        return if party.member_of.is_empty() && !party.outside_azure {
            Match::Unknown(format!(
                "the destination's address is unknown, so membership of {tag} cannot be checked"
            ))
        } else {
            Match::No
        };
    };
    if !is_public(ip) {
        return Match::No;
    }
    if cloud == Cloud::UsGovernment {
        return Match::Unknown(format!(
            "{ip} is not a modelled endpoint and vnetlab ships no US Government prefixes for {tag}"
        ));
    }
    match data.contains(tag, ip) {
        Some(found) => Match::from_bool(found),
        None => Match::Unknown(format!(
            "vnetlab ships no prefixes for {tag}, so {ip} cannot be checked"
        )),
    }
}

/// Publicly routable unicast space (not RFC 1918, RFC 6598, loopback, link-local or reserved).
pub fn is_public(ip: Ipv4Addr) -> bool {
    let [a, b, ..] = ip.octets();
    !(ip.is_private()
        || ip.is_loopback()
        || ip.is_link_local()
        || ip.is_unspecified()
        || ip.is_broadcast()
        || ip.is_multicast()
        || a == 0
        || a >= 240
        || (a == 100 && (b & 0xc0) == 64)
        || ip == AZURE_HOST_IP)
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn covers_agrees_with_ipnet(address in any::<u32>(), network in any::<u32>(), length in 0u8..=32) {
            let net = Ipv4Net::new(Ipv4Addr::from(network), length).expect("length ≤ 32");
            let ip = Ipv4Addr::from(address);
            prop_assert_eq!(net.covers(ip), net.contains(&ip));
            prop_assert!(net.covers(net.network()) && net.covers(net.broadcast()));
        }
    }
}
