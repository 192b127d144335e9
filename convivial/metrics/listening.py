"""Listening: which messages directed at the team got a direct host reply within 7 days.

A message is directed at the team when a member wrote it and it replies to a host message or
mentions a host account (METRICS.md, "Entities"). It is answered when a host message has it as
parent within 7 days. `listening_rate` and its weekly series both count this one table.
"""

from __future__ import annotations

from typing import Any

import ibis

from convivial.metrics.scope import TeamScope

__all__ = ["ANSWER_DAYS", "directed_answered"]

ANSWER_DAYS = 7


def directed_answered(scope: TeamScope) -> Any:
    """The window's messages directed at the team: message_key, asked_at, answered (bool)."""
    hosts = list(scope.host_keys)
    i, m, w = scope.interactions, scope.messages, scope.window
    at_host = i.filter(
        i.kind.isin(["reply", "mention"]) & i.target_key.isin(hosts) & ~i.actor_key.isin(hosts)
    ).select("message_key")
    directed = m.filter(
        (m.created_at >= w.start)
        & (m.created_at < w.end)
        & m.message_key.isin(at_host.message_key)
        & ~m.author_key.isin(hosts)
    ).select("message_key", asked_at=m.created_at)
    replies = m.filter(m.author_key.isin(hosts) & (m.kind == "reply")).select(
        "parent_key", answered_at=m.created_at
    )
    answered = (
        directed.join(replies, directed.message_key == replies.parent_key)
        .filter(
            lambda t: (
                (t.answered_at >= t.asked_at)
                & (t.answered_at < t.asked_at + ibis.interval(days=ANSWER_DAYS))
            )
        )
        .select("message_key")
        .distinct()
    )
    return directed.mutate(answered=directed.message_key.isin(answered.message_key))
