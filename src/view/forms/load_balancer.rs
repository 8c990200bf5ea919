//! Drafts of the load balancer editor: a frontend (a private address in a subnet, or a public
//! IP), a backend pool (the computes whose NIC is a member), a health probe, a load-balancing
//! rule (TCP / UDP with ports, or HA ports) and a public load balancer's outbound rule. Each
//! parses against the load balancer it belongs to and the design, so that a name the rule
//! refers to, an address outside its subnet or a member without a NIC is reported on its
//! field, in the words of the form.

use crate::model::sorting;
use std::net::Ipv4Addr;

use crate::engine::is_public;
use crate::model::{
    BackendPool, Design, Frontend, HealthProbe, LoadBalancer, LoadBalancerOutboundRule,
    LoadBalancerProtocol, LoadBalancingRule, NoHealthyBackends, ProbeProtocol,
};

use super::{items, name, Errors};
use crate::view::edit::FieldError;

/// The rule form's protocol choices: HA ports is protocol `All` with ports 0.
pub const LB_RULE_PROTOCOLS: [&str; 3] = ["Tcp", "Udp", HA_PORTS];

/// The protocol choice of an HA ports rule (every TCP and UDP flow on every port).
pub const HA_PORTS: &str = "HA ports";

/// The outbound rule form's protocol choices.
pub const LB_OUTBOUND_PROTOCOLS: [&str; 3] = ["Tcp", "Udp", "All"];

/// The health probe form's protocol choices.
pub const PROBE_PROTOCOLS: [&str; 3] = ["Tcp", "Http", "Https"];

/// What a rule does when every probe fails, as the probe form offers it.
pub const NO_HEALTHY_BACKENDS: [&str; 2] = ["AllProbedDown", "AllProbedUp"];

/// The probe choice of a rule without a health probe.
pub const NO_PROBE: &str = "none";

/// A frontend IP configuration as typed: `subnet` and `private_ip` for an internal load
/// balancer, `public_ip` for a public one.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FrontendDraft {
    pub name: String,
    pub subnet: String,
    pub private_ip: String,
    pub public_ip: String,
}

/// A backend pool as typed: members as a comma-separated list of compute names.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PoolDraft {
    pub name: String,
    pub members: String,
}

/// A health probe as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ProbeDraft {
    pub name: String,
    pub protocol: String,
    pub port: String,
    pub no_healthy_backends: String,
}

/// A load-balancing rule as typed; the ports are ignored for HA ports.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LbRuleDraft {
    pub name: String,
    pub frontend: String,
    pub backend_pool: String,
    /// One of [`LB_RULE_PROTOCOLS`].
    pub protocol: String,
    pub frontend_port: String,
    pub backend_port: String,
    /// A probe's name or [`NO_PROBE`].
    pub probe: String,
}

/// An outbound rule as typed: frontends as a comma-separated list of frontend names.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OutboundRuleDraft {
    pub name: String,
    pub frontends: String,
    pub backend_pool: String,
    pub protocol: String,
}

/// The `vnet/subnet` names of the design, for the frontend form's subnet choice.
pub fn subnet_ids(design: &Design) -> Vec<String> {
    design
        .virtual_networks
        .iter()
        .flat_map(|v| {
            v.subnets
                .iter()
                .map(move |s| format!("{}/{}", v.name, s.name))
        })
        .collect()
}

/// The computes that can be pool members: those with a NIC in a subnet of the design, by name.
pub fn pool_candidates(design: &Design) -> Vec<String> {
    let subnets = subnet_ids(design);
    let mut names: Vec<String> = design
        .computes
        .iter()
        .filter(|c| {
            c.nic
                .as_ref()
                .is_some_and(|nic| subnets.contains(&nic.subnet))
        })
        .map(|c| c.name.clone())
        .collect();
    sorting::sort(&mut names);
    names
}

/// A port from 1 to 65535, or a message naming the field.
fn port(errors: &mut Errors, field: &'static str, label: &str, text: &str) -> u16 {
    match text.trim().parse::<u16>() {
        Ok(port) if port > 0 => port,
        _ => {
            errors.add(
                field,
                format!(
                    "the {label} is a number from 1 to 65535 (`{}`)",
                    text.trim()
                ),
            );
            0
        }
    }
}

