#!/usr/bin/env bash
# Fails when a module of src/ includes a module it may not depend on (docs/architecture.md).
# Dependencies go one way, downwards; tests (*_test.cpp, testing/, test fixtures) may reach
# further. With an argument, checks that source tree instead of src/.
set -euo pipefail
cd "$(dirname "$0")/.."
root=${1:-src}
declare -A allowed=(
  [core]=""
  [model]="core"
  [crypto]="core"
  [qr]="core"
  [content]="core"
  [outreach]="core"
  [insights]="core model outreach store"
  [store]="core model crypto"
  [auth]="core model crypto store"
  [chat]="core model crypto store"
  # api reads and edits the outreach lexicon and unpacks uploaded exports for the review console.
  [api]="core model crypto qr content outreach insights store auth chat"
  # net hands requests and sockets to api through two plain interfaces and knows nothing else.
  [net]="core crypto api/http.hpp api/channel.hpp"
  [app]="core model crypto qr content outreach insights store auth chat api net"
)
violations=()
for module in "${!allowed[@]}"; do
  [ -d "$root/$module" ] || continue
  while IFS= read -r hit; do
    file=${hit%%:*}
    target=${hit#*#include \"}
    target=${target%%\"*}
    other=${target%%/*}
    [ "$other" = "$module" ] && continue
    ok=false
    for permitted in ${allowed[$module]}; do
      if [ "$permitted" = "$other" ] || [ "$permitted" = "$target" ]; then ok=true; fi
    done
    $ok || violations+=("$file includes $target")
  done < <(find "$root/$module" \( -name '*.cpp' -o -name '*.hpp' \) \
             ! -name '*_test.cpp' ! -name 'test_*' ! -name '*_fixture.hpp' ! -path '*/testing/*' \
             -print0 | xargs -0 -r grep -HE '^#include "[a-z_]+/' || true)
done
if [ ${#violations[@]} -gt 0 ]; then
  echo "dependencies against the layering of docs/architecture.md:" >&2
  printf '  %s\n' "${violations[@]}" >&2
  exit 1
fi
echo "layering holds"
