#!/usr/bin/env python3
"""Checks that each module of the `app` crate imports only from its own layer
or below (docs/ARCHITECTURE.md, "Layers"), and lists the cycles between
top-level modules. Reads `crate::` paths in the source; exits 1 on an upward
import or a cycle (modules of one layer may use each other, but never in a ring).

    scripts/layers.py            # every upward import and every cycle
    scripts/layers.py --summary  # the counts only
"""
import pathlib
import re
import sys

# Lowest first. A module may use its own layer and those below it.
LAYERS = [
    ("foundation", ["error", "db", "ids", "clock", "fields", "list", "sql", "state", "export", "organisation", "auth", "rate"]),
    ("shared by areas", ["components", "records", "activity", "notes", "notifications", "outbox", "views"]),
    ("areas", ["leads", "customers", "tasks", "users", "dashboard", "settings", "sign_in", "import", "api_tokens", "api", "webhooks", "lead_forms", "search"]),
    ("shell and routes", ["shell", "lib"]),
]
LAYER_OF = {module: rank for rank, (_, modules) in enumerate(LAYERS) for module in modules}

SRC = pathlib.Path(__file__).resolve().parent.parent / "app" / "src"
CRATE_PATH = re.compile(r"\bcrate::(\w+)")
# `use crate::{a, b::c}` names several top-level modules at once.
CRATE_GROUP = re.compile(r"\bcrate::\{([^}]*)\}", re.S)


def top_module(path: pathlib.Path) -> str:
    parts = path.relative_to(SRC).parts
    return parts[0].removesuffix(".rs")


def imports(text: str) -> set[str]:
    code = "\n".join(line.split("//", 1)[0] for line in text.splitlines())
    found = set(CRATE_PATH.findall(code))
    for group in CRATE_GROUP.findall(code):
        found.update(re.findall(r"(?:^|,)\s*(\w+)", group))
    return found


def main() -> int:
    summary = "--summary" in sys.argv
    upward = []
    edges: dict[str, set[str]] = {}
    for path in sorted(SRC.rglob("*.rs")):
        module = top_module(path)
        rank = LAYER_OF.get(module)
        if rank is None:
            print(f"{path.relative_to(SRC)}: module {module!r} has no layer; add it to LAYERS")
            return 1
        for used in imports(path.read_text()):
            if used == module or used not in LAYER_OF:
                continue
            edges.setdefault(module, set()).add(used)
            if LAYER_OF[used] > rank:
                upward.append((str(path.relative_to(SRC)), module, used))

    cycles = set()
    def walk(start, node, seen):
        for nxt in edges.get(node, ()):
            if nxt == start:
                cycles.add(tuple(sorted(seen)))
            elif nxt not in seen and len(seen) < 6:
                walk(start, nxt, seen | {nxt})
    for module in edges:
        walk(module, module, {module})

    if not summary:
        for file, module, used in upward:
            print(f"upward: {file} ({LAYERS[LAYER_OF[module]][0]}) uses crate::{used} ({LAYERS[LAYER_OF[used]][0]})")
        for cycle in sorted(cycles, key=len)[:20]:
            print("cycle among:", ", ".join(cycle))
    print(f"layers: {len(upward)} upward imports; {len(cycles)} sets of up to 6 modules that import each other in a ring")
    return 1 if upward or cycles else 0


if __name__ == "__main__":
    sys.exit(main())
