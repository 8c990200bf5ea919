//! Built-in scenarios: the seed documents' designs, shipped as `static/examples/<name>.json`
//! and embedded here (the browser app loads the same files), each with the document's intent
//! and the results the analysis must give. Tests assert every expectation, so a scenario is
//! also a regression test of the engine and the analysis against the docs.

use crate::model::Design;

/// An open exfiltration path a scenario expects: the source, the sink kind
/// ([`super::exfil::PathKind::as_str`]) and the ports as reported (`tcp 443`), or `*` for any.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ExpectedPath {
    pub source: &'static str,
    pub kind: &'static str,
    pub ports: &'static str,
}

/// What the analysis of a scenario must find.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Expected {
    /// Catalogue ids of the non-optional required flows that fail (for some source); every
    /// other non-optional required flow passes.
    pub failing_required: &'static [&'static str],
    /// Every exfiltration path that remains; nothing else may be found.
    pub exfiltration: &'static [ExpectedPath],
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Scenario {
    /// File stem in `static/examples/` and the CLI name.
    pub name: &'static str,
    pub title: &'static str,
    /// What the source document sets out to achieve.
    pub intent: &'static str,
    /// Seed file(s) and sections the design follows.
    pub source_seed: &'static str,
    /// The design JSON.
    pub json: &'static str,
    pub expected: Expected,
    /// Limitations and conflicts between the documents that this scenario surfaces.
    pub notes: &'static [&'static str],
}

impl Scenario {
    /// The design (the shipped files always parse; tests check it).
    pub fn design(&self) -> Result<Design, serde_json::Error> {
        serde_json::from_str(self.json)
    }
}

const fn path(source: &'static str, kind: &'static str, ports: &'static str) -> ExpectedPath {
    ExpectedPath {
        source,
        kind,
        ports,
    }
}

const AUTOML_NSG_NOTE: &str = "Seed 000/001 replace the AzureFrontDoor.Frontend tag with the FQDNs ml.azure.com and the AutoML host, but NSGs cannot name FQDNs: without a firewall, AutoML's Front Door host stays blocked (outbound-automl-frontdoor fails).";
const BATCH_INBOUND_NOTE: &str = "Seeds 003/004 list inbound 29876-29877 from BatchNodeManagement; seed 002 and the current docs drop it (simplified node communication, the default since December 2022). The catalogue requires it only for classic node communication or with option legacy_batch_inbound.";
const AUTOML_HOST_NOTE: &str = "AutoML host conflict (reference conflict 11): the seeds name automlresources-prod-d0eaehh7g8andvav.b02.azurefd.net, the 2026 firewall doc automlresources-prod.azureedge.net; no evaluation option chooses yet, the seeds' host is used.";
const SYNTHETIC_NOTE: &str = "Attacker sinks (storage in and out of the region, a Front Door endpoint, an internet host) and the platform endpoints of the catalogue are synthesised by the analysis (elements named synthetic-*).";

/// Every built-in scenario, in presentation order.
pub fn all() -> Vec<Scenario> {
    SCENARIOS.to_vec()
}

