//! The header: brand, scenario picker, import (file picker), exports (design JSON, SVG,
//! Markdown report), the share link and undo/redo. In embed mode only the brand, the design
//! name and a link to the full app.

use wasm_bindgen::JsCast;
use yew::prelude::*;

use super::app::read_into;
use super::browser;
use super::state::{dispatch_on_click, use_app};
use crate::view::scenarios::presets;
use crate::view::state::Action;
use crate::view::{report, svg};

#[function_component(Header)]
pub fn header() -> Html {
    let app = use_app();
    let share = use_state(|| None::<String>);
    let reader = use_mut_ref(Vec::new);
    let file_input = use_node_ref();

    if app.read_only {
        let full = browser::share_link(&app.design);
        return html! {
            <header class="app-header">
                <h1 class="brand">{ "vnetlab" }</h1>
                <span class="design-name" data-testid="design-name">{ app.design.name.clone() }</span>
                <a class="open-full" href={full} target="_blank" rel="noopener">{ "Open in vnetlab ↗" }</a>
            </header>
        };
    }

    let onpick = {
        let app = app.clone();
        Callback::from(move |event: Event| {
            let Some(input) = event
                .target()
                .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
            else {
                return;
            };
            if let Some(files) = input.files() {
                read_into(&app, &reader, browser::file_list(&files));
            }
            input.set_value("");
        })
    };
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
    let open_picker = {
        let file_input = file_input.clone();
        Callback::from(move |_| {
            if let Some(input) = file_input.cast::<web_sys::HtmlInputElement>() {
                input.click();
            }
        })
    };
    let stem = browser::file_stem(&app.design.name);
    let export_json = {
        let app = app.clone();
        let name = format!("{stem}.json");
        Callback::from(move |_| {
            let json = serde_json::to_string_pretty(&*app.design).unwrap_or_default();
            browser::download(&name, "application/json", &json);
        })
    };
    let export_svg = {
        let app = app.clone();
        let name = format!("{stem}.svg");
        Callback::from(move |_| browser::download(&name, "image/svg+xml", &svg::render(&app.scene)))
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
        let app = app.clone();
        let share = share.clone();
        Callback::from(move |_| share.set(Some(browser::share_link(&app.design))))
    };
    let close_share = {
        let share = share.clone();
        Callback::from(move |_| share.set(None))
    };

    html! {
        <header class="app-header">
            <h1 class="brand">{ "vnetlab" }</h1>
            <label class="scenario-picker">
                { "Scenario" }
                <select id="scenario-picker" data-testid="scenario-picker" aria-label="Scenario" onchange={onscenario}>
                    if app.scenario.is_empty() {
                        <option value="" selected=true>{ format!("Custom: {}", app.design.name) }</option>
                    }
                    { for presets().into_iter().map(|preset| html! {
                        <option value={preset.id} selected={preset.id == app.scenario}>{ preset.title }</option>
                    }) }
                </select>
            </label>
            if app.modified() {
                <span class="modified-mark" data-testid="modified" title="The design differs from the scenario as loaded">
                    { "● modified" }
                </span>
                if !app.read_only {
                    <button type="button" data-testid="reset-scenario"
                            onclick={dispatch_on_click(&app, Action::ResetToScenario)}>{ "Reset to scenario" }</button>
                }
            }
            <div class="actions" role="toolbar" aria-label="Design actions">
                <button type="button" aria-label="Undo (Ctrl+Z)" data-testid="undo" disabled={!app.can_undo()}
                        onclick={dispatch_on_click(&app, Action::Undo)}>{ "↶ Undo" }</button>
                <button type="button" aria-label="Redo (Ctrl+Shift+Z)" data-testid="redo" disabled={!app.can_redo()}
                        onclick={dispatch_on_click(&app, Action::Redo)}>{ "↷ Redo" }</button>
                <button type="button" onclick={open_picker} data-testid="import"
                        aria-label="Import a design, Azure JSON or ARM template, optionally with its parameters file (or drop them on the page)">{ "Import…" }</button>
                <input type="file" accept=".json,application/json" multiple=true class="visually-hidden" tabindex="-1"
                       aria-hidden="true" data-testid="import-input" ref={file_input} onchange={onpick} />
                <button type="button" onclick={export_json} data-testid="export-json">{ "Export JSON" }</button>
                <button type="button" onclick={export_svg} data-testid="export-svg">{ "SVG" }</button>
                <button type="button" onclick={export_report} data-testid="export-report">{ "Report" }</button>
                <button type="button" onclick={onshare} data-testid="share">{ "Share link" }</button>
            </div>
            if let Some(link) = (*share).clone() {
                <div class="share-popover" role="dialog" aria-label="Share link">
                    <input type="text" readonly=true value={link} data-testid="share-link"
                           aria-label="Share link: copy this address" />
                    <button type="button" aria-label="Close share link" onclick={close_share}>{ "×" }</button>
                </div>
            }
        </header>
    }
}
