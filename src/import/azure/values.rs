//! Azure's value spellings turned into model values: address entries (including the firewall's
//! `a.b.c.d-e.f.g.h` ranges, split into exact prefixes), IPv4 prefixes and addresses. vnetlab
//! models IPv4 only, so IPv6 values are reported as such.

use std::net::Ipv4Addr;

use ipnet::Ipv4Net;

use crate::model::AddressMatch;

/// One rule address entry: `*`, a prefix, an address, a service tag, or a range (several
/// prefixes).
pub(super) fn address_entry(text: &str) -> Result<Vec<AddressMatch>, String> {
    let text = text.trim();
    reject_ipv6(text)?;
    if let Some((first, last)) = text.split_once('-') {
        if let (Ok(first), Ok(last)) = (
            first.trim().parse::<Ipv4Addr>(),
            last.trim().parse::<Ipv4Addr>(),
        ) {
            return range_prefixes(first, last)
                .map(|prefixes| prefixes.into_iter().map(AddressMatch::Prefix).collect());
        }
    }
    text.parse::<AddressMatch>()
        .map(|address| vec![address])
        .map_err(|error| error.0)
}

/// An IPv4 prefix or a bare address (a /32); host bits are cleared.
pub(super) fn prefix(text: &str) -> Result<Ipv4Net, String> {
    let text = text.trim();
    reject_ipv6(text)?;
    if let Ok(net) = text.parse::<Ipv4Net>() {
        return Ok(net.trunc());
    }
    text.parse::<Ipv4Addr>()
        .map(Ipv4Net::from)
        .map_err(|_| format!("`{text}` is not an IPv4 prefix or address"))
}

/// Prefixes, addresses and ranges (as IP groups hold them).
pub(super) fn prefixes(text: &str) -> Result<Vec<Ipv4Net>, String> {
    match text.trim().split_once('-') {
        Some((first, last)) => match (
            first.trim().parse::<Ipv4Addr>(),
            last.trim().parse::<Ipv4Addr>(),
        ) {
            (Ok(first), Ok(last)) => range_prefixes(first, last),
            _ => Err(format!("`{text}` is not an IPv4 range `a.b.c.d-e.f.g.h`")),
        },
        None => prefix(text).map(|net| vec![net]),
    }
}

/// An IPv4 address (a `/32` prefix is accepted).
pub(super) fn address(text: &str) -> Result<Ipv4Addr, String> {
    let text = text.trim();
    reject_ipv6(text)?;
    let bare = text.strip_suffix("/32").unwrap_or(text);
    bare.parse::<Ipv4Addr>()
        .map_err(|_| format!("`{text}` is not an IPv4 address"))
}

fn reject_ipv6(text: &str) -> Result<(), String> {
    if text.contains(':') {
        Err(format!(
            "`{text}` is an IPv6 value; vnetlab models IPv4 only"
        ))
    } else {
        Ok(())
    }
}

/// The smallest set of prefixes covering exactly `first..=last`.
fn range_prefixes(first: Ipv4Addr, last: Ipv4Addr) -> Result<Vec<Ipv4Net>, String> {
    let (mut start, end) = (u64::from(u32::from(first)), u64::from(u32::from(last)));
    if start > end {
        return Err(format!("range {first}-{last} starts after it ends"));
    }
    let mut prefixes = Vec::new();
    while start <= end {
        let mut host_bits = if start == 0 {
            32
        } else {
            start.trailing_zeros().min(32)
        };
        while host_bits > 0 && start + (1u64 << host_bits) - 1 > end {
            host_bits -= 1;
        }
        let address = Ipv4Addr::from(u32::try_from(start).unwrap_or(u32::MAX));
        let length = u8::try_from(32 - host_bits).unwrap_or(32);
        if let Ok(net) = Ipv4Net::new(address, length) {
            prefixes.push(net);
        }
        start += 1u64 << host_bits;
    }
    Ok(prefixes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_split_into_exact_prefixes() {
        let split = |text: &str| -> Vec<String> {
            prefixes(text)
                .unwrap()
                .iter()
                .map(ToString::to_string)
                .collect()
        };
        assert_eq!(
            split("192.168.1.1-192.168.1.12"),
            [
                "192.168.1.1/32",
                "192.168.1.2/31",
                "192.168.1.4/30",
                "192.168.1.8/30",
                "192.168.1.12/32"
            ]
        );
        assert_eq!(
            split("10.1.4.12-10.1.4.255"),
            [
                "10.1.4.12/30",
                "10.1.4.16/28",
                "10.1.4.32/27",
                "10.1.4.64/26",
                "10.1.4.128/25"
            ]
        );
        assert_eq!(split("0.0.0.0-255.255.255.255"), ["0.0.0.0/0"]);
        assert!(prefixes("10.0.0.9-10.0.0.1").is_err());
    }
}
