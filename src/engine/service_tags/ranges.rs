//! A tag's addresses as sorted, disjoint, non-adjacent inclusive ranges of IPv4 addresses
//! (`(first, last)` as `u32`): Microsoft publishes hundreds of small, often adjacent prefixes per
//! tag; merged ranges are smaller to ship and answer "is this address in the tag" with one binary
//! search.

use std::net::Ipv4Addr;

use ipnet::Ipv4Net;

/// An inclusive range of IPv4 addresses, `(first, last)`.
pub(crate) type AddressRange = (u32, u32);

/// Merges prefixes (in any order, overlapping or not) into sorted, disjoint, non-adjacent ranges.
pub(crate) fn merge_prefixes(prefixes: impl IntoIterator<Item = Ipv4Net>) -> Vec<AddressRange> {
    let mut ranges: Vec<AddressRange> = prefixes
        .into_iter()
        .map(|prefix| (prefix.network().into(), prefix.broadcast().into()))
        .collect();
    ranges.sort_unstable();
    let mut merged: Vec<AddressRange> = Vec::with_capacity(ranges.len());
    for (first, last) in ranges {
        match merged.last_mut() {
            Some((_, previous_last)) if u64::from(first) <= u64::from(*previous_last) + 1 => {
                *previous_last = (*previous_last).max(last);
            }
            _ => merged.push((first, last)),
        }
    }
    merged
}

/// Whether `address` is in `ranges` (sorted and disjoint).
pub(crate) fn ranges_contain(ranges: &[AddressRange], address: u32) -> bool {
    let after = ranges.partition_point(|&(first, _)| first <= address);
    after > 0 && address <= ranges[after - 1].1
}

/// The fewest prefixes covering exactly `ranges`. They may be shorter than Microsoft's own
/// prefixes, since adjacent published prefixes were merged.
pub(crate) fn ranges_to_prefixes(ranges: &[AddressRange]) -> Vec<Ipv4Net> {
    let mut prefixes = Vec::new();
    for &(first, last) in ranges {
        let mut next = u64::from(first);
        let end = u64::from(last) + 1;
        while next < end {
            // The largest block aligned at `next` that does not pass `end`.
            let alignment = next.trailing_zeros().min(32);
            let host_bits = alignment.min((end - next).ilog2());
            // `next` < `end` <= 2^32 and `host_bits` <= 32, so the casts are lossless.
            prefixes.push(Ipv4Net::new_assert(
                Ipv4Addr::from(next as u32),
                (32 - host_bits) as u8,
            ));
            next += 1 << host_bits;
        }
    }
    prefixes
}
