//! `vnetlab check-intents`: a table of intents, each checked on a design where it holds and on
//! one where it fails, with the counter-example asserted; and the intents-file errors, each
//! named by JSON path.

use serde_json::{json, Value};

use super::support::*;

/// The forced-tunnel scenario: computes in `aml-vnet/training`, all egress through `aml-fw`,
/// whose Storage and Front Door tag rules leave four exfiltration paths open.
fn forced_tunnel() -> String {
    example("firewall-forced-tunnel")
}

/// Runs `check-intents` with one intent; returns the exit code and its JSON result.
fn check_one(scratch: &Scratch, design: &str, intent: Value) -> (i32, Value) {
    let intents = scratch.file("intents.json", &json!({"intents": [intent]}).to_string());
    let output = vnetlab(&["check-intents", design, &intents, "--json"]);
    let results: Value = serde_json::from_slice(&output.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}", stderr(&output)));
    (code(&output), results[0].clone())
}

struct Case {
    intent: Value,
    holds_on: String,
    fails_on: String,
    /// The counter-example's source, destination, verdict and a hop rule it must show
    /// (or that must be missing from it, for `only_through`).
    from: &'static str,
    to: &'static str,
    verdict: &'static str,
}

#[test]
fn each_intent_holds_on_one_design_and_fails_on_another_with_its_counter_example() {
    let scratch = Scratch::new("intents");
    let storage_denied = scratch.design_with(&forced_tunnel(), "storage-denied.json", |design| {
        design["network_security_groups"][0]["rules"]
            .as_array_mut()
            .expect("rules")
            .push(json!({
                "name": "DenyVnetHttps", "priority": 100, "direction": "Outbound",
                "access": "Deny", "protocol": "Tcp", "source": ["*"],
                "destination": ["VirtualNetwork"], "destination_ports": ["443"]
            }));
    });
    let no_forced_tunnel = scratch.design_with(&forced_tunnel(), "direct-egress.json", |design| {
        design["route_tables"][0]["routes"]
            .as_array_mut()
            .expect("routes")
            .retain(|route| route["name"] != "default-to-firewall");
    });
    let cases = [
        Case {
            intent: json!({"name": "computes reach the workspace storage",
                "must_reach": {"from": {"kind": "compute"}, "to": {"kind": "workspace_storage_account"}, "ports": "443"}}),
            holds_on: forced_tunnel(),
            fails_on: storage_denied,
            from: "ci-notebook",
            to: "amlstorage",
            verdict: "blocked",
        },
        Case {
            intent: json!({"name": "no compute reaches an attacker",
                "must_not_reach": {"from": {"kind": "compute"}, "to": {"owner": "attacker"}}}),
            holds_on: example("dlp-sep-firewall"),
            fails_on: forced_tunnel(),
            from: "ci-notebook",
            to: "synthetic-attacker-frontdoor",
            verdict: "allowed",
        },
        Case {
            intent: json!({"name": "internet egress passes the firewall",
                "only_through": {"from": {"subnet": "aml-vnet/training"},
                    "to": {"kind": "internet_host"}, "through": "aml-fw"}}),
            holds_on: forced_tunnel(),
            fails_on: no_forced_tunnel,
            from: "ci-notebook",
            to: "synthetic-attacker-internet-host",
            verdict: "allowed",
        },
        Case {
            intent: json!({"name": "no open path", "max_open_exfil": 0}),
            holds_on: example("dlp-sep-firewall"),
            fails_on: forced_tunnel(),
            from: "ci-notebook",
            to: "synthetic-attacker-frontdoor",
            verdict: "allowed",
        },
    ];
    for case in cases {
        let name = case.intent["name"].clone();
        let (code, holds) = check_one(&scratch, &case.holds_on, case.intent.clone());
        assert_eq!(
            (code, &holds["status"]),
            (0, &json!("holds")),
            "{name}: {holds}"
        );
        assert!(holds["counter_example"].is_null());
        if holds["kind"] != "max_open_exfil" {
            assert!(holds["checked"].as_u64().expect("flows traced") > 0);
        }
        let (code, fails) = check_one(&scratch, &case.fails_on, case.intent.clone());
        assert_eq!(
            (code, &fails["status"]),
            (1, &json!("fails")),
            "{name}: {fails}"
        );
        let example = &fails["counter_example"];
        assert_eq!(example["from"], case.from, "{name}: {example}");
        assert_eq!(example["to"], case.to, "{name}: {example}");
        assert_eq!(example["verdict"], case.verdict, "{name}: {example}");
        let hops = example["hops"].as_array().expect("hops");
        assert!(
            !hops.is_empty(),
            "{name}: the counter-example has its trace"
        );
        let passes_firewall = hops.iter().any(|hop| hop["element"] == "aml-fw");
        if name == "internet egress passes the firewall" {
            assert!(
                !passes_firewall,
                "{name}: the counter-example bypasses aml-fw"
            );
        }
        if name == "computes reach the workspace storage" {
            assert!(
                hops.iter().any(|hop| hop["rule"] == "DenyVnetHttps"),
                "{example}"
            );
        }
    }
}

