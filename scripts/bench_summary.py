"""The table `make bench` ends with: every case at the small and the large size
on SQLite and PostgreSQL, against the limits Kith holds itself to."""

import sys
from collections import defaultdict

LIST_P50, LIST_P99, DASHBOARD_P50 = 15.0, 50.0, 20.0
GROWTH, POSTGRES, HEALTHZ_SHARE = 1.5, 2.0, 0.10
RSS_MB, SEED_S, COLD_S = 150, 60, 1.0
FIRST_LOAD_KB, REPEAT_KB = 300, 30


def main(path, small, large):
    rows = defaultdict(dict)  # label -> (db, size) -> numbers
    labels = []
    for line in open(path):
        db, size, label, values = line.rstrip("\n").split("\t")
        numbers = [float(v) for v in values.split()]
        rows[label][(db, size)] = numbers
        if label not in labels:
            labels.append(label)

    def cell(label, db, size):
        n = rows[label].get((db, size))
        if not n:
            return "-"
        return f"{n[0]:.1f}/{n[1]:.1f}" if len(n) == 3 else f"{n[0]:g}"

    def p50(label, db, size):
        n = rows[label].get((db, size))
        return n[0] if n else None

    def ratio(a, b):
        return f"{a / b:.2f}x" if a is not None and b else "-"

    failures = []
    header = ("case", f"SQLite {small}", f"SQLite {large}", "growth", f"PG {large}", "PG/SQLite", "limit", "")
    table = [header]
    for label in labels:
        big, pg = p50(label, "SQLite", large), p50(label, "PostgreSQL", large)
        limit, ok = "", True
        if label.startswith("dashboard"):
            limit = f"p50<={DASHBOARD_P50:g}"
            ok = all(v is None or v <= DASHBOARD_P50 for v in (big, pg))
        elif label.startswith(("admin", "agent")):
            limit = f"p50<={LIST_P50:g} p99<={LIST_P99:g}"
            ok = all(
                n[0] <= LIST_P50 and n[1] <= LIST_P99
                for key, n in rows[label].items() if key[1] == large
            )
        elif label == "RSS (MB)":
            limit = f"<={RSS_MB}"
            ok = all(n[0] <= RSS_MB for key, n in rows[label].items() if key[1] == large)
        elif label == "seed (s)":
            limit = f"<={SEED_S} at 1M"
            ok = all(n[0] <= SEED_S for key, n in rows[label].items() if int(key[1]) >= 1_000_000)
        elif label == "first load /leads (KB)":
            limit = f"<={FIRST_LOAD_KB}"
            ok = all(n[0] <= FIRST_LOAD_KB for n in rows[label].values())
        elif label == "repeat visit /leads (KB)":
            limit = f"<={REPEAT_KB}"
            ok = all(n[0] <= REPEAT_KB for n in rows[label].values())
        elif label == "cold start (s)":
            limit = f"<={COLD_S:g}"
            ok = all(n[0] <= COLD_S for n in rows[label].values())
        growth = ratio(big, p50(label, "SQLite", small))
        versus = ratio(pg, big)
        if label.startswith(("admin", "agent", "dashboard")):
            small_p50 = p50(label, "SQLite", small)
            if big is not None and small_p50 and big / small_p50 > GROWTH and big > 2.0:
                ok = False
            if pg is not None and big and pg / big > POSTGRES and pg > 2.0:
                ok = False
        if not ok:
            failures.append(label)
        table.append((label, cell(label, "SQLite", small), cell(label, "SQLite", large), growth,
                      cell(label, "PostgreSQL", large), versus, limit, "" if ok else "OVER"))

    widths = [max(len(str(r[i])) for r in table) for i in range(len(header))]
    print()
    print("=== Summary: p50/p99 ms (latency), seconds, MB; growth = large/small p50 (limit "
          f"{GROWTH:g}x), PG/SQLite p50 (limit {POSTGRES:g}x); below 2 ms a ratio is not held against a case ===")
    for r in table:
        print("  ".join(str(v).ljust(w) for v, w in zip(r, widths)))
    for db in ("SQLite", "PostgreSQL"):
        leads, health = rows["admin /leads"].get((db, large)), rows["healthz"].get((db, large))
        if leads and health:
            share = leads[2] / health[2]
            mark = "" if share >= HEALTHZ_SHARE else "  OVER"
            print(f"{db} {large}: /leads {leads[2]:.0f} req/s of /healthz {health[2]:.0f} req/s = "
                  f"{100 * share:.1f}% (limit >= {100 * HEALTHZ_SHARE:.0f}%){mark}")
    print(f"{len(failures)} case(s) over their limit" + (": " + ", ".join(failures) if failures else ""))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], sys.argv[3])
