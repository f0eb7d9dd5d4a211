#!/usr/bin/env bash
# A load-balanced Kith on this machine, from Debian's packages, on loopback only:
# HAProxy on :3300 in front of three Kith processes (:3301–3303) on one PostgreSQL
# primary (:54401) with a streaming replica (:54402) that serves the lists and the
# dashboard (KITH_DATABASE_REPLICA_URL).
#   scripts/cluster.sh start   (`make cluster`)       starts it, seeds the demo team
#   scripts/cluster.sh stop                            stops it and removes its files
#   scripts/cluster.sh test    (`make cluster-test`)   starts it and, under a mixed
#       load through HAProxy (scripts/load.py), kills one Kith with SIGKILL, restarts
#       PostgreSQL, stops one Kith with SIGTERM, then pauses the replica to show
#       read-your-writes; prints what each did and fails when
#       an acknowledged write is lost, an error falls outside the failures' windows,
#       Kith takes more than 5 s to recover or a stop is not clean.
# SKIP_BUILD=1 uses the release build as it is. CLUSTER_LOAD_SECONDS (default 60).
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/kith/target}"
export PATH="$PWD/node_modules/.bin:${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"
DIR="${CLUSTER_DIR:-/tmp/kith-cluster}"
PRIMARY=54401 REPLICA=54402 BALANCER=3300 INSTANCES=(3301 3302 3303)
BIN="$CARGO_TARGET_DIR/release/kith"
DB="postgres://postgres@127.0.0.1:$PRIMARY/kith"
REPLICA_DB="postgres://postgres@127.0.0.1:$REPLICA/kith"
export LEPTOS_OUTPUT_NAME=kith LEPTOS_SITE_ROOT=target/site LEPTOS_SITE_PKG_DIR=pkg LEPTOS_ENV=PROD
export KITH_LOG=warn KITH_API_RATE_LIMIT=1000000 KITH_TRUST_PROXY=true

as_postgres() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
pg_ctl() { as_postgres "$PG_BIN/pg_ctl" "$@"; }
now() { date +%s.%N; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }
status_of() { curl -s -o /dev/null -m 2 -w '%{http_code}' "http://127.0.0.1:$1$2" || true; }

start_kith() {
  local port="$1"
  KITH_DATABASE_URL="$DB" KITH_DATABASE_REPLICA_URL="$REPLICA_DB" KITH_ADDR="127.0.0.1:$port" "$BIN" serve >>"$DIR/kith-$port.log" 2>&1 &
  echo $! >"$DIR/kith-$port.pid"
  for _ in $(seq 100); do [ "$(status_of "$port" /readyz)" = 200 ] && return; sleep 0.1; done
  echo "Kith on :$port did not become ready" >&2; return 1
}

start() {
  [ -n "${SKIP_BUILD:-}" ] || { scripts/tools.sh; scripts/release.sh >/dev/null; }
  command -v haproxy >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq haproxy >/dev/null; }
  stop >/dev/null 2>&1 || true
  PG_BIN="$(scripts/pg.sh bin)"
  mkdir -p "$DIR/pg"
  [ "$(id -u)" = 0 ] && chown postgres:postgres "$DIR/pg"
  as_postgres "$PG_BIN/initdb" -D "$DIR/pg/primary" -U postgres --auth=trust -E UTF8 >/dev/null
  local options="-c listen_addresses=127.0.0.1 -k $DIR/pg -c max_connections=200"
  pg_ctl -D "$DIR/pg/primary" -l "$DIR/pg/primary.log" -w -o "-p $PRIMARY $options" start >/dev/null
  psql "postgres://postgres@127.0.0.1:$PRIMARY/postgres" -qc "CREATE DATABASE kith"
  as_postgres "$PG_BIN/pg_basebackup" -h 127.0.0.1 -p "$PRIMARY" -U postgres -D "$DIR/pg/replica" -R -X stream
  pg_ctl -D "$DIR/pg/replica" -l "$DIR/pg/replica.log" -w -o "-p $REPLICA $options" start >/dev/null
  KITH_DATABASE_URL="$DB" "$BIN" seed-demo >/dev/null
  for port in "${INSTANCES[@]}"; do start_kith "$port"; done
  {
    printf 'global\n  maxconn 2000\n  pidfile %s/haproxy.pid\n' "$DIR"
    printf 'defaults\n  mode http\n  option forwardfor\n  timeout connect 1s\n  timeout client 30s\n  timeout server 30s\n'
    printf '  retries 2\n  option redispatch 1\n  retry-on conn-failure empty-response\n'
    printf 'frontend kith\n  bind 127.0.0.1:%s\n  default_backend instances\n' "$BALANCER"
    printf 'backend instances\n  balance roundrobin\n  option httpchk GET /readyz\n  http-check expect status 200\n'
    printf '  default-server inter 500ms fall 2 rise 2\n'
    for port in "${INSTANCES[@]}"; do printf '  server kith-%s 127.0.0.1:%s check\n' "$port" "$port"; done
  } >"$DIR/haproxy.cfg"
  haproxy -D -f "$DIR/haproxy.cfg"
  for _ in $(seq 50); do [ "$(status_of "$BALANCER" /readyz)" = 200 ] && break; sleep 0.1; done
  echo "Kith cluster: http://127.0.0.1:$BALANCER (HAProxy) → Kith on :${INSTANCES[*]} → PostgreSQL :$PRIMARY (replica :$REPLICA)"
}

