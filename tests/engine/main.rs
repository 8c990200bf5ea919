//! Native engine tests: table-driven flows asserting the verdict and the deciding rule, the
//! Network Watcher fixtures, and property tests against a brute-force reference evaluator.
#![cfg(not(target_arch = "wasm32"))]

mod admin_rules;
mod dns_private_endpoints;
mod firewall;
mod firewall_features;
mod hub_spoke;
mod load_balancer;
mod load_balancer_validation;
mod lookup_index;
mod managed_network;
mod managed_network_details;
mod network_watcher;
mod nsg;
mod paas;
mod parity;
mod perimeter;
mod private_subnets;
mod reference;
mod reference_load_balancer;
mod routing;
mod shared_rules;
mod support;
mod validation;
mod verdict;
