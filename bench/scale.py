"""Benchmark: every team's report at 3, 30 and 100 million events, DuckDB against Spark local.

For each scale, builds (or reuses, in bench/out/scale_N/) the demo workspace of `convivial demo
DIR --scale N` (synth.generate, then the import of its CSV files, labels and message teams;
neither the demo's own report nor its automatic merge of people: both engines' reports read no
merges). Then, each in a fresh process whose tree (the Spark driver is a JVM child of Python)
is sampled in /proc every 0.2 s for its peak resident memory, in the same run:
- duckdb: the reports computed in the workspace's store, as `convivial report` computes them
  before it keeps them (DuckDB's default threads: one per core; --duckdb-memory sets its
  memory_limit);
- export: `export_lake` writes the workspace's Parquet lake (part of Spark's cost);
- spark: Spark local[2] started over the lake, then the same reports on it (driver memory from
  --spark-memory, passed as $CONVIVIAL_SPARK_MEMORY).
An engine that fails (out of memory) or passes --timeout is reported as such; the other still
runs. Prints each engine's time and peak, Spark / DuckDB (the baseline), whether the two
engines' reports agree (every value of every team's report JSON as `convivial.parity` judges:
counts exactly, reals to 1e-9; then each list compared as a multiset, its order ignored), and the
directed conversational edges the graph metrics receive in python-igraph (counted in DuckDB).
Usage: python bench/scale.py [SCALE ...] [--spark-memory 14g] [--duckdb-memory 10GB]
       [--timeout SECONDS] [--rebuild] [--steps duckdb,export,spark,edges]
"""

from __future__ import annotations

import argparse
import contextlib
import json
import math
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyarrow as pa
from common import OUT, ROOT

from convivial.parity import TOLERANCE, differences, leaves, table_differences

SCALES = (3_000_000, 30_000_000, 100_000_000)
MASTER = "local[2]"
BUILT = "built.json"
"""Written into a workspace folder once it is fully built; without it the folder is rebuilt."""

PAGE = os.sysconf("SC_PAGE_SIZE")
DUCKDB_MEMORY = "DUCKDB_MEMORY_LIMIT"
EDGE_KEYS = ["team", "actor_key", "target_key", "actor_is_host", "target_is_host"]


@dataclass(frozen=True)
class Measured:
    """One child process: wall seconds, peak memory of its process tree, what it reported."""

    seconds: float
    peak: int
    out: dict[str, Any]
    failed: str | None = None

    def __str__(self) -> str:
        return f"{self.seconds:.1f} s, {self.peak / 2**30:.2f} GiB"


def tree(root: int) -> list[int]:
    """`root` and all its descendants, read from /proc."""
    children: dict[int, list[int]] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            stat = Path(entry.path, "stat").read_text(encoding="ascii", errors="replace")
        except OSError:
            continue
        children.setdefault(int(stat.rsplit(")", 1)[1].split()[1]), []).append(int(entry.name))
    found, todo = [], [root]
    while todo:
        pid = todo.pop()
        found.append(pid)
        todo.extend(children.get(pid, ()))
    return found


def tree_rss(root: int) -> int:
    """Resident bytes of `root` and all its descendants."""
    total = 0
    for pid in tree(root):
        try:
            total += int(Path(f"/proc/{pid}/statm").read_text(encoding="ascii").split()[1]) * PAGE
        except (OSError, IndexError, ValueError):
            continue
    return total


def measure(
    step: str, ws: Path, log: Path, env: dict[str, str] | None = None, timeout: float = math.inf
) -> Measured:
    """Runs `scale.py --child STEP WS` in a fresh process, sampling its tree's memory; stops the
    tree after `timeout` seconds."""
    result = ws.parent / f"{ws.name}_{step}.json"
    result.unlink(missing_ok=True)
    argv = [sys.executable, __file__, "--child", step, str(ws), str(result)]
    with log.open("ab") as sink:
        start = time.perf_counter()
        child = subprocess.Popen(argv, stdout=sink, stderr=sink, env={**os.environ, **(env or {})})
        peak, stopped = 0, False
        while child.poll() is None:
            peak = max(peak, tree_rss(child.pid))
            if not stopped and time.perf_counter() - start > timeout:
                for pid in reversed(tree(child.pid)):
                    with contextlib.suppress(ProcessLookupError):
                        os.kill(pid, signal.SIGKILL)
                stopped = True
            time.sleep(0.2)
        elapsed = time.perf_counter() - start
    out = json.loads(result.read_text(encoding="utf-8")) if result.exists() else {}
    failed = None
    if stopped:
        failed = f"stopped after the {timeout:.0f} s time limit"
    elif child.returncode != 0:
        failed = f"exit status {child.returncode}, see {log.name}"
    measured = Measured(elapsed, peak, out, failed)
    _write(_measured(step, ws), measured.__dict__)
    return measured


