"""A workspace's reports: labels and teams brought up to date, then the metrics computed once per
state of the data and settings, and kept in the store for the next report, inbox or page."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Collection
from dataclasses import replace
from datetime import date, datetime
from functools import cache
from pathlib import Path
from typing import Any

from convivial import __version__
from convivial.metrics import build_reports
from convivial.metrics.assign import refresh_message_teams
from convivial.people import merge_suggested, person_of
from convivial.report.model import TeamReport
from convivial.store import Store
from convivial.text.labels import CLASSIFIERS
from convivial.workspace import Workspace

__all__ = ["REPORT_FORMAT", "without_handled", "workspace_reports"]

REPORT_FORMAT = 2
"""Bumped whenever what a kept report holds changes, so older ones are computed again."""


def workspace_reports(
    ws: Workspace,
    store: Store,
    team: str | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
    labelling: Callable[[int, int], None] | None = None,
) -> list[TeamReport]:
    """Every team's report (or the named one's) over the window: the kept one when nothing it
    depends on changed (the data, the people merged, convivial.toml, the classifiers, the
    code), else computed now and kept, after merging the accounts that surely are one person
    (`people.merge_suggested` above the workspace's `merge_above`)."""
    store.refresh_labels(CLASSIFIERS, labelling)
    refresh_message_teams(store)
    config = ws.config()
    kept, key, state = _kept(ws, store, team, since, until)
    if kept is None and merge_suggested(store, config.merge_above):
        kept, key, state = _kept(ws, store, team, since, until)
    if kept is not None:
        return _decoded(kept)
    hours = {t.name: h for t in config.teams if (h := t.opening_hours()) is not None}
    reports = build_reports(
        store,
        team=team,
        window_days=config.window_days,
        since=since,
        until=until,
        bands=config.bands,
        hours=hours,
        people=person_of(store.merges()),
    )
    body = json.dumps([report.as_json() for report in reports], default=_tagged)
    store.save_report(key, state, body)
    return _decoded(body)


def _kept(
    ws: Workspace, store: Store, team: str | None, since: datetime | None, until: datetime | None
) -> tuple[str | None, str, str]:
    """The kept report for this state and request, if any, with its key and the state."""
    state = _state(ws, store)
    key = hashlib.sha256(json.dumps([state, team, _iso(since), _iso(until)]).encode()).hexdigest()
    return store.cached_report(key), key, state


def without_handled(reports: list[TeamReport], handled: Collection[str]) -> list[TeamReport]:
    """The reports with the requests marked handled in the inbox left out of `unanswered` (the
    inbox), and kept in every metric."""
    return [
        replace(
            report,
            lists={
                **report.lists,
                "unanswered": [
                    u for u in report.lists.get("unanswered", []) if u["message_key"] not in handled
                ],
            },
        )
        for report in reports
    ]


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


def _untagged(data: dict[str, Any]) -> Any:
    if len(data) == 1:
        if "__datetime__" in data:
            return datetime.fromisoformat(data["__datetime__"])
        if "__date__" in data:
            return date.fromisoformat(data["__date__"])
    return data


def _decoded(body: str) -> list[TeamReport]:
    """The reports `body` holds, every report built the same way whether just computed or kept."""
    return [TeamReport.from_json(report) for report in json.loads(body, object_hook=_untagged)]


def _iso(moment: datetime | None) -> str | None:
    return None if moment is None else moment.isoformat()
