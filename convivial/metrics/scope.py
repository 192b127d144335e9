"""Which accounts and messages are a team's (METRICS.md, "Entities"), as Ibis expressions.

host = the team's brand and staff accounts. A message is directed at the team when it replies to
a host message or mentions a host account. A team's messages are those its hosts wrote, those
directed at it, every message a source assigned to it (a subreddit made a team), and every
message in a thread that one of those started or joined. In a workspace with one team, every
message is the team's.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import ibis

from convivial.metrics.window import Window

__all__ = ["TeamScope", "team_scope"]


@dataclass(frozen=True)
class TeamScope:
    """Ibis tables of one team's data: all of it, and the part inside the window."""

    team: str
    hosts: Any
    """host_accounts rows of the team: account_key, role."""
    host_keys: frozenset[str]
    messages: Any
    interactions: Any
    follows: Any
    accounts: Any
    window: Window


def team_scope(con: Any, team: str, window: Window) -> TeamScope:
    host_accounts = con.table("host_accounts")
    hosts = host_accounts.filter(host_accounts.team == team).select("account_key", "role")
    messages = con.table("messages")
    interactions = con.table("interactions")
    follows = con.table("follows")
    if con.table("teams").count().execute() > 1:
        messages = _team_messages(messages, interactions, hosts, team)
        interactions = interactions.filter(
            interactions.message_key.isin(messages.message_key)
            | interactions.target_key.isin(hosts.account_key)
        )
        follows = follows.filter(follows.followed_key.isin(hosts.account_key))
    host_keys = frozenset(hosts.account_key.to_pyarrow().to_pylist())
    accounts = con.table("accounts")
    return TeamScope(team, hosts, host_keys, messages, interactions, follows, accounts, window)


def _team_messages(messages: Any, interactions: Any, hosts: Any, team: str) -> Any:
    at_host = interactions.filter(
        interactions.target_key.isin(hosts.account_key)
        & interactions.kind.isin(["reply", "mention"])
    )
    touching = messages.filter(
        messages.author_key.isin(hosts.account_key)
        | messages.message_key.isin(at_host.message_key)
        | (messages.team == team)
    )
    threads = touching.select(thread=ibis.coalesce(touching.root_key, touching.message_key))
    return messages.filter(
        ibis.coalesce(messages.root_key, messages.message_key).isin(threads.thread)
    )
