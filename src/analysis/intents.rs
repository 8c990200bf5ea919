//! Network intents (the Batfish / AWS Network Access Analyzer idea, for AML designs): a
//! checked-in list of what must and must not be reachable, each checked exhaustively and
//! reported with a counter-example trace when it fails.
//!
//! - `must_reach`: every source reaches every destination on every port of the intent;
//! - `must_not_reach`: no source reaches any destination (minus `except`) on any port;
//! - `only_through`: every flow from the sources to the destinations that is allowed passes
//!   the element `through` (e.g. the hub firewall);
//! - `max_open_exfil`: at most this many exfiltration paths (the exhaustive search).
//!
//! Ports are covered exactly as the exfiltration search covers them: the design's port
//! classes ([`super::ports`]) cut by the intent's ranges, one trace per piece. Selectors pick
//! elements of the prepared design (synthetic services and attacker sinks included) by name,
//! kind, subnet, owner or service tag; a selector that matches nothing is an error, never an
//! intent that holds vacuously. Sources and destinations are tried in name order, so the
//! counter-example does not depend on array order.

use crate::model::json_value::to_json_value;
use crate::model::sorting;
use std::collections::BTreeSet;

use serde::Deserialize;

use crate::engine::query::{flow_between, names_element};
use crate::engine::{Engine, Trace, Verdict};
use crate::model::{ComputeKind, Design, Owner, PortRange, Protocol};

use super::ports::{port_classes, PortClass};
use super::required::trace_or_unsupported;
use super::synthetic::prepare;

/// An intents file: `{"intents": [...]}`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IntentFile {
    pub intents: Vec<Intent>,
}

/// One intent: a name and exactly one of the four kinds.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Intent {
    pub name: String,
    #[serde(default)]
    pub must_reach: Option<Reach>,
    #[serde(default)]
    pub must_not_reach: Option<Reach>,
    #[serde(default)]
    pub only_through: Option<Reach>,
    #[serde(default)]
    pub max_open_exfil: Option<usize>,
}

/// Sources, destinations and the ports between them.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Reach {
    pub from: Selector,
    pub to: Selector,
    /// `tcp`, `udp`, `icmp` or `any`; `must_reach` defaults to `tcp`, the others to `any`.
    #[serde(default)]
    pub proto: Option<String>,
    /// Comma-separated ports and ranges (`443,445`, `8704-8710`); `*` (the default) is every
    /// port.
    #[serde(default)]
    pub ports: Option<String>,
    /// Destinations (names, FQDNs, addresses) left out of `to`.
    #[serde(default)]
    pub except: Vec<String>,
    /// `only_through` only: the element (firewall, appliance) every allowed flow passes.
    #[serde(default)]
    pub through: Option<String>,
}

/// Which elements: a name (element, `vnet/subnet`, FQDN or address), a list (any of them),
/// or fields that must all match.
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum Selector {
    Name(String),
    AnyOf(Vec<Selector>),
    Match(SelectorFields),
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SelectorFields {
    /// The element's name.
    #[serde(default)]
    pub element: Option<String>,
    /// `compute` (any compute except appliances), a compute kind (`compute_instance`,
    /// `virtual_machine`…), `storage_account`, `key_vault`, `container_registry`, the same
    /// prefixed `workspace_` for a workspace's own (`workspace_storage_account`…),
    /// `workspace`, `service`, `internet_host` or `on_premises_host`.
    #[serde(default)]
    pub kind: Option<String>,
    /// Computes whose NIC is in this subnet (`vnet/subnet`).
    #[serde(default)]
    pub subnet: Option<String>,
    /// `yours`, `microsoft` or `attacker` (computes and workspaces are yours).
    #[serde(default)]
    pub owner: Option<Owner>,
    /// Services that are members of this service tag.
    #[serde(default)]
    pub service_tag: Option<String>,
}

/// What an intent concluded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IntentStatus {
    Holds,
    Fails,
    /// Some flow it depends on is unsupported and none fails.
    Undetermined,
}

/// A flow that breaks the intent (or, undetermined, one the engine could not decide).
#[derive(Debug, Clone)]
pub struct CounterExample {
    pub from: String,
    pub to: String,
    pub trace: Trace,
}

#[derive(Debug, Clone)]
pub struct IntentResult {
    pub name: String,
    /// `must_reach`, `must_not_reach`, `only_through` or `max_open_exfil`.
    pub kind: &'static str,
    pub status: IntentStatus,
    /// What was checked and found, in one sentence.
    pub summary: String,
    /// Flows traced; for `max_open_exfil`, the paths found (open or undetermined).
    pub checked: usize,
    pub counter_example: Option<CounterExample>,
}

