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
    /// resource-instance rules still pass. Default: no, only private endpoints pass.
    pub storage_disabled_allows_exceptions: bool,
    /// §6.1, conflict 17: private endpoints carry UDP too. Default: TCP only.
    pub private_endpoint_udp: bool,
    /// §6.5, conflict 14: private-endpoint network policies (NSG on PEs) work in US Government
    /// regions. Default: yes (current docs), with a warning on US Gov designs.
    pub private_endpoint_nsg_in_us_gov: bool,
    /// §7.1, conflict 1: AML compute with a public IP also needs inbound 29876-29877 from
    /// BatchNodeManagement even in simplified node-communication mode (legacy docs).
    pub legacy_batch_inbound: bool,
    /// §1.4 [VAGUE]: peered VNets count as VirtualNetwork only when the peering allows virtual
    /// network access.
    pub peered_vnet_requires_access: bool,
    /// §1.7 / §4.4, conflicts 9-10: limits are data, checked by validation.
    pub max_rules_per_nsg: u32,
    pub max_storage_network_rules: u32,
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
            storage_disabled_allows_exceptions: false,
            private_endpoint_udp: false,
            private_endpoint_nsg_in_us_gov: true,
            legacy_batch_inbound: false,
            peered_vnet_requires_access: true,
            max_rules_per_nsg: 1000,
            max_storage_network_rules: 400,
        }
    }
}
