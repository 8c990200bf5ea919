//! The analysis copy of a design: the user's design plus the elements the analysis needs and
//! the design does not model — a platform service per catalogue service tag (so a destination
//! tag is a concrete endpoint whose address is the tag's representative address, and whose
//! membership the engine knows even where it ships no prefixes), the Batch back end's storage
//! account, package hosts, and the attacker's sinks. Every added element is named
//! `synthetic-…` and listed in [`Prepared::synthetic`]; the user's elements are never changed.
//!
//! Preparation is idempotent: preparing a prepared design adds nothing, so a fix applied to the
//! copy is evaluated with exactly the same endpoints.

use crate::model::sorting;
use std::collections::BTreeSet;
use std::net::Ipv4Addr;

use crate::engine::normalise_region;
use crate::engine::service_tags::{lookup_tag, TagLookup};
use crate::model::{
    Cloud, Compute, Design, ExternalHost, ExternalKind, Owner, PaasKind, PaasResource,
    PlatformService, Workspace,
};

use super::catalogue::{Endpoint, Host, CATALOGUE};

/// Prefix of every element the analysis adds.
pub const SYNTHETIC_PREFIX: &str = "synthetic-";
/// The service endpoint policy alias that covers AML's Batch storage (seeds 000-002).
pub const AML_SEP_ALIAS: &str = "/services/Azure/MachineLearning";

/// A design ready for analysis, and what was added to it.
#[derive(Debug, Clone)]
pub struct Prepared {
    pub design: Design,
    pub synthetic: BTreeSet<String>,
}

/// The region analysis uses for a compute: its workspace's, else its VNet's.
pub fn compute_region(design: &Design, compute: &Compute) -> Option<String> {
    workspace_of(design, compute)
        .map(|w| w.region.clone())
        .or_else(|| {
            let subnet = &compute.nic.as_ref()?.subnet;
            let vnet = subnet.split('/').next()?;
            design
                .virtual_networks
                .iter()
                .find(|v| v.name == vnet)
                .map(|v| v.region.clone())
        })
        .map(|r| normalise_region(&r))
}

pub fn workspace_of<'d>(design: &'d Design, compute: &Compute) -> Option<&'d Workspace> {
    let name = compute.workspace.as_ref()?;
    design.workspaces.iter().find(|w| &w.name == name)
}

/// The region the design's data lives in: the first workspace's, else the first VNet's.
pub fn home_region(design: &Design) -> String {
    design
        .workspaces
        .first()
        .map(|w| w.region.clone())
        .or_else(|| design.virtual_networks.first().map(|v| v.region.clone()))
        .map(|r| normalise_region(&r))
        .unwrap_or_else(|| default_region(design.cloud).to_string())
}

fn default_region(cloud: Cloud) -> &'static str {
    match cloud {
        Cloud::Public => "eastus",
        Cloud::UsGovernment => "usgovvirginia",
    }
}

/// A region other than `region` in the same cloud, for the far attacker storage account.
pub fn other_region(cloud: Cloud, region: &str) -> &'static str {
    let candidates: [&str; 2] = match cloud {
        Cloud::Public => ["westeurope", "eastus"],
        Cloud::UsGovernment => ["usgovtexas", "usgovvirginia"],
    };
    candidates
        .into_iter()
        .find(|c| *c != region)
        .unwrap_or(candidates[0])
}

/// `host` for the design's cloud, with `{region}` filled in.
pub fn host_name(host: Host, cloud: Cloud, region: &str) -> String {
    let template = match cloud {
        Cloud::Public => host.public,
        Cloud::UsGovernment => host.us_government,
    };
    template.replace("{region}", region)
}

/// The canonical service and region of a service's tag.
fn service_identity(service: &PlatformService) -> Option<(String, Option<String>)> {
    let canonical = match lookup_tag(&service.service_tag) {
        TagLookup::Known(tag) | TagLookup::Alias { canonical: tag, .. } => tag,
        TagLookup::Unknown => return None,
    };
    let region = canonical
        .region
        .or_else(|| service.region.as_deref().map(normalise_region));
    Some((canonical.service, region))
}

fn canonical_service(tag: &str) -> String {
    match lookup_tag(tag) {
        TagLookup::Known(t) | TagLookup::Alias { canonical: t, .. } => t.service,
        TagLookup::Unknown => tag.to_string(),
    }
}

/// A non-attacker platform service of the design for `tag` (in `region` when given) reached by
/// `host` when given.
pub fn find_service<'d>(
    design: &'d Design,
    tag: &str,
    region: Option<&str>,
    host: Option<&str>,
) -> Option<&'d PlatformService> {
    let wanted = canonical_service(tag);
    design.services.iter().find(|s| {
        s.owner != Owner::Attacker
            && service_identity(s).is_some_and(|(service, service_region)| {
                service == wanted
                    && region.is_none_or(|r| service_region.as_deref() == Some(r))
                    && host
                        .is_none_or(|h| s.fqdns.iter().any(|f| crate::engine::fqdn_matches(f, h)))
            })
    })
}

