//! The report formats CI systems read. SARIF is validated against the SARIF 2.1.0 JSON schema
//! shipped in `tests/schemas`, and checked for what GitHub code scanning needs and the schema
//! cannot say (a rule id, a message text, a file location). JUnit XML is checked for being
//! well formed with one test case per required flow; Markdown for one row per result and
//! escaped names.

use serde_json::Value;

use super::support::*;

/// What GitHub code scanning and Azure DevOps need of a log beyond the SARIF 2.1.0 schema
/// (checked first): the vnetlab driver, a rule per result that its index points at, a message
/// text and a file location given as a relative URI reference.
fn assert_sarif(log: &Value) {
    assert_sarif_schema(log);
    assert_eq!(log["version"], "2.1.0");
    let runs = log["runs"].as_array().expect("runs is an array");
    assert_eq!(runs.len(), 1);
    let driver = &runs[0]["tool"]["driver"];
    assert_eq!(driver["name"], "vnetlab");
    let rules = driver["rules"].as_array().expect("rules");
    for result in runs[0]["results"].as_array().expect("results") {
        let rule_id = result["ruleId"].as_str().expect("GitHub needs a ruleId");
        let index = result["ruleIndex"].as_u64().expect("ruleIndex ≥ 0") as usize;
        assert_eq!(
            rules[index]["id"], rule_id,
            "ruleIndex points at the result's rule"
        );
        assert!(result["message"]["text"].is_string(), "a message text");
        let locations = result["locations"].as_array().expect("locations");
        assert!(!locations.is_empty(), "GitHub needs a location");
        for location in locations {
            let uri = location["physicalLocation"]["artifactLocation"]["uri"]
                .as_str()
                .expect("a file location");
            assert!(
                uri.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b"-._~/%:".contains(&b)),
                "{uri} is not a URI reference"
            );
        }
    }
}

fn sarif_of(args: &[&str]) -> (i32, Value) {
    let output = vnetlab(args);
    let log = serde_json::from_slice(&output.stdout)
        .unwrap_or_else(|e| panic!("{args:?}: not JSON ({e}): {}", stderr(&output)));
    assert_sarif(&log);
    (code(&output), log)
}

fn results(log: &Value) -> &Vec<Value> {
    log["runs"][0]["results"].as_array().expect("results")
}

#[test]
fn sarif_has_one_result_per_open_path_located_in_the_design() {
    let design = example("firewall-forced-tunnel");
    let (code, log) = sarif_of(&["exfil", &design, "--format", "sarif", "--fail-on-exfil"]);
    assert_eq!(code, 1, "the format does not change the exit code");
    let results = results(&log);
    assert_eq!(results.len(), 4);
    let text = std::fs::read_to_string(&design).expect("design");
    let computes_line = text
        .lines()
        .position(|line| line.contains("\"computes\""))
        .expect("computes")
        + 2;
    for result in results {
        assert_eq!(result["ruleId"], "exfiltration-path");
        assert_eq!(result["level"], "error");
        let location = &result["locations"][0];
        assert_eq!(
            location["physicalLocation"]["artifactLocation"]["uri"],
            design.as_str()
        );
        let line = location["physicalLocation"]["region"]["startLine"]
            .as_u64()
            .expect("line") as usize;
        assert!(line >= computes_line, "{line} is inside the computes list");
        assert!(text.lines().nth(line).expect("line").contains("\"name\""));
        assert!(result["message"]["text"]
            .as_str()
            .expect("text")
            .contains("Fix: "));
        assert!(!result["properties"]["trace"]
            .as_array()
            .expect("trace")
            .is_empty());
    }
}

#[test]
fn sarif_for_every_subcommand_and_for_a_refusal() {
    let scratch = Scratch::new("sarif");
    let typo = typo_design(&scratch);
    let undetermined = undetermined_design(&scratch);
    let (_, log) = sarif_of(&["flows", &example("dlp-sep-nsg"), "--format", "sarif"]);
    assert!(results(&log)
        .iter()
        .any(|r| r["ruleId"] == "required-flow" && r["level"] == "error"));
    let (code, log) = sarif_of(&["check", &example("vnet-default-nsg"), "--format", "sarif"]);
    assert_eq!(code, 1);
    assert!(results(&log)
        .iter()
        .all(|r| r["ruleId"] == "compliance-check"));
    let (code, log) = sarif_of(&[
        "diff",
        &example("dlp-sep-firewall"),
        &example("vnet-default-nsg"),
        "--format",
        "sarif",
        "--fail-on-regression",
    ]);
    assert_eq!(code, 1);
    assert!(results(&log).iter().any(|r| r["ruleId"] == "opened-path"));
    let (code, log) = sarif_of(&[
        "exfil",
        &undetermined,
        "--format",
        "sarif",
        "--fail-on-exfil",
    ]);
    assert_eq!(code, 2);
    assert!(results(&log)
        .iter()
        .all(|r| r["ruleId"] == "undetermined-path" && r["level"] == "warning"));
    // An input that does not load is one result, so the upload still has a log to show.
    let bad = scratch.file("bad.json", "{\"schema_version\": 1,");
    let (code, log) = sarif_of(&["exfil", &bad, "--format", "sarif", "--fail-on-exfil"]);
    assert_eq!(code, 2);
    assert_eq!(results(&log).len(), 1);
    assert!(results(&log)[0]["message"]["text"]
        .as_str()
        .expect("text")
        .contains("bad.json"));
    // Refused: the validation errors are the results, located at their JSON path's line.
    for command in ["exfil", "flows", "check", "validate"] {
        let (code, log) = sarif_of(&[command, &typo, "--format", "sarif"]);
        assert_eq!(code, 2, "{command}");
        let results = results(&log);
        assert_eq!(results.len(), 1, "{command}: {log}");
        for result in results {
            assert_eq!(result["ruleId"], "validation");
            assert_eq!(result["level"], "error");
            let line = result["locations"][0]["physicalLocation"]["region"]["startLine"]
                .as_u64()
                .expect("line");
            let text = std::fs::read_to_string(&typo).expect("typo");
            assert!(text
                .lines()
                .nth(line as usize - 1)
                .expect("line")
                .contains("vnet/trainin"));
        }
    }
}

