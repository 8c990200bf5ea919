//! One case per row of the README's exit-code table, for every subcommand: 0 checked and
//! passed, 1 checked and a gate failed, 2 could not check.

use super::support::*;

/// A run and what it must conclude: its exit code and a text it prints (stdout or stderr).
struct Case {
    args: Vec<String>,
    code: i32,
    says: &'static str,
}

fn case(args: &[&str], code: i32, says: &'static str) -> Case {
    Case {
        args: args.iter().map(|a| a.to_string()).collect(),
        code,
        says,
    }
}

fn assert_cases(cases: &[Case]) {
    for case in cases {
        let args: Vec<&str> = case.args.iter().map(String::as_str).collect();
        let output = vnetlab(&args);
        let (out, err) = (stdout(&output), stderr(&output));
        assert_eq!(
            code(&output),
            case.code,
            "vnetlab {}\nstdout:\n{out}\nstderr:\n{err}",
            args.join(" ")
        );
        assert!(
            out.contains(case.says) || err.contains(case.says),
            "vnetlab {} should say {:?}\nstdout:\n{out}\nstderr:\n{err}",
            args.join(" "),
            case.says
        );
        assert!(!err.contains("panicked"), "{err}");
    }
}

#[test]
fn zero_means_checked_and_passed() {
    let scratch = Scratch::new("passed");
    let undetermined = undetermined_design(&scratch);
    let (nsg, firewall, il5) = (
        example("dlp-sep-nsg"),
        example("dlp-sep-firewall"),
        example("il5-us-gov"),
    );
    assert_cases(&[
        case(&["validate", WORKSHOP], 0, "no problems found"),
        case(
            &["exfil", &nsg, "--fail-on-exfil"],
            0,
            "0 exfiltration path(s), 0 undetermined",
        ),
        case(
            &["exfil", &example("vnet-default-nsg")],
            0,
            "exfiltration path(s)",
        ),
        case(
            &[
                "exfil",
                &undetermined,
                "--fail-on-exfil",
                "--allow-undetermined",
            ],
            0,
            "0 exfiltration path(s), 8 undetermined",
        ),
        case(&["flows", &firewall, "--fail-on-broken"], 0, "0 failing"),
        case(&["check", &il5], 0, "pass"),
        case(
            &["diff", &firewall, &firewall, "--fail-on-regression"],
            0,
            "0 broken, 0 repaired, 0 path(s) opened",
        ),
        case(
            &[
                "trace",
                WORKSHOP,
                "--from",
                "ci",
                "--to",
                "wsstorage",
                "--port",
                "443",
                "--expect",
                "reachable",
            ],
            0,
            "verdict: allowed",
        ),
        case(&["scenarios"], 0, "il5-us-gov"),
    ]);
}

#[test]
fn one_means_checked_and_a_gate_failed() {
    let (nsg, firewall) = (example("dlp-sep-nsg"), example("dlp-sep-firewall"));
    assert_cases(&[
        case(
            &[
                "exfil",
                &example("firewall-forced-tunnel"),
                "--fail-on-exfil",
            ],
            1,
            "4 exfiltration path(s)",
        ),
        case(
            &["flows", &nsg, "--fail-on-broken"],
            1,
            "outbound-automl-frontdoor",
        ),
        case(&["check", &example("vnet-default-nsg")], 1, "FAIL"),
        // The change opens paths (and breaks the inbound 44224 flows).
        case(
            &[
                "diff",
                &firewall,
                &example("vnet-default-nsg"),
                "--fail-on-regression",
            ],
            1,
            "opened",
        ),
        // The change only breaks required flows: AutoML's Front Door hosts.
        case(
            &["diff", &firewall, &nsg, "--fail-on-regression"],
            1,
            "2 broken, 0 repaired, 0 path(s) opened",
        ),
        case(
            &[
                "trace",
                WORKSHOP,
                "--from",
                "ci",
                "--to",
                "wsstorage",
                "--port",
                "443",
                "--expect",
                "unreachable",
            ],
            1,
            "verdict: allowed",
        ),
    ]);
}

#[test]
fn a_diff_without_the_gate_flag_reports_but_passes() {
    let output = vnetlab(&[
        "diff",
        &example("dlp-sep-firewall"),
        &example("vnet-default-nsg"),
    ]);
    assert_eq!(code(&output), 0);
    assert!(stdout(&output).contains("opened"), "{}", stdout(&output));
}

#[test]
fn two_means_the_input_could_not_be_checked() {
    let scratch = Scratch::new("unusable");
    let empty_list = scratch.file("empty-list.json", "[]");
    let empty_design = scratch.file(
        "empty-design.json",
        r#"{"schema_version": 1, "name": "nothing"}"#,
    );
    let routes = scratch.file("effective-routes.json", EFFECTIVE_ROUTES);
    let bad_json = scratch.file("bad.json", "{\"schema_version\": 1,");
    let version_two = scratch.workshop_with("v2.json", |d| d["schema_version"] = 2.into());
    let nothing = "the input holds no network element";
    for subcommand in ["validate", "exfil", "flows", "check"] {
        assert_cases(&[
            case(&[subcommand, &empty_list], 2, nothing),
            case(&[subcommand, &empty_design], 2, nothing),
            case(
                &[subcommand, &routes],
                2,
                "effective routes are Azure's evaluation",
            ),
            case(&[subcommand, &bad_json], 2, "bad.json"),
            case(&[subcommand, "no-such-file.json"], 2, "no-such-file.json"),
            case(
                &[subcommand, &version_two],
                2,
                "schema_version 2 is not supported",
            ),
            case(
                &[subcommand, WORKSHOP, "--option", "no_such_option=1"],
                2,
                "unknown option `no_such_option`",
            ),
        ]);
    }
    assert_cases(&[
        case(&["diff", WORKSHOP, &empty_list], 2, nothing),
        case(&["diff", &routes, WORKSHOP], 2, nothing),
        case(
            &["trace", &empty_list, "--from", "a", "--to", "b"],
            2,
            nothing,
        ),
        case(&["import", &routes], 2, nothing),
        case(&["exfil", WORKSHOP, "--no-such-flag"], 2, "--no-such-flag"),
        case(
            &["trace", WORKSHOP, "--from", "nope", "--to", "ci"],
            2,
            "`nope` is not an element",
        ),
        case(&["scenario", "no-such-scenario"], 2, "no scenario"),
    ]);
}

