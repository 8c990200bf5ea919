//! Value types shared by NSG rules, firewall rules and routes: address matches, port ranges and
//! protocols. They are written in the design JSON as the strings Azure uses (`"*"`,
//! `"10.0.0.0/24"`, `"Storage.EastUS"`, `"80-90"`, `"Tcp"`).

use std::fmt;
use std::marker::PhantomData;
use std::net::Ipv4Addr;
use std::str::FromStr;

use ipnet::Ipv4Net;
use serde::de::{self, Deserializer, Visitor};
use serde::{Deserialize, Serialize};

/// A value that could not be parsed, with the text that was given.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseError(pub String);

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Reads a value written as a string through its `FromStr`, borrowing the string where the
/// format allows: serde's `try_from = "String"` allocated a string per value, and a design
/// has several per NSG rule.
fn deserialize_parsed<'de, D, T>(deserializer: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: FromStr<Err = ParseError>,
{
    struct Parsed<T>(PhantomData<T>);

    impl<T: FromStr<Err = ParseError>> Visitor<'_> for Parsed<T> {
        type Value = T;

        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a string")
        }

        fn visit_str<E: de::Error>(self, text: &str) -> Result<T, E> {
            text.parse().map_err(E::custom)
        }
    }

    deserializer.deserialize_str(Parsed(PhantomData))
}

/// One entry of a rule's source or destination: any address, a prefix (a bare IP is a /32),
/// or a service tag written as in Azure (validated and normalised by the engine).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(into = "String")]
pub enum AddressMatch {
    Any,
    Prefix(Ipv4Net),
    Tag(String),
}

impl FromStr for AddressMatch {
    type Err = ParseError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let text = text.trim();
        if text == "*" || text.eq_ignore_ascii_case("any") {
            return Ok(AddressMatch::Any);
        }
        if let Ok(net) = text.parse::<Ipv4Net>() {
            return Ok(AddressMatch::Prefix(net.trunc()));
        }
        if let Ok(ip) = text.parse::<Ipv4Addr>() {
            return Ok(AddressMatch::Prefix(Ipv4Net::from(ip)));
        }
        let looks_like_tag = !text.is_empty()
            && text
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '-' || c == '_')
            && text.starts_with(|c: char| c.is_ascii_alphabetic());
        if looks_like_tag {
            Ok(AddressMatch::Tag(text.to_string()))
        } else {
            Err(ParseError(format!(
                "`{text}` is not `*`, an IPv4 address, a CIDR prefix or a service tag name"
            )))
        }
    }
}

impl<'de> Deserialize<'de> for AddressMatch {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserialize_parsed(deserializer)
    }
}

impl From<AddressMatch> for String {
    fn from(value: AddressMatch) -> Self {
        value.to_string()
    }
}

impl fmt::Display for AddressMatch {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            AddressMatch::Any => f.write_str("*"),
            AddressMatch::Prefix(net) if net.prefix_len() == 32 => write!(f, "{}", net.addr()),
            AddressMatch::Prefix(net) => write!(f, "{net}"),
            AddressMatch::Tag(tag) => f.write_str(tag),
        }
    }
}

/// An inclusive destination or source port range; `*` is 0-65535.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(into = "String")]
pub struct PortRange {
    pub first: u16,
    pub last: u16,
}

impl PortRange {
    pub const ANY: PortRange = PortRange {
        first: 0,
        last: u16::MAX,
    };

    pub fn single(port: u16) -> Self {
        PortRange {
            first: port,
            last: port,
        }
    }

    pub fn contains(&self, port: u16) -> bool {
        self.first <= port && port <= self.last
    }
}

