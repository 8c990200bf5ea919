//! Azure Firewall features checked as written: a DNAT rule translates to exactly one address
//! or FQDN; a policy's explicit proxy has an HTTP or HTTPS port, each at most 64000 and not
//! the same (Microsoft Learn, "Azure Firewall Explicit proxy"; the REST `ExplicitProxy`
//! definition); a compute configured to use an explicit proxy names a firewall of the design
//! whose policy enables it, and has a NIC to send from.

use super::Validator;
use crate::model::{ExplicitProxy, NatRule};

impl Validator<'_> {
    /// A DNAT rule at `path` must translate to an address or an FQDN, not both or neither.
    pub(super) fn check_dnat_translation(&mut self, element: &str, path: &str, rule: &NatRule) {
        let problem = match (&rule.translated_address, &rule.translated_fqdn) {
            (Some(_), Some(_)) => "has both a translated address and a translated FQDN; give one",
            (None, None) => "has neither a translated address nor a translated FQDN",
            (None, Some(fqdn)) if fqdn.trim().is_empty() => "has an empty translated FQDN",
            _ => return,
        };
        self.error(
            element,
            format!("{path}.translated_address"),
            format!("DNAT rule `{}` {problem}", rule.name),
        );
    }

    pub(super) fn check_explicit_proxies(&mut self) {
        let design = self.design;
        for (p, policy) in design.firewall_policies.iter().enumerate() {
            if let Some(proxy) = &policy.explicit_proxy {
                let path = format!("$.firewall_policies[{p}].explicit_proxy");
                self.check_proxy_ports(&policy.name, &path, proxy);
            }
        }
        for (c, compute) in design.computes.iter().enumerate() {
            let Some(proxy) = &compute.explicit_proxy else {
                continue;
            };
            let path = format!("$.computes[{c}].explicit_proxy");
            if compute.nic.is_none() {
                self.error(
                    &compute.name,
                    path.clone(),
                    "a compute without a NIC cannot send to an explicit proxy".into(),
                );
            }
            let Some(firewall) = design.firewalls.iter().find(|f| &f.name == proxy) else {
                self.error(
                    &compute.name,
                    path,
                    format!("explicit proxy `{proxy}` is not a firewall of the design"),
                );
                continue;
            };
            let enabled = firewall.policy.as_deref().is_some_and(|policy| {
                design
                    .policy_chain(policy)
                    .iter()
                    .any(|(_, p)| p.explicit_proxy.is_some())
            });
            if !enabled {
                self.warning(
                    &compute.name,
                    path,
                    format!(
                        "firewall `{proxy}` has no policy enabling the explicit proxy: the \
                         compute's HTTP and HTTPS requests to it are refused"
                    ),
                );
            }
        }
    }

    fn check_proxy_ports(&mut self, policy: &str, path: &str, proxy: &ExplicitProxy) {
        if proxy.http_port.is_none() && proxy.https_port.is_none() {
            self.error(
                policy,
                path.to_string(),
                "the explicit proxy needs an HTTP or HTTPS port".into(),
            );
        }
        for (key, port) in [
            ("http_port", proxy.http_port),
            ("https_port", proxy.https_port),
        ] {
            if let Some(port) = port.filter(|p| *p == 0 || *p > ExplicitProxy::MAX_PORT) {
                self.error(
                    policy,
                    format!("{path}.{key}"),
                    format!(
                        "explicit proxy port {port} is outside 1-{}",
                        ExplicitProxy::MAX_PORT
                    ),
                );
            }
        }
        if proxy.http_port.is_some() && proxy.http_port == proxy.https_port {
            self.error(
                policy,
                format!("{path}.https_port"),
                "the explicit proxy's HTTP and HTTPS ports must differ".into(),
            );
        }
    }
}
