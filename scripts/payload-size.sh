#!/usr/bin/env bash
# Prints the release payload (wasm + js + css in dist/), raw and gzipped, as recorded in README.md.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -d dist ] || { echo "dist/ is missing: run trunk build --release first" >&2; exit 1; }
total_raw=0; total_gz=0
printf '%-10s %10s %10s\n' kind bytes gzipped
for kind in wasm js css; do
  raw=0; gz=0
  while IFS= read -r -d '' file; do
    raw=$((raw + $(stat -c %s "$file")))
    gz=$((gz + $(gzip -9 -c "$file" | wc -c)))
  done < <(find dist -maxdepth 1 -name "*.${kind}" -print0)
  printf '%-10s %10d %10d\n' "$kind" "$raw" "$gz"
  total_raw=$((total_raw + raw)); total_gz=$((total_gz + gz))
done
printf '%-10s %10d %10d\n' total "$total_raw" "$total_gz"
