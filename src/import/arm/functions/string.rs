//! String functions: `concat` (strings, or arrays), `format` (.NET composite formatting of
//! `{0}` items), case, `replace`, `split`, `substring`, `trim`, prefix and suffix tests,
//! `indexOf`/`lastIndexOf`, `padLeft`, `uri`, and the deterministic `uniqueString`/`guid`.

use serde_json::Value;

use super::super::error::EvalError;
use super::super::hash::{guid, unique_string};
use super::super::value::{arity, int_argument, string_argument, to_text, type_name, wrong_type};

pub(super) fn call(name: &str, arguments: &[Value]) -> Option<Result<Value, EvalError>> {
    let result = match name {
        "concat" => concat(arguments),
        "format" => format(arguments),
        "tolower" => unary(name, arguments, |text| text.to_lowercase()),
        "toupper" => unary(name, arguments, |text| text.to_uppercase()),
        "trim" => unary(name, arguments, |text| text.trim().to_string()),
        "replace" => replace(arguments),
        "split" => split(arguments),
        "substring" => substring(arguments),
        "startswith" => affix(name, arguments, |text, affix| text.starts_with(affix)),
        "endswith" => affix(name, arguments, |text, affix| text.ends_with(affix)),
        "indexof" => position(name, arguments, |text, part| text.find(part)),
        "lastindexof" => position(name, arguments, |text, part| text.rfind(part)),
        "padleft" => pad_left(arguments),
        "uri" => uri(arguments),
        "uniquestring" => hashed(name, arguments, unique_string),
        "guid" => hashed(name, arguments, guid),
        _ => return None,
    };
    Some(result)
}

fn unary(
    name: &str,
    arguments: &[Value],
    transform: fn(&str) -> String,
) -> Result<Value, EvalError> {
    arity(name, arguments, 1, 1)?;
    Ok(Value::String(transform(string_argument(
        name, arguments, 0,
    )?)))
}

/// Strings are joined; arrays are concatenated (ARM decides by the first argument).
fn concat(arguments: &[Value]) -> Result<Value, EvalError> {
    if arguments.first().is_some_and(Value::is_array) {
        let mut items = Vec::new();
        for (index, argument) in arguments.iter().enumerate() {
            match argument {
                Value::Array(more) => items.extend(more.iter().cloned()),
                other => return Err(wrong_type("concat", index, "an array", other)),
            }
        }
        return Ok(Value::Array(items));
    }
    let mut text = String::new();
    for (index, argument) in arguments.iter().enumerate() {
        match argument {
            Value::Array(_) | Value::Object(_) => {
                return Err(wrong_type(
                    "concat",
                    index,
                    "a string, int or bool",
                    argument,
                ))
            }
            other => text.push_str(&to_text(other)),
        }
    }
    Ok(Value::String(text))
}

/// `format('{0}-{1:D2}', a, b)`: `{{` and `}}` are literal braces; `D`/`d` pads integers.
fn format(arguments: &[Value]) -> Result<Value, EvalError> {
    arity("format", arguments, 1, usize::MAX)?;
    let pattern = string_argument("format", arguments, 0)?;
    let values = arguments.get(1..).unwrap_or_default();
    let mut out = String::new();
    let mut chars = pattern.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '{' if chars.peek() == Some(&'{') => {
                chars.next();
                out.push('{');
            }
            '}' if chars.peek() == Some(&'}') => {
                chars.next();
                out.push('}');
            }
            '{' => {
                let mut item = String::new();
                loop {
                    match chars.next() {
                        Some('}') => break,
                        Some(c) => item.push(c),
                        None => {
                            return Err(EvalError::invalid(format!(
                                "the format item `{{{item}` is not closed"
                            )))
                        }
                    }
                }
                out.push_str(&format_item(&item, values)?);
            }
            '}' => {
                return Err(EvalError::invalid(
                    "a lone `}` in a format string (write `}}`)",
                ))
            }
            c => out.push(c),
        }
    }
    Ok(Value::String(out))
}

