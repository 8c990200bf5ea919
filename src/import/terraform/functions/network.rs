//! CIDR functions: `cidrsubnet`, `cidrsubnets`, `cidrhost`, `cidrnetmask`, for IPv4 and IPv6,
//! as Terraform documents them (https://developer.hashicorp.com/terraform/language/functions/cidrsubnet).

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use ipnet::IpNet;
use serde_json::Value;

use super::{fail, integer, one, string, three, two, Outcome};

/// `Some` when `name` is a CIDR function.
pub(super) fn call(name: &str, args: &[Value]) -> Option<Outcome> {
    Some(match name {
        "cidrsubnet" => (|| {
            let [prefix, newbits, netnum] = three(name, args)?;
            let net = parse(prefix)?;
            let subnet = subnet(net, integer(newbits)?, integer(netnum)?)?;
            Ok(Value::String(subnet.to_string()))
        })(),
        "cidrsubnets" => (|| {
            let Some((prefix, sizes)) = args.split_first() else {
                return fail("cidrsubnets needs a prefix");
            };
            let net = parse(prefix)?;
            let mut next = bits(net.network());
            let mut out = Vec::new();
            for size in sizes {
                let length = i64::from(net.prefix_len()) + integer(size)?;
                let block = block_size(net, length)?;
                next = next
                    .div_ceil(block)
                    .checked_mul(block)
                    .map_or_else(|| fail("cidrsubnets: the subnets do not fit"), Ok)?;
                let subnet = make(net, next, length as u8)?;
                if !net.contains(&subnet.network()) {
                    return fail("cidrsubnets: the prefix has no room for all subnets");
                }
                out.push(Value::String(subnet.to_string()));
                next = next.saturating_add(block);
            }
            Ok(Value::Array(out))
        })(),
        "cidrhost" => (|| {
            let [prefix, hostnum] = two(name, args)?;
            let net = parse(prefix)?;
            let size = block_size(net, i64::from(net.prefix_len()))?;
            let host = integer(hostnum)?;
            let offset = if host < 0 {
                size as i128 + host as i128
            } else {
                host as i128
            };
            if offset < 0 || offset >= size as i128 {
                return fail(format!("cidrhost: host {host} is outside {net}"));
            }
            Ok(Value::String(
                address(net, bits(net.network()).saturating_add(offset as u128)).to_string(),
            ))
        })(),
        "cidrnetmask" => (|| match parse(one(name, args)?)? {
            IpNet::V4(net) => Ok(Value::String(net.netmask().to_string())),
            IpNet::V6(_) => fail("cidrnetmask is for IPv4 prefixes"),
        })(),
        _ => return None,
    })
}

fn parse(value: &Value) -> Result<IpNet, super::Failure> {
    let text = string(value)?;
    text.parse::<IpNet>()
        .map_or_else(|_| fail(format!("`{text}` is not a CIDR prefix")), Ok)
}

fn width(net: IpNet) -> i64 {
    match net {
        IpNet::V4(_) => 32,
        IpNet::V6(_) => 128,
    }
}

fn bits(address: IpAddr) -> u128 {
    match address {
        IpAddr::V4(v4) => u128::from(u32::from(v4)),
        IpAddr::V6(v6) => u128::from(v6),
    }
}

fn address(net: IpNet, bits: u128) -> IpAddr {
    match net {
        IpNet::V4(_) => IpAddr::V4(Ipv4Addr::from(bits as u32)),
        IpNet::V6(_) => IpAddr::V6(Ipv6Addr::from(bits)),
    }
}

/// Addresses in a prefix of `length` bits of `net`'s family.
fn block_size(net: IpNet, length: i64) -> Result<u128, super::Failure> {
    if !(0..=width(net)).contains(&length) {
        return fail(format!(
            "a /{length} prefix does not fit the address family"
        ));
    }
    Ok(1u128
        .checked_shl((width(net) - length) as u32)
        .unwrap_or(0)
        .max(1))
}

fn make(net: IpNet, bits: u128, length: u8) -> Result<IpNet, super::Failure> {
    IpNet::new(address(net, bits), length).map_or_else(|e| fail(e.to_string()), Ok)
}

fn subnet(net: IpNet, newbits: i64, netnum: i64) -> Result<IpNet, super::Failure> {
    let length = i64::from(net.prefix_len()) + newbits;
    let block = block_size(net, length)?;
    if newbits < 0 || netnum < 0 || (newbits < 63 && netnum >= 1i64 << newbits) {
        return fail(format!(
            "cidrsubnet: {netnum} does not fit in {newbits} new bits"
        ));
    }
    let offset = block
        .checked_mul(netnum as u128)
        .and_then(|offset| offset.checked_add(bits(net.network())))
        .map_or_else(
            || fail("cidrsubnet: the subnet is outside the address family"),
            Ok,
        )?;
    make(net, offset, length as u8)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn run(name: &str, args: Value) -> Value {
        call(name, args.as_array().unwrap()).unwrap().unwrap()
    }

    #[test]
    fn cidr_functions_match_terraforms_documented_examples() {
        assert_eq!(
            run("cidrsubnet", json!(["172.16.0.0/12", 4, 2])),
            json!("172.18.0.0/16")
        );
        assert_eq!(
            run("cidrsubnet", json!(["10.1.2.0/24", 4, 15])),
            json!("10.1.2.240/28")
        );
        assert_eq!(
            run("cidrsubnet", json!(["fd00:fd12:3456:7890::/56", 16, 162])),
            json!("fd00:fd12:3456:7800:a200::/72")
        );
        assert_eq!(
            run("cidrhost", json!(["10.12.112.0/20", 16])),
            json!("10.12.112.16")
        );
        assert_eq!(
            run("cidrhost", json!(["10.12.112.0/20", 268])),
            json!("10.12.113.12")
        );
        assert_eq!(
            run("cidrhost", json!(["10.0.0.0/24", -1])),
            json!("10.0.0.255")
        );
        assert_eq!(
            run("cidrnetmask", json!(["172.16.0.0/12"])),
            json!("255.240.0.0")
        );
        assert_eq!(
            run("cidrsubnets", json!(["10.1.0.0/16", 4, 4, 8, 4])),
            json!([
                "10.1.0.0/20",
                "10.1.16.0/20",
                "10.1.32.0/24",
                "10.1.48.0/20"
            ])
        );
        assert!(
            call("cidrsubnet", &[json!("10.0.0.0/24"), json!(2), json!(4)])
                .unwrap()
                .is_err()
        );
        assert!(call("cidrhost", &[json!("nonsense"), json!(1)])
            .unwrap()
            .is_err());
        // Sizes past 2^127 (the whole IPv6 space) and negative new bits are errors, not
        // overflows.
        assert!(call("cidrsubnet", &[json!("::/0"), json!(1), json!(1)])
            .unwrap()
            .is_ok());
        assert!(call(
            "cidrsubnets",
            &[json!("::/0"), json!(1), json!(1), json!(1)]
        )
        .unwrap()
        .is_err());
        assert!(
            call("cidrsubnet", &[json!("10.0.0.0/24"), json!(-2), json!(0)])
                .unwrap()
                .is_err()
        );
    }
}
