#!/usr/bin/env bash
# Fails, naming each file, when a C++ source is not formatted as .clang-format says (Debian's
# clang-format-14). Without arguments it checks every .cpp and .hpp of the repository; with
# arguments, just those files. Fix a drift with: clang-format-14 -i FILE
set -euo pipefail
cd "$(dirname "$0")/.."
formatter=${CLANG_FORMAT:-clang-format-14}
if [ $# -gt 0 ]; then
  files=("$@")
elif git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
  mapfile -t files < <(git ls-files '*.cpp' '*.hpp')
else
  mapfile -t files < <(find src tests bench -name '*.cpp' -o -name '*.hpp' | sort)
fi
drifted=()
for file in "${files[@]}"; do
  if ! "$formatter" --style=file --dry-run --Werror "$file" >/dev/null 2>&1; then
    drifted+=("$file")
  fi
done
if [ ${#drifted[@]} -gt 0 ]; then
  echo "not formatted (clang-format-14 -i FILE fixes it):" >&2
  printf '  %s\n' "${drifted[@]}" >&2
  exit 1
fi
echo "${#files[@]} files formatted"
