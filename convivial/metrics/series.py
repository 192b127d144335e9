"""Weekly series (ISO weeks, UTC) of the community metrics, for trends and charts.

Each week's values follow the definitions of `community` restricted to that week:
`active_members`, `member_to_member_share`, `listening_rate` (by the week the message was
directed; its answer may come up to 7 days later) and `conversation_share`.
"""

from __future__ import annotations

from typing import Any

from convivial.metrics.community import conversational, host_speech
from convivial.metrics.listening import directed_answered
from convivial.metrics.scope import Scope

__all__ = ["weekly_series"]


def _by_team_week(expr: Any) -> dict[tuple[str, Any], dict[str, Any]]:
    return {(r["team"], r["week"]): r for r in expr.to_pyarrow().to_pylist()}


def weekly_series(scope: Scope) -> dict[str, list[dict[str, Any]]]:
    """Per team, one row per ISO week of the window: week (its Monday) and the four values (None
    when the week has nothing to divide by)."""
    conv = conversational(scope)
    by_members = conv.filter(~conv.actor_is_host)
    by_members = by_members.mutate(week=by_members.created_at.truncate("W"))
    talk = _by_team_week(
        by_members.group_by(["team", "week"]).aggregate(
            active=by_members.actor_key.nunique(),
            spoken=by_members.count(),
            to_members=by_members.count(where=~by_members.target_is_host),
        )
    )
    speech = host_speech(scope)
    own = speech.mutate(week=speech.created_at.truncate("W"))
    hosting = _by_team_week(
        own.group_by(["team", "week"]).aggregate(
            own=own.count(), replies=own.count(where=own.kind == "reply")
        )
    )
    marked = directed_answered(scope)
    marked = marked.mutate(week=marked.asked_at.truncate("W"))
    listening = _by_team_week(
        marked.group_by(["team", "week"]).aggregate(
            directed=marked.count(), answered=marked.count(where=marked.answered)
        )
    )
    out: dict[str, list[dict[str, Any]]] = {team: [] for team in scope.teams}
    for team, week in sorted(set(talk) | set(hosting) | set(listening)):
        t = talk.get((team, week), {})
        h = hosting.get((team, week), {})
        li = listening.get((team, week), {})
        out.setdefault(team, []).append(
            {
                "week": week,
                "active_members": t.get("active", 0),
                "member_to_member_share": _share(t.get("to_members"), t.get("spoken")),
                "listening_rate": _share(li.get("answered"), li.get("directed")),
                "conversation_share": _share(h.get("replies"), h.get("own")),
            }
        )
    return out


def _share(part: int | None, whole: int | None) -> float | None:
    return (part or 0) / whole if whole else None
