#!/usr/bin/env bash
# Runs every test (unit, store contract, integration, browser) through ctest and ends with its
# summary line; exits non-zero on any failure.
set -euo pipefail
build=${1:-build}
cd "$(dirname "$0")/.."
ctest --test-dir "$build" --output-on-failure -j "$(nproc)" --timeout 600
