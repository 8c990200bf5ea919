//! The header: brand, scenario picker, import (file picker), exports (design JSON, SVG,
//! Markdown report), the share dialog and undo/redo. In embed mode only the brand, the design
//! name (shortened with an ellipsis when narrow, in full on hover) and a link to the full app,
//! all kept visible down to 640 px.

use wasm_bindgen::JsCast;
use yew::prelude::*;

use super::app::{import_files, import_folder, NamedFiles};
use super::browser;
use super::import_module;
use super::lab_maker::LabMaker;
use super::share_dialog::ShareDialog;
use super::state::{dispatch_on_click, use_app, AppContext};
use crate::view::lab;
use crate::view::scenarios::{find, presets};
use crate::view::state::Action;
use crate::view::{embed, report, svg};

#[function_component(Header)]
pub fn header() -> Html {
    let app = use_app();
    let sharing = use_state(|| false);
    let making_lab = use_state(|| false);
    let file_input = use_node_ref();
    let folder_input = use_node_ref();

    if app.read_only {
        let full = embed::share_link(
            &browser::page_address(),
            &app.design,
            app.selected.as_deref(),
        );
        return html! {
            <header class="app-header">
                <h1 class="brand">{ "vnetlab" }</h1>
                <span class="design-name" data-testid="design-name" title={app.design.name.clone()}>{ app.design.name.clone() }</span>
                <a class="open-full" href={full} target="_blank" rel="noopener" data-testid="open-full">{ "Open in vnetlab ↗" }</a>
            </header>
        };
    }

    // A file picker's change: its files, selected by `select`, imported by `import`; the input
    // is cleared so that picking the same files again is a change too.
    let picker = |select: fn(&web_sys::FileList) -> NamedFiles,
                  import: fn(&AppContext, NamedFiles)| {
        let app = app.clone();
        Callback::from(move |event: Event| {
            let Some(input) = event
                .target()
                .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
            else {
                return;
            };
            if let Some(files) = input.files() {
                import(&app, select(&files));
            }
            input.set_value("");
        })
    };
    let onpick = picker(browser::file_list, import_files);
    let onpick_folder = picker(browser::terraform_folder, import_folder);
    let onscenario = {
        let app = app.clone();
        Callback::from(move |event: Event| {
            if let Some(select) = event
                .target()
                .and_then(|t| t.dyn_into::<web_sys::HtmlSelectElement>().ok())
            {
                app.dispatch(Action::LoadPreset(select.value()));
            }
        })
    };
    // Opening a picker starts the import module, which then loads while the user picks.
    let click = |input: &NodeRef| {
        let input = input.clone();
        Callback::from(move |_| {
            import_module::start();
            if let Some(input) = input.cast::<web_sys::HtmlInputElement>() {
                input.click();
            }
        })
    };
    let open_picker = click(&file_input);
    let open_folder_picker = click(&folder_input);
    let stem = browser::file_stem(&app.design.name);
    let export_json = {
        let app = app.clone();
        Callback::from(move |_| browser::download_design(&app.design))
    };
    let export_svg = {
        let app = app.clone();
        let name = format!("{stem}.svg");
        Callback::from(move |_| {
            let svg = svg::export(&app);
            browser::download(&name, "image/svg+xml", &svg)
        })
    };
    let export_report = {
        let app = app.clone();
        let name = format!("{stem}-report.md");
        Callback::from(move |_| {
            let markdown = report::markdown(&app.design, &app.evaluation);
            browser::download(&name, "text/markdown", &markdown);
        })
    };
    let onshare = {
        let sharing = sharing.clone();
        Callback::from(move |_| sharing.set(!*sharing))
    };
    let toggle_lab_maker = {
        let making_lab = making_lab.clone();
        Callback::from(move |_| making_lab.set(!*making_lab))
    };
    let close_lab_maker = {
        let making_lab = making_lab.clone();
        Callback::from(move |()| making_lab.set(false))
    };
    let close_share = {
        let sharing = sharing.clone();
        Callback::from(move |()| sharing.set(false))
    };

    let onlab = {
        let app = app.clone();
        Callback::from(move |event: Event| {
            let Some(select) = event
                .target()
                .and_then(|t| t.dyn_into::<web_sys::HtmlSelectElement>().ok())
            else {
                return;
            };
            if let Some(found) = lab::find(&select.value()) {
                app.dispatch(Action::OpenLab(Box::new(found)));
            }
        })
    };

    // The pickers are narrow (the header stays one row): hovering one shows its whole choice.
    let scenario_title = find(&app.scenario).map_or_else(
        || format!("Custom: {}", app.design.name),
        |preset| preset.title.to_string(),
    );
    let lab_title = app
        .lab
        .as_ref()
        .map_or_else(|| "Workshop labs…".to_string(), |s| s.lab.title.clone());
    html! {
        <header class="app-header">
            <h1 class="brand">{ "vnetlab" }</h1>
            <label class="scenario-picker">
                { "Scenario" }
                <select id="scenario-picker" data-testid="scenario-picker" aria-label="Scenario" title={scenario_title.clone()}
                        onchange={onscenario}>
                    if app.scenario.is_empty() {
                        <option value="" selected=true>{ scenario_title }</option>
                    }
                    { for presets().into_iter().map(|preset| html! {
                        <option value={preset.id} selected={preset.id == app.scenario}>{ preset.title }</option>
                    }) }
                </select>
            </label>
            <label class="scenario-picker">
                { "Lab" }
                <select class="lab-picker" data-testid="lab-picker" aria-label="Workshop lab" title={lab_title}
                        onchange={onlab}>
                    <option value="" selected={app.lab.is_none()}>{ "Workshop labs…" }</option>
                    if let Some(session) = app.lab.as_ref().filter(|s| !lab::built_in_headings().iter().any(|b| b.id == s.lab.id)) {
                        <option value="" selected=true>{ format!("Lab: {}", session.lab.title) }</option>
                    }
                    { for lab::built_in_headings().iter().map(|built_in| {
                        let selected = app.lab.as_ref().is_some_and(|s| s.lab.id == built_in.id);
                        html! { <option value={built_in.id.clone()} {selected}>{ built_in.title.clone() }</option> }
                    }) }
                </select>
            </label>
            if app.modified() {
                <span class="modified-mark" data-testid="modified" title="The design differs from the scenario as loaded">
                    { "● modified" }
                </span>
                if !app.read_only {
                    <button type="button" data-testid="reset-scenario" title="Reset to the scenario as loaded"
                            aria-label="Reset to scenario"
                            onclick={dispatch_on_click(&app, Action::ResetToScenario)}>{ "↺ Reset" }</button>
                }
            }
            <div class="actions" role="toolbar" aria-label="Design actions">
                <button type="button" aria-label="Undo (Ctrl+Z)" data-testid="undo" disabled={!app.can_undo()}
                        onclick={dispatch_on_click(&app, Action::Undo)}>{ "↶ Undo" }</button>
                <button type="button" aria-label="Redo (Ctrl+Shift+Z)" data-testid="redo" disabled={!app.can_redo()}
                        onclick={dispatch_on_click(&app, Action::Redo)}>{ "↷ Redo" }</button>
                <button type="button" onclick={open_picker} data-testid="import"
                        aria-label="Import a design, Azure JSON, an ARM template (optionally with its parameters file) or the .tf and .tfvars files of a Terraform configuration (or drop them on the page)">{ "Import…" }</button>
                <input type="file" accept=".json,application/json,.tf,.tfvars" multiple=true class="visually-hidden" tabindex="-1"
                       aria-hidden="true" data-testid="import-input" ref={file_input} onchange={onpick} />
                <button type="button" onclick={open_folder_picker} data-testid="import-folder"
                        aria-label="Import a Terraform configuration folder (its .tf files, local modules and .tfvars)">{ "Folder…" }</button>
                <input type="file" webkitdirectory=true multiple=true class="visually-hidden" tabindex="-1"
                       aria-hidden="true" data-testid="import-folder-input" ref={folder_input} onchange={onpick_folder} />
                <button type="button" onclick={export_json} data-testid="export-json">{ "Export JSON" }</button>
                <button type="button" onclick={export_svg} data-testid="export-svg">{ "SVG" }</button>
                <button type="button" onclick={export_report} data-testid="export-report">{ "Report" }</button>
                <button type="button" onclick={onshare} data-testid="share" aria-expanded={sharing.to_string()}>{ "Share…" }</button>
                <button type="button" onclick={toggle_lab_maker} data-testid="make-lab" aria-expanded={making_lab.to_string()}>{ "Make a lab…" }</button>
            </div>
            if *making_lab {
                <LabMaker onclose={close_lab_maker} />
            }
            if *sharing {
                <ShareDialog onclose={close_share} />
            }
        </header>
    }
}
