//! Flipped evaluations prepared while the page is idle. With the analysis worker the badges
//! come back as counts only, so a click on a toggle would analyse the flipped design in the
//! click's own task (40 ms on a 50-VNet design). Once a change's answers are in, the page
//! instead evaluates one applicable toggle's flip per idle task, and a click uses it
//! ([`Action::FlipPrepared`](super::state::Action::FlipPrepared)). Kept outside the app state,
//! so that filling it renders nothing; valid for one design, compared by identity. On a large
//! design each flip is a long task of its own (55–75 ms at 10–30 spokes): the page then
//! [`stop`](FlipCache::stop)s preparing them, and a click analyses its own flip.

use std::collections::BTreeMap;
use std::rc::Rc;

use crate::model::Design;

use super::evaluation::Evaluation;
use super::state::ToggleRow;
use super::toggle_sight::ToggleSight;
use super::toggles;

#[derive(Debug, Default)]
pub struct FlipCache {
    design: Option<Rc<Design>>,
    /// Every toggle tried; `None` when it cannot flip the design.
    flips: BTreeMap<&'static str, Option<Rc<Evaluation>>>,
    /// No more flips are prepared for the design.
    stopped: bool,
}

impl FlipCache {
    /// The prepared evaluation of flipping `toggle` on `design`, if there is one.
    pub fn get(&self, design: &Rc<Design>, toggle: &str) -> Option<Rc<Evaluation>> {
        let current = self.design.as_ref()?;
        if !Rc::ptr_eq(current, design) {
            return None;
        }
        self.flips.get(toggle).cloned().flatten()
    }

    /// Evaluates the flip of the first applicable toggle of `rows` in `sight` not tried yet on
    /// `design` (forgetting another design's flips); `false` when there was none left.
    pub fn prepare_next(
        &mut self,
        design: &Rc<Design>,
        rows: &[ToggleRow],
        sight: &ToggleSight,
    ) -> bool {
        self.switch_to(design);
        if self.stopped {
            return false;
        }
        let next = rows.iter().find(|row| {
            row.on.is_some() && sight.shows(row.id) && !self.flips.contains_key(row.id)
        });
        let Some(row) = next else {
            return false;
        };
        let flipped = toggles::find(row.id)
            .and_then(|toggle| toggle.flip(design))
            .map(|flipped| Rc::new(Evaluation::unverified(&flipped)));
        self.flips.insert(row.id, flipped);
        true
    }

    /// Prepares no more flips for `design` (those prepared are kept).
    pub fn stop(&mut self, design: &Rc<Design>) {
        self.switch_to(design);
        self.stopped = true;
    }

    /// Forgets another design's flips.
    fn switch_to(&mut self, design: &Rc<Design>) {
        if !self.design.as_ref().is_some_and(|d| Rc::ptr_eq(d, design)) {
            self.design = Some(design.clone());
            self.flips.clear();
            self.stopped = false;
        }
    }
}
