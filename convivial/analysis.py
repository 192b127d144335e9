"""A workspace's reports: labels, teams and every team's scope brought up to date, then the
metrics computed once per state of the data and settings, and kept in the store for the next
report, inbox or page."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime
from functools import cache
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

from convivial import __version__
from convivial.lake import LOCAL, Lake
from convivial.metrics import Tables, build_reports
from convivial.metrics.assign import refresh_message_teams
from convivial.metrics.scope import refresh_kept_scope
from convivial.people import merge_suggested, person_of
from convivial.report.model import TeamReport
from convivial.rows import Rows
from convivial.store import Store
from convivial.text.labels import CLASSIFIERS
from convivial.workspace import Workspace

__all__ = [
    "REPORT_FORMAT",
    "Engine",
    "computed_reports",
    "export_lake",
    "kept_form",
    "without_handled",
    "workspace_reports",
]

REPORT_FORMAT = 3
"""Bumped whenever what a kept report holds changes, so older ones are computed again."""

LAKE_FORMAT = 1
"""Bumped whenever what an export writes changes, so the workspace's lake is written again."""

LAKE_MANIFEST = "convivial-lake.json"
"""What a lake was exported from, beside its tables (Spark reads only the tables' folders)."""


@dataclass(frozen=True)
class Engine:
    """Where the metrics run: DuckDB in the workspace (the default), or Spark on `master` over a
    Parquet lake: the one at `lake` as it is, else the workspace's own, exported when stale."""

    name: str = "duckdb"
    master: str = LOCAL
    lake: str | None = None

    @classmethod
    def parse(cls, spec: str, lake: str | None = None) -> Engine:
        """`duckdb`, `spark` or `spark=MASTER` (local[N], spark://host:port, yarn, k8s://...)."""
        name, _, master = spec.partition("=")
        if name == "spark":
            return cls("spark", master or LOCAL, lake)
        if name == "duckdb" and not master and lake is None:
            return cls()
        if name == "duckdb":
            raise EngineError("duckdb runs in the workspace: it takes no master and no --lake")
        raise EngineError(f"unknown engine {spec!r}: use duckdb, spark or spark=MASTER")


class EngineError(Exception):
    """The engine asked for is not one convivial runs on. The message is one line."""


def workspace_reports(
    ws: Workspace,
    store: Store,
    team: str | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
    labelling: Callable[[int, int], None] | None = None,
    engine: Engine | None = None,
) -> list[TeamReport]:
    """Every team's report (or the named one's) over the window: the kept one when nothing it
    depends on changed (the data, the people merged, convivial.toml, the classifiers, the
    code), else computed now and kept, after merging the accounts that surely are one person
    (`people.merge_suggested` above the workspace's `merge_above`). On Spark, the reports are
    computed over the lake every time, and not kept."""
    store.refresh_labels(CLASSIFIERS, labelling)
    config = ws.config()
    if engine is not None and engine.name == "spark":
        refresh_message_teams(store)
        merge_suggested(store, config.merge_above)
        location = engine.lake or str(_current_lake(ws, store))
        spark = computed_reports(ws, store, Lake(location, engine.master), team, since, until)
        return _decoded(*kept_form(spark))
    refresh_kept_scope(store)
    kept, key, state = _kept(ws, store, team, since, until)
    if kept is None and merge_suggested(store, config.merge_above):
        kept, key, state = _kept(ws, store, team, since, until)
    if kept is not None:
        body, lists = kept
        return _decoded(body, [Rows.from_ipc(data) for data in lists])
    reports = computed_reports(ws, store, store, team, since, until)
    body, rows = kept_form(reports)
    store.save_report(key, state, body, [r.to_ipc() for r in rows])
    return _decoded(body, rows)


def export_lake(
    store: Store,
    directory: Path,
    labelling: Callable[[int, int], None] | None = None,
) -> dict[str, int]:
    """The workspace as a Parquet lake in `directory`, every message labelled and given its team
    first, so the lake holds all that the metrics read; the rows written per table. Its
    manifest is written last: a lake without one is incomplete, and exported again."""
    (directory / LAKE_MANIFEST).unlink(missing_ok=True)
    store.refresh_labels(CLASSIFIERS, labelling)
    refresh_message_teams(store)
    written = store.export_parquet(directory)
    manifest = json.dumps(_lake_manifest(store))
    (directory / LAKE_MANIFEST).write_text(manifest, encoding="utf-8")
    return written


