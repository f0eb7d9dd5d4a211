#!/usr/bin/env bash
# The release build: the server and the WebAssembly app (asset names carry their
# content hash), then the site's JS, WASM and CSS compressed once beside
# themselves (scripts/precompress.mjs).
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/kith/target}"
export PATH="$PWD/node_modules/.bin:${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"
cargo leptos build --release
node scripts/precompress.mjs target/site/pkg
