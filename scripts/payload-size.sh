#!/usr/bin/env bash
# Prints the release payload in dist/, raw and gzipped, as recorded in README.md: the first load
# (wasm + js + css the page loads; the analysis worker loads the same files) and the import
# module (vnetlab-import*, loaded the first time files are imported); and the page itself,
# index.html, which holds the prerendered first screen.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -d dist ] || { echo "dist/ is missing: run trunk build --release first" >&2; exit 1; }
sizes() { # prints "raw gzipped" of the files found by the find arguments
  local raw=0 gz=0
  while IFS= read -r -d '' file; do
    raw=$((raw + $(stat -c %s "$file")))
    gz=$((gz + $(gzip -9 -c "$file" | wc -c)))
  done < <(find dist -maxdepth 1 "$@" -print0)
  echo "$raw $gz"
}
total_raw=0; total_gz=0
printf '%-14s %10s %10s\n' kind bytes gzipped
for kind in wasm js css; do
  read -r raw gz < <(sizes -name "*.${kind}" ! -name 'vnetlab-import*')
  printf '%-14s %10d %10d\n' "$kind" "$raw" "$gz"
  total_raw=$((total_raw + raw)); total_gz=$((total_gz + gz))
done
printf '%-14s %10d %10d\n' 'first load' "$total_raw" "$total_gz"
read -r raw gz < <(sizes -name 'index.html')
printf '%-14s %10d %10d\n' 'index.html' "$raw" "$gz"
read -r raw gz < <(sizes -name 'vnetlab-import*')
[ "$raw" -gt 0 ] || { echo "dist/ has no import module (vnetlab-import*)" >&2; exit 1; }
printf '%-14s %10d %10d\n' 'import module' "$raw" "$gz"