fn protocol(text: &str) -> Option<LoadBalancerProtocol> {
    Some(match text.trim().to_ascii_lowercase().as_str() {
        "tcp" => LoadBalancerProtocol::Tcp,
        "udp" => LoadBalancerProtocol::Udp,
        "all" => LoadBalancerProtocol::All,
        _ => return None,
    })
}

/// `name` must not be taken by another part of the list (`index` is the part being edited).
fn unique<'a>(
    errors: &mut Errors,
    names: impl Iterator<Item = &'a str>,
    index: Option<usize>,
    name: &str,
    what: &str,
) {
    let taken = names
        .enumerate()
        .any(|(i, other)| Some(i) != index && other == name);
    if taken {
        errors.add("name", format!("another {what} is already named `{name}`"));
    }
}

impl FrontendDraft {
    pub fn of(frontend: &Frontend) -> Self {
        let text = |ip: Option<Ipv4Addr>| ip.map(|ip| ip.to_string()).unwrap_or_default();
        FrontendDraft {
            name: frontend.name.clone(),
            subnet: frontend.subnet.clone().unwrap_or_default(),
            private_ip: text(frontend.private_ip),
            public_ip: text(frontend.public_ip),
        }
    }

    /// A new frontend of `lb`: for an internal one, a free address in its main frontend's
    /// subnet; for a public one, an empty public IP to fill in.
    pub fn new_frontend(design: &Design, lb: &LoadBalancer) -> Self {
        let taken: Vec<&str> = lb.frontends.iter().map(|f| f.name.as_str()).collect();
        let name = crate::view::policy_edit::unused_name("frontend", &taken);
        match lb.main_frontend().and_then(|f| f.subnet.clone()) {
            Some(subnet) => FrontendDraft {
                name,
                private_ip: crate::view::toggles::free_address(design, &subnet)
                    .map(|ip| ip.to_string())
                    .unwrap_or_default(),
                subnet,
                public_ip: String::new(),
            },
            None => FrontendDraft {
                name,
                ..FrontendDraft::default()
            },
        }
    }

    /// Parses frontend `index` of `lb` (`None` for a new one): a private address must be in
    /// its subnet and a private one, a public IP a public one, and not both.
    pub fn parse(
        &self,
        design: &Design,
        lb: &LoadBalancer,
        index: Option<usize>,
    ) -> Result<Frontend, Vec<FieldError>> {
        let mut errors = Errors::default();
        let name = name(&mut errors, &self.name, "frontend");
        unique(
            &mut errors,
            lb.frontends.iter().map(|f| f.name.as_str()),
            index,
            &name,
            "frontend",
        );
        let address = |errors: &mut Errors, field: &'static str, text: &str| {
            let text = text.trim();
            if text.is_empty() {
                return None;
            }
            let parsed = text.parse::<Ipv4Addr>();
            if parsed.is_err() {
                errors.add(field, format!("`{text}` is not an IPv4 address"));
            }
            parsed.ok()
        };
        let private_ip = address(&mut errors, "private_ip", &self.private_ip);
        let public_ip = address(&mut errors, "public_ip", &self.public_ip);
        let subnet = self.subnet.trim().to_string();
        let mut frontend = Frontend {
            name,
            subnet: None,
            private_ip: None,
            public_ip: None,
        };
        let typed = |text: &str| !text.trim().is_empty();
        match (typed(&self.private_ip), typed(&self.public_ip)) {
            (true, true) => errors.add(
                "public_ip",
                "a frontend has either a private IP (internal) or a public IP (public), not both",
            ),
            // A frontend without a subnet is a public load balancer's: its form asks for the
            // public IP.
            (false, false) if subnet.is_empty() => {
                errors.add("public_ip", "give the frontend's public IP address")
            }
            (false, false) => errors.add("private_ip", "give the frontend's private IP address"),
            (true, false) => {
                let prefix = design
                    .virtual_networks
                    .iter()
                    .flat_map(|v| v.subnets.iter().map(move |s| (v, s)))
                    .find(|(v, s)| format!("{}/{}", v.name, s.name) == subnet)
                    .map(|(_, s)| s.prefix);
                match (prefix, private_ip) {
                    (None, _) => errors.add(
                        "subnet",
                        format!("`{subnet}` is not a subnet of the design (pick vnet/subnet)"),
                    ),
                    (Some(prefix), Some(ip)) if !prefix.contains(&ip) => errors.add(
                        "private_ip",
                        format!("{ip} is not in subnet {subnet} ({prefix})"),
                    ),
                    _ => {}
                }
                frontend.subnet = Some(subnet);
                frontend.private_ip = private_ip;
            }
            (false, true) => {
                if let Some(ip) = public_ip.filter(|ip| !is_public(*ip)) {
                    errors.add(
                        "public_ip",
                        format!("{ip} is not a public address (a public frontend holds an Azure public IP)"),
                    );
                }
                frontend.public_ip = public_ip;
            }
        }
        errors.finish(frontend)
    }
}

