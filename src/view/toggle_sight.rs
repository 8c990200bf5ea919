//! Which toggles are on screen. A toggle's badge is a whole analysis of its flipped design and
//! a prepared flip another, so both are worked out only for the toggles in sight (issue #16:
//! badges on demand): an embed, which shows no toggles, works out none, and a toggle scrolled
//! into view gets its badge then.

use std::collections::BTreeSet;

/// The toggles whose badges and flips are wanted now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ToggleSight {
    /// Every toggle counts as in sight: where nothing watches a screen (tests, benchmarks).
    Everything,
    /// The toggles on screen (by id), as the page last saw them.
    Only(BTreeSet<String>),
}

impl ToggleSight {
    /// No toggle on screen: the page's sight until it has looked.
    pub fn nothing() -> Self {
        ToggleSight::Only(BTreeSet::new())
    }

    /// Whether toggle `id` is in sight.
    pub fn shows(&self, id: &str) -> bool {
        match self {
            ToggleSight::Everything => true,
            ToggleSight::Only(ids) => ids.contains(id),
        }
    }
}
