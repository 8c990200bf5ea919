//! The autosave format: what `ui` writes to localStorage on every change and reads on start.
//! An envelope with its own version around the design, plus the preset it came from, so a
//! future format change can be detected instead of misread. [`AutosaveStatus`] is whether
//! changes reach the autosave, and what the page tells the user when they do not (no storage
//! in a sandboxed or cross-site iframe; a full storage).

use serde::{Deserialize, Serialize};

use crate::model::Design;

/// The localStorage key.
pub const STORAGE_KEY: &str = "vnetlab.autosave";

/// The localStorage key remembering that "How to read this" was dismissed (`"1"`).
pub const HELP_DISMISSED_KEY: &str = "vnetlab.help-dismissed";
const FORMAT: &str = "vnetlab-autosave";
const VERSION: u32 = 1;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Envelope {
    format: String,
    version: u32,
    #[serde(default)]
    scenario: String,
    design: Design,
}

/// A restored autosave: the design and the preset id it was based on (empty when custom).
#[derive(Debug, Clone, PartialEq)]
pub struct Restored {
    pub scenario: String,
    pub design: Design,
}

pub fn encode(design: &Design, scenario: &str) -> String {
    serde_json::to_string(&Envelope {
        format: FORMAT.to_string(),
        version: VERSION,
        scenario: scenario.to_string(),
        design: design.clone(),
    })
    .unwrap_or_default()
}

/// Reads an autosave; anything else (an older format, damaged text) is an error message.
pub fn decode(text: &str) -> Result<Restored, String> {
    let envelope: Envelope = serde_json::from_str(text)
        .map_err(|error| format!("the autosave is unreadable: {error}"))?;
    if envelope.format != FORMAT || envelope.version != VERSION {
        return Err(format!(
            "the autosave has format {} version {}, this build reads {FORMAT} version {VERSION}",
            envelope.format, envelope.version
        ));
    }
    Ok(Restored {
        scenario: envelope.scenario,
        design: envelope.design,
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
        matches!(self, AutosaveStatus::SaveFailed { .. })
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
        assert!(decode("{}").is_err());
        assert!(decode("not json").is_err());
        let other = encode(&design, "").replace("vnetlab-autosave", "x");
        assert!(decode(&other).is_err());
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
    }
}
