//! Deploying a template, simulated: resources are declared (copy loops expanded, conditions
//! applied, child resources given full types and names) and then evaluated; a nested
//! `Microsoft.Resources/deployments` deploys its inline template — in its own scope with the
//! parameters it passes (`inner`) or in its parent's (`outer`, ARM's default) — and its
//! `outputs` become what `reference()` returns for it.

use std::rc::Rc;

use serde_json::{json, Map, Value};

use super::copy::{count, describe, CopyIndices};
use super::environment::DeploymentContext;
use super::evaluator::Site;
use super::functions::resource_id;
use super::parameters::{declared, from_deployment, Supplied};
use super::resolve::{resolve, strict};
use super::run::{Run, Slot, SlotStart, SlotState};
use super::scope::Scope;
use super::value::{is_placeholder, to_text, type_name};
use crate::import::budget::Cost;
use crate::import::node::member_path;

const DEPLOYMENTS: &str = "Microsoft.Resources/deployments";

/// Members of a resource definition that steer the deployment rather than describe the
/// resource.
const CONTROL_MEMBERS: [&str; 9] = [
    "copy",
    "condition",
    "dependsOn",
    "resources",
    "comments",
    "existing",
    "type",
    "name",
    "parent",
];

/// Deploys `template` as the top-level template; its resources are then in `run`.
pub(super) fn deploy<'t>(
    run: &Run<'t>,
    template: &'t Value,
    context: DeploymentContext,
    supplied: Vec<(String, Supplied, String)>,
) {
    let parameters = declared(run, template, "$", supplied);
    let scope = Rc::new(Scope::new(
        run.new_scope_id(),
        template,
        "$".to_string(),
        context,
        parameters,
    ));
    deploy_in(run, &scope, template, "$");
}

/// Binds every parameter (so each problem is reported), declares and evaluates the resources
/// of `template` in `scope`.
fn deploy_in<'t>(run: &Run<'t>, scope: &Rc<Scope<'t>>, template: &'t Value, path: &str) {
    for name in scope.parameter_names() {
        let _ = scope.parameter(run, &name);
    }
    if template.get("functions").is_some() {
        let functions_path = format!("{path}.functions");
        run.note_unevaluated(
            &Site {
                path: &functions_path,
                element: "template",
            },
            "functions",
            "user-defined functions are not supported; expressions calling them are reported",
        );
    }
    let declared = declare_resources(run, scope, template, path, None, &CopyIndices::default());
    for index in declared {
        run.resolved(index);
    }
}

/// The resources of a template (or the children of a resource): symbolic-name objects
/// (`languageVersion` 2.0) or arrays.
fn members<'t>(container: &'t Value, path: &str) -> Vec<(Option<&'t str>, &'t Value, String)> {
    match container.get("resources") {
        Some(Value::Array(items)) => items
            .iter()
            .enumerate()
            .map(|(index, item)| (None, item, format!("{path}.resources[{index}]")))
            .collect(),
        Some(Value::Object(symbols)) => symbols
            .iter()
            .map(|(symbol, item)| {
                (
                    Some(symbol.as_str()),
                    item,
                    format!("{path}.resources{}", member_path(symbol)),
                )
            })
            .collect(),
        _ => Vec::new(),
    }
}