impl FromStr for PortRange {
    type Err = ParseError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let text = text.trim();
        if text == "*" || text.eq_ignore_ascii_case("any") {
            return Ok(PortRange::ANY);
        }
        let bad = || {
            ParseError(format!(
                "`{text}` is not a port (0-65535), a range `a-b` or `*`"
            ))
        };
        let (first, last) = match text.split_once('-') {
            Some((a, b)) => (
                a.trim().parse().map_err(|_| bad())?,
                b.trim().parse().map_err(|_| bad())?,
            ),
            None => {
                let port = text.parse().map_err(|_| bad())?;
                (port, port)
            }
        };
        if first > last {
            return Err(ParseError(format!(
                "port range `{text}` starts after it ends"
            )));
        }
        Ok(PortRange { first, last })
    }
}

impl<'de> Deserialize<'de> for PortRange {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserialize_parsed(deserializer)
    }
}

impl From<PortRange> for String {
    fn from(value: PortRange) -> Self {
        value.to_string()
    }
}

impl fmt::Display for PortRange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if *self == PortRange::ANY {
            f.write_str("*")
        } else if self.first == self.last {
            write!(f, "{}", self.first)
        } else {
            write!(f, "{}-{}", self.first, self.last)
        }
    }
}

/// An IP protocol as NSGs and flows name it. `Any` (`*`) matches every protocol.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Protocol {
    #[serde(alias = "tcp", alias = "TCP")]
    Tcp,
    #[serde(alias = "udp", alias = "UDP")]
    Udp,
    #[serde(alias = "icmp", alias = "ICMP")]
    Icmp,
    #[serde(alias = "esp", alias = "ESP")]
    Esp,
    #[serde(alias = "ah", alias = "AH")]
    Ah,
    #[serde(rename = "*", alias = "Any", alias = "any")]
    Any,
}

impl Protocol {
    /// Whether the protocol carries ports (TCP and UDP); the others match any port.
    pub fn has_ports(self) -> bool {
        matches!(self, Protocol::Tcp | Protocol::Udp)
    }
}

impl FromStr for Protocol {
    type Err = ParseError;
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        match text.trim().to_ascii_lowercase().as_str() {
            "tcp" => Ok(Protocol::Tcp),
            "udp" => Ok(Protocol::Udp),
            "icmp" => Ok(Protocol::Icmp),
            "esp" => Ok(Protocol::Esp),
            "ah" => Ok(Protocol::Ah),
            "*" | "any" => Ok(Protocol::Any),
            _ => Err(ParseError(format!(
                "`{text}` is not tcp, udp, icmp, esp, ah or any"
            ))),
        }
    }
}

impl fmt::Display for Protocol {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Protocol::Tcp => "tcp",
            Protocol::Udp => "udp",
            Protocol::Icmp => "icmp",
            Protocol::Esp => "esp",
            Protocol::Ah => "ah",
            Protocol::Any => "any",
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn address_matches_parse_and_print_back() {
        for (text, printed) in [
            ("*", "*"),
            ("Any", "*"),
            ("10.0.0.0/24", "10.0.0.0/24"),
            ("10.0.0.7/24", "10.0.0.0/24"),
            ("10.0.0.4", "10.0.0.4"),
            ("Storage.EastUS", "Storage.EastUS"),
        ] {
            assert_eq!(
                text.parse::<AddressMatch>().unwrap().to_string(),
                printed,
                "{text}"
            );
        }
        assert!("10.0.0.0/33".parse::<AddressMatch>().is_err());
        assert!("not a tag!".parse::<AddressMatch>().is_err());
    }

    #[test]
    fn port_ranges_parse_and_reject_bad_input() {
        assert_eq!("*".parse::<PortRange>().unwrap(), PortRange::ANY);
        assert_eq!("443".parse::<PortRange>().unwrap(), PortRange::single(443));
        assert_eq!(
            "29876-29877".parse::<PortRange>().unwrap(),
            PortRange {
                first: 29876,
                last: 29877
            }
        );
        assert!("90-80".parse::<PortRange>().is_err());
        assert!("70000".parse::<PortRange>().is_err());
        assert!("http".parse::<PortRange>().is_err());
    }
}
