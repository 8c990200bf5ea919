//! The JSON path of a parse error, found from serde_json's position (`import::error_path`), agrees
//! with a path-tracking deserializer (serde_path_to_error, which the page no longer links) on
//! every kind of bad value: each scalar of the built-in designs and lab files replaced by one
//! of another type, each member removed, an unknown member added to each object, containers
//! swapped for scalars, and the text cut short; in pretty text with Unix and Windows line ends
//! and in compact text.

#![cfg(not(target_arch = "wasm32"))]

use serde::de::DeserializeOwned;
use serde_json::{json, Value};
use vnetlab::import::{error_path, json_path, tracked_segments, value_at, PathSegment};
use vnetlab::model::Design;
use vnetlab::view::lab::Lab;

/// Both paths of `text`'s error as a `T`, or `None` when `text` parses.
fn both_paths<T: DeserializeOwned>(text: &str) -> Option<(String, String)> {
    let plain = serde_json::from_str::<T>(text).err()?;
    let located = json_path(&error_path(text, &plain));
    let mut deserializer = serde_json::Deserializer::from_str(text);
    let Err(tracked) = serde_path_to_error::deserialize::<_, T>(&mut deserializer) else {
        panic!("the path-tracking parse accepts what the plain one rejects: {text}");
    };
    Some((located, json_path(&tracked_segments(tracked.path()))))
}

/// Every place in `value`, as the pointer-like steps to it.
fn places(value: &Value, at: &mut Vec<PathSegment>, out: &mut Vec<Vec<PathSegment>>) {
    out.push(at.clone());
    match value {
        Value::Object(members) => {
            for (key, member) in members {
                at.push(PathSegment::Key(key.clone()));
                places(member, at, out);
                at.pop();
            }
        }
        Value::Array(elements) => {
            for (index, element) in elements.iter().enumerate() {
                at.push(PathSegment::Index(index));
                places(element, at, out);
                at.pop();
            }
        }
        _ => {}
    }
}

fn place_mut<'v>(value: &'v mut Value, at: &[PathSegment]) -> &'v mut Value {
    at.iter().fold(value, |value, segment| match segment {
        PathSegment::Index(index) => &mut value[*index],
        PathSegment::Key(key) => &mut value[key.as_str()],
    })
}

/// A value of another type than `value`.
fn retyped(value: &Value) -> Value {
    match value {
        Value::String(_) => json!(12345),
        Value::Number(_) => json!("not a number"),
        Value::Bool(_) => json!("yes"),
        Value::Null => json!([1]),
        Value::Array(_) => json!({"a": 1}),
        Value::Object(_) => json!("an object was expected"),
    }
}

/// The mutated documents of `document`: one per place and kind of mutation.
fn mutations(document: &Value) -> Vec<Value> {
    let mut all = Vec::new();
    places(document, &mut Vec::new(), &mut all);
    let mut mutated = Vec::new();
    for at in &all {
        let mut copy = document.clone();
        let place = place_mut(&mut copy, at);
        *place = retyped(place);
        mutated.push(copy);
        if let Some((PathSegment::Key(key), parent)) = at.split_last() {
            let mut copy = document.clone();
            if let Value::Object(members) = place_mut(&mut copy, parent) {
                members.remove(key);
            }
            mutated.push(copy);
        }
        if value_at(document, at).is_some_and(Value::is_object) {
            let mut copy = document.clone();
            if let Value::Object(members) = place_mut(&mut copy, at) {
                // Not ASCII: columns count bytes, not characters.
                members.insert("nicht_gewählt_ü".into(), json!(1));
            }
            mutated.push(copy);
        }
    }
    mutated
}