/// Declares the resources of `container` (copies expanded, conditions applied) and their
/// children; returns the declared slots.
fn declare_resources<'t>(
    run: &Run<'t>,
    scope: &Rc<Scope<'t>>,
    container: &'t Value,
    path: &str,
    parent: Option<(&str, &str)>,
    copy: &CopyIndices,
) -> Vec<usize> {
    let mut declared = Vec::new();
    for (symbol, definition, resource_path) in members(container, path) {
        let site = Site {
            path: &resource_path,
            element: symbol.unwrap_or("resource"),
        };
        if !definition.is_object() {
            run.report_invalid(
                &site,
                "resource",
                &format!(
                    "a resource must be an object, not {}",
                    type_name(definition)
                ),
            );
            continue;
        }
        match definition.get("copy") {
            Some(loop_definition) => {
                let loop_name = loop_definition
                    .get("name")
                    .and_then(Value::as_str)
                    .unwrap_or("copy");
                let count_path = format!("{resource_path}.copy.count");
                let count_site = site.at(&count_path);
                match count(run, scope, copy, &count_site, loop_definition.get("count")) {
                    Ok(count) => {
                        for index in 0..count {
                            let instance = CopyIndices::resource_loop(loop_name, index);
                            let symbol = symbol.map(|symbol| format!("{symbol}[{index}]"));
                            declared.extend(declare_one(
                                run,
                                scope,
                                definition,
                                &resource_path,
                                symbol,
                                parent,
                                &instance,
                            ));
                        }
                    }
                    Err(error) => {
                        run.report(&count_site, &describe(loop_definition.get("count")), &error)
                    }
                }
            }
            None => declared.extend(declare_one(
                run,
                scope,
                definition,
                &resource_path,
                symbol.map(str::to_string),
                parent,
                copy,
            )),
        }
    }
    declared
}

/// Declares one resource instance and its children, unless its condition is false or its
/// type or name cannot be evaluated (reported).
fn declare_one<'t>(
    run: &Run<'t>,
    scope: &Rc<Scope<'t>>,
    definition: &'t Value,
    path: &str,
    symbol: Option<String>,
    parent: Option<(&str, &str)>,
    copy: &CopyIndices,
) -> Vec<usize> {
    let element = symbol.clone().unwrap_or_else(|| "resource".to_string());
    let site = Site {
        path,
        element: &element,
    };
    if let Some(condition) = definition.get("condition") {
        let condition_path = format!("{path}.condition");
        let condition_site = site.at(&condition_path);
        match strict(run, scope, copy, &condition_site, condition) {
            Ok(Value::Bool(true)) => {}
            Ok(Value::Bool(false)) => return Vec::new(),
            Ok(other) if is_placeholder(&other) => run.warn(
                &condition_site,
                "the condition depends on a value vnetlab does not evaluate; the resource is imported",
            ),
            Ok(other) => {
                run.report_invalid(
                    &condition_site,
                    &describe(Some(condition)),
                    &format!("a condition must be a bool, but is {}", type_name(&other)),
                );
                return Vec::new();
            }
            Err(error) => {
                run.report(&condition_site, &describe(Some(condition)), &error);
                return Vec::new();
            }
        }
    }
    let Some((type_name, name)) = type_and_name(run, scope, definition, path, &site, copy) else {
        return Vec::new();
    };
    let (type_name, name) = match parent {
        Some((parent_type, parent_name)) if !type_name.contains('/') => (
            format!("{parent_type}/{type_name}"),
            format!("{parent_name}/{name}"),
        ),
        _ => (type_name, name),
    };
    if run.charge(&site, &name, Cost::element()).is_err() {
        return Vec::new();
    }
    let existing = definition.get("existing") == Some(&Value::Bool(true));
    let mut declared = vec![run.declare(Slot {
        scope: Rc::clone(scope),
        definition,
        path: path.to_string(),
        copy: copy.clone(),
        type_name: type_name.clone(),
        name: name.clone(),
        symbol,
        existing,
        state: SlotState::Pending,
    })];
    declared.extend(declare_resources(
        run,
        scope,
        definition,
        path,
        Some((&type_name, &name)),
        copy,
    ));
    declared
}

