"""Listening: which messages directed at a team got a direct host reply within 7 days.

A message is directed at the team when a member wrote it and it replies to a host message or
mentions a host account (METRICS.md, "Entities"). It is answered when a host reply has it as
parent within 7 days. `listening_rate` and its weekly series both count this one table.
"""

from __future__ import annotations

from typing import Any

import ibis

from convivial.metrics.scope import Scope

__all__ = ["ANSWER_DAYS", "directed_answered", "directed_messages"]

ANSWER_DAYS = 7


def directed_messages(scope: Scope) -> Any:
    """The window's messages directed at each team, with their first answer: team, message_key,
    author_key, asked_at, request (the text asks or complains), first_reply_at (the earliest
    direct host reply at or after the message, from the same team; null when none came) and
    first_responder (the host account that wrote it). Computed once per scope: listening, its
    weekly series and service all read it."""
    return scope.once("directed", lambda: _directed(scope))


def _directed(scope: Scope) -> Any:
    i, m = scope.interactions, scope.within(scope.messages)
    at_host = (
        i.filter(i.kind.isin(["reply", "mention"]) & i.target_is_host & ~i.actor_is_host)
        .select(directed_key="message_key")
        .distinct()
    )
    directed = (
        m.filter(~m.author_is_host)
        .join(at_host, m.message_key == at_host.directed_key)
        .select("team", "message_key", "author_key", "request", asked_at="created_at")
    )
    everything = scope.messages
    replies = everything.filter(everything.author_is_host & (everything.kind == "reply")).select(
        reply_team="team", parent_key="parent_key", answered_at="created_at", by="author_key"
    )
    first = (
        directed.join(
            replies,
            (directed.message_key == replies.parent_key) & (directed.team == replies.reply_team),
        )
        .filter(lambda t: t.answered_at >= t.asked_at)
        .group_by(first_key="message_key")
        .aggregate(
            first_reply_at=lambda t: t.answered_at.min(),
            first_responder=lambda t: t.by.argmin(t.answered_at),
        )
    )
    joined = directed.left_join(first, directed.message_key == first.first_key)
    return joined.drop("first_key")


def directed_answered(scope: Scope) -> Any:
    """The window's messages directed at each team: team, message_key, asked_at, answered (a
    direct host reply came within 7 days)."""
    d = directed_messages(scope)
    limit = d.asked_at + ibis.interval(days=ANSWER_DAYS)
    answered = (d.first_reply_at < limit).fill_null(False)
    return d.mutate(answered=answered).drop("first_reply_at", "first_responder")
