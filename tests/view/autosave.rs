//! The autosave's packing (`vnetlab::view::autosave`): a design is stored deflated, and one past
//! the ceiling is not stored at all.

use vnetlab::model::Design;
use vnetlab::view::autosave::{decode, encode_within_ceiling, AutosaveStatus, MAX_AUTOSAVE_CHARS};

use crate::incompressible_text;

#[test]
fn the_design_is_stored_packed_and_a_design_past_the_ceiling_is_not_stored() {
    let mut design = Design::new("big");
    design.description = "the same words again and again ".repeat(20_000);
    let plain = serde_json::to_string(&design).unwrap().len();
    let stored = encode_within_ceiling(&design, "").expect("fits once packed");
    assert!(
        stored.len() * 20 < plain,
        "{} packed vs {plain} plain",
        stored.len()
    );
    assert_eq!(decode(&stored).unwrap().design, design);
    let mut noise = Design::new("noise");
    noise.description = incompressible_text(MAX_AUTOSAVE_CHARS * 3 / 2);
    let status = AutosaveStatus::TooLarge {
        chars: encode_within_ceiling(&noise, "").expect_err("too large"),
    };
    assert!(matches!(status, AutosaveStatus::TooLarge { chars } if chars > MAX_AUTOSAVE_CHARS));
    let message = status.message().unwrap();
    assert!(
        message.contains("too large") && message.contains("Export JSON"),
        "{message}"
    );
    assert!(status.is_alert() && status.saves());
}
