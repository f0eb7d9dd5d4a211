#!/usr/bin/env bash
# Benchmark: the release server on LEADS leads (default 100,000), a tenth as many
# customers and tasks (override with CUSTOMERS=…, TASKS=…), and on a small set of
# SMALL leads (default 10,000) to show that pages stay as fast as the data grows;
# each on SQLite and on a throwaway PostgreSQL. Every page is measured with wrk
# (2 threads, 16 connections) against the same server's /healthz in the same
# run; the dashboard also one request at a time. What a browser transfers for a
# first and a repeat visit to /leads is counted once (scripts/first_load.py). Ends with a table of every case
# and its limit, the large set against the small one, PostgreSQL against SQLite.
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/kith/target}"
export PATH="$PWD/node_modules/.bin:${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"
LEADS="${LEADS:-100000}"
CUSTOMERS="${CUSTOMERS:-$((LEADS / 10))}"
TASKS="${TASKS:-$((LEADS / 10))}"
SMALL="${SMALL:-10000}"
DURATION="${DURATION:-10s}"
CONNECTIONS="${CONNECTIONS:-16}"
PORT="${BENCH_PORT:-3217}"
BIN="$CARGO_TARGET_DIR/release/kith"
command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk; }
scripts/tools.sh
scripts/release.sh >/dev/null

export LEPTOS_OUTPUT_NAME=kith LEPTOS_SITE_ROOT=target/site LEPTOS_SITE_PKG_DIR=pkg LEPTOS_ENV=PROD KITH_LOG=warn
WORK="$(mktemp -d /tmp/kith-bench.XXXXXX)"
RESULTS="$WORK/results.tsv"
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

# Seconds from one `date +%s.%N` to another.
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", b - a }'; }

# wrk's p50 and p99 in milliseconds and its requests per second, as "p50 p99 rps".
wrk_numbers() {
  awk '
    function ms(v) { if (v ~ /us$/) return v / 1000; if (v ~ /ms$/) return v + 0; if (v ~ /s$/) return v * 1000; return v }
    $1 == "50%" { p50 = ms($2) } $1 == "99%" { p99 = ms($2) } /Requests\/sec/ { rps = $2 }
    END { printf "%.2f %.2f %.0f\n", p50, p99, rps }'
}

# measure DB SIZE LABEL CONNECTIONS COOKIE PATH [lua]: wrk on one page, printed and kept.
measure() {
  local db="$1" size="$2" label="$3" conns="$4" cookie="$5" path="$6" script="${7:-}" out numbers
  local args=(-t2 -c"$conns" -d"$DURATION" --latency -H "Cookie: $cookie")
  [ "$conns" = 1 ] && args=(-t1 -c1 -d"$DURATION" --latency -H "Cookie: $cookie")
  [ -n "$script" ] && args+=(-s "$script")
  out=$(wrk "${args[@]}" "http://127.0.0.1:$PORT$path")
  numbers=$(echo "$out" | wrk_numbers)
  echo "--- $label: GET $path ($conns connections): p50/p99 ms, req/s: $numbers"
  printf '%s\t%s\t%s\t%s\n' "$db" "$size" "$label" "$numbers" >> "$RESULTS"
}