def _current_lake(ws: Workspace, store: Store) -> Path:
    """The workspace's own lake, exported again when the data changed since the last export."""
    manifest = ws.lake / LAKE_MANIFEST
    if not manifest.is_file() or json.loads(manifest.read_text(encoding="utf-8")) != (
        _lake_manifest(store)
    ):
        export_lake(store, ws.lake)
    return ws.lake


def _lake_manifest(store: Store) -> dict[str, Any]:
    """What a lake is exported from: the lake's layout, convivial's version, the data."""
    return {"lake": LAKE_FORMAT, "convivial": __version__, "data": store.data_state()}


def computed_reports(
    ws: Workspace,
    store: Store,
    tables: Tables,
    team: str | None,
    since: datetime | None,
    until: datetime | None,
) -> list[TeamReport]:
    """The reports computed now over `tables` (the store, or a lake on Spark) with the
    workspace's settings and people."""
    config = ws.config()
    hours = {t.name: h for t in config.teams if (h := t.opening_hours()) is not None}
    return build_reports(
        tables,
        team=team,
        window_days=config.window_days,
        since=since,
        until=until,
        bands=config.bands,
        hours=hours,
        people=person_of(store.merges()),
    )


def kept_form(reports: Sequence[TeamReport]) -> tuple[str, list[Rows]]:
    """The reports as the JSON body they are kept as, each long list in it a reference to one
    of the Rows beside it ({"__rows__": position})."""
    rows: list[Rows] = []

    def tagged(value: object) -> Any:
        if isinstance(value, Rows):
            rows.append(value)
            return {"__rows__": len(rows) - 1}
        return _tagged(value)

    return json.dumps([report.as_json() for report in reports], default=tagged), rows


def _kept(
    ws: Workspace, store: Store, team: str | None, since: datetime | None, until: datetime | None
) -> tuple[tuple[str, list[bytes]] | None, str, str]:
    """The kept report for this state and request (body and long lists), if any, with its key
    and the state."""
    state = _state(ws, store)
    key = hashlib.sha256(json.dumps([state, team, _iso(since), _iso(until)]).encode()).hexdigest()
    return store.cached_report(key), key, state


def without_handled(reports: list[TeamReport], handled: Collection[str]) -> list[TeamReport]:
    """The reports with the requests marked handled in the inbox left out of `unanswered` (the
    inbox), and kept in every metric."""
    if not handled:
        return reports
    marked = pa.array(sorted(handled), pa.string())
    out = []
    for report in reports:
        waiting = report.lists.get("unanswered", [])
        if isinstance(waiting, Rows):
            keys = waiting.table["message_key"]
            left: Sequence[dict[str, Any]] = Rows(
                waiting.table.filter(pc.invert(pc.is_in(keys, marked)))
            )
        else:
            left = [u for u in waiting if u["message_key"] not in handled]
        out.append(replace(report, lists={**report.lists, "unanswered": left}))
    return out


def _state(ws: Workspace, store: Store) -> str:
    """What every kept report of this moment shares: the data, the settings, the code."""
    settings = hashlib.sha256(ws.config_path.read_bytes()).hexdigest()
    return f"{REPORT_FORMAT}-{__version__}-{_code()}-{settings}-{store.data_state()}"


@cache
def _code() -> str:
    """A fingerprint of the code that computes reports (the metrics and the audit model), so
    that a changed metric is never read from a report kept before the change."""
    digest = hashlib.sha256()
    package = Path(__file__).parent
    for folder in ("metrics", "audit"):
        for path in sorted((package / folder).rglob("*")):
            if path.suffix in (".py", ".joblib", ".json"):
                digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def _tagged(value: object) -> dict[str, str]:
    """Times and days as tagged objects, so a kept report reads back with the same types."""
    if isinstance(value, datetime):
        return {"__datetime__": value.isoformat()}
    if isinstance(value, date):
        return {"__date__": value.isoformat()}
    raise TypeError(f"cannot keep {type(value).__name__} in a report")


def _decoded(body: str, rows: Sequence[Rows]) -> list[TeamReport]:
    """The reports `body` holds with the long lists it refers to, every report built the same
    way whether just computed or kept."""

    def untagged(data: dict[str, Any]) -> Any:
        if len(data) == 1:
            if "__datetime__" in data:
                return datetime.fromisoformat(data["__datetime__"])
            if "__date__" in data:
                return date.fromisoformat(data["__date__"])
            if "__rows__" in data:
                return rows[data["__rows__"]]
        return data

    return [TeamReport.from_json(report) for report in json.loads(body, object_hook=untagged)]


def _iso(moment: datetime | None) -> str | None:
    return None if moment is None else moment.isoformat()
