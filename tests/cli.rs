//! The `vnetlab` binary's command-line contract.

use std::process::Command;

#[test]
fn help_names_the_tool_and_exits_zero() {
    let output = Command::new(env!("CARGO_BIN_EXE_vnetlab"))
        .arg("--help")
        .output()
        .expect("vnetlab runs");
    assert!(output.status.success());
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(stdout.contains("Usage: vnetlab"), "{stdout}");
}

fn vnetlab(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_vnetlab"))
        .args(args)
        .output()
        .expect("vnetlab runs")
}

const WORKSHOP: &str = "tests/fixtures/workshop.json";

#[test]
fn trace_json_follows_the_contract() {
    let output = vnetlab(&[
        "trace",
        WORKSHOP,
        "--from",
        "ci",
        "--to",
        "roguestorage",
        "--port",
        "443",
        "--json",
    ]);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let trace: serde_json::Value = serde_json::from_slice(&output.stdout).expect("one JSON object");
    assert_eq!(trace["verdict"], "blocked");
    assert_eq!(trace["decided_by"]["rule"], "not in policy");
    assert_eq!(trace["decided_by"]["element"], "vnet/training");
    // Only 443 passes the NSG rule AllowStorage that lets the flow reach the policy.
    assert_eq!(trace["alike_ports"], "443");
    let hops = trace["hops"].as_array().expect("hops");
    let nsg = hops
        .iter()
        .find(|h| h["step"] == "nsg-outbound" && h["rule"] == "AllowStorage")
        .expect("the NSG allow hop");
    assert_eq!(nsg["priority"], 130);
    assert_eq!(nsg["outcome"], "allow");
    for hop in hops {
        for key in ["step", "element", "outcome", "rule", "priority", "reason"] {
            assert!(hop.get(key).is_some(), "hop lacks {key}: {hop}");
        }
    }
}

#[test]
fn trace_accepts_addresses_fqdns_and_options() {
    let output = vnetlab(&[
        "trace", WORKSHOP, "--from", "10.0.1.4", "--to", "pypi.org", "--port", "443", "--json",
    ]);
    let trace: serde_json::Value = serde_json::from_slice(&output.stdout).expect("JSON");
    assert_eq!(trace["decided_by"]["rule"], "DenyInternet");
    // Turning the service endpoint's precedence off does not change a verdict decided by the policy.
    let output = vnetlab(&[
        "trace",
        WORKSHOP,
        "--from",
        "ci",
        "--to",
        "wsstorage",
        "--port",
        "443",
        "--option",
        "storage_endpoint_scope=same_region_and_paired",
        "--json",
    ]);
    let trace: serde_json::Value = serde_json::from_slice(&output.stdout).expect("JSON");
    assert_eq!(trace["verdict"], "allowed");
}

#[test]
fn bad_input_exits_non_zero_naming_the_problem() {
    let unknown = vnetlab(&["trace", WORKSHOP, "--from", "nope", "--to", "ci"]);
    assert_eq!(unknown.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&unknown.stderr).contains("`nope` is not an element"));
    let missing = vnetlab(&["trace", "no-such-file.json", "--from", "ci", "--to", "kv"]);
    assert_eq!(missing.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&missing.stderr).contains("no-such-file.json"));
    let option = vnetlab(&[
        "trace",
        WORKSHOP,
        "--from",
        "ci",
        "--to",
        "kv",
        "--option",
        "no_such_option=1",
    ]);
    assert_eq!(option.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&option.stderr).contains("unknown option `no_such_option`"));
}

#[test]
fn validate_reports_diagnostics_and_fails_on_errors() {
    let clean = vnetlab(&["validate", WORKSHOP]);
    assert!(
        clean.status.success(),
        "{}",
        String::from_utf8_lossy(&clean.stdout)
    );
    let dir = std::env::temp_dir().join(format!("vnetlab-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let broken = dir.join("broken.json");
    let text = std::fs::read_to_string(WORKSHOP)
        .expect("fixture")
        .replace("\"nsg\": \"nsg-training\"", "\"nsg\": \"nsg-missing\"");
    std::fs::write(&broken, text).expect("write");
    let output = vnetlab(&["validate", broken.to_str().expect("utf-8 path"), "--json"]);
    // Errors mean the design cannot be checked: 2, as for every subcommand.
    assert_eq!(output.status.code(), Some(2));
    let diagnostics: serde_json::Value = serde_json::from_slice(&output.stdout).expect("JSON");
    assert!(
        diagnostics
            .as_array()
            .expect("list")
            .iter()
            .any(|d| d["path"]
                .as_str()
                .is_some_and(|p| p.ends_with("broken.json: $.virtual_networks[0].subnets[0].nsg"))
                && d["severity"] == "error"),
        "{diagnostics}"
    );
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn resolved_azure_json_is_accepted() {
    let output = vnetlab(&[
        "validate",
        "../shared/fixtures/rest/network-2021-05-01/VirtualNetworkCreateServiceEndpoints.json",
    ]);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stdout)
    );
}

const ROUND_TRIP_TERRAFORM: &str = "tests/fixtures/round-trip/terraform";

/// `vnetlab import DIR|FILE.tf [-var …] [-var-file …] -o design.json` (Terraform's single-dash
/// flags), and every subcommand reads a folder.
#[test]
fn terraform_folders_and_files_are_imported_with_terraforms_flags() {
    let out = std::env::temp_dir().join(format!("vnetlab-tf-{}.json", std::process::id()));
    let vars = std::env::temp_dir().join(format!("vnetlab-tf-{}.tfvars", std::process::id()));
    std::fs::write(&vars, "prefix = \"fromfile\"\n").expect("tfvars");
    let output = vnetlab(&[
        "import",
        &format!("{ROUND_TRIP_TERRAFORM}/main.tf"),
        "-var-file",
        vars.to_str().expect("path"),
        "-var",
        "prefix=cli",
        "-o",
        out.to_str().expect("path"),
    ]);
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(stdout.contains(": Terraform"), "{stdout}");
    assert!(
        stdout.contains("virtual_networks                     2"),
        "{stdout}"
    );
    let design = std::fs::read_to_string(&out).expect("design written");
    assert!(design.contains("vnet-cli-hub"), "-var wins over -var-file");
    std::fs::remove_file(&out).ok();
    std::fs::remove_file(&vars).ok();

    for subcommand in ["validate", "flows", "exfil"] {
        let output = vnetlab(&[subcommand, ROUND_TRIP_TERRAFORM]);
        assert!(
            output.status.code().is_some_and(|code| code < 2),
            "{subcommand}: {}",
            String::from_utf8_lossy(&output.stderr)
        );
    }

    let unknown = vnetlab(&["import", ROUND_TRIP_TERRAFORM, "-var", "nope=1"]);
    assert_eq!(unknown.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&unknown.stderr).contains("nope"));
    let misplaced = vnetlab(&["import", WORKSHOP, "-var", "prefix=x"]);
    assert_eq!(misplaced.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&misplaced.stderr).contains("-var"));
}
