//! The codec of the workers' messages: JavaScript values (serde-wasm-bindgen). A field marked
//! `serde_wasm_bindgen::preserve` (a picked `File`) crosses as the object itself; strings
//! (a design's parts, an answer's JSON text) cross as strings, never escaped into JSON. The
//! design's serde form skips empty fields, which gloo-worker's default bincode cannot read back.

use gloo_worker::Codec;
use wasm_bindgen::JsValue;

/// Messages as JavaScript values.
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
