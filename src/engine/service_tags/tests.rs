//! Tests against Microsoft's real files in `../shared/fixtures/service-tags/` (read relative to
//! the crate root, where cargo runs tests). Expected prefixes are read from the JSON with
//! `serde_json::Value`, independently of the module's own reader.

use std::collections::BTreeMap;
use std::fs;
use std::net::Ipv4Addr;
use std::sync::OnceLock;

use ipnet::Ipv4Net;
use proptest::prelude::*;
use serde_json::Value;

use super::compact::decode_compact;
use super::embedded::PUBLIC_TAGS;
use super::ranges::{merge_prefixes, ranges_contain, ranges_to_prefixes};
use super::*;

const FULL_FILE: &str = "../shared/fixtures/service-tags/ServiceTags_Public_20251028.json";
const FULL_FILE_NAME: &str = "ServiceTags_Public_20251028.json";
const PER_TAG_2026: &str = "../shared/fixtures/service-tags/2026-06-per-tag";

fn read_fixture(path: &str) -> String {
    fs::read_to_string(path).unwrap_or_else(|error| panic!("cannot read {path}: {error}"))
}

fn full_file_json() -> &'static str {
    static JSON: OnceLock<String> = OnceLock::new();
    JSON.get_or_init(|| read_fixture(FULL_FILE))
}

fn per_tag_2026(tag: &str) -> String {
    read_fixture(&format!("{PER_TAG_2026}/{tag}.json"))
}

/// The IPv4 prefixes of each tag of `json` (a Microsoft file, a tag or an array of tags), by
/// name as written.
fn published_ipv4_prefixes_in(json: &str) -> BTreeMap<String, Vec<Ipv4Net>> {
    let document: Value = serde_json::from_str(json).expect("fixture is JSON");
    let tags = match &document {
        Value::Object(file) if file.contains_key("values") => file["values"].as_array(),
        Value::Array(tags) => Some(tags),
        _ => None,
    }
    .map_or_else(|| vec![&document], |tags| tags.iter().collect());
    tags.into_iter()
        .map(|tag| {
            let name = tag["name"].as_str().expect("tag name").to_owned();
            let prefixes = tag["properties"]["addressPrefixes"]
                .as_array()
                .expect("address prefixes")
                .iter()
                .filter_map(|prefix| prefix.as_str()?.parse::<Ipv4Net>().ok())
                .collect();
            (name, prefixes)
        })
        .collect()
}

fn published_ipv4_prefixes() -> &'static BTreeMap<String, Vec<Ipv4Net>> {
    static PREFIXES: OnceLock<BTreeMap<String, Vec<Ipv4Net>>> = OnceLock::new();
    PREFIXES.get_or_init(|| published_ipv4_prefixes_in(full_file_json()))
}

/// Every tag of the compiled-in data, with the IPv4 prefixes Microsoft's file lists for it.
fn shipped_tags_with_published_prefixes() -> &'static Vec<(CanonicalTag, Vec<Ipv4Net>)> {
    static SHIPPED: OnceLock<Vec<(CanonicalTag, Vec<Ipv4Net>)>> = OnceLock::new();
    SHIPPED.get_or_init(|| {
        published_ipv4_prefixes()
            .iter()
            .map(|(name, prefixes)| (known(name), prefixes.clone()))
            .filter(|(tag, _)| ServiceTagData::embedded().has_prefixes(tag))
            .collect()
    })
}

fn first_published_address(name: &str) -> Ipv4Addr {
    published_ipv4_prefixes()[name][0].network()
}

fn known(written: &str) -> CanonicalTag {
    match lookup_tag(written) {
        TagLookup::Known(tag) => tag,
        other => panic!("{written}: expected a known tag, got {other:?}"),
    }
}

fn alias(written: &str) -> (CanonicalTag, String) {
    match lookup_tag(written) {
        TagLookup::Alias { canonical, note } => (canonical, note),
        other => panic!("{written}: expected an alias, got {other:?}"),
    }
}

fn prefix(text: &str) -> Ipv4Net {
    text.parse().expect("test prefix")
}

fn address_count(ranges: &[(u32, u32)]) -> u64 {
    ranges
        .iter()
        .map(|&(first, last)| u64::from(last - first) + 1)
        .sum()
}

