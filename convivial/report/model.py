"""The one Report object that every presenter renders (terminal, JSON, HTML)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from convivial.metrics.window import Window

__all__ = ["TeamReport"]


@dataclass(frozen=True)
class TeamReport:
    """One team's results over one window, keyed as METRICS.md spells them."""

    team: str
    window: Window
    metrics: dict[str, Any]
    network: dict[str, Any] = field(default_factory=dict)
    lists: dict[str, Sequence[dict[str, Any]]] = field(default_factory=dict)
    """Named lists of rows; the long ones (every follower, every member) as `Rows`."""
    reasons: dict[str, str] = field(default_factory=dict)
    """Why a metric is None, by key."""
    statuses: dict[str, str] = field(default_factory=dict)
    """The band a metric's value falls in (METRICS.md "reads as"), by key."""
    picture: dict[str, Any] = field(default_factory=dict)
    """The community picture to draw (metrics/picture.py)."""

    def as_json(self) -> dict[str, Any]:
        """The JSON contract: team, window {start, end}, metrics, network, lists (and the
        picture, which `render_json` leaves out)."""
        return {
            "team": self.team,
            "window": self.window.as_json(),
            "metrics": self.metrics,
            "network": self.network,
            "lists": self.lists,
            "reasons": self.reasons,
            "statuses": self.statuses,
            "picture": self.picture,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> TeamReport:
        """The report `as_json` wrote (kept reports are read back this way)."""
        return cls(
            data["team"],
            Window.from_json(data["window"]),
            data["metrics"],
            data["network"],
            data["lists"],
            data["reasons"],
            data["statuses"],
            data.get("picture", {}),
        )
