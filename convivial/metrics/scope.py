"""Which accounts, messages and interactions are each team's (METRICS.md, "Entities").

host = a team's brand and staff accounts; member = any other account in the team's data. In a
workspace with one team, all data is the team's. With several, each message belongs to one team
(`assign.message_teams`), and a team's interactions are those of its messages plus those without
a message (likes, follows) aimed at its hosts. Another team's host accounts are other businesses,
not members: interactions to or from them are left out of a team's data.

`Scope` holds every team's data at once, each row tagged with its team and with whether its
accounts are the team's hosts, so that each metric is one query grouped by team, however many
teams an agency has. A store keeps these rows for every team (`team_messages`,
`team_interactions`, written by `refresh_kept_scope`), so that a report reads them instead of
joining teams, host flags and labels onto every message again.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import ibis

from convivial.metrics.assign import message_teams, refresh_message_teams
from convivial.metrics.window import Window
from convivial.store import Store

__all__ = ["Scope", "refresh_kept_scope", "scope_of", "table_rows", "team_tables"]


@dataclass(frozen=True)
class Scope:
    """Ibis tables of the chosen teams' data (all time) and the window their metrics cover.

    - `messages`: team, message_key, author_key, created_at, parent_key, root_key, kind,
      platform, likes, replies, shares, the text's labels (`text.labels.LABELS`),
      author_is_host, author_is_staff;
    - `interactions`: team, actor_key, target_key, kind, created_at, message_key, actor_is_host,
      target_is_host;
    - `follows`: team, follower_key, followed_key, followed_at (follows of a host account);
    - `accounts`: the accounts table;
    - `texts`: message_key, created_at, text of every message, to show what a listed message
      says (`within` the window, when it is one of the window's: far less to read).
    """

    teams: tuple[str, ...]
    window: Window
    host_keys: dict[str, frozenset[str]]
    messages: Any
    interactions: Any
    follows: Any
    accounts: Any
    texts: Any
    cached: tuple[Any, ...] = ()
    """The tables computed once for this scope, which `release` lets go."""
    shared: dict[str, Any] = field(default_factory=dict)
    """The tables that several metrics read, computed on first use (`once`)."""

    def once(self, name: str, build: Callable[[], Any]) -> Any:
        """The table `build` gives, computed for this scope on first use and read as it is by
        every later use, until `release`."""
        if name not in self.shared:
            self.shared[name] = build().cache()
        return self.shared[name]

    def release(self) -> None:
        """Drop the tables computed for this scope (temporary tables on DuckDB, persisted
        frames on Spark), while the connection is open."""
        for table in (*self.shared.values(), *self.cached):
            table.release()
        self.shared.clear()

    def within(self, table: Any, column: str = "created_at", window: Window | None = None) -> Any:
        """Rows of `table` whose `column` falls in the window [start, end)."""
        w = window or self.window
        return table.filter((table[column] >= w.start) & (table[column] < w.end))


def scope_of(
    con: Any,
    teams: Sequence[str],
    window: Window,
    assigned: Any | None = None,
    people: Mapping[str, str] | None = None,
    kept: tuple[Any, Any] | None = None,
) -> Scope:
    """The data of `teams` (a subset of the workspace's teams), tagged by team. `kept` is the
    store's (messages, interactions) of every team (`Store.kept_scope`) when they are current,
    read then as they are; else they are computed here, from `assigned`, the kept team of every
    message (`Tables.kept_message_teams`) when it is current. With `people` (account key ->
    person key, `convivial.people.person_of`), every member account is counted as its person:
    authors, actors, targets and followers carry the person's key. The caller `release`s the
    scope when done with it."""
    all_teams = con.table("teams").team.to_pyarrow().to_pylist()
    rows = _host_rows(con).to_pyarrow().to_pylist()
    host_keys = {
        name: frozenset(r["account_key"] for r in rows if r["team"] == name) for name in teams
    }
    every = set(teams) >= set(all_teams)
    computed = []
    if kept is not None:
        messages, interactions = kept
        if not every:
            messages = messages.filter(messages.team.isin(list(teams)))
            interactions = interactions.filter(interactions.team.isin(list(teams)))
    else:
        if len(all_teams) > 1 and assigned is None:
            assigned = message_teams(con, None if every else teams).cache()
            computed.append(assigned)
        messages, interactions = team_tables(con, teams, len(all_teams) > 1, assigned)
    follows = con.table("follows")
    chosen = [r for r in rows if r["team"] in teams]  # the rows read above, not the view again
    followed_hosts = ibis.memtable(
        {"team": [r["team"] for r in chosen], "host_key": [r["account_key"] for r in chosen]},
        schema={"team": "string", "host_key": "string"},
    )
    followed = follows.join(followed_hosts, follows.followed_key == followed_hosts.host_key).select(
        "team", "follower_key", "followed_key", "followed_at"
    )
    members_as = {k: v for k, v in (people or {}).items() if k != v and not _is_host(k, host_keys)}
    if members_as:
        messages = _as_people(con, messages, members_as, ["author_key"])
        interactions = _as_people(con, interactions, members_as, ["actor_key", "target_key"])
        interactions = interactions.filter(interactions.actor_key != interactions.target_key)
        followed = _as_people(con, followed, members_as, ["follower_key"])
    if kept is None or not every or members_as:  # the kept tables as they are need no copy
        messages, interactions = messages.cache(), interactions.cache()
        computed = [messages, interactions, *computed]
    return Scope(
        tuple(teams),
        window,
        host_keys,
        messages,
        interactions,
        followed,
        con.table("accounts"),
        con.table("messages").select("message_key", "created_at", "text"),
        tuple(computed),
    )


def team_tables(con: Any, teams: Sequence[str], several: bool, assigned: Any) -> tuple[Any, Any]:
    """(messages, interactions) of `teams`, all time, as `Scope` describes them: tagged with
    their team (by `assigned`, the team of each message, when the workspace has `several`
    teams), with their accounts' host flags and the messages' labels; interactions to or from
    another team's host account left out."""
    hosts = _host_rows(con)
    hosts = hosts.filter(hosts.team.isin(list(teams)))
    messages = con.table("messages")
    interactions = con.table("interactions")
    if several:
        assigned = assigned.filter(assigned.team.isin(list(teams)))
        tagged = messages.drop("team").join(assigned, "message_key")
        owners = assigned.select(of_message="message_key", message_team="team")
        columns = [c for c in interactions.columns if c != "team"]
        of_messages = interactions.join(
            owners, interactions.message_key == owners.of_message
        ).select(team=owners.message_team, **{c: interactions[c] for c in columns})
        aims = hosts.select(aim_team="team", aim_key="account_key")
        loose = interactions.filter(interactions.message_key.isnull())
        aimed = loose.join(aims, loose.target_key == aims.aim_key).select(
            team=aims.aim_team, **{c: loose[c] for c in columns}
        )
        tagged_interactions = of_messages.union(aimed, distinct=False)
    else:
        only = teams[0] if teams else ""
        tagged = messages.mutate(team=ibis.literal(only))
        tagged_interactions = interactions.mutate(team=ibis.literal(only))
    labels = con.table("message_labels")
    labelled = tagged.left_join(labels, tagged.message_key == labels.message_key)
    names = [c for c in labels.columns if c != "message_key"]
    slim = labelled.select(
        "team",
        "message_key",
        "author_key",
        "created_at",
        "parent_key",
        "root_key",
        "kind",
        "platform",
        "likes",
        "replies",
        "shares",
        **{name: labelled[name].fill_null(False) for name in names},
    )
    flagged_messages = _flag(slim, hosts, "author_key", "author_is_host")
    staff = hosts.filter(hosts.role == "staff")
    flagged_messages = _flag(flagged_messages, staff, "author_key", "author_is_staff")
    flagged = _flag(tagged_interactions, hosts, "actor_key", "actor_is_host")
    flagged = _flag(flagged, hosts, "target_key", "target_is_host")
    if several:
        business = sorted(set(_host_rows(con).account_key.to_pyarrow().to_pylist()))
        flagged = flagged.filter(
            (flagged.actor_is_host | ~flagged.actor_key.isin(business))
            & (flagged.target_is_host | ~flagged.target_key.isin(business))
        )
    return flagged_messages, flagged


def refresh_kept_scope(store: Store) -> bool:
    """Compute and keep every team's messages and interactions (`team_tables`), after the team
    of every message, unless the kept ones are current; whether they were."""
    refresh_message_teams(store)
    if store.scope_is_current():
        return True
    con = store.ibis()
    teams = store.team_names()
    messages, interactions = team_tables(con, teams, len(teams) > 1, store.kept_message_teams())
    store.save_scope(
        ibis.to_sql(messages, dialect="duckdb"), ibis.to_sql(interactions, dialect="duckdb")
    )
    return False


def _host_rows(con: Any) -> Any:
    """(team, account_key, role) of every team's host accounts."""
    return con.table("host_accounts").select("team", "account_key", "role").distinct()


def _is_host(key: str, host_keys: Mapping[str, frozenset[str]]) -> bool:
    return any(key in keys for keys in host_keys.values())


def _as_people(con: Any, table: Any, people: Mapping[str, str], columns: list[str]) -> Any:
    """`table` with each of `columns` holding the person's key where the account is merged."""
    pairs = ibis.memtable(
        {"from_key": list(people), "person_key": list(people.values())},
        schema={"from_key": "string", "person_key": "string"},
    )
    for column in columns:
        joined = table.left_join(pairs, table[column] == pairs.from_key)
        table = joined.mutate(**{column: joined.person_key.fill_null(joined[column])}).drop(
            "from_key", "person_key"
        )
    return table


def _flag(table: Any, hosts: Any, column: str, flag: str) -> Any:
    """`table` with a boolean `flag`: whether `column` is a host account of the row's team."""
    marks = hosts.select(mark_team="team", mark_key="account_key", mark=ibis.literal(True))
    joined = table.join(
        marks,
        (table.team == marks.mark_team) & (table[column] == marks.mark_key),
        how="left",
    )
    return joined.mutate(**{flag: joined.mark.notnull()}).drop("mark_team", "mark_key", "mark")


def table_rows(expr: Any) -> list[dict[str, Any]]:
    """An Ibis expression's result as a list of row dicts."""
    rows: list[dict[str, Any]] = expr.to_pyarrow().to_pylist()
    return rows
