//! The codecs of the workers' messages. The design's serde form skips empty fields, which
//! gloo-worker's default bincode cannot read back.

use gloo_worker::Codec;
use wasm_bindgen::JsValue;

/// Messages as JSON text (the analysis worker's jobs and answers).
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

/// Messages as JavaScript values (serde-wasm-bindgen): a field marked
/// `serde_wasm_bindgen::preserve` (a picked `File`) crosses as the object itself. The import
/// module's jobs and answers.
pub struct JsValues;

impl Codec for JsValues {
    fn encode<I: serde::Serialize>(input: I) -> JsValue {
        serde_wasm_bindgen::to_value(&input).expect("worker messages convert to JavaScript values")
    }

    fn decode<O: for<'de> serde::Deserialize<'de>>(input: JsValue) -> O {
        serde_wasm_bindgen::from_value(input)
            .expect("worker messages are the JavaScript values this module wrote")
    }
}