stop() {
  PG_BIN="$(scripts/pg.sh bin)"
  [ -f "$DIR/haproxy.pid" ] && kill "$(cat "$DIR/haproxy.pid")" 2>/dev/null
  for pid in "$DIR"/kith-*.pid; do [ -f "$pid" ] && kill "$(cat "$pid")" 2>/dev/null; done
  for db in replica primary; do
    [ -d "$DIR/pg/$db" ] && pg_ctl -D "$DIR/pg/$db" -m fast stop >/dev/null 2>&1
  done
  rm -rf "$DIR"
  echo "Kith cluster stopped"
}

test_cluster() {
  start
  trap 'stop >/dev/null 2>&1' EXIT
  local seconds="${CLUSTER_LOAD_SECONDS:-60}" tokens="" failed=0
  for who in admin maria james priya; do
    token=$(KITH_DATABASE_URL="$DB" "$BIN" token create --email "$who@kith.test" --name cluster --scope write 2>/dev/null | head -1)
    tokens="$tokens${tokens:+,}$who=$token"
  done
  python3 scripts/load.py "http://127.0.0.1:$BALANCER" --seconds "$seconds" --rate 40 --tokens "$tokens" \
    --acked "$DIR/acked" --report "$DIR/report.json" >/dev/null &
  local load=$! t0
  t0=$(now)
  local windows=""

  # 1. SIGKILL one instance; HAProxy routes around it; it comes back 7 s later.
  sleep 8
  local victim=${INSTANCES[0]}
  windows="$windows kill:$(since "$t0")"
  local victim_pid
  victim_pid=$(cat "$DIR/kith-$victim.pid")
  kill -9 "$victim_pid"
  wait "$victim_pid" 2>/dev/null || true
  echo "[$(since "$t0") s] kill -9 Kith :$victim"
  sleep 7
  start_kith "$victim"
  echo "[$(since "$t0") s] Kith :$victim started again"

  # 2. Restart PostgreSQL: /readyz says not ready while it is down; Kith recovers once it is back.
  sleep 5
  local down not_ready=no back recovered=""
  down=$(since "$t0")
  pg_ctl -D "$DIR/pg/primary" -m fast stop >/dev/null
  echo "[$down s] PostgreSQL stopped"
  for _ in $(seq 30); do [ "$(status_of "${INSTANCES[1]}" /readyz)" = 503 ] && { not_ready=yes; break; }; sleep 0.1; done
  echo "  /readyz while it is down: $([ $not_ready = yes ] && echo 503 not ready || echo 'still ready (wrong)')"
  sleep 3
  pg_ctl -D "$DIR/pg/primary" -l "$DIR/pg/primary.log" -w -o "-p $PRIMARY -c listen_addresses=127.0.0.1 -k $DIR/pg -c max_connections=200" start >/dev/null
  back=$(now)
  echo "[$(since "$t0") s] PostgreSQL back"
  for _ in $(seq 200); do
    local ready=0
    for port in "${INSTANCES[@]}"; do [ "$(status_of "$port" /readyz)" = 200 ] && ready=$((ready + 1)); done
    [ "$ready" = "${#INSTANCES[@]}" ] && { recovered=$(since "$back"); break; }
    sleep 0.1
  done
  windows="$windows db:$down:$(since "$t0")"
  echo "  every instance ready again ${recovered:-never} s after PostgreSQL came back"
  if [ -z "$recovered" ] || awk -v r="$recovered" 'BEGIN { exit !(r > 5) }'; then failed=1; fi
  [ $not_ready = yes ] || failed=1

  # 3. SIGTERM one instance: it finishes what is in flight and exits 0 within 10 s.
  sleep 5
  local stopping=${INSTANCES[1]} pid asked code
  pid=$(cat "$DIR/kith-$stopping.pid")
  asked=$(now)
  windows="$windows term:$(since "$t0")"
  kill -TERM "$pid"
  while kill -0 "$pid" 2>/dev/null; do sleep 0.05; done
  wait "$pid" 2>/dev/null && code=0 || code=$?
  echo "[$(since "$t0") s] SIGTERM Kith :$stopping: exited $code after $(since "$asked") s"
  [ "$code" = 0 ] || failed=1
  start_kith "$stopping"

  wait "$load" || true

  # 4. Read-your-writes: with the replica's replay paused, a person's own new lead is
  #    on their list at once (read from the primary), while another person's list,
  #    read from the replica, shows it only once replay goes on.
  python3 - "http://127.0.0.1:$BALANCER" "$REPLICA_DB" <<'PY' || failed=1
import subprocess, sys, time, urllib.parse
sys.path.insert(0, "scripts")
import load
base, replica = sys.argv[1], sys.argv[2]
stats = load.Stats()
writer, reader = load.Person(base, "maria", "", stats), load.Person(base, "admin", "", stats)
writer.sign_in(); reader.sign_in()
time.sleep(1)
sql = lambda q: subprocess.run(["psql", replica, "-qAtc", q], check=True, capture_output=True)
sql("SELECT pg_wal_replay_pause()")
while sql("SELECT pg_get_wal_replay_pause_state()").stdout.strip() != b"paused":
    time.sleep(0.05)
try:
    number = str(time.time_ns())
    name = f"Replica Check {number}"
    form = {"name": name, "email": "", "phone": "", "company": "", "source": "", "status": "new", "notes": ""}
    writer.request("POST", "/api/leads/create", urllib.parse.urlencode(form),
                   {"Content-Type": "application/x-www-form-urlencoded", "Accept": "application/json"})
    # Searched by its number alone: the page repeats the search, not the name.
    listed = lambda who: name in who.request("GET", "/leads?q=" + number)[1].decode()
    own = all(listed(writer) for _ in range(6))
    stale = not any(listed(reader) for _ in range(6))
finally:
    sql("SELECT pg_wal_replay_resume()")
caught_up = None
started = time.monotonic()
while time.monotonic() - started < 5:
    if listed(reader):
        caught_up = round(time.monotonic() - started, 2)
        break
    time.sleep(0.05)
print(f"read-your-writes with the replica paused: own new lead listed on every instance: {own}; "
      f"another person's list from the replica without it: {stale}; "
      f"listed for them {caught_up} s after replay resumed")
sys.exit(0 if own and stale and caught_up is not None else 1)
PY

  python3 - "$DIR/report.json" "$DIR/acked" "$DB" "$REPLICA_DB" "$windows" <<'PY' || failed=1
import json, subprocess, sys, time
report = json.load(open(sys.argv[1]))
acked = [line.strip() for line in open(sys.argv[2]) if line.strip()]
def found(url):
    values = ",".join(f"'{i}'" for i in acked) or "''"
    return int(subprocess.check_output(["psql", url, "-Atc", f"SELECT COUNT(*) FROM leads WHERE id IN ({values})"]))
on_primary = found(sys.argv[3])
for _ in range(50):
    on_replica = found(sys.argv[4])
    if on_replica == on_primary:
        break
    time.sleep(0.1)
# Failures are expected only just after a kill (requests in flight on it) and while
# PostgreSQL is down (and the pool reconnects).
windows = []
for w in sys.argv[5].split():
    kind, *times = w.split(":")
    # The load's clock starts a moment after this script's: a second's slack.
    start = float(times[0]) - 1
    end = float(times[1]) + 5 if kind == "db" else start + 3
    windows.append((kind, start, end))
by_window, outside = {}, []
for at, route, status in report["failures"]:
    kind = next((k for k, s, e in windows if s <= at <= e), None)
    if kind:
        by_window[kind] = by_window.get(kind, 0) + 1
    else:
        outside.append((at, route, status))
print(f"load: {report['requests']} requests in {report['seconds']} s through HAProxy; "
      f"{report['5xx']} answered 5xx, {report['unanswered']} unanswered")
print(f"  failures just after the kill -9: {by_window.get('kill', 0)}; while PostgreSQL was down or "
      f"reconnecting: {by_window.get('db', 0)}; around the SIGTERM: {by_window.get('term', 0)}; "
      f"anywhere else: {len(outside)} {outside[:5]}")
print(f"  acknowledged leads: {len(acked)}; on the primary: {on_primary}; on the replica: {on_replica}")
worst = max((r["p99_ms"] for r in report["routes"].values()), default=0)
print(f"  p99 of the slowest route: {worst} ms")
lost = len(acked) - on_primary
sys.exit(1 if lost or outside or by_window.get("term") else 0)
PY
  [ "$failed" = 0 ] && echo "cluster test: passed" || { echo "cluster test: FAILED"; return 1; }
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  test) test_cluster ;;
  *) echo "usage: $0 start|stop|test" >&2; exit 2 ;;
esac
