//! The yew user interface: the only module that touches the browser (web-sys, gloo).
//! Components render view-model data and report intent; they hold no Azure logic.

mod app;
mod shell;

pub use app::App;

/// Mounts the app into `#app`, replacing the loading indicator.
pub fn start() {
    let root = gloo::utils::document()
        .get_element_by_id("app")
        .expect("index.html provides #app");
    root.set_inner_html("");
    yew::Renderer::<App>::with_root(root).render();
}