impl PoolDraft {
    pub fn of(pool: &BackendPool) -> Self {
        PoolDraft {
            name: pool.name.clone(),
            members: pool.members.join(", "),
        }
    }

    pub fn new_pool(lb: &LoadBalancer) -> Self {
        let taken: Vec<&str> = lb.backend_pools.iter().map(|p| p.name.as_str()).collect();
        PoolDraft {
            name: crate::view::policy_edit::unused_name("pool", &taken),
            members: String::new(),
        }
    }

    /// Parses pool `index` of `lb`: every member must be a compute with a NIC in the design.
    pub fn parse(
        &self,
        design: &Design,
        lb: &LoadBalancer,
        index: Option<usize>,
    ) -> Result<BackendPool, Vec<FieldError>> {
        let mut errors = Errors::default();
        let name = name(&mut errors, &self.name, "backend pool");
        unique(
            &mut errors,
            lb.backend_pools.iter().map(|p| p.name.as_str()),
            index,
            &name,
            "backend pool",
        );
        let candidates = pool_candidates(design);
        let mut members: Vec<String> = Vec::new();
        for member in items(&self.members) {
            if !candidates.iter().any(|c| c == member) {
                let why = if design.computes.iter().any(|c| c.name == member) {
                    "has no NIC in a subnet of the design, so it cannot be a backend"
                } else {
                    "is not a compute of the design"
                };
                errors.add("members", format!("`{member}` {why}"));
            } else if !members.iter().any(|m| m == member) {
                members.push(member.to_string());
            }
        }
        errors.finish(BackendPool { name, members })
    }
}

impl ProbeDraft {
    pub fn of(probe: &HealthProbe) -> Self {
        ProbeDraft {
            name: probe.name.clone(),
            protocol: format!("{:?}", probe.protocol),
            port: probe.port.to_string(),
            no_healthy_backends: format!("{:?}", probe.no_healthy_backends),
        }
    }

    /// A new TCP probe on port 22 (an appliance's SSH, the usual choice for NVAs).
    pub fn new_probe(lb: &LoadBalancer) -> Self {
        let taken: Vec<&str> = lb.probes.iter().map(|p| p.name.as_str()).collect();
        ProbeDraft {
            name: crate::view::policy_edit::unused_name("probe", &taken),
            protocol: "Tcp".to_string(),
            port: "22".to_string(),
            no_healthy_backends: "AllProbedDown".to_string(),
        }
    }

