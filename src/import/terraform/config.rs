//! One module's configuration, read from its `.tf` files with `hcl-rs` (through its `hcl-edit`
//! parser, which keeps byte spans, so every block and attribute knows its file and line):
//! variables, locals, resources and data sources, module calls and outputs. Blocks that do not
//! describe infrastructure (`terraform`, `provider`, `moved`, `import`, `check`) are skipped;
//! an unknown top-level block is reported.

use std::collections::BTreeMap;
use std::fmt;

use hcl::edit::Span;
use hcl::{Block, Body, Expression};

use super::files::line_of;
use crate::import::LoadError;

/// Where something is written: file and 1-based line.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub(super) struct Location {
    pub(super) file: String,
    pub(super) line: usize,
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            // A position in a JSON document (plan or state) rather than a line of a file.
            0 => f.write_str(&self.file),
            line => write!(f, "{}:{line}", self.file),
        }
    }
}

/// A block with the lines of its attributes (by name), for messages.
#[derive(Debug, Clone)]
pub(super) struct Located {
    pub(super) block: Block,
    pub(super) at: Location,
    pub(super) attribute_lines: BTreeMap<String, usize>,
}

impl Located {
    /// Where attribute `name` is written (the block's line when it is not).
    pub(super) fn attribute_at(&self, name: &str) -> Location {
        Location {
            file: self.at.file.clone(),
            line: self
                .attribute_lines
                .get(name)
                .copied()
                .unwrap_or(self.at.line),
        }
    }

    pub(super) fn body(&self) -> &Body {
        &self.block.body
    }

    pub(super) fn attribute(&self, name: &str) -> Option<&Expression> {
        attribute(&self.block.body, name)
    }
}

/// `resource` or `data`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(super) enum Mode {
    Managed,
    Data,
}

#[derive(Debug, Clone)]
pub(super) struct ResourceBlock {
    pub(super) mode: Mode,
    pub(super) type_name: String,
    pub(super) name: String,
    pub(super) located: Located,
}

impl ResourceBlock {
    /// `azurerm_subnet.x` or `data.azurerm_subnet.x`.
    pub(super) fn address(&self) -> String {
        match self.mode {
            Mode::Managed => format!("{}.{}", self.type_name, self.name),
            Mode::Data => format!("data.{}.{}", self.type_name, self.name),
        }
    }
}

/// A module's configuration.
#[derive(Debug, Default)]
pub(super) struct Module {
    pub(super) variables: BTreeMap<String, Located>,
    /// Each local's expression and where it is written.
    pub(super) locals: BTreeMap<String, (Expression, Location)>,
    pub(super) resources: Vec<ResourceBlock>,
    pub(super) module_calls: Vec<(String, Located)>,
    pub(super) outputs: BTreeMap<String, Located>,
    /// Top-level blocks this import does not know (type, where).
    pub(super) unknown_blocks: Vec<(String, Location)>,
    /// The major version `required_providers.azurerm.version` allows (`"=3.0.2"`, `"~> 3.0"`
    /// → 3), when one is written: some defaults differ between azurerm 3.x and 4.x.
    pub(super) azurerm_major: Option<u32>,
}

impl Module {
    /// Reads `files` (path, text) into one module; a syntax error is an error at its line.
    pub(super) fn parse(files: &[(&str, &str)]) -> Result<Module, LoadError> {
        let mut module = Module::default();
        for (path, text) in files {
            let body = hcl::edit::parser::parse_body(text).map_err(|error| {
                let location = error.location();
                LoadError::whole(path, error.message().to_string())
                    .with_position(location.line(), location.column())
            })?;
            for structure in body.into_iter() {
                let Some(edit_block) = structure.as_block() else {
                    continue;
                };
                let located = locate(path, text, edit_block);
                module.add(located);
            }
        }
        Ok(module)
    }

    fn add(&mut self, located: Located) {
        let labels: Vec<String> = located
            .block
            .labels
            .iter()
            .map(|label| label.as_str().to_string())
            .collect();
        match (located.block.identifier.as_str(), labels.as_slice()) {
            ("variable", [name]) => {
                self.variables.insert(name.clone(), located);
            }
            ("output", [name]) => {
                self.outputs.insert(name.clone(), located);
            }
            ("locals", []) => {
                for attribute in located.block.body.attributes() {
                    let at = located.attribute_at(attribute.key.as_str());
                    self.locals
                        .insert(attribute.key.to_string(), (attribute.expr.clone(), at));
                }
            }
            ("module", [name]) => self.module_calls.push((name.clone(), located)),
            ("resource", [type_name, name]) | ("data", [type_name, name]) => {
                let mode = if located.block.identifier.as_str() == "data" {
                    Mode::Data
                } else {
                    Mode::Managed
                };
                self.resources.push(ResourceBlock {
                    mode,
                    type_name: type_name.clone(),
                    name: name.clone(),
                    located,
                })
            }
            ("terraform", _) => {
                if let Some(major) = azurerm_major(&located.block.body) {
                    self.azurerm_major = Some(major);
                }
            }
            ("provider" | "moved" | "import" | "check" | "removed", _) => {}
            (other, _) => self
                .unknown_blocks
                .push((format!("{other} block"), located.at.clone())),
        }
    }
}

