"""The window every metric is computed over (METRICS.md, "Window")."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import ibis

__all__ = ["Window", "default_window"]


@dataclass(frozen=True)
class Window:
    """The half-open interval [start, end) in UTC."""

    start: datetime
    end: datetime

    def as_json(self) -> dict[str, str]:
        return {"start": self.start.isoformat(), "end": self.end.isoformat()}

    @classmethod
    def from_json(cls, data: dict[str, str]) -> Window:
        """The window `as_json` wrote."""
        return cls(datetime.fromisoformat(data["start"]), datetime.fromisoformat(data["end"]))


def default_window(
    con: Any,
    days: int,
    since: datetime | None = None,
    until: datetime | None = None,
) -> Window:
    """`days` days ending at the latest event in the workspace (not the wall clock).

    The end is just after the latest message, interaction or follow, so that event is inside.
    `since` and `until` override either bound.
    """
    times = [
        con.table(name).select(at=con.table(name)[column].cast("timestamp(6)"))
        for name, column in (
            ("messages", "created_at"),
            ("interactions", "created_at"),
            ("follows", "followed_at"),
        )
    ]
    every = ibis.union(*times, distinct=False)
    latest = every.at.max().to_pyarrow().as_py()
    if latest is not None and not isinstance(latest, datetime):
        raise TypeError(f"not a time: {latest!r}")
    known = latest.replace(tzinfo=None) if latest is not None else None
    end = until or ((known + timedelta(microseconds=1)) if known else datetime(1970, 1, 1))
    start = since or end - timedelta(days=days)
    return Window(start, end)
