//! Where the simulated deployment happens: subscription, tenant, resource group, region,
//! deployment name and cloud — what `subscription()`, `resourceGroup()`, `deployment()` and
//! `environment()` return. vnetlab deploys nothing, so the identifiers are fixed, documented
//! stand-ins; the region comes from `--location`, and the cloud follows the region (US Gov and
//! China regions select their sovereign clouds, as deploying there would).

use serde_json::{json, Value};

use super::value::placeholder;

/// The subscription every evaluated resource ID names.
pub(super) const SUBSCRIPTION_ID: &str = "00000000-0000-0000-0000-000000000000";
/// The tenant `subscription().tenantId` returns.
pub(super) const TENANT_ID: &str = "00000000-0000-0000-0000-000000000001";
/// The resource group the top-level template is deployed to.
pub(super) const RESOURCE_GROUP: &str = "vnetlab";
/// The region used when neither `--location` nor the template gives one.
pub(super) const DEFAULT_LOCATION: &str = "eastus";
/// The top-level deployment's name.
pub(super) const DEPLOYMENT_NAME: &str = "vnetlab-import";

/// One deployment's surroundings; nested deployments inherit it and may change the resource
/// group, subscription and name.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct DeploymentContext {
    pub(super) subscription_id: String,
    pub(super) resource_group: String,
    pub(super) location: String,
    pub(super) deployment_name: String,
}

impl DeploymentContext {
    pub(super) fn top_level(location: Option<&str>) -> Self {
        DeploymentContext {
            subscription_id: SUBSCRIPTION_ID.to_string(),
            resource_group: RESOURCE_GROUP.to_string(),
            location: location
                .map(str::trim)
                .filter(|l| !l.is_empty())
                .unwrap_or(DEFAULT_LOCATION)
                .to_string(),
            deployment_name: DEPLOYMENT_NAME.to_string(),
        }
    }

    /// `subscription()`.
    pub(super) fn subscription(&self) -> Value {
        json!({
            "id": format!("/subscriptions/{}", self.subscription_id),
            "subscriptionId": self.subscription_id,
            "tenantId": TENANT_ID,
            "displayName": "vnetlab simulated subscription",
        })
    }

    /// `resourceGroup()`.
    pub(super) fn resource_group_object(&self) -> Value {
        json!({
            "id": format!(
                "/subscriptions/{}/resourceGroups/{}",
                self.subscription_id, self.resource_group
            ),
            "name": self.resource_group,
            "type": "Microsoft.Resources/resourceGroups",
            "location": self.location,
            "properties": { "provisioningState": "Succeeded" },
        })
    }

    /// `deployment()`. The template's own URI (used for `_artifactsLocation` defaults) is
    /// unknown: a placeholder, which never carries network meaning.
    pub(super) fn deployment(&self) -> Value {
        json!({
            "name": self.deployment_name,
            "location": self.location,
            "properties": {
                "templateLink": {
                    "uri": placeholder("deployment().properties.templateLink.uri"),
                },
                "provisioningState": "Accepted",
            },
        })
    }

    /// `tenant()`.
    pub(super) fn tenant(&self) -> Value {
        json!({ "tenantId": TENANT_ID, "countryCode": "US", "displayName": "vnetlab" })
    }

    /// `environment()`: the cloud the region belongs to.
    pub(super) fn environment(&self) -> Value {
        Cloud::of_region(&self.location).environment()
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Cloud {
    Public,
    UsGovernment,
    China,
}

impl Cloud {
    fn of_region(region: &str) -> Cloud {
        let region: String = region
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect::<String>()
            .to_ascii_lowercase();
        if region.starts_with("usgov") || region.starts_with("usdod") {
            Cloud::UsGovernment
        } else if region.starts_with("china") {
            Cloud::China
        } else {
            Cloud::Public
        }
    }

    fn environment(self) -> Value {
        let (name, storage, key_vault, registry, sql, arm, login) = match self {
            Cloud::Public => (
                "AzureCloud",
                "core.windows.net",
                ".vault.azure.net",
                ".azurecr.io",
                ".database.windows.net",
                "https://management.azure.com/",
                "https://login.microsoftonline.com/",
            ),
            Cloud::UsGovernment => (
                "AzureUSGovernment",
                "core.usgovcloudapi.net",
                ".vault.usgovcloudapi.net",
                ".azurecr.us",
                ".database.usgovcloudapi.net",
                "https://management.usgovcloudapi.net/",
                "https://login.microsoftonline.us/",
            ),
            Cloud::China => (
                "AzureChinaCloud",
                "core.chinacloudapi.cn",
                ".vault.azure.cn",
                ".azurecr.cn",
                ".database.chinacloudapi.cn",
                "https://management.chinacloudapi.cn/",
                "https://login.chinacloudapi.cn/",
            ),
        };
        json!({
            "name": name,
            "resourceManager": arm,
            "authentication": { "loginEndpoint": login, "audiences": [arm] },
            "suffixes": {
                "storage": storage,
                "keyvaultDns": key_vault,
                "acrLoginServer": registry,
                "sqlServerHostname": sql,
            },
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_cloud_follows_the_region() {
        let name = |region: &str| {
            DeploymentContext::top_level(Some(region)).environment()["name"]
                .as_str()
                .map(str::to_string)
        };
        assert_eq!(name("usgovarizona").as_deref(), Some("AzureUSGovernment"));
        assert_eq!(name("China East 2").as_deref(), Some("AzureChinaCloud"));
        assert_eq!(name("westeurope").as_deref(), Some("AzureCloud"));
    }
}