fn locate(path: &str, text: &str, block: &hcl::edit::structure::Block) -> Located {
    let line = |span: Option<std::ops::Range<usize>>| span.map_or(1, |s| line_of(text, s.start));
    let attribute_lines = block
        .body
        .iter()
        .filter_map(|structure| structure.as_attribute())
        .map(|attribute| (attribute.key.to_string(), line(attribute.span())))
        .collect();
    Located {
        at: Location {
            file: path.to_string(),
            line: line(block.span()),
        },
        attribute_lines,
        block: Block::from(block.clone()),
    }
}

/// The first major version number in `required_providers { azurerm = { version = "…" } }`.
fn azurerm_major(terraform: &Body) -> Option<u32> {
    let providers = terraform
        .blocks()
        .find(|block| block.identifier.as_str() == "required_providers")?;
    let Expression::Object(azurerm) = attribute(&providers.body, "azurerm")? else {
        return None;
    };
    let version = azurerm.iter().find_map(|(key, value)| match (key, value) {
        (hcl::ObjectKey::Identifier(name), Expression::String(version))
            if name.as_str() == "version" =>
        {
            Some(version)
        }
        _ => None,
    })?;
    let digits: String = version
        .chars()
        .skip_while(|c| !c.is_ascii_digit())
        .take_while(char::is_ascii_digit)
        .collect();
    digits.parse().ok()
}

/// The expression of attribute `name` in `body`.
pub(super) fn attribute<'b>(body: &'b Body, name: &str) -> Option<&'b Expression> {
    body.attributes()
        .find(|attribute| attribute.key.as_str() == name)
        .map(|attribute| &attribute.expr)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_are_sorted_by_kind_with_their_lines() {
        let text = "variable \"a\" {\n  default = 1\n}\n\nlocals {\n  b = 2\n}\nresource \"azurerm_subnet\" \"s\" {\n  name = \"x\"\n}\ndata \"azurerm_subnet\" \"d\" {}\nmodule \"m\" {\n  source = \"./m\"\n}\noutput \"o\" {\n  value = 1\n}\nprovider \"azurerm\" {}\nweird {}\n";
        let module = Module::parse(&[("main.tf", text)]).unwrap();
        assert_eq!(module.variables["a"].at.to_string(), "main.tf:1");
        assert_eq!(module.locals["b"].1.to_string(), "main.tf:6");
        assert_eq!(module.resources.len(), 2);
        assert_eq!(module.resources[0].address(), "azurerm_subnet.s");
        assert_eq!(module.resources[0].located.attribute_at("name").line, 9);
        assert_eq!(module.resources[1].address(), "data.azurerm_subnet.d");
        assert_eq!(module.module_calls[0].0, "m");
        assert!(module.outputs.contains_key("o"));
        assert_eq!(
            module.unknown_blocks,
            [(
                "weird block".to_string(),
                Location {
                    file: "main.tf".into(),
                    line: 19
                }
            )]
        );
    }

    #[test]
    fn the_azurerm_major_version_is_read_from_required_providers() {
        let text = "terraform {\n  required_providers {\n    azurerm = {\n      source  = \"hashicorp/azurerm\"\n      version = \"~> 3.0\"\n    }\n  }\n}\n";
        assert_eq!(
            Module::parse(&[("versions.tf", text)])
                .unwrap()
                .azurerm_major,
            Some(3)
        );
        let unpinned = "terraform {\n  required_version = \">=1.0\"\n}\n";
        assert_eq!(
            Module::parse(&[("versions.tf", unpinned)])
                .unwrap()
                .azurerm_major,
            None
        );
    }

    #[test]
    fn a_syntax_error_names_file_and_line() {
        let error =
            Module::parse(&[("net.tf", "resource \"a\" \"b\" {\n  name = \n}\n")]).unwrap_err();
        assert_eq!(error.source, "net.tf");
        assert!(error.line.is_some(), "{error}");
    }
}
