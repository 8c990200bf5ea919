//! Drafts of an Azure Firewall's settings beyond its rules: the public IPs of its further IP
//! configurations (DNAT may listen on any of them, SNAT picks one per connection) and a Firewall
//! Policy's explicit proxy (on or off, with its HTTP and HTTPS ports; Microsoft Learn, "Azure
//! Firewall Explicit proxy": the ports cannot be the same and, per the REST `ExplicitProxy`
//! definition, are at most 64000).

use std::net::Ipv4Addr;

use crate::engine::is_public;
use crate::model::{ExplicitProxy, Firewall};

use super::{items, join, Errors};
use crate::view::edit::FieldError;

/// A firewall's additional public IPs as typed (comma-separated).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PublicIpsDraft {
    pub additional_public_ips: String,
}

impl PublicIpsDraft {
    pub fn of(firewall: &Firewall) -> Self {
        PublicIpsDraft {
            additional_public_ips: join(&firewall.additional_public_ips),
        }
    }

    /// Parses the list for `firewall`: each a public IPv4 address, none repeated and none the
    /// firewall's first public IP.
    pub fn parse(&self, firewall: &Firewall) -> Result<Vec<Ipv4Addr>, Vec<FieldError>> {
        let mut errors = Errors::default();
        let mut addresses: Vec<Ipv4Addr> = Vec::new();
        for item in items(&self.additional_public_ips) {
            let Ok(ip) = item.parse::<Ipv4Addr>() else {
                errors.add(
                    "additional_public_ips",
                    format!("`{item}` is not an IPv4 address"),
                );
                continue;
            };
            if !is_public(ip) {
                errors.add(
                    "additional_public_ips",
                    format!("{ip} is not a public address (an Azure public IP is)"),
                );
            } else if firewall.public_ip == Some(ip) {
                errors.add(
                    "additional_public_ips",
                    format!("{ip} is already the firewall's first public IP"),
                );
            } else if addresses.contains(&ip) {
                errors.add("additional_public_ips", format!("{ip} is listed twice"));
            }
            addresses.push(ip);
        }
        errors.finish(addresses)
    }
}

/// A Firewall Policy's explicit proxy as typed: off, or on with an HTTP and / or HTTPS port.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ExplicitProxyDraft {
    pub enabled: bool,
    pub http_port: String,
    pub https_port: String,
}

impl ExplicitProxyDraft {
    /// The draft of a policy's proxy; a disabled one offers Azure portal's usual ports.
    pub fn of(proxy: Option<&ExplicitProxy>) -> Self {
        let text = |port: Option<u16>| port.map(|p| p.to_string()).unwrap_or_default();
        match proxy {
            Some(proxy) => ExplicitProxyDraft {
                enabled: true,
                http_port: text(proxy.http_port),
                https_port: text(proxy.https_port),
            },
            None => ExplicitProxyDraft {
                enabled: false,
                http_port: "8080".to_string(),
                https_port: "8443".to_string(),
            },
        }
    }

    /// `None` when off; when on, at least one port, each 1-64000, and the two different.
    pub fn parse(&self) -> Result<Option<ExplicitProxy>, Vec<FieldError>> {
        if !self.enabled {
            return Ok(None);
        }
        let mut errors = Errors::default();
        let mut port = |field: &'static str, label: &str, text: &str| {
            let text = text.trim();
            if text.is_empty() {
                return None;
            }
            match text.parse::<u16>() {
                Ok(port) if (1..=ExplicitProxy::MAX_PORT).contains(&port) => Some(port),
                _ => {
                    errors.add(
                        field,
                        format!(
                            "the {label} port is a number from 1 to {} (`{text}`)",
                            ExplicitProxy::MAX_PORT
                        ),
                    );
                    None
                }
            }
        };
        let http_port = port("http_port", "HTTP", &self.http_port);
        let https_port = port("https_port", "HTTPS", &self.https_port);
        if self.http_port.trim().is_empty() && self.https_port.trim().is_empty() {
            errors.add(
                "http_port",
                "the explicit proxy needs an HTTP or an HTTPS port (or turn it off)",
            );
        }
        if http_port.is_some() && http_port == https_port {
            errors.add("https_port", "the HTTP and HTTPS ports must differ");
        }
        errors.finish(Some(ExplicitProxy {
            http_port,
            https_port,
        }))
    }
}
