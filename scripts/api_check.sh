#!/usr/bin/env bash
# The REST API checked from outside: the release server on a fresh SQLite file
# with the demo team, its OpenAPI document validated (openapi-spec-validator),
# then Schemathesis (from PyPI) drives every operation with an admin's read and
# write token — every check but `use_after_free` (DELETE archives a lead or
# customer: an admin can still read and restore it). Bounded by MAX_EXAMPLES per
# operation and a time limit. Needs the release build (scripts/release.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/kith/target}"
BIN="${KITH_BIN:-$CARGO_TARGET_DIR/release/kith}"
PORT="${API_CHECK_PORT:-3233}"
MAX_EXAMPLES="${MAX_EXAMPLES:-25}"
VENV="${KITH_PY_VENV:-$HOME/.cache/kith/py}"

# Python tools, once per machine, in their own environment.
if ! "$VENV/bin/schemathesis" --version 2>/dev/null | grep -q "4.32.5"; then
  echo "==> Installing Schemathesis and openapi-spec-validator (once per machine)"
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install -q schemathesis==4.32.5 openapi-spec-validator==0.9.0
fi

WORK="$(mktemp -d /tmp/kith-api-check.XXXXXX)"
SERVER=""
cleanup() { [ -n "$SERVER" ] && kill "$SERVER" 2>/dev/null; rm -rf "$WORK"; }
trap cleanup EXIT

export KITH_DATABASE_URL="sqlite://$WORK/kith.db" KITH_LOG=warn
export LEPTOS_OUTPUT_NAME=kith LEPTOS_SITE_ROOT=target/site LEPTOS_SITE_PKG_DIR=pkg LEPTOS_ENV=PROD
"$BIN" seed-demo >/dev/null
TOKEN="$("$BIN" token create --email admin@kith.test --name schemathesis --scope write | grep -o 'kith_[A-Za-z0-9_-]*' | head -1)"
KITH_ADDR="127.0.0.1:$PORT" KITH_API_RATE_LIMIT=1000000 "$BIN" serve & SERVER=$!
for _ in $(seq 50); do curl -sf "http://127.0.0.1:$PORT/healthz" >/dev/null && break; sleep 0.2; done

curl -sf "http://127.0.0.1:$PORT/api/v1/openapi.json" -o "$WORK/openapi.json"
"$VENV/bin/openapi-spec-validator" "$WORK/openapi.json"

timeout 600 "$VENV/bin/schemathesis" --no-color --config-file scripts/schemathesis.toml run "$WORK/openapi.json" \
  --url "http://127.0.0.1:$PORT/api/v1" -H "Authorization: Bearer $TOKEN" \
  --checks all --exclude-checks use_after_free --output-sanitize false \
  --max-examples "$MAX_EXAMPLES" --workers 1 --seed "${SEED:-1}"
