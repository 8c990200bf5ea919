//! Compliance checks: the Azure Policy built-ins of seed 004 Steps B and G (reference 8.1),
//! evaluated on the design's control-plane settings, and the curated-environment registry
//! check of seeds 000-002. Each check passes or fails with the policy, its definition id and
//! the reason.

use crate::model::{ConnectionState, Design, Owner, PaasKind, PublicNetworkAccess};

/// One check of one resource.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ComplianceCheck {
    pub policy: &'static str,
    /// The built-in definition id; `None` for checks that are documentation, not Azure Policy.
    pub definition_id: Option<&'static str>,
    pub resource: String,
    pub passed: bool,
    pub why: String,
}

const PRIVATE_LINK: (&str, &str) = (
    "Azure Machine Learning workspaces should use private link",
    "45e05259-1eb5-4f70-9574-baf73e9d219b",
);
const CMK: (&str, &str) = (
    "Azure Machine Learning workspaces should be encrypted with a customer-managed key",
    "ba769a63-b8cc-4b2d-abf6-ac33c7204be8",
);
const PURGE_PROTECTION: (&str, &str) = (
    "Key vaults should have purge protection enabled",
    "0b60c0b2-2dc2-4e1c-b5c9-abbed971de53",
);
const SOFT_DELETE: (&str, &str) = (
    "Key vaults should have soft delete enabled",
    "1e66c121-a66a-4b1f-9b83-0fd99bf0fc2d",
);
const KEY_VAULT_PUBLIC: (&str, &str) = (
    "[Preview]: Azure Key Vault should disable public network access",
    "55615ac9-af46-4a59-874e-391cc3dfb490",
);
const RESOURCE_LOGS: (&str, &str) = (
    "Resource logs in Key Vault should be enabled",
    "cf820ca0-f99e-4f3e-84fb-66e913812d21",
);
const CURATED_REGISTRY: &str =
    "Curated environments come from mcr.microsoft.com (AML data exfiltration prevention)";

fn check(
    (policy, id): (&'static str, &'static str),
    resource: &str,
    passed: bool,
    why: String,
) -> ComplianceCheck {
    ComplianceCheck {
        policy,
        definition_id: Some(id),
        resource: resource.to_string(),
        passed,
        why,
    }
}

/// Every check for every workspace and every key vault you own, in design order.
pub fn checks(design: &Design) -> Vec<ComplianceCheck> {
    let mut results = Vec::new();
    for workspace in &design.workspaces {
        let approved = design
            .private_endpoints
            .iter()
            .filter(|p| {
                p.target == workspace.name && p.connection_state == ConnectionState::Approved
            })
            .count();
        results.push(check(
            PRIVATE_LINK,
            &workspace.name,
            approved >= 1,
            format!("{approved} approved private endpoint connection(s); the policy needs at least 1 (seed 004 Step G links definition 40cec1dd-a100-4920-b15b-3024fe8901ab for the same policy)"),
        ));
        results.push(check(
            CMK,
            &workspace.name,
            workspace.customer_managed_key,
            if workspace.customer_managed_key {
                "encryption uses a customer-managed key".into()
            } else {
                "encryption uses Microsoft-managed keys".into()
            },
        ));
        results.push(check(
            RESOURCE_LOGS,
            &workspace.name,
            workspace.resource_logs,
            format!(
                "resource logs are {} (the design records them per workspace, not per key vault)",
                if workspace.resource_logs {
                    "enabled"
                } else {
                    "not enabled"
                }
            ),
        ));
        let registry = workspace
            .image_registry
            .as_deref()
            .unwrap_or("mcr.microsoft.com");
        let from_mcr = registry.contains("mcr.microsoft.com");
        results.push(ComplianceCheck {
            policy: CURATED_REGISTRY,
            definition_id: None,
            resource: workspace.name.clone(),
            passed: from_mcr,
            why: if from_mcr {
                format!("curated environments come from {registry}")
            } else {
                format!("curated environments come from {registry}: seeds 000/002 say environments on viennaglobal.azurecr.io cannot be used with data exfiltration prevention; upgrade to an mcr.microsoft.com version")
            },
        });
    }
    for vault in design
        .resources
        .iter()
        .filter(|r| r.kind == PaasKind::KeyVault && r.owner == Owner::Yours)
    {
        let state = |on: bool| if on { "enabled" } else { "disabled" };
        results.push(check(
            PURGE_PROTECTION,
            &vault.name,
            vault.purge_protection && vault.soft_delete,
            format!(
                "purge protection {}, soft delete {} (deletion protection needs both; CMK requires them, seed 004 Step B)",
                state(vault.purge_protection),
                state(vault.soft_delete)
            ),
        ));
        results.push(check(
            SOFT_DELETE,
            &vault.name,
            vault.soft_delete,
            format!("soft delete {}", state(vault.soft_delete)),
        ));
        let disabled = vault.public_network_access == PublicNetworkAccess::Disabled;
        results.push(check(
            KEY_VAULT_PUBLIC,
            &vault.name,
            disabled,
            format!("public network access is {:?}", vault.public_network_access),
        ));
    }
    results
}
