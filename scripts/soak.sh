#!/usr/bin/env bash
# Soak (`make soak`): SOAK_SECONDS (default 600) of a steady mixed load
# (scripts/load.py: browsing, creating, editing, converting, importing; SOAK_RATE
# actions a second, default 40) on the release server over a fresh SQLite file with
# the demo team. Reports the 5xx answers, p99 per route and the server's memory every
# 30 s, checks that every acknowledged lead is in the database, and fails on any 5xx,
# unanswered request or lost lead. SKIP_BUILD=1 uses the release build as it is;
# SOAK_DATABASE_URL runs it on another (empty) database.
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/kith/target}"
export PATH="$PWD/node_modules/.bin:${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"
SECONDS_TO_RUN="${SOAK_SECONDS:-600}"
PORT="${SOAK_PORT:-3229}"
BIN="$CARGO_TARGET_DIR/release/kith"
BASE="http://127.0.0.1:$PORT"
[ -n "${SKIP_BUILD:-}" ] || { scripts/tools.sh; scripts/release.sh >/dev/null; }

export LEPTOS_OUTPUT_NAME=kith LEPTOS_SITE_ROOT=target/site LEPTOS_SITE_PKG_DIR=pkg LEPTOS_ENV=PROD
export KITH_LOG=warn KITH_API_RATE_LIMIT=1000000
WORK="$(mktemp -d /tmp/kith-soak.XXXXXX)"
SERVER=""
cleanup() { [ -n "$SERVER" ] && kill "$SERVER" 2>/dev/null; rm -rf "$WORK"; }
trap cleanup EXIT
export KITH_DATABASE_URL="${SOAK_DATABASE_URL:-sqlite://$WORK/kith.db}"

"$BIN" seed-demo >/dev/null
tokens=""
for who in admin maria james priya; do
  token=$("$BIN" token create --email "$who@kith.test" --name soak --scope write 2>/dev/null | head -1)
  tokens="$tokens${tokens:+,}$who=$token"
done
KITH_ADDR="127.0.0.1:$PORT" "$BIN" serve 2>"$WORK/server.log" &
SERVER=$!
for _ in $(seq 100); do curl -sf "$BASE/healthz" >/dev/null && break; sleep 0.1; done

python3 scripts/load.py "$BASE" --seconds "$SECONDS_TO_RUN" --rate "${SOAK_RATE:-40}" \
  --tokens "$tokens" --acked "$WORK/acked" --report "$WORK/report.json" >/dev/null &
LOAD=$!
rss() { awk '/VmRSS/ {printf "%d", $2 / 1024}' "/proc/$SERVER/status"; }
# What of it SQLite holds (its page caches) and what Kith's own code has allocated.
gauge() { curl -s "$BASE/metrics" | awk -v name="$1" '$1 == name {printf "%.1f", $2 / 1048576}'; }
echo "soak: ${SECONDS_TO_RUN} s of mixed load on $BASE"
started=$(date +%s)
samples="$(rss)"
echo "  0 s: RSS $(rss) MB"
while kill -0 "$LOAD" 2>/dev/null; do
  for _ in $(seq 30); do kill -0 "$LOAD" 2>/dev/null && sleep 1; done
  kill -0 "$LOAD" 2>/dev/null || break
  now=$(rss)
  samples="$samples $now"
  echo "  $(( $(date +%s) - started )) s: RSS $now MB (SQLite $(gauge kith_sqlite_memory_bytes) MB, allocated $(gauge kith_memory_allocated_bytes) MB)"
done
wait "$LOAD"

missing=$(python3 - "$WORK/acked" "$KITH_DATABASE_URL" <<'PY'
import sqlite3, subprocess, sys
ids = [line.strip() for line in open(sys.argv[1]) if line.strip()]
url = sys.argv[2]
if url.startswith("sqlite:"):
    db = sqlite3.connect(url.split("://", 1)[1].split("?")[0])
    found = sum(db.execute("SELECT COUNT(*) FROM leads WHERE id = ?", (i,)).fetchone()[0] for i in ids)
else:
    values = ",".join(f"'{i}'" for i in ids) or "''"
    found = int(subprocess.check_output(["psql", url, "-Atc", f"SELECT COUNT(*) FROM leads WHERE id IN ({values})"]))
print(len(ids) - found)
PY
)
python3 - "$WORK/report.json" "$missing" "$samples" <<'PY'
import json, sys
report, missing, samples = json.load(open(sys.argv[1])), int(sys.argv[2]), [int(s) for s in sys.argv[3].split()]
print(f"{report['requests']} requests in {report['seconds']} s ({report['per_second']}/s): "
      f"{report['5xx']} answered 5xx, {report['unanswered']} unanswered; "
      f"{report['acked_creates']} leads created, {missing} of them missing")
print(f"{'route':48} {'count':>7} {'p50 ms':>8} {'p99 ms':>8}  statuses")
for route, r in report["routes"].items():
    print(f"{route:48} {r['count']:>7} {r['p50_ms']:>8} {r['p99_ms']:>8}  {r['statuses']}")
warm = samples[1:] or samples  # from 30 s on
print(f"RSS every 30 s (MB): {' '.join(map(str, samples))}; after warm-up {min(warm)}–{max(warm)}")
sys.exit(1 if report["5xx"] or report["unanswered"] or missing else 0)
PY
