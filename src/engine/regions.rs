//! Azure region names: normalisation and the paired regions older storage service endpoints
//! also covered (option `storage_endpoint_scope`).

/// `East US`, `eastus` and `EastUS` are the same region.
pub fn normalise_region(region: &str) -> String {
    region
        .chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

/// Microsoft's published region pairs (the subset AML designs use; extend as needed).
const PAIRS: &[(&str, &str)] = &[
    ("eastus", "westus"),
    ("eastus2", "centralus"),
    ("northcentralus", "southcentralus"),
    ("westus2", "westcentralus"),
    ("westus3", "eastus"),
    ("canadacentral", "canadaeast"),
    ("northeurope", "westeurope"),
    ("uksouth", "ukwest"),
    ("francecentral", "francesouth"),
    ("germanywestcentral", "germanynorth"),
    ("swedencentral", "swedensouth"),
    ("switzerlandnorth", "switzerlandwest"),
    ("eastasia", "southeastasia"),
    ("japaneast", "japanwest"),
    ("australiaeast", "australiasoutheast"),
    ("centralindia", "southindia"),
    ("koreacentral", "koreasouth"),
    ("brazilsouth", "southcentralus"),
    ("usgovvirginia", "usgovtexas"),
    ("usgovarizona", "usgovtexas"),
];

/// The region paired with `region`, if known.
pub fn paired_region(region: &str) -> Option<&'static str> {
    let region = normalise_region(region);
    PAIRS.iter().find_map(|&(a, b)| {
        if a == region {
            Some(b)
        } else if b == region {
            Some(a)
        } else {
            None
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn regions_normalise_and_pair_both_ways() {
        assert_eq!(normalise_region("East US 2"), "eastus2");
        assert_eq!(paired_region("East US"), Some("westus"));
        assert_eq!(paired_region("westus"), Some("eastus"));
        assert_eq!(paired_region("mars"), None);
    }
}
