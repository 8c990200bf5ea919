//! Names: not empty and unique within their list (computes, private endpoints and PaaS
//! resources share one namespace, since flows name them), so that every reference and every
//! diagnostic names one element; a name with control characters is a warning.

use std::collections::{BTreeMap, BTreeSet};

use super::{is_control_character, Validator};

impl Validator<'_> {
    pub(super) fn check_unique_names(&mut self) {
        let d = self.design;
        let lists: [(&str, Vec<&str>); 15] = [
            (
                "virtual_networks",
                d.virtual_networks.iter().map(|x| x.name.as_str()).collect(),
            ),
            (
                "peerings",
                d.peerings.iter().map(|x| x.name.as_str()).collect(),
            ),
            (
                "gateways",
                d.gateways.iter().map(|x| x.name.as_str()).collect(),
            ),
            (
                "network_security_groups",
                d.network_security_groups
                    .iter()
                    .map(|x| x.name.as_str())
                    .collect(),
            ),
            (
                "application_security_groups",
                d.application_security_groups
                    .iter()
                    .map(String::as_str)
                    .collect(),
            ),
            (
                "route_tables",
                d.route_tables.iter().map(|x| x.name.as_str()).collect(),
            ),
            (
                "private_dns_zones",
                d.private_dns_zones
                    .iter()
                    .map(|x| x.name.as_str())
                    .collect(),
            ),
            (
                "firewall_policies",
                d.firewall_policies
                    .iter()
                    .map(|x| x.name.as_str())
                    .collect(),
            ),
            (
                "ip_groups",
                d.ip_groups.iter().map(|x| x.name.as_str()).collect(),
            ),
            (
                "service_endpoint_policies",
                d.service_endpoint_policies
                    .iter()
                    .map(|x| x.name.as_str())
                    .collect(),
            ),
            (
                "firewalls",
                d.firewalls.iter().map(|x| x.name.as_str()).collect(),
            ),
            (
                "load_balancers",
                d.load_balancers.iter().map(|x| x.name.as_str()).collect(),
            ),
            (
                "workspaces",
                d.workspaces.iter().map(|x| x.name.as_str()).collect(),
            ),
            (
                "services",
                d.services.iter().map(|x| x.name.as_str()).collect(),
            ),
            (
                "external_hosts",
                d.external_hosts.iter().map(|x| x.name.as_str()).collect(),
            ),
        ];
        for (list, names) in lists {
            self.check_names(list, names);
        }
        // Computes, private endpoints and PaaS resources share one namespace: flows name them.
        let mut endpoints: BTreeMap<&str, String> = BTreeMap::new();
        let addressable = d
            .computes
            .iter()
            .enumerate()
            .map(|(i, c)| (c.name.as_str(), format!("$.computes[{i}]")))
            .chain(
                d.private_endpoints
                    .iter()
                    .enumerate()
                    .map(|(i, p)| (p.name.as_str(), format!("$.private_endpoints[{i}]"))),
            )
            .chain(
                d.resources
                    .iter()
                    .enumerate()
                    .map(|(i, r)| (r.name.as_str(), format!("$.resources[{i}]"))),
            );
        for (name, path) in addressable {
            self.check_control_characters(name, &format!("{path}.name"));
            if name.trim().is_empty() {
                self.error(name, format!("{path}.name"), "name is empty".into());
            } else if let Some(first) = endpoints.insert(name, path.clone()) {
                self.error(
                    name,
                    format!("{path}.name"),
                    format!("name `{name}` is already used by {first}"),
                );
            }
        }
    }

    /// Names with control characters are legal in Azure JSON but can forge lines where they are
    /// printed (the CLI escapes them in text output), so they are worth a warning.
    pub(super) fn check_control_characters(&mut self, name: &str, path: &str) {
        if name.chars().any(is_control_character) {
            self.warning(
                name,
                path.to_string(),
                "the name holds control characters (line breaks, escape sequences or bidirectional overrides); vnetlab escapes them where it prints the name".into(),
            );
        }
    }

    /// `names` not empty and unique in `list` (its JSON path under `$.`).
    pub(super) fn check_names<'n>(&mut self, list: &str, names: impl IntoIterator<Item = &'n str>) {
        let mut seen = BTreeSet::new();
        for (index, name) in names.into_iter().enumerate() {
            let path = format!("$.{list}[{index}].name");
            self.check_control_characters(name, &path);
            if name.trim().is_empty() {
                self.error(name, path, "name is empty".into());
            } else if !seen.insert(name) {
                self.error(name, path, format!("duplicate name `{name}` in {list}"));
            }
        }
    }
}
