//! `vnetlab exfil`: the exhaustive exfiltration search, each open path with the fixes that
//! close it and the required flows each fix breaks. The `--json` shape is a stable contract;
//! `--fail-on-exfil` makes the command a CI gate: exit 1 when any path exists, 2 when a path is
//! undetermined (unless `--allow-undetermined`).

use clap::{Args, ValueEnum};
use serde::Serialize;

use crate::analysis::analyse_compiled;
use crate::analysis::exfil::{ExfilFinding, ExfilReport};
use crate::analysis::fix_code::{edits, fix_as_arm, fix_as_code, CodeFormat, Edit};
use crate::analysis::fixes::{Fix, VerifiedFix};
use crate::import::{InputFormat, Loaded};
use crate::model::Design;

use super::checked::{load_valid, Checked, ValidityArgs};
use super::design_edit::design_file_edits;
use super::format::{Format, FormatArgs};
use super::input::InputArgs;
use super::line_edit::LineEdit;
use super::order;
use super::outcome::Outcome;
use super::output::document;
use super::report::{
    diagnostic_items, element_path, emit, Item, Report, ReportFix, Status, EXFILTRATION_PATH,
    UNDETERMINED_PATH,
};
use super::trace::{hop_line, hops_json, HopJson};
use super::Stop;

#[derive(Debug, Args)]
pub struct ExfilArgs {
    #[command(flatten)]
    input: InputArgs,
    /// Exit 1 when any exfiltration path exists, 2 when a path is undetermined (the engine
    /// cannot decide it) and `--allow-undetermined` is not given.
    #[arg(long)]
    fail_on_exfil: bool,
    /// With `--fail-on-exfil`: undetermined paths do not fail the gate.
    #[arg(long, requires = "fail_on_exfil")]
    allow_undetermined: bool,
    /// Print each fix as the change to apply: `az` CLI commands, Bicep or Terraform
    /// (azurerm). Text and JSON output.
    #[arg(long, value_enum, value_name = "LANGUAGE")]
    fixes_as: Option<FixLanguage>,
    #[command(flatten)]
    validity: ValidityArgs,
    #[command(flatten)]
    format: FormatArgs,
}

/// The languages of `--fixes-as`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FixLanguage {
    Az,
    Bicep,
    Terraform,
}

impl From<FixLanguage> for CodeFormat {
    fn from(language: FixLanguage) -> CodeFormat {
        match language {
            FixLanguage::Az => CodeFormat::Az,
            FixLanguage::Bicep => CodeFormat::Bicep,
            FixLanguage::Terraform => CodeFormat::Terraform,
        }
    }
}

#[derive(Debug, Serialize)]
struct FixJson {
    change: String,
    notes: Vec<String>,
    breaks: Vec<String>,
    undetermined: Vec<String>,
    /// With `--fixes-as`: the fix in that language.
    #[serde(skip_serializing_if = "Option::is_none")]
    code: Option<String>,
}

/// The stable JSON shape of one exfiltration path.
#[derive(Debug, Serialize)]
struct FindingJson<'a> {
    source: &'a str,
    sink: &'a str,
    sink_kind: &'static str,
    proto: String,
    port: Option<u16>,
    ports: Option<String>,
    hops: Vec<HopJson<'a>>,
    controls: Vec<String>,
    fixes: Vec<FixJson>,
}

fn to_json<'a>(
    finding: &'a ExfilFinding,
    code: &dyn Fn(&VerifiedFix) -> Option<String>,
) -> FindingJson<'a> {
    FindingJson {
        source: &finding.source,
        sink: &finding.sink,
        sink_kind: finding.kind.as_str(),
        proto: finding.protocol.to_string(),
        port: finding.port(),
        ports: finding.ports.map(|p| p.to_string()),
        hops: hops_json(&finding.trace.hops),
        controls: finding
            .controls()
            .filter_map(|hop| {
                hop.rule
                    .as_ref()
                    .map(|r| format!("{} {} ({})", hop.step.as_str(), r.name, r.container))
            })
            .collect(),
        fixes: finding
            .fixes
            .iter()
            .map(|f| FixJson {
                change: f.fix.describe(),
                notes: f.fix.notes.clone(),
                breaks: f.breaks.clone(),
                undetermined: f.undetermined.clone(),
                code: code(f),
            })
            .collect(),
    }
}