def _measured(step: str, ws: Path) -> Path:
    return ws.parent / f"{ws.name}_{step}_measured.json"


def last(step: str, ws: Path) -> Measured:
    """The step's measurement from the last run that made it (for --steps)."""
    kept = _measured(step, ws)
    if not kept.exists():
        raise SystemExit(f"no earlier {step} measurement of {ws.name}: run that step first")
    print(f"({step}: the last run's measurement)", flush=True)
    return Measured(**json.loads(kept.read_text(encoding="utf-8")))


# The steps, each in its own process.


def build(ws: Path, result: Path) -> None:
    """Generates and imports the demo at the scale in the folder's name, then labels and teams."""
    from convivial import synth
    from convivial.importer import import_files
    from convivial.metrics.assign import refresh_message_teams
    from convivial.text.labels import CLASSIFIERS
    from convivial.workspace import TeamConfig, Workspace

    scale = int(ws.name.removeprefix("scale_"))
    start = time.perf_counter()
    data = synth.generate(ws / "data", scale=scale)
    generated = time.perf_counter()
    workspace = Workspace(ws)
    t = data.team
    workspace.init([TeamConfig(t.name, t.brand, t.staff, t.timezone, t.hours)])
    with workspace.open_store() as store:
        import_files(store, "csv", data.files)
        imported = time.perf_counter()
        store.refresh_labels(CLASSIFIERS)
        refresh_message_teams(store)
    times = {"generate": generated - start, "import": imported - generated}
    times["prepare"] = time.perf_counter() - imported
    _write(result, {"events": data.events, **times})


def duckdb_reports(ws: Path, result: Path) -> None:
    """Times the reports on DuckDB (its memory limit from $DUCKDB_MEMORY_LIMIT, if set)."""
    from convivial.analysis import computed_reports
    from convivial.workspace import Workspace

    workspace = Workspace(ws)
    with workspace.open_store() as store:
        con = store.ibis()
        if limit := os.environ.get(DUCKDB_MEMORY):
            con.raw_sql(f"SET memory_limit = '{limit}'").fetchall()
        threads = con.raw_sql("SELECT current_setting('threads')").fetchall()[0][0]
        start = time.perf_counter()
        reports = computed_reports(workspace, store, store, None, None, None)
        seconds = time.perf_counter() - start
    keep(ws, "duckdb", reports)
    _write(result, {"reports": seconds, "threads": int(threads)})


def keep(ws: Path, engine: str, reports: Any) -> None:
    """Writes an engine's reports as they are kept: the JSON body, and each long list (Rows) as
    an Arrow file beside it, for `agreement`."""
    from convivial.analysis import kept_form

    body, rows = kept_form(reports)
    for old in ws.parent.glob(f"{ws.name}_{engine}_rows_*.arrow"):
        old.unlink()
    (ws.parent / f"{ws.name}_{engine}_reports.json").write_text(body, encoding="utf-8")
    for i, listed in enumerate(rows):
        path = ws.parent / f"{ws.name}_{engine}_rows_{i}.arrow"
        with pa.OSFile(str(path), "wb") as sink, pa.ipc.new_file(sink, listed.table.schema) as out:
            out.write_table(listed.table)


def edges(ws: Path, result: Path) -> None:
    """Counts the directed conversational edges `edges_by_team` gives igraph, in the window and
    the one before, without pulling them into Python."""
    from convivial.metrics.community import conversational
    from convivial.metrics.scope import scope_of
    from convivial.metrics.window import Window, default_window
    from convivial.people import person_of
    from convivial.workspace import Workspace

    workspace = Workspace(ws)
    with workspace.open_store() as store:
        con = store.ibis()
        w = default_window(con, workspace.config().window_days, None, None)
        people = person_of(store.merges())
        scope = scope_of(con, store.team_names(), w, store.kept_message_teams(), people)
        counted = {}
        for name, window in (
            ("current", None),
            ("previous", Window(w.start - (w.end - w.start), w.start)),
        ):
            conv = conversational(scope, window)
            grouped = conv.group_by(EDGE_KEYS).aggregate(n=conv.count())
            counted[name] = int(grouped.count().execute())
        scope.release()
    _write(result, counted)


