//! Adding converted elements to the design. The same element may appear twice (a VNet listed
//! and shown, a subnet inline and standalone): an identical repeat is dropped, a different one
//! replaces the earlier definition with a warning.

use super::context::Context;
use super::kind::Kind;
use crate::import::node::Node;

/// Adds `item` to `list`, or replaces the element with the same key (its name, or what else
/// identifies it; compared case-insensitively, as Azure names are).
pub(super) fn insert_named<T: PartialEq>(
    context: &mut Context,
    list: &mut Vec<T>,
    item: T,
    key_of: impl Fn(&T) -> &str,
    what: &str,
    node: &Node,
) {
    insert_keyed(context, list, item, |t| key_of(t).to_string(), what, node);
}

/// [`insert_named`] for elements identified by more than their name.
pub(super) fn insert_keyed<T: PartialEq>(
    context: &mut Context,
    list: &mut Vec<T>,
    item: T,
    key_of: impl Fn(&T) -> String,
    what: &str,
    node: &Node,
) {
    let key = key_of(&item);
    match list
        .iter_mut()
        .find(|existing| key_of(existing).eq_ignore_ascii_case(&key))
    {
        None => list.push(item),
        Some(existing) if *existing == item => {}
        Some(existing) => {
            *existing = item;
            context.warn(
                &key,
                node,
                format!(
                    "{what} `{key}` appears more than once in the input with different \
                     contents; this later definition replaces the earlier one"
                ),
            );
        }
    }
}

/// The position of the element named `name` (case-insensitive).
pub(super) fn position_of<T>(
    list: &[T],
    name: &str,
    name_of: impl Fn(&T) -> &str,
) -> Option<usize> {
    list.iter()
        .position(|item| name_of(item).eq_ignore_ascii_case(name))
}

/// A child resource whose parent may be missing: its kind, element name and node.
pub(super) struct Child<'x, 'a> {
    pub(super) kind: Kind,
    pub(super) element: &'x str,
    pub(super) node: &'x Node<'a>,
}

/// The position of the parent `(kind, name)`, created with `stub` (and reported, with `note`)
/// when the input holds the child resource but not its parent.
pub(super) fn parent_or_stub<T>(
    context: &mut Context,
    list: &mut Vec<T>,
    (kind, name): (Kind, &str),
    name_of: impl Fn(&T) -> &str,
    stub: impl FnOnce() -> T,
    child: Child,
    note: &str,
) -> usize {
    if let Some(position) = position_of(list, name, name_of) {
        return position;
    }
    context.warn(
        child.element,
        child.node,
        format!(
            "{} `{name}` is not in the input; it was created to hold this {}{note}",
            kind.describe(),
            child.kind.describe()
        ),
    );
    context.mark_stub(kind, name);
    list.push(stub());
    list.len() - 1
}
