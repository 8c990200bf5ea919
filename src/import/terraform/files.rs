//! A Terraform folder as the caller hands it over: file paths relative to the root module's
//! folder, with their text (the CLI reads the disk; this module does no I/O). The root
//! module's configuration is its `.tf` files; local modules live in other folders of the same
//! set (`./modules/network` → `modules/network/*.tf`). Variable values come from
//! `terraform.tfvars` and `*.auto.tfvars` of the root folder, in Terraform's order.

use std::collections::BTreeMap;

/// One input file: its path relative to the root module's folder (`/`-separated) and text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceFile {
    pub path: String,
    pub text: String,
}

/// The files of a configuration, by normalised path.
pub(super) struct FileSet<'a> {
    files: BTreeMap<String, &'a str>,
}

impl<'a> FileSet<'a> {
    pub(super) fn new(files: &'a [SourceFile]) -> Self {
        FileSet {
            files: files
                .iter()
                .map(|file| (normalise(&file.path), file.text.as_str()))
                .collect(),
        }
    }

    /// The `.tf` files directly in `folder` ("" for the root), sorted by name.
    pub(super) fn configuration(&self, folder: &str) -> Vec<(&str, &'a str)> {
        self.in_folder(folder)
            .filter(|(name, _)| name.ends_with(".tf"))
            .collect()
    }

    /// The root folder's automatic variable files: `terraform.tfvars` first, then
    /// `*.auto.tfvars` in name order (later files win, as in Terraform).
    pub(super) fn automatic_variable_files(&self) -> Vec<(&str, &'a str)> {
        let mut files: Vec<(&str, &'a str)> = self
            .in_folder("")
            .filter(|(name, _)| *name == "terraform.tfvars")
            .collect();
        files.extend(
            self.in_folder("")
                .filter(|(name, _)| name.ends_with(".auto.tfvars")),
        );
        files
    }

    /// Whether any file lies in `folder` or below it.
    pub(super) fn has_folder(&self, folder: &str) -> bool {
        let prefix = format!("{folder}/");
        folder.is_empty() || self.files.keys().any(|path| path.starts_with(&prefix))
    }

    fn in_folder<'s>(&'s self, folder: &str) -> impl Iterator<Item = (&'s str, &'a str)> + 's {
        let prefix = if folder.is_empty() {
            String::new()
        } else {
            format!("{folder}/")
        };
        self.files.iter().filter_map(move |(path, text)| {
            let rest = path.strip_prefix(&prefix)?;
            (!rest.contains('/')).then_some((path.as_str(), *text))
        })
    }
}

/// `folder` joined with a module `source` (`./x`, `../y`), normalised; `None` when it climbs
/// above the root folder.
pub(super) fn join(folder: &str, source: &str) -> Option<String> {
    let mut parts: Vec<&str> = folder.split('/').filter(|p| !p.is_empty()).collect();
    for part in source.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            other => parts.push(other),
        }
    }
    Some(parts.join("/"))
}

fn normalise(path: &str) -> String {
    join("", &path.replace('\\', "/")).unwrap_or_else(|| path.to_string())
}

/// The 1-based line of byte `offset` in `text`.
pub(super) fn line_of(text: &str, offset: usize) -> usize {
    text.as_bytes()
        .iter()
        .take(offset)
        .filter(|byte| **byte == b'\n')
        .count()
        + 1
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(path: &str) -> SourceFile {
        SourceFile {
            path: path.to_string(),
            text: String::new(),
        }
    }

    #[test]
    fn folders_hold_their_own_files_only() {
        let files = [
            file("main.tf"),
            file("./b.tf"),
            file("modules/net/main.tf"),
            file("x.auto.tfvars"),
            file("terraform.tfvars"),
        ];
        let set = FileSet::new(&files);
        let root: Vec<&str> = set.configuration("").iter().map(|(p, _)| *p).collect();
        assert_eq!(root, ["b.tf", "main.tf"]);
        let module: Vec<&str> = set
            .configuration("modules/net")
            .iter()
            .map(|(p, _)| *p)
            .collect();
        assert_eq!(module, ["modules/net/main.tf"]);
        let variables: Vec<&str> = set
            .automatic_variable_files()
            .iter()
            .map(|(p, _)| *p)
            .collect();
        assert_eq!(variables, ["terraform.tfvars", "x.auto.tfvars"]);
        assert!(set.has_folder("modules/net"));
        assert!(!set.has_folder("modules/dns"));
    }

    #[test]
    fn module_sources_join_relative_to_their_folder() {
        assert_eq!(join("", "./modules/net").as_deref(), Some("modules/net"));
        assert_eq!(
            join("modules/net", "../dns").as_deref(),
            Some("modules/dns")
        );
        assert_eq!(join("", "../outside"), None);
        assert_eq!(line_of("a\nb\nc", 2), 2);
    }
}