// --- The compiled-in data -------------------------------------------------------------------

#[test]
fn committed_data_file_is_the_generator_output() {
    let generated = encode_compact(full_file_json(), FULL_FILE_NAME).expect("fixture encodes");
    assert!(
        generated == PUBLIC_TAGS,
        "public.tags is stale: run `cargo run --example gen_service_tags -- {FULL_FILE} \
         src/engine/service_tags/public.tags`"
    );
}

#[test]
fn committed_data_file_stays_small() {
    assert!(PUBLIC_TAGS.len() < 150_000, "{} bytes", PUBLIC_TAGS.len());
}

#[test]
fn embedded_data_names_its_source_and_ships_the_chosen_tags() {
    let data = ServiceTagData::embedded();
    assert_eq!(data.source(), FULL_FILE_NAME);
    assert_eq!(data.change_number(), Some(375));
    for shipped in [
        "AzureCloud",
        "AzureFrontDoor.Frontend",
        "AzureFrontDoor.FirstParty",
        "GuestAndHybridManagement",
        "Storage.EastUS",
        "AzureKeyVault.WestEurope",
        "AzureMachineLearning.EastUS",
    ] {
        assert!(
            data.has_prefixes(&known(shipped)),
            "{shipped} is not shipped"
        );
    }
    for not_shipped in ["AzureCloud.EastUS", "Sql", "Sql.WestEurope", "AppService"] {
        let tag = known(not_shipped);
        assert!(!data.has_prefixes(&tag), "{not_shipped} is shipped");
        assert_eq!(data.contains(&tag, Ipv4Addr::new(13, 68, 163, 32)), None);
        assert_eq!(data.ranges(&tag), None);
        assert_eq!(data.prefixes(&tag), None);
        assert_eq!(data.representative_address(&tag), None);
    }
    // Every shipped tag is a tag of Microsoft's file.
    assert_eq!(
        shipped_tags_with_published_prefixes().len(),
        data.tags().count()
    );
}

#[test]
fn storage_east_us_address_is_in_storage_east_us_and_storage() {
    let data = ServiceTagData::embedded();
    let address = first_published_address("Storage.EastUS");
    assert_eq!(address, Ipv4Addr::new(13, 68, 163, 32));
    assert_eq!(data.contains(&known("Storage.EastUS"), address), Some(true));
    assert_eq!(data.contains(&known("Storage"), address), Some(true));
    assert_eq!(
        data.contains(&known("Storage.WestUS"), address),
        Some(false)
    );
}

#[test]
fn storage_west_us_address_is_not_in_storage_east_us() {
    let data = ServiceTagData::embedded();
    let address = first_published_address("Storage.WestUS");
    assert_eq!(data.contains(&known("Storage.WestUS"), address), Some(true));
    assert_eq!(
        data.contains(&known("Storage.EastUS"), address),
        Some(false)
    );
}

#[test]
fn tags_containing_a_machine_learning_address_include_it_and_azure_cloud() {
    let data = ServiceTagData::embedded();
    let address = first_published_address("AzureMachineLearning");
    let tags = data.tags_containing(address);
    assert!(tags.contains(&known("AzureMachineLearning")), "{tags:?}");
    assert!(tags.contains(&known("AzureCloud")), "{tags:?}");
    assert!(!tags.contains(&known("Storage")), "{tags:?}");
    assert!(tags.windows(2).all(|pair| pair[0] < pair[1]), "{tags:?}");
    assert!(data.tags_containing(Ipv4Addr::new(10, 0, 0, 1)).is_empty());
}

#[test]
fn representative_address_is_inside_its_tag() {
    let data = ServiceTagData::embedded();
    for tag in data.tags() {
        let address = data
            .representative_address(tag)
            .unwrap_or_else(|| panic!("{tag} has no IPv4 address"));
        assert_eq!(data.contains(tag, address), Some(true), "{tag}");
    }
    assert_eq!(
        data.representative_address(&known("Storage.EastUS")),
        Some(Ipv4Addr::new(13, 68, 163, 32))
    );
}

#[test]
fn prefixes_cover_exactly_the_ranges() {
    let data = ServiceTagData::embedded();
    for tag in data.tags() {
        let prefixes = data.prefixes(tag).expect("listed tag");
        assert_eq!(
            merge_prefixes(prefixes.iter().copied()),
            data.ranges(tag).expect("listed tag"),
            "{tag}"
        );
    }
}