/// Checks every mutation of the JSON files in `folder` as a `T`, in pretty and compact text,
/// and every cut of the file's text; returns how many failed to parse (each compared).
fn agree_on_folder<T: DeserializeOwned>(folder: &str) -> usize {
    let mut compared = 0;
    let mut disagreements = Vec::new();
    let mut files: Vec<_> = std::fs::read_dir(folder)
        .expect("folder")
        .map(|entry| entry.expect("entry").path())
        .filter(|path| path.extension().is_some_and(|e| e == "json"))
        .collect();
    files.sort();
    for file in files {
        let text = std::fs::read_to_string(&file).expect("file");
        let document: Value = serde_json::from_str(&text).expect("the built-in file is JSON");
        let cuts = (1..text.len())
            .step_by(97)
            .map(|end| text[..end].to_string());
        let mutated = mutations(&document).into_iter().flat_map(|value| {
            let pretty = serde_json::to_string_pretty(&value).expect("text");
            // Windows line ends: serde_json counts a line at each `\n` and a column at every byte.
            let windows = pretty.replace('\n', "\r\n");
            [
                pretty,
                windows,
                serde_json::to_string(&value).expect("text"),
            ]
        });
        for candidate in cuts.chain(mutated) {
            let Some((located, tracked)) = both_paths::<T>(&candidate) else {
                continue;
            };
            compared += 1;
            if located != tracked && disagreements.len() < 10 {
                let error = serde_json::from_str::<T>(&candidate)
                    .err()
                    .map(|e| e.to_string());
                disagreements.push(format!(
                    "{}: located {located}, tracked {tracked} ({error:?})",
                    file.display()
                ));
            }
        }
    }
    assert!(disagreements.is_empty(), "{disagreements:#?}");
    compared
}

#[test]
fn designs_errors_are_located_as_a_path_tracking_parse_locates_them() {
    let compared = agree_on_folder::<Design>("static/examples");
    assert!(compared > 1000, "only {compared} bad designs compared");
}

#[test]
fn lab_files_errors_are_located_as_a_path_tracking_parse_locates_them() {
    let compared = agree_on_folder::<Lab>("static/labs");
    assert!(compared > 500, "only {compared} bad lab files compared");
}

/// The located path of `text`'s error as a `T`, checked against the tracked path.
fn located<T: DeserializeOwned>(text: &str) -> String {
    let (located, tracked) = both_paths::<T>(text).expect("the text is not a T");
    assert_eq!(located, tracked, "{text}");
    located
}

#[test]
fn trailing_text_names_the_document_and_a_cut_text_what_is_still_open() {
    let trailing = "{\"a\": 1} x";
    let error = serde_json::from_str::<Value>(trailing).expect_err("trailing text");
    assert_eq!(json_path(&error_path(trailing, &error)), "$");
    assert_eq!(
        located::<Value>("{\"a\": [1, {\"b c\": "),
        "$.a[1][\"b c\"]"
    );
    assert_eq!(located::<Value>("{\"a\": [1, {\"b c"), "$.a[1]");
    assert_eq!(located::<Value>("{\"a\": [1, {\"b c\""), "$.a[1]");
    assert_eq!(located::<Value>("{\"a\": [1, nul"), "$.a[1]");
    assert_eq!(located::<Value>("{\"a\": [1, null"), "$.a");
    assert_eq!(located::<Vec<u8>>("[1,\n  300]"), "$[1]");
}

#[test]
fn a_syntax_error_after_an_element_names_the_array_and_a_data_error_the_element() {
    assert_eq!(located::<Value>("{\"a\":\n [true,\n 7}"), "$.a");
    #[derive(Debug, serde::Deserialize)]
    #[serde(untagged)]
    enum NumberOrText {
        Number(u8),
        Text(String),
    }
    let parsed: Vec<NumberOrText> = serde_json::from_str("[1, \"a\"]").expect("both variants");
    assert!(
        matches!(&parsed[..], [NumberOrText::Number(1), NumberOrText::Text(t)] if t == "a"),
        "{parsed:?}"
    );
    assert_eq!(located::<Vec<NumberOrText>>("[1,\n  true ,\n 2]"), "$[1]");
    assert_eq!(located::<Vec<NumberOrText>>("[1, true]"), "$[1]");
}
