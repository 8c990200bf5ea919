//! What-if diff of two designs (or one design before and after a change): required flows
//! broken or repaired, other required-flow verdict changes, and exfiltration paths opened or
//! closed. Both designs are analysed on the same port classes so paths compare one to one.

use crate::model::sorting;
use std::collections::BTreeMap;

use crate::engine::Verdict;
use crate::model::Design;

use super::{analyse_with_classes, ports::port_classes, Analysis};

/// A required flow whose verdict differs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerdictChange {
    /// `entry@source:port`.
    pub key: String,
    /// `None` when the flow is not required in that design.
    pub before: Option<Verdict>,
    pub after: Option<Verdict>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DesignDiff {
    /// Every required flow whose verdict changed (including flows required in one design only).
    pub changed: Vec<VerdictChange>,
    /// Required flows that passed before and do not pass after.
    pub broken: Vec<String>,
    /// Required flows that did not pass before and pass after.
    pub repaired: Vec<String>,
    /// Exfiltration path keys found only after.
    pub opened: Vec<String>,
    /// Exfiltration path keys found only before.
    pub closed: Vec<String>,
    /// What the after design leaves undetermined, sorted: its undetermined path keys and its
    /// (non-optional) required flows with an unsupported verdict. A regression check cannot vouch for them.
    pub undetermined: Vec<String>,
}

fn verdicts(analysis: &Analysis) -> BTreeMap<String, Verdict> {
    analysis
        .required
        .iter()
        .map(|f| (f.key(), f.trace.verdict))
        .collect()
}

fn paths(analysis: &Analysis) -> Vec<String> {
    let mut keys: Vec<String> = analysis
        .exfiltration
        .findings
        .iter()
        .map(|f| f.key())
        .collect();
    sorting::sort(&mut keys);
    keys.dedup();
    keys
}

/// Compares `before` and `after`.
pub fn diff(before: &Design, after: &Design) -> DesignDiff {
    let classes = port_classes(&[before, after]);
    let a = analyse_with_classes(before, &classes);
    let b = analyse_with_classes(after, &classes);
    let (before_verdicts, after_verdicts) = (verdicts(&a), verdicts(&b));
    let mut result = DesignDiff::default();
    let mut keys: Vec<&String> = before_verdicts
        .keys()
        .chain(after_verdicts.keys())
        .collect();
    sorting::sort(&mut keys);
    keys.dedup();
    for key in keys {
        let (old, new) = (
            before_verdicts.get(key).copied(),
            after_verdicts.get(key).copied(),
        );
        if old == new {
            continue;
        }
        let allowed = |v: Option<Verdict>| v == Some(Verdict::Allowed);
        if allowed(old) && new.is_some() {
            result.broken.push(key.clone());
        }
        if !allowed(old) && allowed(new) && old.is_some() {
            result.repaired.push(key.clone());
        }
        result.changed.push(VerdictChange {
            key: key.clone(),
            before: old,
            after: new,
        });
    }
    let (old_paths, new_paths) = (paths(&a), paths(&b));
    result.opened = new_paths
        .iter()
        .filter(|k| !old_paths.contains(k))
        .cloned()
        .collect();
    result.closed = old_paths
        .iter()
        .filter(|k| !new_paths.contains(k))
        .cloned()
        .collect();
    result.undetermined = b
        .exfiltration
        .undetermined
        .iter()
        .map(|u| u.key())
        .chain(
            b.failing_required()
                .filter(|f| f.trace.verdict == Verdict::Unsupported)
                .map(|f| f.key()),
        )
        .collect();
    sorting::sort(&mut result.undetermined);
    result.undetermined.dedup();
    result
}
