//! The autosave format: what `ui` writes to localStorage on every change and reads on start.
//! A versioned envelope around the design — deflated and base64url-encoded as share links are
//! (version 2; version 1 held the design as plain JSON and is still read) — plus the preset it
//! came from; past [`MAX_AUTOSAVE_CHARS`] the page says the design is too large to autosave. On start the autosave
//! is loaded like a design file (parsed, validated, within the size limits); one this build
//! cannot open — damaged, or written by a newer version — is never overwritten silently: `ui`
//! first copies it to [`ASIDE_KEY`] and the page offers to download it. [`AutosaveStatus`] is
//! whether changes reach the autosave, and what the page tells the user when they do not (no
//! storage in a sandboxed or cross-site iframe; a full storage).

use std::fmt;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::share;
use crate::import::load_design;
use crate::model::{Design, SCHEMA_VERSION};

/// The localStorage key.
pub const STORAGE_KEY: &str = "vnetlab.autosave";

/// The localStorage key remembering that "How to read this" was dismissed (`"1"`).
pub const HELP_DISMISSED_KEY: &str = "vnetlab.help-dismissed";

/// Where an autosave this build cannot open is kept.
pub const ASIDE_KEY: &str = "vnetlab.autosave.aside";
const FORMAT: &str = "vnetlab-autosave";
/// The envelope version this build writes: 2, the design packed. Reading an older one
/// migrates it (version 1: the design as plain JSON); a newer one is kept aside.
const VERSION: u64 = 2;

/// The longest autosave the page writes (characters; browsers give a site about 5 million).
pub const MAX_AUTOSAVE_CHARS: usize = 4_000_000;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Envelope {
    format: String,
    version: u64,
    #[serde(default)]
    scenario: String,
    /// The design's JSON, deflated and base64url-encoded.
    packed: String,
}

/// A restored autosave: the design, the preset id it was based on (empty when custom), and
/// its validation errors (an autosave is validated like a file).
#[derive(Debug, Clone, PartialEq)]
pub struct Restored {
    pub scenario: String,
    pub design: Design,
    pub errors: Vec<String>,
}

/// Why an autosave cannot be opened.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AutosaveProblem {
    /// Written by a newer version of vnetlab (rather than damaged).
    pub newer: bool,
    pub reason: String,
}

impl fmt::Display for AutosaveProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.reason)
    }
}

impl AutosaveProblem {
    fn unreadable(reason: impl Into<String>) -> Self {
        AutosaveProblem {
            newer: false,
            reason: reason.into(),
        }
    }

    fn newer(reason: impl Into<String>) -> Self {
        AutosaveProblem {
            newer: true,
            reason: reason.into(),
        }
    }

    /// What the page says about an autosave kept aside, next to "Download it".
    pub fn aside_message(&self) -> String {
        let what = if self.newer {
            "was saved by a newer version of vnetlab"
        } else {
            "could not be opened"
        };
        format!(
            "Your previous autosave {what} ({}). It is kept aside, not overwritten: download it \
             to keep it.",
            self.reason
        )
    }
}

/// What the page says about the autosave text kept aside under [`ASIDE_KEY`].
pub fn aside_message(text: &str) -> String {
    match decode(text) {
        Err(problem) => problem.aside_message(),
        Ok(_) => "A previous autosave is kept aside: download it to keep it.".to_string(),
    }
}

/// The file name "Download it" saves the kept-aside autosave as.
pub const ASIDE_FILE_NAME: &str = "vnetlab-autosave-kept-aside.json";

pub fn encode(design: &Design, scenario: &str) -> String {
    let json = serde_json::to_vec(design).unwrap_or_default();
    serde_json::to_string(&Envelope {
        format: FORMAT.to_string(),
        version: VERSION,
        scenario: scenario.to_string(),
        packed: share::pack(&json),
    })
    .unwrap_or_default()
}

/// The autosave text to store, or its length when it is past [`MAX_AUTOSAVE_CHARS`] (the page
/// then reports [`AutosaveStatus::TooLarge`]).
pub fn encode_within_ceiling(design: &Design, scenario: &str) -> Result<String, usize> {
    let text = encode(design, scenario);
    if text.len() > MAX_AUTOSAVE_CHARS {
        return Err(text.len());
    }
    Ok(text)
}

