#!/usr/bin/env bash
# Runs everything CI runs, in order: formatting, lints (native and wasm32), native tests,
# browser tests (wasm-bindgen-test in headless Chromium), the release build, the payload size
# report and the end-to-end tests against the release build.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install.sh
export PATH="$PWD/node_modules/.bin:$HOME/.cargo/bin:$PATH"

step() { printf '\n=== %s\n' "$*"; }

step "cargo fmt --check"
cargo fmt --all -- --check

step "clippy (native)"
cargo clippy --all-targets --locked -- -D warnings

step "clippy (wasm32)"
cargo clippy --all-targets --locked --target wasm32-unknown-unknown -- -D warnings

step "native tests"
cargo test --locked

step "browser tests (wasm-bindgen-test, headless Chromium)"
CHROMEDRIVER=/usr/bin/chromedriver WASM_BINDGEN_TEST_TIMEOUT=120 \
  cargo test --locked --target wasm32-unknown-unknown --test browser

step "release build (trunk)"
trunk build --release

step "payload size"
scripts/payload-size.sh
scripts/check-first-load.sh

step "end-to-end tests (release build, headless Chromium)"
node --test tests/e2e/
