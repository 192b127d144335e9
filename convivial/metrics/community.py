"""Community: an audience or a community? (METRICS.md, "Community").

`community_metrics` returns every team's values over the window [start, end), or None with a
reason when a value is not defined (nothing to divide by). Tabular work is Ibis, one query per
step for all teams; each team's graph is python-igraph over the edge list the engine aggregates.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

import ibis
import igraph
import pyarrow as pa
import pyarrow.compute as pc

from convivial.metrics.counts import CONVERSATIONAL
from convivial.metrics.listening import directed_answered
from convivial.metrics.scope import Scope, table_rows
from convivial.metrics.window import Window
from convivial.rows import Rows

__all__ = [
    "HOST",
    "CommunityMetrics",
    "bus_factor",
    "community_metrics",
    "conversational",
    "edges_by_team",
    "first_messages",
    "host_speech",
    "strong_ties",
]

HOST = "host"
"""The host's accounts count as one party in strong ties: a member's tie is with the business."""


@dataclass
class CommunityMetrics:
    """One team's values, keyed as METRICS.md spells them, and why any is None."""

    values: dict[str, float | int | None] = field(default_factory=dict)
    reasons: dict[str, str] = field(default_factory=dict)
    slipping_away: list[dict[str, Any]] = field(default_factory=list)
    active: set[str] = field(default_factory=set)
    """The active members' keys."""
    core: set[str] = field(default_factory=set)
    """The core members' keys."""
    edges: list[tuple[str, str, int]] = field(default_factory=list)
    """The window's directed conversational edges (actor, target, count), for the graph."""
    strong_ties: Rows | list[dict[str, Any]] = field(default_factory=list)
    """Each strong tie as {"a", "b"}; the host is "host"."""

    def ratio(self, key: str, part: int, whole: int, reason: str) -> None:
        """part / whole, or None with `reason` when whole is 0."""
        if whole:
            self.values[key] = part / whole
        else:
            self.values[key] = None
            self.reasons[key] = reason


def conversational(scope: Scope, window: Window | None = None) -> Any:
    """The teams' conversational interactions (reply, mention, share, quote) in the window."""
    i = scope.within(scope.interactions, window=window)
    return i.filter(i.kind.isin(CONVERSATIONAL))


def host_speech(scope: Scope) -> Any:
    """The hosts' messages of kind post, reply or quote in the window."""
    m = scope.within(scope.messages)
    return m.filter(m.author_is_host & m.kind.isin(["post", "reply", "quote"]))


def edges_by_team(scope: Scope, window: Window | None = None) -> dict[str, pa.Table]:
    """Each team's directed conversational edges, as columns: actor_key, target_key,
    actor_is_host, target_is_host, n (interactions), rm (of which replies and mentions),
    week_list (distinct ISO weeks)."""
    conv = conversational(scope, window)
    conv = conv.mutate(week=conv.created_at.truncate("W"))
    grouped = conv.group_by(
        ["team", "actor_key", "target_key", "actor_is_host", "target_is_host"]
    ).aggregate(
        n=conv.count(),
        rm=conv.count(where=conv.kind.isin(["reply", "mention"])),
        week_list=conv.week.collect(distinct=True),
    )
    table = grouped.to_pyarrow()
    return {team: table.filter(pc.equal(table["team"], team)) for team in scope.teams}


