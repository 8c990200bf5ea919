//! Which items of a long list the page builds: the first few, plus the selected one wherever
//! it is, until the user asks for all of them. A hub-spoke design has hundreds of flows per
//! section and hundreds of NSGs, route tables and resource firewalls; building every row and
//! editor made each change re-render and lay out thousands of elements nobody had scrolled to.

/// Rows of a flow section built before "Show all".
pub const FLOWS_SHOWN: usize = 100;

/// Editors of one kind (NSGs, route tables, resource firewalls) built before "Show all".
pub const EDITORS_SHOWN: usize = 50;

/// The items of a list to build.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListWindow {
    /// Indices into the list, ascending.
    pub shown: Vec<usize>,
    /// Items not built (0 when every item is).
    pub hidden: usize,
}

impl ListWindow {
    /// The window over `total` items: all of them when `expanded`, else the first `first`
    /// and the item at `selected` if it lies beyond.
    pub fn new(total: usize, first: usize, expanded: bool, selected: Option<usize>) -> Self {
        if expanded || total <= first {
            return ListWindow {
                shown: (0..total).collect(),
                hidden: 0,
            };
        }
        let mut shown: Vec<usize> = (0..first).collect();
        if let Some(selected) = selected.filter(|&index| index >= first && index < total) {
            shown.push(selected);
        }
        let hidden = total - shown.len();
        ListWindow { shown, hidden }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_lists_and_expanded_lists_are_built_whole() {
        assert_eq!(
            ListWindow::new(FLOWS_SHOWN, FLOWS_SHOWN, false, None).hidden,
            0
        );
        let expanded = ListWindow::new(FLOWS_SHOWN * 5, FLOWS_SHOWN, true, None);
        assert_eq!(expanded.shown.len(), FLOWS_SHOWN * 5);
        assert_eq!(expanded.hidden, 0);
    }

    #[test]
    fn a_long_list_builds_its_head_and_the_selected_row() {
        let total = FLOWS_SHOWN + 250;
        let head = ListWindow::new(total, FLOWS_SHOWN, false, Some(3));
        assert_eq!(head.shown, (0..FLOWS_SHOWN).collect::<Vec<_>>());
        assert_eq!(head.hidden, 250);
        let far = ListWindow::new(total, FLOWS_SHOWN, false, Some(FLOWS_SHOWN + 200));
        assert_eq!(far.shown.last(), Some(&(FLOWS_SHOWN + 200)));
        assert_eq!(far.shown.len(), FLOWS_SHOWN + 1);
        assert_eq!(far.hidden, 249);
        assert_eq!(
            ListWindow::new(total, FLOWS_SHOWN, false, Some(total)).hidden,
            250
        );
    }

    #[test]
    fn the_head_is_as_long_as_asked() {
        let editors = ListWindow::new(300, EDITORS_SHOWN, false, None);
        assert_eq!(editors.shown, (0..EDITORS_SHOWN).collect::<Vec<_>>());
        assert_eq!(editors.hidden, 300 - EDITORS_SHOWN);
    }
}