    pub fn parse(
        &self,
        lb: &LoadBalancer,
        index: Option<usize>,
    ) -> Result<HealthProbe, Vec<FieldError>> {
        let mut errors = Errors::default();
        let name = name(&mut errors, &self.name, "probe");
        unique(
            &mut errors,
            lb.probes.iter().map(|p| p.name.as_str()),
            index,
            &name,
            "probe",
        );
        let protocol = match self.protocol.trim().to_ascii_lowercase().as_str() {
            "tcp" => ProbeProtocol::Tcp,
            "http" => ProbeProtocol::Http,
            "https" => ProbeProtocol::Https,
            _ => {
                errors.add("protocol", "the probe's protocol is Tcp, Http or Https");
                ProbeProtocol::Tcp
            }
        };
        let port = port(&mut errors, "port", "probe port", &self.port);
        let no_healthy_backends = match self
            .no_healthy_backends
            .trim()
            .to_ascii_lowercase()
            .as_str()
        {
            "allprobeddown" => NoHealthyBackends::AllProbedDown,
            "allprobedup" => NoHealthyBackends::AllProbedUp,
            _ => {
                errors.add(
                    "no_healthy_backends",
                    "with every member down the rule is AllProbedDown or AllProbedUp",
                );
                NoHealthyBackends::AllProbedDown
            }
        };
        errors.finish(HealthProbe {
            name,
            protocol,
            port,
            no_healthy_backends,
        })
    }
}

impl LbRuleDraft {
    pub fn of(rule: &LoadBalancingRule) -> Self {
        LbRuleDraft {
            name: rule.name.clone(),
            frontend: rule.frontend.clone(),
            backend_pool: rule.backend_pool.clone(),
            protocol: if rule.is_ha_ports() {
                HA_PORTS.to_string()
            } else {
                format!("{:?}", rule.protocol)
            },
            frontend_port: rule.frontend_port.to_string(),
            backend_port: rule.backend_port.to_string(),
            probe: rule.probe.clone().unwrap_or_else(|| NO_PROBE.to_string()),
        }
    }

    /// A new rule of `lb` on its main frontend, first pool and first probe: HA ports on an
    /// internal load balancer, TCP 443 on a public one.
    pub fn new_rule(lb: &LoadBalancer) -> Self {
        let taken: Vec<&str> = lb.rules.iter().map(|r| r.name.as_str()).collect();
        let internal = lb.is_internal();
        LbRuleDraft {
            name: crate::view::policy_edit::unused_name(
                if internal { "ha-ports" } else { "rule" },
                &taken,
            ),
            frontend: lb
                .main_frontend()
                .map(|f| f.name.clone())
                .unwrap_or_default(),
            backend_pool: lb
                .backend_pools
                .first()
                .map(|p| p.name.clone())
                .unwrap_or_default(),
            protocol: if internal { HA_PORTS } else { "Tcp" }.to_string(),
            frontend_port: if internal { "0" } else { "443" }.to_string(),
            backend_port: if internal { "0" } else { "443" }.to_string(),
            probe: lb
                .probes
                .first()
                .map_or_else(|| NO_PROBE.to_string(), |p| p.name.clone()),
        }
    }

    /// Whether the draft is an HA ports rule (its port fields are not used).
    pub fn is_ha_ports(&self) -> bool {
        self.protocol.trim().eq_ignore_ascii_case(HA_PORTS)
    }

    /// Parses rule `index` of `lb`: its frontend, pool and probe must be parts of `lb`; HA
    /// ports only on an internal load balancer.
    pub fn parse(
        &self,
        lb: &LoadBalancer,
        index: Option<usize>,
    ) -> Result<LoadBalancingRule, Vec<FieldError>> {
        let mut errors = Errors::default();
        let name = name(&mut errors, &self.name, "rule");
        unique(
            &mut errors,
            lb.rules.iter().map(|r| r.name.as_str()),
            index,
            &name,
            "rule",
        );
        let frontend = self.frontend.trim().to_string();
        if lb.frontend(&frontend).is_none() {
            errors.add(
                "frontend",
                format!("`{frontend}` is not a frontend of {}", lb.name),
            );
        }
        let backend_pool = self.backend_pool.trim().to_string();
        if lb.pool(&backend_pool).is_none() {
            errors.add(
                "backend_pool",
                if lb.backend_pools.is_empty() {
                    format!("{} has no backend pool yet: add one first", lb.name)
                } else {
                    format!("`{backend_pool}` is not a backend pool of {}", lb.name)
                },
            );
        }
        let probe = match self.probe.trim() {
            text if lb.probe(text).is_some() => Some(text.to_string()),
            text if text.is_empty() || text.eq_ignore_ascii_case(NO_PROBE) => None,
            text => {
                errors.add(
                    "probe",
                    format!("`{text}` is not a health probe of {}", lb.name),
                );
                None
            }
        };
        let (protocol, frontend_port, backend_port) = if self.is_ha_ports() {
            if !lb.is_internal() {
                errors.add(
                    "protocol",
                    "HA ports rules exist only on internal load balancers (private frontends)",
                );
            }
            (LoadBalancerProtocol::All, 0, 0)
        } else {
            let protocol = match protocol(&self.protocol) {
                Some(p @ (LoadBalancerProtocol::Tcp | LoadBalancerProtocol::Udp)) => p,
                _ => {
                    errors.add(
                        "protocol",
                        format!("the protocol is {}", LB_RULE_PROTOCOLS.join(", ")),
                    );
                    LoadBalancerProtocol::Tcp
                }
            };
            (
                protocol,
                port(
                    &mut errors,
                    "frontend_port",
                    "frontend port",
                    &self.frontend_port,
                ),
                port(
                    &mut errors,
                    "backend_port",
                    "backend port",
                    &self.backend_port,
                ),
            )
        };
        errors.finish(LoadBalancingRule {
            name,
            frontend,
            backend_pool,
            protocol,
            frontend_port,
            backend_port,
            probe,
        })
    }
}

