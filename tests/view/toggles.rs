//! Every toggle flips its own state and nothing else's meaning; the SEP toggle opens and closes
//! the attacker-storage exfiltration path of the DLP preset.

use vnetlab::view::evaluation::{Evaluation, Status};
use vnetlab::view::toggles::{all, find};

use crate::{all_presets, preset, DLP};

#[test]
fn every_applicable_toggle_flips_its_state_and_back() {
    for (id, design) in all_presets() {
        for toggle in all() {
            let Some(on) = toggle.state(&design) else {
                continue;
            };
            let flipped = toggle.flip(&design).unwrap();
            assert_eq!(toggle.state(&flipped), Some(!on), "{id}: {}", toggle.id);
            let back = toggle.flip(&flipped).unwrap();
            assert_eq!(toggle.state(&back), Some(on), "{id}: {} back", toggle.id);
        }
    }
}

fn open_attacker_storage_paths(evaluation: &Evaluation) -> usize {
    evaluation
        .results
        .iter()
        .filter(|r| {
            r.status() == Status::ExfiltrationOpen
                && r.question
                    .path_kind
                    .is_some_and(|k| k.as_str().starts_with("attacker-storage"))
        })
        .count()
}

#[test]
fn detaching_the_sep_on_the_dlp_preset_opens_attacker_storage_and_attaching_closes_it() {
    let design = preset(DLP);
    let toggle = find("sep-attached").unwrap();
    assert_eq!(toggle.state(&design), Some(true));
    let with_sep = Evaluation::of(&design);
    assert_eq!(open_attacker_storage_paths(&with_sep), 0);

    let without = toggle.flip(&design).unwrap();
    let without_sep = Evaluation::of(&without);
    assert!(open_attacker_storage_paths(&without_sep) > 0);

    let again = Evaluation::of(&toggle.flip(&without).unwrap());
    assert_eq!(open_attacker_storage_paths(&again), 0);
    assert_eq!(
        again.broken_required_flows(),
        with_sep.broken_required_flows()
    );
}

#[test]
fn specific_toggles_edit_the_expected_fields() {
    let design = preset("workshop");
    let public_ip = find("compute-public-ip").unwrap().flip(&design).unwrap();
    assert!(public_ip
        .computes
        .iter()
        .filter(|c| c.kind.is_aml_compute())
        .all(|c| c.nic.as_ref().unwrap().public_ip.is_none()));

    let private = find("storage-private-endpoint")
        .unwrap()
        .flip(&design)
        .unwrap();
    assert!(private
        .private_endpoints
        .iter()
        .any(|e| e.target == "wsstorage" && e.sub_resource == "blob"));
    assert!(private.virtual_networks[0].subnets[0]
        .service_endpoints
        .is_empty());
    assert!(private
        .private_dns_zones
        .iter()
        .any(|z| z.name == "privatelink.blob.core.windows.net" && z.vnet_links == ["vnet"]));

    let managed = find("managed-vnet").unwrap().flip(&design).unwrap();
    assert_ne!(
        managed.workspaces[0].managed_network.isolation_mode,
        design.workspaces[0].managed_network.isolation_mode
    );
}