// --- Names -----------------------------------------------------------------------------------

#[test]
fn lookups_are_case_insensitive_and_canonical() {
    let storage_east_us = known("storage.eastus");
    assert_eq!(
        storage_east_us,
        CanonicalTag::new("Storage", Some("eastus"))
    );
    assert_eq!(storage_east_us.to_string(), "Storage.EastUS");
    assert_eq!(known("STORAGE.EASTUS"), storage_east_us);
    assert_eq!(known("Storage.EastUS"), storage_east_us);

    let front_end = known("AzureFrontDoor.FrontEnd");
    assert_eq!(
        front_end,
        CanonicalTag::new("AzureFrontDoor.Frontend", None)
    );
    assert_eq!(front_end.to_string(), "AzureFrontDoor.Frontend");
    assert_eq!(known("azurecloud").to_string(), "AzureCloud");
    assert_eq!(
        known("azureactivedirectory.serviceendpoint").to_string(),
        "AzureActiveDirectory.ServiceEndpoint"
    );
}

#[test]
fn every_service_and_region_of_the_file_is_known() {
    for (written, expected) in [
        ("Sql.WestEurope", "Sql.WestEurope"),
        ("AppService", "AppService"),
        ("sql.brazilsoutheast", "Sql.BrazilSoutheast"),
        ("Storage.EastUS2Stage", "Storage.EastUS2Stage"),
        // AzureCloud's regional tags use the internal region names.
        ("AzureCloud.brazilse", "AzureCloud.brazilse"),
        ("AzureCloud.eastus", "AzureCloud.EastUS"),
    ] {
        assert_eq!(known(written).to_string(), expected, "{written}");
    }
    for name in published_ipv4_prefixes().keys() {
        assert!(
            known(name).to_string().eq_ignore_ascii_case(name),
            "{name} is displayed as {}",
            known(name)
        );
    }
}

#[test]
fn computed_tags_are_known_without_regions() {
    for computed in [
        "VirtualNetwork",
        "Internet",
        "AzureLoadBalancer",
        "AzurePlatformDNS",
        "AzurePlatformIMDS",
        "AzurePlatformLKM",
    ] {
        let tag = known(&computed.to_ascii_lowercase());
        assert_eq!(tag, CanonicalTag::new(computed, None));
        assert_eq!(
            lookup_tag(&format!("{computed}.EastUS")),
            TagLookup::Unknown
        );
        assert!(!ServiceTagData::embedded().has_prefixes(&tag));
    }
}

#[test]
fn doc_misspellings_are_normalised_with_a_note() {
    let (key_vault, note) = alias("Keyvault.EastUS");
    assert_eq!(key_vault.to_string(), "AzureKeyVault.EastUS");
    assert!(note.contains("Keyvault.EastUS"), "{note}");
    assert!(note.contains("AzureKeyVault.EastUS"), "{note}");
    assert_eq!(
        alias("keyvault.westeurope").0.to_string(),
        "AzureKeyVault.WestEurope"
    );
    assert_eq!(alias("Keyvault").0.to_string(), "AzureKeyVault");

    assert_eq!(
        alias("Frontdoor.FirstParty").0,
        known("AzureFrontDoor.FirstParty")
    );

    assert_eq!(
        alias("ContainerRegistry").0.to_string(),
        "AzureContainerRegistry"
    );
    assert_eq!(
        alias("ContainerRegistry.EastUS").0.to_string(),
        "AzureContainerRegistry.EastUS"
    );
    // The correct spellings are not aliases.
    assert_eq!(known("AzureKeyVault.EastUS"), key_vault);
}

#[test]
fn unknown_names_are_unknown() {
    for written in [
        "",
        "*",
        "Any",
        "Storag",
        "Storage.Atlantis",
        "Storage.",
        ".EastUS",
        "EastUS",
        "AzureFrontDoor",
        "Frontdoor",
        "KeyvaultX.EastUS",
        "Keyvault.Atlantis",
        "Störage.EastUS",
        "Storage.EastUS ",
        "10.0.0.0/24",
    ] {
        assert_eq!(lookup_tag(written), TagLookup::Unknown, "{written:?}");
    }
}

