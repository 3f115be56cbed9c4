#!/usr/bin/env bash
# The scan benchmark (never part of ctest). Generates once, deterministically, a synthetic
# Telegram Desktop full export of SIZE_MB megabytes (default 1100) and a lexicon (the starter
# lexicon plus 1000 generated terms) with terms.txt, then measures on the same file, page cache
# warm: `uitweg scan` end to end (parsing, normalisation, matching, scoring, clustering, jsonl
# output), `rg -F -i -f terms.txt --count` and `grep -F -i -f terms.txt --count`: wall time,
# MB/s, peak RSS and ratios. The scans find the lexicon compiled (in a cache folder of the
# bench's own), as every scan but a lexicon's first does. Also the fixed cost of a scan (a scan
# of a one-line file), with that cache and with --no-cache. Prints a table and one JSON line.
#   bench/scan/run.sh [BUILD_DIR]     env: SIZE_MB, WORK (default BUILD_DIR/bench-scan-work),
#                                          THREADS (default: all), STARTER (starter lexicon)
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
build=$(cd "${1:-$root/build}" && pwd)
work=${WORK:-$build/bench-scan-work}
size_mb=${SIZE_MB:-1100}
starter=${STARTER:-$root/lexicon/nl-recruitment.toml}
threads=${THREADS:-$(nproc)}

# `uitweg scan` when the main binary is built (make build); otherwise bench/scan/uitweg-scan,
# which runs the same RunScanCommand.
mkdir -p "$work"
if ! cmake --build "$build" --target scan-bench-generate scan-bench-read uitweg-scan \
    -j "${JOBS:-2}" > "$work/build.log" 2>&1; then
  tail -n 30 "$work/build.log" >&2
  exit 1
fi
if [ -x "$build/uitweg" ] && "$build/uitweg" scan --help > /dev/null 2>&1; then
  scan=("$build/uitweg" scan)
  scan_name="uitweg scan"
else
  scan=("$build/bench/scan/uitweg-scan")
  scan_name="uitweg-scan"
fi

stamp="size_mb=$size_mb starter=$(sha256sum "$starter" | cut -c1-16) generator=$(cat "$root"/bench/scan/{generate_export,synthetic_chat}.cpp | sha256sum | cut -c1-16)"
if [ ! -f "$work/export.json" ] || [ "$(cat "$work/stamp" 2>/dev/null)" != "$stamp" ]; then
  echo "generating $size_mb MB in $work ..." >&2
  rm -f "$work/stamp"
  "$build/bench/scan/scan-bench-generate" --out "$work" --starter "$starter" --size-mb "$size_mb"
  echo "$stamp" > "$work/stamp"
fi
export_json="$work/export.json"
bytes=$(stat -c %s "$export_json")
terms=$(wc -l < "$work/terms.txt")
lexicon_terms=$(grep -c '^\[\[term\]\]' "$work/lexicon.toml")
echo "hallo" > "$work/one_line.txt"
cat "$export_json" > /dev/null  # the same warm page cache for every tool

# measure NAME CMD... -> "wall_seconds rss_kb cpu_seconds" of one run. Output goes to a file,
# not /dev/null: GNU grep stops at the first match when it sees /dev/null.
measure() {
  local name=$1
  shift
  local timing="$work/time.$name"
  /usr/bin/time -f "%e %M %x %U %S" -o "$timing" "$@" > "$work/out.$name" 2> "$work/stderr.$name" || true
  local seconds rss code user sys
  read -r seconds rss code user sys < <(tail -n 1 "$timing")
  # rg and grep exit 1 when nothing matched; anything else is a failure.
  if [ "$code" != 0 ] && [ "$code" != 1 ]; then
    echo "$name failed (exit $code):" >&2
    tail -n 5 "$work/stderr.$name" >&2
    exit 1
  fi
  echo "$seconds $rss $(awk -v u="$user" -v s="$sys" 'BEGIN { print u + s }')"
}

# The scan with the learned scorer (the shipped model), as analysts run it, and without it; the
# compiled lexicon cached, as it is from a lexicon's second scan on (a folder of the bench's own).
# The fixed cost of a scan: its start-up (a scan of a one-line file), with and without that cache.
model=${MODEL:-$root/model/nl-recruitment.model}
cache=(--cache "$work/compiled")
rm -rf "$work/compiled"
"${scan[@]}" "$work/one_line.txt" --lexicon "$work/lexicon.toml" --model "$model" "${cache[@]}" \
  --format jsonl > /dev/null
read -r compile_s compile_rss compile_cpu < <(measure compile "${scan[@]}" "$work/one_line.txt" \
  --lexicon "$work/lexicon.toml" --model "$model" --no-cache --format jsonl --threads "$threads")
read -r start_s start_rss start_cpu < <(measure start "${scan[@]}" "$work/one_line.txt" \
  --lexicon "$work/lexicon.toml" --model "$model" "${cache[@]}" --format jsonl --threads "$threads")
read -r scan_s scan_rss scan_cpu < <(measure uitweg "${scan[@]}" "$export_json" \
  --lexicon "$work/lexicon.toml" --model "$model" "${cache[@]}" --format jsonl --threads "$threads")
read -r lex_s lex_rss lex_cpu < <(measure lexicon_only "${scan[@]}" "$export_json" \
  --lexicon "$work/lexicon.toml" --no-model "${cache[@]}" --format jsonl --threads "$threads")
