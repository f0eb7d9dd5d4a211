#!/usr/bin/env bash
# The server Playwright tests run against: the release build on a fresh SQLite
# file with the demo team, and access tokens that expire after 3 seconds so
# every test also exercises their silent renewal; webhooks may reach loopback.
set -euo pipefail
cd "$(dirname "$0")/.."
DATA="$(mktemp -d /tmp/kith-e2e.XXXXXX)"
export LEPTOS_OUTPUT_NAME=kith LEPTOS_SITE_ROOT=target/site LEPTOS_SITE_PKG_DIR=pkg LEPTOS_ENV=PROD
export KITH_DATABASE_URL="sqlite://$DATA/kith.db"
export KITH_DEMO=true
export KITH_ACCESS_TOKEN_TTL=3
export KITH_ADDR="${KITH_E2E_ADDR:-127.0.0.1:3117}"
export KITH_LOG="${KITH_LOG:-warn}"
# The tests' webhook receiver listens on loopback.
export KITH_WEBHOOK_ALLOW_PRIVATE=true
exec "${CARGO_TARGET_DIR:-$HOME/.cache/kith/target}/release/kith" serve