def strong_ties(edges: pa.Table, hosts: frozenset[str]) -> set[frozenset[str]]:
    """Unordered pairs with conversational interactions in both directions, in >= 2 distinct ISO
    weeks and >= 3 interactions in all. Host accounts are one party, `HOST`.

    `edges` needs the columns actor_key, target_key, n and week_list (the distinct ISO
    weeks)."""
    if not edges.num_rows:
        return set()
    host_keys = pa.array(sorted(hosts), pa.string())

    def party(column: str) -> pa.ChunkedArray:
        keys = edges[column]
        return pc.if_else(pc.is_in(keys, value_set=host_keys), HOST, keys)

    a, b = party("actor_key"), party("target_key")
    forward = pc.less(a, b)  # each pair once, as (lo, hi), and the direction of each edge
    pairs = pa.table(
        {
            "lo": pc.if_else(forward, a, b),
            "hi": pc.if_else(forward, b, a),
            "forward": forward,
            "n": edges["n"],
            "weeks": edges["week_list"],
        }
    ).filter(pc.not_equal(a, b))
    totals = pairs.group_by(["lo", "hi"]).aggregate([("n", "sum"), ("forward", "count_distinct")])
    week_of = pc.list_parent_indices(pairs["weeks"])
    weeks = (
        pa.table(
            {
                "lo": pc.take(pairs["lo"], week_of),
                "hi": pc.take(pairs["hi"], week_of),
                "week": pc.list_flatten(pairs["weeks"]),
            }
        )
        .group_by(["lo", "hi"])
        .aggregate([("week", "count_distinct")])
    )
    both = totals.join(weeks, ["lo", "hi"])
    strong = both.filter(
        pc.and_(
            pc.and_(
                pc.greater_equal(both["n_sum"], 3), pc.equal(both["forward_count_distinct"], 2)
            ),
            pc.greater_equal(both["week_count_distinct"], 2),
        )
    )
    return {
        frozenset(pair)
        for pair in zip(strong["lo"].to_pylist(), strong["hi"].to_pylist(), strict=True)
    }


def bus_factor(contributions: Iterable[int]) -> int | None:
    """The smallest number of members who together make >= 50% of the contributions (CHAOSS
    contributor absence factor): on 1000, 202, 90, 33, 332, 343, 42, 433 it is 2."""
    ordered = sorted((c for c in contributions if c > 0), reverse=True)
    total = sum(ordered)
    if not total:
        return None
    running = 0
    for count, value in enumerate(ordered, start=1):
        running += value
        if 2 * running >= total:
            return count
    return len(ordered)


def _core(edges: pa.Table, hosts: frozenset[str]) -> tuple[set[str], set[frozenset[str]]]:
    ties = strong_ties(edges, hosts)
    return {key for pair in ties for key in pair if key != HOST}, ties


def community_metrics(
    scope: Scope, followers: dict[str, int | None]
) -> dict[str, CommunityMetrics]:
    """Every metric of METRICS.md "Community", for every team of the scope."""
    w = scope.window
    edges = edges_by_team(scope)
    previous = edges_by_team(scope, Window(w.start - (w.end - w.start), w.start))
    listening = _per_team(_listening_totals(scope))
    speech = _per_team(_speech_totals(scope))
    newcomers = _per_team(_newcomers(scope))
    was_core = {team: _core(previous[team], scope.host_keys[team])[0] for team in scope.teams}
    recent, last_seen = _recent_activity(scope, set().union(*was_core.values()))
    out = {}
    for team in scope.teams:
        result = CommunityMetrics()
        _from_edges(edges[team], scope.host_keys[team], followers.get(team), result)
        li, sp, nc = listening.get(team, {}), speech.get(team, {}), newcomers.get(team, {})
        result.ratio(
            "listening_rate",
            li.get("answered", 0),
            li.get("directed", 0),
            "no message was directed at the team",
        )
        result.ratio(
            "conversation_share",
            sp.get("replies", 0),
            sp.get("own", 0),
            "the host wrote nothing in the window",
        )
        for key, part in (
            ("newcomer_welcome_rate", "welcomed"),
            ("newcomer_return_rate", "returned"),
        ):
            result.ratio(key, nc.get(part, 0), nc.get("newcomers", 0), "no newcomers in the window")
        gone = sorted(was_core[team] - recent.get(team, set()))
        result.slipping_away = [
            {"account_key": k, "last_seen": last_seen.get((team, k)), "core_now": k in result.core}
            for k in gone
        ]
        result.values["slipping_away"] = len(gone)
        out[team] = result
    return out


