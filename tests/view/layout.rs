//! The diagram: every element and every flow is drawn, boxes nest without overlapping, labels
//! fit their boxes, the selected flow follows its hops, large designs open collapsed, and the
//! picture does not depend on the order of the design's arrays.

use std::collections::BTreeSet;

use vnetlab::model::{Design, Owner};
use vnetlab::view::diagram::place::PAD;
use vnetlab::view::diagram::text::text_width;
use vnetlab::view::diagram::viewport::{View, ViewAction, Viewport};
use vnetlab::view::diagram::{
    default_collapsed, layout, LayoutOptions, Node, NodeKind, Scene, Selection, DEFAULT_WIDTH,
    LARGE_PAAS_GROUP,
};
use vnetlab::view::evaluation::{Evaluation, Status};
use vnetlab::view::state::{apply, Action, AppState};

use crate::{all_presets, preset, DLP};

fn scene_of(design: &Design, width: i32) -> (Evaluation, Scene) {
    let evaluation = Evaluation::of(design);
    let options = LayoutOptions::opening(&evaluation.analysed, width);
    let scene = layout(&evaluation.analysed, &evaluation, None, &options);
    (evaluation, scene)
}

fn contains(outer: &Node, inner: &Node) -> bool {
    inner.x >= outer.x
        && inner.y >= outer.y
        && inner.x + inner.w <= outer.x + outer.w
        && inner.y + inner.h <= outer.y + outer.h
}

fn overlap(a: &Node, b: &Node) -> bool {
    a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h
}

#[test]
fn every_element_of_every_preset_is_drawn_inside_its_container() {
    for (id, design) in all_presets() {
        let (evaluation, scene) = scene_of(&design, DEFAULT_WIDTH);
        let analysed = &evaluation.analysed;
        let node = |key: &str| {
            scene
                .node(key)
                .unwrap_or_else(|| panic!("{id}: {key} drawn"))
        };
        for vnet in &analysed.virtual_networks {
            let vnet_node = node(&format!("vnet:{}", vnet.name));
            for subnet in &vnet.subnets {
                let subnet_node = node(&format!("{}/{}", vnet.name, subnet.name));
                assert!(
                    contains(vnet_node, subnet_node),
                    "{id}: {} in its VNet",
                    subnet.name
                );
            }
        }
        for compute in analysed.computes.iter().filter(|c| c.nic.is_some()) {
            let subnet = &compute.nic.as_ref().unwrap().subnet;
            assert!(
                contains(node(subnet), node(&compute.name)),
                "{id}: {} in {subnet}",
                compute.name
            );
        }
        for endpoint in &analysed.private_endpoints {
            assert!(
                contains(node(&endpoint.subnet), node(&endpoint.name)),
                "{id}: {}",
                endpoint.name
            );
        }
        for firewall in &analysed.firewalls {
            assert!(
                contains(node(&firewall.subnet), node(&firewall.name)),
                "{id}: {}",
                firewall.name
            );
        }
        for name in analysed
            .resources
            .iter()
            .map(|r| &r.name)
            .chain(analysed.workspaces.iter().map(|w| &w.name))
            .chain(analysed.external_hosts.iter().map(|h| &h.name))
        {
            node(name);
        }
        // One node per service tag; attacker services are sinks of their own.
        for service in &analysed.services {
            let key = match service.owner {
                Owner::Attacker => service.name.clone(),
                _ => format!("tag:{}", service.service_tag.to_ascii_lowercase()),
            };
            node(&key);
        }
        for node in &scene.nodes {
            assert!(
                node.x >= 0 && node.x + node.w <= scene.width,
                "{id}: {} fits",
                node.key
            );
            assert!(
                node.y >= 0 && node.y + node.h <= scene.height,
                "{id}: {} fits",
                node.key
            );
        }
    }
}

