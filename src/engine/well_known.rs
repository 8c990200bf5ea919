//! Well-known Azure and package-host FQDNs with the service tag(s) each belongs to, for hosts a
//! design does not model. Without it, `trace --to ml.azure.com` through a firewall rule naming
//! `AzureFrontDoor.Frontend` was `unsupported` (the address of an unmodelled host is unknown);
//! with it the host is a member of its tags and the rule decides (issue 12, defect 5).
//!
//! Sources: Microsoft Learn "Configure inbound and outbound network traffic" for Azure Machine
//! Learning (the firewall FQDN and service-tag tables, public cloud and US Government; the
//! reference's §7.2), "Azure service tags overview" for what each tag covers, and "Secure
//! access to the studio" (studio via `AzureFrontDoor.Frontend`). Storage, key vault, registry and
//! workspace names (`*.blob.core.windows.net`, `*.vault.azure.net`, …) are parsed per cloud by
//! `dns.rs` and reach their `Storage` / `AzureKeyVault` / `AzureContainerRegistry` tags there.
//!
//! `attacker_can_own`: whether anyone (so an attacker) can get a name under the pattern — a
//! Front Door endpoint under `*.azurefd.net`, a package on a public index — which matters when a
//! rule allows the pattern rather than one name.

use super::dns::fqdn_matches;
use crate::model::Cloud;

/// One well-known host pattern.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WellKnownHost {
    /// An exact name or `*.suffix`.
    pub pattern: &'static str,
    /// The cloud the name exists in.
    pub cloud: Cloud,
    /// Service tags the host's addresses belong to; empty for hosts outside Azure.
    pub service_tags: &'static [&'static str],
    pub attacker_can_own: bool,
    /// What the host is, for the trace.
    pub what: &'static str,
}

const fn azure(
    pattern: &'static str,
    cloud: Cloud,
    service_tags: &'static [&'static str],
    what: &'static str,
) -> WellKnownHost {
    WellKnownHost {
        pattern,
        cloud,
        service_tags,
        attacker_can_own: false,
        what,
    }
}

const fn package_host(pattern: &'static str, what: &'static str) -> WellKnownHost {
    WellKnownHost {
        pattern,
        cloud: Cloud::Public,
        service_tags: &[],
        attacker_can_own: true,
        what,
    }
}

use Cloud::{Public, UsGovernment};

const ENTRA: &[&str] = &["AzureActiveDirectory"];
const ARM: &[&str] = &["AzureResourceManager"];
const AML: &[&str] = &["AzureMachineLearning"];
const FRONT_DOOR: &[&str] = &["AzureFrontDoor.Frontend"];
const MCR: &[&str] = &["MicrosoftContainerRegistry"];
const MCR_DATA: &[&str] = &["MicrosoftContainerRegistry", "AzureFrontDoor.FirstParty"];
const BATCH: &[&str] = &["BatchNodeManagement"];

