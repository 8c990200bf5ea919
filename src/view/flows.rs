//! The flows the panel lists, as the analysis reports them: required flows of the AML
//! catalogue bound to the design (required or optional) and open exfiltration paths, each
//! with a stable id (the analysis key, equal across designs so diffs can match them), a label
//! and a purpose line. An exfiltration path's purpose is one plain sentence saying where data
//! can go, never the analysis's slug.

use crate::analysis::exfil::{ExfilFinding, PathKind};
use crate::analysis::required::RequiredFlow;
use crate::analysis::synthetic::SinkKind;
use crate::engine::Flow;
use crate::model::{PortRange, Protocol};

/// What a flow means for the design's owner.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
pub enum FlowKind {
    /// Must be allowed for the workspace to work.
    Required,
    /// Reaches something an attacker controls: must be blocked.
    Exfiltration,
    /// Documented but optional (package installs).
    Optional,
    /// Asked by the user with the trace form.
    Traced,
}

impl FlowKind {
    pub fn as_str(self) -> &'static str {
        match self {
            FlowKind::Required => "required",
            FlowKind::Exfiltration => "exfiltration",
            FlowKind::Optional => "optional",
            FlowKind::Traced => "traced",
        }
    }
}

/// A flow with its id, display label and purpose.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct FlowQuestion {
    pub id: String,
    pub label: String,
    /// Why the flow matters: the catalogue purpose, or for an exfiltration path a sentence
    /// saying what leaves where.
    pub purpose: String,
    pub kind: FlowKind,
    pub flow: Flow,
    /// For exfiltration paths: the analysis's kind of path (`attacker-storage-same-region`),
    /// a machine-readable tag for attributes, never shown as text.
    pub path_kind: Option<PathKind>,
    /// For exfiltration paths: who gets the data, in words ("an attacker's storage account in
    /// your region").
    pub danger: Option<String>,
}

impl FlowQuestion {
    /// `name_of` says how an element reads ([`display_name`](super::diagram::names::display_name)).
    pub fn required(flow: &RequiredFlow, name_of: &dyn Fn(&str) -> String) -> Self {
        let kind = if flow.entry.required_when.is_optional() {
            FlowKind::Optional
        } else {
            FlowKind::Required
        };
        let port = flow
            .flow
            .port
            .map_or_else(|| "any".to_string(), |p| p.to_string());
        FlowQuestion {
            id: flow.key(),
            label: format!(
                "{} → {} {}/{port}",
                name_of(&flow.source),
                name_of(&flow.destination),
                flow.flow.protocol
            ),
            purpose: flow.entry.purpose.to_string(),
            kind,
            flow: flow.flow.clone(),
            path_kind: None,
            danger: None,
        }
    }

    pub fn exfiltration(finding: &ExfilFinding, name_of: &dyn Fn(&str) -> String) -> Self {
        let ports = finding
            .ports
            .map_or_else(|| "any".to_string(), |p| p.to_string());
        FlowQuestion {
            id: finding.key(),
            label: format!(
                "{} → {} {}/{ports}",
                name_of(&finding.source),
                name_of(&finding.sink),
                finding.protocol
            ),
            purpose: path_sentence(finding),
            kind: FlowKind::Exfiltration,
            flow: finding.trace.flow.clone(),
            path_kind: Some(finding.kind),
            danger: Some(danger(finding.kind, &finding.sink, &finding.source)),
        }
    }

    /// A flow traced with the trace form, the `number`th of the session.
    pub fn traced(flow: Flow, number: usize) -> Self {
        let port = flow
            .port
            .map_or_else(|| "any".to_string(), |p| p.to_string());
        FlowQuestion {
            id: format!("traced-{number}"),
            label: format!(
                "{} → {} {}/{port}",
                flow.source, flow.destination, flow.protocol
            ),
            purpose: "Traced by you: IP flow verify, next hop and NSG diagnostics".to_string(),
            kind: FlowKind::Traced,
            flow,
            path_kind: None,
            danger: None,
        }
    }

    /// The question of a path a change has just closed: its sentence says so.
    pub fn closed(&self) -> FlowQuestion {
        FlowQuestion {
            purpose: format!("Closed by your change. Before it: {}", self.purpose),
            ..self.clone()
        }
    }

    /// The id as a token for `data-testid` and element ids: `ci-roguestorage-tcp-443`.
    pub fn slug(&self) -> String {
        let mut slug = String::new();
        for c in self.id.chars() {
            if c.is_ascii_alphanumeric() {
                slug.push(c.to_ascii_lowercase());
            } else if !slug.ends_with('-') {
                slug.push('-');
            }
        }
        slug.trim_matches('-').to_string()
    }
}

/// Who gets the data of a path, in words: "an attacker's storage account in your region".
fn danger(kind: PathKind, sink: &str, source: &str) -> String {
    match kind {
        PathKind::Sink(SinkKind::AttackerStorageSameRegion) => {
            "an attacker's storage account in your region".to_string()
        }
        PathKind::Sink(SinkKind::AttackerStorageOtherRegion) => {
            "an attacker's storage account in another region".to_string()
        }
        PathKind::Sink(SinkKind::AttackerFrontDoor) => {
            "an attacker's Front Door endpoint".to_string()
        }
        PathKind::Sink(SinkKind::AttackerService) => format!("{sink}, which an attacker owns"),
        PathKind::Sink(SinkKind::InternetHost) => {
            "an attacker's server on the internet".to_string()
        }
        PathKind::Sink(SinkKind::CrossTenantPrivateEndpoint) => {
            format!(
                "{sink}, an attacker's resource in another tenant, through your private endpoint"
            )
        }
        PathKind::PublicEndpointRead => format!("anyone on the internet, who can read {source}"),
    }
}

/// "TCP port 443", "TCP ports 0-442", "any TCP port", "ICMP".
fn ports_in_words(protocol: Protocol, ports: Option<PortRange>) -> String {
    let protocol = protocol.to_string().to_ascii_uppercase();
    match ports {
        None => protocol,
        Some(PortRange::ANY) => format!("any {protocol} port"),
        Some(range) if range.first == range.last => format!("{protocol} port {}", range.first),
        Some(range) => format!("{protocol} ports {range}"),
    }
}

/// One plain sentence for a path: "Data on ci-notebook can leave over TCP port 443 to an
/// attacker's storage account in your region."
fn path_sentence(finding: &ExfilFinding) -> String {
    let ports = ports_in_words(finding.protocol, finding.ports);
    match finding.kind {
        PathKind::PublicEndpointRead => format!(
            "An attacker on the internet can read {} through its public endpoint over {ports}.",
            finding.source
        ),
        PathKind::Sink(_) => format!(
            "Data on {} can leave over {ports} to {}.",
            finding.source,
            danger(finding.kind, &finding.sink, &finding.source)
        ),
    }
}
