//! Share links, the Markdown report and the SVG export.

use vnetlab::view::evaluation::Evaluation;
use vnetlab::view::report::markdown;
use vnetlab::view::share::{decode_fragment, encode_fragment};
use vnetlab::view::state::{apply, Action, AppState};
use vnetlab::view::svg::export;

use crate::{all_presets, preset, DLP};

#[test]
fn every_preset_round_trips_through_a_share_link() {
    for (id, design) in all_presets() {
        let fragment = encode_fragment(&design);
        assert!(
            fragment.len() < 16_000,
            "{id}: {} characters",
            fragment.len()
        );
        assert_eq!(
            decode_fragment(&format!("#{fragment}")).unwrap(),
            design,
            "{id}"
        );
    }
}

#[test]
fn the_report_lists_flows_and_paths_and_escapes_names() {
    let mut design = preset("workshop");
    design.name = "<script>alert(1)</script> | x".into();
    let report = markdown(&design, &Evaluation::of(&design));
    assert!(report.contains("\\<script\\>alert(1)\\</script\\> \\| x"));
    assert!(!report.contains("<script>"));
    assert!(report.contains("## Required flows"));
    let dlp = preset(DLP);
    let mut open = dlp.clone();
    open.virtual_networks
        .iter_mut()
        .flat_map(|v| &mut v.subnets)
        .for_each(|s| s.service_endpoint_policies.clear());
    let report = markdown(&open, &Evaluation::of(&open));
    assert!(report.contains("## Exfiltration paths"), "{report}");
    assert!(report.contains("✗ open"));
}

#[test]
fn the_report_has_the_toggles_fixes_and_compliance_checks_with_placeholders_written_alike() {
    let design = preset(DLP);
    let without_sep = vnetlab::view::toggles::find("sep-attached")
        .unwrap()
        .flip(&design)
        .unwrap();
    let evaluation = Evaluation::of(&without_sep);
    let report = markdown(&without_sep, &evaluation);
    assert!(report.contains("## Toggles"), "{report}");
    assert!(
        report.contains("| Service endpoint policy attached | off |"),
        "{report}"
    );
    assert!(report.contains("## Fixes"), "{report}");
    let fix = &evaluation
        .of_kind(vnetlab::view::flows::FlowKind::Exfiltration)
        .next()
        .unwrap()
        .fixes[0];
    assert!(report.contains(&format!(
        "- {}",
        fix.description.replace('<', "\\<").replace('>', "\\>")
    )));
    assert!(report.contains("## Compliance checks"), "{report}");
    assert!(report.contains("Data on "), "paths are sentences");
    // The description names Storage.<region>: written alike everywhere, never raw HTML.
    assert!(report.contains("Storage.\\<region\\>"), "{report}");
    assert!(!report.contains("<region>") && !report.contains("&lt;region"));
}

#[test]
fn the_svg_export_is_a_standalone_escaped_document() {
    let mut design = preset("workshop");
    design.computes[0].name = "<script>x</script>".into();
    let svg = export(&AppState::new(design, "", false));
    assert!(svg.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\""));
    assert!(svg.contains("<style>"));
    assert!(
        svg.contains("open exfiltration path"),
        "the legend is part of the file"
    );
    assert!(svg.contains("&lt;script&gt;x&lt;/script&gt;"));
    assert!(!svg.contains("<script>"));
}

#[test]
fn the_svg_export_draws_what_the_screen_shows_collapsed_or_not() {
    let state = AppState::new(preset("il5-us-gov"), "il5-us-gov", false);
    let vnets: std::collections::BTreeSet<String> = state
        .design
        .virtual_networks
        .iter()
        .map(|v| format!("vnet:{}", v.name))
        .collect();
    let subnet = &state.design.virtual_networks[0].subnets[0].name;
    let expanded = export(&state);
    assert!(
        expanded.contains(subnet.as_str()),
        "expanded: the subnets are drawn"
    );
    let collapsed = export(&apply(state, Action::SetDiagramCollapsed(Some(vnets))));
    let boxes = |svg: &str| svg.matches("<g><title>").count();
    assert!(
        boxes(&collapsed) < boxes(&expanded),
        "collapsed on screen: collapsed in the file ({} vs {} boxes)",
        boxes(&collapsed),
        boxes(&expanded)
    );
}