const SCENARIOS: &[Scenario] = &[
        Scenario {
            name: "vnet-default-nsg",
            title: "VNet-injected workspace with default NSG rules",
            intent: "Run AML computes in your own VNet with what Azure and AML create by default: no outbound restriction, public workspace resources.",
            source_seed: "003_687d1f1c56146b39.txt (compute scenario: the NSG AML creates); reference 7.1-7.2",
            json: include_str!("../../static/examples/vnet-default-nsg.json"),
            expected: Expected {
                failing_required: &["inbound-aml-44224"],
                exfiltration: &[
                    path("ci-notebook", "attacker-storage-same-region", "*"),
                    path("ci-notebook", "attacker-storage-other-region", "*"),
                    path("ci-notebook", "attacker-front-door", "*"),
                    path("ci-notebook", "internet-host", "*"),
                    path("cpu-cluster", "attacker-storage-same-region", "*"),
                    path("cpu-cluster", "attacker-storage-other-region", "*"),
                    path("cpu-cluster", "attacker-front-door", "*"),
                    path("cpu-cluster", "internet-host", "*"),
                    path("amlstorage", "public-endpoint-read", "tcp 443"),
                    path("aml-kv", "public-endpoint-read", "tcp 443"),
                    path("amlacr", "public-endpoint-read", "tcp 443"),
                    path("aml-ws", "public-endpoint-read", "tcp 443"),
                ],
            },
            notes: &[
                "The subnet NSG keeps only Azure's default rules, so its DenyAllInBound stops AML's inbound 44224 even though the NSG AML puts on each NIC allows it: both NSGs must allow (reference 7.1: a subnet NSG must not contradict it).",
                "Default AllowInternetOutBound lets every compute reach any storage account, Front Door endpoint or internet host: seed 001 names Storage and AzureFrontDoor.frontend as the exfiltration routes.",
                SYNTHETIC_NOTE,
            ],
        },
        Scenario {
            name: "dlp-sep-nsg",
            title: "Data exfiltration prevention: service endpoint policy with NSG rules",
            intent: "Keep the required Storage.<region> outbound but limit it to the workspace storage and AML's Microsoft-managed accounts with a service endpoint policy, and replace the Front Door tag (seeds 000, 001, 002).",
            source_seed: "000_df96d350b6876ac4.txt; 001_8ce7b28008a0f891.txt (1-3, Service tag/NSG tab); 002_5b4cb6bb1d57b787.txt (NSG case)",
            json: include_str!("../../static/examples/dlp-sep-nsg.json"),
            expected: Expected {
                failing_required: &["outbound-automl-frontdoor"],
                exfiltration: &[],
            },
            notes: &[
                AUTOML_NSG_NOTE,
                "Seed 002 (DLP preview): no-public-IP compute does not support DLP, so the computes keep public IPs and AML's inbound 44224.",
                "Seed 001 still asks for inbound from BatchNodeManagement.<region> for compute instances with a public IP; seed 002 says it is no longer required. The computes use simplified node communication, so it is not required here.",
                "Seed 002: with private endpoints for the workspace storage the policy need not list it; it is listed anyway, as seeds 000/001 do.",
                AUTOML_HOST_NOTE,
            ],
        },
        Scenario {
            name: "dlp-sep-firewall",
            title: "Data exfiltration prevention: service endpoint policy with Azure Firewall",
            intent: "The same policy, with outbound through Azure Firewall: Batch and Front Door by FQDN application rules, AML inbound kept off the firewall (seeds 000, 001, 002).",
            source_seed: "000_df96d350b6876ac4.txt; 001_8ce7b28008a0f891.txt (Firewall tab); 002_5b4cb6bb1d57b787.txt (FW case)",
            json: include_str!("../../static/examples/dlp-sep-firewall.json"),
            expected: Expected {
                failing_required: &[],
                exfiltration: &[],
            },
            notes: &[
                "In-region storage traffic takes the subnet's service endpoint route (more specific than 0.0.0.0/0), so the policy, not the firewall, filters it; the firewall subnet has no service endpoint, so the *.blob/queue/table rules of seed 001's warning are not needed.",
                "Seed 002 also lists *.blob/queue/table.core.windows.net on the firewall; such a rule would open every storage account outside the region, because policies only filter service-endpoint traffic.",
                AUTOML_HOST_NOTE,
            ],
        },
        Scenario {
            name: "firewall-forced-tunnel",
            title: "Azure Firewall with a 0.0.0.0/0 route and the seed 004 Step D rules",
            intent: "Send all outbound traffic through Azure Firewall with the documented network rules (service tags) and application rules (hosts).",
            source_seed: "004_3d730467459d448a.txt Step D (Azure Firewall inbound and outbound configuration)",
            json: include_str!("../../static/examples/firewall-forced-tunnel.json"),
            expected: Expected {
                failing_required: &[],
                exfiltration: &[
                    path("ci-notebook", "attacker-storage-same-region", "tcp 443"),
                    path("ci-notebook", "attacker-front-door", "tcp 443"),
                    path("cpu-cluster", "attacker-storage-same-region", "tcp 443"),
                    path("cpu-cluster", "attacker-front-door", "tcp 443"),
                ],
            },
            notes: &[
                "The Step D network rules Storage.<region> and AzureFrontDoor.FrontEnd are exactly the two routes seed 001 calls exfiltration risks: an attacker's storage account in the region and an attacker's Front Door endpoint pass the firewall. The fixes are seed 000's: a service endpoint policy, and FQDN rules instead of the Front Door tag.",
                "Routes with next hop Internet for AzureMachineLearning and BatchNodeManagement keep the compute inbound off the firewall (Step D inbound configuration).",
                AUTOML_HOST_NOTE,
            ],
        },
        Scenario {
            name: "no-public-ip-compute",
            title: "No-public-IP compute with a NAT gateway",
            intent: "Remove the compute's inbound requirements and public exposure (seed 004 Step E), egressing through a NAT gateway.",
            source_seed: "004_3d730467459d448a.txt Step E (No public IP for compute clusters); 002_5b4cb6bb1d57b787.txt Limitations",
            json: include_str!("../../static/examples/no-public-ip-compute.json"),
            expected: Expected {
                failing_required: &["outbound-automl-frontdoor"],
                exfiltration: &[
                    path("ci-notebook", "attacker-storage-same-region", "tcp 443"),
                    path("cpu-cluster", "attacker-storage-same-region", "tcp 443"),
                ],
            },
            notes: &[
                "Seed 002: data loss prevention is not supported for no-public-IP compute, so Storage.<region> stays open to any account in the region; the suggested service endpoint policy fix carries that warning.",
                "The 2022 docs also asked no-public-IP clusters for inbound VirtualNetwork 29876-29877 and AzureLoadBalancer 44224 (seed 004 Step E); current docs require no inbound. Not checked.",
                AUTOML_NSG_NOTE,
            ],
        },
        Scenario {
            name: "managed-vnet-approved-outbound",
            title: "Managed virtual network, allow only approved outbound",
            intent: "Let AML isolate the computes in a Microsoft-managed VNet where only approved outbound rules pass (seed 001 tip; reference 7.5).",
            source_seed: "001_8ce7b28008a0f891.txt (Tip: managed virtual networks); reference 7.5",
            json: include_str!("../../static/examples/managed-vnet-approved-outbound.json"),
            expected: Expected {
                failing_required: &[],
                exfiltration: &[],
            },
            notes: &[
                "FQDN outbound rules carry TCP 80/443 only and never reach storage; the workspace resources are reached through the automatic private endpoints.",
                "Every outbound rule added weakens the exfiltration guarantee: the pypi.org FQDN rule is a path to a public package index.",
            ],
        },
        Scenario {
            name: "il5-us-gov",
            title: "IL5 walkthrough in Azure Government",
            intent: "Build the seed 004 IL5 environment: private endpoints, CMK key vault, firewall-controlled egress, jump box via Bastion, and pass the IL5 policies.",
            source_seed: "004_3d730467459d448a.txt Steps A-G",
            json: include_str!("../../static/examples/il5-us-gov.json"),
            expected: Expected {
                failing_required: &[
                    "outbound-aml-notebook",
                    "outbound-aml-udp-5831",
                    "outbound-automl-frontdoor",
                ],
                exfiltration: &[
                    path("ci-notebook", "attacker-storage-same-region", "tcp 443"),
                    path("ci-notebook", "attacker-storage-other-region", "tcp 443"),
                    path("cpu-cluster", "attacker-storage-same-region", "tcp 443"),
                    path("cpu-cluster", "attacker-storage-other-region", "tcp 443"),
                    path("jump-box", "attacker-storage-same-region", "tcp 443"),
                    path("jump-box", "attacker-storage-other-region", "tcp 443"),
                ],
            },
            notes: &[
                "Step D's Microsoft-storage hosts (*.blob/table/queue.core.usgovcloudapi.net) let any storage account through the firewall, an attacker's included: the walkthrough is not exfiltration-proof.",
                "vnetlab ships no US Government service-tag prefixes or regional tag names, so the firewall uses the Step D Azure Government host tables (application rules) instead of regional service-tag network rules; a service endpoint fix cannot be fully evaluated in US Gov (its route's prefixes are unknown), which the fix reports as undetermined flows.",
                "Step E (no public IP) is used for the computes: no inbound rules or inbound return routes are needed.",
                "Step D lists 8787/18881 for *.instances.azureml.us and no UDP 5831 or AutoML host for Azure Government, so those required flows fail here.",
                AUTOML_HOST_NOTE,
            ],
        },
        Scenario {
            name: "traffic-flow-secured-workspace",
            title: "Secured workspace traffic flows (studio over VPN, data profiling, compute, AKS, images)",
            intent: "Show how traffic flows when the workspace and its resources use private endpoints and clients connect over VPN (seed 003).",
            source_seed: "003_687d1f1c56146b39.txt (all scenarios)",
            json: include_str!("../../static/examples/traffic-flow-secured-workspace.json"),
            expected: Expected {
                failing_required: &[],
                exfiltration: &[
                    path("ci-notebook", "attacker-storage-same-region", "tcp 443"),
                    path("ci-notebook", "attacker-front-door", "tcp 443"),
                    path("cpu-cluster", "attacker-storage-same-region", "tcp 443"),
                    path("cpu-cluster", "attacker-front-door", "tcp 443"),
                    path("aks-scoring-pool", "attacker-storage-same-region", "tcp 443"),
                    path("aks-scoring-pool", "attacker-front-door", "tcp 443"),
                ],
            },
            notes: &[
                "Seed 003 writes Keyvault.region; the real tag is AzureKeyVault.<region> (normalised with a warning, option normalise_doc_tag_spellings).",
                BATCH_INBOUND_NOTE,
                "Data profiling reaches the default storage through the resource instance rule for the workspace (the trusted-services bypass would also do).",
                "The studio's Front Door tag (seed 003 and 004 Step F) is an exfiltration path, as seed 001 warns.",
            ],
        },
];

/// The scenario called `name`.
pub fn find(name: &str) -> Option<Scenario> {
    all().into_iter().find(|s| s.name == name)
}
