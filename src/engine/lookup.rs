//! Indices of the elements a walk looks up by name or address (computes, private endpoints,
//! resources, workspaces; the subnet holding an address; the peerings without a reverse),
//! built once per compiled design, so
//! that one flow costs the same in a design of ten spokes as in one of a thousand. Every
//! lookup gives exactly what the linear search of the design it replaces gave: indices keep
//! every element of a key in design order, and the first one the search's condition accepts
//! is the answer (`tests/engine/lookup_index.rs` compares them on every scenario and on
//! generated designs).

use std::collections::{BTreeMap, HashMap, HashSet};
use std::net::Ipv4Addr;

use crate::model::Design;

/// Element indices per key, ascending.
type Index<K> = HashMap<K, Vec<usize>>;

fn add<K: std::hash::Hash + Eq>(index: &mut Index<K>, key: K, position: usize) {
    index.entry(key).or_default().push(position);
}

/// The element indices of one compiled design.
#[derive(Debug, Clone, Default)]
pub struct Lookup {
    compute_by_name: Index<String>,
    compute_by_private_ip: Index<Ipv4Addr>,
    compute_by_public_ip: Index<Ipv4Addr>,
    endpoint_by_name: Index<String>,
    endpoint_by_ip: Index<Ipv4Addr>,
    /// Private endpoints by their target's name, lower-cased.
    endpoint_by_folded_target: Index<String>,
    resource_by_name: Index<String>,
    /// Resources by name, lower-cased.
    resource_by_folded_name: Index<String>,
    resource_by_public_ip: Index<Ipv4Addr>,
    workspace_by_name: Index<String>,
    /// Workspaces by name, lower-cased.
    workspace_by_folded_name: Index<String>,
    /// Per subnet prefix (network, length): the first subnet with it in design order, as
    /// (VNet index, subnet index).
    subnet_by_prefix: BTreeMap<(u32, u8), (usize, usize)>,
    /// The prefix lengths any subnet has, ascending.
    subnet_lengths: Vec<u8>,
    /// Per VNet name, the peerings with no reverse peering that join it to another VNet.
    one_sided_by_vnet: Index<String>,
}

impl Lookup {
    pub fn build(design: &Design) -> Self {
        let mut lookup = Lookup::default();
        for (i, compute) in design.computes.iter().enumerate() {
            add(&mut lookup.compute_by_name, compute.name.clone(), i);
            if let Some(nic) = &compute.nic {
                add(&mut lookup.compute_by_private_ip, nic.private_ip, i);
                if let Some(public_ip) = nic.public_ip {
                    add(&mut lookup.compute_by_public_ip, public_ip, i);
                }
            }
        }
        for (i, endpoint) in design.private_endpoints.iter().enumerate() {
            add(&mut lookup.endpoint_by_name, endpoint.name.clone(), i);
            add(&mut lookup.endpoint_by_ip, endpoint.private_ip, i);
            let target = endpoint.target.to_ascii_lowercase();
            add(&mut lookup.endpoint_by_folded_target, target, i);
        }
        for (i, resource) in design.resources.iter().enumerate() {
            add(&mut lookup.resource_by_name, resource.name.clone(), i);
            let folded = resource.name.to_ascii_lowercase();
            add(&mut lookup.resource_by_folded_name, folded, i);
            if let Some(public_ip) = resource.public_ip {
                add(&mut lookup.resource_by_public_ip, public_ip, i);
            }
        }
        for (i, workspace) in design.workspaces.iter().enumerate() {
            add(&mut lookup.workspace_by_name, workspace.name.clone(), i);
            let folded = workspace.name.to_ascii_lowercase();
            add(&mut lookup.workspace_by_folded_name, folded, i);
        }
        for (v, vnet) in design.virtual_networks.iter().enumerate() {
            for (s, subnet) in vnet.subnets.iter().enumerate() {
                let key = (
                    u32::from(subnet.prefix.network()),
                    subnet.prefix.prefix_len(),
                );
                lookup.subnet_by_prefix.entry(key).or_insert((v, s));
            }
        }
        let mut lengths: Vec<u8> = lookup.subnet_by_prefix.keys().map(|&(_, l)| l).collect();
        lengths.sort_unstable();
        lengths.dedup();
        lookup.subnet_lengths = lengths;
        let pairs: HashSet<(&str, &str)> = design
            .peerings
            .iter()
            .map(|p| (p.local_vnet.as_str(), p.remote_vnet.as_str()))
            .collect();
        for (i, peering) in design.peerings.iter().enumerate() {
            let (local, remote) = (&peering.local_vnet, &peering.remote_vnet);
            if local != remote && !pairs.contains(&(remote.as_str(), local.as_str())) {
                add(&mut lookup.one_sided_by_vnet, local.clone(), i);
                add(&mut lookup.one_sided_by_vnet, remote.clone(), i);
            }
        }
        lookup
    }

