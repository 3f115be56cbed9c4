#!/usr/bin/env bash
# Builds the libFuzzer targets with clang-14 (address and undefined-behaviour sanitizers) in
# their own build folder and runs each for SECONDS (default 60). New inputs that raise coverage
# collect in <build>/fuzz-corpus/<target>/, crashes in <build>/fuzz-artifacts/.
#   tests/fuzz/run.sh [SECONDS] [TARGET...]      FUZZ_BUILD=dir overrides build-fuzz
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
seconds=${1:-60}
shift || true
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  targets=(telegram_reader jsonl_reader csv_reader zip_export lexicon text_model websocket_frame
           client_frame http_request config second_factor_code)
fi
build=${FUZZ_BUILD:-$root/build-fuzz}
sanitize="-fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=undefined"

CC=clang-14 CXX=clang++-14 cmake -S "$root" -B "$build" -G Ninja -DUITWEG_FUZZ=ON \
  -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCMAKE_C_FLAGS="$sanitize" -DCMAKE_CXX_FLAGS="$sanitize" > /dev/null
cmake --build "$build" --target "${targets[@]/#/fuzz_}" -j "${JOBS:-2}"

mkdir -p "$build/fuzz-artifacts"
status=0
for target in "${targets[@]}"; do
  corpus="$build/fuzz-corpus/$target"
  mkdir -p "$corpus"
  echo "== fuzz_$target for ${seconds}s"
  log="$build/fuzz-artifacts/$target.log"
  if "$build/tests/fuzz/fuzz_$target" "$corpus" "$root/tests/fuzz/corpus/$target" \
      -max_total_time="$seconds" -max_len=65536 -rss_limit_mb=4096 -print_final_stats=1 \
      -artifact_prefix="$build/fuzz-artifacts/$target-" > "$log" 2>&1; then
    grep -E "^(Done|stat::number_of_executed_units|stat::peak_rss_mb)" "$log" || true
  else
    status=1
    tail -n 40 "$log"
  fi
done
exit $status
