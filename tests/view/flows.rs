//! The flows panel's ids: every flow of every preset (and of every toggle flipped on it) has
//! its own id, so selecting a row opens that row's trace.

use std::collections::BTreeMap;

use vnetlab::view::evaluation::Evaluation;
use vnetlab::view::toggles;

use crate::all_presets;

fn duplicate_ids(evaluation: &Evaluation) -> Vec<String> {
    let mut seen: BTreeMap<&str, usize> = BTreeMap::new();
    for result in &evaluation.results {
        *seen.entry(result.question.id.as_str()).or_default() += 1;
    }
    seen.into_iter()
        .filter(|(_, count)| *count > 1)
        .map(|(id, count)| format!("{id} ×{count}"))
        .collect()
}

#[test]
fn every_flow_of_every_preset_has_its_own_id() {
    let mut checked = 0;
    for (id, design) in all_presets() {
        let mut designs = vec![(String::new(), design.clone())];
        designs.extend(toggles::all().iter().filter_map(|toggle| {
            toggle
                .flip(&design)
                .map(|flipped| (format!(" with {} flipped", toggle.id), flipped))
        }));
        for (how, design) in designs {
            let evaluation = Evaluation::unverified(&design);
            assert!(!evaluation.results.is_empty(), "{id}{how} has flows");
            assert_eq!(
                duplicate_ids(&evaluation),
                Vec::<String>::new(),
                "{id}{how}"
            );
            checked += 1;
        }
    }
    assert!(checked > 9, "presets and their flips were checked");
}

#[test]
fn the_two_inbound_44224_flows_of_the_dlp_preset_are_told_apart() {
    let evaluation = Evaluation::unverified(&crate::preset(crate::DLP));
    let inbound: Vec<&str> = evaluation
        .results
        .iter()
        .filter(|r| r.question.id.starts_with("inbound-aml-44224@"))
        .map(|r| r.question.id.as_str())
        .collect();
    assert_eq!(
        inbound,
        [
            "inbound-aml-44224@synthetic-azuremachinelearning->ci-notebook:44224",
            "inbound-aml-44224@synthetic-azuremachinelearning->cpu-cluster:44224"
        ]
    );
}

#[test]
fn an_open_exfiltration_path_reads_as_a_danger_in_one_plain_sentence() {
    let design = crate::preset(crate::DLP);
    let without_sep = toggles::find("sep-attached")
        .unwrap()
        .flip(&design)
        .unwrap();
    let evaluation = Evaluation::unverified(&without_sep);
    let open: Vec<_> = evaluation
        .of_kind(vnetlab::view::flows::FlowKind::Exfiltration)
        .collect();
    assert!(!open.is_empty(), "the SEP off opens paths");
    for path in open {
        let purpose = &path.question.purpose;
        assert!(
            purpose.starts_with("Data on ") && purpose.ends_with('.'),
            "{purpose}"
        );
        assert!(!purpose.contains("attacker-storage"), "no slug: {purpose}");
        let (icon, class, words) = path.verdict_line();
        assert_eq!((icon, class), ("✗", "exfil"), "never styled as success");
        assert!(
            words.starts_with("open — data can leave to an attacker's storage account in"),
            "{words}"
        );
        assert_eq!(path.row_verdict(), "✗ open");
    }
}

#[test]
fn flow_labels_name_synthetic_endpoints_for_what_they_stand_for() {
    let design = crate::preset(crate::DLP);
    let without_sep = toggles::find("sep-attached")
        .unwrap()
        .flip(&design)
        .unwrap();
    let evaluation = Evaluation::unverified(&without_sep);
    for result in &evaluation.results {
        assert!(
            !result.question.label.contains("synthetic-"),
            "{}",
            result.question.label
        );
    }
    let labels: Vec<&str> = evaluation
        .results
        .iter()
        .map(|r| r.question.label.as_str())
        .collect();
    assert!(
        labels
            .iter()
            .any(|l| l.starts_with("Azure Machine Learning → ci-notebook")),
        "{labels:?}"
    );
    assert!(
        labels
            .iter()
            .any(|l| l.contains("→ Attacker storage, your region")),
        "{labels:?}"
    );
}