/// The report items: every open path fails, every undetermined path is undetermined, and the
/// input's diagnostics come first.
fn report(checked: &Checked, file: &str, exfil: &ExfilReport) -> Report {
    let mut items = diagnostic_items(file, &checked.diagnostics);
    let design_file = (checked.loaded.format == InputFormat::Design)
        .then(|| std::fs::read_to_string(file).ok())
        .flatten();
    for finding in &exfil.findings {
        let ports = finding.ports.map_or(String::new(), |p| format!(" {p}"));
        items.push(Item {
            rule: &EXFILTRATION_PATH,
            status: Status::Failed,
            title: finding.key(),
            message: format!(
                "Data on {} can leave over {}{ports} to {} ({}): {}",
                finding.source,
                finding.protocol,
                finding.sink,
                finding.kind.as_str(),
                finding.trace.reason
            ),
            file: file.to_string(),
            path: element_path(&checked.loaded, &finding.source),
            element: Some(finding.source.clone()),
            fixes: finding
                .fixes
                .iter()
                .map(|fix| ReportFix {
                    text: fix_line(fix),
                    edits: design_file.as_deref().map_or(Vec::new(), |text| {
                        file_edits(text, &checked.loaded.design, &fix.fix)
                    }),
                })
                .collect(),
            trace: finding.trace.hops.iter().map(hop_line).collect(),
        });
    }
    for open in &exfil.undetermined {
        let ports = open.ports.map_or(String::new(), |p| format!(" {p}"));
        items.push(Item {
            rule: &UNDETERMINED_PATH,
            status: Status::Undetermined,
            title: open.key(),
            message: format!(
                "Undetermined whether data on {} can leave over {}{ports} to {} ({}): {}",
                open.source,
                open.protocol,
                open.sink,
                open.kind.as_str(),
                open.reason
            ),
            file: file.to_string(),
            path: element_path(&checked.loaded, &open.source),
            element: Some(open.source.clone()),
            fixes: Vec::new(),
            trace: Vec::new(),
        });
    }
    Report {
        command: "exfil",
        inputs: vec![file.to_string()],
        items,
    }
}

/// For an input that is not a design file (a template, Azure JSON): which resource of the
/// input to edit for each resource the fix deploys, and which property, as comment lines.
fn input_places(loaded: &Loaded, design: &Design, fix: &Fix, language: FixLanguage) -> String {
    if loaded.format == InputFormat::Design {
        return String::new();
    }
    let comment = if language == FixLanguage::Bicep {
        "//"
    } else {
        "#"
    };
    let Some((resources, _)) = fix_as_arm(design, fix) else {
        return String::new();
    };
    let mut lines = String::new();
    // A VM's public IP sits on its NIC, which the design does not name: point at the VM.
    let fixed = fix.apply(design).unwrap_or_else(|| design.clone());
    for edit in edits(design, &fixed) {
        let Edit::PublicIpRemoved(compute) = edit else {
            continue;
        };
        let vm = loaded.sources.iter().find(|s| {
            s.arm_type
                .eq_ignore_ascii_case("Microsoft.Compute/virtualMachines")
                && s.name == compute.name
        });
        if let Some(vm) = vm {
            lines.push_str(&format!(
                "{comment} in the input: edit the network interface of {} at {} (properties.networkProfile.networkInterfaces): remove ipConfigurations[].properties.publicIPAddress\n",
                vm.name, vm.location
            ));
        }
    }
    for resource in &resources {
        let text = |key: &str| resource[key].as_str().unwrap_or_default().to_string();
        let (arm_type, name) = (text("type"), text("name"));
        let properties: Vec<String> = resource["properties"]
            .as_object()
            .map(|p| p.keys().map(|k| format!("properties.{k}")).collect())
            .unwrap_or_default();
        let find = |arm_type: &str, name: &str| {
            loaded
                .sources
                .iter()
                .find(|s| s.arm_type.eq_ignore_ascii_case(arm_type) && s.name == name)
        };
        // A child resource (`nsg/rule`) may be written inline in its parent instead.
        let parent = arm_type.rsplit_once('/').zip(name.rsplit_once('/'));
        let place = match (find(&arm_type, &name), parent) {
            (Some(source), _) => Some((source, properties.join(", "))),
            (None, Some(((parent_type, child), (parent_name, _)))) if parent_type.contains('/') => {
                find(parent_type, parent_name).map(|source| (source, format!("properties.{child}")))
            }
            _ => None,
        };
        lines.push_str(&match place {
            Some((source, property)) => format!(
                "{comment} in the input: edit {} {} at {} ({property})\n",
                source.arm_type, source.name, source.location
            ),
            None => format!("{comment} in the input: add {arm_type} {name} (not in the input)\n"),
        });
    }
    lines
}

