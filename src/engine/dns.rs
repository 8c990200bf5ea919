//! Names: the public FQDNs of PaaS resources per cloud, their `privatelink` zones, and
//! resolution through the private DNS zones linked to the querying VNet.

use std::collections::{BTreeMap, BTreeSet};
use std::net::Ipv4Addr;

use super::lookup::Lookup;
use crate::model::{Cloud, Design, PaasKind};

/// A PaaS endpoint name: which resource and sub-resource it reaches, and where its
/// private-link A record lives.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PaasName {
    pub resource: String,
    pub sub_resource: String,
    pub private_zone: String,
    pub record: String,
}

/// (sub-resource, public suffix) per cloud for storage; other services have one suffix each.
const STORAGE_SUB_RESOURCES: [&str; 6] = ["blob", "file", "queue", "table", "dfs", "web"];

fn storage_suffix(cloud: Cloud) -> &'static str {
    match cloud {
        Cloud::Public => "core.windows.net",
        Cloud::UsGovernment => "core.usgovcloudapi.net",
    }
}

fn vault_suffix(cloud: Cloud) -> &'static str {
    match cloud {
        Cloud::Public => "vault.azure.net",
        Cloud::UsGovernment => "vault.usgovcloudapi.net",
    }
}

fn vault_zone(cloud: Cloud) -> &'static str {
    match cloud {
        Cloud::Public => "privatelink.vaultcore.azure.net",
        Cloud::UsGovernment => "privatelink.vaultcore.usgovcloudapi.net",
    }
}

fn registry_suffix(cloud: Cloud) -> &'static str {
    match cloud {
        Cloud::Public => "azurecr.io",
        Cloud::UsGovernment => "azurecr.us",
    }
}

fn workspace_suffix(cloud: Cloud) -> &'static str {
    match cloud {
        Cloud::Public => "api.azureml.ms",
        Cloud::UsGovernment => "api.ml.azure.us",
    }
}

/// The FQDN a flow to a PaaS element uses: `acct.blob.core.windows.net`, `kv.vault.azure.net`,
/// `acr.azurecr.io`, `ws.workspace.eastus.api.azureml.ms` (workspace name in place of its GUID).
pub fn paas_fqdn(
    kind: Option<PaasKind>,
    name: &str,
    sub_resource: &str,
    region: &str,
    cloud: Cloud,
) -> String {
    match kind {
        Some(PaasKind::StorageAccount) => {
            format!("{name}.{sub_resource}.{}", storage_suffix(cloud))
        }
        Some(PaasKind::KeyVault) => format!("{name}.{}", vault_suffix(cloud)),
        Some(PaasKind::ContainerRegistry) => format!("{name}.{}", registry_suffix(cloud)),
        None => format!("{name}.workspace.{region}.{}", workspace_suffix(cloud)),
    }
}

/// Recognises a PaaS FQDN of `cloud`, whether or not the resource is in the design.
pub fn parse_paas_fqdn(fqdn: &str, cloud: Cloud) -> Option<PaasName> {
    let fqdn = fqdn.trim_end_matches('.').to_ascii_lowercase();
    // `fqdn` without `.{parts joined by dots}` at its end.
    let strip = |parts: &[&str]| {
        parts.iter().rev().try_fold(fqdn.as_str(), |rest, part| {
            rest.strip_suffix(part)?.strip_suffix('.')
        })
    };
    let single_label = |parts: &[&str]| {
        strip(parts)
            .filter(|label| !label.is_empty() && !label.contains('.'))
            .map(str::to_string)
    };
    for sub in STORAGE_SUB_RESOURCES {
        if let Some(account) = single_label(&[sub, storage_suffix(cloud)]) {
            return Some(PaasName {
                record: account.clone(),
                resource: account,
                sub_resource: sub.to_string(),
                private_zone: format!("privatelink.{sub}.{}", storage_suffix(cloud)),
            });
        }
    }
    if let Some(vault) = single_label(&[vault_suffix(cloud)]) {
        return Some(PaasName {
            record: vault.clone(),
            resource: vault,
            sub_resource: "vault".into(),
            private_zone: vault_zone(cloud).into(),
        });
    }
    if let Some(registry) = single_label(&[registry_suffix(cloud)]) {
        return Some(PaasName {
            record: registry.clone(),
            resource: registry,
            sub_resource: "registry".into(),
            private_zone: format!("privatelink.{}", registry_suffix(cloud)),
        });
    }
    let workspace_host = strip(&[workspace_suffix(cloud)])?;
    let (workspace, rest) = workspace_host.split_once(".workspace.")?;
    (!rest.contains('.') && !workspace.is_empty()).then(|| PaasName {
        resource: workspace.to_string(),
        sub_resource: "amlworkspace".into(),
        private_zone: format!("privatelink.{}", workspace_suffix(cloud)),
        record: workspace_host.to_string(),
    })
}

