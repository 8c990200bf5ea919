//! Fix verification: every distinct candidate fix is applied once and kept for the findings
//! whose flows it all stops, with the required flows it breaks.
//!
//! A fix costs what it changes. One that only edits the rules of existing NSGs (a tag narrowed
//! or removed, a deny rule added to a subnet's NSG) is applied to the prepared design's engine
//! in place — only the edited NSGs are recompiled, and undone afterwards — and its impact
//! re-evaluates only the required flows whose trace crosses one of those NSGs: the walk reads
//! an NSG's rules only when it evaluates that NSG, which always records a hop naming it, so a
//! flow that crossed none of them has the same verdict. One that only edits one subnet's
//! service endpoints, service endpoint policies or default outbound access (the two most
//! common candidates of a large design with the NSG deny rule) is applied the same way
//! ([`Engine::edit_subnet`] recompiles that subnet's routes alone), and re-evaluates the
//! flows whose trace names the subnet (every route decision, service endpoint and egress
//! there records a hop naming it), its NSG, or a compute in it or its NIC NSG (a reply routed
//! from a destination in the subnet records no hop of its own). Any other fix is applied to a copy of the design, compiled with
//! [`Engine::derive`] (sharing the compiled NSGs and subnet routes it cannot affect), and its
//! impact re-evaluates every required flow that passed. Both ways are exact: the tests below
//! compare them with verification without the shortcut on every scenario and on generated
//! hub-spoke designs.

use crate::model::sorting;
use std::collections::{BTreeMap, BTreeSet};

use crate::engine::{Engine, Flow, Verdict};
use crate::model::{Design, Firewall, FirewallPolicy, NetworkSecurityGroup, PortRange};

use super::fixes::{Change, Fix, Positions, VerifiedFix};
use super::required::{self, verdict_or_unsupported, RequiredFlow};

/// Required flows that passed before and fail (or cannot be decided) after a fix.
#[derive(Debug, Clone, Default)]
struct Impact {
    breaks: Vec<String>,
    undetermined: Vec<String>,
}

/// Verifies candidate fixes in one pass once every finding is known: each distinct fix is
/// applied once, checked against every finding that proposed it, and undone before the next,
/// so at most one fixed copy is alive at a time.
pub struct FixEvaluator {
    /// The required flows that pass on the prepared design (key, flow), in catalogue order.
    passing: Vec<(String, Flow)>,
    /// Per element a passing flow's trace names (an NSG among them), the indices in `passing`
    /// of those flows, ascending.
    crossing: BTreeMap<String, Vec<usize>>,
    /// Per finding (by index), its candidates in order.
    requests: Vec<(usize, Vec<Fix>)>,
    /// Whether NSG-only fixes take the in-place path (off only to test that it is exact).
    shortcuts: bool,
}

impl FixEvaluator {
    /// `baseline` are the required flows of the prepared design.
    pub fn new(baseline: &[RequiredFlow]) -> Self {
        let passing: Vec<&RequiredFlow> = baseline.iter().filter(|f| f.passes()).collect();
        let mut crossing: BTreeMap<String, Vec<usize>> = BTreeMap::new();
        for (index, flow) in passing.iter().enumerate() {
            for hop in &flow.trace.hops {
                let indices = crossing.entry(hop.element.clone()).or_default();
                if indices.last() != Some(&index) {
                    indices.push(index);
                }
            }
        }
        FixEvaluator {
            passing: passing.iter().map(|f| (f.key(), f.flow.clone())).collect(),
            crossing,
            requests: Vec::new(),
            shortcuts: true,
        }
    }

    /// Records the candidates of finding `finding` (its index in the report).
    pub fn request(&mut self, finding: usize, candidates: Vec<Fix>) {
        if !candidates.is_empty() {
            self.requests.push((finding, candidates));
        }
    }

    /// The candidates recorded so far, per finding, to verify later with another evaluator
    /// on the same engine (see [`super::verify_fixes`]).
    pub fn into_requests(self) -> Vec<(usize, Vec<Fix>)> {
        self.requests
    }

