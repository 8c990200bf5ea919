//! Exhaustive exfiltration search: every data-holding source (AML computes, VMs, jump boxes,
//! AKS node pools) against every attacker sink (storage in and out of the workspace region,
//! Front Door, an internet host, any attacker endpoint the design models) over every
//! protocol/port class ([`super::ports`]), plus reads of your public endpoints from the
//! internet. Consecutive port classes with the same path are reported as one finding; each
//! finding carries the fixes that close all its ports.

use crate::engine::{paas_fqdn, Engine, Flow, FlowSource, FlowTarget, Hop, Trace, Verdict};
use crate::model::{
    ComputeKind, Design, ManagedIsolationMode, Owner, PaasKind, PortRange, Protocol,
};

use super::fix_verification::FixEvaluator;
use super::fixes::{candidates, PathFacts, VerifiedFix};
use super::ports::{PortClass, WELL_KNOWN_PORTS};
use super::required::{trace_or_unsupported, verdict_or_unsupported};
use super::source_classes::{source_roles, SourceRole};
use super::synthetic::{sinks, Sink, SinkKind};

/// The kind of a finding: data sent to an attacker sink, or read from a public endpoint.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
pub enum PathKind {
    Sink(SinkKind),
    /// The attacker reaches one of your resources' public endpoints from the internet.
    PublicEndpointRead,
}

impl PathKind {
    pub fn as_str(self) -> &'static str {
        match self {
            PathKind::Sink(kind) => kind.as_str(),
            PathKind::PublicEndpointRead => "public-endpoint-read",
        }
    }
}

/// One open path: data can leave `source` for `sink` over `protocol` and `ports`.
#[derive(Debug, Clone)]
pub struct ExfilFinding {
    /// The data-holding element.
    pub source: String,
    /// The attacker's element.
    pub sink: String,
    pub kind: PathKind,
    pub protocol: Protocol,
    /// The ports of the finding (consecutive classes with the same path); `None` for ICMP.
    pub ports: Option<PortRange>,
    /// The traced flow of the first class, and its trace.
    pub trace: Trace,
    /// Every flow of the finding (one per port class), for fix verification.
    pub flows: Vec<Flow>,
    pub fixes: Vec<VerifiedFix>,
}

impl ExfilFinding {
    /// The port traced (the first class's representative).
    pub fn port(&self) -> Option<u16> {
        self.trace.flow.port
    }

    /// Identifies the path across designs.
    pub fn key(&self) -> String {
        path_key(
            &self.source,
            &self.sink,
            self.kind,
            self.protocol,
            self.ports,
        )
    }

    /// The controls the path passed: hops that allowed it with a rule.
    pub fn controls(&self) -> impl Iterator<Item = &Hop> {
        self.trace
            .hops
            .iter()
            .filter(|h| h.outcome == crate::engine::Outcome::Allow && h.rule.is_some())
    }
}

/// A path the engine could not decide (unsupported), reported instead of guessed.
#[derive(Debug, Clone)]
pub struct Undetermined {
    pub source: String,
    pub sink: String,
    pub kind: PathKind,
    pub protocol: Protocol,
    pub ports: Option<PortRange>,
    pub reason: String,
}

impl Undetermined {
    /// Identifies the path across designs, as [`ExfilFinding::key`] does.
    pub fn key(&self) -> String {
        path_key(
            &self.source,
            &self.sink,
            self.kind,
            self.protocol,
            self.ports,
        )
    }
}

/// `source -> sink (kind) proto ports`: a path's identity across designs.
fn path_key(
    source: &str,
    sink: &str,
    kind: PathKind,
    protocol: Protocol,
    ports: Option<PortRange>,
) -> String {
    let ports = ports.map_or("-".to_string(), |p| p.to_string());
    format!("{source} -> {sink} ({}) {protocol} {ports}", kind.as_str())
}

#[derive(Debug, Clone, Default)]
pub struct ExfilReport {
    pub findings: Vec<ExfilFinding>,
    pub undetermined: Vec<Undetermined>,
}

/// Sources that hold data and start flows: every compute except appliances.
fn data_sources(design: &Design) -> Vec<&crate::model::Compute> {
    design
        .computes
        .iter()
        .filter(|c| c.kind != ComputeKind::NetworkVirtualAppliance)
        .filter(|c| c.nic.is_some() || managed_workspace(design, c).is_some())
        .collect()
}