/// A problem in the intents file, at its JSON path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IntentError {
    pub path: String,
    pub message: String,
}

/// Checks every intent against `design`. Errors name the intent's JSON path.
pub fn check(design: &Design, file: &IntentFile) -> Result<Vec<IntentResult>, IntentError> {
    let prepared = prepare(design).design;
    let engine = Engine::new(&prepared);
    let classes = port_classes(&[&prepared]);
    let mut results = Vec::new();
    for (index, intent) in file.intents.iter().enumerate() {
        let path = format!("$.intents[{index}]");
        let kinds = [
            intent.must_reach.is_some(),
            intent.must_not_reach.is_some(),
            intent.only_through.is_some(),
            intent.max_open_exfil.is_some(),
        ];
        if kinds.iter().filter(|k| **k).count() != 1 {
            return Err(IntentError {
                path,
                message: "an intent has exactly one of must_reach, must_not_reach, only_through and max_open_exfil".into(),
            });
        }
        let checker = Checker {
            design: &prepared,
            engine: &engine,
            classes: &classes,
            path: &path,
        };
        let result = if let Some(reach) = &intent.must_reach {
            checker.reach(&intent.name, "must_reach", reach)?
        } else if let Some(reach) = &intent.must_not_reach {
            checker.reach(&intent.name, "must_not_reach", reach)?
        } else if let Some(reach) = &intent.only_through {
            checker.reach(&intent.name, "only_through", reach)?
        } else {
            max_open_exfil(design, &intent.name, intent.max_open_exfil.unwrap_or(0))
        };
        results.push(result);
    }
    Ok(results)
}

struct Checker<'a> {
    design: &'a Design,
    engine: &'a Engine,
    classes: &'a [PortClass],
    path: &'a str,
}

