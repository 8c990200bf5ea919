//! What the input holds, gathered before conversion so references can be resolved in any order:
//! element names per kind (subnets as `vnet/subnet`, inline or standalone), public IP addresses,
//! NAT gateways' public IPs, NIC addresses, which VM owns which NIC, and the on-premises side of
//! gateways (`on_premises`).

use std::collections::BTreeMap;
use std::net::Ipv4Addr;

use super::arm_id::referenced_name;
use super::kind::Kind;
use super::on_premises::OnPremises;
use super::resource::Resource;
use super::values;

#[derive(Debug, Default)]
pub(super) struct Index {
    /// Kind → lower-cased name path → the name as written.
    names: BTreeMap<Kind, BTreeMap<String, String>>,
    /// Lower-cased public IP name → its address, when the input has one.
    public_ips: BTreeMap<String, Option<Ipv4Addr>>,
    /// Lower-cased NAT gateway name → lower-cased names of its public IPs.
    nat_gateway_ips: BTreeMap<String, Vec<String>>,
    /// Lower-cased NIC name → its primary private address, when the input has one.
    nic_ips: BTreeMap<String, Option<Ipv4Addr>>,
    /// Lower-cased NIC name → the VM whose primary NIC it is.
    vm_of_nic: BTreeMap<String, String>,
    /// Local network gateways and the connections joining them to VNet gateways.
    pub(super) on_premises: OnPremises,
}

impl Index {
    pub(super) fn build(resources: &[Resource]) -> Index {
        let mut index = Index::default();
        for resource in resources {
            index.add(resource.kind, &resource.names.join("/"));
            index.on_premises.add(resource);
            let properties = resource.properties();
            let key = resource.name().to_ascii_lowercase();
            match resource.kind {
                Kind::VirtualNetwork => {
                    for subnet in properties
                        .get("subnets")
                        .map(|s| s.items())
                        .unwrap_or_default()
                    {
                        if let Some(name) = subnet.str_at("name") {
                            index.add(Kind::Subnet, &format!("{}/{name}", resource.name()));
                        }
                    }
                }
                Kind::PublicIpAddress => {
                    let address = properties
                        .str_at("ipAddress")
                        .and_then(|text| values::address(text).ok());
                    index.public_ips.insert(key, address);
                }
                Kind::NatGateway => {
                    let ips = properties
                        .get("publicIpAddresses")
                        .map(|list| list.items())
                        .unwrap_or_default()
                        .iter()
                        .filter_map(|ip| ip.str_at("id"))
                        .filter_map(|id| referenced_name(id, 0))
                        .map(|name| name.to_ascii_lowercase())
                        .collect();
                    index.nat_gateway_ips.insert(key, ips);
                }
                Kind::NetworkInterface => {
                    let configurations = properties
                        .get("ipConfigurations")
                        .map(|list| list.items())
                        .unwrap_or_default();
                    let primary = configurations
                        .iter()
                        .find(|c| {
                            c.properties()
                                .get("primary")
                                .is_some_and(|p| p.value == true)
                        })
                        .or(configurations.first());
                    let address = primary
                        .and_then(|c| c.properties().str_at("privateIPAddress"))
                        .and_then(|text| values::address(text).ok());
                    index.nic_ips.insert(key, address);
                }
                Kind::VirtualMachine => {
                    let nics = properties
                        .get("networkProfile")
                        .and_then(|profile| profile.get("networkInterfaces"))
                        .map(|list| list.items())
                        .unwrap_or_default();
                    let primary = nics
                        .iter()
                        .find(|n| {
                            n.properties()
                                .get("primary")
                                .is_some_and(|p| p.value == true)
                        })
                        .or(nics.first());
                    if let Some(nic) = primary
                        .and_then(|n| n.str_at("id"))
                        .and_then(|id| referenced_name(id, 0))
                    {
                        index
                            .vm_of_nic
                            .entry(nic.to_ascii_lowercase())
                            .or_insert_with(|| resource.name().to_string());
                    }
                }
                _ => {}
            }
        }
        index
    }

    fn add(&mut self, kind: Kind, name: &str) {
        self.names
            .entry(kind)
            .or_default()
            .entry(name.to_ascii_lowercase())
            .or_insert_with(|| name.to_string());
    }

    /// The name as the input writes it, when an element of that kind and name is in the input.
    pub(super) fn find(&self, kind: Kind, name: &str) -> Option<&str> {
        self.names
            .get(&kind)?
            .get(&name.to_ascii_lowercase())
            .map(String::as_str)
    }

    /// `Some(address)` when the public IP is in the input with an address.
    pub(super) fn public_ip(&self, name: &str) -> Option<Ipv4Addr> {
        self.public_ips
            .get(&name.to_ascii_lowercase())
            .copied()
            .flatten()
    }

    /// The first known address among the NAT gateway's public IPs.
    pub(super) fn nat_gateway_ip(&self, name: &str) -> Option<Ipv4Addr> {
        self.nat_gateway_ips
            .get(&name.to_ascii_lowercase())?
            .iter()
            .find_map(|ip| self.public_ip(ip))
    }

    pub(super) fn nic_ip(&self, name: &str) -> Option<Ipv4Addr> {
        self.nic_ips
            .get(&name.to_ascii_lowercase())
            .copied()
            .flatten()
    }

    pub(super) fn vm_of_nic(&self, name: &str) -> Option<&str> {
        self.vm_of_nic
            .get(&name.to_ascii_lowercase())
            .map(String::as_str)
    }
}