#[test]
fn validation_errors_refuse_every_analysis_unless_forced() {
    let scratch = Scratch::new("invalid");
    let typo = typo_design(&scratch);
    let refused = "not analysed (fix the errors, or --force to analyse anyway)";
    let misspelt = "refers to subnet `vnet/trainin`";
    let trace = [
        "trace", &typo, "--from", "cluster", "--to", "pypi.org", "--port", "443",
    ];
    assert_cases(&[
        case(&["validate", &typo], 2, misspelt),
        case(&["exfil", &typo, "--fail-on-exfil"], 2, refused),
        case(&["exfil", &typo], 2, misspelt),
        case(&["flows", &typo], 2, refused),
        case(&["check", &typo], 2, refused),
        case(&["diff", WORKSHOP, &typo], 2, refused),
        case(&["diff", &typo, WORKSHOP], 2, refused),
        case(&trace, 2, refused),
    ]);
    // Forced, the analysis runs and the gate still cannot pass: every path of `ci` is
    // undetermined.
    assert_cases(&[
        case(
            &["exfil", &typo, "--fail-on-exfil", "--force"],
            2,
            "analysing despite 1 validation error(s) (--force)",
        ),
        case(&["flows", &typo, "--force"], 0, "required flow(s)"),
    ]);
}

#[test]
fn undetermined_results_never_pass_a_gate() {
    let scratch = Scratch::new("undetermined");
    let undetermined = undetermined_design(&scratch);
    assert_cases(&[
        case(
            &["exfil", &undetermined, "--fail-on-exfil"],
            2,
            "0 exfiltration path(s), 8 undetermined",
        ),
        case(
            &[
                "diff",
                &example("dlp-sep-firewall"),
                &undetermined,
                "--fail-on-regression",
            ],
            2,
            "undetermined",
        ),
        case(
            &[
                "trace",
                &undetermined,
                "--from",
                "ci",
                "--to",
                "203.0.113.13",
                "--port",
                "443",
                "--expect",
                "unreachable",
            ],
            2,
            "verdict: unsupported",
        ),
        // Warnings do not refuse; they are summed up in one line.
        case(&["exfil", &undetermined], 0, "undetermined"),
    ]);
    let unsupported = unsupported_flows_design(&scratch);
    assert_cases(&[
        case(
            &["flows", &unsupported, "--fail-on-broken"],
            2,
            "10 failing, 10 of them undetermined",
        ),
        case(
            &[
                "flows",
                &unsupported,
                "--fail-on-broken",
                "--allow-undetermined",
            ],
            0,
            "10 failing, 10 of them undetermined",
        ),
        // Required flows broken into `unsupported` are undetermined, not a regression.
        case(
            &[
                "diff",
                &example("dlp-sep-firewall"),
                &unsupported,
                "--fail-on-regression",
            ],
            2,
            "10 broken, 0 repaired, 0 path(s) opened, 0 closed, 16 undetermined",
        ),
        // Definite failures decide: the gate failed, whatever the undetermined flows hold.
        case(
            &["flows", &undetermined, "--fail-on-broken"],
            1,
            "of them undetermined",
        ),
    ]);
}

#[test]
fn warnings_are_summed_up_in_one_line_on_stderr() {
    let scratch = Scratch::new("warnings");
    let tag = scratch.workshop_with("unknown-tag.json", |design| {
        design["network_security_groups"][0]["rules"][4]["destination"] =
            serde_json::json!(["Foo"]);
    });
    let output = vnetlab(&["flows", &tag, "--json"]);
    assert_eq!(code(&output), 0);
    let err = stderr(&output);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains("1 warning(s) (see `vnetlab validate"), "{err}");
    serde_json::from_str::<serde_json::Value>(&stdout(&output)).expect("stdout stays JSON");
}

#[test]
fn template_flags_of_a_diff_apply_to_one_side_each() {
    let dir = "../shared/fixtures/arm/vnet-2subnets-service-endpoints-storage-integration";
    let (template, parameters) = (
        format!("{dir}/azuredeploy.json"),
        format!("{dir}/azuredeploy.parameters.json"),
    );
    assert_cases(&[
        // The parameters reach the template on the after side, not the design before it.
        case(
            &["diff", WORKSHOP, &template, "--parameters", &parameters],
            0,
            "path(s) opened",
        ),
        // Given to the after side, a design that is no template refuses them.
        case(
            &["diff", &template, WORKSHOP, "--parameters", &parameters],
            2,
            "apply to ARM templates, but the input holds none",
        ),
        case(
            &[
                "diff",
                &template,
                WORKSHOP,
                "--before-parameters",
                &parameters,
            ],
            0,
            "path(s) opened",
        ),
    ]);
}
