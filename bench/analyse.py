"""Benchmark: the full report on big workspaces, against a plain pandas + networkx baseline.

Builds (or reuses, in bench/out/) two workspaces:
- TWCS tiled: the real 5,000-row excerpt tiled to about 2.8 million rows
  (../shared/tools/tile_twcs.py), `convivial init` + `convivial import twcs` (76 teams);
- demo: `convivial demo DIR --scale 3000000` (one team).
Then, on each, after one untimed report that brings its labels and kept scope up to date, in
the same run and each in a fresh process (wall time, peak resident memory;
the workspace's kept reports dropped before each report, so that it is computed, not read back):
- `convivial -w WS report --format json -o FILE`: every team's full report;
- `bench/baseline_pandas.py WS TEAM`: the Community metrics of the largest team (by messages in
  the window), written plainly in pandas + networkx;
- `convivial -w WS report --team TEAM --format json`: the same team alone.
Prints the all-teams time and peak against the targets (<= 60 s, <= 4 GiB), convivial's one-team
time against the baseline's (target: baseline >= 10x slower), and whether the baseline's numbers
equal convivial's (counts exactly, ratios within 1e-9), listing any that differ.
Last, unless --skip-repetition, bench/repetition.py: near-duplicate detection on 200,000 host
posts against exact all-pairs Jaccard on a 5,000-post sample.
Usage: python bench/analyse.py [--copies 560] [--scale 3000000] [--skip-demo] [--rebuild]
       [--skip-repetition]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import duckdb
from common import OUT, ROOT, Run, convivial, drop_kept_reports, run, tiled

BASELINE = ROOT / "bench" / "baseline_pandas.py"
BUILT = "built.json"
"""Written into a workspace folder once it is fully built; without it the folder is rebuilt."""

ALL_TEAMS_SECONDS = 60.0
PEAK_BYTES = 4 * 2**30
SPEEDUP = 10.0
TOLERANCE = 1e-9
COUNTS = ("active_members", "strong_ties_host", "strong_ties_members", "core_members", "bus_factor")
RATIOS = (
    "member_to_member_share",
    "member_reciprocity",
    "host_reciprocity",
    "listening_rate",
    "conversation_share",
    "host_independence",
    "newcomer_welcome_rate",
    "newcomer_return_rate",
)


def built(ws: Path, rebuild: bool) -> bool:
    """Whether `ws` is a complete workspace to reuse; clears a partial or unwanted one."""
    if (ws / BUILT).exists() and not rebuild:
        print(f"reusing {ws.relative_to(ROOT)}", flush=True)
        return True
    if ws.exists():
        shutil.rmtree(ws)
    return False


def mark_built(ws: Path, command: list[str], took: Run) -> None:
    note = {"command": command, "seconds": round(took.seconds, 1), "peak_bytes": took.peak}
    (ws / BUILT).write_text(json.dumps(note, indent=2) + "\n", encoding="utf-8")
    print(f"built {ws.relative_to(ROOT)}: {took}", flush=True)


def twcs_workspace(copies: int, rebuild: bool) -> Path:
    """`convivial init` + `convivial import twcs` of the tiled file."""
    ws = OUT / f"twcs_x{copies}_ws"
    if built(ws, rebuild):
        return ws
    data = tiled(copies)
    subprocess.run([convivial(), "-w", str(ws), "init"], check=True, stdout=subprocess.DEVNULL)
    command = [convivial(), "-w", str(ws), "import", "twcs", str(data)]
    print(f"importing {data.name} ({data.stat().st_size / 2**20:,.0f} MiB) ...", flush=True)
    mark_built(ws, command, run(command))
    return ws


def demo_workspace(scale: int, rebuild: bool) -> Path:
    """`convivial demo DIR --scale N` (generates, imports and reports once)."""
    ws = OUT / f"demo_{scale}"
    if built(ws, rebuild):
        return ws
    command = [convivial(), "demo", str(ws), "--scale", str(scale)]
    print(f"generating and importing the demo at --scale {scale:,} ...", flush=True)
    mark_built(ws, command, run(command, OUT / f"demo_{scale}.log"))
    return ws


def sizes(ws: Path) -> dict[str, int]:
    """Rows of the workspace's main tables."""
    con = duckdb.connect(str(ws / "convivial.duckdb"), read_only=True)
    try:
        out = {}
        for name in ("teams", "accounts", "messages", "interactions", "follows"):
            row = con.execute(f"SELECT count(*) FROM {name}").fetchone()
            out[name] = int(row[0]) if row else 0
        return out
    finally:
        con.close()


def messages_in_window(report: dict[str, Any]) -> int:
    metrics = report["metrics"]
    return sum(int(metrics.get(f"messages_{k}") or 0) for k in ("post", "reply", "share", "quote"))