fn managed_workspace<'d>(design: &'d Design, compute: &crate::model::Compute) -> Option<&'d str> {
    let name = compute.workspace.as_ref()?;
    design
        .workspaces
        .iter()
        .find(|w| {
            &w.name == name && w.managed_network.isolation_mode != ManagedIsolationMode::Disabled
        })
        .map(|w| w.name.as_str())
}

fn sink_target(design: &Design, sink: &Sink, port: Option<u16>) -> FlowTarget {
    if sink.storage {
        let sub_resource = if port == Some(445) { "file" } else { "blob" };
        return FlowTarget::Fqdn(paas_fqdn(
            Some(PaasKind::StorageAccount),
            &sink.name,
            sub_resource,
            "",
            design.cloud,
        ));
    }
    FlowTarget::Element(sink.name.clone())
}

/// The path's shape, to merge port classes that follow it identically.
fn signature(
    trace: &Trace,
) -> Vec<(
    crate::engine::Step,
    &str,
    crate::engine::Outcome,
    Option<&str>,
)> {
    trace
        .hops
        .iter()
        .map(|h| {
            (
                h.step,
                h.element.as_str(),
                h.outcome,
                h.rule.as_ref().map(|r| r.name.as_str()),
            )
        })
        .collect()
}

/// A run of port classes with the same outcome, being merged.
struct Run {
    ports: Option<PortRange>,
    trace: Trace,
    flows: Vec<Flow>,
}

impl Run {
    fn adjacent(&self, class: &PortClass) -> bool {
        match (self.ports, class.ports) {
            (Some(previous), Some(next)) => {
                u32::from(previous.last) + 1 == u32::from(next.first)
                    && self.trace.flow.protocol == class.protocol
            }
            _ => false,
        }
    }

    fn extend(&mut self, class: &PortClass, flow: Flow) {
        if let (Some(previous), Some(next)) = (self.ports.as_mut(), class.ports) {
            previous.last = next.last;
        }
        self.flows.push(flow);
    }
}

fn well_known(port: Option<u16>) -> bool {
    port.is_some_and(|p| WELL_KNOWN_PORTS.contains(&p))
}

fn extend_or_start(runs: &mut Vec<Run>, class: &PortClass, flow: Flow, trace: Trace) {
    if let Some(last) = runs.last_mut() {
        let same = last.trace.verdict == trace.verdict
            && last.trace.reason == trace.reason
            && signature(&last.trace) == signature(&trace);
        if same && last.adjacent(class) {
            if well_known(flow.port) && !well_known(last.trace.flow.port) {
                last.trace = trace;
            }
            last.extend(class, flow);
            return;
        }
    }
    runs.push(Run {
        ports: class.ports,
        trace,
        flows: vec![flow],
    });
}

/// Whether a trace's path is open: the flow reaches the sink, or the engine cannot tell.
fn open(verdict: Verdict) -> bool {
    matches!(verdict, Verdict::Allowed | Verdict::Unsupported)
}