    /// Verifies every requested candidate on `engine`, the prepared design compiled (fixes
    /// are patched into it and undone, so it is given back as it came): for each finding,
    /// `flows(finding)` are the flows the fix must all stop. Returns, per finding index, the
    /// fixes kept, in candidate order.
    pub fn verify<'f>(
        self,
        engine: &mut Engine,
        flows: impl Fn(usize) -> &'f [Flow],
    ) -> BTreeMap<usize, Vec<VerifiedFix>> {
        // fix → (request, candidate position) pairs proposing it.
        let mut by_fix: BTreeMap<&Fix, Vec<(usize, usize)>> = BTreeMap::new();
        for (r, (_, candidates)) in self.requests.iter().enumerate() {
            for (c, fix) in candidates.iter().enumerate() {
                by_fix.entry(fix).or_default().push((r, c));
            }
        }
        let mut kept: Vec<Vec<Option<VerifiedFix>>> = self
            .requests
            .iter()
            .map(|(_, candidates)| vec![None; candidates.len()])
            .collect();
        if by_fix.is_empty() {
            return BTreeMap::new();
        }
        // NSG-only and subnet-only fixes are patched into `engine` and out again; other fixes
        // are applied to a working copy of the design (made when first needed) and undone.
        let mut working: Option<Design> = None;
        let at = Positions::of(engine.design());
        for (fix, uses) in by_fix {
            let nsgs_only = self
                .shortcuts
                .then(|| fix.nsgs_edited_only(engine.design(), &at))
                .flatten();
            let subnet_only = self.shortcuts.then(|| fix.subnet_edited_only()).flatten();
            if let Some(subnet) = subnet_only {
                let edited = engine.edit_subnet(subnet, |design| {
                    fix.changes
                        .iter()
                        .all(|change| change.apply_at(design, &at))
                });
                if let Some((applied, edit)) = edited {
                    if applied {
                        let crossing = self.crossing_subnet(engine.design(), subnet);
                        self.keep(fix, &uses, engine, &flows, &mut kept, || {
                            self.tally_passing(engine, &crossing)
                        });
                    }
                    engine.restore_subnet(edit);
                    continue;
                }
            }
            if let Some(nsgs) = nsgs_only {
                let names: Vec<&str> = nsgs.iter().map(String::as_str).collect();
                let (applied, edit) = engine.edit_nsgs(&names, |design| {
                    fix.changes
                        .iter()
                        .all(|change| change.apply_at(design, &at))
                });
                if applied {
                    let crossing = self.crossing_any(&names);
                    self.keep(fix, &uses, engine, &flows, &mut kept, || {
                        self.tally_passing(engine, &crossing)
                    });
                }
                engine.restore_nsgs(edit);
                continue;
            }
            let mut design = working.take().unwrap_or_else(|| engine.design().clone());
            let (applied, edited, undo) = apply_in_place(fix, &mut design, &at);
            if !applied {
                working = Some(undo.restore(design));
                continue;
            }
            let edited: Vec<&str> = edited.iter().map(String::as_str).collect();
            let derived = engine.derive(design, &edited);
            self.keep(fix, &uses, &derived, &flows, &mut kept, || {
                self.impact(engine, &derived)
            });
            working = Some(undo.restore(derived.into_design()));
        }
        self.requests
            .iter()
            .zip(kept)
            .map(|((finding, _), fixes)| (*finding, fixes.into_iter().flatten().collect()))
            .collect()
    }

    /// Keeps `fix` for each of its `uses` whose finding's flows `engine` (the design with the
    /// fix) all stops, with its impact (computed once, when first needed).
    fn keep<'f>(
        &self,
        fix: &Fix,
        uses: &[(usize, usize)],
        engine: &Engine,
        flows: &impl Fn(usize) -> &'f [Flow],
        kept: &mut [Vec<Option<VerifiedFix>>],
        impact: impl FnOnce() -> Impact,
    ) {
        let mut impact = Some(impact);
        let mut known: Option<Impact> = None;
        for &(r, c) in uses {
            if !all_closed(engine, flows(self.requests[r].0)) {
                continue;
            }
            let impact = known.get_or_insert_with(|| (impact.take().expect("computed once"))());
            kept[r][c] = Some(VerifiedFix {
                fix: fix.clone(),
                breaks: impact.breaks.clone(),
                undetermined: impact.undetermined.clone(),
            });
        }
    }

    /// The indices of the passing flows whose trace names any of `elements`, ascending.
    fn crossing_any(&self, elements: &[&str]) -> Vec<usize> {
        let indices: BTreeSet<usize> = elements
            .iter()
            .filter_map(|element| self.crossing.get(*element))
            .flatten()
            .copied()
            .collect();
        indices.into_iter().collect()
    }

    /// The indices of the passing flows whose trace names subnet `subnet` (or an element whose
    /// name starts with it, such as `vnet/subnet (NIC)`), its NSG, or a compute in it or that
    /// compute's NIC NSG, ascending.
    fn crossing_subnet(&self, design: &Design, subnet: &str) -> Vec<usize> {
        let mut elements: Vec<&str> = self
            .crossing
            .range::<str, _>((
                std::ops::Bound::Included(subnet),
                std::ops::Bound::Unbounded,
            ))
            .map(|(element, _)| element.as_str())
            .take_while(|element| element.starts_with(subnet))
            .collect();
        let (vnet_name, subnet_name) = subnet.split_once('/').unwrap_or_default();
        elements.extend(
            design
                .virtual_networks
                .iter()
                .filter(|v| v.name == vnet_name)
                .flat_map(|v| &v.subnets)
                .filter(|s| s.name == subnet_name)
                .filter_map(|s| s.nsg.as_deref()),
        );
        for compute in &design.computes {
            if let Some(nic) = compute.nic.as_ref().filter(|nic| nic.subnet == subnet) {
                elements.push(&compute.name);
                elements.extend(nic.nsg.as_deref());
            }
        }
        self.crossing_any(&elements)
    }

    /// Required flows that passed on the prepared design (`base`) and fail on `engine`'s (only
    /// those that passed before are traced again).
    fn impact(&self, base: &Engine, engine: &Engine) -> Impact {
        if required::same_bindings(base.design(), engine.design()) {
            return self.tally(
                engine,
                self.passing.iter().map(|(key, flow)| (key.clone(), flow)),
            );
        }
        let passed: BTreeSet<&str> = self.passing.iter().map(|(key, _)| key.as_str()).collect();
        let rebound = required::bind_all(engine.design());
        self.tally(
            engine,
            rebound
                .iter()
                .map(|(entry, source, flow)| (required::flow_key(entry, source, flow), flow))
                .filter(|(key, _)| passed.contains(key.as_str())),
        )
    }

    /// Of `flows` (key, flow; all passing on the prepared design), those `engine` breaks or
    /// cannot decide, in the order given.
    /// The impact on the passing required flows at `indices` (those a patched element can
    /// change).
    fn tally_passing(&self, engine: &Engine, indices: &[usize]) -> Impact {
        self.tally(
            engine,
            indices.iter().map(|&i| {
                let (key, flow) = &self.passing[i];
                (key.clone(), flow)
            }),
        )
    }

    fn tally<'f>(
        &self,
        engine: &Engine,
        flows: impl Iterator<Item = (String, &'f Flow)>,
    ) -> Impact {
        let mut impact = Impact::default();
        for (key, flow) in flows {
            match verdict_or_unsupported(engine, flow).verdict {
                Verdict::Allowed => {}
                Verdict::Unsupported => impact.undetermined.push(key),
                _ => impact.breaks.push(key),
            }
        }
        impact
    }
}