read -r read_s read_rss read_cpu < <(measure read "$build/bench/scan/scan-bench-read" \
  "$export_json" --threads "$threads")
read -r rg_s rg_rss rg_cpu < <(measure rg rg -F -i -f "$work/terms.txt" --count "$export_json")
read -r grep_s grep_rss grep_cpu < <(measure grep grep -F -i -f "$work/terms.txt" --count "$export_json")
flagged=$(wc -l < "$work/out.uitweg")

awk -v name="$scan_name" -v bytes="$bytes" -v terms="$terms" -v lexicon_terms="$lexicon_terms" -v threads="$threads" \
    -v flagged="$flagged" -v cs="$compile_s" -v cr="$compile_rss" -v us="$scan_s" \
    -v ur="$scan_rss" -v rs="$rg_s" -v rr="$rg_rss" -v gs="$grep_s" -v gr="$grep_rss" \
    -v ds="$read_s" -v dr="$read_rss" -v dc="$read_cpu" -v load="$(cut -d' ' -f1 /proc/loadavg)" \
    -v cc="$compile_cpu" -v uc="$scan_cpu" -v rc="$rg_cpu" -v gc="$grep_cpu" \
    -v ls="$lex_s" -v lr="$lex_rss" -v lc="$lex_cpu" \
    -v ss="$start_s" -v sr="$start_rss" -v sc="$start_cpu" \
    -v nproc="$(nproc)" 'BEGIN {
  mb = bytes / 1e6
  u = mb / us; r = mb / rs; g = mb / gs
  net = (us > ss) ? mb / (us - ss) : 0
  printf "scan benchmark: %.0f MB Telegram export, %d lexicon terms (%d plain spellings in terms.txt), %d threads of %d cores, load average %s\n", mb, lexicon_terms, terms, threads, nproc, load
  printf "%-36s %8s %8s %9s %12s %8s\n", "command", "wall s", "cpu s", "MB/s", "peak RSS MB", "vs rg"
  printf "%-36s %8.2f %8.2f %9.0f %12.1f %8.2f\n", name " --format jsonl", us, uc, u, ur / 1024, u / r
  printf "%-36s %8.2f %8.2f %9.0f %12.1f %8.2f\n", name " --no-model", ls, lc, mb / ls, lr / 1024, (mb / ls) / r
  printf "%-36s %8.2f %8.2f %9.0f %12.1f %8.2f\n", "rg -F -i -f terms.txt --count", rs, rc, r, rr / 1024, 1
  printf "%-36s %8.2f %8.2f %9.0f %12.1f %8.2f\n", "grep -F -i -f terms.txt --count", gs, gc, g, gr / 1024, g / r
  printf "%-36s %8.2f %8.2f %9s %12.1f %8s\n", name " start-up, lexicon cached", ss, sc, "-", sr / 1024, "-"
  printf "%-36s %8.2f %8.2f %9s %12.1f %8s\n", name " start-up, --no-cache", cs, cc, "-", cr / 1024, "-"
  printf "%-36s %8.2f %8.2f %9.0f %12.1f %8.2f\n", "readers only (scan-bench-read)", ds, dc, mb / ds, dr / 1024, (mb / ds) / r
  printf "uitweg scan without its start-up: %.0f MB/s; flagged posts: %d; uitweg/grep: %.2f\n", net, flagged, u / g
  printf "{\"bench\":\"scan\",\"command\":\"%s\",", name
  printf "\"file_mb\":%.1f,\"lexicon_terms\":%d,\"plain_terms\":%d,\"threads\":%d,\"cores\":%d,\"flagged\":%d,", mb, lexicon_terms, terms, threads, nproc, flagged
  printf "\"uitweg\":{\"seconds\":%.3f,\"cpu_seconds\":%.3f,\"mb_per_s\":%.1f,\"peak_rss_mb\":%.1f},", us, uc, u, ur / 1024
  printf "\"uitweg_no_model\":{\"seconds\":%.3f,\"cpu_seconds\":%.3f,\"mb_per_s\":%.1f,\"peak_rss_mb\":%.1f},", ls, lc, mb / ls, lr / 1024
  printf "\"rg\":{\"seconds\":%.3f,\"cpu_seconds\":%.3f,\"mb_per_s\":%.1f,\"peak_rss_mb\":%.1f},", rs, rc, r, rr / 1024
  printf "\"grep\":{\"seconds\":%.3f,\"cpu_seconds\":%.3f,\"mb_per_s\":%.1f,\"peak_rss_mb\":%.1f},", gs, gc, g, gr / 1024
  printf "\"readers_only\":{\"seconds\":%.3f,\"cpu_seconds\":%.3f,\"mb_per_s\":%.1f,\"peak_rss_mb\":%.1f},\"load_average\":%s,", ds, dc, mb / ds, dr / 1024, load
  printf "\"start_seconds\":%.3f,\"start_no_cache_seconds\":%.3f,\"start_no_cache_cpu_seconds\":%.3f,\"uitweg_mb_per_s_without_start\":%.1f,\"uitweg_vs_rg\":%.3f,\"uitweg_vs_grep\":%.3f}\n", ss, cs, cc, net, u / r, u / g
}'
