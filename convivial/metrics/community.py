"""Community: an audience or a community? (METRICS.md, "Community").

Every function takes a team's scope and returns its value over the window [start, end), or None
with a reason when the value is not defined (nothing to divide by). Tabular work is Ibis; the
member graph is python-igraph over the edge list the engine aggregates.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

import ibis
import igraph

from convivial.metrics.counts import CONVERSATIONAL
from convivial.metrics.listening import directed_answered
from convivial.metrics.scope import TeamScope
from convivial.metrics.window import Window

__all__ = [
    "CommunityMetrics",
    "bus_factor",
    "community_metrics",
    "conversational",
    "strong_ties",
]

HOST = "host"
"""The host's accounts count as one party in strong ties: a member's tie is with the business."""


@dataclass
class CommunityMetrics:
    """The section's values, keyed as METRICS.md spells them, and why any is None."""

    values: dict[str, float | int | None] = field(default_factory=dict)
    reasons: dict[str, str] = field(default_factory=dict)
    slipping_away: list[dict[str, Any]] = field(default_factory=list)
    active: set[str] = field(default_factory=set)
    """The active members' keys."""
    edges: list[tuple[str, str, int]] = field(default_factory=list)
    """The window's directed conversational edges (actor, target, count), for the graph."""
    strong_ties: list[dict[str, str]] = field(default_factory=list)
    """Each strong tie as {"a", "b"}; the host is "host"."""

    def ratio(self, key: str, part: int, whole: int, reason: str) -> None:
        """part / whole, or None with `reason` when whole is 0."""
        if whole:
            self.values[key] = part / whole
        else:
            self.values[key] = None
            self.reasons[key] = reason


def conversational(scope: TeamScope, window: Window) -> Any:
    """The team's conversational interactions (reply, mention, share, quote) in `window`."""
    i = scope.interactions
    return i.filter(
        i.kind.isin(CONVERSATIONAL) & (i.created_at >= window.start) & (i.created_at < window.end)
    )


def _rows(expr: Any) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = expr.to_pyarrow().to_pylist()
    return rows


