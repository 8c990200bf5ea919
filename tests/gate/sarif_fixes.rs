//! SARIF fixes are edits a reviewer can apply: for every open path of every example design,
//! each fix's replacements, made to the design file as a SARIF consumer makes them, give a file
//! that still loads and in which that path is closed — and the edit keeps nine tenths of the
//! file's lines as written (it touches what the fix changes, it does not rewrite the file).

use serde_json::Value;

use super::support::*;

/// `text` with SARIF `replacements` of whole lines (`deletedRegion` start/end lines without the
/// last line break, `insertedContent`) made, as a SARIF viewer applies them.
fn apply_replacements(text: &str, replacements: &[Value]) -> String {
    let lines: Vec<&str> = text.lines().collect();
    let mut edited: Vec<String> = Vec::new();
    let mut next_line = 1;
    for replacement in replacements {
        let region = &replacement["deletedRegion"];
        let start = region["startLine"].as_u64().expect("startLine") as usize;
        let end = region["endLine"].as_u64().expect("endLine") as usize;
        assert!(
            start >= next_line && end >= start && end <= lines.len(),
            "replacements in file order, inside the file: {replacement}"
        );
        edited.extend(
            lines[next_line - 1..start - 1]
                .iter()
                .map(|l| l.to_string()),
        );
        edited.push(
            replacement["insertedContent"]["text"]
                .as_str()
                .expect("inserted text")
                .to_string(),
        );
        next_line = end + 1;
    }
    edited.extend(lines[next_line - 1..].iter().map(|l| l.to_string()));
    edited.join("\n") + "\n"
}

fn open_paths(design: &str) -> Vec<String> {
    let output = vnetlab(&["exfil", design, "--format", "sarif", "--force"]);
    let log: Value = serde_json::from_slice(&output.stdout).expect("SARIF");
    log["runs"][0]["results"]
        .as_array()
        .expect("results")
        .iter()
        .filter(|result| result["ruleId"] == "exfiltration-path")
        .map(|result| result["partialFingerprints"]["vnetlabKey/v1"].to_string())
        .collect()
}

#[test]
fn every_sarif_fix_applied_to_the_design_file_closes_its_path() {
    let scratch = Scratch::new("sarif-fixes");
    let mut applied = 0;
    for name in [
        "firewall-forced-tunnel",
        "il5-us-gov",
        "no-public-ip-compute",
        "traffic-flow-secured-workspace",
        "vnet-default-nsg",
    ] {
        let design = example(name);
        let text = std::fs::read_to_string(&design).expect("example");
        let output = vnetlab(&["exfil", &design, "--format", "sarif"]);
        let log: Value = serde_json::from_slice(&output.stdout).expect("SARIF");
        let results = log["runs"][0]["results"].as_array().expect("results");
        for result in results
            .iter()
            .filter(|r| r["ruleId"] == "exfiltration-path")
        {
            let key = result["partialFingerprints"]["vnetlabKey/v1"].to_string();
            let fixes = result["fixes"].as_array().expect("an open path has fixes");
            let described = result["properties"]["fixes"].as_array().expect("fix texts");
            assert_eq!(
                fixes.len(),
                described.len(),
                "{name} {key}: every fix has edits"
            );
            for fix in fixes {
                let change = &fix["artifactChanges"][0];
                assert_eq!(change["artifactLocation"]["uri"], design.as_str());
                let replacements = change["replacements"].as_array().expect("replacements");
                let edited = apply_replacements(&text, replacements);
                let replaced_lines: u64 = replacements
                    .iter()
                    .map(|replacement| {
                        let region = &replacement["deletedRegion"];
                        region["endLine"].as_u64().expect("endLine")
                            - region["startLine"].as_u64().expect("startLine")
                            + 1
                    })
                    .sum();
                assert!(
                    replaced_lines * 10 <= text.lines().count() as u64,
                    "{name}: {} replaces {replaced_lines} of {} lines",
                    fix["description"]["text"],
                    text.lines().count()
                );
                let fixed = scratch.file(&format!("{name}.json"), &edited);
                assert!(
                    !open_paths(&fixed).contains(&key),
                    "{name}: {} leaves {key} open",
                    fix["description"]["text"]
                );
                applied += 1;
            }
        }
    }
    assert!(applied >= 40, "only {applied} fixes were applied");
}
