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
import subprocess
import sys
import tempfile

from common import convivial, run, tiled

BASELINE = """
import sys, duckdb
con = duckdb.connect(sys.argv[2])
con.execute("CREATE TABLE t AS SELECT * FROM read_csv(?)", [sys.argv[1]])
print(con.execute("SELECT count(*) FROM t").fetchall()[0][0])
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--copies", type=int, default=560)
    parser.add_argument("--rounds", type=int, default=1)
    args = parser.parse_args()
    data = tiled(args.copies)
    print(f"file: {data.name}, {data.stat().st_size / 2**20:,.0f} MiB")
    for round_ in range(1, args.rounds + 1):
        with tempfile.TemporaryDirectory() as tmp:
            base = run([sys.executable, "-c", BASELINE, str(data), f"{tmp}/base.duckdb"])
            ws = f"{tmp}/ws"
            subprocess.run([convivial(), "-w", ws, "init"], check=True, stdout=subprocess.DEVNULL)
            ours = run([convivial(), "-w", ws, "import", "twcs", str(data)])
        print(
            f"round {round_}: baseline read_csv {base}; convivial import {ours};"
            f" time ratio {ours.seconds / base.seconds:.2f} (target <= 2), memory ratio"
            f" {ours.peak / base.peak:.2f} (peak target <= 2 GiB)"
        )


if __name__ == "__main__":
    main()