/// Azure Firewall / platform FQDN patterns: `*` matches all, `*.x` subdomains of x, `*x` any
/// name ending in x; otherwise an exact, case-insensitive match.
pub fn fqdn_matches(pattern: &str, fqdn: &str) -> bool {
    let pattern = without_root_dot(pattern);
    let fqdn = without_root_dot(fqdn);
    // Case-insensitive (ASCII) `ends_with`, without lowercased copies.
    let ends_with = |name: &str, suffix: &str| {
        name.len() >= suffix.len()
            && name.as_bytes()[name.len() - suffix.len()..].eq_ignore_ascii_case(suffix.as_bytes())
    };
    match pattern.strip_prefix('*') {
        Some("") => true,
        Some(rest) if rest.starts_with('.') => ends_with(fqdn, rest) && fqdn.len() > rest.len(),
        Some(rest) => ends_with(fqdn, rest),
        None => pattern.eq_ignore_ascii_case(fqdn),
    }
}

/// A name without surrounding ASCII whitespace and trailing dots (`ml.azure.com.`), by bytes:
/// this runs for every FQDN rule a flow meets.
fn without_root_dot(name: &str) -> &str {
    let name = name.trim_ascii();
    let end = name
        .bytes()
        .rposition(|b| b != b'.')
        .map_or(0, |last| last + 1);
    &name[..end]
}

#[derive(Debug, Clone, Default)]
struct Zone {
    linked_vnets: BTreeSet<String>,
    records: BTreeMap<String, Ipv4Addr>,
    fallback_to_internet: bool,
}

/// What a linked private zone says about one name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PrivateAnswer {
    /// No zone of that name is linked to the VNet: resolution continues publicly.
    NotLinked,
    Record(Ipv4Addr),
    /// The zone is linked but has no record for the name.
    Missing {
        fallback_to_internet: bool,
    },
}

/// Every private zone with its links and records, including the A records private endpoints
/// register through their DNS zone groups.
#[derive(Debug, Clone, Default)]
pub struct PrivateDns {
    zones: BTreeMap<String, Zone>,
}

impl PrivateDns {
    /// `lookup` indexes `design`'s elements (an endpoint's target is found by name in it).
    pub fn compile(design: &Design, lookup: &Lookup) -> Self {
        let mut zones: BTreeMap<String, Zone> = BTreeMap::new();
        for zone in &design.private_dns_zones {
            let entry = zones.entry(zone.name.to_ascii_lowercase()).or_default();
            entry.linked_vnets.extend(zone.vnet_links.iter().cloned());
            entry.fallback_to_internet |= zone.fallback_to_internet;
            for record in &zone.records {
                entry
                    .records
                    .insert(record.name.to_ascii_lowercase(), record.ip);
            }
        }
        for endpoint in &design.private_endpoints {
            let region = lookup
                .workspace_named(&endpoint.target)
                .map(|i| design.workspaces[i].region.as_str())
                .unwrap_or_default();
            let kind = lookup
                .resource_named(&endpoint.target)
                .map(|i| design.resources[i].kind);
            let fqdn = paas_fqdn(
                kind,
                &endpoint.target,
                &endpoint.sub_resource.to_ascii_lowercase(),
                &super::regions::normalise_region(region),
                design.cloud,
            );
            let Some(name) = parse_paas_fqdn(&fqdn, design.cloud) else {
                continue;
            };
            for zone_name in &endpoint.dns_zones {
                let zone_name = zone_name.to_ascii_lowercase();
                if zone_name == name.private_zone {
                    if let Some(zone) = zones.get_mut(&zone_name) {
                        zone.records
                            .entry(name.record.clone())
                            .or_insert(endpoint.private_ip);
                    }
                }
            }
        }
        PrivateDns { zones }
    }