/// A fix and what it breaks, in one line.
/// The edits of a design file's `text` that apply `fix` to its `design`.
fn file_edits(text: &str, design: &Design, fix: &Fix) -> Vec<LineEdit> {
    fix.apply(design)
        .map_or(Vec::new(), |fixed| design_file_edits(text, design, &fixed))
}

fn fix_line(fix: &VerifiedFix) -> String {
    let breaks = if fix.breaks.is_empty() {
        "breaks no required flow".to_string()
    } else {
        format!("breaks {}", fix.breaks.join(", "))
    };
    format!("{} ({breaks})", fix.fix.describe())
}

pub fn run(args: ExfilArgs) -> Result<Outcome, Stop> {
    let format = args.format.format();
    let checked = load_valid("exfil", &args.input, &args.validity, format)?;
    let mut analysis = analyse_compiled(&checked.engine);
    order::exfil_report(&mut analysis.exfiltration);
    let found = &analysis.exfiltration;
    let outcome = if args.fail_on_exfil {
        Outcome::of_gate(
            !found.findings.is_empty(),
            !found.undetermined.is_empty(),
            args.allow_undetermined,
        )
    } else {
        Outcome::Passed
    };
    if let Some(report_format) = format.report() {
        emit(report_format, &report(&checked, &args.input.input, found));
        return Ok(outcome);
    }
    let design = &analysis.prepared.design;
    let code = |fix: &VerifiedFix| {
        let language = args.fixes_as?;
        let code = fix_as_code(design, &fix.fix, language.into())?;
        Some(code + &input_places(&checked.loaded, design, &fix.fix, language))
    };
    if format == Format::Json {
        let json: Vec<FindingJson> = found
            .findings
            .iter()
            .map(|finding| to_json(finding, &code))
            .collect();
        document(&serde_json::to_string_pretty(&json).map_err(|e| e.to_string())?);
    } else {
        for finding in &found.findings {
            let ports = finding.ports.map_or(String::new(), |p| format!(" {p}"));
            say!(
                "{} → {} ({}) {}{ports}: {}",
                finding.source,
                finding.sink,
                finding.kind.as_str(),
                finding.protocol,
                finding.trace.reason
            );
            for control in finding.controls() {
                let rule = control.rule.as_ref().map_or("", |r| r.name.as_str());
                say!(
                    "    passed {} {} {rule}",
                    control.step.as_str(),
                    control.element
                );
            }
            for fix in &finding.fixes {
                say!("    fix: {}", fix_line(fix));
                for line in code(fix).iter().flat_map(|text| text.lines()) {
                    say!("        {line}");
                }
            }
        }
        for open in &found.undetermined {
            let ports = open.ports.map_or(String::new(), |p| format!(" {p}"));
            say!(
                "undetermined: {} → {} ({}) {}{ports}: {}",
                open.source,
                open.sink,
                open.kind.as_str(),
                open.protocol,
                open.reason
            );
        }
        say!(
            "{} exfiltration path(s), {} undetermined",
            found.findings.len(),
            found.undetermined.len()
        );
    }
    Ok(outcome)
}