#[test]
fn regional_tags_are_within_their_service_only() {
    let storage = known("Storage");
    let storage_east_us = known("Storage.EastUS");
    assert!(storage_east_us.is_within(&storage));
    assert!(storage_east_us.is_within(&known("storage.EASTUS")));
    assert!(storage.is_within(&storage));
    assert!(!storage.is_within(&storage_east_us));
    assert!(!storage_east_us.is_within(&known("Storage.WestUS")));
    assert!(!storage_east_us.is_within(&known("AzureCloud")));
    assert!(!known("AzureFrontDoor.Frontend").is_within(&known("AzureFrontDoor.Backend")));
}

// --- Loading Microsoft's JSON ----------------------------------------------------------------

#[test]
fn newer_machine_learning_data_has_more_prefixes_and_new_addresses() {
    let machine_learning = known("AzureMachineLearning");
    let old = ServiceTagData::embedded();
    let new = ServiceTagData::from_microsoft_json(&per_tag_2026("AzureMachineLearning"))
        .expect("2026 fixture loads");
    assert_eq!(new.tags().collect::<Vec<_>>(), [&machine_learning]);
    assert_eq!(new.change_number(), None);
    assert_eq!(new.source(), "Microsoft service tag AzureMachineLearning");

    let old_ranges = old.ranges(&machine_learning).expect("shipped");
    let new_ranges = new.ranges(&machine_learning).expect("loaded");
    assert!(
        new.prefixes(&machine_learning).expect("loaded").len()
            > old.prefixes(&machine_learning).expect("shipped").len()
    );
    assert!(new_ranges.len() > old_ranges.len());
    assert!(address_count(new_ranges) > address_count(old_ranges));

    let added = new_ranges
        .iter()
        .map(|&(first, _)| Ipv4Addr::from(first))
        .find(|&address| old.contains(&machine_learning, address) == Some(false))
        .expect("the 2026 data has an address the 2025 data does not");
    assert_eq!(new.contains(&machine_learning, added), Some(true));
    assert!(new.tags_containing(added).contains(&machine_learning));
}

#[test]
fn full_file_loads_every_tag() {
    let data = ServiceTagData::from_microsoft_json(full_file_json()).expect("fixture loads");
    assert_eq!(data.tags().count(), 3039);
    assert_eq!(data.change_number(), Some(375));
    assert_eq!(
        data.source(),
        "Microsoft service tag file (Public, changeNumber 375)"
    );
    let embedded = ServiceTagData::embedded();
    for tag in embedded.tags() {
        assert_eq!(data.ranges(tag), embedded.ranges(tag), "{tag}");
    }
    for name in [
        "Sql.WestEurope",
        "AzureCloud.brazilse",
        "ActionGroup.BrazilSoutheast",
    ] {
        assert!(data.has_prefixes(&known(name)), "{name}");
    }
}

#[test]
fn regional_tag_and_tag_arrays_load() {
    let east_us = per_tag_2026("Storage.EastUS");
    let data = ServiceTagData::from_microsoft_json(&east_us).expect("fixture loads");
    assert_eq!(data.tags().collect::<Vec<_>>(), [&known("Storage.EastUS")]);

    let array = format!("[{east_us}, {}]", per_tag_2026("Storage.WestUS"));
    let data = ServiceTagData::from_microsoft_json(&array).expect("array loads");
    assert_eq!(
        data.tags().cloned().collect::<Vec<_>>(),
        [known("Storage.EastUS"), known("Storage.WestUS")]
    );
    assert_eq!(data.source(), "2 Microsoft service tags");
    let published = published_ipv4_prefixes_in(&array);
    for (name, prefixes) in published {
        assert_eq!(
            data.ranges(&known(&name)).expect("loaded"),
            merge_prefixes(prefixes),
            "{name}"
        );
    }
}