def _per_team(rows: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {r["team"]: r for r in rows}


def _from_edges(
    edges: pa.Table,
    hosts: frozenset[str],
    followers: int | None,
    out: CommunityMetrics,
) -> None:
    """The metrics that one team's edge list decides."""
    member_edges = edges.filter(pc.invert(edges["actor_is_host"]))
    m2m = member_edges.filter(pc.invert(member_edges["target_is_host"]))
    active = set(pc.unique(member_edges["actor_key"]).to_pylist())
    out.active = active
    out.edges = list(
        zip(
            edges["actor_key"].to_pylist(),
            edges["target_key"].to_pylist(),
            edges["n"].to_pylist(),
            strict=True,
        )
    )
    out.values["active_members"] = len(active)
    out.ratio(
        "member_to_member_share",
        _total(m2m["n"]),
        _total(member_edges["n"]),
        "no member spoke in the window",
    )
    m2m_pairs = list(zip(m2m["actor_key"].to_pylist(), m2m["target_key"].to_pylist(), strict=True))
    directed = set(m2m_pairs)
    pairs = {frozenset(p) for p in directed if p[0] != p[1]}
    both = {p for p in pairs if all((a, b) in directed for a in p for b in p if a != b)}
    out.ratio("member_reciprocity", len(both), len(pairs), "no two members talked")
    spoke = pc.greater(edges["rm"], 0)  # with replies or mentions, not only shares or quotes
    addressed = _keys(
        edges,
        pc.and_(pc.invert(edges["actor_is_host"]), edges["target_is_host"]),
        spoke,
        "actor_key",
    )
    answered = _keys(edges, edges["actor_is_host"], spoke, "target_key")
    out.ratio(
        "host_reciprocity",
        len(addressed & answered),
        len(addressed),
        "no member addressed the host",
    )
    core, ties = _core(edges, hosts)
    out.core = core
    out.values["strong_ties_host"] = sum(1 for t in ties if HOST in t)
    out.values["strong_ties_members"] = sum(1 for t in ties if HOST not in t)
    out.values["core_members"] = len(core)
    pairs_ab = sorted(tuple(sorted(t, key=lambda k: (k != HOST, k))) for t in ties)
    out.strong_ties = Rows.of(
        {"a": [a for a, _ in pairs_ab], "b": [b for _, b in pairs_ab]},
    )
    if followers:
        out.values["core_to_followers"] = len(core) / followers
    else:
        out.values["core_to_followers"] = None
        out.reasons["core_to_followers"] = "no followers known"
    _host_independence(m2m_pairs, active, out)
    contributions = m2m.group_by("actor_key").aggregate([("n", "sum")])
    out.values["bus_factor"] = bus_factor(contributions["n_sum"].to_pylist())
    if out.values["bus_factor"] is None:
        out.reasons["bus_factor"] = "no member-to-member interactions"


def _total(counts: pa.ChunkedArray) -> int:
    return int(pc.sum(counts).as_py() or 0)


def _keys(edges: pa.Table, where: Any, also: Any, column: str) -> set[str]:
    """The distinct keys of `column` on the edges where both masks hold."""
    return set(pc.unique(edges.filter(pc.and_(where, also))[column]).to_pylist())


def _host_independence(m2m: list[tuple[str, str]], active: set[str], out: CommunityMetrics) -> None:
    """Active members in the largest connected component of the undirected member-only graph,
    over active members (members only spoken to link the graph but are not counted, so the
    value stays within 0..1)."""
    if not active:
        out.values["host_independence"] = None
        out.reasons["host_independence"] = "no active members"
        return
    names = sorted(active | {target for _, target in m2m})
    index = {name: i for i, name in enumerate(names)}
    graph = igraph.Graph(n=len(names), edges=[(index[a], index[b]) for a, b in m2m])
    largest = max(
        sum(1 for v in c if names[v] in active) for c in graph.connected_components(mode="weak")
    )
    out.values["host_independence"] = largest / len(active)


def _listening_totals(scope: Scope) -> list[dict[str, Any]]:
    """Per team: messages directed at it by members, and those answered within 7 days."""
    marked = directed_answered(scope)
    return table_rows(
        marked.group_by("team").aggregate(
            directed=marked.count(), answered=marked.count(where=marked.answered)
        )
    )


def _speech_totals(scope: Scope) -> list[dict[str, Any]]:
    """Per team: host messages of kind post, reply or quote, and how many are replies."""
    own = host_speech(scope)
    return table_rows(
        own.group_by("team").aggregate(
            own=own.count(), replies=own.count(where=own.kind == "reply")
        )
    )


def first_messages(scope: Scope) -> Any:
    """When each member first wrote in their team's data, all time: team, author_key, first_at.
    Computed once per scope: newcomers, welcomes and the inbox's newcomers all read it."""

    def first() -> Any:
        members = scope.messages.filter(~scope.messages.author_is_host)
        return members.group_by(["team", "author_key"]).aggregate(first_at=members.created_at.min())

    return scope.once("first_messages", first)


def _newcomers(scope: Scope) -> list[dict[str, Any]]:
    """Per team: members whose first-ever message falls in the window; of them, those welcomed
    by someone else's reply within 48 h, and those who interact again in a later ISO week within
    30 days."""
    w, m, i = scope.window, scope.messages, scope.interactions
    members = m.filter(~m.author_is_host)
    first = first_messages(scope)
    new = first.filter((first.first_at >= w.start) & (first.first_at < w.end))
    firsts = members.join(
        new,
        (members.team == new.team)
        & (members.author_key == new.author_key)
        & (members.created_at == new.first_at),
    ).select(
        team=members.team,
        newcomer=members.author_key,
        first_key=members.message_key,
        at=members.created_at,
    )
    replies = m.filter(m.kind == "reply").select(
        reply_team=m.team, parent=m.parent_key, by=m.author_key, at_reply=m.created_at
    )
    welcomed = (
        firsts.join(
            replies, (firsts.first_key == replies.parent) & (firsts.team == replies.reply_team)
        )
        .filter(
            lambda t: (
                (t.by != t.newcomer)
                & (t.at_reply >= t.at)
                & (t.at_reply < t.at + ibis.interval(hours=48))
            )
        )
        .select(w_team="team", w_key="newcomer")
        .distinct()
    )
    acts = i.select(a_team=i.team, a_key=i.actor_key, a_at=i.created_at)
    returned = (
        new.join(acts, (new.team == acts.a_team) & (new.author_key == acts.a_key))
        .filter(
            lambda t: (
                (t.a_at.truncate("W") > t.first_at.truncate("W"))
                & (t.a_at < t.first_at + ibis.interval(days=30))
            )
        )
        .select(r_team="team", r_key="author_key")
        .distinct()
    )
    marked = new.left_join(
        welcomed, (new.team == welcomed.w_team) & (new.author_key == welcomed.w_key)
    ).left_join(returned, (new.team == returned.r_team) & (new.author_key == returned.r_key))
    return table_rows(
        marked.group_by("team").aggregate(
            newcomers=marked.count(),
            welcomed=marked.count(where=marked.w_key.notnull()),
            returned=marked.count(where=marked.r_key.notnull()),
        )
    )


def _recent_activity(
    scope: Scope, watched: set[str]
) -> tuple[dict[str, set[str]], dict[tuple[str, str], Any]]:
    """Per team, which `watched` accounts acted in the last 30 days of the window, and when each
    last acted before the window's end."""
    w = scope.window
    if not watched:
        return {}, {}
    keys = ibis.memtable({"watched_key": sorted(watched)})
    i = scope.interactions
    i = i.join(keys, i.actor_key == keys.watched_key).select(*scope.interactions.columns)
    recent_start = max(w.end - timedelta(days=30), w.start)
    recent = i.filter((i.created_at >= recent_start) & (i.created_at < w.end))
    active: dict[str, set[str]] = defaultdict(set)
    for row in table_rows(recent.select("team", "actor_key").distinct()):
        active[row["team"]].add(row["actor_key"])
    before = i.filter(i.created_at < w.end)
    seen = table_rows(
        before.group_by(["team", "actor_key"]).aggregate(last=before.created_at.max())
    )
    return active, {(r["team"], r["actor_key"]): r["last"] for r in seen}
