#!/usr/bin/env bash
# The network gate of a pull request: BEFORE is the design on the target branch, AFTER the
# design of the pull request, INTENTS the checked-in intents. Writes three reports into the
# working directory and exits with the worst vnetlab exit code: 0 passed, 1 a gate failed,
# 2 could not check. Every report is written even when an earlier check fails.
set -uo pipefail
before="$1" after="$2" intents="$3"
worst=0
gate() {
  "$@"
  local code=$?
  if [ "$code" -gt "$worst" ]; then worst=$code; fi
}
gate vnetlab check-intents "$after" "$intents" --format sarif > vnetlab.sarif
gate vnetlab diff "$before" "$after" --fail-on-regression --format markdown > vnetlab-diff.md
gate vnetlab exfil "$after" --fail-on-exfil --format junit > vnetlab-exfil.xml
exit "$worst"