/// The registry, most specific patterns first (the first match wins).
pub const WELL_KNOWN_HOSTS: &[WellKnownHost] = &[
    // Entra ID and ARM.
    azure(
        "login.microsoftonline.com",
        Public,
        ENTRA,
        "Microsoft Entra ID sign-in",
    ),
    azure(
        "login.microsoft.com",
        Public,
        ENTRA,
        "Microsoft Entra ID sign-in",
    ),
    azure(
        "login.windows.net",
        Public,
        ENTRA,
        "Microsoft Entra ID sign-in (legacy name)",
    ),
    azure("graph.windows.net", Public, ENTRA, "Azure AD Graph"),
    azure("graph.windows.net", UsGovernment, ENTRA, "Azure AD Graph"),
    azure(
        "login.microsoftonline.us",
        UsGovernment,
        ENTRA,
        "Microsoft Entra ID sign-in",
    ),
    azure(
        "management.azure.com",
        Public,
        ARM,
        "Azure Resource Manager",
    ),
    azure(
        "management.usgovcloudapi.net",
        UsGovernment,
        ARM,
        "Azure Resource Manager",
    ),
    // Azure Machine Learning: studio through Front Door, API and computes.
    azure(
        "ml.azure.com",
        Public,
        FRONT_DOOR,
        "Azure Machine Learning studio",
    ),
    azure(
        "*.api.azureml.ms",
        Public,
        AML,
        "Azure Machine Learning API",
    ),
    azure(
        "*.instances.azureml.ms",
        Public,
        AML,
        "Azure Machine Learning compute instances",
    ),
    azure(
        "*.instances.azureml.net",
        Public,
        AML,
        "Azure Machine Learning compute instances",
    ),
    azure(
        "*.tundra.azureml.ms",
        Public,
        AML,
        "Azure Machine Learning compute communication",
    ),
    azure(
        "*.modelmanagement.azureml.net",
        Public,
        AML,
        "Azure Machine Learning model management",
    ),
    azure(
        "*.experiments.azureml.net",
        Public,
        AML,
        "Azure Machine Learning experiments",
    ),
    azure("*.azureml.ms", Public, AML, "Azure Machine Learning"),
    azure("*.azureml.net", Public, AML, "Azure Machine Learning"),
    azure(
        "*.notebooks.azure.net",
        Public,
        AML,
        "Azure Machine Learning integrated notebooks",
    ),
    azure(
        "ml.azure.us",
        UsGovernment,
        AML,
        "Azure Machine Learning studio",
    ),
    azure(
        "*.ml.azure.us",
        UsGovernment,
        AML,
        "Azure Machine Learning API",
    ),
    azure(
        "*.instances.azureml.us",
        UsGovernment,
        AML,
        "Azure Machine Learning compute instances",
    ),
    azure(
        "*.modelmanagement.azureml.us",
        UsGovernment,
        AML,
        "Azure Machine Learning model management",
    ),
    azure(
        "*.notebooks.usgovcloudapi.net",
        UsGovernment,
        AML,
        "Azure Machine Learning integrated notebooks",
    ),
    // Batch (the AML compute back end).
    azure(
        "*.batch.azure.com",
        Public,
        BATCH,
        "Azure Batch node management",
    ),
    azure(
        "*.batch.usgovcloudapi.net",
        UsGovernment,
        BATCH,
        "Azure Batch node management",
    ),
    // Microsoft Container Registry.
    azure(
        "mcr.microsoft.com",
        Public,
        MCR,
        "Microsoft Container Registry",
    ),
    azure(
        "*.data.mcr.microsoft.com",
        Public,
        MCR_DATA,
        "Microsoft Container Registry content",
    ),
    // Front Door endpoints: anyone can create one, so an attacker can own a name here.
    WellKnownHost {
        pattern: "*.azurefd.net",
        cloud: Public,
        service_tags: FRONT_DOOR,
        attacker_can_own: true,
        what: "an Azure Front Door endpoint (anyone can create one)",
    },
    // Package hosts the AML docs name, outside Azure; anyone can publish to them.
    package_host("pypi.org", "the Python Package Index"),
    package_host("files.pythonhosted.org", "Python package files"),
    package_host("conda.anaconda.org", "Anaconda packages"),
    package_host("repo.anaconda.com", "Anaconda packages"),
    package_host("*.anaconda.org", "Anaconda packages"),
    package_host("cran.r-project.org", "CRAN (R packages)"),
    package_host("github.com", "GitHub"),
    package_host("raw.githubusercontent.com", "GitHub content"),
];

/// The registry entry for `fqdn` in `cloud`, when the name is well known.
pub fn well_known_host(fqdn: &str, cloud: Cloud) -> Option<&'static WellKnownHost> {
    WELL_KNOWN_HOSTS
        .iter()
        .find(|host| host.cloud == cloud && fqdn_matches(host.pattern, fqdn))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::service_tags::{lookup_tag, TagLookup};

    #[test]
    fn every_tag_of_the_registry_is_a_known_service_tag() {
        for host in WELL_KNOWN_HOSTS {
            for tag in host.service_tags {
                assert!(
                    matches!(lookup_tag(tag), TagLookup::Known(_)),
                    "{}: {tag}",
                    host.pattern
                );
            }
        }
    }
}