fn type_and_name<'t>(
    run: &Run<'t>,
    scope: &Scope<'t>,
    definition: &'t Value,
    path: &str,
    site: &Site,
    copy: &CopyIndices,
) -> Option<(String, String)> {
    let mut texts = Vec::new();
    for member in ["type", "name"] {
        let member_path = format!("{path}.{member}");
        let member_site = site.at(&member_path);
        let Some(raw) = definition.get(member) else {
            run.report_invalid(
                &member_site,
                member,
                &format!("a resource needs a `{member}`"),
            );
            return None;
        };
        match strict(run, scope, copy, &member_site, raw) {
            Ok(Value::String(text)) if !is_placeholder(&Value::String(text.clone())) => {
                texts.push(text)
            }
            Ok(other) if is_placeholder(&other) => {
                run.note_unevaluated(
                    &member_site,
                    &describe(Some(raw)),
                    &format!("the resource's {member} depends on a value vnetlab does not evaluate; the resource is skipped"),
                );
                return None;
            }
            Ok(other) => {
                run.report_invalid(
                    &member_site,
                    &describe(Some(raw)),
                    &format!(
                        "a resource {member} must be a string, but is {}",
                        type_name(&other)
                    ),
                );
                return None;
            }
            Err(error) => {
                run.report(&member_site, &describe(Some(raw)), &error);
                return None;
            }
        }
    }
    let name = texts.pop()?;
    let type_name = texts.pop()?;
    Some((type_name, name))
}

/// Evaluates slot `index` if it is pending: a resource is resolved member by member; a
/// deployment deploys its template.
pub(super) fn evaluate_slot(run: &Run, index: usize) {
    let Some(start) = run.start(index) else {
        return;
    };
    let site = Site {
        path: &start.path,
        element: &start.name,
    };
    let within_depth = run.nested(&site, &start.name, || evaluate_started(run, index, &start));
    if within_depth.is_err() {
        run.finish(index, SlotState::Failed);
    }
}

fn evaluate_started<'t>(run: &Run<'t>, index: usize, start: &SlotStart<'t>) {
    let site = Site {
        path: &start.path,
        element: &start.name,
    };
    let id = resource_id(
        &format!(
            "/subscriptions/{}/resourceGroups/{}",
            start.scope.deployment.subscription_id, start.scope.deployment.resource_group
        ),
        &[start.type_name.clone(), start.name.clone()],
    )
    .unwrap_or_default();
    let mut resource = Map::new();
    resource.insert("type".to_string(), Value::String(start.type_name.clone()));
    resource.insert("name".to_string(), Value::String(start.name.clone()));
    resource.insert("id".to_string(), Value::String(id));
    if start.existing {
        run.finish(index, SlotState::Done(Value::Object(resource)));
        return;
    }
    let is_deployment = start.type_name.eq_ignore_ascii_case(DEPLOYMENTS);
    if let Some(definition) = start.definition.as_object() {
        for (key, value) in definition {
            let skipped = CONTROL_MEMBERS
                .iter()
                .any(|control| control.eq_ignore_ascii_case(key))
                || (is_deployment && key.eq_ignore_ascii_case("properties"));
            if skipped {
                continue;
            }
            let member_path = format!("{}{}", start.path, member_path(key));
            let value = resolve(
                run,
                &start.scope,
                &start.copy,
                &site.at(&member_path),
                value,
            );
            resource.insert(key.clone(), value);
        }
    }
    if is_deployment {
        match deploy_nested(
            run,
            &start.scope,
            start.definition,
            &start.path,
            &start.name,
            &start.copy,
        ) {
            Some(properties) => {
                resource.insert("properties".to_string(), properties);
            }
            None => {
                run.finish(index, SlotState::Failed);
                return;
            }
        }
    }
    run.finish(index, SlotState::Done(Value::Object(resource)));
}