run_case() {
  local db="$1" url="$2" leads="$3" customers="$4" tasks="$5"
  echo; echo "=== $db: $leads leads, $customers customers, $tasks tasks ==="
  KITH_DATABASE_URL="$url" "$BIN" seed-demo >/dev/null
  local started finished
  started=$(date +%s.%N)
  /usr/bin/time -f "seeding: %es, max RSS %M KB" env KITH_DATABASE_URL="$url" "$BIN" seed --leads "$leads" --customers "$customers" --tasks "$tasks" 2>&1 | grep -v "^\s*$" | tail -4
  finished=$(date +%s.%N)
  printf '%s\t%s\t%s\t%s\n' "$db" "$leads" "seed (s)" "$(elapsed "$started" "$finished")" >> "$RESULTS"
  if [ "$db" = PostgreSQL ]; then
    # What autovacuum does within a minute of a load on a real server. `kith seed`
    # ends with VACUUM ANALYZE, but this throwaway cluster commits asynchronously,
    # and a VACUUM that soon after such a commit marks none of the new rows visible
    # to all, so counts could not use index-only scans (10 ms instead of 2 at 1M).
    sleep 1
    psql "$url" -qc "VACUUM ANALYZE"
  fi
  started=$(date +%s.%N)
  KITH_DATABASE_URL="$url" KITH_ADDR="127.0.0.1:$PORT" "$BIN" serve & SERVER=$!
  for _ in $(seq 200); do curl -sf "http://127.0.0.1:$PORT/healthz" >/dev/null && break; sleep 0.05; done
  finished=$(date +%s.%N)
  echo "cold start to the first answer: $(elapsed "$started" "$finished") s"
  printf '%s\t%s\t%s\t%s\n' "$db" "$leads" "cold start (s)" "$(elapsed "$started" "$finished")" >> "$RESULTS"
  local admin agent deep next
  admin=$(session_cookie 'admin@kith.test' 'kith-admin-demo')
  agent=$(session_cookie 'maria@kith.test' 'kith-agent-demo')
  measure "$db" "$leads" "healthz" "$CONNECTIONS" "" /healthz
  if [ "$db" = SQLite ] && [ "$leads" = "$SMALL" ]; then
    # What a browser transfers for a signed-in person's first and repeat visit (brotli).
    echo "--- first load of /leads (signed in), as transferred:"
    local load
    load=$(python3 scripts/first_load.py "http://127.0.0.1:$PORT" "$admin" /leads)
    echo "$load" | head -n -1
    read -r first repeat <<< "$(echo "$load" | tail -1)"
    echo "first load $first KB, repeat visit $repeat KB"
    printf '%s\t%s\t%s\t%s\n' "$db" "$leads" "first load /leads (KB)" "$first" >> "$RESULTS"
    printf '%s\t%s\t%s\t%s\n' "$db" "$leads" "repeat visit /leads (KB)" "$repeat" >> "$RESULTS"
  fi
  # A page deep in the name order, by number, and the page after it as "Next" links it.
  # (Page 2000 of the large set: 50,000 leads in; proportionally less for a smaller one.)
  deep="/leads?sort=name&dir=asc&page=$(( leads / 500 > 1 ? leads / 500 : 2 ))"
  next=$(curl -s -H "Cookie: $admin" "http://127.0.0.1:$PORT$deep" \
    | grep -o '<a [^>]*rel="next"[^>]*>' | grep -o 'href="[^"]*"' | sed 's/^href="//; s/"$//; s/&amp;/\&/g' || true)
  [ -n "$next" ] || echo "(no Next link on $deep: measuring it twice)"
  local path
  for path in "/leads" "/leads?q=silva&status=new" "/leads?q=a" "$deep" "${next:-$deep}" "/leads?sort=updated&dir=asc" \
      "/customers" "/customers?q=silva&tag=vip" "/customers?sort=company&dir=desc&page=150" \
      "/tasks" "/tasks?overdue=1" "/tasks?sort=priority&status=all" "/activity" \
      "/search?q=silva" "/search?q=maria+silva" "/search?q=555-01" "/search?q=slvia"; do
    local label="admin $path"
    [ "$path" = "$deep" ] && label="admin /leads by name, a page 10% in, by number"
    [ "$path" = "${next:-}" ] && label="admin /leads by name, the page after, by its Next link"
    measure "$db" "$leads" "$label" "$CONNECTIONS" "$admin" "$path"
  done
  for path in "/leads" "/leads?q=silva&status=new" "/leads?sort=name&dir=desc&page=100" "/customers" "/tasks" "/activity" \
      "/search?q=silva" "/search?q=slvia"; do
    measure "$db" "$leads" "agent $path" "$CONNECTIONS" "$agent" "$path"
  done
  measure "$db" "$leads" "dashboard admin" 1 "$admin" /
  measure "$db" "$leads" "dashboard agent" 1 "$agent" /
  local rss
  rss=$(ps -o rss= -p "$SERVER")
  echo "server RSS after load: $rss KB"
  printf '%s\t%s\t%s\t%s\n' "$db" "$leads" "RSS (MB)" "$((rss / 1024))" >> "$RESULTS"
  admin_writes "$admin"
  kill "$SERVER"; wait "$SERVER" 2>/dev/null || true; SERVER=""
}

# The table: every case at both sizes on both databases, against its limit.
summary() {
  python3 scripts/bench_summary.py "$RESULTS" "$SMALL" "$LEADS"
}

for size in "$SMALL" "$LEADS"; do
  rm -f "$WORK"/kith.db*
  run_case SQLite "sqlite://$WORK/kith.db" "$size" "$((size * CUSTOMERS / LEADS))" "$((size * TASKS / LEADS))"
done
PG_ADMIN="$(scripts/pg.sh start)"
for size in "$SMALL" "$LEADS"; do
  psql "$PG_ADMIN" -qc "DROP DATABASE IF EXISTS kith_bench" -qc "CREATE DATABASE kith_bench" >/dev/null
  run_case PostgreSQL "${PG_ADMIN%/*}/kith_bench" "$size" "$((size * CUSTOMERS / LEADS))" "$((size * TASKS / LEADS))"
done
summary