#[test]
fn no_two_boxes_overlap_unless_one_contains_the_other() {
    for width in [700, DEFAULT_WIDTH, 1600] {
        for (id, design) in all_presets() {
            let (_, scene) = scene_of(&design, width);
            for (i, a) in scene.nodes.iter().enumerate() {
                for b in &scene.nodes[i + 1..] {
                    if overlap(a, b) {
                        assert!(
                            contains(a, b) || contains(b, a),
                            "{id} at {width}: {} and {} overlap",
                            a.key,
                            b.key
                        );
                    }
                }
            }
        }
    }
}

#[test]
fn every_label_fits_its_text_box() {
    for (id, design) in all_presets() {
        let (_, scene) = scene_of(&design, 700);
        for node in &scene.nodes {
            let marker = if node.kind.marker().is_empty() && !node.collapsed {
                0.0
            } else {
                16.0
            };
            let (x, y, w, h) = node.text_box();
            assert!(
                x >= node.x + PAD && x + w <= node.x + node.w - PAD,
                "{id}: the text of {} stays inside its box, clear of the collapse button",
                node.key
            );
            assert!(
                y >= node.y && y + h <= node.y + node.h,
                "{id}: {}",
                node.key
            );
            let room = f64::from(w);
            let label = text_width(&node.shown_label, 12.0, true) + marker;
            assert!(
                label <= room + 0.5,
                "{id}: label of {} ({label} > {room})",
                node.key
            );
            let detail = text_width(&node.shown_detail, 11.0, false);
            assert!(detail <= room + 0.5, "{id}: detail of {}", node.key);
            assert!(
                node.shown_label == node.label || node.shown_label.ends_with('…'),
                "{id}: {} is shortened visibly",
                node.key
            );
        }
    }
}

#[test]
fn every_flow_and_every_exfiltration_path_has_exactly_one_edge() {
    for (id, design) in all_presets() {
        let (evaluation, scene) = scene_of(&design, DEFAULT_WIDTH);
        let mut drawn: Vec<&String> = scene.edges.iter().flat_map(|e| &e.flow_ids).collect();
        drawn.sort();
        let mut expected: Vec<&String> =
            evaluation.results.iter().map(|r| &r.question.id).collect();
        expected.sort();
        assert_eq!(drawn, expected, "{id}: one edge per flow");
        let keys: BTreeSet<String> = scene.edges.iter().map(|e| e.key()).collect();
        assert_eq!(
            keys.len(),
            scene.edges.len(),
            "{id}: one edge per pair of nodes"
        );
        for edge in &scene.edges {
            assert!(
                scene.node(&edge.from).is_some() && scene.node(&edge.to).is_some(),
                "{id}: {}",
                edge.key()
            );
            let worst = edge
                .flow_ids
                .iter()
                .map(|f| evaluation.find(f).unwrap().status())
                .collect::<Vec<_>>();
            assert!(
                worst.contains(&edge.status),
                "{id}: the edge's status is one of its flows'"
            );
            if worst.contains(&Status::ExfiltrationOpen) {
                assert_eq!(
                    edge.status,
                    Status::ExfiltrationOpen,
                    "{id}: an open path is never hidden"
                );
            }
        }
    }
}

#[test]
fn switching_the_sep_off_draws_the_rogue_storage_path_and_applying_it_back_removes_it() {
    let state = AppState::new(preset(DLP), DLP, false);
    let sink_edges = |state: &AppState| {
        let options = LayoutOptions::opening(&state.evaluation.analysed, DEFAULT_WIDTH);
        let scene = layout(
            &state.evaluation.analysed,
            &state.evaluation,
            None,
            &options,
        );
        scene
            .edges
            .iter()
            .filter(|e| e.status == Status::ExfiltrationOpen)
            .filter(|e| scene.node(&e.to).is_some_and(|n| n.kind == NodeKind::Sink))
            .filter(|e| {
                scene
                    .node(&e.to)
                    .is_some_and(|n| n.label.contains("storage"))
            })
            .count()
    };
    assert_eq!(sink_edges(&state), 0, "the SEP closes the storage paths");
    let off = apply(state, Action::Flip("sep-attached".into()));
    assert!(
        sink_edges(&off) > 0,
        "SEP off: an open path to attacker storage is drawn"
    );
    let back = apply(off, Action::Undo);
    assert_eq!(sink_edges(&back), 0);
}