/// A non-attacker internet host of the design reached by `host`.
pub fn find_internet_host<'d>(design: &'d Design, host: &str) -> Option<&'d ExternalHost> {
    design.external_hosts.iter().find(|h| {
        h.owner != Owner::Attacker
            && h.kind == ExternalKind::Internet
            && h.fqdns.iter().any(|f| crate::engine::fqdn_matches(f, host))
    })
}

/// The Microsoft-managed storage account covered by the AML alias in `region`.
pub fn find_batch_storage<'d>(design: &'d Design, region: &str) -> Option<&'d PaasResource> {
    design.resources.iter().find(|r| {
        r.kind == PaasKind::StorageAccount
            && r.owner == Owner::Microsoft
            && normalise_region(&r.region) == region
            && r.covered_by_aliases
                .iter()
                .any(|a| a.eq_ignore_ascii_case(AML_SEP_ALIAS))
    })
}

/// The kinds of place data can be exfiltrated to.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
pub enum SinkKind {
    /// An attacker's storage account in the workspace region (reached by `Storage.<region>`).
    AttackerStorageSameRegion,
    /// An attacker's storage account in another region (reached by a plain `Storage` rule).
    AttackerStorageOtherRegion,
    /// An attacker's Front Door endpoint (a member of `AzureFrontDoor.Frontend`).
    AttackerFrontDoor,
    /// Any other attacker-owned platform endpoint modelled in the design.
    AttackerService,
    /// An arbitrary internet host.
    InternetHost,
    /// An attacker's resource (another tenant's) with a private endpoint in your VNet: the
    /// endpoint carries data past every public-endpoint control.
    CrossTenantPrivateEndpoint,
}

impl SinkKind {
    pub fn as_str(self) -> &'static str {
        match self {
            SinkKind::AttackerStorageSameRegion => "attacker-storage-same-region",
            SinkKind::AttackerStorageOtherRegion => "attacker-storage-other-region",
            SinkKind::AttackerFrontDoor => "attacker-front-door",
            SinkKind::AttackerService => "attacker-service",
            SinkKind::InternetHost => "internet-host",
            SinkKind::CrossTenantPrivateEndpoint => "cross-tenant-private-endpoint",
        }
    }
}

/// An exfiltration destination of the prepared design.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Sink {
    pub kind: SinkKind,
    pub name: String,
    /// The storage account (for storage sinks), so flows can use its blob or file name.
    pub storage: bool,
}

/// Every attacker-owned destination of the (prepared) design.
pub fn sinks(design: &Design) -> Vec<Sink> {
    let home = home_region(design);
    let mut sinks = Vec::new();
    for resource in design
        .resources
        .iter()
        .filter(|r| r.owner == Owner::Attacker)
    {
        let through_your_endpoint = design
            .private_endpoints
            .iter()
            .any(|p| p.target == resource.name);
        let kind = if through_your_endpoint {
            SinkKind::CrossTenantPrivateEndpoint
        } else if normalise_region(&resource.region) == home {
            SinkKind::AttackerStorageSameRegion
        } else {
            SinkKind::AttackerStorageOtherRegion
        };
        if resource.kind == PaasKind::StorageAccount || through_your_endpoint {
            sinks.push(Sink {
                kind,
                name: resource.name.clone(),
                storage: resource.kind == PaasKind::StorageAccount,
            });
        }
    }
    for service in design
        .services
        .iter()
        .filter(|s| s.owner == Owner::Attacker)
    {
        let kind = if canonical_service(&service.service_tag) == "AzureFrontDoor.Frontend" {
            SinkKind::AttackerFrontDoor
        } else {
            SinkKind::AttackerService
        };
        sinks.push(Sink {
            kind,
            name: service.name.clone(),
            storage: false,
        });
    }
    for host in design
        .external_hosts
        .iter()
        .filter(|h| h.owner == Owner::Attacker && h.kind == ExternalKind::Internet)
    {
        sinks.push(Sink {
            kind: SinkKind::InternetHost,
            name: host.name.clone(),
            storage: false,
        });
    }
    sorting::sort(&mut sinks);
    sinks
}

/// Adds what the analysis needs to a copy of `design`.
pub fn prepare(design: &Design) -> Prepared {
    let mut prepared = Prepared {
        design: design.clone(),
        synthetic: BTreeSet::new(),
    };
    let cloud = design.cloud;
    let mut regions: BTreeSet<String> = design
        .computes
        .iter()
        .filter_map(|c| compute_region(design, c))
        .collect();
    regions.insert(home_region(design));
    let mut endpoints: Vec<Endpoint> = Vec::new();
    for endpoint in CATALOGUE.iter().flat_map(|entry| [entry.from, entry.to]) {
        if !endpoints.contains(&endpoint) {
            endpoints.push(endpoint);
        }
    }
    for region in &regions {
        for &endpoint in &endpoints {
            prepared.ensure_endpoint(endpoint, cloud, region);
        }
    }
    prepared.ensure_sinks();
    prepared
}

impl Prepared {
    fn add_name(&mut self, name: &str) {
        self.synthetic.insert(name.to_string());
    }

