//! Evaluation options: one for every point where Azure's documentation conflicts or is vague
//! (`azure-semantics.md` §9). Each default follows the reference's suggestion; the README's
//! "Semantics options" table lists them, and the UI shows them.

use serde::{Deserialize, Serialize};

/// Region scope of a `Microsoft.Storage` service endpoint (§4.2, conflict 4).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StorageEndpointScope {
    /// 2025+ docs: the subnet's region only (`Microsoft.Storage.Global` reaches every region).
    #[default]
    SameRegion,
    /// Older docs: the subnet's region and its paired region.
    SameRegionAndPaired,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct EvaluationOptions {
    /// §1.4, conflict 18: the VirtualNetwork tag includes UDR prefixes, so a 0.0.0.0/0 UDR makes
    /// it match everything.
    pub udr_prefixes_in_virtual_network: bool,
    /// §1.1, conflict 8: NSG protocol `*` also matches ESP and AH (not only TCP, UDP, ICMP).
    pub any_protocol_includes_esp_ah: bool,
    /// §1.5, conflict 3: the AML docs' misspelt tags (`Keyvault.<region>`, `Frontdoor.FirstParty`,
    /// `ContainerRegistry.<region>`) are normalised with a warning instead of rejected.
    pub normalise_doc_tag_spellings: bool,
    /// §4.2, conflict 4.
    pub storage_endpoint_scope: StorageEndpointScope,
    /// §2.4, conflict 5: a service-endpoint route beats a UDR with the same prefix.
    pub service_endpoint_beats_udr: bool,
    /// §3.2, conflict 7: legacy DNAT semantics, where an explicit network deny can still drop
    /// DNAT-translated traffic. Default: a DNAT match is a final allow.
    pub dnat_network_deny_applies: bool,
    /// §4.3, conflict 13: with storage `publicNetworkAccess: Disabled`, trusted services and
    /// resource-instance rules still pass. Default: yes, as the 2025 storage network-security
    /// overview says (issue 12, defect 3); off is the older reading where only private
    /// endpoints pass.
    pub storage_disabled_allows_exceptions: bool,
    /// §6.1, conflict 17: private endpoints carry UDP too. Default: TCP only.
    pub private_endpoint_udp: bool,
    /// §6.5, conflict 14: private-endpoint network policies (NSG on PEs) work in US Government
    /// regions. Default: yes (current docs), with a warning on US Gov designs.
    pub private_endpoint_nsg_in_us_gov: bool,
    /// §7.1, conflict 1: AML compute with a public IP also needs inbound 29876-29877 from
    /// BatchNodeManagement even in simplified node-communication mode (legacy docs); without a
    /// public IP, inbound 29876-29877 from VirtualNetwork and 44224 from AzureLoadBalancer (seed
    /// 004 Step E).
    pub legacy_batch_inbound: bool,
    /// §1.4 [VAGUE]: peered VNets count as VirtualNetwork only when the peering allows virtual
    /// network access.
    pub peered_vnet_requires_access: bool,
    /// §1.7 / §4.4, conflicts 9-10: limits are data, checked by validation.
    pub max_rules_per_nsg: u32,
    pub max_storage_network_rules: u32,
    /// Design size limits checked before compiling (`limits.rs`): elements of every kind, and
    /// rules of every kind (NSG rules, routes, firewall rules, …).
    pub max_design_elements: u32,
    pub max_design_rules: u32,
}

impl Default for EvaluationOptions {
    fn default() -> Self {
        EvaluationOptions {
            udr_prefixes_in_virtual_network: true,
            any_protocol_includes_esp_ah: true,
            normalise_doc_tag_spellings: true,
            storage_endpoint_scope: StorageEndpointScope::SameRegion,
            service_endpoint_beats_udr: true,
            dnat_network_deny_applies: false,
            storage_disabled_allows_exceptions: true,
            private_endpoint_udp: false,
            private_endpoint_nsg_in_us_gov: true,
            legacy_batch_inbound: false,
            peered_vnet_requires_access: true,
            max_rules_per_nsg: 1000,
            max_storage_network_rules: 400,
            max_design_elements: 5_000,
            max_design_rules: 20_000,
        }
    }
}

/// One option as users see it: its JSON key, a short title, what it decides, and the section of
/// `azure-semantics.md` it comes from. The UI lists these next to the toggles.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OptionInfo {
    pub key: &'static str,
    pub title: &'static str,
    pub meaning: &'static str,
    pub reference: &'static str,
}

