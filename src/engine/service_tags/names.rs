//! Which service-tag names Azure knows and how they are spelled: every service and region of
//! Microsoft's full file, the tags Azure computes itself (`VirtualNetwork`, ...), and the
//! misspellings the Azure ML docs use. Unknown names are reported, never treated as empty tags:
//! a rule with a typo in its tag would otherwise silently match nothing.

use std::collections::BTreeMap;

use super::embedded::embedded_catalog;
use super::tag::CanonicalTag;

/// Tags Azure computes per network or platform rather than publishing, so they are absent from
/// Microsoft's file. They have no regional forms.
const COMPUTED_TAGS: [&str; 6] = [
    "VirtualNetwork",
    "Internet",
    "AzureLoadBalancer",
    "AzurePlatformDNS",
    "AzurePlatformIMDS",
    "AzurePlatformLKM",
];

/// Service-name misspellings used by the Azure ML docs, with the service Azure actually knows.
/// They are matched case-insensitively as the first dot-separated part(s) of a written tag, so
/// `Keyvault.EastUS` becomes `AzureKeyVault.EastUS` and `Frontdoor.FirstParty` becomes
/// `AzureFrontDoor.FirstParty`.
const DOC_MISSPELLINGS: [(&str, &str); 3] = [
    ("Keyvault", "AzureKeyVault"),
    ("ContainerRegistry", "AzureContainerRegistry"),
    ("Frontdoor", "AzureFrontDoor"),
];

/// What a written service tag refers to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TagLookup {
    /// A tag Azure knows, with its canonical spelling (case-insensitive match, e.g.
    /// `storage.eastus` -> `Storage.EastUS`, `AzureFrontDoor.FrontEnd` ->
    /// `AzureFrontDoor.Frontend`).
    Known(CanonicalTag),
    /// A misspelling used by the Azure ML docs, normalised (`Keyvault.<region>` ->
    /// `AzureKeyVault.<region>`, `Frontdoor.FirstParty` -> `AzureFrontDoor.FirstParty`,
    /// `ContainerRegistry[.<region>]` -> `AzureContainerRegistry[.<region>]`). `note` explains
    /// the normalisation, for a warning.
    Alias {
        canonical: CanonicalTag,
        note: String,
    },
    /// Not a service tag: callers must report it, never treat it as an empty tag.
    Unknown,
}

/// Looks up a service tag as written in a design or template, against the names of the
/// compiled-in Microsoft file.
///
/// `*`/`Any` are not service tags and give [`TagLookup::Unknown`]: callers handle them first.
/// A regional form `X.<region>` is known when `X` is a known service and `<region>` a known
/// region, whether or not Microsoft publishes that exact combination.
pub fn lookup_tag(written: &str) -> TagLookup {
    embedded_catalog().names.lookup(written)
}

/// The service names and regions of one Microsoft file, keyed lower-case for case-insensitive
/// lookup, each with the spelling to show.
#[derive(Debug, Default)]
pub(crate) struct TagNames {
    services: BTreeMap<String, String>,
    regions: BTreeMap<String, String>,
}

impl TagNames {
    pub(crate) fn add_service(&mut self, spelling: &str) {
        add_spelling(&mut self.services, spelling);
    }

    pub(crate) fn add_region(&mut self, spelling: &str) {
        add_spelling(&mut self.regions, spelling);
    }

    /// Service names as Microsoft spells them, sorted case-insensitively.
    pub(crate) fn services(&self) -> impl Iterator<Item = &str> {
        self.services.values().map(String::as_str)
    }

    /// Region spellings for display, sorted case-insensitively.
    pub(crate) fn regions(&self) -> impl Iterator<Item = &str> {
        self.regions.values().map(String::as_str)
    }

    /// Microsoft's spelling of a service written in any case.
    pub(crate) fn canonical_service(&self, written: &str) -> Option<&str> {
        self.services
            .get(&written.to_ascii_lowercase())
            .map(String::as_str)
    }

    /// The spelling to show for a region written in any case.
    pub(crate) fn region_display(&self, region: &str) -> Option<&str> {
        self.regions
            .get(&region.to_ascii_lowercase())
            .map(String::as_str)
    }

    /// A published tag (`Service` or `Service.<region>`) written in any case. The whole name is
    /// tried as a service first, so `AzureFrontDoor.Frontend` is a service, not a region of
    /// `AzureFrontDoor`.
    pub(crate) fn resolve(&self, written: &str) -> Option<CanonicalTag> {
        if let Some(service) = self.canonical_service(written) {
            return Some(CanonicalTag::new(service, None));
        }
        let (service, region) = written.rsplit_once('.')?;
        let service = self.canonical_service(service)?;
        let known_region = self.regions.contains_key(&region.to_ascii_lowercase());
        known_region.then(|| CanonicalTag::new(service, Some(region)))
    }

    /// See [`lookup_tag`].
    pub(crate) fn lookup(&self, written: &str) -> TagLookup {
        if let Some(computed) = COMPUTED_TAGS
            .iter()
            .find(|computed| computed.eq_ignore_ascii_case(written))
        {
            return TagLookup::Known(CanonicalTag::new(*computed, None));
        }
        if let Some(tag) = self.resolve(written) {
            return TagLookup::Known(tag);
        }
        for (misspelt, service) in DOC_MISSPELLINGS {
            let Some(rest) = strip_service_prefix(written, misspelt) else {
                continue;
            };
            if let Some(canonical) = self.resolve(&format!("{service}{rest}")) {
                let note = format!(
                    "`{written}` is not an Azure service tag (the Azure ML docs spell it this \
                     way); using `{canonical}`"
                );
                return TagLookup::Alias { canonical, note };
            }
        }
        TagLookup::Unknown
    }
}

/// Records `spelling` under its lower-case key. When a name has several spellings (the file
/// writes `AzureCloud.eastus` but `Storage.EastUS`), one with capitals wins, then the
/// alphabetically first, so the choice does not depend on the file's order.
fn add_spelling(spellings: &mut BTreeMap<String, String>, spelling: &str) {
    let key = spelling.to_ascii_lowercase();
    match spellings.get(&key) {
        Some(existing) if spelling_rank(existing) <= spelling_rank(spelling) => {}
        _ => {
            spellings.insert(key, spelling.to_owned());
        }
    }
}

/// Orders spellings of one name: lower ranks are preferred.
fn spelling_rank(spelling: &str) -> (bool, &str) {
    let all_lower_case = !spelling.chars().any(|c| c.is_ascii_uppercase());
    (all_lower_case, spelling)
}

/// The rest of `written` after a leading `service` part (any case): empty or starting with `.`.
fn strip_service_prefix<'a>(written: &'a str, service: &str) -> Option<&'a str> {
    let head = written.get(..service.len())?;
    let rest = written.get(service.len()..)?;
    (head.eq_ignore_ascii_case(service) && (rest.is_empty() || rest.starts_with('.')))
        .then_some(rest)
}