    /// The peerings (indices, ascending) that join `vnet` to another VNet and have no reverse
    /// peering.
    pub fn one_sided_peerings(&self, vnet: &str) -> &[usize] {
        self.one_sided_by_vnet.get(vnet).map_or(&[], Vec::as_slice)
    }

    /// The first element of `index` under `key` that `accept` takes.
    fn first<K, Q>(index: &Index<K>, key: &Q, accept: impl Fn(usize) -> bool) -> Option<usize>
    where
        K: std::borrow::Borrow<Q> + std::hash::Hash + Eq,
        Q: std::hash::Hash + Eq + ?Sized,
    {
        index.get(key)?.iter().copied().find(|&i| accept(i))
    }

    /// The first compute named `name` that `accept` takes.
    pub fn compute_named(&self, name: &str, accept: impl Fn(usize) -> bool) -> Option<usize> {
        Self::first(&self.compute_by_name, name, accept)
    }

    /// The first compute whose NIC has private address `ip`.
    pub fn compute_with_private_ip(&self, ip: Ipv4Addr) -> Option<usize> {
        Self::first(&self.compute_by_private_ip, &ip, |_| true)
    }

    /// The first compute whose NIC has public address `ip`.
    pub fn compute_with_public_ip(&self, ip: Ipv4Addr) -> Option<usize> {
        Self::first(&self.compute_by_public_ip, &ip, |_| true)
    }

    pub fn endpoint_named(&self, name: &str) -> Option<usize> {
        Self::first(&self.endpoint_by_name, name, |_| true)
    }

    pub fn endpoint_with_ip(&self, ip: Ipv4Addr) -> Option<usize> {
        Self::first(&self.endpoint_by_ip, &ip, |_| true)
    }

    /// Whether a private endpoint targets `resource` (names compared ignoring ASCII case).
    pub fn has_endpoint_to(&self, resource: &str) -> bool {
        self.endpoint_by_folded_target
            .contains_key(&resource.to_ascii_lowercase())
    }

    pub fn resource_named(&self, name: &str) -> Option<usize> {
        Self::first(&self.resource_by_name, name, |_| true)
    }

    /// The first resource whose name is `name` ignoring ASCII case that `accept` takes.
    pub fn resource_named_folded(
        &self,
        name: &str,
        accept: impl Fn(usize) -> bool,
    ) -> Option<usize> {
        Self::first(
            &self.resource_by_folded_name,
            name.to_ascii_lowercase().as_str(),
            accept,
        )
    }

    pub fn resource_with_public_ip(&self, ip: Ipv4Addr) -> Option<usize> {
        Self::first(&self.resource_by_public_ip, &ip, |_| true)
    }

    pub fn workspace_named(&self, name: &str) -> Option<usize> {
        Self::first(&self.workspace_by_name, name, |_| true)
    }

    /// The first workspace whose name is `name` ignoring ASCII case.
    pub fn workspace_named_folded(&self, name: &str) -> Option<usize> {
        Self::first(
            &self.workspace_by_folded_name,
            name.to_ascii_lowercase().as_str(),
            |_| true,
        )
    }

    /// The first subnet in design order (VNet by VNet) whose prefix covers `ip`, as (VNet
    /// index, subnet index).
    pub fn subnet_containing(&self, ip: Ipv4Addr) -> Option<(usize, usize)> {
        let address = u32::from(ip);
        self.subnet_lengths
            .iter()
            .filter_map(|&length| {
                let mask = u32::MAX.checked_shl(32 - u32::from(length)).unwrap_or(0);
                self.subnet_by_prefix.get(&(address & mask, length))
            })
            .min()
            .copied()
    }
}