/// Every evaluation option, in the order of the README's table.
pub const OPTION_INFO: &[OptionInfo] = &[
    OptionInfo { key: "udr_prefixes_in_virtual_network", title: "UDR prefixes are VirtualNetwork", meaning: "The VirtualNetwork tag includes user-defined route prefixes, so a 0.0.0.0/0 route makes it match everything.", reference: "§1.4, conflict 18" },
    OptionInfo { key: "any_protocol_includes_esp_ah", title: "`*` covers ESP and AH", meaning: "NSG protocol Any also matches ESP and AH, not only TCP, UDP and ICMP.", reference: "§1.1, conflict 8" },
    OptionInfo { key: "normalise_doc_tag_spellings", title: "Normalise doc tag spellings", meaning: "Keyvault.<region>, Frontdoor.FirstParty and ContainerRegistry.<region> from the AML docs are read as the real tags, with a warning.", reference: "§1.5, conflict 3" },
    OptionInfo { key: "storage_endpoint_scope", title: "Storage endpoint region scope", meaning: "Microsoft.Storage covers the subnet's region only (same_region) or also its pair (same_region_and_paired, older docs).", reference: "§4.2, conflict 4" },
    OptionInfo { key: "service_endpoint_beats_udr", title: "Service endpoint beats UDR", meaning: "A service endpoint route wins over a user-defined route with the same prefix.", reference: "§2.4, conflict 5" },
    OptionInfo { key: "dnat_network_deny_applies", title: "Legacy DNAT", meaning: "An explicit network deny still drops DNAT-translated traffic (older firewall docs).", reference: "§3.2, conflict 7" },
    OptionInfo { key: "storage_disabled_allows_exceptions", title: "Disabled storage admits trusted services", meaning: "With public network access Disabled, trusted services and resource-instance rules still reach the account (2025 storage docs; off: the older reading, only private endpoints pass).", reference: "§4.3, conflict 13" },
    OptionInfo { key: "private_endpoint_udp", title: "Private endpoints carry UDP", meaning: "Private endpoints carry UDP as well as TCP.", reference: "§6.1, conflict 17" },
    OptionInfo { key: "private_endpoint_nsg_in_us_gov", title: "PE network policies in US Gov", meaning: "NSGs on private endpoints (network policies) work in US Government regions.", reference: "§6.5, conflict 14" },
    OptionInfo { key: "legacy_batch_inbound", title: "Legacy Batch inbound", meaning: "AML compute also needs the older docs' Batch inbound: 29876-29877 from BatchNodeManagement with a public IP; 29876-29877 from VirtualNetwork and 44224 from AzureLoadBalancer without (seed 004 Step E).", reference: "§7.1, conflict 1" },
    OptionInfo { key: "peered_vnet_requires_access", title: "Peers need access for VirtualNetwork", meaning: "A peered VNet counts as VirtualNetwork only when the peering allows virtual network access.", reference: "§1.4" },
    OptionInfo { key: "max_rules_per_nsg", title: "Rules per NSG limit", meaning: "Validation warns above this many rules in one NSG.", reference: "§1.7, conflict 9" },
    OptionInfo { key: "max_storage_network_rules", title: "Storage network rule limit", meaning: "Validation warns above this many IP and virtual network rules on one resource.", reference: "§4.4, conflict 10" },
    OptionInfo { key: "max_design_elements", title: "Design element limit", meaning: "A design with more elements (VNets, subnets, NSGs, endpoints, …) is not compiled; 5,000 is Azure's limit of NSGs per region and subscription.", reference: "Azure subscription limits" },
    OptionInfo { key: "max_design_rules", title: "Design rule limit", meaning: "A design with more rules (NSG rules, routes, firewall and resource firewall rules) is not compiled; 20,000 is 20 NSGs at Azure's 1,000-rule maximum.", reference: "Azure subscription limits" },
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_option_is_described_exactly_once() {
        let value = serde_json::to_value(EvaluationOptions::default()).expect("options serialise");
        let mut keys: Vec<&str> = value
            .as_object()
            .expect("an object")
            .keys()
            .map(String::as_str)
            .collect();
        let mut described: Vec<&str> = OPTION_INFO.iter().map(|info| info.key).collect();
        keys.sort_unstable();
        described.sort_unstable();
        assert_eq!(keys, described);
    }
}
