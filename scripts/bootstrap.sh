#!/usr/bin/env bash
# Installs what the build and the tests need and is not yet present: Debian packages with
# apt-get (one `apt-get update` first, only when something is missing) and the web and test
# tooling with `npm ci`. Safe to run again; it skips what is there.
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(
  build-essential cmake ninja-build ccache pkg-config git
  libboost1.81-dev libboost-json1.81-dev libboost-url1.81-dev
  libsqlite3-dev libpq-dev postgresql-15 haproxy
  libsodium-dev libssl-dev openssl libhyperscan-dev libsimdjson-dev libtomlplusplus-dev
  libqrencode-dev libspdlog-dev libfmt-dev libcmark-dev libstemmer-dev libarchive-dev
  libgtest-dev libgmock-dev libbenchmark-dev clang-14 libclang-rt-14-dev clang-format-14
  chromium ripgrep grep sqlmap
  # Emoji are words in recruitment posts (❄️, 💶); without a font the browser tests' screenshots
  # of the review console show empty boxes where they stand.
  fonts-noto-color-emoji
)
# Node.js may come from elsewhere with npm bundled; Debian's npm conflicts with that nodejs.
command -v npm >/dev/null 2>&1 || packages+=(nodejs npm)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "bootstrap: installing ${missing[*]}"
  if [ "$(id -u)" -ne 0 ]; then
    echo "bootstrap: missing packages and not root; install them: apt-get install ${missing[*]}" >&2
    exit 1
  fi
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q
  apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

if [ -f package-lock.json ]; then
  if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
    npm ci --no-audit --no-fund --loglevel=error
  fi
fi
