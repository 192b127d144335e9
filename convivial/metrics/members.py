"""Members: love, levels and advocates (METRICS.md, "Members").

- `love` (Orbit model): the sum over a member's interactions as actor, up to the window's end, of
  weight(kind) x 0.9^(whole months ago), a month being 30 days before the window's end.
- levels among active members: 1 = top 10% of love, 2 = the next 25%, 3 = the rest with >= 2
  interactions in the window, 4 = one interaction only.
- advocates: members ranked by community value, never by follower count: conversational
  interactions with other members, replies to other members' questions (messages with a "?"),
  newcomers welcomed (the first reply to a member's first message), and distinct members
  reached, each as a mid-rank percentile among active members, averaged.
"""

from __future__ import annotations

import bisect
import math
from dataclasses import dataclass
from typing import Any

import ibis

from convivial.metrics.community import conversational
from convivial.metrics.scope import TeamScope

__all__ = ["LOVE_WEIGHTS", "MemberList", "levels", "member_lists", "percentiles"]

LOVE_WEIGHTS = {"reply": 6, "quote": 5, "mention": 4, "share": 3, "like": 1, "follow": 1}
MONTH_DAYS = 30
TOP = 10


@dataclass(frozen=True)
class MemberList:
    """The lists of the Members section."""

    members: list[dict[str, Any]]
    """Every active member: account, love, level and the four advocate components."""
    advocates: list[dict[str, Any]]
    top_followed: list[dict[str, Any]]
    overlap: int
    """How many of the top advocates are also among the most followed."""


def levels(love: dict[str, float], interactions: dict[str, int]) -> dict[str, int]:
    """Level of each active member (keys of `love`): 1 top 10%, 2 next 25%, 3 the rest with >= 2
    interactions, 4 one interaction only. Ties in love keep the better level."""
    ranked = sorted(love.values(), reverse=True)
    n = len(ranked)
    if not n:
        return {}
    top, next_ = math.ceil(0.10 * n), math.ceil(0.35 * n)
    level_1 = ranked[top - 1] if top else math.inf
    level_2 = ranked[next_ - 1] if next_ else math.inf
    out: dict[str, int] = {}
    for key, value in love.items():
        if value >= level_1:
            out[key] = 1
        elif value >= level_2:
            out[key] = 2
        else:
            out[key] = 3 if interactions.get(key, 0) >= 2 else 4
    return out


def percentiles(values: dict[str, float]) -> dict[str, float]:
    """Mid-rank percentile of each value: (number below + half the number equal) / n."""
    ordered = sorted(values.values())
    n = len(ordered)
    out = {}
    for key, value in values.items():
        below = _count_below(ordered, value)
        equal = _count_below(ordered, value, strict=False) - below
        out[key] = (below + equal / 2) / n
    return out


def _count_below(ordered: list[float], value: float, strict: bool = True) -> int:
    return bisect.bisect_left(ordered, value) if strict else bisect.bisect_right(ordered, value)


def _rows(expr: Any) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = expr.to_pyarrow().to_pylist()
    return rows


def member_lists(scope: TeamScope, active: set[str]) -> MemberList:
    """Love, levels and advocates of the window's active members."""
    if not active:
        return MemberList([], [], [], 0)
    love = _love(scope, active)
    in_window = _interaction_counts(scope, active)
    level = levels(love, in_window)
    components = _advocate_components(scope, active)
    scores = {name: percentiles(values) for name, values in components.items()}
    value = {k: sum(s[k] for s in scores.values()) / len(scores) for k in active}
    followers = _followers(scope, active)
    members = [
        {
            "account_key": k,
            "love": round(love[k], 6),
            "level": level[k],
            "community_value": round(value[k], 6),
            **{name: components[name][k] for name in components},
            "followers": followers.get(k),
        }
        for k in sorted(active, key=lambda k: (-value[k], k))
    ]
    advocates = members[:TOP]
    by_followers = sorted(followers, key=lambda k: (-followers[k], k))[:TOP]
    top_followed = [m for k in by_followers for m in members if m["account_key"] == k]
    overlap = len({m["account_key"] for m in advocates} & {m["account_key"] for m in top_followed})
    return MemberList(members, advocates, top_followed, overlap)


