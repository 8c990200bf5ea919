//! Exfiltration sources the engine cannot tell apart, grouped so that the search decides each
//! group's port classes once (issue #16): a subnet of many alike VMs costs one source's search
//! plus one trace per open path of each other VM.
//!
//! Two computes are alike when everything the engine reads about them is the same except their
//! names and private addresses, and neither name nor address can make a difference:
//!
//! - **profile**: the compute written as JSON with its name and private address blanked — kind,
//!   subnet, NIC NSG, ASGs, public IP, workspace, proxy setting, IP forwarding;
//! - **name**: no other element of the design mentions it (a load balancer's backend list, a
//!   rule naming it): a named compute stands alone;
//! - **address**: the same answer to every address the design or the engine could compare it
//!   with — every IPv4 address, prefix and range written anywhere in the design (found in its
//!   JSON text, so no field is forgotten), the service tags' prefixes and the engine's own
//!   (Azure's host address, the metadata service, the private ranges). Only the addresses that
//!   split the group's span matter; a compute's own NIC address is not a mention of it.
//!
//! The search still traces every member's open paths from the member itself (traces name their
//! source), and checks that each is as open as its representative's; a member that is not is
//! searched on its own. `tests/analysis/source_classes.rs` compares the grouped search with the
//! search of every source on its own.

use std::net::Ipv4Addr;

use ipnet::Ipv4Net;

use crate::engine::service_tags::CanonicalTag;
use crate::engine::{Engine, AZURE_HOST_IP, IMDS_IP, PRIVATE_RANGES};
use crate::model::{sorting, Compute, Design, DesignSize};

/// Where each source's open paths come from: searched, or taken from an earlier alike source.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SourceRole {
    /// Searched over every port class; `shared` when alike sources follow it.
    Searched { shared: bool },
    /// Alike to the source at this position of the list, which comes before it.
    AlikeTo(usize),
}

/// The role of each of `sources` (in their order): the first of each group of alike sources is
/// searched, the others are alike to it. `searches_per_source` is how many port classes and
/// sinks one source's search goes through: finding alike sources reads the whole design, which
/// only pays when it saves more searches than the design has elements and rules
/// ([`SEARCHES_PER_DESIGN_PART`]); otherwise every source is searched on its own. `None`
/// groups alike sources whatever it costs.
pub fn source_roles(
    engine: &Engine,
    sources: &[&Compute],
    searches_per_source: Option<usize>,
) -> Vec<SourceRole> {
    let mut roles = vec![SourceRole::Searched { shared: false }; sources.len()];
    let mut profiles: Vec<(String, usize)> = sources
        .iter()
        .enumerate()
        .filter_map(|(index, source)| Some((profile(source)?, index)))
        .collect();
    sorting::sort(&mut profiles);
    let groups: Vec<Vec<usize>> = profiles
        .chunk_by(|a, b| a.0 == b.0)
        .filter(|members| members.len() > 1)
        .map(|members| members.iter().map(|&(_, index)| index).collect())
        .collect();
    if let Some(searches_per_source) = searches_per_source {
        let spare: usize = groups.iter().map(|members| members.len() - 1).sum();
        let size = DesignSize::of(engine.design());
        let reading = (size.elements + size.rules).saturating_mul(SEARCHES_PER_DESIGN_PART);
        if spare.saturating_mul(searches_per_source) < reading {
            return roles;
        }
    }
    let spans: Vec<(u32, u32)> = groups
        .iter()
        .filter_map(|members| address_span(sources, members))
        .collect();
    let mentions = Mentions::of(engine.design(), sources, &spans);
    for group in groups {
        // A compute another element names is searched on its own.
        let mut signed: Vec<(AddressSignature, usize)> = group
            .into_iter()
            .filter(|&index| !mentions.names_elsewhere(sources[index]))
            .map(|index| (mentions.signature(engine, sources[index]), index))
            .collect();
        sorting::sort(&mut signed);
        for alike in signed.chunk_by(|a, b| a.0 == b.0) {
            let ((_, first), rest) = alike.split_first().expect("a chunk has members");
            roles[*first] = SourceRole::Searched {
                shared: !rest.is_empty(),
            };
            for (_, member) in rest {
                roles[*member] = SourceRole::AlikeTo(*first);
            }
        }
    }
    roles
}

/// How many (port class, sink) searches cost about as much as reading one element or rule of
/// the design for its mentions: about 2 µs against 0.13 µs natively on the generated designs
/// (most classes are skipped by the port spans), so grouping breaks even near 16
/// (`cargo bench --bench scale -- --vms K N` times both).
pub const SEARCHES_PER_DESIGN_PART: usize = 16;

/// The compute as JSON with its name and private address blanked; `None` when its name needs
/// escaping in JSON (it could not be found in the design's text as written).
fn profile(compute: &Compute) -> Option<String> {
    if compute
        .name
        .bytes()
        .any(|b| b == b'"' || b == b'\\' || b < 0x20)
    {
        return None;
    }
    let mut blank = compute.clone();
    blank.name.clear();
    if let Some(nic) = blank.nic.as_mut() {
        nic.private_ip = Ipv4Addr::UNSPECIFIED;
    }
    serde_json::to_string(&blank).ok()
}