def export(ws: Path, result: Path) -> None:
    """Times the export of the workspace's Parquet lake."""
    from convivial.analysis import export_lake
    from convivial.workspace import Workspace

    workspace = Workspace(ws)
    with workspace.open_store() as store:
        start = time.perf_counter()
        written = export_lake(store, workspace.lake)
        seconds = time.perf_counter() - start
    size = sum(p.stat().st_size for p in workspace.lake.rglob("*") if p.is_file())
    _write(result, {"export": seconds, "rows": written, "bytes": size})


def spark_reports(ws: Path, result: Path) -> None:
    """Times Spark's start over the lake, then the reports on it."""
    from convivial.analysis import computed_reports
    from convivial.lake import Lake
    from convivial.workspace import Workspace

    workspace = Workspace(ws)
    with workspace.open_store() as store:
        start = time.perf_counter()
        lake = Lake(str(workspace.lake), MASTER)
        started = time.perf_counter()
        reports = computed_reports(workspace, store, lake, None, None, None)
        done = time.perf_counter()
    keep(ws, "spark", reports)
    _write(result, {"start": started - start, "reports": done - started})


STEPS = {
    "build": build,
    "duckdb": duckdb_reports,
    "export": export,
    "spark": spark_reports,
    "edges": edges,
}


def _write(result: Path, values: dict[str, Any]) -> None:
    result.write_text(json.dumps(values, indent=2) + "\n", encoding="utf-8")


# Comparing the engines' reports.


def canonical(value: Any) -> str:
    """`value` as JSON with its floats to 9 significant digits, to compare lists as multisets."""
    if isinstance(value, float):
        return f"{value:.9g}"
    if isinstance(value, dict):
        return json.dumps({k: canonical(v) for k, v in value.items()}, sort_keys=True)
    if isinstance(value, list):
        return json.dumps([canonical(v) for v in value])
    return json.dumps(value)


def agreement(ws: Path) -> tuple[int, Counter[str], Counter[str]]:
    """Values compared between the two engines' reports; how many differ in place, by where; and
    per list of a team's report, the items in only one engine's list, their order ignored. The
    long lists (every follower, member, strong tie) are compared column by column in place."""
    duck, spark = (
        json.loads((ws.parent / f"{ws.name}_{e}_reports.json").read_text(encoding="utf-8"))
        for e in ("duckdb", "spark")
    )
    found = differences(duck, spark)
    compared = sum(not path.endswith("#") for path in leaves(duck))  # values, not list lengths
    where = Counter(re.sub(r"\[\d+\]", "[]", line.split(": ", 1)[0]) for line in found)
    unordered: Counter[str] = Counter()
    for a, b in zip(duck, spark, strict=True):
        for name in a["lists"].keys() | b["lists"].keys():
            x, y = (r["lists"].get(name, []) for r in (a, b))
            if isinstance(x, dict) and isinstance(y, dict):  # long lists, kept as Rows
                want, have = (_rows(ws, e, r["__rows__"]) for e, r in (("duckdb", x), ("spark", y)))
                compared += want.num_rows * want.num_columns
                for path, n, _ in table_differences(want, have, f"lists.{name}"):
                    where[path] += n
                continue
            xs, ys = (Counter(canonical(i) for i in items) for items in (x, y))
            unordered[f"{a['team']}: {name}"] = (xs - ys).total() + (ys - xs).total()
    return compared, where, +unordered


def _rows(ws: Path, engine: str, position: int) -> pa.Table:
    with pa.memory_map(str(ws.parent / f"{ws.name}_{engine}_rows_{position}.arrow")) as source:
        return pa.ipc.open_file(source).read_all()


# The run.


def workspace(scale: int, rebuild: bool, log: Path) -> tuple[Path, dict[str, Any]]:
    """The built workspace of `scale` events, built now when missing or asked to."""
    ws = OUT / f"scale_{scale}"
    if (ws / BUILT).exists() and not rebuild:
        print(f"reusing {ws.relative_to(ROOT)}", flush=True)
        return ws, json.loads((ws / BUILT).read_text(encoding="utf-8"))
    if ws.exists():
        shutil.rmtree(ws)
    print(f"generating and importing --scale {scale:,} ...", flush=True)
    took = measure("build", ws, log)
    if took.failed:
        raise SystemExit(f"building {ws.name} failed: {took.failed}")
    note = {**took.out, "seconds": round(took.seconds, 1), "peak_bytes": took.peak}
    (ws / BUILT).write_text(json.dumps(note, indent=2) + "\n", encoding="utf-8")
    return ws, note


def gib(n: int) -> str:
    return f"{n / 2**30:.2f} GiB"