#[test]
fn flows_to_your_own_storage_are_drawn_to_the_storage_account() {
    let (evaluation, scene) = scene_of(&preset(DLP), DEFAULT_WIDTH);
    let storage: Vec<&str> = evaluation
        .analysed
        .resources
        .iter()
        .filter(|r| r.owner == Owner::Yours)
        .map(|r| r.name.as_str())
        .collect();
    assert!(!storage.is_empty());
    for name in storage {
        assert!(
            scene.edges.iter().any(|e| e.to == name),
            "an edge reaches {name}"
        );
    }
}

#[test]
fn the_selected_flow_follows_its_hops_and_lights_one_current_node() {
    for (id, design) in all_presets() {
        let evaluation = Evaluation::of(&design);
        let options = LayoutOptions::opening(&evaluation.analysed, DEFAULT_WIDTH);
        for result in &evaluation.results {
            for step in 0..result.trace.hops.len() {
                let selection = Selection {
                    flow_id: &result.question.id,
                    step,
                };
                let scene = layout(&evaluation.analysed, &evaluation, Some(selection), &options);
                assert_eq!(
                    scene.nodes.iter().filter(|n| n.current).count(),
                    1,
                    "{id} {}",
                    result.question.id
                );
                let selected: Vec<_> = scene.edges.iter().filter(|e| e.selected).collect();
                assert_eq!(selected.len(), 1, "{id}: the flow's edge is selected");
                let path = scene.selected_path.as_ref().expect("the path is drawn");
                let source = scene
                    .nodes
                    .iter()
                    .find(|n| n.key == selected[0].from)
                    .unwrap();
                if step == 0 {
                    assert!(
                        contains(source, &point_node(path.packet_x, path.packet_y)),
                        "{id}: the packet starts at the source"
                    );
                }
            }
        }
    }
}

fn point_node(x: i32, y: i32) -> Node {
    Node {
        key: String::new(),
        kind: NodeKind::Compute,
        label: String::new(),
        detail: String::new(),
        shown_label: String::new(),
        shown_detail: String::new(),
        x,
        y,
        w: 0,
        h: 0,
        collapsible: false,
        collapsed: false,
        container: false,
        current: false,
        on_path: false,
    }
}

#[test]
fn the_dns_hop_is_not_a_stop_of_the_path() {
    let (evaluation, _) = scene_of(&preset(DLP), DEFAULT_WIDTH);
    let options = LayoutOptions::opening(&evaluation.analysed, DEFAULT_WIDTH);
    let result = evaluation
        .results
        .iter()
        .find(|r| {
            r.trace
                .hops
                .iter()
                .any(|h| h.step == vnetlab::engine::Step::Dns)
        })
        .expect("a flow resolves a name");
    let dns = result
        .trace
        .hops
        .iter()
        .position(|h| h.step == vnetlab::engine::Step::Dns)
        .unwrap();
    let at = |step| {
        let selection = Selection {
            flow_id: &result.question.id,
            step,
        };
        let scene = layout(&evaluation.analysed, &evaluation, Some(selection), &options);
        let path = scene.selected_path.unwrap();
        (path.packet_x, path.packet_y)
    };
    assert_eq!(
        at(dns),
        at(dns.saturating_sub(1)),
        "the packet waits at its place while DNS answers"
    );
}

