"""The basic counts of a team's window: who is active, what was said, who follows."""

from __future__ import annotations

from typing import Any

from convivial.metrics.scope import TeamScope

__all__ = ["CONVERSATIONAL", "counts"]

CONVERSATIONAL = ("reply", "mention", "share", "quote")
"""Interaction kinds that are conversation; likes and follows are counted apart."""

_MESSAGE_KINDS = ("post", "reply", "share", "quote")
_INTERACTION_KINDS = ("reply", "mention", "share", "quote", "like", "follow")


def counts(scope: TeamScope) -> dict[str, int | None]:
    """Counts over the window [start, end):

    - `messages_<kind>`: the team's messages by kind, `host_messages` those its hosts wrote;
    - `interactions_<kind>`: the team's interactions by kind;
    - `followers`: accounts following a host account (at any time), None when no follows are known.
    """
    w = scope.window
    hosts = scope.hosts.account_key
    messages = scope.messages.filter(
        (scope.messages.created_at >= w.start) & (scope.messages.created_at < w.end)
    )
    interactions = scope.interactions.filter(
        (scope.interactions.created_at >= w.start) & (scope.interactions.created_at < w.end)
    )
    out: dict[str, int | None] = {}
    by_kind = _grouped(messages, "kind")
    for kind in _MESSAGE_KINDS:
        out[f"messages_{kind}"] = by_kind.get(kind, 0)
    out["host_messages"] = _int(messages.filter(messages.author_key.isin(hosts)).count())
    by_kind = _grouped(interactions, "kind")
    for kind in _INTERACTION_KINDS:
        out[f"interactions_{kind}"] = by_kind.get(kind, 0)
    follows = scope.follows.filter(scope.follows.followed_key.isin(hosts))
    known = _int(follows.count())
    out["followers"] = _int(follows.follower_key.nunique()) if known else None
    return out


def _grouped(table: Any, column: str) -> dict[str, int]:
    frame = table.group_by(column).aggregate(n=table.count()).to_pyarrow()
    return dict(zip(frame[column].to_pylist(), frame["n"].to_pylist(), strict=True))


def _int(expr: Any) -> int:
    return int(expr.execute())
