"""The basic counts of each team's window: what was said, who follows."""

from __future__ import annotations

from typing import Any

import ibis

from convivial.metrics.scope import Scope

__all__ = ["CONVERSATIONAL", "counts"]

CONVERSATIONAL = ("reply", "mention", "share", "quote")
"""Interaction kinds that are conversation; likes and follows are counted apart."""

_MESSAGE_KINDS = ("post", "reply", "share", "quote")
_INTERACTION_KINDS = ("reply", "mention", "share", "quote", "like", "follow")


def counts(scope: Scope) -> dict[str, dict[str, int | None]]:
    """Per team, over the window [start, end):

    - `messages_<kind>`: the team's messages by kind, `host_messages` those its hosts wrote;
    - `interactions_<kind>`: the team's interactions by kind;
    - `followers`: accounts following a host account (at any time), None when no follows are known.
    """
    out: dict[str, dict[str, int | None]] = {team: {} for team in scope.teams}
    messages = scope.within(scope.messages)
    by_kind = _grouped(messages.group_by(["team", "kind"]).aggregate(n=messages.count()))
    own = messages.filter(messages.author_is_host)
    hosts = _grouped(own.group_by("team").aggregate(kind=ibis.literal("host"), n=own.count()))
    interactions = scope.within(scope.interactions)
    acts = _grouped(interactions.group_by(["team", "kind"]).aggregate(n=interactions.count()))
    f = scope.follows
    followers = _grouped(
        f.group_by("team").aggregate(kind=ibis.literal("followers"), n=f.follower_key.nunique())
    )
    for team, row in out.items():
        for kind in _MESSAGE_KINDS:
            row[f"messages_{kind}"] = by_kind.get((team, kind), 0)
        row["host_messages"] = hosts.get((team, "host"), 0)
        for kind in _INTERACTION_KINDS:
            row[f"interactions_{kind}"] = acts.get((team, kind), 0)
        row["followers"] = followers.get((team, "followers"))
    return out


def _grouped(expr: Any) -> dict[tuple[str, str], int]:
    rows = expr.to_pyarrow().to_pylist()
    return {(r["team"], r["kind"]): int(r["n"]) for r in rows}
