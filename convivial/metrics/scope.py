"""Which accounts, messages and interactions are a team's (METRICS.md, "Entities").

host = the team's brand and staff accounts; member = any other account in the team's data. In a
workspace with one team, all data is the team's. With several, each message belongs to one team
(`assign.message_teams`), and a team's interactions are those of its messages plus those without
a message (likes, follows) aimed at its hosts. Another team's host accounts are other businesses,
not members: interactions to or from them are left out of the team's data.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import Any

from convivial.metrics.assign import message_teams
from convivial.metrics.window import Window

__all__ = ["TeamScope", "Teams", "team_scope"]

_TABLES = itertools.count()
"""Names for the session's temporary tables of message teams."""


@dataclass(frozen=True)
class TeamScope:
    """Ibis tables of one team's data, all time, and the window its metrics cover."""

    team: str
    hosts: Any
    """host_accounts rows of the team: account_key, role."""
    host_keys: frozenset[str]
    messages: Any
    interactions: Any
    follows: Any
    accounts: Any
    window: Window


class Teams:
    """The workspace's teams, with what they share computed once (which message is whose)."""

    def __init__(self, con: Any) -> None:
        self.con = con
        self.names: list[str] = sorted(con.table("teams").team.to_pyarrow().to_pylist())
        hosts = con.table("host_accounts")
        rows = hosts.select("team", "account_key").to_pyarrow().to_pylist()
        self.host_keys: dict[str, frozenset[str]] = {
            name: frozenset(r["account_key"] for r in rows if r["team"] == name)
            for name in self.names
        }
        self.assignment = (
            con.create_table(f"team_of_message_{next(_TABLES)}", message_teams(con), temp=True)
            if len(self.names) > 1
            else None
        )

    def scope(self, team: str, window: Window) -> TeamScope:
        """The data of `team`."""
        con = self.con
        host_accounts = con.table("host_accounts")
        hosts = host_accounts.filter(host_accounts.team == team).select("account_key", "role")
        own = self.host_keys.get(team, frozenset())
        messages = con.table("messages")
        interactions = con.table("interactions")
        follows = con.table("follows")
        if self.assignment is not None:
            mine = self.assignment.filter(self.assignment.team == team)
            messages = messages.filter(messages.message_key.isin(mine.message_key))
            others = sorted(set().union(*self.host_keys.values()) - own)
            interactions = interactions.filter(
                (
                    interactions.message_key.isin(mine.message_key)
                    | (interactions.message_key.isnull() & interactions.target_key.isin(list(own)))
                )
                & ~interactions.actor_key.isin(others)
                & ~interactions.target_key.isin(others)
            )
            follows = follows.filter(follows.followed_key.isin(list(own)))
        return TeamScope(
            team, hosts, own, messages, interactions, follows, con.table("accounts"), window
        )


def team_scope(con: Any, team: str, window: Window) -> TeamScope:
    """The data of one team (for a single report; `Teams` shares work across teams)."""
    return Teams(con).scope(team, window)
