//! The flows the panel lists, as the analysis reports them: required flows of the AML
//! catalogue bound to the design (required or optional) and open exfiltration paths, each
//! with a stable id (the analysis key, equal across designs so diffs can match them), a label
//! and a purpose line.

use crate::analysis::exfil::ExfilFinding;
use crate::analysis::required::RequiredFlow;
use crate::engine::Flow;

/// What a flow means for the design's owner.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum FlowKind {
    /// Must be allowed for the workspace to work.
    Required,
    /// Reaches something an attacker controls: must be blocked.
    Exfiltration,
    /// Documented but optional (package installs).
    Optional,
}

impl FlowKind {
    pub fn as_str(self) -> &'static str {
        match self {
            FlowKind::Required => "required",
            FlowKind::Exfiltration => "exfiltration",
            FlowKind::Optional => "optional",
        }
    }
}

/// A flow with its id, display label and purpose.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FlowQuestion {
    pub id: String,
    pub label: String,
    /// Why the flow matters: the catalogue purpose or the kind of exfiltration sink.
    pub purpose: String,
    pub kind: FlowKind,
    pub flow: Flow,
}

impl FlowQuestion {
    pub fn required(flow: &RequiredFlow) -> Self {
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
                flow.source, flow.destination, flow.flow.protocol
            ),
            purpose: flow.entry.purpose.to_string(),
            kind,
            flow: flow.flow.clone(),
        }
    }

    pub fn exfiltration(finding: &ExfilFinding) -> Self {
        let ports = finding
            .ports
            .map_or_else(|| "any".to_string(), |p| p.to_string());
        FlowQuestion {
            id: finding.key(),
            label: format!(
                "{} → {} {}/{ports}",
                finding.source, finding.sink, finding.protocol
            ),
            purpose: finding.kind.as_str().to_string(),
            kind: FlowKind::Exfiltration,
            flow: finding.trace.flow.clone(),
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
