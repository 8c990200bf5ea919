//! The codec of both workers' messages (analysis and import): JSON text. The design's serde
//! form skips empty fields, which gloo-worker's default bincode cannot read back.

use gloo_worker::Codec;
use wasm_bindgen::JsValue;

/// Messages as JSON text.
pub struct Json;

impl Codec for Json {
    fn encode<I: serde::Serialize>(input: I) -> JsValue {
        let text = serde_json::to_string(&input).expect("worker messages serialize to JSON");
        JsValue::from_str(&text)
    }

    fn decode<O: for<'de> serde::Deserialize<'de>>(input: JsValue) -> O {
        let text = input.as_string().unwrap_or_default();
        serde_json::from_str(&text).expect("worker messages are the JSON this module wrote")
    }
}
