//! Which rows of a long flow list the flows panel builds: the first [`ROWS_SHOWN`], plus the
//! selected flow wherever it is, until the user asks for all of them. A hub-spoke design has
//! hundreds of flows per section; building every row made each change re-render and lay out
//! thousands of elements nobody had scrolled to.

/// Rows of a section built before "Show all".
pub const ROWS_SHOWN: usize = 100;

/// The rows of a section to build.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FlowWindow {
    /// Indices into the section's rows, ascending.
    pub shown: Vec<usize>,
    /// Rows not built (0 when every row is).
    pub hidden: usize,
}

impl FlowWindow {
    /// The window over `total` rows: all of them when `expanded`, else the first
    /// [`ROWS_SHOWN`] and the row at `selected` if it lies beyond.
    pub fn new(total: usize, expanded: bool, selected: Option<usize>) -> Self {
        if expanded || total <= ROWS_SHOWN {
            return FlowWindow {
                shown: (0..total).collect(),
                hidden: 0,
            };
        }
        let mut shown: Vec<usize> = (0..ROWS_SHOWN).collect();
        if let Some(selected) = selected.filter(|&index| index >= ROWS_SHOWN && index < total) {
            shown.push(selected);
        }
        let hidden = total - shown.len();
        FlowWindow { shown, hidden }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_lists_and_expanded_lists_are_built_whole() {
        assert_eq!(FlowWindow::new(ROWS_SHOWN, false, None).hidden, 0);
        let expanded = FlowWindow::new(ROWS_SHOWN * 5, true, None);
        assert_eq!(expanded.shown.len(), ROWS_SHOWN * 5);
        assert_eq!(expanded.hidden, 0);
    }

    #[test]
    fn a_long_list_builds_its_head_and_the_selected_row() {
        let total = ROWS_SHOWN + 250;
        let head = FlowWindow::new(total, false, Some(3));
        assert_eq!(head.shown, (0..ROWS_SHOWN).collect::<Vec<_>>());
        assert_eq!(head.hidden, 250);
        let far = FlowWindow::new(total, false, Some(ROWS_SHOWN + 200));
        assert_eq!(far.shown.last(), Some(&(ROWS_SHOWN + 200)));
        assert_eq!(far.shown.len(), ROWS_SHOWN + 1);
        assert_eq!(far.hidden, 249);
        assert_eq!(FlowWindow::new(total, false, Some(total)).hidden, 250);
    }
}
