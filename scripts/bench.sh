#!/usr/bin/env bash
# Runs the benchmarks of bench/ one after the other. They print tables and JSON lines; none
# of them can fail the build. Usage: scripts/bench.sh [BUILD_DIR]
#   env: LOAD_VISITORS (default 1000), LOAD_COUNSELLORS (default 100: the load generator raises
#        each one's capacity to their share of the visitors, at most 20), LOAD_RATE (default 2000), LOAD_SECONDS (default 20),
#        SIZE_MB for the scan benchmark (default 1100),
#        PEERS_SERVERS (default uitweg,ws,socketio), PEERS_VISITORS (default 2000),
#        PEERS_COUNSELLORS (default 200), PEERS_RATE (default 2000), PEERS_SECONDS (default 10),
#        LOAD_CONFIG, PEERS_CONFIG (TOML files for the uitweg server; default
#        bench/peers/uitweg.toml, which lifts the limits meant for people, not load generators),
#        FANOUT_WAITING (default 5000), FANOUT_COUNSELLORS (default 100),
#        SKIP="store load peers fanout scan micro" to skip.
set -uo pipefail
cd "$(dirname "$0")/.."
build=$(cd "${1:-build}" && pwd)
skip=" ${SKIP:-} "

section() { printf '\n== %s ==\n' "$1"; }

if [[ "$skip" != *" store "* ]]; then
  section "store: durable appends with group commit"
  "$build/bench/store/uitweg-store-bench" --seconds 3 --callers 1,8,64
  "$build/bench/store/uitweg-store-bench" --seconds 3 --callers 64 --encrypted
fi

if [[ "$skip" != *" load "* ]]; then
  section "load: WebSocket visitors and counsellors through the real server"
  load_config=${LOAD_CONFIG:-bench/peers/uitweg.toml}
  "$build/bench/load/uitweg-load" --server-bin "$build/uitweg" --server-config "$load_config" \
    --visitors "${LOAD_VISITORS:-1000}" --counsellors "${LOAD_COUNSELLORS:-100}" \
    --rate "${LOAD_RATE:-2000}" --duration "${LOAD_SECONDS:-20}"
  "$build/bench/load/uitweg-load" --server-bin "$build/uitweg" --server-config "$load_config" \
    --visitors "${LOAD_VISITORS:-1000}" --counsellors "${LOAD_COUNSELLORS:-100}" \
    --rate "${LOAD_RATE:-2000}" --duration 10 --sign-ins-per-second 20
  "$build/bench/load/uitweg-load" --server-bin "$build/uitweg" --server-config "$load_config" \
    --visitors 1000 --counsellors 100 --saturate --window 4 --duration 10
  "$build/bench/load/uitweg-load" --server-bin "$build/uitweg" --server-config "$load_config" \
    --visitors 1000 --counsellors 100 --saturate --window 64 --duration 10
fi

if [[ "$skip" != *" peers "* ]]; then
  section "peers: the same load on uitweg, a ws relay and a Socket.IO relay (bench/peers)"
  if command -v node >/dev/null 2>&1 && [ -d node_modules/ws ] && [ -d node_modules/socket.io ]; then
    "$build/bench/load/uitweg-load" --server-bin "$build/uitweg" \
      --compare "${PEERS_SERVERS:-uitweg,ws,socketio}" \
      --visitors "${PEERS_VISITORS:-2000}" --counsellors "${PEERS_COUNSELLORS:-200}" \
      --rate "${PEERS_RATE:-2000}" --duration "${PEERS_SECONDS:-10}" \
      --server-config "${PEERS_CONFIG:-bench/peers/uitweg.toml}"
  else
    echo "skipped: needs node and node_modules/ws, node_modules/socket.io (npm ci)"
  fi
fi

if [[ "$skip" != *" fanout "* ]]; then
  section "fanout: server CPU for one more visitor joining a long queue (bench/fanout)"
  "$build/bench/fanout/uitweg-fanout" --server-bin "$build/uitweg" \
    --waiting "${FANOUT_WAITING:-5000}" --counsellors "${FANOUT_COUNSELLORS:-100}" --joins 200
fi

if [[ "$skip" != *" micro "* ]]; then
  section "outreach: normalisation and analysis micro-benchmarks"
  "$build/bench/outreach_micro/outreach_micro_bench" --benchmark_min_time=0.5
fi

if [[ "$skip" != *" scan "* ]]; then
  section "scan: uitweg scan against rg and grep on a synthetic Telegram export"
  bash bench/scan/run.sh "$build"
fi
exit 0
