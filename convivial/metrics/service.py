"""Service: everyone is watching (METRICS.md, "Service"), for messages directed at each team.

- `directed_count`: members' messages in the window that reply to a host message or mention a
  host account;
- `directed_answered`: those that got a direct host reply (its parent is the message) from the
  same team, at or after the message, at any time;
- `directed_response_rate`: answered / count;
- `directed_median_frt_s`, `directed_p90_frt_s`: first response time, the earliest such reply's
  time minus the message's time in seconds, over answered messages only; the median and the
  90th percentile by linear interpolation between the closest ranks.

The `request_*` keys (directed messages that ask or complain) wait for the request classifier.
"""

from __future__ import annotations

from typing import Any

from convivial.metrics.listening import directed_messages
from convivial.metrics.scope import Scope

__all__ = ["service_metrics"]


def service_metrics(scope: Scope) -> dict[str, dict[str, float | int | None]]:
    """Per team: the `directed_*` keys, None where nothing was directed or nothing answered."""
    d = directed_messages(scope)
    d = d.mutate(frt=d.first_reply_at.epoch_seconds() - d.asked_at.epoch_seconds())
    answered = d.first_reply_at.notnull()
    rows: list[dict[str, Any]] = (
        d.group_by("team")
        .aggregate(
            count=d.count(),
            answered=d.count(where=answered),
            median=d.frt.quantile(0.5, where=answered),
            p90=d.frt.quantile(0.9, where=answered),
        )
        .to_pyarrow()
        .to_pylist()
    )
    by_team = {r["team"]: r for r in rows}
    out: dict[str, dict[str, float | int | None]] = {}
    for team in scope.teams:
        r = by_team.get(team, {"count": 0, "answered": 0, "median": None, "p90": None})
        count, done = int(r["count"]), int(r["answered"])
        out[team] = {
            "directed_count": count,
            "directed_answered": done,
            "directed_response_rate": done / count if count else None,
            "directed_median_frt_s": float(r["median"]) if done else None,
            "directed_p90_frt_s": float(r["p90"]) if done else None,
        }
    return out
