//! Output order that does not depend on where elements sit in the input: the CLI sorts what
//! the analysis returns by stable keys before printing it in any format, so the same design
//! with its arrays in another order prints the same bytes.

use crate::analysis::catalogue::CATALOGUE;
use crate::analysis::compliance::ComplianceCheck;
use crate::analysis::exfil::{ExfilFinding, ExfilReport, Undetermined};
use crate::analysis::required::RequiredFlow;

/// Findings by path (source, sink, kind, protocol, ports); each finding's fixes by how many
/// required flows they break, then by what they change; `breaks` by name. Undetermined paths
/// by path.
pub fn exfil_report(report: &mut ExfilReport) {
    report
        .findings
        .sort_by(|a, b| finding_key(a).cmp(&finding_key(b)));
    for finding in &mut report.findings {
        for fix in &mut finding.fixes {
            fix.breaks.sort();
            fix.undetermined.sort();
        }
        finding
            .fixes
            .sort_by_cached_key(|fix| (fix.breaks.len(), fix.fix.describe()));
    }
    report
        .undetermined
        .sort_by(|a, b| undetermined_key(a).cmp(&undetermined_key(b)));
}

fn finding_key(finding: &ExfilFinding) -> impl Ord + '_ {
    (
        &finding.source,
        &finding.sink,
        finding.kind,
        finding.protocol,
        finding.ports,
    )
}

fn undetermined_key(path: &Undetermined) -> impl Ord + '_ {
    (
        &path.source,
        &path.sink,
        path.kind,
        path.protocol,
        path.ports,
        &path.reason,
    )
}

/// Required flows in catalogue order, then by key (which names their ends and port).
pub fn required_flows(flows: &mut [RequiredFlow]) {
    flows.sort_by_cached_key(|flow| {
        let entry = CATALOGUE
            .iter()
            .position(|entry| entry.id == flow.entry.id)
            .unwrap_or(CATALOGUE.len());
        (entry, flow.key())
    });
}

/// Compliance checks by resource, then policy.
pub fn compliance_checks(checks: &mut [ComplianceCheck]) {
    checks.sort_by(|a, b| (&a.resource, a.policy).cmp(&(&b.resource, b.policy)));
}
