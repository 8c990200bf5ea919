//! Native analysis tests: the catalogue on designs where each entry must pass and must fail,
//! every built-in scenario's expected results, every suggested fix really closing its path,
//! the what-if diff, compliance, and the CLI's JSON contract.
#![cfg(not(target_arch = "wasm32"))]

mod catalogue;
mod cli;
mod compliance;
mod cross_tenant;
mod diff;
mod explicit_proxy;
mod fixes;
#[path = "../../benches/hub_spoke.rs"]
#[allow(dead_code)]
mod hub_spoke;
mod port_spans;
mod positions;
mod scenarios;
mod source_classes;
mod support;