def strong_ties(edges: Iterable[dict[str, Any]], hosts: frozenset[str]) -> set[frozenset[str]]:
    """Unordered pairs with conversational interactions in both directions, in >= 2 distinct ISO
    weeks and >= 3 interactions in all. Host accounts are one party, `HOST`.

    `edges` rows need actor_key, target_key, n and `week_list` (the distinct ISO weeks)."""
    pairs: dict[frozenset[str], dict[str, Any]] = {}
    for e in edges:
        a = HOST if e["actor_key"] in hosts else e["actor_key"]
        b = HOST if e["target_key"] in hosts else e["target_key"]
        if a == b:
            continue
        pair = frozenset((a, b))
        entry = pairs.setdefault(pair, {"dirs": set(), "n": 0, "weeks": set()})
        entry["dirs"].add(a)
        entry["n"] += e["n"]
        entry["weeks"].update(e["week_list"])
    return {
        pair
        for pair, entry in pairs.items()
        if len(entry["dirs"]) == 2 and entry["n"] >= 3 and len(entry["weeks"]) >= 2
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


def _edges(scope: TeamScope, window: Window) -> list[dict[str, Any]]:
    """Directed conversational edges: actor, target, n, and week_list (distinct ISO weeks)."""
    conv = conversational(scope, window)
    weeks = conv.mutate(week=conv.created_at.truncate("W"))
    return _rows(
        weeks.group_by(["actor_key", "target_key"]).aggregate(
            n=weeks.count(), week_list=weeks.week.collect(distinct=True)
        )
    )


def _core(scope: TeamScope, window: Window) -> tuple[set[str], set[frozenset[str]]]:
    ties = strong_ties(_edges(scope, window), scope.host_keys)
    core = {key for pair in ties for key in pair if key != HOST}
    return core, ties


def community_metrics(scope: TeamScope, followers: int | None) -> CommunityMetrics:
    """Every metric of METRICS.md "Community" for the scope's window."""
    w = scope.window
    hosts = scope.host_keys
    out = CommunityMetrics()
    edges = _edges(scope, w)
    out.edges = [(e["actor_key"], e["target_key"], int(e["n"])) for e in edges]
    member_edges = [e for e in edges if e["actor_key"] not in hosts]
    m2m = [e for e in member_edges if e["target_key"] not in hosts]
    active = {e["actor_key"] for e in member_edges}
    out.values["active_members"] = len(active)
    out.active = active
    out.ratio(
        "member_to_member_share",
        sum(e["n"] for e in m2m),
        sum(e["n"] for e in member_edges),
        "no member spoke in the window",
    )
    directed = {(e["actor_key"], e["target_key"]) for e in m2m}
    pairs = {frozenset(p) for p in directed}
    both = {
        p for p in pairs if len(p) == 2 and all((a, b) in directed for a in p for b in p if a != b)
    }
    out.ratio("member_reciprocity", len(both), len(pairs), "no two members talked")
    _host_reciprocity(scope, out)
    _listening_rate(scope, out)
    _conversation_share(scope, out)
    core, ties = _core(scope, w)
    out.values["strong_ties_host"] = sum(1 for t in ties if HOST in t)
    out.values["strong_ties_members"] = sum(1 for t in ties if HOST not in t)
    out.values["core_members"] = len(core)
    out.strong_ties = sorted(
        ({"a": a, "b": b} for a, b in (sorted(t, key=lambda k: (k != HOST, k)) for t in ties)),
        key=lambda t: (t["a"], t["b"]),
    )
    if followers:
        out.values["core_to_followers"] = len(core) / followers
    else:
        out.values["core_to_followers"] = None
        out.reasons["core_to_followers"] = "no followers known"
    _host_independence(m2m, active, out)
    out.values["bus_factor"] = bus_factor(_contributions(m2m))
    if out.values["bus_factor"] is None:
        out.reasons["bus_factor"] = "no member-to-member interactions"
    _newcomers(scope, out)
    _slipping_away(scope, core, out)
    return out


def _contributions(m2m: list[dict[str, Any]]) -> list[int]:
    per_member: dict[str, int] = {}
    for e in m2m:
        per_member[e["actor_key"]] = per_member.get(e["actor_key"], 0) + e["n"]
    return list(per_member.values())


def _host_reciprocity(scope: TeamScope, out: CommunityMetrics) -> None:
    """Members who addressed the host (reply or mention) and got a host reply or mention back
    in the window, over members who addressed the host."""
    conv = conversational(scope, scope.window)
    addressed = conv.filter(
        conv.kind.isin(["reply", "mention"])
        & ~conv.actor_key.isin(list(scope.host_keys))
        & conv.target_key.isin(list(scope.host_keys))
    ).select(member=conv.actor_key)
    answered = conv.filter(
        conv.kind.isin(["reply", "mention"]) & conv.actor_key.isin(list(scope.host_keys))
    ).select(member=conv.target_key)
    askers = addressed.distinct()
    both = askers.filter(askers.member.isin(answered.member))
    out.ratio(
        "host_reciprocity",
        int(both.count().execute()),
        int(askers.count().execute()),
        "no member addressed the host",
    )


def _listening_rate(scope: TeamScope, out: CommunityMetrics) -> None:
    """Messages directed at the team by members that got a direct host reply (parent = that
    message) within 7 days, over those messages (see `listening`)."""
    marked = directed_answered(scope)
    totals = marked.aggregate(directed=marked.count(), answered=marked.answered.sum())
    row = _rows(totals)[0]
    out.ratio(
        "listening_rate",
        int(row["answered"] or 0),
        int(row["directed"]),
        "no message was directed at the team",
    )


def host_speech(scope: TeamScope) -> Any:
    """The host's messages of kind post, reply or quote in the window."""
    w, m = scope.window, scope.messages
    return m.filter(
        m.author_key.isin(list(scope.host_keys))
        & (m.created_at >= w.start)
        & (m.created_at < w.end)
        & m.kind.isin(["post", "reply", "quote"])
    )


def _conversation_share(scope: TeamScope, out: CommunityMetrics) -> None:
    """Host messages that are replies over host messages of kind post, reply or quote."""
    own = host_speech(scope)
    counts = {r["kind"]: r["n"] for r in _rows(own.group_by("kind").aggregate(n=own.count()))}
    out.ratio(
        "conversation_share",
        counts.get("reply", 0),
        sum(counts.values()),
        "the host wrote nothing in the window",
    )


def _host_independence(m2m: list[dict[str, Any]], active: set[str], out: CommunityMetrics) -> None:
    """Active members in the largest connected component of the undirected member-only graph,
    over active members (members only spoken to link the graph but are not counted, so the
    value stays within 0..1)."""
    if not active:
        out.values["host_independence"] = None
        out.reasons["host_independence"] = "no active members"
        return
    names = sorted(active | {e["target_key"] for e in m2m})
    index = {name: i for i, name in enumerate(names)}
    graph = igraph.Graph(
        n=len(names), edges=[(index[e["actor_key"]], index[e["target_key"]]) for e in m2m]
    )
    largest = max(
        sum(1 for v in c if names[v] in active) for c in graph.connected_components(mode="weak")
    )
    out.values["host_independence"] = largest / len(active)


def _newcomers(scope: TeamScope, out: CommunityMetrics) -> None:
    """Members whose first-ever message falls in the window: welcomed if anyone else replied to
    it within 48 h; returning if they interact again in a later ISO week within 30 days."""
    w, m, i = scope.window, scope.messages, scope.interactions
    members = m.filter(~m.author_key.isin(list(scope.host_keys)))
    first = members.group_by("author_key").aggregate(first_at=members.created_at.min())
    new = first.filter((first.first_at >= w.start) & (first.first_at < w.end))
    firsts = members.join(
        new,
        (members.author_key == new.author_key) & (members.created_at == new.first_at),
    ).select(author_key=members.author_key, message_key=members.message_key, at=members.created_at)
    replies = m.filter(m.kind == "reply").select(
        parent=m.parent_key, by=m.author_key, at_reply=m.created_at
    )
    welcomed = firsts.join(replies, firsts.message_key == replies.parent).filter(
        lambda t: (
            (t.by != t.author_key)
            & (t.at_reply >= t.at)
            & (t.at_reply < t.at + ibis.interval(hours=48))
        )
    )
    newcomers = int(new.count().execute())
    out.ratio(
        "newcomer_welcome_rate",
        int(welcomed.author_key.nunique().execute()),
        newcomers,
        "no newcomers in the window",
    )
    later = i.join(new, i.actor_key == new.author_key).filter(
        lambda t: (
            (t.created_at.truncate("W") > t.first_at.truncate("W"))
            & (t.created_at < t.first_at + ibis.interval(days=30))
        )
    )
    out.ratio(
        "newcomer_return_rate",
        int(later.actor_key.nunique().execute()),
        newcomers,
        "no newcomers in the window",
    )


def _slipping_away(scope: TeamScope, core_now: set[str], out: CommunityMetrics) -> None:
    """Members core in the previous window with no interaction in the last 30 days of this one."""
    w = scope.window
    previous = Window(w.start - (w.end - w.start), w.start)
    was_core, _ = _core(scope, previous)
    i = scope.interactions
    recent_start = max(w.end - timedelta(days=30), w.start)
    recent = i.filter((i.created_at >= recent_start) & (i.created_at < w.end))
    active_recently = set(recent.actor_key.to_pyarrow().to_pylist())
    gone = sorted(was_core - active_recently)
    last_seen = (
        _rows(
            i.filter(i.actor_key.isin(gone) & (i.created_at < w.end))
            .group_by("actor_key")
            .aggregate(last_seen=i.created_at.max())
        )
        if gone
        else []
    )
    seen = {r["actor_key"]: r["last_seen"] for r in last_seen}
    out.slipping_away = [
        {"account_key": key, "last_seen": seen.get(key), "core_now": key in core_now}
        for key in gone
    ]
    out.values["slipping_away"] = len(gone)