impl Checker<'_> {
    fn error(&self, member: &str, message: String) -> IntentError {
        IntentError {
            path: format!("{}.{member}", self.path),
            message,
        }
    }

    fn reach(
        &self,
        name: &str,
        kind: &'static str,
        reach: &Reach,
    ) -> Result<IntentResult, IntentError> {
        let through = reach.through.as_ref();
        if through.is_some() != (kind == "only_through") {
            return Err(self.error(
                kind,
                "`through` belongs to only_through, which needs it".into(),
            ));
        }
        let sources = self.select(&reach.from, &format!("{kind}.from"))?;
        let destinations: Vec<String> = self
            .select(&reach.to, &format!("{kind}.to"))?
            .into_iter()
            .filter(|d| !reach.except.contains(d))
            .collect();
        if destinations.is_empty() {
            return Err(self.error(
                &format!("{kind}.except"),
                "`except` leaves no destination".into(),
            ));
        }
        if let Some(through) = through {
            if !names_element(self.design, through) {
                return Err(self.error(
                    &format!("{kind}.through"),
                    format!("`{through}` is not an element of the design"),
                ));
            }
        }
        let default_protocol = if kind == "must_reach" { "tcp" } else { "any" };
        let protocol: Protocol = reach
            .proto
            .as_deref()
            .unwrap_or(default_protocol)
            .parse()
            .map_err(|e| self.error(&format!("{kind}.proto"), format!("{e}")))?;
        let ranges = parse_ports(reach.ports.as_deref().unwrap_or("*"))
            .map_err(|message| self.error(&format!("{kind}.ports"), message))?;
        let pieces = pieces(self.classes, protocol, &ranges);
        let mut checked = 0;
        let mut undetermined: Option<CounterExample> = None;
        for source in &sources {
            for destination in &destinations {
                for (piece_protocol, port) in &pieces {
                    let flow =
                        flow_between(self.design, source, destination, *piece_protocol, *port);
                    let trace = trace_or_unsupported(self.engine, &flow);
                    checked += 1;
                    let example = || CounterExample {
                        from: source.clone(),
                        to: destination.clone(),
                        trace: trace.clone(),
                    };
                    if trace.verdict == Verdict::Unsupported {
                        undetermined.get_or_insert_with(example);
                        continue;
                    }
                    let allowed = trace.verdict == Verdict::Allowed;
                    let broken = match (kind, through) {
                        ("must_reach", _) => !allowed,
                        (_, Some(through)) => {
                            allowed && !trace.hops.iter().any(|hop| &hop.element == through)
                        }
                        _ => allowed,
                    };
                    if broken {
                        let summary = format!(
                            "fails: {source} → {destination} {piece_protocol}{} is {}",
                            port.map_or(String::new(), |p| format!(" {p}")),
                            match (kind, through) {
                                ("must_reach", _) => format!("not allowed ({})", trace.verdict),
                                (_, Some(through)) => format!("allowed without passing {through}"),
                                _ => "allowed".to_string(),
                            }
                        );
                        return Ok(IntentResult {
                            name: name.to_string(),
                            kind,
                            status: IntentStatus::Fails,
                            summary,
                            checked,
                            counter_example: Some(example()),
                        });
                    }
                }
            }
        }
        let flows = format!(
            "{} source(s) × {} destination(s) × {} port class(es)",
            sources.len(),
            destinations.len(),
            pieces.len()
        );
        Ok(match undetermined {
            Some(example) => IntentResult {
                name: name.to_string(),
                kind,
                status: IntentStatus::Undetermined,
                summary: format!(
                    "undetermined: {} → {} cannot be decided ({}); no flow of {flows} fails",
                    example.from, example.to, example.trace.reason
                ),
                checked,
                counter_example: Some(example),
            },
            None => IntentResult {
                name: name.to_string(),
                kind,
                status: IntentStatus::Holds,
                summary: format!("holds for {flows}"),
                checked,
                counter_example: None,
            },
        })
    }

    /// The sorted names `selector` picks; an error when it picks nothing.
    fn select(&self, selector: &Selector, member: &str) -> Result<Vec<String>, IntentError> {
        let mut names = BTreeSet::new();
        self.collect(selector, member, &mut names)?;
        if names.is_empty() {
            return Err(self.error(
                member,
                "the selector matches no element (an intent over nothing would hold vacuously)"
                    .into(),
            ));
        }
        Ok(names.into_iter().collect())
    }

    fn collect(
        &self,
        selector: &Selector,
        member: &str,
        names: &mut BTreeSet<String>,
    ) -> Result<(), IntentError> {
        match selector {
            Selector::Name(name) => {
                let is_address = name.parse::<std::net::Ipv4Addr>().is_ok();
                if !is_address && !name.contains('.') && !names_element(self.design, name) {
                    return Err(
                        self.error(member, format!("`{name}` is not an element of the design"))
                    );
                }
                names.insert(name.clone());
            }
            Selector::AnyOf(selectors) => {
                for (index, selector) in selectors.iter().enumerate() {
                    self.collect(selector, &format!("{member}[{index}]"), names)?;
                }
            }
            Selector::Match(fields) => {
                if let Some(kind) = &fields.kind {
                    if !KINDS.contains(&kind.as_str()) {
                        return Err(self.error(
                            &format!("{member}.kind"),
                            format!("unknown kind `{kind}` (known: {})", KINDS.join(", ")),
                        ));
                    }
                }
                names.extend(
                    candidates(self.design)
                        .into_iter()
                        .filter(|candidate| candidate.matches(fields))
                        .map(|candidate| candidate.name),
                );
            }
        }
        Ok(())
    }
}

const KINDS: [&str; 18] = [
    "compute",
    "compute_instance",
    "compute_cluster",
    "virtual_machine",
    "jump_box",
    "aks_node_pool",
    "network_virtual_appliance",
    "storage_account",
    "key_vault",
    "container_registry",
    "workspace_storage_account",
    "workspace_key_vault",
    "workspace_container_registry",
    "workspace",
    "service",
    "external_host",
    "internet_host",
    "on_premises_host",
];

/// An element a selector can pick, with what selectors match on.
struct Candidate {
    name: String,
    kinds: Vec<String>,
    subnet: Option<String>,
    owner: Owner,
    service_tag: Option<String>,
}

impl Candidate {
    fn matches(&self, fields: &SelectorFields) -> bool {
        fields.element.as_ref().is_none_or(|e| e == &self.name)
            && fields.kind.as_ref().is_none_or(|k| self.kinds.contains(k))
            && fields
                .subnet
                .as_ref()
                .is_none_or(|s| self.subnet.as_ref() == Some(s))
            && fields.owner.is_none_or(|o| o == self.owner)
            && fields
                .service_tag
                .as_ref()
                .is_none_or(|t| self.service_tag.as_ref() == Some(t))
    }
}

/// The snake_case name serde gives a kind enum.
fn kind_name(kind: impl serde::Serialize) -> String {
    to_json_value(&kind)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default()
}