/// `n` spoke VNets with two subnets and a VM each.
fn spokes(n: usize) -> Design {
    let vnets: Vec<serde_json::Value> = (0..n)
        .map(|v| {
            serde_json::json!({"name": format!("spoke{v:02}"), "region": "eastus",
                "address_space": [format!("10.{v}.0.0/16")],
                "subnets": [{"name": "app", "prefix": format!("10.{v}.1.0/24")},
                            {"name": "data", "prefix": format!("10.{v}.2.0/24")}]})
        })
        .collect();
    let computes: Vec<serde_json::Value> = (0..n)
        .map(|v| {
            serde_json::json!({"name": format!("vm{v:02}"), "kind": "virtual_machine",
            "nic": {"subnet": format!("spoke{v:02}/app"), "private_ip": format!("10.{v}.1.4")}})
        })
        .collect();
    serde_json::from_value(serde_json::json!({"schema_version": 1, "name": "spokes",
        "virtual_networks": vnets, "computes": computes}))
    .expect("generated design")
}

#[test]
fn large_designs_open_collapsed_to_their_vnets_and_still_draw_every_flow() {
    assert!(
        default_collapsed(&preset(DLP)).is_empty(),
        "workshop designs open expanded"
    );
    let design = spokes(50);
    assert_eq!(default_collapsed(&design).len(), 50);
    let (evaluation, scene) = scene_of(&design, 800);
    assert!(
        scene.nodes.iter().all(|n| n.kind != NodeKind::Subnet),
        "subnets are inside collapsed VNets"
    );
    let collapsed = scene.nodes.iter().filter(|n| n.collapsed).count();
    assert_eq!(collapsed, 50);
    let drawn: usize = scene.edges.iter().map(|e| e.flow_ids.len()).sum();
    assert_eq!(drawn, evaluation.results.len());
    // Expanding one VNet shows its contents.
    let mut options = LayoutOptions::opening(&evaluation.analysed, 800);
    options.collapsed.remove("vnet:spoke07");
    let expanded = layout(&evaluation.analysed, &evaluation, None, &options);
    assert!(expanded.node("spoke07/app").is_some() && expanded.node("vm07").is_some());
    assert!(expanded.node("spoke08/app").is_none());
}

#[test]
fn the_drawing_uses_the_width_it_is_given() {
    let design = spokes(6);
    let (_, narrow) = scene_of(&design, 700);
    let (_, wide) = scene_of(&design, 1600);
    assert_eq!(narrow.width, 700);
    assert_eq!(wide.width, 1600);
    assert!(
        wide.height < narrow.height,
        "a wider box holds more per row"
    );
    let right = wide.nodes.iter().map(|n| n.x + n.w).max().unwrap();
    let left = wide.nodes.iter().map(|n| n.x).min().unwrap();
    assert!(
        f64::from(right - left) > 0.8 * 1600.0,
        "the row spans the width: {left}..{right}"
    );
}

#[test]
fn the_picture_does_not_depend_on_the_order_of_the_design_arrays() {
    for (id, design) in all_presets() {
        let mut reversed = design.clone();
        reversed.virtual_networks.reverse();
        reversed
            .virtual_networks
            .iter_mut()
            .for_each(|v| v.subnets.reverse());
        reversed.computes.reverse();
        reversed.private_endpoints.reverse();
        reversed.resources.reverse();
        reversed.services.reverse();
        reversed.external_hosts.reverse();
        reversed.peerings.reverse();
        let (_, a) = scene_of(&design, DEFAULT_WIDTH);
        let (_, b) = scene_of(&reversed, DEFAULT_WIDTH);
        let boxes = |s: &Scene| {
            let mut boxes: Vec<(String, i32, i32, i32, i32)> = s
                .nodes
                .iter()
                .map(|n| (n.key.clone(), n.x, n.y, n.w, n.h))
                .collect();
            boxes.sort();
            boxes
        };
        assert_eq!(boxes(&a), boxes(&b), "{id}");
        let edges = |s: &Scene| {
            let mut e: Vec<(String, usize)> = s
                .edges
                .iter()
                .map(|e| (e.key(), e.flow_ids.len()))
                .collect();
            e.sort();
            e
        };
        assert_eq!(edges(&a), edges(&b), "{id}");
    }
}

