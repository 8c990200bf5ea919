//! Analysis: turns single traces into the answers architects ask of an AML network design.
//!
//! - [`required`]: does the design still work? The documented flows of [`catalogue`], bound to
//!   the design and traced.
//! - [`exfil`]: where can data leave? An exhaustive search of sources × attacker sinks ×
//!   protocol/port classes ([`ports`]), alike sources searched once ([`source_classes`]), each
//!   open path with the [`fixes`] that really close it and the required flows each fix breaks.
//! - [`diff`]: what did a change do? Required flows broken or repaired, paths opened or closed.
//! - [`compliance`]: the IL5 policy checks of seed 004 and the curated-image registry check.
//! - [`fix_code`]: a verified fix as the change to apply: `az`, Bicep or Terraform.
//! - [`intents`]: checked-in network intents (must / must not reach, only through, at most
//!   N open paths), each with a counter-example trace.
//! - [`scenarios`]: the seed documents' designs, shipped with their expected results.
//!
//! Depends only on `model` and `engine`; pure (no I/O) and deterministic. The design is first
//! copied and completed with clearly named synthetic endpoints ([`synthetic`]); it is compiled
//! once; each distinct candidate fix is applied once — patched into the compiled design and
//! undone when it only edits NSG rules or one subnet, else to a copy compiled sharing the
//! unchanged NSGs and routes — and verified against every finding proposing it
//! ([`fix_verification`]).

pub mod catalogue;
pub mod compliance;
pub mod diff;
pub mod exfil;
pub mod fix_code;
pub mod fix_verification;
pub mod fixes;
pub mod intents;
pub mod ports;
pub mod required;
pub mod scenarios;
pub mod source_classes;
pub mod synthetic;

use crate::engine::Engine;
use crate::model::Design;

use exfil::ExfilReport;
use fix_verification::FixEvaluator;
use fixes::Fix;
use ports::PortClass;
use required::RequiredFlow;
use synthetic::Prepared;

/// The full analysis of one design.
#[derive(Debug, Clone)]
pub struct Analysis {
    /// The design as analysed: the input plus synthetic endpoints.
    pub prepared: Prepared,
    pub required: Vec<RequiredFlow>,
    pub exfiltration: ExfilReport,
}

impl Analysis {
    /// Required (non-optional) flows that do not pass.
    pub fn failing_required(&self) -> impl Iterator<Item = &RequiredFlow> {
        self.required
            .iter()
            .filter(|f| !f.passes() && !f.entry.required_when.is_optional())
    }
}

/// Analyses `design` on its own port classes.
pub fn analyse(design: &Design) -> Analysis {
    analyse_with_classes(design, &ports::port_classes(&[design]))
}

/// Analyses `design` on the given port classes (a diff uses the classes of both designs).
pub fn analyse_with_classes(design: &Design, classes: &[PortClass]) -> Analysis {
    let Prepared { design, synthetic } = synthetic::prepare(design);
    analyse_prepared(Engine::without_diagnostics(design), synthetic, classes)
}

/// [`analyse`] of the design `compiled` compiles (its diagnostics read already): the
/// prepared copy is compiled with [`Engine::derive`], sharing the compiled NSGs and subnet
/// routes, since preparing adds only endpoints. The same analysis as `analyse`.
pub fn analyse_compiled(compiled: &Engine) -> Analysis {
    let classes = ports::port_classes(&[compiled.design()]);
    let (engine, synthetic) = prepare_compiled(compiled);
    analyse_prepared(engine, synthetic, &classes)
}

/// The prepared copy of the design `compiled` compiles, compiled by deriving from it, and
/// the names of the synthetic elements.
pub fn prepare_compiled(compiled: &Engine) -> (Engine, std::collections::BTreeSet<String>) {
    let Prepared { design, synthetic } = synthetic::prepare(compiled.design());
    (compiled.derive(design, &[]), synthetic)
}

fn analyse_prepared(
    engine: Engine,
    synthetic: std::collections::BTreeSet<String>,
    classes: &[PortClass],
) -> Analysis {
    let required = required::evaluate(&engine);
    let mut engine = engine;
    let fixes = FixEvaluator::new(&required);
    let exfiltration = exfil::search_and_verify(&mut engine, classes, fixes);
    let prepared = Prepared {
        design: engine.into_design(),
        synthetic,
    };
    Analysis {
        prepared,
        required,
        exfiltration,
    }
}

/// An analysis whose exfiltration findings carry no fixes yet, with what [`verify_fixes`]
/// needs to verify their candidates later: the compiled prepared design and the candidates.
#[derive(Debug)]
pub struct Unverified {
    pub analysis: Analysis,
    engine: Engine,
    requests: Vec<(usize, Vec<Fix>)>,
}

/// [`analyse`] without verifying fixes: the required flows and every open path, each finding
/// with no fixes until [`verify_fixes`].
pub fn analyse_unverified(design: &Design) -> Unverified {
    analyse_unverified_compiled(design, Engine::without_diagnostics)
}

/// [`analyse_unverified`] of the design `base` compiled (for its diagnostics, say): the
/// analysis's own engine, the design with its synthetic endpoints, is derived from `base`,
/// reusing its compiled NSGs and subnet routes. The same analysis.
pub fn analyse_unverified_on(base: &Engine) -> Unverified {
    analyse_unverified_compiled(base.design(), |prepared| base.derive(prepared, &[]))
}

/// [`analyse_unverified`] with the prepared design compiled by `compile`.
fn analyse_unverified_compiled(
    design: &Design,
    compile: impl FnOnce(Design) -> Engine,
) -> Unverified {
    let classes = ports::port_classes(&[design]);
    let Prepared { design, synthetic } = synthetic::prepare(design);
    let engine = compile(design);
    let required = required::evaluate(&engine);
    let mut fixes = FixEvaluator::new(&required);
    let exfiltration = exfil::search(&engine, &classes, &mut fixes);
    let requests = fixes.into_requests();
    let prepared = Prepared {
        design: engine.design().clone(),
        synthetic,
    };
    Unverified {
        analysis: Analysis {
            prepared,
            required,
            exfiltration,
        },
        engine,
        requests,
    }
}

/// The analysis of [`analyse_unverified`] with its fixes verified: the same as [`analyse`].
pub fn verify_fixes(unverified: &Unverified) -> Analysis {
    let mut analysis = unverified.analysis.clone();
    if unverified.requests.is_empty() {
        return analysis;
    }
    let mut engine = unverified.engine.clone();
    let mut fixes = FixEvaluator::new(&analysis.required);
    for (finding, candidates) in &unverified.requests {
        fixes.request(*finding, candidates.clone());
    }
    let findings = &analysis.exfiltration.findings;
    let verified = fixes.verify(&mut engine, |index| findings[index].flows.as_slice());
    for (index, kept) in verified {
        analysis.exfiltration.findings[index].fixes = kept;
    }
    analysis
}