/// Whether `engine` stops every one of `flows`; a flow the previous trace covers (same flow,
/// port in its span) is not traced again.
fn all_closed(engine: &Engine, flows: &[Flow]) -> bool {
    let mut closed: Option<(&Flow, Option<PortRange>)> = None;
    for flow in flows {
        if closed.is_some_and(|(previous, alike)| previous.covers(alike, flow)) {
            continue;
        }
        let outcome = verdict_or_unsupported(engine, flow);
        if matches!(outcome.verdict, Verdict::Allowed | Verdict::Unsupported) {
            return false;
        }
        closed = Some((flow, outcome.alike_ports));
    }
    true
}

/// What applying a fix in place may have edited, saved beforehand: the design without its
/// NSGs and firewall rules (small), the NSGs the changes edit, and the firewalls and policies
/// when a change edits firewall rules.
struct Undo {
    rest: Design,
    nsg_count: usize,
    nsgs: Vec<(usize, NetworkSecurityGroup)>,
    firewall_rules: Option<(Vec<Firewall>, Vec<FirewallPolicy>)>,
}

impl Undo {
    fn restore(self, mut edited: Design) -> Design {
        let mut nsgs = std::mem::take(&mut edited.network_security_groups);
        nsgs.truncate(self.nsg_count);
        for (index, nsg) in self.nsgs {
            nsgs[index] = nsg;
        }
        let (firewalls, policies) = self.firewall_rules.unwrap_or_else(|| {
            (
                std::mem::take(&mut edited.firewalls),
                std::mem::take(&mut edited.firewall_policies),
            )
        });
        let mut design = self.rest;
        design.network_security_groups = nsgs;
        design.firewalls = firewalls;
        design.firewall_policies = policies;
        design
    }
}

