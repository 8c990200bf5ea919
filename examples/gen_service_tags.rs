//! Regenerates the compiled-in service-tag data from Microsoft's official file:
//!
//! ```text
//! cargo run --example gen_service_tags -- \
//!     ../shared/fixtures/service-tags/ServiceTags_Public_20251028.json \
//!     src/engine/service_tags/public.tags
//! ```
//!
//! All the work is in `vnetlab::engine::service_tags::encode_compact`; this only reads and
//! writes the files.

use std::path::Path;
use std::process::ExitCode;
use std::{env, fs};

use vnetlab::engine::service_tags::encode_compact;

fn main() -> ExitCode {
    let arguments: Vec<String> = env::args().skip(1).collect();
    let [input, output] = &arguments[..] else {
        eprintln!("usage: gen_service_tags <ServiceTags_Public_*.json> <output .tags file>");
        return ExitCode::FAILURE;
    };
    match generate(Path::new(input), Path::new(output)) {
        Ok(bytes) => {
            println!("wrote {output} ({bytes} bytes)");
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("gen_service_tags: {error}");
            ExitCode::FAILURE
        }
    }
}

/// Encodes `input` into `output`, returning the number of bytes written.
fn generate(input: &Path, output: &Path) -> Result<usize, String> {
    let json = fs::read_to_string(input)
        .map_err(|error| format!("cannot read {}: {error}", input.display()))?;
    let source_name = input
        .file_name()
        .and_then(|name| name.to_str())
        .ok_or_else(|| format!("{} has no usable file name", input.display()))?;
    let compact = encode_compact(&json, source_name)
        .map_err(|error| format!("{}: {error}", input.display()))?;
    fs::write(output, &compact)
        .map_err(|error| format!("cannot write {}: {error}", output.display()))?;
    Ok(compact.len())
}
