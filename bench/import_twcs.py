"""Benchmark: importing TWCS at full size, against DuckDB's own CSV load in the same run.

Tiles the real 5,000-row excerpt to about 2.8 million rows (../shared/tools/tile_twcs.py), then
times, each in a fresh process with a fresh database file:
- baseline: `CREATE TABLE t AS SELECT * FROM read_csv(FILE)` in DuckDB;
- convivial: `convivial init` + `convivial import twcs FILE`.
Prints wall time and peak memory of each, and the ratios. Target: time ratio <= 2, peak <= 2 GiB.
Usage: python bench/import_twcs.py [--copies 560] [--rounds 1]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
OUT = ROOT / "bench" / "out"

BASELINE = """
import sys, duckdb
con = duckdb.connect(sys.argv[2])
con.execute("CREATE TABLE t AS SELECT * FROM read_csv(?)", [sys.argv[1]])
print(con.execute("SELECT count(*) FROM t").fetchall()[0][0])
"""


def run(argv: list[str]) -> tuple[float, int]:
    """Wall seconds and peak resident memory (bytes) of one child process."""
    start = time.perf_counter()
    child = subprocess.Popen(argv, stdout=subprocess.DEVNULL)
    _, status, usage = os.wait4(child.pid, 0)
    elapsed = time.perf_counter() - start
    if status != 0:
        raise SystemExit(f"{' '.join(argv)} failed with status {status}")
    return elapsed, usage.ru_maxrss * 1024


def tiled(copies: int) -> Path:
    OUT.mkdir(parents=True, exist_ok=True)
    path = OUT / f"twcs_x{copies}.csv"
    if not path.exists():
        source = SHARED / "data" / "twcs" / "twcs_head5000.csv"
        tool = SHARED / "tools" / "tile_twcs.py"
        print(f"tiling {source.name} x{copies} -> {path} ...", flush=True)
        subprocess.run([sys.executable, str(tool), str(source), str(copies), str(path)], check=True)
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--copies", type=int, default=560)
    parser.add_argument("--rounds", type=int, default=1)
    args = parser.parse_args()
    data = tiled(args.copies)
    convivial = str(Path(sys.executable).with_name("convivial"))
    print(f"file: {data.name}, {data.stat().st_size / 2**20:,.0f} MiB")
    for round_ in range(1, args.rounds + 1):
        with tempfile.TemporaryDirectory() as tmp:
            base_t, base_m = run([sys.executable, "-c", BASELINE, str(data), f"{tmp}/base.duckdb"])
            ws = f"{tmp}/ws"
            subprocess.run([convivial, "-w", ws, "init"], check=True, stdout=subprocess.DEVNULL)
            ours_t, ours_m = run([convivial, "-w", ws, "import", "twcs", str(data)])
        print(
            f"round {round_}: baseline read_csv {base_t:.1f} s, {base_m / 2**30:.2f} GiB;"
            f" convivial import {ours_t:.1f} s, {ours_m / 2**30:.2f} GiB;"
            f" time ratio {ours_t / base_t:.2f} (target <= 2), memory ratio"
            f" {ours_m / base_m:.2f} (peak target <= 2 GiB)"
        )


if __name__ == "__main__":
    main()