/// Applies `fix` to `design` in place, as [`Fix::apply`] does to a copy (finding what it edits
/// through `at`): whether every change applied, the existing NSGs edited, and how to undo it.
fn apply_in_place(fix: &Fix, design: &mut Design, at: &Positions) -> (bool, Vec<String>, Undo) {
    let mut edited: Vec<String> = fix
        .changes
        .iter()
        .flat_map(|c| c.edited_nsgs(design, at))
        .collect();
    sorting::sort(&mut edited);
    edited.dedup();
    let nsgs = std::mem::take(&mut design.network_security_groups);
    let firewalls = std::mem::take(&mut design.firewalls);
    let policies = std::mem::take(&mut design.firewall_policies);
    let rest = design.clone();
    design.network_security_groups = nsgs;
    design.firewalls = firewalls;
    design.firewall_policies = policies;
    let edits_firewall_rules = fix.changes.iter().any(Change::edits_firewall_rules);
    let undo = Undo {
        rest,
        firewall_rules: edits_firewall_rules
            .then(|| (design.firewalls.clone(), design.firewall_policies.clone())),
        nsg_count: design.network_security_groups.len(),
        nsgs: design
            .network_security_groups
            .iter()
            .enumerate()
            .filter(|(_, n)| edited.contains(&n.name))
            .map(|(i, n)| (i, n.clone()))
            .collect(),
    };
    let applied = fix.changes.iter().all(|change| change.apply_at(design, at));
    (applied, edited, undo)
}

