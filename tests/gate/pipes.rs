//! A closed stdout never changes the exit code: `vnetlab … | head -1` under `set -o pipefail`
//! must fail when the gate fails. Each case runs the binary with stdout piped and either
//! closes the read end before it writes, or reads one line and then closes it (`head -1`).

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

use super::support::*;

/// How the reader treats the output.
#[derive(Debug, Clone, Copy)]
enum Reader {
    /// Closes the pipe before vnetlab writes anything.
    ClosedAtOnce,
    /// Reads the first line, then closes the pipe (`| head -1`).
    FirstLineOnly,
}

/// Runs `vnetlab args` against `reader`; returns the exit code and stderr.
fn run_into(reader: Reader, args: &[&str]) -> (i32, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_vnetlab"))
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("vnetlab runs");
    let stdout = child.stdout.take().expect("piped stdout");
    match reader {
        Reader::ClosedAtOnce => drop(stdout),
        Reader::FirstLineOnly => {
            let mut line = String::new();
            BufReader::new(stdout)
                .read_line(&mut line)
                .expect("first line");
            assert!(
                !line.is_empty(),
                "vnetlab {} printed nothing",
                args.join(" ")
            );
        }
    }
    let output = child.wait_with_output().expect("vnetlab ends");
    let err = String::from_utf8_lossy(&output.stderr).into_owned();
    assert!(!err.contains("panicked"), "{err}");
    (code(&output), err)
}

#[test]
fn a_closed_pipe_keeps_every_exit_code() {
    let scratch = Scratch::new("pipes");
    let typo = typo_design(&scratch);
    let undetermined = undetermined_design(&scratch);
    let (open_paths, no_paths) = (example("vnet-default-nsg"), example("dlp-sep-nsg"));
    let intents = scratch.file(
        "intents.json",
        r#"{"intents": [{"name": "none open", "max_open_exfil": 0}]}"#,
    );
    let cases: [(&[&str], i32); 12] = [
        (&["exfil", &open_paths, "--fail-on-exfil"], 1),
        (&["exfil", &open_paths, "--fail-on-exfil", "--json"], 1),
        (
            &["exfil", &open_paths, "--fail-on-exfil", "--format", "sarif"],
            1,
        ),
        (&["exfil", &typo, "--format", "junit"], 2),
        (&["check-intents", &open_paths, &intents], 1),
        (&["exfil", &no_paths, "--fail-on-exfil"], 0),
        (&["exfil", &undetermined, "--fail-on-exfil"], 2),
        (&["validate", &typo], 2),
        (&["flows", &no_paths, "--fail-on-broken"], 1),
        (&["check", &open_paths], 1),
        (
            &[
                "diff",
                &example("dlp-sep-firewall"),
                &open_paths,
                "--fail-on-regression",
            ],
            1,
        ),
        (&["scenario", "il5-us-gov"], 0),
    ];
    for reader in [Reader::ClosedAtOnce, Reader::FirstLineOnly] {
        for (args, expected) in cases {
            let (code, err) = run_into(reader, args);
            assert_eq!(
                code,
                expected,
                "{reader:?}: vnetlab {}: {err}",
                args.join(" ")
            );
        }
    }
}

#[test]
fn output_that_cannot_be_written_is_never_a_pass() {
    // /dev/full fails every write with "no space left on device".
    let full = std::fs::OpenOptions::new()
        .write(true)
        .open("/dev/full")
        .expect("/dev/full (Linux)");
    let run = |args: &[&str]| {
        let output = Command::new(env!("CARGO_BIN_EXE_vnetlab"))
            .args(args)
            .stdout(full.try_clone().expect("clone"))
            .stderr(Stdio::piped())
            .output()
            .expect("vnetlab runs");
        (
            code(&output),
            String::from_utf8_lossy(&output.stderr).into_owned(),
        )
    };
    let (passed, err) = run(&["validate", WORKSHOP]);
    assert_eq!(passed, 2, "{err}");
    assert!(err.contains("cannot write the output"), "{err}");
    // A failed gate stays failed.
    let (failed, err) = run(&["exfil", &example("vnet-default-nsg"), "--fail-on-exfil"]);
    assert_eq!(failed, 1, "{err}");
}
