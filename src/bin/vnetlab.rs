//! `vnetlab`, the native command-line interface over the same engine as the browser app.

#[cfg(not(target_arch = "wasm32"))]
fn main() -> std::process::ExitCode {
    vnetlab::cli::run()
}

/// The command-line interface is native only; the wasm32 build of this binary does nothing.
#[cfg(target_arch = "wasm32")]
fn main() {}