#[test]
fn zoom_keeps_the_point_under_the_cursor_and_fit_shows_everything() {
    let viewport = Viewport::default().zoom_at(2.0, 100.0, 50.0);
    assert_eq!(viewport.scale, 2.0);
    // The scene point under (100, 50) was (100, 50) and still is.
    assert!((viewport.x + 100.0 / 2.0 - 100.0).abs() < 1e-9);
    assert!((viewport.y + 50.0 / 2.0 - 50.0).abs() < 1e-9);
    // Drawn by the group's transform, scene (100, 50) → 2 × (100, 50) − (100, 50): the cursor.
    assert_eq!(viewport.transform(), "translate(-100.0 -50.0) scale(2)");
    let view = View::default()
        .apply(ViewAction::Frame(600.0, 400.0))
        .apply(ViewAction::Scene(1200.0, 1600.0))
        .apply(ViewAction::Fit);
    assert_eq!(view.viewport.scale, 0.25);
    assert!(view.viewport.percent() == 25);
    let panned = View::default()
        .apply(ViewAction::Frame(600.0, 400.0))
        .apply(ViewAction::Scene(600.0, 400.0))
        .apply(ViewAction::Pan(-10_000.0, 0.0));
    assert!(
        panned.viewport.x <= 600.0,
        "panning stops before the scene leaves the box"
    );
    let zoomed = View::default()
        .apply(ViewAction::Frame(600.0, 400.0))
        .apply(ViewAction::Zoom(100.0));
    assert_eq!(zoomed.viewport.scale, 3.0, "zoom is bounded");
}

#[test]
fn edge_badges_cover_no_element_on_any_preset() {
    use vnetlab::view::diagram::edges::badge_size;
    for width in [580, DEFAULT_WIDTH] {
        for (id, design) in all_presets() {
            let (_, scene) = scene_of(&design, width);
            let badges: Vec<Node> = scene
                .edges
                .iter()
                .filter(|e| !e.badge.is_empty())
                .map(|e| {
                    let (w, h) = badge_size(&e.badge);
                    Node {
                        w,
                        h,
                        ..point_node(e.label_x - w / 2, e.label_y - h / 2)
                    }
                })
                .collect();
            for badge in &badges {
                for node in scene.nodes.iter().filter(|n| !n.container) {
                    assert!(
                        !overlap(badge, node),
                        "{id} at {width}: a badge covers {} ({:?} vs {:?})",
                        node.key,
                        (badge.x, badge.y, badge.w, badge.h),
                        (node.x, node.y, node.w, node.h)
                    );
                }
            }
        }
    }
}

fn drawn_scene(state: &AppState) -> Scene {
    let drawn = state.drawn_evaluation();
    let options = LayoutOptions::opening(&drawn.analysed, DEFAULT_WIDTH);
    let selection = state
        .selected
        .as_deref()
        .map(|flow_id| Selection { flow_id, step: 0 });
    layout(&drawn.analysed, &drawn, selection, &options)
}

