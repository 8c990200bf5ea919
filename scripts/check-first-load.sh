#!/usr/bin/env bash
# Checks that the importers stay out of the page's first load (dist/ after trunk build --release):
# a message of each importer (ARM template evaluation, Azure resource conversion, Terraform) must
# be in the import module's wasm and not in the page's.
set -euo pipefail
cd "$(dirname "$0")/.."
page=$(find dist -maxdepth 1 -name 'vnetlab-web-*_bg.wasm' | head -n 1)
module=dist/vnetlab-import_bg.wasm
[ -n "$page" ] && [ -f "$module" ] || { echo "dist/ lacks the page's wasm or the import module: run trunk build --release" >&2; exit 1; }
status=0
for message in \
  "the copy count must be an int" \
  "the cluster has no \`agentPoolProfiles\`" \
  "provider-defined functions are not evaluated"; do
  if ! grep -qF "$message" "$module"; then
    echo "the import module lacks the importer message \"$message\" (renamed? update this check)" >&2; status=1
  fi
  if grep -qF "$message" "$page"; then
    echo "the page's first load holds the importer message \"$message\": a page code path reaches an importer" >&2; status=1
  fi
done
[ "$status" -eq 0 ] && echo "first load: no importer in the page's wasm; all three in the import module"
exit "$status"
