//! The canonical form of a service tag, so that differently written tags (`storage.eastus`,
//! `Storage.EastUS`) compare equal and the engine can reason about containment.

use std::fmt;

use super::embedded::embedded_catalog;

/// A service tag as Azure knows it: a service (`Storage`, `AzureFrontDoor.Frontend`) and an
/// optional region (`Storage.EastUS`).
///
/// `service` is spelled as in Microsoft's file. `region` is stored lower-case (Azure compares
/// regions case-insensitively; build tags with [`CanonicalTag::new`] or
/// [`lookup_tag`](super::lookup_tag) to keep that invariant). [`Display`](fmt::Display) writes
/// the region as Microsoft's file spells it for most services (`Storage.EastUS`, and so also
/// `AzureCloud.EastUS` although the file writes `AzureCloud.eastus`), or lower-case when the file
/// has no other spelling (`AzureCloud.brazilse`).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct CanonicalTag {
    pub service: String,
    pub region: Option<String>,
}

impl CanonicalTag {
    /// A tag for `service`, optionally restricted to `region` (any case).
    pub fn new(service: impl Into<String>, region: Option<&str>) -> Self {
        CanonicalTag {
            service: service.into(),
            region: region.map(str::to_ascii_lowercase),
        }
    }

    /// Whether every address of `self` is, by definition, an address of `other`: a tag is within
    /// itself, and a regional tag `X.<region>` is within `X`. Different services are never
    /// within each other (`AzureFrontDoor.Frontend` is not within anything but itself), even if
    /// their published prefixes happen to overlap.
    pub fn is_within(&self, other: &CanonicalTag) -> bool {
        self.service == other.service && (other.region.is_none() || self.region == other.region)
    }
}

impl fmt::Display for CanonicalTag {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.service)?;
        if let Some(region) = &self.region {
            let spelling = embedded_catalog().names.region_display(region);
            write!(f, ".{}", spelling.unwrap_or(region))?;
        }
        Ok(())
    }
}