/// Reads an autosave: its envelope, then its design as a design file.
pub fn decode(text: &str) -> Result<Restored, AutosaveProblem> {
    let envelope: Value = serde_json::from_str(text)
        .map_err(|error| AutosaveProblem::unreadable(format!("not JSON: {error}")))?;
    let format = envelope.get("format").and_then(Value::as_str);
    let version = envelope.get("version").and_then(Value::as_u64);
    let (Some(FORMAT), Some(version)) = (format, version) else {
        return Err(AutosaveProblem::unreadable(format!(
            "not a {FORMAT} envelope with a version"
        )));
    };
    if version > VERSION {
        return Err(AutosaveProblem::newer(format!(
            "envelope version {version}; this build reads up to {VERSION}"
        )));
    }
    let design = match version {
        1 => envelope.get("design").cloned().unwrap_or(Value::Null),
        _ => {
            let packed = envelope
                .get("packed")
                .and_then(Value::as_str)
                .unwrap_or_default();
            let text =
                share::unpack(packed).map_err(|error| AutosaveProblem::unreadable(error.0))?;
            serde_json::from_str(&text).map_err(|error| {
                AutosaveProblem::unreadable(format!("the design is not JSON: {error}"))
            })?
        }
    };
    let schema = design.get("schema_version").and_then(Value::as_u64);
    if schema.is_some_and(|schema| schema > u64::from(SCHEMA_VERSION)) {
        return Err(AutosaveProblem::newer(format!(
            "design schema_version {}; this build reads {SCHEMA_VERSION}",
            schema.unwrap_or_default()
        )));
    }
    let loaded = load_design(&design.to_string(), "autosave")
        .map_err(|error| AutosaveProblem::unreadable(error.to_string()))?;
    let errors = loaded
        .diagnostics
        .iter()
        .filter(|diagnostic| diagnostic.is_error())
        .map(ToString::to_string)
        .collect();
    Ok(Restored {
        scenario: envelope
            .get("scenario")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string(),
        design: loaded.design,
        errors,
    })
}

/// Whether changes reach the autosave.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum AutosaveStatus {
    /// Every change is saved.
    #[default]
    On,
    /// The page cannot use storage (a sandboxed or cross-site iframe, an opaque origin, storage
    /// disabled by the browser); `detail` is the browser's reason. Nothing is saved.
    Unavailable { detail: String },
    /// The last save failed (`quota`: the storage is full); changes since are not saved until
    /// a save succeeds again.
    SaveFailed { quota: bool, detail: String },
    /// The stored autosave could not be opened nor kept aside (`detail`: why), so nothing is
    /// saved over it.
    Paused { detail: String },
    /// The design, packed, is longer than [`MAX_AUTOSAVE_CHARS`]: it is not saved (the
    /// previous autosave stays), and the next change tries again.
    TooLarge { chars: usize },
}

impl AutosaveStatus {
    /// The status after a failed save, from the browser's exception name and message.
    pub fn save_failed(name: &str, message: &str) -> Self {
        let quota = matches!(name, "QuotaExceededError" | "NS_ERROR_DOM_QUOTA_REACHED");
        let detail = if message.is_empty() {
            name.to_string()
        } else {
            format!("{name}: {message}")
        };
        AutosaveStatus::SaveFailed { quota, detail }
    }

    /// A failed save is an alert; no storage at all is a standing note.
    pub fn is_alert(&self) -> bool {
        matches!(
            self,
            AutosaveStatus::SaveFailed { .. }
                | AutosaveStatus::Paused { .. }
                | AutosaveStatus::TooLarge { .. }
        )
    }

    /// Whether changes are written to the autosave (a failed save is retried on the next).
    pub fn saves(&self) -> bool {
        matches!(
            self,
            AutosaveStatus::On
                | AutosaveStatus::SaveFailed { .. }
                | AutosaveStatus::TooLarge { .. }
        )
    }