    /// Looks a whole name up in the most specific zone linked to `vnet` that it falls in
    /// (`app.contoso.internal` in `contoso.internal`, then `internal`), as Azure DNS does;
    /// `NotLinked` when no linked zone holds the name.
    pub fn lookup_name(&self, vnet: &str, fqdn: &str) -> PrivateAnswer {
        let fqdn = fqdn.trim_end_matches('.').to_ascii_lowercase();
        let mut split = fqdn.match_indices('.');
        std::iter::from_fn(|| split.next())
            .map(|(dot, _)| (&fqdn[..dot], &fqdn[dot + 1..]))
            .map(|(record, zone)| self.lookup(Some(vnet), zone, record))
            .find(|answer| *answer != PrivateAnswer::NotLinked)
            .unwrap_or(PrivateAnswer::NotLinked)
    }

    /// Looks `record` up in `zone` as seen from `vnet` (`None`: a client outside Azure).
    pub fn lookup(&self, vnet: Option<&str>, zone: &str, record: &str) -> PrivateAnswer {
        let Some(zone) = self
            .zones
            .get(zone)
            .filter(|z| vnet.is_some_and(|v| z.linked_vnets.contains(v)))
        else {
            return PrivateAnswer::NotLinked;
        };
        match zone.records.get(record) {
            Some(ip) => PrivateAnswer::Record(*ip),
            None => PrivateAnswer::Missing {
                fallback_to_internet: zone.fallback_to_internet,
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paas_fqdns_parse_for_both_clouds() {
        let blob = parse_paas_fqdn("MyAcct.blob.core.windows.net", Cloud::Public).unwrap();
        assert_eq!(
            (
                blob.resource.as_str(),
                blob.sub_resource.as_str(),
                blob.private_zone.as_str()
            ),
            ("myacct", "blob", "privatelink.blob.core.windows.net")
        );
        let vault = parse_paas_fqdn("kv1.vault.usgovcloudapi.net", Cloud::UsGovernment).unwrap();
        assert_eq!(
            vault.private_zone,
            "privatelink.vaultcore.usgovcloudapi.net"
        );
        let ws = parse_paas_fqdn("ws1.workspace.eastus.api.azureml.ms", Cloud::Public).unwrap();
        assert_eq!(
            (ws.resource.as_str(), ws.record.as_str()),
            ("ws1", "ws1.workspace.eastus")
        );
        assert_eq!(
            parse_paas_fqdn("a.b.blob.core.windows.net", Cloud::Public),
            None
        );
        assert_eq!(parse_paas_fqdn("pypi.org", Cloud::Public), None);
    }

    #[test]
    fn fqdn_patterns_follow_azure_firewall_wildcards() {
        assert!(fqdn_matches(
            "*.blob.core.windows.net",
            "x.blob.core.windows.net"
        ));
        assert!(!fqdn_matches(
            "*.blob.core.windows.net",
            "blob.core.windows.net"
        ));
        assert!(fqdn_matches("*microsoft.com", "www.microsoft.com"));
        assert!(fqdn_matches("*microsoft.com", "microsoft.com"));
        assert!(fqdn_matches("ML.azure.com", "ml.azure.com"));
        assert!(!fqdn_matches("ml.azure.com", "evil.azure.com"));
        assert!(fqdn_matches("*", "anything.example"));
    }
}
