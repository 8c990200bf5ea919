//! `vnetlab labs` and `vnetlab lab check`: a trainer grades submitted designs in bulk — exit 0
//! only when every goal holds, 1 when one does not, 2 when the lab or the design is unusable.

use std::process::{Command, Output};

fn vnetlab(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_vnetlab"))
        .args(args)
        .output()
        .expect("vnetlab runs")
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// Writes `text` to a temporary file named `name` and returns its path.
fn temp_file(name: &str, text: &str) -> String {
    let path = std::env::temp_dir().join(format!("vnetlab-lab-cli-{}-{name}", std::process::id()));
    std::fs::write(&path, text).unwrap();
    path.to_string_lossy().into_owned()
}

#[test]
fn labs_lists_every_built_in_lab() {
    let output = vnetlab(&["labs"]);
    assert!(output.status.success());
    let listed = stdout(&output);
    for lab in vnetlab::view::lab::built_in() {
        assert!(listed.contains(&lab.id), "{listed}");
    }
}

#[test]
fn lab_check_grades_the_start_as_failing_and_the_solution_as_passing() {
    let lab = vnetlab::view::lab::find("rogue-storage-sep").unwrap();
    let start = lab.start_design().unwrap();
    let solved = lab
        .solution
        .iter()
        .try_fold(start.clone(), |design, step| step.step.apply(&design))
        .unwrap();
    let start_file = temp_file("start.json", &serde_json::to_string(&start).unwrap());
    let solved_file = temp_file("solved.json", &serde_json::to_string(&solved).unwrap());

    let failing = vnetlab(&["lab", "check", "rogue-storage-sep", &start_file]);
    assert_eq!(failing.status.code(), Some(1), "{}", stdout(&failing));
    assert!(stdout(&failing).contains("✗ No open path to attacker storage"));

    let passing = vnetlab(&["lab", "check", "rogue-storage-sep", &solved_file]);
    assert_eq!(passing.status.code(), Some(0), "{}", stdout(&passing));
    assert!(stdout(&passing).contains(&format!("{0} of {0} goals met", lab.goals.len())));

    let lab_file = temp_file("lab.json", vnetlab::view::lab::built_in_files()[1].1);
    let by_file = vnetlab(&["lab", "check", &lab_file, &solved_file]);
    assert_eq!(
        by_file.status.code(),
        Some(0),
        "a lab file works like a built-in id"
    );
}

#[test]
fn an_unusable_lab_or_design_exits_2_with_where_it_is_wrong() {
    let design = temp_file(
        "design.json",
        &serde_json::to_string(
            &vnetlab::view::lab::find("private-dns")
                .unwrap()
                .start_design()
                .unwrap(),
        )
        .unwrap(),
    );
    let bad_lab = temp_file("bad-lab.json", r#"{"id": "x", "goals": 3}"#);
    let cases = [
        (
            vec!["lab", "check", "no-such-lab", design.as_str()],
            "no-such-lab",
        ),
        (
            vec!["lab", "check", bad_lab.as_str(), design.as_str()],
            "$.goals",
        ),
        (
            vec!["lab", "check", "private-dns", "no-such-design.json"],
            "no-such-design.json",
        ),
    ];
    for (args, named) in cases {
        let output = vnetlab(&args);
        assert_eq!(output.status.code(), Some(2), "{args:?}");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(stderr.contains(named), "{args:?}: {stderr}");
    }
}