    /// What the page says about it; `None` while autosave works.
    pub fn message(&self) -> Option<String> {
        match self {
            AutosaveStatus::On => None,
            AutosaveStatus::Unavailable { detail } => Some(format!(
                "Autosave is off: this page cannot use browser storage (embedded on another site, \
                 sandboxed, or storage is disabled; {detail}). Your changes last until you close \
                 the page; use Export JSON to keep them."
            )),
            AutosaveStatus::SaveFailed {
                quota: true,
                detail,
            } => Some(format!(
                "Autosave failed: the browser's storage for this site is full ({detail}). Your \
                 latest changes are not saved and a reload would lose them; use Export JSON to \
                 keep them."
            )),
            AutosaveStatus::Paused { detail } => Some(format!(
                "Autosave is paused: the previous autosave, which this version cannot open, \
                 could not be kept aside ({detail}), so it is not overwritten. Your changes last \
                 until you close the page; use Export JSON to keep them."
            )),
            AutosaveStatus::TooLarge { chars } => Some(format!(
                "Autosave skipped: this design is too large for browser storage ({:.1} million \
                 characters packed; the limit is {:.1} million). Your latest changes are not \
                 saved and a reload would lose them; use Export JSON to keep them.",
                *chars as f64 / 1e6,
                MAX_AUTOSAVE_CHARS as f64 / 1e6
            )),
            AutosaveStatus::SaveFailed {
                quota: false,
                detail,
            } => Some(format!(
                "Autosave failed ({detail}). Your latest changes are not saved and a reload \
                 would lose them; use Export JSON to keep them."
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn autosave_round_trips_and_rejects_other_text() {
        let design = Design::new("saved");
        let restored = decode(&encode(&design, "workshop")).unwrap();
        assert_eq!(restored.design, design);
        assert_eq!(restored.scenario, "workshop");
        assert!(restored.errors.is_empty());
        assert!(decode("{}").is_err_and(|problem| !problem.newer));
        assert!(decode("not json").is_err_and(|problem| !problem.newer));
        let other = encode(&design, "").replace("vnetlab-autosave", "x");
        assert!(decode(&other).is_err_and(|problem| !problem.newer));
    }

    #[test]
    fn a_newer_envelope_or_schema_is_a_newer_autosave() {
        let design = Design::new("saved");
        let newer_envelope = encode(&design, "").replace("\"version\":2", "\"version\":3");
        let problem = decode(&newer_envelope).expect_err("newer");
        assert!(problem.newer, "{problem}");
        assert!(problem.aside_message().contains("newer version"));
        assert!(aside_message(&newer_envelope).contains("kept aside, not overwritten"));
        let mut newer = serde_json::to_value(&design).unwrap();
        newer["schema_version"] = 7.into();
        let newer_design = encode_value(&newer);
        assert!(decode(&newer_design).is_err_and(|problem| problem.newer));
    }

    /// An envelope (version 2) around any JSON value as the design.
    fn encode_value(design: &Value) -> String {
        let packed = share::pack(design.to_string().as_bytes());
        serde_json::json!({"format": FORMAT, "version": 2, "scenario": "", "packed": packed})
            .to_string()
    }

    #[test]
    fn a_version_1_autosave_with_the_design_as_plain_json_is_still_read() {
        let design = Design::new("older");
        let old = serde_json::json!({
            "format": FORMAT, "version": 1, "scenario": "workshop",
            "design": serde_json::to_value(&design).unwrap(),
        });
        let restored = decode(&old.to_string()).expect("migrated");
        assert_eq!(restored.design, design);
        assert_eq!(restored.scenario, "workshop");
    }

    #[test]
    fn an_autosave_is_validated_on_restore() {
        let mut design = Design::new("saved");
        design.options.max_design_elements = 0;
        design.application_security_groups.push("asg".to_string());
        let problem = decode(&encode(&design, "")).expect_err("over its size limit");
        assert!(!problem.newer);
        assert!(problem.reason.contains("max_design_elements"), "{problem}");
        let dangling: Design = serde_json::from_value(serde_json::json!({
            "schema_version": 1, "name": "saved",
            "virtual_networks": [{ "name": "v", "region": "eastus", "address_space": ["10.0.0.0/16"],
                "subnets": [{ "name": "s", "prefix": "10.0.0.0/24", "nsg": "missing" }] }]
        }))
        .expect("a design");
        let dangling = encode(&dangling, "");
        let restored = decode(&dangling).expect("restored");
        assert_eq!(restored.errors.len(), 1, "{:?}", restored.errors);
        assert!(restored.errors[0].contains("missing"));
    }

    #[test]
    fn autosave_status_says_what_happened_and_offers_export() {
        assert_eq!(AutosaveStatus::On.message(), None);
        let full = AutosaveStatus::save_failed("QuotaExceededError", "quota exceeded");
        assert_eq!(
            full,
            AutosaveStatus::SaveFailed {
                quota: true,
                detail: "QuotaExceededError: quota exceeded".to_string()
            }
        );
        assert!(full.is_alert());
        let text = full.message().unwrap();
        assert!(text.contains("storage for this site is full"), "{text}");
        assert!(text.contains("Export JSON"), "{text}");
        let other = AutosaveStatus::save_failed("SecurityError", "");
        assert!(!other.message().unwrap().contains("full"));
        assert!(other.message().unwrap().contains("(SecurityError)"));
        let off = AutosaveStatus::Unavailable {
            detail: "SecurityError: access is denied".to_string(),
        };
        assert!(!off.is_alert());
        assert!(off.message().unwrap().starts_with("Autosave is off"));
        assert!(off.message().unwrap().contains("access is denied"));
        assert!(!off.saves());
        let paused = AutosaveStatus::Paused {
            detail: "QuotaExceededError".to_string(),
        };
        assert!(paused.is_alert() && !paused.saves());
        assert!(paused.message().unwrap().contains("not overwritten"));
        assert!(AutosaveStatus::On.saves() && full.saves());
    }
}
