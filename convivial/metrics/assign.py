"""Which team each message belongs to, for all teams at once (METRICS.md, "Entities").

A message's own team is, in order: the team its source assigned (a subreddit made a team); the
team of its author, when the author is a host; the team of the host message it replies to; the
team of the first host account it mentions. A message with no team of its own belongs to its
thread's team: the team of the earliest message of the thread that has one. An account that is
the host of several teams gives the first of them by name.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import ibis

from convivial.store import Store

__all__ = ["message_teams", "refresh_message_teams"]


def message_teams(con: Any, teams: Sequence[str] | None = None) -> Any:
    """A table (message_key, team) with one row per message that belongs to a team.

    With `teams`, only the threads those teams' hosts take part in are looked at: a message's
    team is decided within its thread, so no other message can be theirs."""
    messages = con.table("messages")
    hosts = con.table("host_accounts")
    host_team = hosts.group_by("account_key").aggregate(host_team=hosts.team.min())
    if teams is not None:
        messages = _threads_of(con, messages, hosts.filter(hosts.team.isin(list(teams))), teams)

    m = messages.select(
        "message_key",
        "author_key",
        "parent_key",
        "root_key",
        "created_at",
        "mentions",
        own=messages.team,
    )
    by_author = m.left_join(host_team, m.author_key == host_team.account_key).select(
        *[m[c] for c in m.columns], author_team=host_team.host_team
    )
    every = con.table("messages")
    parents = every.left_join(host_team, every.author_key == host_team.account_key).select(
        parent=every.message_key, parent_team=host_team.host_team
    )
    with_parent = by_author.left_join(parents, by_author.parent_key == parents.parent).select(
        *[by_author[c] for c in by_author.columns], parent_team=parents.parent_team
    )
    mentioned = _first_mentioned_host(con, messages, host_team)
    direct = with_parent.left_join(
        mentioned, with_parent.message_key == mentioned.mentioning
    ).select(
        "message_key",
        "created_at",
        thread=ibis.coalesce(with_parent.root_key, with_parent.message_key),
        team=ibis.coalesce(
            with_parent.own,
            with_parent.author_team,
            with_parent.parent_team,
            mentioned.mention_team,
        ),
    )
    known = direct.view()
    known = known.filter(known.team.notnull())
    direct = direct.view()
    thread_team = known.group_by(of_thread=known.thread).aggregate(
        thread_team=known.team.argmin(known.created_at)
    )
    resolved = direct.left_join(thread_team, direct.thread == thread_team.of_thread).select(
        direct.message_key, team=ibis.coalesce(direct.team, thread_team.thread_team)
    )
    return resolved.filter(resolved.team.notnull())


def refresh_message_teams(store: Store) -> bool:
    """Compute and keep every message's team unless the kept one is current; whether it was."""
    if store.assignment_is_current():
        return True
    store.save_assignment(ibis.to_sql(message_teams(store.ibis()), dialect="duckdb"))
    return False


def _threads_of(con: Any, messages: Any, hosts: Any, teams: Sequence[str]) -> Any:
    """The messages of every thread in which one of `hosts` wrote, was replied to or was
    mentioned, or that a source assigned to one of `teams`."""
    keys = hosts.account_key
    thread = ibis.coalesce(messages.root_key, messages.message_key)
    own = messages.filter(messages.author_key.isin(keys) | messages.team.isin(list(teams)))
    i = con.table("interactions")
    aimed = i.filter(i.kind.isin(["reply", "mention"]) & i.target_key.isin(keys))
    touching = messages.filter(messages.message_key.isin(aimed.message_key))
    threads = (
        own.select(t=ibis.coalesce(own.root_key, own.message_key))
        .union(touching.select(t=ibis.coalesce(touching.root_key, touching.message_key)))
        .distinct()
    )
    return messages.filter(thread.isin(threads.t))


def _first_mentioned_host(con: Any, messages: Any, host_team: Any) -> Any:
    """(mentioning message, mention_team): the team of the first host account it mentions,
    by the position of the mention that is an interaction (not an automatic leading one)."""
    i = con.table("interactions")
    mentions = i.filter(i.kind == "mention")
    at_host = mentions.join(host_team, mentions.target_key == host_team.account_key).select(
        mentions.message_key, mentions.target_key, mentions.position, team=host_team.host_team
    )
    in_scope = messages.select(scoped_key="message_key")
    ranked = at_host.join(in_scope, at_host.message_key == in_scope.scoped_key).select(
        mentioning=at_host.message_key, team=at_host.team, position=at_host.position
    )
    return ranked.group_by("mentioning").aggregate(mention_team=ranked.team.argmin(ranked.position))
