# Kith — the two commands a newcomer needs:
#   make run    install what is missing, build in release mode, serve the demo at http://127.0.0.1:3000
#   make test   formatting, lints, unit + HTTP tests on SQLite and PostgreSQL, browser tests
SHELL := /bin/bash
.DEFAULT_GOAL := run

# Build output lives outside the clone so fresh clones on this machine reuse it.
export CARGO_TARGET_DIR ?= $(HOME)/.cache/kith/target
export PATH := $(CURDIR)/node_modules/.bin:$(HOME)/.cargo/bin:$(PATH)

KITH_ADDR ?= 127.0.0.1:3000
RELEASE_BIN := $(CARGO_TARGET_DIR)/release/kith
SITE_ENV := LEPTOS_OUTPUT_NAME=kith LEPTOS_SITE_ROOT=target/site LEPTOS_SITE_PKG_DIR=pkg LEPTOS_ENV=PROD

.PHONY: run build tools dev test bench bench-import fmt clean-data layers soak cluster cluster-stop cluster-test

tools:
	@scripts/tools.sh

build: tools
	scripts/release.sh

## Demo mode: an SQLite file under ./data, demo team on first start.
run: build
	@mkdir -p data
	$(SITE_ENV) KITH_DEMO=true KITH_ADDR=$(KITH_ADDR) $(RELEASE_BIN) serve

## Development: rebuilds and reloads the browser on every change.
dev: tools
	KITH_DEMO=true cargo leptos watch

test:
	@scripts/test.sh

fmt:
	cargo fmt --all

## Fails on an import in app that reaches up a layer or closes a ring (docs/ARCHITECTURE.md).
layers:
	@scripts/layers.py

clean-data:
	rm -rf data

## Benchmark on 100,000 leads (LEADS=… to change), SQLite and PostgreSQL.
bench:
	@scripts/bench.sh

# ROWS=1000000 make bench-import for the million-row file.
bench-import:
	@scripts/bench_import.sh

## SOAK_SECONDS (default 600) of mixed load on SQLite: 5xx, p99 per route, memory every 30 s.
soak:
	@scripts/soak.sh

## HAProxy on :3300, three Kith processes, a PostgreSQL primary and replica (loopback only).
cluster:
	@scripts/cluster.sh start

cluster-stop:
	@scripts/cluster.sh stop

## Under load: kill -9 an instance, restart PostgreSQL, SIGTERM an instance; fails on a lost write.
cluster-test:
	@scripts/cluster.sh test
