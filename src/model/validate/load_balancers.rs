//! Checks of load balancers: every reference inside one (frontends, backend pools, probes) and
//! out of it (subnets, computes) resolves; a load balancer is internal or public, never both
//! ("Azure Load Balancer components": the frontend's address decides the kind); HA ports
//! rules (protocol `All`, ports 0) exist only on internal load balancers and outbound rules
//! only on public ones ("High availability ports overview", "Outbound rules"); and a
//! `VirtualAppliance` route naming an internal frontend is warned about when no rule of that
//! frontend forwards every flow, or when a backend of its rules cannot forward (no IP
//! forwarding). Which backends are healthy depends on their NSGs, so the
//! engine reports a pool without a healthy member when it compiles the design.

use std::collections::{BTreeMap, BTreeSet};
use std::net::Ipv4Addr;

use super::Validator;
use crate::model::{LoadBalancer, LoadBalancerProtocol, NextHopType};

impl Validator<'_> {
    pub(super) fn check_load_balancers(&mut self) {
        let design = self.design;
        let mut used_ips: BTreeMap<Ipv4Addr, &str> = design
            .computes
            .iter()
            .filter_map(|c| c.nic.as_ref().map(|n| (n.private_ip, c.name.as_str())))
            .chain(
                design
                    .firewalls
                    .iter()
                    .map(|f| (f.private_ip, f.name.as_str())),
            )
            .chain(
                design
                    .private_endpoints
                    .iter()
                    .map(|p| (p.private_ip, p.name.as_str())),
            )
            .collect();
        for (i, lb) in design.load_balancers.iter().enumerate() {
            let path = format!("$.load_balancers[{i}]");
            self.check_frontends(lb, &path, &mut used_ips);
            self.check_pools(lb, &path);
            self.check_lb_rules(lb, &path);
        }
        self.check_routes_to_frontends();
    }

    fn check_frontends<'d>(
        &mut self,
        lb: &'d LoadBalancer,
        path: &str,
        used_ips: &mut BTreeMap<Ipv4Addr, &'d str>,
    ) {
        if lb.frontends.is_empty() {
            self.error(
                &lb.name,
                format!("{path}.frontends"),
                "a load balancer needs at least one frontend IP configuration".into(),
            );
        }
        let mut names = BTreeSet::new();
        let (mut private, mut public) = (false, false);
        for (f, frontend) in lb.frontends.iter().enumerate() {
            let at = format!("{path}.frontends[{f}]");
            let element = format!("{}/{}", lb.name, frontend.name);
            if !names.insert(frontend.name.as_str()) {
                self.error(
                    &element,
                    format!("{at}.name"),
                    format!(
                        "another frontend of `{}` is already named `{}`",
                        lb.name, frontend.name
                    ),
                );
            }
            match (&frontend.subnet, frontend.private_ip, frontend.public_ip) {
                (Some(subnet), Some(ip), None) => {
                    private = true;
                    if let Some(prefix) =
                        self.require_subnet(subnet, &element, format!("{at}.subnet"))
                    {
                        self.check_ip_in_subnet(ip, prefix, &element, format!("{at}.private_ip"));
                    }
                    if let Some(first) = used_ips.insert(ip, &lb.name) {
                        self.error(
                            &element,
                            format!("{at}.private_ip"),
                            format!("{ip} is already used by `{first}`"),
                        );
                    }
                }
                (None, None, Some(_)) => public = true,
                (_, _, Some(_)) => self.error(
                    &element,
                    format!("{at}.public_ip"),
                    "a frontend has either a public IP or a private IP in a subnet, not both"
                        .into(),
                ),
                (None, Some(_), None) => self.error(
                    &element,
                    format!("{at}.subnet"),
                    "a private frontend needs the subnet (`vnet/subnet`) its address is in".into(),
                ),
                (_, None, None) => self.error(
                    &element,
                    format!("{at}.private_ip"),
                    "a frontend needs a private_ip (with its subnet) or a public_ip".into(),
                ),
            }
        }
        if private && public {
            self.error(&lb.name, format!("{path}.frontends"), "a load balancer is internal (private frontends) or public (public IP frontends), not both: split it in two".into());
        }
    }

    fn check_pools(&mut self, lb: &LoadBalancer, path: &str) {
        let design = self.design;
        let mut names = BTreeSet::new();
        for (p, pool) in lb.backend_pools.iter().enumerate() {
            let at = format!("{path}.backend_pools[{p}]");
            let element = format!("{}/{}", lb.name, pool.name);
            if !names.insert(pool.name.as_str()) {
                self.error(
                    &element,
                    format!("{at}.name"),
                    format!(
                        "another backend pool of `{}` is already named `{}`",
                        lb.name, pool.name
                    ),
                );
            }
            let mut vnets = BTreeSet::new();
            for (m, member) in pool.members.iter().enumerate() {
                let nic = design
                    .computes
                    .iter()
                    .find(|c| &c.name == member)
                    .map(|c| c.nic.as_ref());
                match nic {
                    None => self.error(&element, format!("{at}.members[{m}]"), format!("refers to compute `{member}`, which is not in the design")),
                    Some(None) => self.error(&element, format!("{at}.members[{m}]"), format!("compute `{member}` has no NIC in a customer VNet, so it cannot be a backend")),
                    Some(Some(nic)) => {
                        vnets.insert(nic.subnet.split('/').next().unwrap_or_default());
                    }
                }
            }
            if vnets.len() > 1 {
                let list: Vec<&str> = vnets.into_iter().collect();
                self.error(
                    &element,
                    format!("{at}.members"),
                    format!(
                        "a backend pool's members must be in one VNet, but these are in {}",
                        list.join(", ")
                    ),
                );
            }
        }
        let mut names = BTreeSet::new();
        for (p, probe) in lb.probes.iter().enumerate() {
            let at = format!("{path}.probes[{p}]");
            let element = format!("{}/{}", lb.name, probe.name);
            if !names.insert(probe.name.as_str()) {
                self.error(
                    &element,
                    format!("{at}.name"),
                    format!(
                        "another probe of `{}` is already named `{}`",
                        lb.name, probe.name
                    ),
                );
            }
            if probe.port == 0 {
                self.error(
                    &element,
                    format!("{at}.port"),
                    "a health probe needs a port from 1 to 65535".into(),
                );
            }
        }
    }

    fn check_lb_rules(&mut self, lb: &LoadBalancer, path: &str) {
        let internal = lb.is_internal();
        let mut names = BTreeSet::new();
        for (r, rule) in lb.rules.iter().enumerate() {
            let at = format!("{path}.rules[{r}]");
            let element = format!("{}/{}", lb.name, rule.name);
            if !names.insert(rule.name.as_str()) {
                self.error(
                    &element,
                    format!("{at}.name"),
                    format!(
                        "another rule of `{}` is already named `{}`",
                        lb.name, rule.name
                    ),
                );
            }
            self.require_part(
                lb.frontend(&rule.frontend).is_some(),
                "frontend",
                &rule.frontend,
                &element,
                format!("{at}.frontend"),
            );
            self.require_part(
                lb.pool(&rule.backend_pool).is_some(),
                "backend pool",
                &rule.backend_pool,
                &element,
                format!("{at}.backend_pool"),
            );
            match &rule.probe {
                Some(probe) => self.require_part(lb.probe(probe).is_some(), "probe", probe, &element, format!("{at}.probe")),
                None => self.warning(&element, format!("{at}.probe"), "no health probe: every pool member is taken as healthy (Azure Load Balancer rules need a probe to detect a backend's health)".into()),
            }
            let zero_ports = rule.frontend_port == 0 && rule.backend_port == 0;
            match (rule.protocol, zero_ports) {
                (LoadBalancerProtocol::All, true) if !internal => self.error(&element, format!("{at}.protocol"), "HA ports rules (protocol All, ports 0) exist only on internal load balancers".into()),
                (LoadBalancerProtocol::All, false) => self.error(&element, format!("{at}.protocol"), "protocol All is only for an HA ports rule, whose frontend and backend ports are 0".into()),
                (LoadBalancerProtocol::Tcp | LoadBalancerProtocol::Udp, _) if rule.frontend_port == 0 || rule.backend_port == 0 => self.error(&element, format!("{at}.frontend_port"), "port 0 is only for an HA ports rule (protocol All): give ports from 1 to 65535".into()),
                _ => {}
            }
        }
        let mut names = BTreeSet::new();
        for (o, outbound) in lb.outbound_rules.iter().enumerate() {
            let at = format!("{path}.outbound_rules[{o}]");
            let element = format!("{}/{}", lb.name, outbound.name);
            if !names.insert(outbound.name.as_str()) {
                self.error(
                    &element,
                    format!("{at}.name"),
                    format!(
                        "another outbound rule of `{}` is already named `{}`",
                        lb.name, outbound.name
                    ),
                );
            }
            if internal {
                self.error(&element, at.clone(), "outbound rules exist only on public load balancers (an internal load balancer gives no internet identity)".into());
            }
            if outbound.frontends.is_empty() {
                self.error(
                    &element,
                    format!("{at}.frontends"),
                    "an outbound rule needs at least one frontend with a public IP".into(),
                );
            }
            for (f, name) in outbound.frontends.iter().enumerate() {
                self.require_part(
                    lb.frontend(name).is_some(),
                    "frontend",
                    name,
                    &element,
                    format!("{at}.frontends[{f}]"),
                );
            }
            self.require_part(
                lb.pool(&outbound.backend_pool).is_some(),
                "backend pool",
                &outbound.backend_pool,
                &element,
                format!("{at}.backend_pool"),
            );
        }
    }

    /// An error when a part named inside a load balancer is missing.
    fn require_part(&mut self, found: bool, what: &str, name: &str, element: &str, path: String) {
        if !found {
            self.error(
                element,
                path,
                format!("refers to {what} `{name}`, which is not in this load balancer"),
            );
        }
    }

    /// Warns about `VirtualAppliance` routes to an internal frontend that forwards nothing, or
    /// only the protocols and ports of its rules (no HA ports rule).
    fn check_routes_to_frontends(&mut self) {
        let design = self.design;
        for (t, table) in design.route_tables.iter().enumerate() {
            for (r, route) in table.routes.iter().enumerate() {
                let (NextHopType::VirtualAppliance, Some(ip)) =
                    (route.next_hop_type, route.next_hop_ip)
                else {
                    continue;
                };
                let Some((lb, frontend)) = design
                    .load_balancers
                    .iter()
                    .find_map(|lb| lb.frontend_at(ip).map(|f| (lb, f)))
                else {
                    continue;
                };
                let rules: Vec<_> = lb
                    .rules
                    .iter()
                    .filter(|rule| rule.frontend == frontend.name)
                    .collect();
                let element = format!("{}/{}", table.name, route.name);
                let path = format!("$.route_tables[{t}].routes[{r}].next_hop_ip");
                let pools: BTreeSet<&str> = rules
                    .iter()
                    .map(|rule| rule.backend_pool.as_str())
                    .collect();
                let not_forwarding: BTreeSet<&str> = pools
                    .iter()
                    .filter_map(|pool| lb.pool(pool))
                    .flat_map(|pool| &pool.members)
                    .filter(|member| {
                        design.computes.iter().any(|c| {
                            &c.name == *member && c.nic.as_ref().is_some_and(|n| !n.ip_forwarding)
                        })
                    })
                    .map(String::as_str)
                    .collect();
                if !not_forwarding.is_empty() {
                    let list: Vec<&str> = not_forwarding.into_iter().collect();
                    self.warning(&element, path.clone(), format!("next hop {ip} is frontend {} of load balancer {}, whose backends {} do not have IP forwarding enabled: traffic they receive for other addresses is dropped", frontend.name, lb.name, list.join(", ")));
                }
                if rules.is_empty() {
                    self.warning(&element, path, format!("next hop {ip} is frontend {} of load balancer {}, which no load-balancing rule uses: every packet routed there is dropped", frontend.name, lb.name));
                } else if !rules.iter().any(|rule| rule.is_ha_ports()) {
                    let covered: Vec<String> = rules
                        .iter()
                        .map(|rule| format!("{:?} {}", rule.protocol, rule.frontend_port))
                        .collect();
                    self.warning(&element, path, format!("next hop {ip} is frontend {} of load balancer {}, which has no HA ports rule: only {} are forwarded, every other flow routed there is dropped", frontend.name, lb.name, covered.join(", ")));
                }
            }
        }
    }
}
