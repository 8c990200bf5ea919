//! The exfiltration search and Azure Firewall's explicit proxy. Microsoft Learn, "Azure
//! Firewall Explicit proxy": the proxy is a client setting — clients configured with it send
//! their HTTP(S) through the firewall, but nothing in the network forces them to. An adversary's
//! code ignores the setting, so the search traces a proxy-configured compute directly: a
//! subnet that still reaches the internet on its own is an open path, whatever the proxy's
//! application rules say.

use serde_json::{json, Value};
use vnetlab::analysis::analyse;
use vnetlab::engine::{Engine, Flow, FlowSource, FlowTarget, Step, Verdict};
use vnetlab::model::Protocol;

use super::support::design;

/// A VNet whose training subnet (private or not) holds compute `ci` configured for firewall
/// `fw`'s explicit proxy, which allows only pypi.org.
fn proxied(default_outbound_access: bool) -> Value {
    json!({
        "schema_version": 1, "name": "proxied",
        "virtual_networks": [{"name": "vnet", "region": "eastus", "address_space": ["10.0.0.0/16"], "subnets": [
            {"name": "training", "prefix": "10.0.1.0/24", "default_outbound_access": default_outbound_access},
            {"name": "AzureFirewallSubnet", "prefix": "10.0.3.0/26"}]}],
        "computes": [{"name": "ci", "kind": "virtual_machine", "explicit_proxy": "fw", "nic": {"subnet": "vnet/training", "private_ip": "10.0.1.4"}}],
        "firewalls": [{"name": "fw", "subnet": "vnet/AzureFirewallSubnet", "private_ip": "10.0.3.4", "public_ip": "20.0.0.1", "policy": "policy"}],
        "firewall_policies": [{"name": "policy", "explicit_proxy": {"https_port": 8443}, "rule_collection_groups": [{"name": "g", "priority": 100, "rule_collections": [
            {"type": "application", "name": "web", "priority": 100, "action": "Allow", "rules": [
                {"name": "allow-pypi", "sources": ["10.0.0.0/16"], "protocols": [{"protocol": "https", "port": 443}], "target_fqdns": ["pypi.org"]}]}]}]}],
        "external_hosts": [{"name": "pypi", "kind": "internet", "ip": "203.0.113.10", "fqdns": ["pypi.org"]}]
    })
}

#[test]
fn the_search_traces_a_proxy_configured_compute_as_code_ignoring_the_proxy() {
    // (subnet's default outbound access, whether ci has open paths to attacker sinks)
    let cases = [(true, true), (false, false)];
    for (default_outbound_access, open) in cases {
        let value = proxied(default_outbound_access);
        let analysis = analyse(&design(&value));
        let from_ci: Vec<_> = analysis
            .exfiltration
            .findings
            .iter()
            .filter(|f| f.source == "ci")
            .collect();
        assert_eq!(
            !from_ci.is_empty(),
            open,
            "default outbound {default_outbound_access}: {:?}",
            from_ci.iter().map(|f| f.key()).collect::<Vec<_>>()
        );
        for finding in &from_ci {
            assert!(finding.trace.flow.bypasses_proxy, "{}", finding.key());
            assert!(
                !finding.trace.hops.iter().any(|h| h.step.is_firewall()),
                "{}: the direct path, not the proxy",
                finding.key()
            );
        }
        // The proxy itself still allows only pypi.org for clients that use it.
        let engine = Engine::new(&design(&value));
        let to = |fqdn: &str| {
            Flow::new(
                FlowSource::Element("ci".into()),
                FlowTarget::Fqdn(fqdn.into()),
                Protocol::Tcp,
                Some(443),
            )
        };
        let through_proxy = engine.trace(&to("pypi.org")).expect("traced");
        assert_eq!(
            through_proxy.verdict,
            Verdict::Allowed,
            "{}",
            through_proxy.reason
        );
        assert!(through_proxy
            .hops
            .iter()
            .any(|h| h.step == Step::FirewallApplication));
        let direct = engine
            .trace(&to("pypi.org").bypassing_proxy())
            .expect("traced");
        let expected = if default_outbound_access {
            Verdict::Allowed
        } else {
            Verdict::NoRoute
        };
        assert_eq!(direct.verdict, expected, "{}", direct.reason);
        assert!(direct
            .hops
            .iter()
            .any(|h| h.reason.contains("ignores ci's explicit proxy setting")));
    }
}
