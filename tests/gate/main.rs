//! The `vnetlab` command line as a CI gate: exit codes that mean one thing for every
//! subcommand, closed output pipes, validity first, inputs that are never destroyed.
#![cfg(not(target_arch = "wasm32"))]

mod ci_example;
mod determinism;
mod exit_codes;
mod fix_code;
mod formats;
mod intents;
mod never_destroy;
mod pipes;
mod sarif_fixes;
mod support;
