//! The CLI's stable JSON shapes and exit codes for the analysis subcommands.

use std::process::Command;

use serde_json::Value;

fn vnetlab(args: &[&str]) -> (i32, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_vnetlab"))
        .args(args)
        .output()
        .expect("vnetlab runs");
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8(output.stdout).expect("utf-8"),
    )
}

fn example(name: &str) -> String {
    format!("{}/static/examples/{name}.json", env!("CARGO_MANIFEST_DIR"))
}

fn keys(value: &Value) -> Vec<&str> {
    let mut keys: Vec<&str> = value
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    keys.sort();
    keys
}

const HOP_KEYS: [&str; 6] = ["element", "outcome", "priority", "reason", "rule", "step"];

#[test]
fn flows_json_lists_every_required_flow() {
    let (code, out) = vnetlab(&["flows", &example("dlp-sep-nsg"), "--json"]);
    assert_eq!(code, 0);
    let flows: Vec<Value> = serde_json::from_str(&out).unwrap();
    assert!(flows.len() > 20);
    for key in [
        "id",
        "source",
        "destination",
        "proto",
        "port",
        "required_when",
        "writable_by_attacker",
        "verdict",
        "hops",
    ] {
        assert!(flows[0].get(key).is_some(), "missing {key}");
    }
    assert_eq!(keys(&flows[0]["hops"][0]), HOP_KEYS);
    let automl = flows
        .iter()
        .find(|f| f["id"] == "outbound-automl-frontdoor")
        .unwrap();
    assert_eq!(automl["verdict"], "blocked");
    assert_eq!(automl["writable_by_attacker"], true);
}

#[test]
fn exfil_json_and_the_ci_gate() {
    let (code, out) = vnetlab(&[
        "exfil",
        &example("firewall-forced-tunnel"),
        "--json",
        "--fail-on-exfil",
    ]);
    assert_eq!(code, 1, "paths exist");
    let findings: Vec<Value> = serde_json::from_str(&out).unwrap();
    assert_eq!(findings.len(), 4);
    for finding in &findings {
        for key in [
            "source",
            "sink",
            "sink_kind",
            "proto",
            "port",
            "hops",
            "fixes",
        ] {
            assert!(finding.get(key).is_some(), "missing {key}");
        }
        assert_eq!(finding["proto"], "tcp");
        assert_eq!(finding["port"], 443);
        assert_eq!(keys(&finding["hops"][0]), HOP_KEYS);
        let fix = &finding["fixes"][0];
        assert!(fix["change"].is_string() && fix["breaks"].is_array());
    }
    let (code, out) = vnetlab(&[
        "exfil",
        &example("dlp-sep-nsg"),
        "--json",
        "--fail-on-exfil",
    ]);
    assert_eq!(code, 0);
    assert_eq!(serde_json::from_str::<Vec<Value>>(&out).unwrap().len(), 0);
}

#[test]
fn scenarios_list_and_write() {
    let (code, out) = vnetlab(&["scenarios"]);
    assert_eq!(code, 0);
    assert_eq!(out.lines().count(), 8);
    assert!(out.contains("il5-us-gov"));
    let path = std::env::temp_dir().join(format!("vnetlab-scenario-{}.json", std::process::id()));
    let path_text = path.to_string_lossy().to_string();
    let (code, _) = vnetlab(&["scenario", "il5-us-gov", "-o", &path_text]);
    assert_eq!(code, 0);
    let written = std::fs::read_to_string(&path).unwrap();
    std::fs::remove_file(&path).ok();
    assert_eq!(
        written,
        std::fs::read_to_string(example("il5-us-gov")).unwrap()
    );
    let (code, _) = vnetlab(&["scenario", "no-such-scenario"]);
    assert_eq!(code, 2);
}

#[test]
fn check_and_diff_json() {
    let (code, out) = vnetlab(&["check", &example("il5-us-gov"), "--json"]);
    assert_eq!(code, 0);
    let checks: Vec<Value> = serde_json::from_str(&out).unwrap();
    assert_eq!(
        keys(&checks[0]),
        ["definition_id", "passed", "policy", "resource", "why"]
    );
    let (code, _) = vnetlab(&["check", &example("vnet-default-nsg")]);
    assert_eq!(code, 1, "the default design fails CMK and key vault checks");
    let (code, out) = vnetlab(&[
        "diff",
        &example("dlp-sep-nsg"),
        &example("dlp-sep-firewall"),
        "--json",
    ]);
    assert_eq!(code, 0);
    let diff: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(
        keys(&diff),
        [
            "broken",
            "changed",
            "closed",
            "opened",
            "repaired",
            "undetermined"
        ]
    );
    assert!(diff["repaired"]
        .as_array()
        .unwrap()
        .iter()
        .any(|k| k == "outbound-automl-frontdoor@ci-notebook:443"));
}