fn format_item(item: &str, values: &[Value]) -> Result<String, EvalError> {
    let (index, spec) = item.split_once(':').unwrap_or((item, ""));
    let value = index
        .trim()
        .parse::<usize>()
        .ok()
        .and_then(|index| values.get(index))
        .ok_or_else(|| {
            EvalError::invalid(format!(
                "format item `{{{item}}}` names no argument ({} given)",
                values.len()
            ))
        })?;
    if spec.is_empty() {
        return Ok(to_text(value));
    }
    let width = spec
        .get(1..)
        .filter(|digits| !digits.is_empty())
        .map(str::parse::<usize>);
    match (spec.chars().next(), value.as_i64(), width) {
        (Some('D' | 'd'), Some(number), None) => Ok(number.to_string()),
        (Some('D' | 'd'), Some(number), Some(Ok(width))) if width <= 64 => {
            let sign = if number < 0 { "-" } else { "" };
            Ok(format!("{sign}{:0width$}", number.unsigned_abs()))
        }
        _ => Err(EvalError::unsupported(format!(
            "the format specifier `{spec}` (only `D`/`Dn` for ints is supported)"
        ))),
    }
}

fn replace(arguments: &[Value]) -> Result<Value, EvalError> {
    arity("replace", arguments, 3, 3)?;
    let text = string_argument("replace", arguments, 0)?;
    let old = string_argument("replace", arguments, 1)?;
    let new = string_argument("replace", arguments, 2)?;
    if old.is_empty() {
        return Err(EvalError::invalid(
            "`replace` cannot replace an empty string",
        ));
    }
    Ok(Value::String(text.replace(old, new)))
}

fn split(arguments: &[Value]) -> Result<Value, EvalError> {
    arity("split", arguments, 2, 2)?;
    let text = string_argument("split", arguments, 0)?;
    let delimiters: Vec<String> = match arguments.get(1) {
        Some(Value::String(delimiter)) => vec![delimiter.clone()],
        Some(Value::Array(delimiters)) => delimiters.iter().map(to_text).collect(),
        Some(other) => return Err(wrong_type("split", 1, "a string or an array", other)),
        None => Vec::new(),
    };
    let delimiters: Vec<&String> = delimiters.iter().filter(|d| !d.is_empty()).collect();
    // Each delimiter's next occurrence at or after `cursor`, searched again only once passed,
    // so the text is scanned once per delimiter.
    let find_from = |delimiter: &str, from: usize| {
        text.get(from..)
            .and_then(|rest| rest.find(delimiter))
            .map(|at| from + at)
    };
    let mut next: Vec<Option<usize>> = delimiters.iter().map(|d| find_from(d, 0)).collect();
    let mut parts = Vec::new();
    let mut cursor = 0;
    loop {
        for (delimiter, found) in delimiters.iter().zip(next.iter_mut()) {
            if found.is_some_and(|at| at < cursor) {
                *found = find_from(delimiter, cursor);
            }
        }
        let earliest = next
            .iter()
            .zip(&delimiters)
            .filter_map(|(found, delimiter)| found.map(|at| (at, delimiter.len())))
            .min();
        let end = earliest.map_or(text.len(), |(at, _)| at);
        parts.push(Value::String(
            text.get(cursor..end).unwrap_or_default().to_string(),
        ));
        match earliest {
            Some((at, length)) => cursor = at + length,
            None => break,
        }
    }
    Ok(Value::Array(parts))
}

/// `substring(text, start, length?)`, in characters; out of range is an error, as in ARM.
fn substring(arguments: &[Value]) -> Result<Value, EvalError> {
    arity("substring", arguments, 2, 3)?;
    let text: Vec<char> = string_argument("substring", arguments, 0)?
        .chars()
        .collect();
    let start = int_argument("substring", arguments, 1)?;
    let length = match arguments.get(2) {
        Some(_) => int_argument("substring", arguments, 2)?,
        None => i64::try_from(text.len()).unwrap_or(i64::MAX) - start,
    };
    let range = usize::try_from(start)
        .ok()
        .zip(usize::try_from(length).ok())
        .and_then(|(start, length)| Some(start..start.checked_add(length)?))
        .and_then(|range| text.get(range));
    match range {
        Some(chars) => Ok(Value::String(chars.iter().collect())),
        None => Err(EvalError::invalid(format!(
            "substring({start}, {length}) is outside a string of {} character(s)",
            text.len()
        ))),
    }
}