/// Checks tags open and close in order (no XML parser is a dependency).
fn assert_well_formed_xml(xml: &str) {
    assert!(xml.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"));
    let mut open: Vec<String> = Vec::new();
    let mut rest = &xml[xml.find("?>").expect("declaration") + 2..];
    while let Some(start) = rest.find('<') {
        assert!(!rest[..start].contains('>'), "stray `>` in text");
        let end = start + rest[start..].find('>').expect("tag closes");
        let tag = &rest[start + 1..end];
        assert!(!tag.contains('<'), "`<` inside a tag: {tag}");
        if let Some(name) = tag.strip_prefix('/') {
            assert_eq!(open.pop().as_deref(), Some(name), "closing {name}");
        } else if !tag.ends_with('/') {
            open.push(tag.split_whitespace().next().expect("name").to_string());
        }
        rest = &rest[end + 1..];
    }
    assert!(open.is_empty(), "unclosed: {open:?}");
    assert!(
        !xml.chars().any(|c| c.is_control() && c != '\n'),
        "control characters in XML"
    );
}

#[test]
fn junit_has_one_test_case_per_required_flow() {
    let design = example("dlp-sep-nsg");
    let flows: Vec<Value> =
        serde_json::from_slice(&vnetlab(&["flows", &design, "--json"]).stdout).expect("flows");
    let output = vnetlab(&["flows", &design, "--format", "junit", "--fail-on-broken"]);
    assert_eq!(code(&output), 1);
    let xml = stdout(&output);
    assert_well_formed_xml(&xml);
    assert_eq!(xml.matches("<testcase ").count(), flows.len());
    let failing = flows
        .iter()
        .filter(|f| f["verdict"] != "allowed" && f["optional"] == false)
        .count();
    assert_eq!(failing, 2);
    assert_eq!(xml.matches("<failure ").count(), failing);
    assert!(xml.contains(&format!(
        "tests=\"{}\" failures=\"2\" errors=\"0\"",
        flows.len()
    )));
    // Nothing to report is still one passing test case, not an empty suite.
    let output = vnetlab(&["exfil", &example("dlp-sep-firewall"), "--format", "junit"]);
    let xml = stdout(&output);
    assert_well_formed_xml(&xml);
    assert_eq!(xml.matches("<testcase ").count(), 1);
    assert_eq!(xml.matches("<failure").count(), 0);
}

#[test]
fn reports_escape_names_that_would_forge_them() {
    let scratch = Scratch::new("forged-report");
    let forged = "ci<b>|x\r\u{1b}[2K</testcase>`";
    let design = scratch.design_with(&example("vnet-default-nsg"), "forged.json", |design| {
        design["computes"][0]["name"] = forged.into();
    });
    let output = vnetlab(&["exfil", &design, "--format", "junit"]);
    let xml = stdout(&output);
    assert_well_formed_xml(&xml);
    assert!(
        xml.contains("ci&lt;b&gt;|x\\r\\x1b[2K&lt;/testcase&gt;`"),
        "{xml}"
    );
    let output = vnetlab(&["exfil", &design, "--format", "markdown"]);
    let markdown = stdout(&output);
    assert!(!markdown.contains(forged) && !markdown.contains('\r') && !markdown.contains('\u{1b}'));
    assert!(
        markdown.contains("ci\\<b\\>\\|x\\\\r\\\\x1b\\[2K\\</testcase\\>\\`"),
        "{markdown}"
    );
    // One table row per open path, each a single line.
    let findings: Vec<Value> =
        serde_json::from_slice(&vnetlab(&["exfil", &design, "--json"]).stdout).expect("json");
    assert_eq!(
        markdown
            .matches("\n| ✗ failed | exfiltration-path |")
            .count(),
        findings.len()
    );
    let (_, log) = sarif_of(&["exfil", &design, "--format", "sarif"]);
    assert!(results(&log)
        .iter()
        .any(|r| r["locations"][0]["logicalLocations"][0]["name"] == forged));
}