#[test]
fn a_path_closed_by_a_fix_and_a_traced_flow_are_drawn_and_can_be_selected() {
    let state = AppState::new(preset(DLP), DLP, false);
    let state = apply(state, Action::Flip("sep-attached".into()));
    let state = apply(state, Action::VerifyFixes);
    let path = state
        .evaluation
        .results
        .iter()
        .find(|r| r.status() == Status::ExfiltrationOpen && !r.fixes.is_empty())
        .expect("an open path with a fix")
        .question
        .id
        .clone();
    let state = apply(
        state,
        Action::ApplyFix {
            path: path.clone(),
            fix: 0,
        },
    );
    assert!(state.evaluation.find(&path).is_none(), "the fix closed it");
    let state = apply(state, Action::Select(Some(path.clone())));
    let scene = drawn_scene(&state);
    let edge = scene
        .edges
        .iter()
        .find(|e| e.flow_ids.contains(&path))
        .expect("the closed path keeps its edge");
    assert_eq!(edge.status, Status::ExfiltrationClosed);
    assert!(
        scene.selected_path.is_some(),
        "and its blocked trace is drawn"
    );

    let form = vnetlab::view::trace_form::TraceForm {
        from: "ci-notebook".into(),
        to: "pypi.org".into(),
        protocol: "tcp".into(),
        port: "443".into(),
    };
    let state = apply(apply(state, Action::SetTraceForm(form)), Action::TraceFlow);
    let traced = state
        .traced
        .first()
        .expect("the flow is traced")
        .question
        .id
        .clone();
    assert_eq!(state.selected.as_deref(), Some(traced.as_str()));
    let scene = drawn_scene(&state);
    assert!(
        scene.edges.iter().any(|e| e.flow_ids.contains(&traced)),
        "the traced flow has an edge"
    );
    assert!(scene.selected_path.is_some(), "and is drawn along its hops");
}

/// Load balancers are drawn as nodes: an internal one in its frontend's subnet, a public one in
/// its backends' subnet, each with a card listing its frontends, pools, rules and probes.
#[test]
fn load_balancers_are_drawn_in_their_subnets_with_a_card() {
    let design: Design = serde_json::from_value(serde_json::json!({
        "schema_version": 1, "name": "lb",
        "virtual_networks": [{"name": "hub", "region": "eastus", "address_space": ["10.1.0.0/16"], "subnets": [
            {"name": "nva", "prefix": "10.1.1.0/24"}, {"name": "work", "prefix": "10.1.2.0/24"}]}],
        "computes": [
            {"name": "nva", "kind": "network_virtual_appliance", "nic": {"subnet": "hub/nva", "private_ip": "10.1.1.4", "ip_forwarding": true}},
            {"name": "worker", "kind": "virtual_machine", "nic": {"subnet": "hub/work", "private_ip": "10.1.2.4"}}],
        "load_balancers": [
            {"name": "ilb", "frontends": [{"name": "fe", "subnet": "hub/nva", "private_ip": "10.1.1.10"}],
             "backend_pools": [{"name": "nvas", "members": ["nva"]}],
             "probes": [{"name": "ssh", "protocol": "Tcp", "port": 22}],
             "rules": [{"name": "ha", "frontend": "fe", "backend_pool": "nvas", "protocol": "All", "frontend_port": 0, "backend_port": 0, "probe": "ssh"}]},
            {"name": "plb", "frontends": [{"name": "pip", "public_ip": "52.0.0.1"}],
             "backend_pools": [{"name": "vms", "members": ["worker"]}],
             "outbound_rules": [{"name": "out", "frontends": ["pip"], "backend_pool": "vms", "protocol": "All"}]}]
    }))
    .expect("design");
    let (evaluation, scene) = scene_of(&design, DEFAULT_WIDTH);
    for (lb, subnet, detail) in [
        (
            "ilb",
            "hub/nva",
            "internal load balancer · 10.1.1.10 · HA ports",
        ),
        (
            "plb",
            "hub/work",
            "public load balancer · 52.0.0.1 · outbound rules",
        ),
    ] {
        let node = scene.node(lb).unwrap_or_else(|| panic!("{lb} drawn"));
        assert_eq!(node.kind, NodeKind::LoadBalancer);
        assert_eq!(node.kind.class(), "node-lb");
        assert_eq!(node.detail, detail);
        let container = scene.node(subnet).expect("subnet drawn");
        assert!(contains(container, node), "{lb} inside {subnet}");
    }
    let card = vnetlab::view::diagram::details::node_details(
        &scene,
        &evaluation.analysed,
        &evaluation,
        "ilb",
    )
    .expect("a card");
    assert_eq!(card.kind, "load balancer");
    let fact = |label: &str| {
        card.facts
            .iter()
            .find(|f| f.label == label)
            .map(|f| f.value.clone())
    };
    assert_eq!(fact("Rules").as_deref(), Some("ha: HA ports → nvas"));
    assert_eq!(fact("Backend pools").as_deref(), Some("nvas (nva)"));
    assert_eq!(fact("Health probes").as_deref(), Some("ssh Tcp 22"));
}

