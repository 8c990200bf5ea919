//! The README's CI example, run: `examples/ci/network-gate.sh` on a sample repository layout
//! (a design, its intents, and a pull request that detaches the subnet's service endpoint
//! policy), with `vnetlab` on the PATH as the pipelines have it.

use std::path::Path;
use std::process::Command;

use serde_json::json;

use super::support::*;

/// Runs the gate script in `dir` (where it writes its reports); returns the exit code.
fn run_gate(dir: &Path, before: &str, after: &str, intents: &str) -> (i32, String) {
    let binary = Path::new(env!("CARGO_BIN_EXE_vnetlab"));
    let path = format!(
        "{}:{}",
        binary.parent().expect("bin dir").display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/ci/network-gate.sh");
    let output = Command::new("bash")
        .arg(script)
        .args([before, after, intents])
        .current_dir(dir)
        .env("PATH", path)
        .output()
        .expect("bash runs");
    (code(&output), stderr(&output))
}

#[test]
fn the_gate_script_fails_a_breaking_change_and_writes_every_report() {
    let scratch = Scratch::new("ci-example");
    let before = scratch.design_with(&example("dlp-sep-firewall"), "design.before.json", |_| {});
    let after = scratch.design_with(&example("dlp-sep-firewall"), "design.json", |design| {
        design["virtual_networks"][0]["subnets"][0]["service_endpoint_policies"] = json!([]);
    });
    let intents = scratch.file(
        "vnetlab.toml",
        r#"[[intents]]
name = "no compute reaches an attacker sink"
must_not_reach = { from = { kind = "compute" }, to = { owner = "attacker" } }

[[intents]]
name = "no open exfiltration path"
max_open_exfil = 0
"#,
    );
    let dir = scratch.path("");

    let (code, err) = run_gate(&dir, &before, &before, &intents);
    assert_eq!(code, 0, "an unchanged design passes: {err}");

    let (code, err) = run_gate(&dir, &before, &after, &intents);
    assert_eq!(code, 1, "the change opens paths: {err}");
    let sarif = read_json(dir.join("vnetlab.sarif"));
    assert_sarif_schema(&sarif);
    let results = sarif["runs"][0]["results"].as_array().expect("results");
    assert_eq!(results.len(), 2, "both intents fail: {sarif}");
    assert!(results.iter().all(|r| r["ruleId"] == "intent"));
    let markdown = std::fs::read_to_string(dir.join("vnetlab-diff.md")).expect("diff");
    assert!(
        markdown.contains("✗ failed") && markdown.contains("opened-path"),
        "{markdown}"
    );
    let junit = std::fs::read_to_string(dir.join("vnetlab-exfil.xml")).expect("junit");
    assert!(junit.contains("failures=\"6\""), "{junit}");
}

#[test]
fn the_readme_shows_the_ci_files_as_they_are() {
    let readme = std::fs::read_to_string("README.md").expect("README");
    for file in [
        "examples/ci/network-gate.sh",
        "examples/ci/github-actions.yml",
        "examples/ci/azure-pipelines.yml",
    ] {
        let text = std::fs::read_to_string(file).expect("example");
        assert!(
            readme.contains(&text),
            "README does not show {file} as it is"
        );
    }
    let github = std::fs::read_to_string("examples/ci/github-actions.yml").expect("yml");
    let azure = std::fs::read_to_string("examples/ci/azure-pipelines.yml").expect("yml");
    for pipeline in [&github, &azure] {
        assert!(pipeline.contains(
            "bash ci/network-gate.sh design.before.json network/design.json network/vnetlab.toml"
        ));
    }
    assert!(github.contains("sarif_file: vnetlab.sarif"));
    assert!(azure.contains("testResultsFiles: vnetlab-exfil.xml"));
}
