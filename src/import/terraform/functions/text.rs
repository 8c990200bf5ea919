//! String and encoding functions: `format`, `formatlist`, `join`, `split`, `replace`,
//! `lower`, `upper`, `title`, `trim*`, `substr`, `startswith`, `endswith`, `strrev`, `chomp`,
//! `jsonencode`, `jsondecode`. `replace` with a `/regex/` pattern is not evaluated (a
//! placeholder, reported).

use serde_json::Value;

use super::{fail, integer, list, one, string, three, two, Charge, Failure, Outcome};
use crate::import::budget::{string_bytes, Cost};

/// `Some` when `name` is a text function.
pub(super) fn call(name: &str, args: &[Value], charge: Charge) -> Option<Outcome> {
    let unary = |transform: fn(&str) -> String| -> Outcome {
        Ok(Value::String(transform(&string(one(name, args)?)?)))
    };
    Some(match name {
        "format" => format_call(args, charge),
        "formatlist" => formatlist(args, charge),
        "join" => join(args, charge),
        "split" => (|| {
            let [separator, text] = two(name, args)?;
            let (separator, text) = (string(separator)?, string(text)?);
            if text.is_empty() {
                return Ok(Value::Array(Vec::new()));
            }
            Ok(Value::Array(
                text.split(separator.as_str())
                    .map(|part| Value::String(part.to_string()))
                    .collect(),
            ))
        })(),
        "replace" => replace(args, charge),
        "lower" => unary(str::to_lowercase),
        "upper" => unary(str::to_uppercase),
        "title" => unary(title),
        "trimspace" => unary(|text| text.trim().to_string()),
        "chomp" => unary(|text| text.trim_end_matches(['\r', '\n']).to_string()),
        "strrev" => unary(|text| text.chars().rev().collect()),
        "trim" | "trimprefix" | "trimsuffix" => (|| {
            let [text, cut] = two(name, args)?;
            let (text, cut) = (string(text)?, string(cut)?);
            Ok(Value::String(match name {
                "trim" => text.trim_matches(|c| cut.contains(c)).to_string(),
                "trimprefix" => text.strip_prefix(cut.as_str()).unwrap_or(&text).to_string(),
                _ => text.strip_suffix(cut.as_str()).unwrap_or(&text).to_string(),
            }))
        })(),
        "startswith" | "endswith" => (|| {
            let [text, part] = two(name, args)?;
            let (text, part) = (string(text)?, string(part)?);
            Ok(Value::Bool(if name == "startswith" {
                text.starts_with(&part)
            } else {
                text.ends_with(&part)
            }))
        })(),
        "substr" => (|| {
            let [text, offset, length] = three(name, args)?;
            let chars: Vec<char> = string(text)?.chars().collect();
            let (offset, length) = (integer(offset)?, integer(length)?);
            let start = if offset < 0 {
                chars.len().saturating_sub(offset.unsigned_abs() as usize)
            } else {
                (offset as usize).min(chars.len())
            };
            let end = if length < 0 {
                chars.len()
            } else {
                start.saturating_add(length as usize).min(chars.len())
            };
            Ok(Value::String(chars[start..end].iter().collect()))
        })(),
        "jsonencode" => (|| {
            let value = one(name, args)?;
            Ok(Value::String(
                serde_json::to_string(value).map_err(|e| Failure::Invalid(e.to_string()))?,
            ))
        })(),
        "jsondecode" => (|| {
            let text = string(one(name, args)?)?;
            serde_json::from_str(&text)
                .map_err(|error| Failure::Invalid(format!("jsondecode: {error}")))
        })(),
        _ => return None,
    })
}

fn title(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut start = true;
    for c in text.chars() {
        if start {
            out.extend(c.to_uppercase());
        } else {
            out.push(c);
        }
        start = !c.is_alphanumeric();
    }
    out
}

fn join(args: &[Value], charge: Charge) -> Outcome {
    let Some((separator, lists)) = args.split_first() else {
        return fail("join needs a separator and lists");
    };
    let separator = string(separator)?;
    let mut parts = Vec::new();
    for items in lists {
        for item in list(items)? {
            parts.push(string(item)?);
        }
    }
    let size: usize = parts.iter().map(String::len).sum::<usize>()
        + separator.len() * parts.len().saturating_sub(1);
    charge(Cost::bytes(string_bytes(size as u64))).map_err(Failure::Budget)?;
    Ok(Value::String(parts.join(&separator)))
}

fn replace(args: &[Value], charge: Charge) -> Outcome {
    let [text, search, replacement] = three("replace", args)?;
    let (text, search, replacement) = (string(text)?, string(search)?, string(replacement)?);
    if search.len() > 1 && search.starts_with('/') && search.ends_with('/') {
        return Err(Failure::Unknown(
            "`replace` with a regular expression is not evaluated".to_string(),
        ));
    }
    if search.is_empty() {
        return Ok(Value::String(text));
    }
    let matches = text.matches(search.as_str()).count() as u64;
    let bound =
        (text.len() as u64).saturating_add(matches.saturating_mul(replacement.len() as u64));
    charge(Cost::bytes(string_bytes(bound))).map_err(Failure::Budget)?;
    Ok(Value::String(text.replace(&search, &replacement)))
}

fn formatlist(args: &[Value], charge: Charge) -> Outcome {
    let Some((pattern, rest)) = args.split_first() else {
        return fail("formatlist needs a format");
    };
    let length = rest
        .iter()
        .filter_map(Value::as_array)
        .map(Vec::len)
        .max()
        .unwrap_or(1);
    let mut out = Vec::new();
    for position in 0..length {
        let mut row = vec![pattern.clone()];
        for arg in rest {
            row.push(match arg {
                Value::Array(items) => items
                    .get(position)
                    .cloned()
                    .map_or_else(|| fail("formatlist: the lists differ in length"), Ok)?,
                single => single.clone(),
            });
        }
        out.push(format_call(&row, charge)?);
    }
    Ok(Value::Array(out))
}

