#!/usr/bin/env bash
# Everything `make test` runs, in order, with a pass/fail summary at the end:
# formatting, clippy per package and target, unit and HTTP tests on SQLite and
# on a throwaway PostgreSQL, a release build, Playwright in Chromium, then a
# minute of soak and the cluster's failure test.
set -uo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/kith/target}"
export PATH="$PWD/node_modules/.bin:${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"
export CARGO_TERM_COLOR=never
# One-off builds gain nothing from incremental data, which only fills the disk.
export CARGO_INCREMENTAL=0
LOGS="$(mktemp -d /tmp/kith-test.XXXXXX)"
declare -a STEPS=() RESULTS=()
TESTS_PASSED=0 TESTS_FAILED=0
FAILED_STEPS=0

count_cargo_tests() {
  local passed failed
  passed=$(grep -Eo 'test result: [a-zA-Z]+\. [0-9]+ passed' "$1" | awk '{s+=$4} END {print s+0}')
  failed=$(grep -Eo '[0-9]+ failed;' "$1" | awk '{s+=$1} END {print s+0}')
  TESTS_PASSED=$((TESTS_PASSED + passed)); TESTS_FAILED=$((TESTS_FAILED + failed))
}

count_playwright_tests() {
  local passed failed
  passed=$(grep -Eo '^ *[0-9]+ passed' "$1" | awk '{s+=$1} END {print s+0}')
  failed=$(grep -Eo '^ *[0-9]+ failed' "$1" | awk '{s+=$1} END {print s+0}')
  TESTS_PASSED=$((TESTS_PASSED + passed)); TESTS_FAILED=$((TESTS_FAILED + failed))
}

step() {
  local name="$1"; shift
  local log="$LOGS/$(echo "$name" | tr ' /' '__').log"
  local started=$SECONDS
  printf '\n\033[1m==> %s\033[0m\n' "$name"
  "$@" 2>&1 | tee "$log"
  local status=${PIPESTATUS[0]}
  case "$name" in
    *tests*) [[ "$name" == browser* ]] && count_playwright_tests "$log" || count_cargo_tests "$log" ;;
  esac
  STEPS+=("$name"); RESULTS+=("$([ "$status" = 0 ] && echo PASS || echo FAIL) $((SECONDS - started))s")
  [ "$status" = 0 ] || FAILED_STEPS=$((FAILED_STEPS + 1))
  return 0
}

PG_URL=""
cleanup() { [ -n "$PG_URL" ] && scripts/pg.sh stop; }
trap cleanup EXIT

step "install tools" scripts/tools.sh --browser
step "format" cargo fmt --all --check
step "layers" scripts/layers.py
step "clippy server" cargo clippy -p app -p kith-server --features app/ssr --all-targets -- -D warnings
step "clippy browser" cargo clippy -p app -p kith-frontend --features app/hydrate --target wasm32-unknown-unknown -- -D warnings
step "unit tests" timeout 1200 cargo test -p app --features ssr
step "sqlite tests" timeout 1800 cargo test -p kith-server -- --test-threads=1
if PG_URL="$(scripts/pg.sh start)"; then
  step "postgres tests" timeout 1800 env KITH_TEST_POSTGRES_URL="$PG_URL" cargo test -p kith-server -- --test-threads=1
else
  STEPS+=("postgres tests"); RESULTS+=("FAIL could not start PostgreSQL"); FAILED_STEPS=$((FAILED_STEPS + 1))
fi
step "release build" scripts/release.sh
step "api contract" scripts/api_check.sh
step "browser tests" timeout 900 npx playwright test --config end2end/playwright.config.ts
# Short versions of `make soak` and `make cluster-test` (the release build is made above).
step "soak 60 s" timeout 300 env SKIP_BUILD=1 SOAK_SECONDS=60 scripts/soak.sh
step "cluster failures" timeout 600 env SKIP_BUILD=1 CLUSTER_LOAD_SECONDS=45 scripts/cluster.sh test

printf '\n\033[1mSummary\033[0m\n'
for i in "${!STEPS[@]}"; do printf '  %-16s %s\n' "${STEPS[$i]}" "${RESULTS[$i]}"; done
echo "Logs: $LOGS"
if [ "$FAILED_STEPS" -gt 0 ] && [ "$TESTS_FAILED" = 0 ]; then TESTS_FAILED=$FAILED_STEPS; fi
echo "make test: $TESTS_PASSED passed, $TESTS_FAILED failed"
[ "$FAILED_STEPS" = 0 ]