/// The open runs of `source` → `sink` over `classes`. Each class is first decided without its
/// explanation ([`Engine::verdict`]); only open paths are traced. A class whose flow the
/// previous verdict covers (its port is in that verdict's port span) is not decided again: it
/// joins the open run, or stays closed, with it.
fn runs_over(engine: &Engine, classes: &[PortClass], source: &str, sink: &Sink) -> Vec<Run> {
    let design = engine.design();
    // Storage accounts and Front Door only speak TCP (HTTPS, HTTP, SMB).
    let tcp_only = sink.storage || sink.kind == SinkKind::AttackerFrontDoor;
    let mut runs: Vec<Run> = Vec::new();
    // The last flow traced, its port span and whether it was open.
    let mut last: Option<(Flow, Option<PortRange>, bool)> = None;
    // An adversary's code ignores the compute's explicit proxy setting.
    let proxied = design
        .computes
        .iter()
        .any(|c| c.name == source && c.explicit_proxy.is_some());
    for class in classes
        .iter()
        .filter(|c| !tcp_only || c.protocol == Protocol::Tcp)
    {
        let port = class.representative();
        let flow = Flow::new(
            FlowSource::Element(source.to_string()),
            sink_target(design, sink, port),
            class.protocol,
            port,
        );
        let flow = if proxied {
            flow.bypassing_proxy()
        } else {
            flow
        };
        if let Some((previous, alike_ports, was_open)) = &last {
            if previous.covers(*alike_ports, &flow) {
                if !was_open {
                    continue;
                }
                let run = runs
                    .last_mut()
                    .expect("an open trace started or joined a run");
                // A well-known port is traced for the run's display unless it shows one already.
                let shown_port_kept = !well_known(port) || well_known(run.trace.flow.port);
                if run.adjacent(class) && shown_port_kept {
                    run.extend(class, flow);
                    continue;
                }
            }
        }
        let outcome = verdict_or_unsupported(engine, &flow);
        let is_open = open(outcome.verdict);
        last = Some((flow.clone(), outcome.alike_ports, is_open));
        if is_open {
            let trace = trace_or_unsupported(engine, &flow);
            extend_or_start(&mut runs, class, flow, trace);
        }
    }
    runs
}

/// Searches the prepared design compiled as `engine`; each finding's candidate fixes are
/// requested from `fixes` (verified afterwards by [`FixEvaluator::verify`]). Alike sources
/// ([`super::source_classes`]) are searched once.
pub fn search(engine: &Engine, classes: &[PortClass], fixes: &mut FixEvaluator) -> ExfilReport {
    search_sources(engine, classes, fixes, SourceGrouping::AlikeWhenItPays)
}

/// How [`search_sources`] treats alike sources ([`super::source_classes`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SourceGrouping {
    /// Grouped when finding them saves more than it costs ([`search`]).
    AlikeWhenItPays,
    /// Always grouped.
    Alike,
    /// Every source searched on its own: the reference the grouping is tested against.
    EachOnItsOwn,
}

/// [`search`], grouping sources as `grouping` says; the report is the same either way.
pub fn search_sources(
    engine: &Engine,
    classes: &[PortClass],
    fixes: &mut FixEvaluator,
    grouping: SourceGrouping,
) -> ExfilReport {
    let design = engine.design();
    let mut report = ExfilReport::default();
    let all_sinks = sinks(design);
    let sources = data_sources(design);
    let roles = match grouping {
        SourceGrouping::AlikeWhenItPays => {
            source_roles(engine, &sources, Some(classes.len() * all_sinks.len()))
        }
        SourceGrouping::Alike => source_roles(engine, &sources, None),
        SourceGrouping::EachOnItsOwn => vec![SourceRole::Searched { shared: false }; sources.len()],
    };
    // The open runs of each searched source that alike sources follow, per sink.
    let mut shared_runs: Vec<Vec<Vec<RunShape>>> = std::iter::repeat_with(Vec::new)
        .take(sources.len())
        .collect();
    for (index, source) in sources.iter().enumerate() {
        let mut shapes = Vec::new();
        for (sink_index, sink) in all_sinks.iter().enumerate() {
            let runs = match roles[index] {
                SourceRole::AlikeTo(searched) => {
                    runs_like(engine, &shared_runs[searched][sink_index], &source.name)
                        .unwrap_or_else(|| runs_over(engine, classes, &source.name, sink))
                }
                SourceRole::Searched { .. } => runs_over(engine, classes, &source.name, sink),
            };
            if roles[index] == (SourceRole::Searched { shared: true }) {
                shapes.push(runs.iter().map(RunShape::of).collect());
            }
            let facts = PathFacts {
                subnet: source.nic.as_ref().map(|n| n.subnet.as_str()),
                compute: Some(source),
                managed_workspace: managed_workspace(design, source),
                to_storage: sink.storage,
                public_target: None,
            };
            collect(
                &mut report,
                runs,
                (&source.name, &sink.name, PathKind::Sink(sink.kind)),
                design,
                fixes,
                &facts,
            );
        }
        shared_runs[index] = shapes;
    }
    public_reads(engine, &all_sinks, &mut report, fixes);
    report
}

