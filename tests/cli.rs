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
