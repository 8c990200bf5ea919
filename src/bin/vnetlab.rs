//! `vnetlab`, the native command-line interface over the same engine as the browser app.

/// mimalloc: loading and compiling an enterprise design makes millions of small allocations,
/// which took a quarter of `validate`'s time under the system allocator.
#[cfg(not(target_arch = "wasm32"))]
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[cfg(not(target_arch = "wasm32"))]
fn main() -> std::process::ExitCode {
    vnetlab::cli::run()
}

/// The command-line interface is native only; the wasm32 build of this binary does nothing.
#[cfg(target_arch = "wasm32")]
fn main() {}
