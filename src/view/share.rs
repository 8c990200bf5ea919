//! Share links: the whole design carried in the URL fragment (`#design=…`), so sharing needs no
//! server. The design JSON is deflated (miniz_oxide) and written in unpadded base64url.
//! Decoding never panics: a damaged or foreign link is a [`ShareError`] the UI shows. A link
//! carries a vnetlab design only — never an ARM template or Azure JSON, which would be
//! evaluated on opening — and it is loaded like a design file: parsed, validated and checked
//! against the design size limits.

use std::fmt;

use crate::import::{load_design, Loaded};
use crate::model::Design;

use super::lab::{self, Lab};

/// The fragment key holding the design.
pub const FRAGMENT_KEY: &str = "design=";

/// The fragment key of lab links.
pub const LAB_FRAGMENT_KEY: &str = "lab=";

/// Decompressed designs larger than this are refused (a link is not a zip bomb).
const MAX_DESIGN_BYTES: usize = 8 * 1024 * 1024;

const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/// Why a share link could not be opened.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShareError(pub String);

impl fmt::Display for ShareError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "the share link could not be opened: {}", self.0)
    }
}

/// The fragment (without `#`) that carries `design`.
pub fn encode_fragment(design: &Design) -> String {
    let json = serde_json::to_vec(design).unwrap_or_default();
    format!("{FRAGMENT_KEY}{}", pack(&json))
}

/// The fragment of a lab link (`lab=…`): the lab file, deflated and base64url-encoded as a
/// design is; opening it starts the lab.
pub fn encode_lab_fragment(lab: &Lab) -> String {
    let json = serde_json::to_vec(lab).unwrap_or_default();
    format!("{LAB_FRAGMENT_KEY}{}", pack(&json))
}

/// Whether a URL fragment is a lab link.
pub fn is_lab_fragment(fragment: &str) -> bool {
    fragment
        .trim_start_matches('#')
        .starts_with(LAB_FRAGMENT_KEY)
}

/// The lab of a lab link, checked as a lab file is.
pub fn decode_lab_fragment(fragment: &str) -> Result<Lab, ShareError> {
    let payload = fragment
        .trim_start_matches('#')
        .strip_prefix(LAB_FRAGMENT_KEY)
        .ok_or_else(|| {
            ShareError(format!(
                "the URL fragment does not start with `{LAB_FRAGMENT_KEY}`"
            ))
        })?;
    let text = unpack(payload)?;
    lab::parse(&text, "lab link").map_err(|error| ShareError(error.to_string()))
}

pub(super) fn pack(json: &[u8]) -> String {
    base64url_encode(&miniz_oxide::deflate::compress_to_vec(json, 9))
}

/// The text a link's payload carries.
pub(super) fn unpack(payload: &str) -> Result<String, ShareError> {
    let packed = base64url_decode(payload)?;
    let json = miniz_oxide::inflate::decompress_to_vec_with_limit(&packed, MAX_DESIGN_BYTES)
        .map_err(|error| ShareError(format!("the data is not compressed JSON ({error})")))?;
    String::from_utf8(json).map_err(|_| ShareError("the data is not UTF-8 text".to_string()))
}

/// Whether a fragment (with or without `#`) is a share link at all.
pub fn is_share_fragment(fragment: &str) -> bool {
    fragment.trim_start_matches('#').starts_with(FRAGMENT_KEY)
}

/// Reads the design out of a fragment made by [`encode_fragment`], with its validation
/// diagnostics.
pub fn decode_fragment(fragment: &str) -> Result<Loaded, ShareError> {
    let payload = fragment
        .trim_start_matches('#')
        .strip_prefix(FRAGMENT_KEY)
        .ok_or_else(|| {
            ShareError(format!(
                "the URL fragment does not start with `{FRAGMENT_KEY}`"
            ))
        })?;
    let text = unpack(payload)?;
    load_design(&text, "share link").map_err(|error| ShareError(error.to_string()))
}

fn base64url_encode(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let word = chunk.iter().enumerate().fold(0u32, |word, (i, byte)| {
            word | u32::from(*byte) << (16 - 8 * i)
        });
        for i in 0..=chunk.len() {
            out.push(char::from(ALPHABET[(word >> (18 - 6 * i) & 63) as usize]));
        }
    }
    out
}

fn base64url_decode(text: &str) -> Result<Vec<u8>, ShareError> {
    let mut out = Vec::with_capacity(text.len() * 3 / 4);
    let (mut word, mut bits) = (0u32, 0u32);
    for (position, c) in text.trim_end_matches('=').bytes().enumerate() {
        let value = ALPHABET.iter().position(|a| *a == c).ok_or_else(|| {
            ShareError(format!(
                "character {} of the link is not base64url",
                position + 1
            ))
        })?;
        word = word << 6 | value as u32;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((word >> bits & 0xff) as u8);
        }
    }
    if bits >= 6 {
        return Err(ShareError("the link is truncated".to_string()));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64url_round_trips_every_length() {
        for length in 0..20u8 {
            let bytes: Vec<u8> = (0..length).map(|i| i.wrapping_mul(37) ^ 0xa5).collect();
            assert_eq!(base64url_decode(&base64url_encode(&bytes)).unwrap(), bytes);
        }
        assert_eq!(base64url_encode(b"\xfb\xff"), "-_8");
    }

    #[test]
    fn bad_links_are_errors() {
        assert!(decode_fragment("#other=1").is_err());
        assert!(decode_fragment("#design=@@@").is_err());
        assert!(decode_fragment("#design=A").is_err());
        assert!(decode_fragment("#design=AAAA").is_err());
        let not_a_design = base64url_encode(&miniz_oxide::deflate::compress_to_vec(b"[1,2]", 9));
        assert!(decode_fragment(&format!("design={not_a_design}")).is_err());
    }

    #[test]
    fn a_link_carrying_an_arm_template_is_refused_unevaluated() {
        let template = br#"{"$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
            "contentVersion": "1.0.0.0", "variables": {"x": "[concat('a', 'b')]"}, "resources": []}"#;
        let packed = base64url_encode(&miniz_oxide::deflate::compress_to_vec(template, 9));
        let error = decode_fragment(&format!("design={packed}")).expect_err("not a design");
        assert!(error.0.contains("found an ARM template"), "{error}");
    }
}