impl OutboundRuleDraft {
    pub fn of(rule: &LoadBalancerOutboundRule) -> Self {
        OutboundRuleDraft {
            name: rule.name.clone(),
            frontends: rule.frontends.join(", "),
            backend_pool: rule.backend_pool.clone(),
            protocol: format!("{:?}", rule.protocol),
        }
    }

    /// A new outbound rule for every protocol, on `lb`'s main frontend and first pool.
    pub fn new_rule(lb: &LoadBalancer) -> Self {
        let taken: Vec<&str> = lb.outbound_rules.iter().map(|r| r.name.as_str()).collect();
        OutboundRuleDraft {
            name: crate::view::policy_edit::unused_name("outbound", &taken),
            frontends: lb
                .main_frontend()
                .map(|f| f.name.clone())
                .unwrap_or_default(),
            backend_pool: lb
                .backend_pools
                .first()
                .map(|p| p.name.clone())
                .unwrap_or_default(),
            protocol: "All".to_string(),
        }
    }

    /// Parses outbound rule `index` of `lb`: only a public load balancer has them; its
    /// frontends and pool must be parts of `lb`.
    pub fn parse(
        &self,
        lb: &LoadBalancer,
        index: Option<usize>,
    ) -> Result<LoadBalancerOutboundRule, Vec<FieldError>> {
        let mut errors = Errors::default();
        let name = name(&mut errors, &self.name, "outbound rule");
        unique(
            &mut errors,
            lb.outbound_rules.iter().map(|r| r.name.as_str()),
            index,
            &name,
            "outbound rule",
        );
        if lb.is_internal() {
            errors.add(
                "name",
                "outbound rules exist only on public load balancers (an internal one gives no internet identity)",
            );
        }
        let frontends: Vec<String> = items(&self.frontends)
            .into_iter()
            .map(str::to_string)
            .collect();
        if frontends.is_empty() {
            errors.add(
                "frontends",
                "pick at least one frontend (its public IP is the pool's identity)",
            );
        }
        if let Some(unknown) = frontends.iter().find(|f| lb.frontend(f).is_none()) {
            errors.add(
                "frontends",
                format!("`{unknown}` is not a frontend of {}", lb.name),
            );
        }
        let backend_pool = self.backend_pool.trim().to_string();
        if lb.pool(&backend_pool).is_none() {
            errors.add(
                "backend_pool",
                format!("`{backend_pool}` is not a backend pool of {}", lb.name),
            );
        }
        let protocol = protocol(&self.protocol).unwrap_or_else(|| {
            errors.add("protocol", "the protocol is Tcp, Udp or All");
            LoadBalancerProtocol::All
        });
        errors.finish(LoadBalancerOutboundRule {
            name,
            frontends,
            backend_pool,
            protocol,
        })
    }
}