def differences(ours: dict[str, Any], theirs: dict[str, Any]) -> list[str]:
    """Metrics whose values differ: counts exactly, ratios beyond TOLERANCE; None only as None."""
    out = []
    for key in (*COUNTS, *RATIOS):
        a, b = ours["metrics"].get(key), theirs["metrics"].get(key)
        if a is None or b is None:
            same = a is None and b is None
        elif key in COUNTS:
            same = a == b
        else:
            same = abs(float(a) - float(b)) <= TOLERANCE
        if not same:
            out.append(f"{key}: convivial {a!r}, baseline {b!r}")
    if ours["window"] != theirs["window"]:
        out.append(f"window: convivial {ours['window']}, baseline {theirs['window']}")
    return out


def verdict(met: bool) -> str:
    return "met" if met else "NOT MET"


def analyse(name: str, ws: Path) -> None:
    """Times the reports and the baseline on one workspace and prints the comparison."""
    rows = sizes(ws)
    print(
        f"\n== {name}: {ws.relative_to(ROOT)}: {rows['teams']} team(s), "
        + ", ".join(f"{rows[k]:,} {k}" for k in ("messages", "interactions", "accounts"))
        + f", {rows['follows']:,} follows",
        flush=True,
    )
    everyone_file = OUT / f"report_{name}.json"
    # Untimed: labels and the kept scope brought up to date, as the first report after new
    # classifiers or new data does once, so the timed reports measure the steady state.
    warm = run([convivial(), "-w", str(ws), "report", "--format", "json", "-o", os.devnull])
    print(f"bringing labels and the kept scope up to date (untimed): {warm}", flush=True)
    drop_kept_reports(ws)  # each report is computed, not read back from an earlier run
    everyone = run(
        [convivial(), "-w", str(ws), "report", "--format", "json", "-o", str(everyone_file)]
    )
    reports = json.loads(everyone_file.read_text(encoding="utf-8"))
    largest = max(reports, key=messages_in_window)
    team = largest["team"]
    base_file = OUT / f"baseline_{name}.json"
    base = run([sys.executable, str(BASELINE), str(ws), team], base_file)
    one_file = OUT / f"report_{name}_one_team.json"
    drop_kept_reports(ws)
    one = run([convivial(), "-w", str(ws), "report", "--team", team, "--format", "json"], one_file)
    baseline = json.loads(base_file.read_text(encoding="utf-8"))
    alone = json.loads(one_file.read_text(encoding="utf-8"))

    teams = len(reports)
    print(
        f"all teams' report ({teams} teams): {everyone}; targets <= {ALL_TEAMS_SECONDS:.0f} s:"
        f" {verdict(everyone.seconds <= ALL_TEAMS_SECONDS)}, <= {PEAK_BYTES / 2**30:.0f} GiB:"
        f" {verdict(everyone.peak <= PEAK_BYTES)}"
    )
    print(f"largest team: {team} ({messages_in_window(largest):,} messages in the window)")
    speedup = base.seconds / one.seconds
    print(
        f"one team: convivial report --team {one}; baseline (pandas + networkx) {base};"
        f" baseline / convivial = {speedup:.2f}x (target >= {SPEEDUP:.0f}x):"
        f" {verdict(speedup >= SPEEDUP)}"
    )
    per_team = everyone.seconds / teams
    print(
        f"amortised: all teams' report / {teams} = {per_team:.2f} s per team;"
        f" baseline / that = {base.seconds / per_team:.1f}x"
    )
    for label, ours in (("report --team", alone), ("all teams' report", largest)):
        found = differences(ours, baseline)
        if found:
            print(f"baseline vs convivial {label}: {len(found)} differ:")
            for line in found:
                print(f"  {line}")
        else:
            print(
                f"baseline vs convivial {label}: all {len(COUNTS) + len(RATIOS)} metrics equal"
                f" (counts exactly, ratios within {TOLERANCE:g})"
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--copies", type=int, default=560, help="TWCS tiles (default 560)")
    parser.add_argument(
        "--scale", type=int, default=3_000_000, help="demo events (default 3,000,000)"
    )
    parser.add_argument("--skip-demo", action="store_true", help="only the TWCS workspace")
    parser.add_argument("--rebuild", action="store_true", help="rebuild reused workspaces")
    parser.add_argument("--skip-repetition", action="store_true", help="no repetition benchmark")
    args = parser.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    workspaces = [(f"twcs_x{args.copies}", twcs_workspace(args.copies, args.rebuild))]
    if not args.skip_demo:
        workspaces.append((f"demo_{args.scale}", demo_workspace(args.scale, args.rebuild)))
    for name, ws in workspaces:
        analyse(name, ws)
    if not args.skip_repetition:
        print("\n== repetition", flush=True)
        repetition = ROOT / "bench" / "repetition.py"
        subprocess.run([sys.executable, str(repetition), "--copies", str(args.copies)], check=True)


if __name__ == "__main__":
    main()