/// The lowest and highest private address among `members` (none for managed computes).
fn address_span(sources: &[&Compute], members: &[usize]) -> Option<(u32, u32)> {
    let addresses = members
        .iter()
        .filter_map(|&i| sources[i].nic.as_ref())
        .map(|nic| u32::from(nic.private_ip));
    addresses.fold(None, |span, a| match span {
        None => Some((a, a)),
        Some((low, high)) => Some((low.min(a), high.max(a))),
    })
}

/// What a compute's address answers to: the mentioned intervals that hold it (by position in
/// [`Mentions::intervals`]) and its service tags.
type AddressSignature = (Vec<usize>, Vec<CanonicalTag>);

/// The names and addresses the design's JSON text mentions.
struct Mentions<'s> {
    /// How often each source's name occurs as a whole JSON string, sorted by name.
    names: Vec<(&'s str, usize)>,
    /// The intervals mentioned — and the engine's own — that split a group's span of
    /// addresses (the others hold all of a group's addresses or none); a source's own NIC
    /// address is not a mention of it.
    intervals: Vec<(u32, u32)>,
}

impl<'s> Mentions<'s> {
    fn of(design: &Design, sources: &[&'s Compute], spans: &[(u32, u32)]) -> Self {
        let splits_a_span = |(first, last): (u32, u32)| {
            spans.iter().any(|&(low, high)| {
                let overlaps = first <= high && last >= low;
                let covers = first <= low && last >= high;
                overlaps && !covers
            })
        };
        let mut names: Vec<(&str, usize)> = sources.iter().map(|c| (c.name.as_str(), 0)).collect();
        sorting::sort(&mut names);
        names.dedup();
        let name_lengths = sources.iter().map(|c| c.name.len());
        let (shortest, longest) = (
            name_lengths.clone().min().unwrap_or(0),
            name_lengths.max().unwrap_or(0),
        );
        // Most strings are ruled out as names by their length and first byte.
        let mut first_bytes = [false; 256];
        for (name, _) in &names {
            first_bytes[usize::from(name.as_bytes().first().copied().unwrap_or(0))] = true;
        }
        let may_be_a_name = |string: &[u8]| {
            (shortest..=longest).contains(&string.len())
                && first_bytes[usize::from(string.first().copied().unwrap_or(0))]
        };
        let mut mentioned: Vec<(u32, u32)> = Vec::new();
        let text = serde_json::to_string(design).unwrap_or_default();
        for string in json_strings(text.as_bytes()) {
            if may_be_a_name(string) {
                let name = std::str::from_utf8(string).unwrap_or_default();
                if let Ok(position) = names.binary_search_by(|(n, _)| (*n).cmp(name)) {
                    names[position].1 += 1;
                }
            }
            for_each_address_interval(string, |interval| {
                if splits_a_span(interval) {
                    mentioned.push(interval);
                }
            });
        }
        sorting::sort(&mut mentioned);
        let mut counted: Vec<((u32, u32), usize)> = mentioned
            .chunk_by(|a, b| a == b)
            .map(|same| (same[0], same.len()))
            .collect();
        for nic in sources.iter().filter_map(|c| c.nic.as_ref()) {
            let own = u32::from(nic.private_ip);
            if let Ok(position) = counted.binary_search_by(|(i, _)| i.cmp(&(own, own))) {
                counted[position].1 -= 1;
            }
        }
        let built_in = [AZURE_HOST_IP, IMDS_IP]
            .map(Ipv4Net::from)
            .into_iter()
            .chain(PRIVATE_RANGES)
            .map(interval_of)
            .filter(|&interval| splits_a_span(interval));
        let mut intervals: Vec<(u32, u32)> = counted
            .into_iter()
            .filter(|&(_, count)| count > 0)
            .map(|(interval, _)| interval)
            .chain(built_in)
            .collect();
        sorting::sort(&mut intervals);
        intervals.dedup();
        Mentions { names, intervals }
    }

    /// Whether another element mentions `compute` by name (its own `name` is one mention).
    fn names_elsewhere(&self, compute: &Compute) -> bool {
        let name = compute.name.as_str();
        let position = self.names.binary_search_by(|(n, _)| (*n).cmp(name));
        position.map_or(true, |p| self.names[p].1 != 1)
    }

    fn signature(&self, engine: &Engine, compute: &Compute) -> AddressSignature {
        let Some(nic) = compute.nic.as_ref() else {
            return (Vec::new(), Vec::new());
        };
        let address = u32::from(nic.private_ip);
        let holding = self
            .intervals
            .iter()
            .enumerate()
            .filter(|(_, &(first, last))| first <= address && address <= last)
            .map(|(position, _)| position)
            .collect();
        (
            holding,
            engine.service_tags().tags_containing(nic.private_ip),
        )
    }
}

/// The raw bytes of every string (keys and values) of compact JSON text, escapes left as
/// written.
fn json_strings(text: &[u8]) -> impl Iterator<Item = &[u8]> {
    let mut position = 0;
    std::iter::from_fn(move || {
        let start = position + text.get(position..)?.iter().position(|&b| b == b'"')? + 1;
        let mut end = start;
        while let Some(&byte) = text.get(end) {
            match byte {
                b'\\' => end += 2,
                b'"' => break,
                _ => end += 1,
            }
        }
        position = end + 1;
        text.get(start..end.min(text.len()))
    })
}

/// Every IPv4 address, prefix (`a.b.c.d/n`) and range (`a.b.c.d-e.f.g.h`) written in `text`,
/// as inclusive intervals (an address with a length that is not one is taken as the address).
fn for_each_address_interval(text: &[u8], mut found: impl FnMut((u32, u32))) {
    let mut position = 0;
    while position < text.len() {
        let starts_address = text[position].is_ascii_digit()
            && (position == 0 || !is_address_byte(text[position - 1]));
        if !starts_address {
            position += 1;
            continue;
        }
        let (address, after) = read_address(text, position);
        let Some(address) = address else {
            position = after;
            continue;
        };
        let first = u32::from(address);
        position = after;
        let prefix_length = (text.get(position) == Some(&b'/')).then(|| {
            let digits = text[position + 1..]
                .iter()
                .take_while(|b| b.is_ascii_digit())
                .count();
            let length = std::str::from_utf8(&text[position + 1..position + 1 + digits])
                .ok()
                .and_then(|l| l.parse::<u8>().ok());
            (length, 1 + digits)
        });
        let range_end = (text.get(position) == Some(&b'-'))
            .then(|| read_address(text, position + 1))
            .and_then(|(last, after)| Some((last?, after)));
        match (prefix_length, range_end) {
            (Some((length, written)), _) => {
                position += written;
                match length.and_then(|l| Ipv4Net::new(address, l).ok()) {
                    // `network` and `broadcast` ignore the host bits of `10.0.1.7/24`.
                    Some(net) => found(interval_of(net)),
                    None => found((first, first)),
                }
            }
            (None, Some((last, after))) => {
                position = after;
                let last = u32::from(last);
                found((first.min(last), first.max(last)));
            }
            (None, None) => found((first, first)),
        }
    }
}

/// The addresses of `net`, first and last, as an inclusive interval.
fn interval_of(net: Ipv4Net) -> (u32, u32) {
    (u32::from(net.network()), u32::from(net.broadcast()))
}

fn is_address_byte(byte: u8) -> bool {
    byte.is_ascii_digit() || byte == b'.'
}

/// The dotted address starting at `start`, if the run of digits and dots there is one, and
/// where the run ends.
fn read_address(text: &[u8], start: usize) -> (Option<Ipv4Addr>, usize) {
    let length = text[start.min(text.len())..]
        .iter()
        .take_while(|&&b| is_address_byte(b))
        .count();
    let end = start + length;
    let address = std::str::from_utf8(&text[start.min(end)..end])
        .ok()
        .and_then(|run| run.trim_end_matches('.').parse().ok());
    (address, end.max(start + 1))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn intervals(text: &str) -> Vec<(Ipv4Addr, Ipv4Addr)> {
        let mut intervals = Vec::new();
        for_each_address_interval(text.as_bytes(), |(a, b)| {
            intervals.push((Ipv4Addr::from(a), Ipv4Addr::from(b)))
        });
        intervals
    }

    fn ip(text: &str) -> Ipv4Addr {
        text.parse().expect("test address")
    }

    #[test]
    fn addresses_prefixes_and_ranges_are_found_anywhere_in_a_string() {
        assert_eq!(intervals("10.0.0.4"), [(ip("10.0.0.4"), ip("10.0.0.4"))]);
        assert_eq!(
            intervals("10.0.1.7/24 10.0.2.1/40"),
            [
                (ip("10.0.1.0"), ip("10.0.1.255")),
                (ip("10.0.2.1"), ip("10.0.2.1"))
            ]
        );
        assert_eq!(
            intervals("x 10.0.0.9-10.0.0.2, tcp/443 at http://192.168.1.1:80."),
            [
                (ip("10.0.0.2"), ip("10.0.0.9")),
                (ip("192.168.1.1"), ip("192.168.1.1"))
            ]
        );
        assert!(intervals("80-90 1.2.3 v1.2.3.4.5 Storage.EastUS").is_empty());
    }

    #[test]
    fn json_strings_are_read_with_their_escapes_as_written() {
        let text = br#"{"a":"x\"y","b":["10.0.0.1",1],"c\\":""}"#;
        let strings: Vec<&[u8]> = json_strings(text).collect();
        assert_eq!(
            strings,
            [&b"a"[..], br#"x\"y"#, b"b", b"10.0.0.1", br"c\\", b""]
        );
    }
}
