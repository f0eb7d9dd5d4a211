#!/usr/bin/env bash
# Installs what building and testing Kith needs, skipping whatever is already
# there: the wasm target, cargo-leptos, the wasm-bindgen CLI matching Cargo.lock,
# the npm packages (wasm-opt, Tailwind, Playwright, ECharts) and, with --browser, Chromium.
# Nothing is downloaded from outside the package registries.
set -euo pipefail
cd "$(dirname "$0")/.."

CARGO_LEPTOS_VERSION=0.3.6
WANT_BROWSER=0
[ "${1:-}" = "--browser" ] && WANT_BROWSER=1

say() { printf '\033[1m==> %s\033[0m\n' "$*"; }
CARGO_BIN="${CARGO_HOME:-$HOME/.cargo}/bin"
export PATH="$PWD/node_modules/.bin:$CARGO_BIN:$PATH"

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  say "Adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi

if ! cargo leptos --version 2>/dev/null | grep -q " $CARGO_LEPTOS_VERSION"; then
  say "Installing cargo-leptos $CARGO_LEPTOS_VERSION (about 17 minutes, once per machine)"
  cargo install cargo-leptos --version "$CARGO_LEPTOS_VERSION" --locked
fi

WASM_BINDGEN_VERSION="$(awk '/^name = "wasm-bindgen"$/ {getline; gsub(/version = |"/, ""); print; exit}' Cargo.lock)"
if ! wasm-bindgen --version 2>/dev/null | grep -q " $WASM_BINDGEN_VERSION"; then
  say "Installing wasm-bindgen-cli $WASM_BINDGEN_VERSION (about 3 minutes, once per machine)"
  # Without --locked: its lock file names a crate version the registry does not serve.
  cargo install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION"
fi

if [ ! -x node_modules/.bin/wasm-opt ] || [ ! -x node_modules/.bin/tailwindcss ] || [ ! -f node_modules/echarts/dist/echarts.min.js ] || [ ! -f node_modules/swagger-ui-dist/swagger-ui-bundle.js ] || [ package.json -nt node_modules/.package-lock.json ]; then
  say "Installing npm packages (wasm-opt, Tailwind CSS, Playwright, ECharts, Swagger UI)"
  # `npm install` (not `npm ci`): npm 11 rejects its own lock file for per-platform optional packages.
  npm install --no-audit --no-fund --loglevel=error
fi

# The charts' script, served by Kith itself from the site's /vendor directory.
mkdir -p public/vendor
if ! cmp -s node_modules/echarts/dist/echarts.min.js public/vendor/echarts.min.js; then
  cp node_modules/echarts/dist/echarts.min.js public/vendor/echarts.min.js
  # Brotli-compressed beside it (1 MB → about 280 KB), for browsers that accept it.
  node -e 'const fs = require("fs"), zlib = require("zlib"); const f = process.argv[1];
    fs.writeFileSync(f + ".br", zlib.brotliCompressSync(fs.readFileSync(f)));' public/vendor/echarts.min.js
fi

# The REST API's reference page (/api/docs) draws with Swagger UI, also served by Kith.
mkdir -p public/vendor/swagger-ui
for file in swagger-ui-bundle.js swagger-ui.css; do
  if ! cmp -s "node_modules/swagger-ui-dist/$file" "public/vendor/swagger-ui/$file"; then
    cp "node_modules/swagger-ui-dist/$file" "public/vendor/swagger-ui/$file"
    node -e 'const fs = require("fs"), zlib = require("zlib"); const f = process.argv[1];
      fs.writeFileSync(f + ".br", zlib.brotliCompressSync(fs.readFileSync(f)));' "public/vendor/swagger-ui/$file"
  fi
done

if [ "$WANT_BROWSER" = 1 ] && [ ! -x /usr/bin/chromium ]; then
  say "Installing Debian's Chromium for the end-to-end tests"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium
fi