/// `format`: verbs `%s %d %f %t %v %q %%`, with width and precision (`%03d`, `%.2f`).
fn format_call(args: &[Value], charge: Charge) -> Outcome {
    let Some((pattern, values)) = args.split_first() else {
        return fail("format needs a format string");
    };
    let pattern = string(pattern)?;
    let mut values = values.iter();
    let mut out = String::new();
    let mut chars = pattern.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '%' {
            out.push(c);
            continue;
        }
        let mut spec = String::new();
        while let Some(&next) = chars.peek() {
            if next.is_ascii_digit() || matches!(next, '.' | '-' | '+' | ' ' | '#') {
                spec.push(next);
                chars.next();
            } else {
                break;
            }
        }
        let Some(verb) = chars.next() else {
            return fail("format: the pattern ends inside a verb");
        };
        if verb == '%' {
            out.push('%');
            continue;
        }
        let Some(value) = values.next() else {
            return fail(format!("format: no value for `%{spec}{verb}`"));
        };
        let (width, precision) = match spec
            .trim_start_matches(['-', '+', ' ', '#'])
            .split_once('.')
        {
            Some((width, precision)) => (width.to_string(), precision.parse::<usize>().ok()),
            None => (
                spec.trim_start_matches(['-', '+', ' ', '#']).to_string(),
                None,
            ),
        };
        let zero_pad = width.starts_with('0');
        let width: usize = width.parse().unwrap_or(0);
        let padding_bound = (width as u64).saturating_add(precision.unwrap_or(0) as u64);
        charge(Cost::bytes(string_bytes(padding_bound))).map_err(Failure::Budget)?;
        let text = match verb {
            's' | 'v' => match value {
                Value::Array(_) | Value::Object(_) if verb == 'v' => value.to_string(),
                other => string(other)?,
            },
            'q' => Value::String(string(value)?).to_string(),
            't' => super::super::values::to_bool(value)
                .map_err(Failure::Invalid)?
                .to_string(),
            'd' => integer(value)?.to_string(),
            'f' => {
                let number = super::super::values::to_number(value).map_err(Failure::Invalid)?;
                format!("{number:.*}", precision.unwrap_or(6))
            }
            other => return fail(format!("format: unsupported verb `%{other}`")),
        };
        let padding = width.saturating_sub(text.chars().count());
        if spec.starts_with('-') {
            out.push_str(&text);
            out.extend(std::iter::repeat_n(' ', padding));
        } else if zero_pad && verb == 'd' {
            let (sign, digits) = text
                .strip_prefix('-')
                .map_or(("", text.as_str()), |d| ("-", d));
            out.push_str(sign);
            out.extend(std::iter::repeat_n('0', padding));
            out.push_str(digits);
        } else {
            out.extend(std::iter::repeat_n(' ', padding));
            out.push_str(&text);
        }
    }
    Ok(Value::String(out))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn run(name: &str, args: Value) -> Value {
        let args = args.as_array().unwrap().clone();
        call(name, &args, &|_| Ok(())).unwrap().unwrap()
    }

    #[test]
    fn text_functions() {
        assert_eq!(
            run("format", json!(["%s-%03d-%.1f%%", "a", 7, 2.25])),
            json!("a-007-2.2%")
        );
        assert_eq!(
            run("format", json!(["%-3s|%q|%t|%v", "a", "b", true, [1]])),
            json!("a  |\"b\"|true|[1]")
        );
        assert_eq!(
            run("formatlist", json!(["%s=%s", ["a", "b"], "x"])),
            json!(["a=x", "b=x"])
        );
        assert_eq!(run("join", json!([",", ["a", "b"], ["c"]])), json!("a,b,c"));
        assert_eq!(run("split", json!([",", "a,b"])), json!(["a", "b"]));
        assert_eq!(run("split", json!([",", ""])), json!([]));
        assert_eq!(run("replace", json!(["a-b-c", "-", "_"])), json!("a_b_c"));
        assert_eq!(run("lower", json!(["AbC"])), json!("abc"));
        assert_eq!(run("upper", json!(["AbC"])), json!("ABC"));
        assert_eq!(run("title", json!(["hello world"])), json!("Hello World"));
        assert_eq!(run("trimspace", json!([" a "])), json!("a"));
        assert_eq!(run("trim", json!(["?!a!?", "!?"])), json!("a"));
        assert_eq!(run("trimprefix", json!(["snet-a", "snet-"])), json!("a"));
        assert_eq!(run("trimsuffix", json!(["a.tf", ".tf"])), json!("a"));
        assert_eq!(run("startswith", json!(["abc", "ab"])), json!(true));
        assert_eq!(run("endswith", json!(["abc", "ab"])), json!(false));
        assert_eq!(run("substr", json!(["hello", 1, 3])), json!("ell"));
        assert_eq!(run("substr", json!(["hello", -3, -1])), json!("llo"));
        assert_eq!(run("strrev", json!(["abc"])), json!("cba"));
        assert_eq!(run("chomp", json!(["a\n"])), json!("a"));
        assert_eq!(run("jsonencode", json!([{"a": [1]}])), json!("{\"a\":[1]}"));
        assert_eq!(run("jsondecode", json!(["{\"a\":[1]}"])), json!({"a": [1]}));
    }

    #[test]
    fn regex_replace_is_reported_not_guessed() {
        assert!(matches!(
            call("replace", &[json!("a"), json!("/a/"), json!("b")], &|_| Ok(
                ()
            )),
            Some(Err(Failure::Unknown(_)))
        ));
    }
}