#[test]
fn ipv6_prefixes_are_dropped_and_names_resolved() {
    let json = r#"{"name": "azurecloud", "properties": {"region": "",
        "addressPrefixes": ["2603:1000::/40", "20.1.2.0/24", "20.1.3.0/24"]}}"#;
    let data = ServiceTagData::from_microsoft_json(json).expect("loads");
    let azure_cloud = known("AzureCloud");
    assert_eq!(
        data.prefixes(&azure_cloud),
        Some(vec![prefix("20.1.2.0/23")])
    );

    let newer_names = r#"[
        {"name": "storage.eastus", "properties": {"addressPrefixes": ["20.1.4.0/24"]}},
        {"name": "Storage.NewRegion", "properties": {"region": "newregion",
            "addressPrefixes": ["20.1.5.0/24"]}},
        {"name": "NewService.Preview", "properties": {"region": "",
            "addressPrefixes": ["20.1.6.0/24"]}}
    ]"#;
    let data = ServiceTagData::from_microsoft_json(newer_names).expect("loads");
    assert_eq!(
        data.tags().cloned().collect::<Vec<_>>(),
        [
            CanonicalTag::new("NewService.Preview", None),
            known("Storage.EastUS"),
            CanonicalTag::new("Storage", Some("newregion")),
        ]
    );

    let only_ipv6 = r#"{"name": "AzureCloud", "properties": {"addressPrefixes": ["2603::/32"]}}"#;
    let data = ServiceTagData::from_microsoft_json(only_ipv6).expect("loads");
    assert!(data.has_prefixes(&azure_cloud));
    assert_eq!(
        data.contains(&azure_cloud, Ipv4Addr::new(20, 1, 2, 3)),
        Some(false)
    );
    assert_eq!(data.representative_address(&azure_cloud), None);
}

