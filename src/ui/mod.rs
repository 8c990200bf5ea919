//! The yew user interface: the only module that touches the browser (web-sys, gloo).
//! Components render `view` data and dispatch `view::state::Action`s; they hold no Azure logic.
//! Side effects (localStorage, files, the URL, downloads) live in `browser.rs`.

mod analysis_worker;
mod app;
mod autosave_notice;
mod banner;
mod browser;
mod defer_while_hidden;
mod design_intro;
mod design_transit;
mod diagnostics_panel;
mod diagram;
mod diagram_card;
mod diagram_scene;
mod disclosure;
mod dropped_folder;
mod editor_window;
mod element_observer;
mod element_tree;
mod firewall_editor;
mod firewall_settings;
mod fix_as_code;
mod flows_panel;
mod form;
mod header;
mod import_module;
mod lab_maker;
mod lab_panel;
mod load_balancer_editor;
mod network_manager_editor;
mod nsg_editor;
mod options_panel;
mod perimeter_editor;
mod rename_field;
mod resize;
mod resource_firewall;
mod route_editor;
mod sep_editor;
mod share_conflict;
mod share_dialog;
mod state;
mod toggle_list;
mod trace_form;
mod trace_view;
mod visibility;
mod worker_codec;

pub use app::App;

/// Serves imports: the entry point of the import module (`src/bin/vnetlab-import.rs`).
pub fn serve_imports() {
    import_module::serve();
}

/// Mounts the app into `#app`, replacing the loading indicator; in the analysis worker,
/// serves its jobs instead.
pub fn start() {
    if analysis_worker::in_worker() {
        analysis_worker::serve();
        return;
    }
    let root = gloo::utils::document()
        .get_element_by_id("app")
        .expect("index.html provides #app");
    root.set_inner_html("");
    yew::Renderer::<App>::with_root(root).render();
}
