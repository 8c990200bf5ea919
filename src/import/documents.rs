//! Splits the input text into its JSON documents. Users paste several `az ... show` outputs
//! into one file, so concatenated documents (`{…}{…}` or one per line) are one input.

use serde_json::{Deserializer, Value};

use super::LoadError;

/// The documents of `text`, in order. Empty input and invalid JSON are errors with the line and
/// column serde_json reports.
pub(crate) fn split(text: &str, source: &str) -> Result<Vec<Value>, LoadError> {
    if text.trim().is_empty() {
        return Err(LoadError::at(
            source,
            None,
            "$",
            "the input is empty: expected a vnetlab design or Azure resource JSON",
        ));
    }
    let mut documents = Vec::new();
    for document in Deserializer::from_str(text).into_iter::<Value>() {
        match document {
            Ok(value) => documents.push(value),
            Err(error) => {
                let number = documents.len() + 1;
                let message = if number == 1 {
                    format!("not valid JSON: {}", message_of(&error))
                } else {
                    format!(
                        "document {number} is not valid JSON (after {} valid ones): {}",
                        documents.len(),
                        message_of(&error)
                    )
                };
                return Err(
                    LoadError::whole(source, message).with_position(error.line(), error.column())
                );
            }
        }
    }
    Ok(documents)
}

/// serde_json's message without its trailing " at line L column C" (reported separately).
pub(crate) fn message_of(error: &serde_json::Error) -> String {
    let text = error.to_string();
    let position = format!(" at line {} column {}", error.line(), error.column());
    text.strip_suffix(&position).unwrap_or(&text).to_string()
}