#[test]
fn malformed_microsoft_json_is_an_error() {
    let tag = |name: &str, prefix: &str| {
        format!(r#"{{"name": "{name}", "properties": {{"addressPrefixes": ["{prefix}"]}}}}"#)
    };
    for (json, expected) in [
        ("{".to_owned(), "not valid JSON"),
        ("42".to_owned(), "expected Microsoft's service tag file"),
        (
            r#"{"values": 3}"#.to_owned(),
            "not a Microsoft service tag file",
        ),
        (
            r#"{"name": "Storage"}"#.to_owned(),
            "not a Microsoft service tag",
        ),
        (
            tag("Storage", "13.68.163.999/28"),
            "tag Storage: invalid address prefix",
        ),
        (
            format!(
                "[{}, {}]",
                tag("Storage", "1.0.0.0/8"),
                tag("storage", "2.0.0.0/8")
            ),
            "appears twice",
        ),
    ] {
        let error = ServiceTagData::from_microsoft_json(&json).expect_err(&json);
        assert!(error.contains(expected), "{json}: {error}");
    }
}

#[test]
fn generator_rejects_anything_but_a_full_file() {
    let single = per_tag_2026("AzureMachineLearning");
    assert!(encode_compact(&single, "AzureMachineLearning.json").is_err());
    let without_azure_cloud = r#"{"changeNumber": 1, "cloud": "Public", "values": []}"#;
    let error = encode_compact(without_azure_cloud, "x.json").expect_err("no tags");
    assert!(error.contains("has no tag AzureCloud"), "{error}");
    assert!(encode_compact(full_file_json(), "bad\tname.json").is_err());
}

#[test]
fn corrupt_compact_files_are_errors() {
    let header =
        "vnetlab-service-tags/1\tx.json\tchangeNumber=1\nservices\tStorage\nregions\tEastUS\n";
    let valid = format!("{header}Storage.EastUS\t10+f,1+0\n");
    let decoded = decode_compact(&valid).expect("valid file");
    assert_eq!(
        decoded.data.ranges(&known("Storage.EastUS")),
        Some(&[(0x10, 0x1f), (0x21, 0x21)][..])
    );
    for corrupt in [
        String::new(),
        "vnetlab-service-tags/2\tx.json\tchangeNumber=1\n".to_owned(),
        format!("{header}Sql\t0+0\n"),
        format!("{header}Storage\t0+0\nStorage\t5+0\n"),
        format!("{header}Storage\t0-0\n"),
        format!("{header}Storage\tg+0\n"),
        format!("{header}Storage\t0+ffffffff,0+0\n"),
        format!("{header}Storage\t100000000+0\n"),
        format!("{header}Storage\n"),
    ] {
        assert!(decode_compact(&corrupt).is_err(), "{corrupt:?}");
    }
}

// --- Ranges ------------------------------------------------------------------------------------

#[test]
fn prefixes_merge_into_ranges_and_back_into_the_fewest_prefixes() {
    let ranges = merge_prefixes(
        [
            "10.0.0.2/31",
            "10.0.0.0/31",
            "10.0.0.4/32",
            "10.0.0.0/30",
            "10.0.1.0/24",
            "255.255.255.255/32",
            "255.255.255.254/32",
        ]
        .map(prefix),
    );
    assert_eq!(
        ranges,
        [
            (0x0a00_0000, 0x0a00_0004),
            (0x0a00_0100, 0x0a00_01ff),
            (0xffff_fffe, 0xffff_ffff)
        ]
    );
    assert_eq!(
        ranges_to_prefixes(&ranges),
        [
            "10.0.0.0/30",
            "10.0.0.4/32",
            "10.0.1.0/24",
            "255.255.255.254/31"
        ]
        .map(prefix)
    );
    assert_eq!(ranges_to_prefixes(&[(0, u32::MAX)]), [prefix("0.0.0.0/0")]);
    assert_eq!(
        ranges_to_prefixes(&[(1, 6)]),
        ["0.0.0.1/32", "0.0.0.2/31", "0.0.0.4/31", "0.0.0.6/32"].map(prefix)
    );
}

fn arbitrary_prefix() -> impl Strategy<Value = Ipv4Net> {
    (any::<u32>(), 0u8..=32).prop_map(|(address, length)| {
        Ipv4Net::new(Ipv4Addr::from(address), length)
            .expect("length is at most 32")
            .trunc()
    })
}

/// An address chosen to hit the edges of `prefixes` often: just before, at the start, at the end
/// or just after one of them, or anywhere.
fn probe_address(prefixes: &[Ipv4Net], which: prop::sample::Index, edge: u8, any: u32) -> Ipv4Addr {
    if prefixes.is_empty() {
        return any.into();
    }
    let prefix = prefixes[which.index(prefixes.len())];
    let (first, last) = (u32::from(prefix.network()), u32::from(prefix.broadcast()));
    match edge {
        0 => first.wrapping_sub(1),
        1 => first,
        2 => last,
        3 => last.wrapping_add(1),
        _ => any,
    }
    .into()
}

proptest! {
    #[test]
    fn contains_agrees_with_a_scan_of_the_published_prefixes(
        tag in any::<prop::sample::Index>(),
        which in any::<prop::sample::Index>(),
        edge in 0u8..6,
        any_address in any::<u32>(),
    ) {
        let shipped = shipped_tags_with_published_prefixes();
        let (tag, prefixes) = &shipped[tag.index(shipped.len())];
        let address = probe_address(prefixes, which, edge, any_address);
        let data = ServiceTagData::embedded();

        let in_tag = prefixes.iter().any(|prefix| prefix.contains(&address));
        prop_assert_eq!(data.contains(tag, address), Some(in_tag));

        let expected: Vec<CanonicalTag> = shipped
            .iter()
            .filter(|(_, prefixes)| prefixes.iter().any(|prefix| prefix.contains(&address)))
            .map(|(tag, _)| tag.clone())
            .collect();
        prop_assert_eq!(data.tags_containing(address), expected);
    }

    #[test]
    fn merged_ranges_and_their_prefixes_cover_the_same_addresses(
        prefixes in prop::collection::vec(arbitrary_prefix(), 0..12),
        which in any::<prop::sample::Index>(),
        edge in 0u8..6,
        any_address in any::<u32>(),
    ) {
        let ranges = merge_prefixes(prefixes.iter().copied());
        prop_assert!(ranges.windows(2).all(|pair| u64::from(pair[0].1) + 1 < u64::from(pair[1].0)));
        let covering = ranges_to_prefixes(&ranges);
        prop_assert_eq!(merge_prefixes(covering.iter().copied()), ranges.clone());

        let address = probe_address(&prefixes, which, edge, any_address);
        let in_prefixes = prefixes.iter().any(|prefix| prefix.contains(&address));
        prop_assert_eq!(ranges_contain(&ranges, address.into()), in_prefixes);
        prop_assert_eq!(covering.iter().any(|prefix| prefix.contains(&address)), in_prefixes);
    }
}