def _love(scope: TeamScope, active: set[str]) -> dict[str, float]:
    end = scope.window.end
    i = scope.interactions
    mine = i.filter(i.actor_key.isin(list(active)) & (i.created_at < end))
    weight = ibis.cases(*((mine.kind == k, w) for k, w in LOVE_WEIGHTS.items()), else_=0)
    days = (ibis.literal(end).epoch_seconds() - mine.created_at.epoch_seconds()) // 86400
    months = (days // MONTH_DAYS).cast("int64")
    scored = mine.mutate(score=weight * ibis.literal(0.9) ** months)
    rows = _rows(scored.group_by("actor_key").aggregate(love=scored.score.sum()))
    love = {k: 0.0 for k in active}
    love.update({r["actor_key"]: float(r["love"]) for r in rows})
    return love


def _interaction_counts(scope: TeamScope, active: set[str]) -> dict[str, int]:
    w, i = scope.window, scope.interactions
    mine = i.filter(
        i.actor_key.isin(list(active)) & (i.created_at >= w.start) & (i.created_at < w.end)
    )
    return {
        r["actor_key"]: r["n"] for r in _rows(mine.group_by("actor_key").aggregate(n=mine.count()))
    }


def _advocate_components(scope: TeamScope, active: set[str]) -> dict[str, dict[str, float]]:
    hosts = list(scope.host_keys)
    conv = conversational(scope, scope.window)
    m2m = conv.filter(~conv.actor_key.isin(hosts) & ~conv.target_key.isin(hosts))
    talk = _rows(
        m2m.group_by("actor_key").aggregate(n=m2m.count(), reached=m2m.target_key.nunique())
    )
    out: dict[str, dict[str, float]] = {
        "member_interactions": dict.fromkeys(active, 0.0),
        "answers": dict.fromkeys(active, 0.0),
        "newcomers_welcomed": dict.fromkeys(active, 0.0),
        "members_reached": dict.fromkeys(active, 0.0),
    }
    for r in talk:
        if r["actor_key"] in active:
            out["member_interactions"][r["actor_key"]] = float(r["n"])
            out["members_reached"][r["actor_key"]] = float(r["reached"])
    for key, n in _answers(scope).items():
        if key in active:
            out["answers"][key] = float(n)
    for key, n in _welcomes(scope).items():
        if key in active:
            out["newcomers_welcomed"][key] = float(n)
    return out


def _answers(scope: TeamScope) -> dict[str, int]:
    """Replies in the window by members to other members' messages that ask ("?")."""
    w, m = scope.window, scope.messages
    hosts = list(scope.host_keys)
    questions = m.filter(~m.author_key.isin(hosts) & m.text.contains("?")).select(
        q_key=m.message_key, asker=m.author_key
    )
    replies = m.filter(
        ~m.author_key.isin(hosts)
        & (m.kind == "reply")
        & (m.created_at >= w.start)
        & (m.created_at < w.end)
    )
    joined = replies.join(questions, replies.parent_key == questions.q_key)
    joined = joined.filter(joined.author_key != joined.asker)
    return {
        r["author_key"]: r["n"]
        for r in _rows(joined.group_by("author_key").aggregate(n=joined.count()))
    }


def _welcomes(scope: TeamScope) -> dict[str, int]:
    """Members who wrote the first reply to another member's first-ever message, in the window."""
    w, m = scope.window, scope.messages
    hosts = list(scope.host_keys)
    members = m.filter(~m.author_key.isin(hosts))
    first_at = members.group_by("author_key").aggregate(first_at=members.created_at.min())
    firsts = members.join(
        first_at,
        (members.author_key == first_at.author_key) & (members.created_at == first_at.first_at),
    ).select(first_key=members.message_key, newcomer=members.author_key)
    replies = members.filter((members.kind == "reply") & members.parent_key.isin(firsts.first_key))
    first_reply = replies.group_by("parent_key").aggregate(
        welcomer=replies.author_key.argmin(replies.created_at), at=replies.created_at.min()
    )
    first_reply = first_reply.join(firsts, first_reply.parent_key == firsts.first_key)
    counted = first_reply.filter(
        (first_reply.welcomer != first_reply.newcomer)
        & (first_reply.at >= w.start)
        & (first_reply.at < w.end)
    )
    return {
        r["welcomer"]: r["n"]
        for r in _rows(counted.group_by("welcomer").aggregate(n=counted.count()))
    }


def _followers(scope: TeamScope, active: set[str]) -> dict[str, int]:
    accounts = scope.accounts
    known = accounts.filter(accounts.account_key.isin(list(active)) & accounts.followers.notnull())
    return {
        r["account_key"]: r["followers"] for r in _rows(known.select("account_key", "followers"))
    }
