//! Which addresses each service tag covers: the compiled-in data or a Microsoft file loaded by
//! the user, answering "is this address in this tag", "which tags contain this address" and "what
//! prefixes does this tag route".

use std::collections::BTreeMap;
use std::net::Ipv4Addr;

use ipnet::Ipv4Net;

use super::embedded::embedded_catalog;
use super::microsoft::{parse_microsoft_json, DocumentShape, MicrosoftDocument};
use super::ranges::{merge_prefixes, ranges_contain, ranges_to_prefixes, AddressRange};
use super::tag::CanonicalTag;

/// Service-tag prefixes (IPv4 only), as sorted, disjoint inclusive address ranges per tag.
///
/// A tag "has prefixes" when the data lists it; lookups for other tags return `None`, so callers
/// can tell "not in the tag" from "the data does not say" (a known tag whose prefixes are not
/// shipped, such as `Sql`). A listed tag whose prefixes are all IPv6 has prefixes but no ranges.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServiceTagData {
    source: String,
    change_number: Option<u64>,
    ranges_by_tag: BTreeMap<CanonicalTag, Vec<AddressRange>>,
}

impl ServiceTagData {
    pub(crate) fn new(
        source: String,
        change_number: Option<u64>,
        ranges_by_tag: BTreeMap<CanonicalTag, Vec<AddressRange>>,
    ) -> Self {
        ServiceTagData {
            source,
            change_number,
            ranges_by_tag,
        }
    }

    /// The compiled-in data, generated from `ServiceTags_Public_20251028.json`: the tags Azure ML
    /// designs use, globally and per region (`AzureCloud` globally only).
    pub fn embedded() -> &'static ServiceTagData {
        &embedded_catalog().data
    }

    /// Reads Microsoft's JSON: the full download (`ServiceTags_Public_*.json`), one tag object
    /// (`{"name": ..., "properties": {...}}`, as `az network list-service-tags` lists them) or an
    /// array of tag objects. Every tag of the input is kept; IPv6 prefixes are dropped. Names the
    /// compiled-in file knows are resolved as [`lookup_tag`](super::lookup_tag) does, so its
    /// results find them; others (a service or region newer than the compiled-in file) are split
    /// at the last dot when the tag has a `properties.region`, and kept whole otherwise.
    pub fn from_microsoft_json(json: &str) -> Result<ServiceTagData, String> {
        let document = parse_microsoft_json(json)?;
        let names = &embedded_catalog().names;
        let mut ranges_by_tag = BTreeMap::new();
        for published in &document.tags {
            let tag = names.resolve(&published.name).unwrap_or_else(|| {
                let (service, region) = published.service_and_region();
                CanonicalTag::new(service, region)
            });
            let ranges = merge_prefixes(published.ipv4_prefixes.iter().copied());
            if ranges_by_tag.insert(tag, ranges).is_some() {
                return Err(format!("tag {} appears twice", published.name));
            }
        }
        let (source, change_number) = describe(&document);
        Ok(ServiceTagData::new(source, change_number, ranges_by_tag))
    }

    /// The change number of Microsoft's file the data comes from; `None` for single tags or
    /// arrays of tags, which carry only per-tag change numbers.
    pub fn change_number(&self) -> Option<u64> {
        self.change_number
    }

    /// Where the data comes from, for display: the file name for the compiled-in data, a
    /// description for loaded JSON.
    pub fn source(&self) -> &str {
        &self.source
    }

    /// The tags the data lists, sorted.
    pub fn tags(&self) -> impl Iterator<Item = &CanonicalTag> {
        self.ranges_by_tag.keys()
    }

    /// Whether the data lists `tag`'s prefixes.
    pub fn has_prefixes(&self, tag: &CanonicalTag) -> bool {
        self.ranges_by_tag.contains_key(tag)
    }

    /// Whether `address` is in `tag`; `None` when the data does not list `tag`.
    pub fn contains(&self, tag: &CanonicalTag, address: Ipv4Addr) -> Option<bool> {
        self.ranges(tag)
            .map(|ranges| ranges_contain(ranges, address.into()))
    }

    /// Every listed tag containing `address`, sorted (a service before its regional tags).
    pub fn tags_containing(&self, address: Ipv4Addr) -> Vec<CanonicalTag> {
        self.ranges_by_tag
            .iter()
            .filter(|(_, ranges)| ranges_contain(ranges, address.into()))
            .map(|(tag, _)| tag.clone())
            .collect()
    }

    /// A fixed address inside `tag` (the first address of its lowest range), to give a modelled
    /// service a concrete public IP; `None` when the data does not list `tag` or it has no IPv4
    /// prefixes.
    pub fn representative_address(&self, tag: &CanonicalTag) -> Option<Ipv4Addr> {
        let &(first, _) = self.ranges(tag)?.first()?;
        Some(first.into())
    }

    /// `tag`'s addresses as sorted, disjoint, non-adjacent inclusive ranges `(first, last)` of
    /// `u32` addresses; `None` when the data does not list `tag`.
    pub fn ranges(&self, tag: &CanonicalTag) -> Option<&[(u32, u32)]> {
        self.ranges_by_tag.get(tag).map(Vec::as_slice)
    }

    /// `tag`'s addresses as the fewest prefixes, for service-tag and service-endpoint routes;
    /// `None` when the data does not list `tag`. Adjacent published prefixes are merged, so a
    /// prefix may be shorter than Microsoft's; the addresses covered are the same.
    pub fn prefixes(&self, tag: &CanonicalTag) -> Option<Vec<Ipv4Net>> {
        self.ranges(tag).map(ranges_to_prefixes)
    }
}

/// A description of a loaded Microsoft document, and its change number.
fn describe(document: &MicrosoftDocument) -> (String, Option<u64>) {
    match &document.shape {
        DocumentShape::FullFile {
            cloud,
            change_number,
        } => {
            let cloud = cloud.as_deref().unwrap_or("unnamed cloud");
            let source = match change_number {
                Some(number) => {
                    format!("Microsoft service tag file ({cloud}, changeNumber {number})")
                }
                None => format!("Microsoft service tag file ({cloud})"),
            };
            (source, *change_number)
        }
        DocumentShape::SingleTag => {
            let names: Vec<&str> = document.tags.iter().map(|tag| tag.name.as_str()).collect();
            (format!("Microsoft service tag {}", names.join(", ")), None)
        }
        DocumentShape::TagArray => (
            format!("{} Microsoft service tags", document.tags.len()),
            None,
        ),
    }
}