fn affix(
    name: &str,
    arguments: &[Value],
    test: fn(&str, &str) -> bool,
) -> Result<Value, EvalError> {
    arity(name, arguments, 2, 2)?;
    let text = string_argument(name, arguments, 0)?.to_lowercase();
    let affix = string_argument(name, arguments, 1)?.to_lowercase();
    Ok(Value::Bool(test(&text, &affix)))
}

/// Case-insensitive position in characters, -1 when absent.
fn position(
    name: &str,
    arguments: &[Value],
    find: fn(&str, &str) -> Option<usize>,
) -> Result<Value, EvalError> {
    arity(name, arguments, 2, 2)?;
    let text = string_argument(name, arguments, 0)?.to_lowercase();
    let part = string_argument(name, arguments, 1)?.to_lowercase();
    let index = find(&text, &part)
        .map(|byte| text.get(..byte).unwrap_or_default().chars().count())
        .and_then(|index| i64::try_from(index).ok())
        .unwrap_or(-1);
    Ok(Value::from(index))
}

fn pad_left(arguments: &[Value]) -> Result<Value, EvalError> {
    arity("padLeft", arguments, 2, 3)?;
    let text = match arguments.first() {
        Some(value @ (Value::String(_) | Value::Number(_))) => to_text(value),
        Some(other) => return Err(wrong_type("padLeft", 0, "a string or an int", other)),
        None => String::new(),
    };
    let width = usize::try_from(int_argument("padLeft", arguments, 1)?)
        .ok()
        .filter(|width| *width <= 16 * 1024)
        .ok_or_else(|| EvalError::invalid("`padLeft` needs a width from 0 to 16384"))?;
    let fill = match arguments.get(2) {
        Some(Value::String(fill)) if fill.chars().count() == 1 => fill.clone(),
        Some(other) => return Err(wrong_type("padLeft", 2, "a one-character string", other)),
        None => " ".to_string(),
    };
    let missing = width.saturating_sub(text.chars().count());
    Ok(Value::String(format!("{}{text}", fill.repeat(missing))))
}

/// `uri(base, relative)`: an absolute path replaces the base's path; otherwise the relative
/// part replaces what follows the base's last `/`.
fn uri(arguments: &[Value]) -> Result<Value, EvalError> {
    arity("uri", arguments, 2, 2)?;
    let base = string_argument("uri", arguments, 0)?;
    let relative = string_argument("uri", arguments, 1)?;
    let Some(scheme_end) = base.find("://") else {
        return Err(EvalError::invalid(format!(
            "`{base}` is not an absolute URI"
        )));
    };
    let authority_start = scheme_end + 3;
    let root = match base.get(authority_start..).and_then(|rest| rest.find('/')) {
        Some(slash) => base.get(..authority_start + slash).unwrap_or(base),
        None => base,
    };
    let joined = if let Some(path) = relative.strip_prefix('/') {
        format!("{root}/{path}")
    } else {
        match base.rfind('/').filter(|slash| *slash >= authority_start) {
            Some(slash) => format!("{}/{relative}", base.get(..slash).unwrap_or(base)),
            None => format!("{base}/{relative}"),
        }
    };
    Ok(Value::String(joined))
}

fn hashed(
    name: &str,
    arguments: &[Value],
    hash: fn(&[String]) -> String,
) -> Result<Value, EvalError> {
    arity(name, arguments, 1, usize::MAX)?;
    let parts = arguments
        .iter()
        .enumerate()
        .map(|(index, argument)| match argument {
            Value::String(text) => Ok(text.clone()),
            other => Err(EvalError::invalid(format!(
                "argument {} of `{name}` must be a string, but is {}",
                index + 1,
                type_name(other)
            ))),
        })
        .collect::<Result<Vec<_>, _>>()?;
    Ok(Value::String(hash(&parts)))
}
