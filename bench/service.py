"""Benchmark: every team's Service metrics on the tiled TWCS workspace, against plain pandas.

Builds (or reuses) the workspace of bench/analyse.py (the real 5,000-row TWCS excerpt tiled to
about 2.8 million rows, 76 teams), makes sure its messages carry the current labels (untimed:
importing labels them; an older workspace is labelled once here), then times, each in a fresh
process in the same run (wall time, peak resident memory):
- bench/service_metrics.py: convivial's Service metrics for all teams;
- bench/baseline_service.py: the same figures in plain pandas.
Prints convivial's time against the target (<= 20 s) and the baseline's time against convivial's
(target: baseline >= 10x slower), and whether every figure agrees (counts exactly, ratios and
times within 1e-9), listing any that differ.
Usage: python bench/service.py [--copies 560] [--rebuild]
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from analyse import twcs_workspace, verdict
from common import OUT, ROOT, convivial, run

SECONDS = 20.0
SPEEDUP = 10.0
TOLERANCE = 1e-9
HERE = ROOT / "bench"


def differences(ours: list[dict[str, Any]], theirs: list[dict[str, Any]]) -> list[str]:
    """Every (team, key) whose values differ; keys of the baseline only."""
    by_team = {r["team"]: r for r in ours}
    out = []
    for base in theirs:
        mine = by_team.get(base["team"])
        if mine is None:
            out.append(f"{base['team']}: missing from convivial")
            continue
        if mine["window"] != base["window"]:
            out.append(f"{base['team']} window: {mine['window']} vs {base['window']}")
        for key, b in base["metrics"].items():
            a = mine["metrics"].get(key)
            same = (a is None and b is None) or (
                a is not None and b is not None and abs(float(a) - float(b)) <= TOLERANCE
            )
            if not same:
                out.append(f"{base['team']} {key}: convivial {a!r}, baseline {b!r}")
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--copies", type=int, default=560, help="TWCS tiles (default 560)")
    parser.add_argument("--rebuild", action="store_true", help="rebuild the workspace")
    args = parser.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    ws = twcs_workspace(args.copies, args.rebuild)
    labelled = (
        run([convivial(), "-w", str(ws), "teams"]),
        run([convivial(), "-w", str(ws), "inbox", "--team", "AppleSupport", "--limit", "1"]),
    )
    print(f"labels current (untimed; an older workspace is labelled here): {labelled[1]}")
    ours_file, base_file = OUT / "service_convivial.json", OUT / "service_baseline.json"
    ours = run([sys.executable, str(HERE / "service_metrics.py"), str(ws)], ours_file)
    base = run([sys.executable, str(HERE / "baseline_service.py"), str(ws)], base_file)
    mine = json.loads(ours_file.read_text(encoding="utf-8"))
    theirs = json.loads(base_file.read_text(encoding="utf-8"))
    print(
        f"all {len(mine)} teams' service metrics: convivial {ours}"
        f" (target <= {SECONDS:.0f} s: {verdict(ours.seconds <= SECONDS)});"
        f" baseline (pandas) {base}; baseline / convivial = {base.seconds / ours.seconds:.2f}x"
        f" (target >= {SPEEDUP:.0f}x: {verdict(base.seconds / ours.seconds >= SPEEDUP)})"
    )
    found = differences(mine, theirs)
    keys = len(theirs[0]["metrics"]) if theirs else 0
    if found:
        print(f"baseline vs convivial: {len(found)} differ:")
        for line in found[:40]:
            print(f"  {line}")
    else:
        print(
            f"baseline vs convivial: all {keys} keys equal for all {len(theirs)} teams"
            f" (counts exactly, ratios and times within {TOLERANCE:g})"
        )


if __name__ == "__main__":
    main()
