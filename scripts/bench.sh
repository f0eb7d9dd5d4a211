#!/usr/bin/env bash
# Benchmark: the release server on 100,000 leads, 50,000 customers and 50,000 tasks
# (override with LEADS=…, CUSTOMERS=…, TASKS=…), measured
# with wrk (8 connections, 2 threads) on SQLite and on a throwaway PostgreSQL.
# Prints wrk's latency distribution for each case; the dashboard is also measured
# one request at a time (its server work) for an admin and an agent.
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/kith/target}"
export PATH="$PWD/node_modules/.bin:${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"
LEADS="${LEADS:-100000}"
CUSTOMERS="${CUSTOMERS:-50000}"
TASKS="${TASKS:-50000}"
DURATION="${DURATION:-15s}"
PORT="${BENCH_PORT:-3217}"
BIN="$CARGO_TARGET_DIR/release/kith"
command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk; }
scripts/tools.sh
scripts/release.sh >/dev/null

export LEPTOS_OUTPUT_NAME=kith LEPTOS_SITE_ROOT=target/site LEPTOS_SITE_PKG_DIR=pkg LEPTOS_ENV=PROD KITH_LOG=warn
WORK="$(mktemp -d /tmp/kith-bench.XXXXXX)"
SERVER=""
cleanup() { [ -n "$SERVER" ] && kill "$SERVER" 2>/dev/null; scripts/pg.sh stop; rm -rf "$WORK"; }
trap cleanup EXIT

session_cookie() {
  curl -s -o /dev/null -D - -H 'content-type: application/x-www-form-urlencoded' -H 'accept: application/json' \
      --data "email=$1&password=$2" "http://127.0.0.1:$PORT/api/login" \
    | awk -F': ' 'tolower($1)=="set-cookie" {split($2, a, ";"); printf "%s; ", a[1]}'
}

# The two admin changes that touch every record of the set, timed once each: a
# new time zone (every task's due instant is recomputed) and deleting an agent
# (a third of the leads, customers and tasks handed to another, each logged).
admin_writes() {
  local cookie="$1" base="http://127.0.0.1:$PORT" version team maria james held
  version=$(curl -s -X POST -H "Cookie: $cookie" -H 'accept: application/json' "$base/api/settings/get" \
    | python3 -c 'import json,sys; print(json.load(sys.stdin)["version"])')
  echo "--- POST /api/settings/update (time zone UTC → America/New_York: every task rescheduled)"
  curl -s -o /dev/null -w "%{http_code} in %{time_total}s\n" -H "Cookie: $cookie" -H 'accept: application/json' \
    --data "version=$version&name=Bench+Co&time_zone=America%2FNew_York" "$base/api/settings/update"
  team=$(curl -s -X POST -H "Cookie: $cookie" -H 'accept: application/json' "$base/api/users/team")
  maria=$(echo "$team" | python3 -c 'import json,sys; print([m["id"] for m in json.load(sys.stdin) if m["name"]=="Maria Lopez"][0])')
  james=$(echo "$team" | python3 -c 'import json,sys; print([m["id"] for m in json.load(sys.stdin) if m["name"]=="James Chen"][0])')
  held=$(curl -s -X POST -H "Cookie: $cookie" -H 'accept: application/json' --data "id=$maria" "$base/api/users/get" \
    | python3 -c 'import json,sys; h=json.load(sys.stdin)["holdings"]; print("%d leads, %d customers, %d tasks" % (h["leads"], h["customers"], h["tasks"]))')
  echo "--- POST /api/users/delete (Maria Lopez, holding $held, to James Chen)"
  curl -s -o /dev/null -w "%{http_code} in %{time_total}s\n" -H "Cookie: $cookie" -H 'accept: application/json' \
    --data "id=$maria&receiver=$james" "$base/api/users/delete"
}

run_case() {
  local label="$1" url="$2"
  echo; echo "=== $label: $LEADS leads, $CUSTOMERS customers, $TASKS tasks ==="
  KITH_DATABASE_URL="$url" "$BIN" seed-demo >/dev/null
  /usr/bin/time -f "seeding: %es, max RSS %M KB" env KITH_DATABASE_URL="$url" "$BIN" seed --leads "$LEADS" --customers "$CUSTOMERS" --tasks "$TASKS" 2>&1 | grep -v "^\s*$" | tail -4
  KITH_DATABASE_URL="$url" KITH_ADDR="127.0.0.1:$PORT" "$BIN" serve & SERVER=$!
  for _ in $(seq 50); do curl -sf "http://127.0.0.1:$PORT/healthz" >/dev/null && break; sleep 0.2; done
  local cookie agent
  cookie=$(session_cookie 'admin@kith.test' 'kith-admin-demo')
  agent=$(session_cookie 'maria@kith.test' 'kith-agent-demo')
  # The ceiling to compare against: the same server answering its health check.
  local ceiling out
  echo "--- GET /healthz (the same server's ceiling, 8 connections)"
  out=$(wrk -t2 -c8 -d"$DURATION" --latency "http://127.0.0.1:$PORT/healthz")
  echo "$out" | grep -E "Latency|50%|90%|99%|Requests/sec"
  ceiling=$(echo "$out" | awk '/Requests\/sec/ {print $2}')
  for path in "/leads?q=silva&status=new" "/leads" "/leads?sort=name&dir=asc&page=200" \
      "/customers" "/customers?q=silva&tag=vip" "/tasks" "/tasks?overdue=1" "/"; do
    echo "--- GET $path (admin, server-rendered page, 8 connections)"
    curl -s -o /dev/null -w "single request: %{http_code} in %{time_total}s, %{size_download} bytes\n" -H "Cookie: $cookie" "http://127.0.0.1:$PORT$path"
    out=$(wrk -t2 -c8 -d"$DURATION" --latency -H "Cookie: $cookie" "http://127.0.0.1:$PORT$path")
    echo "$out" | grep -E "Latency|50%|90%|99%|Requests/sec"
    echo "$out" | awk -v ceiling="$ceiling" '/Requests\/sec/ {printf "of /healthz: %.1f%% (%s of %s req/s)\n", 100 * $2 / ceiling, $2, ceiling}'
  done
  # The dashboard's own time: one request at a time, so no queueing behind others.
  for who in admin agent; do
    local jar="$cookie"; [ "$who" = agent ] && jar="$agent"
    echo "--- GET / ($who, one connection: the server's work per dashboard)"
    wrk -t1 -c1 -d"$DURATION" --latency -H "Cookie: $jar" "http://127.0.0.1:$PORT/" | grep -E "Latency|50%|90%|99%|Requests/sec"
    echo "--- POST /api/dashboard ($who, one connection: the dashboard's data alone)"
    wrk -t1 -c1 -d"$DURATION" --latency -s scripts/bench-post.lua -H "Cookie: $jar" "http://127.0.0.1:$PORT/api/dashboard" | grep -E "Latency|50%|90%|99%|Requests/sec"
  done
  echo "server RSS after load: $(ps -o rss= -p "$SERVER") KB"
  admin_writes "$cookie"
  kill "$SERVER"; wait "$SERVER" 2>/dev/null || true; SERVER=""
}

run_case "SQLite" "sqlite://$WORK/kith.db"
PG_ADMIN="$(scripts/pg.sh start)"
psql "$PG_ADMIN" -qc "CREATE DATABASE kith_bench" >/dev/null
run_case "PostgreSQL" "${PG_ADMIN%/*}/kith_bench"