fn candidates(design: &Design) -> Vec<Candidate> {
    let mut all = Vec::new();
    for compute in &design.computes {
        let mut kinds = vec![kind_name(compute.kind)];
        if compute.kind != ComputeKind::NetworkVirtualAppliance {
            kinds.push("compute".into());
        }
        all.push(Candidate {
            name: compute.name.clone(),
            kinds,
            subnet: compute.nic.as_ref().map(|nic| nic.subnet.clone()),
            owner: Owner::Yours,
            service_tag: None,
        });
    }
    for resource in &design.resources {
        let mut kinds = vec![kind_name(resource.kind)];
        let associated = design.workspaces.iter().any(|w| {
            [&w.storage_account, &w.key_vault, &w.container_registry]
                .into_iter()
                .any(|name| name.as_deref() == Some(resource.name.as_str()))
        });
        if associated {
            kinds.push(format!("workspace_{}", kind_name(resource.kind)));
        }
        all.push(Candidate {
            name: resource.name.clone(),
            kinds,
            subnet: None,
            owner: resource.owner,
            service_tag: None,
        });
    }
    for workspace in &design.workspaces {
        all.push(Candidate {
            name: workspace.name.clone(),
            kinds: vec!["workspace".into()],
            subnet: None,
            owner: Owner::Yours,
            service_tag: None,
        });
    }
    for service in &design.services {
        all.push(Candidate {
            name: service.name.clone(),
            kinds: vec!["service".into()],
            subnet: None,
            owner: service.owner,
            service_tag: Some(service.service_tag.clone()),
        });
    }
    for host in &design.external_hosts {
        all.push(Candidate {
            name: host.name.clone(),
            kinds: vec![
                "external_host".into(),
                format!("{}_host", kind_name(host.kind)),
            ],
            subnet: None,
            owner: host.owner,
            service_tag: None,
        });
    }
    all
}

/// `443,445,8704-8710` or `*`.
fn parse_ports(text: &str) -> Result<Vec<PortRange>, String> {
    text.split(',')
        .map(|part| {
            part.trim()
                .parse::<PortRange>()
                .map_err(|e| format!("`{part}`: {e}"))
        })
        .collect()
}

/// The flows to trace for `protocol` over `ranges`: each port class of the design cut by the
/// ranges, with a port inside the piece (the class's representative when it falls inside).
fn pieces(
    classes: &[PortClass],
    protocol: Protocol,
    ranges: &[PortRange],
) -> Vec<(Protocol, Option<u16>)> {
    let mut pieces = Vec::new();
    for class in classes
        .iter()
        .filter(|c| protocol == Protocol::Any || c.protocol == protocol)
    {
        let Some(class_ports) = class.ports else {
            pieces.push((class.protocol, None));
            continue;
        };
        let representative = class.representative();
        for range in ranges {
            let first = class_ports.first.max(range.first);
            let last = class_ports.last.min(range.last);
            if first > last {
                continue;
            }
            let port = representative
                .filter(|p| (first..=last).contains(p))
                .unwrap_or(first);
            pieces.push((class.protocol, Some(port)));
        }
    }
    sorting::sort(&mut pieces);
    pieces.dedup();
    pieces
}

fn max_open_exfil(design: &Design, name: &str, max: usize) -> IntentResult {
    let mut report = super::analyse_unverified(design).analysis.exfiltration;
    sorting::sort_by_key(&mut report.findings, |f| f.key());
    let found = report.findings.len();
    let (status, summary) = if found > max {
        (
            IntentStatus::Fails,
            format!("fails: {found} exfiltration path(s) open, at most {max} allowed"),
        )
    } else if !report.undetermined.is_empty() {
        (
            IntentStatus::Undetermined,
            format!(
                "undetermined: {found} path(s) open, {} more undetermined, at most {max} allowed",
                report.undetermined.len()
            ),
        )
    } else {
        (
            IntentStatus::Holds,
            format!("holds: {found} exfiltration path(s) open, at most {max} allowed"),
        )
    };
    let counter_example = (status == IntentStatus::Fails)
        .then(|| report.findings.first())
        .flatten()
        .map(|finding| CounterExample {
            from: finding.source.clone(),
            to: finding.sink.clone(),
            trace: finding.trace.clone(),
        });
    IntentResult {
        name: name.to_string(),
        kind: "max_open_exfil",
        status,
        summary,
        checked: found + report.undetermined.len(),
        counter_example,
    }
}