def scale_run(scale: int, args: argparse.Namespace) -> None:
    """Builds or reuses one scale's workspace, measures both engines and prints the comparison."""
    log = OUT / f"scale_{scale}.log"
    ws, built = workspace(scale, args.rebuild, log)
    print(
        f"\n== --scale {scale:,}: {built['events']:,} events; built in {built['seconds']:.0f} s"
        f" (generate {built['generate']:.0f} s, import {built['import']:.0f} s, labels and"
        f" teams {built['prepare']:.0f} s), peak {gib(built['peak_bytes'])}",
        flush=True,
    )
    env = {DUCKDB_MEMORY: args.duckdb_memory} if args.duckdb_memory else {}

    def run(step: str, env: dict[str, str] | None = None, timeout: float = math.inf) -> Measured:
        return measure(step, ws, log, env, timeout) if step in args.steps else last(step, ws)

    duck = run("duckdb", env, args.timeout)
    if duck.failed:
        print(f"duckdb FAILED after {duck}: {duck.failed}", flush=True)
    else:
        print(
            f"duckdb ({duck.out['threads']} threads): reports {duck.out['reports']:.1f} s,"
            f" peak {gib(duck.peak)} (the baseline)",
            flush=True,
        )
    lake = run("export")
    if lake.failed:
        print(f"export FAILED: {lake.failed}")
        return
    print(
        f"export of the lake: {lake.out['export']:.1f} s, {lake.out['bytes'] / 2**30:.2f} GiB"
        f" of Parquet, peak {gib(lake.peak)}",
        flush=True,
    )
    spark = run("spark", {"CONVIVIAL_SPARK_MEMORY": args.spark_memory}, args.timeout)
    if spark.failed:
        print(f"spark FAILED after {spark}: {spark.failed}", flush=True)
    else:
        s, started = spark.out["reports"], spark.out["start"]
        print(
            f"spark: start {started:.1f} s, reports {s:.1f} s, peak {gib(spark.peak)}", flush=True
        )
    if not (duck.failed or spark.failed):
        compare(ws, duck, lake, spark)
    counted = run("edges")
    if not counted.failed:
        print(
            f"conversational edges into igraph: {counted.out['current']:,} (window),"
            f" {counted.out['previous']:,} (previous window)",
            flush=True,
        )


def compare(ws: Path, duck: Measured, lake: Measured, spark: Measured) -> None:
    """Prints Spark against DuckDB, time and memory, and where their reports differ."""
    d, s, started = duck.out["reports"], spark.out["reports"], spark.out["start"]
    whole = lake.out["export"] + started + s
    print(
        f"spark / duckdb: reports {s / d:.2f}x, with start {(started + s) / d:.2f}x,"
        f" with export and start {whole / d:.2f}x; peak {spark.peak / duck.peak:.2f}x"
    )
    compared, where, unordered = agreement(ws)
    print(
        f"reports agree: {compared - where.total():,} of {compared:,} values equal in place,"
        f" {where.total():,} differ (`convivial.parity`: counts exactly, reals to {TOLERANCE:g})"
    )
    for path, n in where.most_common():
        print(f"  {path}: {n:,}")
    print(
        f"lists compared as multisets (order ignored, floats to 9 digits): {unordered.total():,}"
        " items in one engine's list only"
    )
    for name, n in unordered.most_common():
        print(f"  {name}: {n:,}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("scales", nargs="*", type=int, default=list(SCALES), help="events")
    parser.add_argument("--spark-memory", default="14g", help="Spark driver memory (14g)")
    parser.add_argument("--duckdb-memory", help="DuckDB memory_limit (default: half the machine)")
    parser.add_argument(
        "--timeout", type=float, default=math.inf, help="stop an engine after this many seconds"
    )
    parser.add_argument("--rebuild", action="store_true", help="rebuild reused workspaces")
    parser.add_argument(
        "--steps",
        type=lambda text: text.split(","),
        default=["duckdb", "export", "spark", "edges"],
        help="steps to run (duckdb,export,spark,edges); the others' last measurements are reused",
    )
    parser.add_argument(
        "--child", nargs=3, metavar=("STEP", "WS", "RESULT"), help=argparse.SUPPRESS
    )
    args = parser.parse_args()
    if args.child:
        step, ws, result = args.child
        STEPS[step](Path(ws), Path(result))
        return
    OUT.mkdir(parents=True, exist_ok=True)
    print(
        f"{os.cpu_count()} cores; DuckDB memory_limit {args.duckdb_memory or 'default'};"
        f" Spark on {MASTER}, driver memory {args.spark_memory}"
    )
    for scale in args.scales:
        scale_run(scale, args)


if __name__ == "__main__":
    main()
