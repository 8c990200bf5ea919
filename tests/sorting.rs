//! The browser's sort (`model::sorting`, positions sorted then elements moved) orders exactly as
//! the standard library's stable sort: same order, equal elements kept in their input order.

#![cfg(not(target_arch = "wasm32"))]

use proptest::prelude::*;
use vnetlab::model::sorting::sort_through_positions;

proptest! {
    #[test]
    fn sorting_through_positions_is_the_standard_stable_sort(
        keys in proptest::collection::vec(0u8..6, 0..200)
    ) {
        // Each element carries its input position, so stability is visible.
        let items: Vec<(u8, usize)> = keys.into_iter().enumerate().map(|(i, k)| (k, i)).collect();
        let mut expected = items.clone();
        expected.sort_by_key(|&(key, _)| key);
        let mut sorted = items;
        sort_through_positions(&mut sorted, |a, b| a.0.cmp(&b.0));
        prop_assert_eq!(sorted, expected);
    }
}
