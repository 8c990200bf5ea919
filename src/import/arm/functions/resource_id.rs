//! Resource ID functions: `resourceId`, `subscriptionResourceId`, `tenantResourceId`,
//! `extensionResourceId`, built from the deployment context's subscription and resource group
//! unless given; and the inverse, splitting an ID into its full type and name.

use serde_json::Value;

use super::super::error::EvalError;
use super::super::evaluator::Evaluator;
use super::super::value::{arity, to_text, type_name};

pub(super) fn call(
    evaluator: &Evaluator,
    name: &str,
    arguments: &[Value],
) -> Option<Result<Value, EvalError>> {
    let context = &evaluator.scope.deployment;
    let result = match name {
        "resourceid" => strings(name, arguments).and_then(|parts| {
            let (scope, type_and_names) = split_at_type(name, &parts, 2)?;
            let (subscription, group) = match scope {
                [] => (
                    context.subscription_id.as_str(),
                    context.resource_group.as_str(),
                ),
                [group] => (context.subscription_id.as_str(), group.as_str()),
                [subscription, group] => (subscription.as_str(), group.as_str()),
                _ => unreachable_scope(name)?,
            };
            let prefix = format!("/subscriptions/{subscription}/resourceGroups/{group}");
            resource_id(&prefix, type_and_names).map(Value::String)
        }),
        "subscriptionresourceid" => strings(name, arguments).and_then(|parts| {
            let (scope, type_and_names) = split_at_type(name, &parts, 1)?;
            let subscription = scope
                .first()
                .map_or(context.subscription_id.as_str(), String::as_str);
            resource_id(&format!("/subscriptions/{subscription}"), type_and_names)
                .map(Value::String)
        }),
        "tenantresourceid" => strings(name, arguments).and_then(|parts| {
            let (_, type_and_names) = split_at_type(name, &parts, 0)?;
            resource_id("", type_and_names).map(Value::String)
        }),
        "extensionresourceid" => strings(name, arguments).and_then(|parts| {
            arity(name, arguments, 3, usize::MAX)?;
            let (parent, type_and_names) = parts
                .split_first()
                .ok_or_else(|| EvalError::invalid("`extensionResourceId` needs a parent ID"))?;
            resource_id(parent.trim_end_matches('/'), type_and_names).map(Value::String)
        }),
        _ => return None,
    };
    Some(result)
}

fn unreachable_scope<T>(name: &str) -> Result<T, EvalError> {
    Err(EvalError::invalid(format!(
        "`{name}` has too many arguments before the resource type"
    )))
}

fn strings(name: &str, arguments: &[Value]) -> Result<Vec<String>, EvalError> {
    arguments
        .iter()
        .enumerate()
        .map(|(index, argument)| match argument {
            Value::String(_) | Value::Number(_) => Ok(to_text(argument)),
            other => Err(EvalError::invalid(format!(
                "argument {} of `{name}` must be a string, but is {}",
                index + 1,
                type_name(other)
            ))),
        })
        .collect()
}

/// The arguments before the resource type (at most `max_scope`), and the type and names.
fn split_at_type<'p>(
    name: &str,
    parts: &'p [String],
    max_scope: usize,
) -> Result<(&'p [String], &'p [String]), EvalError> {
    let position = parts
        .iter()
        .position(|part| part.contains('/'))
        .filter(|position| *position <= max_scope)
        .ok_or_else(|| {
            EvalError::invalid(format!(
                "`{name}` needs a resource type like `Microsoft.Network/virtualNetworks`"
            ))
        })?;
    Ok(parts.split_at(position))
}

/// `{prefix}/providers/{namespace}/{type}/{name}[/{child type}/{child name}…]`; the names
/// may also be given joined with `/`.
pub(crate) fn resource_id(prefix: &str, type_and_names: &[String]) -> Result<String, EvalError> {
    let Some((full_type, names)) = type_and_names.split_first() else {
        return Err(EvalError::invalid("a resource ID needs a resource type"));
    };
    let mut segments = full_type.trim_matches('/').split('/');
    let namespace = segments.next().unwrap_or_default();
    let types: Vec<&str> = segments.collect();
    let names: Vec<&str> = names
        .iter()
        .flat_map(|name| name.split('/'))
        .filter(|name| !name.is_empty())
        .collect();
    if types.is_empty() || types.len() != names.len() {
        return Err(EvalError::invalid(format!(
            "the resource type `{full_type}` needs {} name(s), but {} given",
            types.len(),
            names.len()
        )));
    }
    let mut id = format!("{prefix}/providers/{namespace}");
    for (type_segment, name) in types.iter().zip(&names) {
        id.push_str(&format!("/{type_segment}/{name}"));
    }
    Ok(id)
}

/// The full type (`Microsoft.Network/virtualNetworks/subnets`) and name (`vnet/subnet`) of a
/// resource ID; `None` when the text is not one.
pub(crate) fn split_resource_id(id: &str) -> Option<(String, String)> {
    let lower = id.to_ascii_lowercase();
    let start = lower.rfind("/providers/")? + "/providers/".len();
    let mut segments = id.get(start..)?.split('/').filter(|s| !s.is_empty());
    let namespace = segments.next()?;
    let rest: Vec<&str> = segments.collect();
    if rest.is_empty() || !rest.len().is_multiple_of(2) {
        return None;
    }
    let types: Vec<&str> = rest.iter().step_by(2).copied().collect();
    let names: Vec<&str> = rest.iter().skip(1).step_by(2).copied().collect();
    Some((format!("{namespace}/{}", types.join("/")), names.join("/")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_split_back_into_type_and_name() {
        let id = resource_id(
            "/subscriptions/s/resourceGroups/g",
            &[
                "Microsoft.Network/virtualNetworks/subnets".to_string(),
                "vnet".to_string(),
                "snet".to_string(),
            ],
        )
        .unwrap();
        assert_eq!(
            id,
            "/subscriptions/s/resourceGroups/g/providers/Microsoft.Network/virtualNetworks/vnet/subnets/snet"
        );
        assert_eq!(
            split_resource_id(&id),
            Some((
                "Microsoft.Network/virtualNetworks/subnets".to_string(),
                "vnet/snet".to_string()
            ))
        );
        assert_eq!(split_resource_id("not an id"), None);
    }
}
