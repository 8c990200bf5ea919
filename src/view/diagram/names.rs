//! Human names for what the diagram draws. The analysis completes a design with `synthetic-*`
//! endpoints (platform services the design does not model, attacker sinks, Batch storage);
//! their names are ids, not words, so the diagram says what they stand for instead, and every
//! service tag reads as the service's name.

use crate::analysis::synthetic::SYNTHETIC_PREFIX;
use crate::model::{Design, ExternalHost, Owner, PaasKind, PaasResource, PlatformService};

/// The product name of a service tag (`AzureMachineLearning` → "Azure Machine Learning").
pub fn service_tag_name(tag: &str) -> String {
    let (service, region) = match tag.split_once('.') {
        Some((service, rest)) if !is_tag_qualifier(rest) => (service, Some(rest)),
        _ => (tag, None),
    };
    let name = match service.to_ascii_lowercase().as_str() {
        "azureactivedirectory" => "Microsoft Entra ID",
        "azuremachinelearning" => "Azure Machine Learning",
        "azureresourcemanager" => "Azure Resource Manager",
        "storage" => "Azure Storage",
        "azurefrontdoor.frontend" => "Azure Front Door",
        "azurefrontdoor.firstparty" => "Azure Front Door (first party)",
        "azurefrontdoor.backend" => "Azure Front Door back end",
        "microsoftcontainerregistry" => "Microsoft Container Registry",
        "batchnodemanagement" => "Azure Batch node management",
        "azuremonitor" => "Azure Monitor",
        "azurekeyvault" | "keyvault" => "Azure Key Vault",
        "azurecontainerregistry" | "containerregistry" => "Azure Container Registry",
        "azureloadbalancer" => "Azure load balancer / host",
        "azurecloud" => "Azure (any public endpoint)",
        "internet" => "Internet",
        _ => return tag.to_string(),
    };
    match region {
        Some(region) => format!("{name}, {region}"),
        None => name.to_string(),
    }
}

/// Whether the part after a tag's first dot names a sub-service rather than a region.
fn is_tag_qualifier(rest: &str) -> bool {
    matches!(
        rest.to_ascii_lowercase().as_str(),
        "frontend" | "firstparty" | "backend"
    )
}

/// How an element of the analysed `design` reads in a flow's label: its own name, or for a
/// synthetic endpoint what it stands for (as its node on the diagram reads).
pub fn display_name(design: &Design, name: &str) -> String {
    if !name.starts_with(SYNTHETIC_PREFIX) {
        return name.to_string();
    }
    if let Some(service) = design.services.iter().find(|s| s.name == name) {
        return service_label(service);
    }
    if let Some(resource) = design.resources.iter().find(|r| r.name == name) {
        return resource_label(resource, &crate::analysis::synthetic::home_region(design));
    }
    if let Some(host) = design.external_hosts.iter().find(|h| h.name == name) {
        return host_label(host);
    }
    name.to_string()
}

/// How a platform service reads on its node: the design's own name, or for a synthetic one the
/// service it stands for.
pub fn service_label(service: &PlatformService) -> String {
    if service.name.starts_with(SYNTHETIC_PREFIX) {
        if service.owner == Owner::Attacker {
            return "Attacker's Front Door".to_string();
        }
        let mut name = service_tag_name(&service.service_tag);
        if let Some(region) = &service.region {
            name.push_str(&format!(", {region}"));
        }
        return name;
    }
    service.name.clone()
}

/// How a PaaS resource reads: its name, or for a synthetic sink what it stands for.
pub fn resource_label(resource: &PaasResource, home_region: &str) -> String {
    let Some(rest) = resource.name.strip_prefix(SYNTHETIC_PREFIX) else {
        return resource.name.clone();
    };
    if resource.owner == Owner::Attacker {
        let place = if resource.region.eq_ignore_ascii_case(home_region) {
            "your region"
        } else {
            "another region"
        };
        return format!("Attacker storage, {place}");
    }
    if rest.starts_with("batch-storage") {
        return format!("Azure Batch storage ({})", resource.region);
    }
    rest.replace('-', " ")
}

/// How an external host reads: its name, or for a synthetic one its FQDN.
pub fn host_label(host: &ExternalHost) -> String {
    if !host.name.starts_with(SYNTHETIC_PREFIX) {
        return host.name.clone();
    }
    if host.owner == Owner::Attacker {
        return "Attacker's internet host".to_string();
    }
    host.fqdns
        .first()
        .cloned()
        .unwrap_or_else(|| host.ip.to_string())
}

/// "storage account", "key vault", "container registry".
pub fn paas_kind_name(kind: PaasKind) -> &'static str {
    match kind {
        PaasKind::StorageAccount => "storage account",
        PaasKind::KeyVault => "key vault",
        PaasKind::ContainerRegistry => "container registry",
    }
}

/// Who owns an element, in words.
pub fn owner_name(owner: Owner) -> &'static str {
    match owner {
        Owner::Yours => "yours",
        Owner::Microsoft => "Microsoft-managed",
        Owner::Attacker => "attacker-owned",
    }
}
