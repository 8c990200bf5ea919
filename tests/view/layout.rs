//! The diagram holds every element of every preset, inside its container.

use vnetlab::view::diagram::{layout, NodeKind, Selection};
use vnetlab::view::evaluation::Evaluation;

use crate::{all_presets, preset};

#[test]
fn every_element_of_every_preset_is_drawn() {
    for (id, design) in all_presets() {
        let evaluation = Evaluation::of(&design);
        let scene = layout(&evaluation.analysed, &evaluation, None);
        let has = |key: &str| scene.nodes.iter().any(|n| n.key == key);
        for vnet in &design.virtual_networks {
            assert!(
                has(&format!("vnet:{}", vnet.name)),
                "{id}: vnet {}",
                vnet.name
            );
            for subnet in &vnet.subnets {
                assert!(
                    has(&format!("{}/{}", vnet.name, subnet.name)),
                    "{id}: subnet {}",
                    subnet.name
                );
            }
        }
        let leaves = design
            .computes
            .iter()
            .map(|c| &c.name)
            .chain(design.private_endpoints.iter().map(|e| &e.name))
            .chain(design.firewalls.iter().map(|f| &f.name))
            .chain(design.resources.iter().map(|r| &r.name))
            .chain(design.workspaces.iter().map(|w| &w.name))
            .chain(design.services.iter().map(|s| &s.name))
            .chain(design.external_hosts.iter().map(|h| &h.name));
        for name in leaves {
            assert!(has(name), "{id}: {name} is drawn");
        }
        // Subnets sit inside their VNet box, leaves inside the diagram.
        for node in &scene.nodes {
            assert!(
                node.x >= 0 && node.x + node.w <= scene.width,
                "{id}: {} fits",
                node.key
            );
            assert!(node.y + node.h <= scene.height, "{id}: {} fits", node.key);
        }
    }
}

#[test]
fn attacker_sinks_stand_outside_the_vnets() {
    let design = preset("workshop");
    let evaluation = Evaluation::of(&design);
    let scene = layout(&evaluation.analysed, &evaluation, None);
    let rogue = scene
        .nodes
        .iter()
        .find(|n| n.key == "roguestorage")
        .unwrap();
    assert_eq!(rogue.kind, NodeKind::Sink);
    let vnet = scene.nodes.iter().find(|n| n.key == "vnet:vnet").unwrap();
    assert!(
        rogue.x > vnet.x + vnet.w,
        "sinks are right of the VNet boundary"
    );
}

#[test]
fn the_selected_flow_lights_up_its_current_hop() {
    let design = preset("workshop");
    let evaluation = Evaluation::of(&design);
    let result = &evaluation.results[0];
    for step in 0..result.trace.hops.len() {
        let scene = layout(
            &evaluation.analysed,
            &evaluation,
            Some(Selection {
                flow_id: &result.question.id,
                step,
            }),
        );
        assert!(scene.nodes.iter().filter(|n| n.current).count() <= 1);
        assert!(scene.edges.iter().any(|e| e.selected));
    }
    let first = layout(
        &evaluation.analysed,
        &evaluation,
        Some(Selection {
            flow_id: &result.question.id,
            step: 0,
        }),
    );
    assert!(
        first.nodes.iter().any(|n| n.current),
        "the source hop is on the diagram"
    );
}
