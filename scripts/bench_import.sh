#!/usr/bin/env bash
# Import benchmark (`make bench-import`): a ROWS-row Salesforce-style CSV of leads
# (default 100,000; 2% of rows with a bad email) imported through the real path —
# upload, preview, start, the server's background worker — into a fresh SQLite file
# and a throwaway PostgreSQL database with the demo team. Reports the upload, the
# preview and the import's times, the rows per second, the server's memory before
# and at its peak, and /leads for another signed-in user during the import (wrk,
# 8 connections) beside /healthz measured the same way. ONLY=sqlite or
# ONLY=postgres runs one database.
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/kith/target}"
export PATH="$PWD/node_modules/.bin:${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"
ROWS="${ROWS:-100000}"
PORT="${BENCH_PORT:-3219}"
BIN="$CARGO_TARGET_DIR/release/kith"
BASE="http://127.0.0.1:$PORT"
command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk; }
[ -n "${SKIP_BUILD:-}" ] || { scripts/tools.sh; scripts/release.sh >/dev/null; }

export LEPTOS_OUTPUT_NAME=kith LEPTOS_SITE_ROOT=target/site LEPTOS_SITE_PKG_DIR=pkg LEPTOS_ENV=PROD KITH_LOG=warn
export KITH_IMPORT_LIMIT_MB=1024
WORK="$(mktemp -d /tmp/kith-bench-import.XXXXXX)"
SERVER=""
cleanup() { [ -n "$SERVER" ] && kill "$SERVER" 2>/dev/null; scripts/pg.sh stop >/dev/null 2>&1 || true; rm -rf "$WORK"; }
trap cleanup EXIT

python3 - "$ROWS" "$WORK/leads.csv" <<'PY'
import random, sys
rows, path = int(sys.argv[1]), sys.argv[2]
random.seed(42)
owners = ["Maria Lopez", "James Chen", "priya@kith.test", "Someone Else"]
statuses = ["Open - Not Contacted", "Working - Contacted", "Closed - Converted", "Closed - Not Converted"]
with open(path, "w", encoding="utf-8") as f:
    f.write("First Name,Last Name,Email,Phone,Company,Lead Source,Lead Status,Lead Owner,Description\n")
    for i in range(rows):
        email = f"lead{i}@example{i % 97}.com" if i % 50 else f"lead{i}-at-example"
        f.write(f"Person{i},Surname{i % 1000},{email},+1 555 {i % 10000:04d},Company {i % 5000},"
                f"Web,{statuses[i % 4]},{owners[i % 4]},\"Met at event {i % 300}; wants a call\"\n")
PY
SIZE=$(du -m "$WORK/leads.csv" | cut -f1)

cookie_of() {
  curl -s -o /dev/null -D - -H 'accept: application/json' --data "email=$1&password=$2" "$BASE/api/login" \
    | awk -F': ' 'tolower($1)=="set-cookie" {split($2, a, ";"); printf "%s; ", a[1]}'
}
rss_kb() { awk '/VmRSS/ {print $2}' "/proc/$SERVER/status"; }
hwm_kb() { awk '/VmHWM/ {print $2}' "/proc/$SERVER/status"; }
now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", b - a }'; }
p99() { awk '/ 99%/ {print $2}'; }

run() {
  local name="$1" url="$2"
  KITH_DATABASE_URL="$url" "$BIN" seed-demo >/dev/null
  KITH_DATABASE_URL="$url" KITH_ADDR="127.0.0.1:$PORT" "$BIN" serve &
  SERVER=$!
  for _ in $(seq 100); do curl -sf "$BASE/healthz" >/dev/null && break; sleep 0.1; done
  local admin agent rss0 t0 t1 t2 t3 t4 id
  admin=$(cookie_of admin@kith.test kith-admin-demo)
  agent=$(cookie_of james@kith.test kith-agent-demo)
  local health
  health=$(wrk -t2 -c8 -d5s --latency "$BASE/healthz" | p99)
  rss0=$(rss_kb)
  t0=$(now)
  id=$(curl -s -o /dev/null -w '%{redirect_url}' -H "Cookie: $admin" -H 'accept: text/html' \
      -F kind=leads -F "file=@$WORK/leads.csv" "$BASE/import/upload" | sed 's|.*/import/||')
  t1=$(now)
  local targets="form[targets][0]=first_name&form[targets][1]=last_name&form[targets][2]=email&form[targets][3]=phone"
  targets="$targets&form[targets][4]=company&form[targets][5]=source&form[targets][6]=status&form[targets][7]=assignee&form[targets][8]=notes"
  curl -s -o /dev/null -H "Cookie: $admin" -H 'accept: application/json' \
    --data "form[id]=$id&$targets&form[on_duplicate]=skip&form[other_status]=new" "$BASE/api/imports/preview"
  t2=$(now)
  curl -s -o /dev/null -H "Cookie: $admin" -H 'accept: application/json' --data "id=$id" "$BASE/api/imports/start"
  t3=$(now)
  local during
  during=$(wrk -t2 -c8 -d10s --latency -H "Cookie: $agent" "$BASE/leads" | p99)
  local state=""
  while [ "$state" != "done" ] && [ "$state" != "failed" ]; do
    sleep 0.5
    state=$(curl -s -H "Cookie: $admin" -H 'accept: application/json' --data "id=$id" "$BASE/api/imports/progress" \
      | python3 -c 'import json,sys; print(json.load(sys.stdin)["state"].lower())')
  done
  t4=$(now)
  local counts
  counts=$(curl -s -H "Cookie: $admin" -H 'accept: application/json' --data "id=$id" "$BASE/api/imports/progress" \
    | python3 -c 'import json,sys; p=json.load(sys.stdin); print("%(created)d created, %(updated)d updated, %(skipped)d skipped, %(rejected)d rejected" % p)')
  local seconds rate
  seconds=$(elapsed "$t3" "$t4")
  rate=$(awk -v r="$ROWS" -v s="$seconds" 'BEGIN { printf "%.0f", r / s }')
  printf '%s\t%s rows (%s MB)\tupload %ss\tpreview %ss\timport %ss (%s rows/s; %s; %s)\tRSS %d MB → peak %d MB\t/leads p99 during import %s (/healthz %s)\n' \
    "$name" "$ROWS" "$SIZE" "$(elapsed "$t0" "$t1")" "$(elapsed "$t1" "$t2")" "$seconds" "$rate" "$state" "$counts" \
    "$((rss0 / 1024))" "$(($(hwm_kb) / 1024))" "$during" "$health"
  kill "$SERVER"; wait "$SERVER" 2>/dev/null || true; SERVER=""
}

if [ "${ONLY:-sqlite}" = sqlite ]; then
  run sqlite "sqlite://$WORK/kith.db"
fi
if [ "${ONLY:-postgres}" = postgres ]; then
  PG_ADMIN=$(scripts/pg.sh start)
  psql "$PG_ADMIN" -qc "DROP DATABASE IF EXISTS kith_bench_import" -qc "CREATE DATABASE kith_bench_import" >/dev/null
  run postgres "${PG_ADMIN%/*}/kith_bench_import"
fi
