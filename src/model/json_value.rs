//! Model values as JSON values and back, through JSON text.
//!
//! serde_json's `to_value` and `from_value` are a serializer and a deserializer of their own:
//! each compiles one more copy of every model type's (de)serialization into the browser's wasm
//! (the design's serializer alone is about 27 KB). Going through compact JSON text reuses the
//! copies that reading and writing design files need anyway, for one more pass over the text.

use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::Value;

/// `item` as a JSON value (`serde_json::to_value`).
pub fn to_json_value<T: Serialize + ?Sized>(item: &T) -> Result<Value, serde_json::Error> {
    serde_json::from_str(&serde_json::to_string(item)?)
}

/// A `T` from a JSON value (`serde_json::from_value`).
pub fn from_json_value<T: DeserializeOwned>(value: &Value) -> Result<T, serde_json::Error> {
    serde_json::from_str(&value.to_string())
}

/// `item` as pretty JSON text (`serde_json::to_string_pretty`).
pub fn to_pretty_json<T: Serialize + ?Sized>(item: &T) -> Result<String, serde_json::Error> {
    serde_json::to_string_pretty(&to_json_value(item)?)
}
