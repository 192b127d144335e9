"""Weekly series (ISO weeks, UTC) of the community metrics, for trends and charts.

Each week's values follow the definitions of `community` restricted to that week:
`active_members`, `member_to_member_share`, `listening_rate` (by the week the message was
directed; its answer may come up to 7 days later) and `conversation_share`.
"""

from __future__ import annotations

from typing import Any

from convivial.metrics.community import conversational, host_speech
from convivial.metrics.listening import directed_answered
from convivial.metrics.scope import TeamScope

__all__ = ["weekly_series"]


def _by_week(expr: Any) -> dict[Any, dict[str, Any]]:
    return {r["week"]: r for r in expr.to_pyarrow().to_pylist()}


def weekly_series(scope: TeamScope) -> list[dict[str, Any]]:
    """One row per ISO week of the window: week (its Monday) and the four values (None when the
    week has nothing to divide by)."""
    hosts = list(scope.host_keys)
    conv = conversational(scope, scope.window)
    by_members = conv.filter(~conv.actor_key.isin(hosts)).mutate(week=conv.created_at.truncate("W"))
    talk = _by_week(
        by_members.group_by("week").aggregate(
            active=by_members.actor_key.nunique(),
            spoken=by_members.count(),
            to_members=by_members.count(where=~by_members.target_key.isin(hosts)),
        )
    )
    speech = host_speech(scope)
    own = speech.mutate(week=speech.created_at.truncate("W"))
    hosting = _by_week(
        own.group_by("week").aggregate(own=own.count(), replies=(own.kind == "reply").sum())
    )
    listening = _by_week(_listening_by_week(scope))
    weeks = sorted(set(talk) | set(hosting) | set(listening))
    rows = []
    for week in weeks:
        t, h, li = talk.get(week, {}), hosting.get(week, {}), listening.get(week, {})
        rows.append(
            {
                "week": week,
                "active_members": t.get("active", 0),
                "member_to_member_share": _share(t.get("to_members"), t.get("spoken")),
                "listening_rate": _share(li.get("answered"), li.get("directed")),
                "conversation_share": _share(h.get("replies"), h.get("own")),
            }
        )
    return rows


def _share(part: int | None, whole: int | None) -> float | None:
    return (part or 0) / whole if whole else None


def _listening_by_week(scope: TeamScope) -> Any:
    marked = directed_answered(scope)
    marked = marked.mutate(week=marked.asked_at.truncate("W"))
    return marked.group_by("week").aggregate(
        directed=marked.count(), answered=marked.answered.sum()
    )
