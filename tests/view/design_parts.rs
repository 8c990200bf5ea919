//! A design written in parts ([`vnetlab::view::design_text::DesignParts`]), as the import
//! module sends it to the page and the page to the analysis worker, reads back as the same
//! design, part by part as the page reads it: every preset, and a generated 3-spoke design
//! whose security groups fill several parts.

use vnetlab::model::Design;
use vnetlab::view::design_text::{DesignParts, Part, PartsReader, PART_BYTES};

use crate::hub_spoke::hub_spoke;
use crate::{all_presets, read_parts};

/// The design read a part at a time, as the page reads it; the reader keeps the parts.
fn read_part_by_part(parts: &DesignParts) -> Design {
    let read = read_parts(parts);
    assert_eq!(
        read.text.as_deref(),
        Some(parts),
        "the reader keeps the parts it read"
    );
    read.design.as_ref().clone()
}

/// Why `parts` cannot be read.
fn read_error(parts: &DesignParts) -> serde_json::Error {
    let mut reader = PartsReader::new(parts.head.clone()).expect("the head reads");
    parts
        .parts
        .iter()
        .find_map(|part| reader.read(part.clone()).err())
        .expect("a part does not read")
}

#[test]
fn every_preset_reads_back_from_its_parts() {
    for (id, design) in all_presets() {
        let parts = DesignParts::write(design.clone());
        assert!(
            !parts.parts.is_empty(),
            "{id}: the element lists are in parts"
        );
        assert!(
            !parts.head.contains("virtual_networks"),
            "{id}: the head leaves the lists out"
        );
        assert_eq!(read_part_by_part(&parts), design, "{id}: part by part");
        let whole = DesignParts::whole(&design);
        assert!(whole.parts.is_empty());
        assert_eq!(read_part_by_part(&whole), design, "{id}: written whole");
    }
}

#[test]
fn a_large_list_is_split_into_parts_of_about_the_part_size_in_order() {
    let design: Design = serde_json::from_value(hub_spoke(3)).expect("generated design");
    let parts = DesignParts::write(design.clone());
    let groups: Vec<&Part> = parts
        .parts
        .iter()
        .filter(|part| part.list == "network_security_groups")
        .collect();
    assert!(
        groups.len() > 1,
        "30 groups of 100 rules fill several parts"
    );
    let largest_group = design
        .network_security_groups
        .iter()
        .map(|group| serde_json::to_string(group).unwrap().len())
        .max()
        .unwrap();
    for part in &groups {
        assert!(
            part.elements.len() < PART_BYTES + largest_group + 2,
            "a part ends once it holds the part size: {} bytes",
            part.elements.len()
        );
    }
    assert_eq!(read_part_by_part(&parts), design);
}

#[test]
fn a_part_of_an_unknown_list_or_broken_elements_is_an_error_not_a_panic() {
    let (_, design) = all_presets().into_iter().next().expect("a preset");
    let mut parts = DesignParts::write(design);
    parts.parts[0].list = "virtual_machines".to_string();
    let error = read_error(&parts);
    assert!(error.to_string().contains("virtual_machines"), "{error}");
    let mut parts = DesignParts::write(all_presets().remove(0).1);
    parts.parts[0].elements.truncate(10);
    read_error(&parts);
}
