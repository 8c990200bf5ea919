//! Never destroy input, never let a name forge output: `import -o` writes nothing when the
//! import has errors (unless `--force`) and writes atomically; names with control characters
//! are escaped in text output and warned about by validation.

use super::support::*;

#[test]
fn import_with_errors_leaves_the_output_file_alone() {
    let scratch = Scratch::new("import");
    let typo = typo_design(&scratch);
    let good = std::fs::read_to_string(WORKSHOP).expect("fixture");
    let target = scratch.file("design.json", &good);
    let output = vnetlab(&["import", &typo, "-o", &target]);
    assert_eq!(code(&output), 2, "{}", stderr(&output));
    assert!(stdout(&output).contains("not written: the import has errors"));
    assert_eq!(std::fs::read_to_string(&target).expect("still there"), good);

    let forced = vnetlab(&["import", &typo, "-o", &target, "--force"]);
    assert_eq!(code(&forced), 2, "the import still has errors");
    let written = read_json(&target);
    assert_eq!(written["computes"][0]["nic"]["subnet"], "vnet/trainin");
}

#[test]
fn import_writes_atomically_and_leaves_no_temporary_file() {
    let scratch = Scratch::new("atomic");
    let target = scratch.path("out.json");
    let target_text = target.to_str().expect("utf-8");
    let output = vnetlab(&["import", WORKSHOP, "-o", target_text]);
    assert_eq!(code(&output), 0, "{}", stderr(&output));
    assert_eq!(read_json(&target)["name"], read_json(WORKSHOP)["name"]);
    let files: Vec<String> = std::fs::read_dir(target.parent().expect("dir"))
        .expect("list")
        .map(|entry| {
            entry
                .expect("entry")
                .file_name()
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    assert_eq!(files, ["out.json"]);
    // A target in a directory that does not exist is an error, and creates nothing.
    let missing = scratch.path("no-such-dir/out.json");
    let output = vnetlab(&["import", WORKSHOP, "-o", missing.to_str().expect("utf-8")]);
    assert_eq!(code(&output), 2);
    assert!(stderr(&output).contains("no-such-dir/out.json"));
}

#[test]
fn control_characters_in_names_are_escaped_in_text_output() {
    let scratch = Scratch::new("controls");
    let forged = "ci\r0 exfiltration path(s), 0 undetermined\u{1b}[K";
    let forged_escaped = "ci\\r0 exfiltration path(s), 0 undetermined\\x1b[K";
    let design = scratch.design_with(&example("vnet-default-nsg"), "forged.json", |design| {
        design["computes"][0]["name"] = forged.into();
    });
    let validate = vnetlab(&["validate", &design]);
    assert_eq!(code(&validate), 0);
    assert!(
        stdout(&validate).contains(&format!("warning: {forged_escaped}")),
        "{}",
        stdout(&validate)
    );
    assert!(stdout(&validate).contains("control characters"));
    let exfil = vnetlab(&["exfil", &design, "--fail-on-exfil"]);
    let text = stdout(&exfil);
    assert!(!text.contains('\r') && !text.contains('\u{1b}'), "{text:?}");
    assert!(text.contains(&format!("{forged_escaped} → ")), "{text}");
    // JSON keeps the name exact: its own escaping makes it safe.
    let json = vnetlab(&["exfil", &design, "--json"]);
    let findings: serde_json::Value = serde_json::from_str(&stdout(&json)).expect("JSON");
    assert!(findings
        .as_array()
        .expect("findings")
        .iter()
        .any(|f| f["source"] == forged));
}
