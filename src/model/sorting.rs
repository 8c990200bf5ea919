//! Stable sorting that costs the browser's wasm one copy of the sort algorithm.
//!
//! The standard library's sort is generic over the element type and the comparison, so every
//! `sort_by` in the page compiles a copy of it (a few KB each, about 50 of them). In wasm these
//! functions sort the positions of the elements instead — one non-generic sort of `usize`s
//! through a `dyn` comparison — and then move the elements into place; natively they are the
//! standard library's sort. Both are stable, so results are the same on every target. Use
//! them outside the engine's per-flow code, which keeps the standard sort for speed.

use std::cmp::Ordering;

/// Sorts `items` stably by `compare`, like `<[T]>::sort_by`.
pub fn sort_by<T>(items: &mut [T], compare: impl Fn(&T, &T) -> Ordering) {
    if cfg!(target_arch = "wasm32") {
        sort_through_positions(items, compare);
    } else {
        items.sort_by(compare);
    }
}

/// Sorts `items` stably by `key`, like `<[T]>::sort_by_key`.
pub fn sort_by_key<T, K: Ord>(items: &mut [T], key: impl Fn(&T) -> K) {
    sort_by(items, |a, b| key(a).cmp(&key(b)));
}

/// Sorts `items` stably, like `<[T]>::sort`.
pub fn sort<T: Ord>(items: &mut [T]) {
    sort_by(items, T::cmp);
}

/// Stable sort of `items` by sorting their positions with the one [`sort_positions`], then
/// moving each element to its place.
pub fn sort_through_positions<T>(items: &mut [T], compare: impl Fn(&T, &T) -> Ordering) {
    let mut order: Vec<usize> = (0..items.len()).collect();
    sort_positions(&mut order, &|a, b| compare(&items[a], &items[b]));
    // `order[i]` is the position whose element belongs at `i`: follow each cycle of the
    // permutation, swapping elements into place and marking the places filled.
    for start in 0..items.len() {
        let mut place = start;
        while order[place] != start {
            let from = order[place];
            items.swap(place, from);
            order[place] = place;
            place = from;
        }
        order[place] = place;
    }
}

/// The one instance of the standard library's stable sort these functions use in wasm.
fn sort_positions(order: &mut [usize], compare: &dyn Fn(usize, usize) -> Ordering) {
    order.sort_by(|&a, &b| compare(a, b));
}