#[test]
fn undetermined_intents_never_pass() {
    let scratch = Scratch::new("intents-undetermined");
    let design = undetermined_design(&scratch);
    let intent = json!({"name": "no internet", "must_not_reach": {
        "from": "ci", "to": {"kind": "internet_host"}, "ports": "443"}});
    let (exit, result) = check_one(&scratch, &design, intent);
    assert_eq!(
        (exit, &result["status"]),
        (2, &json!("undetermined")),
        "{result}"
    );
    assert_eq!(result["counter_example"]["verdict"], "unsupported");
    let intents = scratch.file(
        "allowed.json",
        &json!({"intents": [{"name": "x", "must_not_reach": {"from": "ci", "to": {"kind": "internet_host"}, "ports": "443"}}]}).to_string(),
    );
    let output = vnetlab(&["check-intents", &design, &intents, "--allow-undetermined"]);
    assert_eq!(code(&output), 0, "{}", stdout(&output));
}

#[test]
fn intents_file_errors_name_their_json_path() {
    let scratch = Scratch::new("intents-errors");
    let cases: [(Value, &str); 7] = [
        (
            json!({"intents": [{"name": "a", "must_reach": {"from": "nobody", "to": "amlstorage"}}]}),
            "$.intents[0].must_reach.from: `nobody` is not an element",
        ),
        (
            json!({"intents": [{"name": "a", "must_reach": {"from": {"kind": "compute", "owner": "attacker"}, "to": "amlstorage"}}]}),
            "$.intents[0].must_reach.from: the selector matches no element",
        ),
        (
            json!({"intents": [{"name": "a", "must_reach": {"from": {"kind": "robot"}, "to": "amlstorage"}}]}),
            "$.intents[0].must_reach.from.kind: unknown kind `robot`",
        ),
        (
            json!({"intents": [{"name": "a", "must_reach": {"from": "ci-notebook", "to": "amlstorage", "ports": "4430000"}}]}),
            "$.intents[0].must_reach.ports",
        ),
        (
            json!({"intents": [{"name": "a", "max_open_exfil": 0, "must_reach": {"from": "ci-notebook", "to": "amlstorage"}}]}),
            "$.intents[0]: an intent has exactly one of",
        ),
        (
            json!({"intents": [{"name": "a", "must_reach": {"from": "ci-notebook", "to": "amlstorage", "port": "443"}}]}),
            "$.intents[0].must_reach",
        ),
        (
            json!({"intents": [{"name": "a", "only_through": {"from": "ci-notebook", "to": "amlstorage"}}]}),
            "$.intents[0].only_through: `through` belongs to only_through, which needs it",
        ),
    ];
    for (intents, says) in cases {
        let file = scratch.file("bad.json", &intents.to_string());
        let output = vnetlab(&["check-intents", &forced_tunnel(), &file]);
        assert_eq!(code(&output), 2, "{intents}");
        assert!(
            stderr(&output).contains(says),
            "{intents}: {}",
            stderr(&output)
        );
        // In SARIF the error is the one result, so CI still has a log to show.
        let output = vnetlab(&[
            "check-intents",
            &forced_tunnel(),
            &file,
            "--format",
            "sarif",
        ]);
        assert_eq!(code(&output), 2, "{intents}");
        let log: Value = serde_json::from_slice(&output.stdout).expect("SARIF");
        let results = log["runs"][0]["results"].as_array().expect("results");
        assert_eq!(results.len(), 1);
        assert!(results[0]["message"]["text"]
            .as_str()
            .expect("text")
            .contains(says));
    }
}

