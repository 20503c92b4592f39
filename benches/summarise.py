#!/usr/bin/env python3
"""Prints criterion's median (and its 95 % interval) for every benchmark of the last run.

Usage: python3 benches/summarise.py [target-dir]   (default: target/ next to benches/)
Reads <target>/criterion/<group>/<bench>/new/{benchmark,estimates}.json.
"""
import json
import pathlib
import sys

here = pathlib.Path(__file__).resolve().parent
root = pathlib.Path(sys.argv[1]) if len(sys.argv) > 1 else here.parent / "target"


def fmt(ns: float) -> str:
    if ns >= 1e6:
        return f"{ns / 1e6:.2f} ms"
    if ns >= 1e3:
        return f"{ns / 1e3:.2f} µs"
    return f"{ns:.1f} ns"


rows = []
for estimates in sorted((root / "criterion").glob("**/new/estimates.json")):
    bench = json.loads((estimates.parent / "benchmark.json").read_text())
    median = json.loads(estimates.read_text())["median"]
    ci = median["confidence_interval"]
    rows.append((bench["full_id"], median["point_estimate"], ci["lower_bound"], ci["upper_bound"]))

width = max((len(r[0]) for r in rows), default=10)
for full_id, point, low, high in rows:
    print(f"{full_id:<{width}}  median {fmt(point):>10}   [{fmt(low)} .. {fmt(high)}]")
