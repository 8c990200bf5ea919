//! Conversions between text and values: `string` (compact JSON for arrays and objects),
//! `json` (parses JSON text; `json('null')` is null), `base64`/`base64ToString`.

use serde_json::Value;

use super::super::error::EvalError;
use super::super::value::{argument, arity, string_argument, to_text};

pub(super) fn call(name: &str, arguments: &[Value]) -> Option<Result<Value, EvalError>> {
    let result = match name {
        "string" => arity(name, arguments, 1, 1)
            .and_then(|()| argument(name, arguments, 0))
            .map(|value| Value::String(to_text(value))),
        "json" => json(arguments),
        "base64" => arity(name, arguments, 1, 1)
            .and_then(|()| string_argument(name, arguments, 0))
            .map(|text| Value::String(encode_base64(text.as_bytes()))),
        "base64tostring" => arity(name, arguments, 1, 1)
            .and_then(|()| string_argument(name, arguments, 0))
            .and_then(decode_base64),
        _ => return None,
    };
    Some(result)
}

fn json(arguments: &[Value]) -> Result<Value, EvalError> {
    arity("json", arguments, 1, 1)?;
    let text = string_argument("json", arguments, 0)?;
    serde_json::from_str(text)
        .map_err(|error| EvalError::invalid(format!("`json` cannot parse its argument: {error}")))
}

const BASE64: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

fn encode_base64(bytes: &[u8]) -> String {
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let group = chunk.iter().enumerate().fold(0u32, |acc, (i, byte)| {
            acc | (u32::from(*byte) << (16 - 8 * i))
        });
        for position in 0..4 {
            if position <= chunk.len() {
                let digit = (group >> (18 - 6 * position)) & 63;
                out.push(char::from(BASE64[digit as usize]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

fn decode_base64(text: &str) -> Result<Value, EvalError> {
    let invalid = || EvalError::invalid("`base64ToString` needs base64 text");
    let mut bits = 0u32;
    let mut count = 0;
    let mut bytes = Vec::new();
    for c in text.trim_end_matches('=').bytes() {
        let digit = BASE64
            .iter()
            .position(|b| *b == c)
            .and_then(|d| u32::try_from(d).ok())
            .ok_or_else(invalid)?;
        bits = (bits << 6) | digit;
        count += 6;
        if count >= 8 {
            count -= 8;
            bytes.push(((bits >> count) & 0xff) as u8);
        }
    }
    String::from_utf8(bytes)
        .map(Value::String)
        .map_err(|_| invalid())
}
