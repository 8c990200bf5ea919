//! The browser app's import module, built for wasm32 by trunk as a worker (`index.html`
//! names it with `data-bin` and `data-type="worker"`): the page starts it the first time files
//! are imported, so the importers are not part of the page's first load.

#[cfg(target_arch = "wasm32")]
fn main() {
    vnetlab::ui::serve_imports();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!(
        "vnetlab-import is the browser app's import module: build it with `trunk build --release` (see README.md)."
    );
    std::process::exit(2);
}