/// An open run as an alike source follows it: its ports, the flow its trace shows, its flows
/// and how open it is.
struct RunShape {
    ports: Option<PortRange>,
    shown: Flow,
    flows: Vec<Flow>,
    verdict: Verdict,
}

impl RunShape {
    fn of(run: &Run) -> Self {
        RunShape {
            ports: run.ports,
            shown: run.trace.flow.clone(),
            flows: run.flows.clone(),
            verdict: run.trace.verdict,
        }
    }
}

/// `flow` sent by `source` instead.
fn from_source(flow: &Flow, source: &str) -> Flow {
    Flow {
        source: FlowSource::Element(source.to_string()),
        ..flow.clone()
    }
}

/// The open runs of `source`, alike to the source whose runs are `shapes`: each traced from
/// `source`; `None` when one is not as open as its shape (then `source` is searched itself).
fn runs_like(engine: &Engine, shapes: &[RunShape], source: &str) -> Option<Vec<Run>> {
    shapes
        .iter()
        .map(|shape| {
            let trace = trace_or_unsupported(engine, &from_source(&shape.shown, source));
            (trace.verdict == shape.verdict).then(|| Run {
                ports: shape.ports,
                trace,
                flows: shape.flows.iter().map(|f| from_source(f, source)).collect(),
            })
        })
        .collect()
}

/// [`search`], then the requested fixes verified and attached to their findings.
pub fn search_and_verify(
    engine: &mut Engine,
    classes: &[PortClass],
    mut fixes: FixEvaluator,
) -> ExfilReport {
    let mut report = search(engine, classes, &mut fixes);
    let findings = &report.findings;
    let verified = fixes.verify(engine, |index| findings[index].flows.as_slice());
    for (index, kept) in verified {
        report.findings[index].fixes = kept;
    }
    report
}

fn collect(
    report: &mut ExfilReport,
    runs: Vec<Run>,
    (source, sink, kind): (&str, &str, PathKind),
    design: &Design,
    fixes: &mut FixEvaluator,
    facts: &PathFacts,
) {
    for run in runs {
        match run.trace.verdict {
            Verdict::Allowed => {
                fixes.request(report.findings.len(), candidates(design, facts, &run.trace));
                report.findings.push(ExfilFinding {
                    source: source.to_string(),
                    sink: sink.to_string(),
                    kind,
                    protocol: run.trace.flow.protocol,
                    ports: run.ports,
                    trace: run.trace,
                    flows: run.flows,
                    fixes: Vec::new(),
                });
            }
            _ => report.undetermined.push(Undetermined {
                source: source.to_string(),
                sink: sink.to_string(),
                kind,
                protocol: run.trace.flow.protocol,
                ports: run.ports,
                reason: run.trace.reason,
            }),
        }
    }
}

/// Reads of your storage, key vaults, registries and workspaces from the attacker's internet
/// host (HTTPS): data leaves when a public endpoint lets the attacker in.
fn public_reads(
    engine: &Engine,
    sinks: &[Sink],
    report: &mut ExfilReport,
    fixes: &mut FixEvaluator,
) {
    let design = engine.design();
    let Some(attacker) = sinks.iter().find(|s| s.kind == SinkKind::InternetHost) else {
        return;
    };
    let targets = design
        .resources
        .iter()
        .filter(|r| r.owner == Owner::Yours)
        .map(|r| r.name.as_str())
        .chain(design.workspaces.iter().map(|w| w.name.as_str()));
    let https = PortClass {
        protocol: Protocol::Tcp,
        ports: Some(PortRange::single(443)),
    };
    for target in targets {
        let flow = Flow::new(
            FlowSource::Element(attacker.name.clone()),
            FlowTarget::Element(target.to_string()),
            Protocol::Tcp,
            Some(443),
        );
        if !open(verdict_or_unsupported(engine, &flow).verdict) {
            continue;
        }
        let trace = trace_or_unsupported(engine, &flow);
        let mut runs = Vec::new();
        extend_or_start(&mut runs, &https, flow, trace);
        collect(
            report,
            runs,
            (target, &attacker.name, PathKind::PublicEndpointRead),
            design,
            fixes,
            &PathFacts {
                subnet: None,
                compute: None,
                managed_workspace: None,
                to_storage: false,
                public_target: Some(target),
            },
        );
    }
}
