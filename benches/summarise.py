#!/usr/bin/env python3
"""Prints criterion's median (and its 95 % interval) for every benchmark of the last run.

Usage: python3 benches/summarise.py [--newer-than FILE] [target-dir]
(default target-dir: target/ next to benches/). Reads
<target>/criterion/<group>/<bench>/new/{benchmark,estimates}.json; with --newer-than, only
results written after FILE was (run-all.sh passes its start marker, so results left over
from earlier runs of other benchmarks are not mixed in).
"""
import json
import pathlib
import sys

here = pathlib.Path(__file__).resolve().parent
args = sys.argv[1:]
since = 0.0
if args[:1] == ["--newer-than"]:
    since = pathlib.Path(args[1]).stat().st_mtime
    args = args[2:]
root = pathlib.Path(args[0]) if args else here.parent / "target"


def fmt(ns: float) -> str:
    if ns >= 1e6:
        return f"{ns / 1e6:.2f} ms"
    if ns >= 1e3:
        return f"{ns / 1e3:.2f} µs"
    return f"{ns:.1f} ns"


rows = []
for estimates in sorted((root / "criterion").glob("**/new/estimates.json")):
    if estimates.stat().st_mtime < since:
        continue
    bench = json.loads((estimates.parent / "benchmark.json").read_text())
    median = json.loads(estimates.read_text())["median"]
    ci = median["confidence_interval"]
    rows.append((bench["full_id"], median["point_estimate"], ci["lower_bound"], ci["upper_bound"]))

width = max((len(r[0]) for r in rows), default=10)
for full_id, point, low, high in rows:
    print(f"{full_id:<{width}}  median {fmt(point):>10}   [{fmt(low)} .. {fmt(high)}]")
