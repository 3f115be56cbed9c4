#!/usr/bin/env bash
# Runs every test (unit, store contract, integration, browser) through ctest and ends with its
# summary line; exits non-zero on any failure.
set -euo pipefail
build=${1:-build}
cd "$(dirname "$0")/.."
# playwright-core, which drives the browser tests, runs on Node.js 20 or later: on an older one
# they would fail one by one for reasons that do not say so.
node_major=$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)
if ! [[ $node_major =~ ^[0-9]+$ ]] || [ "$node_major" -lt 20 ]; then
  echo "test: the browser tests need Node.js 20 or later; this machine has $(node --version 2>/dev/null || echo none)." >&2
  echo "test: install Node.js 20 (with its npm), then run make test again." >&2
  exit 1
fi
ctest --test-dir "$build" --output-on-failure -j "$(nproc)" --timeout 600
