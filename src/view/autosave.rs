//! The autosave format: what `ui` writes to localStorage on every change and reads on start.
//! An envelope with its own version around the design, plus the preset it came from, so a
//! future format change can be detected instead of misread.

use serde::{Deserialize, Serialize};

use crate::model::Design;

/// The localStorage key.
pub const STORAGE_KEY: &str = "vnetlab.autosave";
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
}
