//! ARM templates whose resources hold literal values only: their resources (and nested child
//! resources, whose types and names are relative to the parent's) are imported like any other.
//! Templates with expressions (`[parameters('x')]`) would need an evaluator, so they are an
//! error naming the first expression's path.

use super::shape::{walk, RawResource, Shapes};
use crate::import::node::Node;
use crate::import::LoadError;
use crate::model::excerpt::excerpt;

/// Adds the template's resources to `shapes`, or fails on the first template expression.
pub(super) fn expand<'a>(
    template: &Node<'a>,
    shapes: &mut Shapes<'a>,
    source: &str,
) -> Result<(), LoadError> {
    let Some(resources) = template.get("resources") else {
        return Ok(());
    };
    if let Some((node, expression)) = first_expression(&resources) {
        return Err(LoadError::at(
            source,
            node.document,
            node.path,
            format!(
                "template expression `{expression}`: templates with expressions need the `import` \
                 subcommand of a later vnetlab version; load resolved resources instead (the \
                 output of `az ... show` or a REST GET)"
            ),
        ));
    }
    for resource in members(&resources) {
        add(resource, None, shapes, source)?;
    }
    Ok(())
}

/// Array items, or the values of a symbolic-name object (`languageVersion` 2.0).
fn members<'a>(resources: &Node<'a>) -> Vec<Node<'a>> {
    if resources.value.is_array() {
        resources.items()
    } else {
        resources
            .entries()
            .into_iter()
            .map(|(_, node)| node)
            .collect()
    }
}

/// Adds one template resource and its nested children; a nested deployment's inline template
/// is expanded in place of the deployment.
fn add<'a>(
    node: Node<'a>,
    parent: Option<(&str, &str)>,
    shapes: &mut Shapes<'a>,
    source: &str,
) -> Result<(), LoadError> {
    if !node.value.is_object() {
        return walk(node, shapes, source);
    }
    let mut raw = RawResource::of(node.clone());
    if let (Some((parent_type, parent_name)), Some(child_type)) = (parent, &raw.type_name) {
        if !child_type.contains('/') {
            raw.type_name = Some(format!("{parent_type}/{child_type}"));
            raw.name = raw.name.map(|name| format!("{parent_name}/{name}"));
        }
    }
    let full_type = raw.type_name.clone().unwrap_or_default();
    let full_name = raw.name.clone().unwrap_or_default();
    let inline_template = node
        .properties()
        .get("template")
        .filter(|t| t.value.is_object());
    match inline_template {
        Some(inner) if full_type.eq_ignore_ascii_case("Microsoft.Resources/deployments") => {
            expand(&inner, shapes, source)?
        }
        _ => shapes.resources.push(raw),
    }
    if let Some(children) = node.get("resources") {
        for child in members(&children) {
            add(child, Some((&full_type, &full_name)), shapes, source)?;
        }
    }
    Ok(())
}

/// The first string (in document order) that is a template expression: `[...]`, where a
/// leading `[[` is an escaped literal bracket.
fn first_expression<'a>(node: &Node<'a>) -> Option<(Node<'a>, String)> {
    if let Some(text) = node.as_str() {
        let trimmed = text.trim();
        let is_expression =
            trimmed.starts_with('[') && trimmed.ends_with(']') && !trimmed.starts_with("[[");
        return is_expression.then(|| (node.clone(), excerpt(trimmed)));
    }
    let children: Vec<Node<'a>> = if node.value.is_array() {
        node.items()
    } else {
        node.entries().into_iter().map(|(_, child)| child).collect()
    };
    children.iter().find_map(first_expression)
}
