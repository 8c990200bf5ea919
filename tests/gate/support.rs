//! Running the `vnetlab` binary and writing the inputs the gate tests need into a scratch
//! directory of their own.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

pub const WORKSHOP: &str = "tests/fixtures/workshop.json";

pub fn example(name: &str) -> String {
    format!("static/examples/{name}.json")
}

/// Runs `vnetlab args` to the end, collecting stdout and stderr.
pub fn vnetlab(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_vnetlab"))
        .args(args)
        .output()
        .expect("vnetlab runs")
}

/// Checks a SARIF log against the SARIF 2.1.0 JSON schema shipped in `tests/schemas` (with
/// node and ajv, which `scripts/install.sh` installs).
pub fn assert_sarif_schema(log: &Value) {
    use std::io::Write;
    let mut validator = Command::new("node")
        .arg("tests/schemas/validate-sarif.mjs")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("node runs (scripts/install.sh installs the schema validator's packages)");
    validator
        .stdin
        .take()
        .expect("stdin")
        .write_all(log.to_string().as_bytes())
        .expect("log written to the validator");
    let checked = validator.wait_with_output().expect("validator ends");
    assert!(
        checked.status.success(),
        "the log does not conform to the SARIF 2.1.0 schema:\n{}{}",
        String::from_utf8_lossy(&checked.stdout),
        String::from_utf8_lossy(&checked.stderr)
    );
}

/// The exit code; a signal (no code) fails the test.
pub fn code(output: &Output) -> i32 {
    output.status.code().unwrap_or_else(|| {
        panic!(
            "vnetlab ended by a signal: {}",
            String::from_utf8_lossy(&output.stderr)
        )
    })
}

pub fn stdout(output: &Output) -> String {
    String::from_utf8(output.stdout.clone()).expect("utf-8 stdout")
}

pub fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// A directory removed when dropped, unique to one test.
pub struct Scratch {
    dir: PathBuf,
}

impl Scratch {
    pub fn new(test: &str) -> Scratch {
        let dir = std::env::temp_dir().join(format!("vnetlab-gate-{}-{test}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("scratch directory");
        Scratch { dir }
    }

    /// Writes `text` to `name` in the directory and returns its path.
    pub fn file(&self, name: &str, text: &str) -> String {
        let path = self.dir.join(name);
        std::fs::write(&path, text).expect("write scratch file");
        path.to_str().expect("utf-8 path").to_string()
    }

    /// Writes the workshop design changed by `edit`.
    pub fn workshop_with(&self, name: &str, edit: impl FnOnce(&mut Value)) -> String {
        self.design_with(WORKSHOP, name, edit)
    }

    /// Writes the design at `path` changed by `edit`.
    pub fn design_with(&self, path: &str, name: &str, edit: impl FnOnce(&mut Value)) -> String {
        let mut design = read_json(path);
        edit(&mut design);
        self.file(name, &serde_json::to_string_pretty(&design).expect("json"))
    }

    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.join(name)
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        std::fs::remove_dir_all(&self.dir).ok();
    }
}

pub fn read_json(path: impl AsRef<Path>) -> Value {
    serde_json::from_str(&std::fs::read_to_string(path).expect("read")).expect("json")
}

/// The workshop with the compute `ci`'s subnet misspelt: a validation error that leaves every
/// exfiltration path of the computes undetermined when analysed anyway.
pub fn typo_design(scratch: &Scratch) -> String {
    scratch.workshop_with("typo.json", |design| {
        design["computes"][0]["nic"]["subnet"] = "vnet/trainin".into();
    })
}

/// A valid workshop whose NSG rule `AllowStorage` names the `Sql` tag, whose prefixes vnetlab
/// does not ship: flows reaching that rule, and so some exfiltration paths, are undetermined.
pub fn undetermined_design(scratch: &Scratch) -> String {
    scratch.workshop_with("undetermined.json", |design| {
        for rule in design["network_security_groups"][0]["rules"]
            .as_array_mut()
            .expect("rules")
        {
            if rule["name"] == "AllowStorage" {
                rule["destination"] = serde_json::json!(["Sql"]);
            }
        }
    })
}

/// The `dlp-sep-firewall` scenario whose firewall rule `azure-monitor` names the `Sql` tag
/// (no shipped prefixes): the required flows reaching that rule are unsupported, and no
/// required flow fails otherwise.
pub fn unsupported_flows_design(scratch: &Scratch) -> String {
    scratch.design_with(
        &example("dlp-sep-firewall"),
        "unsupported-flows.json",
        |design| {
            let rule = design["firewall_policies"]
                .as_array_mut()
                .expect("policies")
                .iter_mut()
                .flat_map(|p| p["rule_collection_groups"].as_array_mut().expect("groups"))
                .flat_map(|g| g["rule_collections"].as_array_mut().expect("collections"))
                .flat_map(|c| c["rules"].as_array_mut().expect("rules"))
                .find(|r| r["name"] == "azure-monitor")
                .expect("the azure-monitor rule");
            rule["destinations"] = serde_json::json!(["Sql"]);
        },
    )
}

/// Azure's effective routes of a NIC (`az network nic show-effective-route-table`): Azure
/// JSON, but not resources.
pub const EFFECTIVE_ROUTES: &str = r#"{"value": [
  {"source": "Default", "state": "Active", "addressPrefix": ["10.0.0.0/16"],
   "nextHopType": "VnetLocal", "nextHopIpAddress": []},
  {"source": "Default", "state": "Active", "addressPrefix": ["0.0.0.0/0"],
   "nextHopType": "Internet", "nextHopIpAddress": []}
]}"#;
