//! The browser app's entry point, built for wasm32 by trunk (`index.html` names it with `data-bin`).

#[cfg(target_arch = "wasm32")]
fn main() {
    vnetlab::ui::start();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!(
        "vnetlab-web is the browser app: build it with `trunk build --release` (see README.md)."
    );
    std::process::exit(2);
}