#[test]
fn junit_has_one_test_case_per_intent() {
    let scratch = Scratch::new("intents-junit");
    let intents = scratch.file(
        "intents.json",
        &json!({"intents": [
            {"name": "storage", "must_reach": {"from": {"kind": "compute"}, "to": "amlstorage", "ports": "443"}},
            {"name": "no exfiltration", "max_open_exfil": 0}
        ]})
        .to_string(),
    );
    let output = vnetlab(&[
        "check-intents",
        &forced_tunnel(),
        &intents,
        "--format",
        "junit",
    ]);
    assert_eq!(code(&output), 1);
    let xml = stdout(&output);
    assert_eq!(xml.matches("<testcase ").count(), 2, "{xml}");
    assert_eq!(xml.matches("<failure ").count(), 1, "{xml}");
    assert!(xml.contains("name=\"no exfiltration\""));
}

#[test]
fn a_vnetlab_toml_reads_like_its_json() {
    let scratch = Scratch::new("intents-toml");
    let toml = scratch.file(
        "vnetlab.toml",
        r#"[[intents]]
name = "computes reach the workspace storage"
must_reach = { from = { kind = "compute" }, to = "amlstorage", ports = "443" }

[[intents]]
name = "no compute reaches an attacker"
[intents.must_not_reach]
from = { kind = "compute" }
to = { owner = "attacker" }
"#,
    );
    let json = scratch.file(
        "intents.json",
        &json!({"intents": [
            {"name": "computes reach the workspace storage",
             "must_reach": {"from": {"kind": "compute"}, "to": "amlstorage", "ports": "443"}},
            {"name": "no compute reaches an attacker",
             "must_not_reach": {"from": {"kind": "compute"}, "to": {"owner": "attacker"}}}
        ]})
        .to_string(),
    );
    let from_toml = vnetlab(&["check-intents", &forced_tunnel(), &toml, "--json"]);
    let from_json = vnetlab(&["check-intents", &forced_tunnel(), &json, "--json"]);
    assert_eq!(code(&from_toml), 1, "{}", stderr(&from_toml));
    assert_eq!(from_toml.stdout, from_json.stdout);
    for (text, says) in [
        (
            "[[intents]]\nname = \"a\"\nmax_open_exfil = -1\n",
            "$.intents[0].max_open_exfil: invalid value: integer `-1`",
        ),
        (
            "[[intents]]\nname = \"a\"\nmax_open_exfil = \n",
            "line 3, column 18: invalid string",
        ),
        (
            "[[intents]]\nname = \"a\"\n[intents.must_reach]\nfrom = \"nobody\"\nto = \"amlstorage\"\n",
            "$.intents[0].must_reach.from: `nobody` is not an element",
        ),
    ] {
        let file = scratch.file("bad.toml", text);
        let output = vnetlab(&["check-intents", &forced_tunnel(), &file]);
        assert_eq!(code(&output), 2, "{text}");
        assert!(stderr(&output).contains(says), "{text}: {}", stderr(&output));
    }
}

#[test]
fn the_readme_intents_example_runs() {
    let scratch = Scratch::new("intents-readme");
    let readme = std::fs::read_to_string("README.md").expect("README");
    let section = &readme[readme.find("### Network intents").expect("section")..];
    let start = section.find("```toml\n").expect("a TOML example") + "```toml\n".len();
    let example = &section[start..start + section[start..].find("```").expect("closed")];
    let file = scratch.file("vnetlab.toml", example);
    let output = vnetlab(&["check-intents", &forced_tunnel(), &file, "--json"]);
    assert_eq!(code(&output), 1, "{}", stderr(&output));
    let results: Value = serde_json::from_slice(&output.stdout).expect("JSON");
    let statuses: Vec<&str> = results
        .as_array()
        .expect("results")
        .iter()
        .map(|r| r["status"].as_str().expect("status"))
        .collect();
    assert_eq!(statuses, ["holds", "fails", "fails"]);
}
