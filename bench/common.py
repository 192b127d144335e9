"""What the benchmarks share: where things are, the tiled TWCS file, and measuring a child."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import duckdb

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
OUT = ROOT / "bench" / "out"


@dataclass(frozen=True)
class Run:
    """One child process: wall seconds and peak resident memory in bytes."""

    seconds: float
    peak: int

    def __str__(self) -> str:
        return f"{self.seconds:.1f} s, {self.peak / 2**30:.2f} GiB"


def run(argv: list[str], stdout: Path | None = None) -> Run:
    """Runs `argv` in a fresh process (its output to `stdout`, if given) and measures it."""
    with Path(stdout or os.devnull).open("wb") as sink:
        start = time.perf_counter()
        child = subprocess.Popen(argv, stdout=sink)
        _, status, usage = os.wait4(child.pid, 0)
        elapsed = time.perf_counter() - start
    if status != 0:
        raise SystemExit(f"{' '.join(argv)} failed with status {status}")
    return Run(elapsed, usage.ru_maxrss * 1024)


def convivial() -> str:
    """The `convivial` command of the running virtual environment."""
    return str(Path(sys.executable).with_name("convivial"))


def tiled(copies: int) -> Path:
    """The TWCS excerpt tiled `copies` times by ../shared/tools/tile_twcs.py (made once)."""
    OUT.mkdir(parents=True, exist_ok=True)
    path = OUT / f"twcs_x{copies}.csv"
    if not path.exists():
        source = SHARED / "data" / "twcs" / "twcs_head5000.csv"
        tool = SHARED / "tools" / "tile_twcs.py"
        print(f"tiling {source.name} x{copies} -> {path} ...", flush=True)
        subprocess.run([sys.executable, str(tool), str(source), str(copies), str(path)], check=True)
    return path


def kept_reports(ws: Path) -> int:
    """How many reports the workspace keeps (none before the migration that keeps them)."""
    con = duckdb.connect(str(ws / "convivial.duckdb"), read_only=True)
    try:
        rows = con.execute(
            "SELECT count(*) FROM information_schema.tables WHERE table_name = 'report_cache'"
        ).fetchall()
        if not rows or not rows[0][0]:
            return 0
        return int(con.execute("SELECT count(*) FROM report_cache").fetchall()[0][0])
    finally:
        con.close()


def drop_kept_reports(ws: Path) -> int:
    """Empties the workspace's report cache (derived: the next report or page computes them
    again)."""
    found = kept_reports(ws)
    if found:
        con = duckdb.connect(str(ws / "convivial.duckdb"))
        try:
            con.execute("DELETE FROM report_cache")
        finally:
            con.close()
    return found