/// Deploys a nested deployment's inline template; its properties with the evaluated
/// `outputs`, or `None` when there is no inline template (reported).
fn deploy_nested<'t>(
    run: &Run<'t>,
    outer: &Rc<Scope<'t>>,
    definition: &'t Value,
    path: &str,
    name: &str,
    copy: &CopyIndices,
) -> Option<Value> {
    let properties_path = format!("{path}.properties");
    let site = Site {
        path: &properties_path,
        element: name,
    };
    let properties = definition.get("properties");
    let Some(template) = properties
        .and_then(|p| p.get("template"))
        .filter(|t| t.is_object())
    else {
        let link = properties
            .and_then(|p| p.get("templateLink"))
            .map(|link| describe(Some(link)))
            .unwrap_or_else(|| "(no template)".to_string());
        run.note_unevaluated(
            &site,
            &link,
            "a nested deployment without an inline `template` (a linked template) is not \
             evaluated; its resources are missing from the design",
        );
        return None;
    };
    let template_path = format!("{properties_path}.template");
    let inner = properties
        .and_then(|p| p.get("expressionEvaluationOptions"))
        .and_then(|options| options.get("scope"))
        .and_then(Value::as_str)
        .is_some_and(|scope| scope.eq_ignore_ascii_case("inner"));
    let scope = if inner {
        let mut context = outer.deployment.clone();
        context.deployment_name = name.to_string();
        if let Some(group) = definition.get("resourceGroup") {
            let group_path = format!("{path}.resourceGroup");
            let group = resolve(run, outer, copy, &site.at(&group_path), group);
            if !is_placeholder(&group) {
                context.resource_group = to_text(&group);
            }
        }
        let parameters_path = format!("{properties_path}.parameters");
        let supplied = properties
            .and_then(|p| p.get("parameters"))
            .map(|parameters| {
                let resolved = resolve(run, outer, copy, &site.at(&parameters_path), parameters);
                from_deployment(&resolved, &parameters_path)
            })
            .unwrap_or_default();
        let parameters = declared(run, template, &template_path, supplied);
        Rc::new(Scope::new(
            run.new_scope_id(),
            template,
            template_path.clone(),
            context,
            parameters,
        ))
    } else {
        Rc::clone(outer)
    };
    deploy_in(run, &scope, template, &template_path);
    let outputs = template
        .get("outputs")
        .and_then(Value::as_object)
        .map(|outputs| evaluate_outputs(run, &scope, outputs, &template_path))
        .unwrap_or_default();
    Some(json!({ "outputs": outputs }))
}

/// `{"name": {"type", "value"}}` for each output whose condition holds.
fn evaluate_outputs<'t>(
    run: &Run<'t>,
    scope: &Scope<'t>,
    outputs: &'t Map<String, Value>,
    template_path: &str,
) -> Map<String, Value> {
    let mut evaluated = Map::new();
    for (name, output) in outputs {
        let path = format!("{template_path}.outputs{}", member_path(name));
        let site = Site {
            path: &path,
            element: "outputs",
        };
        let none = CopyIndices::default();
        if let Some(condition) = output.get("condition") {
            if strict(run, scope, &none, &site, condition).ok() == Some(Value::Bool(false)) {
                continue;
            }
        }
        let value = match (output.get("value"), output.get("copy")) {
            (Some(value), _) => resolve(run, scope, &none, &site, value),
            (None, Some(loop_definition)) => {
                let count_path = format!("{path}.copy.count");
                match count(
                    run,
                    scope,
                    &none,
                    &site.at(&count_path),
                    loop_definition.get("count"),
                ) {
                    Ok(count) => {
                        let input_path = format!("{path}.copy.input");
                        Value::Array(
                            (0..count)
                                .filter_map(|index| {
                                    let input = loop_definition.get("input")?;
                                    run.charge(&site, name, Cost::element()).ok()?;
                                    let copy = CopyIndices::resource_loop("output", index);
                                    Some(resolve(run, scope, &copy, &site.at(&input_path), input))
                                })
                                .collect(),
                        )
                    }
                    Err(error) => {
                        run.report(&site, &describe(loop_definition.get("count")), &error);
                        Value::Null
                    }
                }
            }
            (None, None) => Value::Null,
        };
        let output_type = output.get("type").cloned().unwrap_or(Value::Null);
        evaluated.insert(name.clone(), json!({ "type": output_type, "value": value }));
    }
    evaluated
}