    fn ensure_endpoint(&mut self, endpoint: Endpoint, cloud: Cloud, region: &str) {
        match endpoint {
            Endpoint::ServiceTag {
                tag,
                regional,
                host,
            } => {
                let host = host.map(|h| host_name(h, cloud, region));
                self.ensure_service(tag, regional.then_some(region), host.as_deref());
            }
            Endpoint::InternetHost(host) => {
                let host = host_name(host, cloud, region);
                if find_internet_host(&self.design, &host).is_none() {
                    let name = format!("{SYNTHETIC_PREFIX}{}", host.replace('.', "-"));
                    let ip = self.next_documentation_address();
                    self.design.external_hosts.push(ExternalHost {
                        name: name.clone(),
                        kind: ExternalKind::Internet,
                        ip,
                        fqdns: vec![host],
                        owner: Owner::Yours,
                    });
                    self.add_name(&name);
                }
            }
            Endpoint::BatchStorage if find_batch_storage(&self.design, region).is_none() => {
                let name = format!("{SYNTHETIC_PREFIX}batch-storage-{region}");
                self.design.resources.push(PaasResource {
                    covered_by_aliases: vec![AML_SEP_ALIAS.to_string()],
                    ..storage_account(&name, region, Owner::Microsoft, "microsoft-batch")
                });
                self.add_name(&name);
            }
            _ => {}
        }
    }

    fn ensure_service(&mut self, tag: &str, region: Option<&str>, host: Option<&str>) {
        if find_service(&self.design, tag, region, host).is_some() {
            return;
        }
        let service = canonical_service(tag);
        let name = format!(
            "{SYNTHETIC_PREFIX}{}{}",
            service.to_ascii_lowercase().replace('.', "-"),
            region.map(|r| format!("-{r}")).unwrap_or_default()
        );
        if let Some(existing) = self.design.services.iter_mut().find(|s| s.name == name) {
            existing.fqdns.extend(host.map(str::to_string));
            return;
        }
        self.design.services.push(PlatformService {
            name: name.clone(),
            service_tag: service,
            region: region.map(str::to_string),
            fqdns: host.map(str::to_string).into_iter().collect(),
            public_ip: None,
            owner: Owner::Microsoft,
        });
        self.add_name(&name);
    }

    /// Adds the attacker sinks the design lacks.
    fn ensure_sinks(&mut self) {
        let present: BTreeSet<SinkKind> = sinks(&self.design).iter().map(|s| s.kind).collect();
        let home = home_region(&self.design);
        let cloud = self.design.cloud;
        if !present.contains(&SinkKind::AttackerStorageSameRegion) {
            let name = format!("{SYNTHETIC_PREFIX}attacker-storage-{home}");
            self.design
                .resources
                .push(storage_account(&name, &home, Owner::Attacker, "attacker"));
            self.add_name(&name);
        }
        if !present.contains(&SinkKind::AttackerStorageOtherRegion) {
            let far = other_region(cloud, &home);
            let name = format!("{SYNTHETIC_PREFIX}attacker-storage-{far}");
            self.design
                .resources
                .push(storage_account(&name, far, Owner::Attacker, "attacker"));
            self.add_name(&name);
        }
        if !present.contains(&SinkKind::AttackerFrontDoor) {
            let name = format!("{SYNTHETIC_PREFIX}attacker-frontdoor");
            self.design.services.push(PlatformService {
                name: name.clone(),
                service_tag: "AzureFrontDoor.Frontend".into(),
                region: None,
                fqdns: vec!["attacker-exfil.azurefd.net".into()],
                public_ip: None,
                owner: Owner::Attacker,
            });
            self.add_name(&name);
        }
        if !present.contains(&SinkKind::InternetHost) {
            let name = format!("{SYNTHETIC_PREFIX}attacker-internet-host");
            let ip = self.next_documentation_address();
            self.design.external_hosts.push(ExternalHost {
                name: name.clone(),
                kind: ExternalKind::Internet,
                ip,
                fqdns: vec!["attacker-exfil.example".into()],
                owner: Owner::Attacker,
            });
            self.add_name(&name);
        }
    }

    /// An unused address of 203.0.113.0/24 (TEST-NET-3), for synthetic internet hosts.
    fn next_documentation_address(&self) -> Ipv4Addr {
        (10u8..=250)
            .map(|last| Ipv4Addr::new(203, 0, 113, last))
            .find(|ip| self.design.external_hosts.iter().all(|h| h.ip != *ip))
            .unwrap_or(Ipv4Addr::new(203, 0, 113, 254))
    }
}

fn storage_account(name: &str, region: &str, owner: Owner, subscription: &str) -> PaasResource {
    PaasResource {
        name: name.to_string(),
        kind: PaasKind::StorageAccount,
        region: region.to_string(),
        subscription: subscription.to_string(),
        resource_group: format!("{subscription}-rg"),
        owner,
        public_network_access: Default::default(),
        network_acls: Default::default(),
        public_ip: None,
        covered_by_aliases: Vec::new(),
        classic: false,
        soft_delete: false,
        purge_protection: false,
    }
}