/// The generated hub-spoke design of the scale benchmark, for the exactness test.
#[cfg(test)]
#[path = "../../benches/hub_spoke.rs"]
#[allow(dead_code)]
mod hub_spoke;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::{analyse_unverified, scenarios, Unverified};

    /// Every scenario and the generated hub-spoke design at 10 and 30 spokes.
    fn designs() -> Vec<(String, Design)> {
        let mut designs: Vec<(String, Design)> = scenarios::all()
            .iter()
            .map(|s| (s.name.to_string(), s.design().expect("scenario parses")))
            .collect();
        for spokes in [10, 30] {
            let design = serde_json::from_value(super::hub_spoke::hub_spoke(spokes))
                .expect("generated design parses");
            designs.push((format!("hub-spoke-{spokes}"), design));
        }
        designs
    }

    fn verified(unverified: &Unverified, shortcuts: bool) -> BTreeMap<usize, Vec<VerifiedFix>> {
        let analysis = &unverified.analysis;
        let mut fixes = FixEvaluator::new(&analysis.required);
        fixes.shortcuts = shortcuts;
        for (finding, candidates) in &unverified.requests {
            fixes.request(*finding, candidates.clone());
        }
        let findings = &analysis.exfiltration.findings;
        let mut engine = unverified.engine.clone();
        let verified = fixes.verify(&mut engine, |index| findings[index].flows.as_slice());
        assert!(
            engine.design() == unverified.engine.design(),
            "verification gives the engine back changed"
        );
        verified
    }

    /// NSG-only and subnet-only fixes patched into the compiled design, with their impact on the
    /// flows crossing what they edit only, give exactly the fixes, breaks and undetermined
    /// flows of verification with every fix derived and every passing flow re-evaluated.
    #[test]
    fn shortcuts_equal_full_verification() {
        let (mut nsg_fixes, mut subnet_fixes) = (0, 0);
        let mut shortcut_breaks = 0;
        for (name, design) in designs() {
            let unverified = analyse_unverified(&design);
            let prepared = unverified.engine.design();
            let shortened = verified(&unverified, true);
            let full = verified(&unverified, false);
            assert_eq!(
                shortened, full,
                "{name}: the shortcut changes the verified fixes"
            );
            for kept in shortened.values().flatten() {
                let nsg_only = kept
                    .fix
                    .nsgs_edited_only(prepared, &Positions::default())
                    .is_some();
                let subnet_only = kept.fix.subnet_edited_only().is_some();
                nsg_fixes += usize::from(nsg_only);
                subnet_fixes += usize::from(subnet_only);
                if nsg_only || subnet_only {
                    shortcut_breaks += kept.breaks.len() + kept.undetermined.len();
                }
            }
        }
        assert!(nsg_fixes > 20, "only {nsg_fixes} kept NSG-only fixes");
        assert!(
            subnet_fixes > 20,
            "only {subnet_fixes} kept subnet-only fixes"
        );
        assert!(
            shortcut_breaks > 0,
            "no shortcut fix breaks a required flow: nothing compared"
        );
    }

    /// Verification finds what a change edits through `Positions`: every candidate applied
    /// that way edits the design exactly as applied with scans.
    #[test]
    fn candidates_apply_alike_through_positions() {
        let mut compared = 0;
        for (name, design) in designs() {
            let unverified = analyse_unverified(&design);
            let prepared = unverified.engine.design();
            let at = Positions::of(prepared);
            for (_, candidates) in &unverified.requests {
                for change in candidates.iter().flat_map(|fix| &fix.changes) {
                    let (mut scanned, mut indexed) = (prepared.clone(), prepared.clone());
                    let applied = change.apply(&mut scanned);
                    assert_eq!(
                        change.apply_at(&mut indexed, &at),
                        applied,
                        "{name}: {change:?}"
                    );
                    assert!(scanned == indexed, "{name}: {change:?} edits differently");
                    compared += usize::from(applied);
                }
            }
        }
        assert!(compared > 50, "only {compared} applied changes compared");
    }

    /// Fix verification applies each candidate to one working copy and undoes it: the undo
    /// must give the prepared design back exactly, or later fixes are verified on a wrong one.
    #[test]
    fn undoing_every_candidate_restores_the_prepared_design() {
        let mut undone = 0;
        for scenario in scenarios::all() {
            let unverified = analyse_unverified(&scenario.design().expect("scenario parses"));
            let prepared = unverified.engine.design();
            for (_, candidates) in &unverified.requests {
                for fix in candidates {
                    let mut working = prepared.clone();
                    let (applied, _, undo) =
                        apply_in_place(fix, &mut working, &Positions::of(prepared));
                    undone += usize::from(applied && working != *prepared);
                    assert!(
                        undo.restore(working) == *prepared,
                        "{}: undoing `{}` does not restore the design",
                        scenario.name,
                        fix.describe()
                    );
                }
            }
        }
        assert!(undone > 20, "only {undone} applied candidates undone");
    }
}