#[test]
fn verifying_fixes_does_not_change_the_drawing_but_a_change_does() {
    for (id, design) in all_presets() {
        let unverified = Evaluation::unverified(&design);
        let verified = unverified.clone().with_fixes();
        assert!(verified.draws_like(&unverified), "{id}");
        let options = LayoutOptions::opening(&design, DEFAULT_WIDTH);
        assert_eq!(
            layout(&unverified.analysed, &unverified, None, &options),
            layout(&verified.analysed, &verified, None, &options),
            "{id}: the drawing really is the same"
        );
    }
    let state = AppState::new(preset(DLP), DLP, false);
    let off = apply(state.clone(), Action::Flip("sep-attached".into()));
    assert!(!off.evaluation.draws_like(&state.evaluation));
    let reanalysed = Evaluation::unverified(&state.design);
    assert!(
        !reanalysed.draws_like(&state.evaluation),
        "another analysis of the same design is another analysed design (compared by identity)"
    );
}

#[test]
fn toggling_a_container_collapses_or_expands_it_from_the_opening_state() {
    let large = AppState::new(spokes(20), "spokes", false);
    let expanded = apply(large, Action::ToggleCollapsed("vnet:spoke03".into()));
    let collapsed = expanded.diagram_collapsed.clone().unwrap();
    assert_eq!(collapsed.len(), 19, "a large design opens collapsed");
    assert!(!collapsed.contains("vnet:spoke03"));
    let again = apply(expanded, Action::ToggleCollapsed("vnet:spoke03".into()));
    assert_eq!(again.diagram_collapsed.unwrap().len(), 20);

    let small = AppState::new(preset(DLP), DLP, false);
    let key = format!("vnet:{}", small.design.virtual_networks[0].name);
    let folded = apply(small, Action::ToggleCollapsed(key.clone()));
    assert_eq!(folded.diagram_collapsed, Some(BTreeSet::from([key])));
}

#[test]
fn a_large_designs_many_paas_resources_open_as_one_collapsed_group_still_drawing_every_flow() {
    let design: Design =
        serde_json::from_value(crate::hub_spoke::hub_spoke(4)).expect("generated design");
    let yours = design
        .resources
        .iter()
        .filter(|r| r.owner == Owner::Yours)
        .count();
    assert!(yours > LARGE_PAAS_GROUP, "{yours} resources of yours");
    assert!(default_collapsed(&design).contains("group:paas"));
    let (evaluation, scene) = scene_of(&design, 800);
    let group = scene
        .nodes
        .iter()
        .find(|n| n.key == "group:paas")
        .expect("the PaaS group is drawn");
    assert!(group.collapsed, "drawn as one collapsed node");
    assert!(
        scene.nodes.iter().all(|n| n.kind != NodeKind::Resource
            || !design
                .resources
                .iter()
                .any(|r| r.name == n.key && r.owner == Owner::Yours)),
        "none of your resources is drawn on its own"
    );
    let drawn: usize = scene.edges.iter().map(|e| e.flow_ids.len()).sum();
    assert_eq!(
        drawn,
        evaluation.results.len(),
        "every flow still has an edge"
    );
    assert!(
        !default_collapsed(&spokes(50)).contains("group:paas"),
        "a large design with few resources keeps the group open"
    );
}
