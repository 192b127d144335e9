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
import numpy as np
import pyarrow as pa

from convivial.metrics.community import conversational, first_messages
from convivial.metrics.scope import Scope, table_rows
from convivial.rows import Rows

__all__ = ["LOVE_WEIGHTS", "MemberList", "levels", "member_lists", "percentiles"]

LOVE_WEIGHTS = {"reply": 6, "quote": 5, "mention": 4, "share": 3, "like": 1, "follow": 1}
MONTH_DAYS = 30
TOP = 10


@dataclass(frozen=True)
class MemberList:
    """The lists of the Members section."""

    members: Rows
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


def member_lists(scope: Scope, active: dict[str, set[str]]) -> dict[str, MemberList]:
    """Love, levels and advocates of each team's active members (`active`: team -> keys)."""
    love = _per_team_member(_love(scope, active))
    in_window = _per_team_member(_interaction_counts(scope))
    parts = {name: _per_team_member(rows) for name, rows in _advocate_parts(scope).items()}
    followers = _per_team_member(_followers(scope))
    return {
        team: _team_lists(
            keys,
            {k: love.get(team, {}).get(k, 0.0) for k in keys},
            in_window.get(team, {}),
            {
                name: {k: float(p.get(team, {}).get(k, 0)) for k in keys}
                for name, p in parts.items()
            },
            {k: v for k, v in followers.get(team, {}).items() if k in keys},
        )
        for team, keys in active.items()
    }


def _team_lists(
    active: set[str],
    love: dict[str, float],
    interactions: dict[str, int],
    components: dict[str, dict[str, float]],
    followers: dict[str, int],
) -> MemberList:
    level = levels(love, interactions)
    scores = {name: percentiles(values) for name, values in components.items()}
    value = {k: sum(s[k] for s in scores.values()) / len(scores) for k in active}
    order = sorted(active, key=lambda k: (-value[k], k))
    members = Rows.of(
        {
            "account_key": order,
            "love": [round(love[k], 6) for k in order],
            "level": [level[k] for k in order],
            "community_value": [round(value[k], 6) for k in order],
            **{name: [components[name][k] for k in order] for name in components},
            "followers": pa.array([followers.get(k) for k in order], pa.int64()),
        }
    )
    advocates = members[:TOP]
    by_followers = sorted(followers, key=lambda k: (-followers[k], k))[:TOP]
    position = {k: i for i, k in enumerate(order)}
    top_followed = [members[position[k]] for k in by_followers]
    overlap = len({m["account_key"] for m in advocates} & set(by_followers))
    return MemberList(members, advocates, top_followed, overlap)


def _per_team_member(rows: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {}
    for r in rows:
        out.setdefault(r["team"], {})[r["key"]] = r["value"]
    return out


def _love(scope: Scope, active: dict[str, set[str]]) -> list[dict[str, Any]]:
    """Each active member's love (the others' is never read). The engine sums the whole weights
    per month of age; the decay is applied here, over the rows in one order (team, member,
    oldest month first), so that every engine gives the same float to the last bit and members
    tied in love stay tied."""
    end = scope.window.end
    pairs = [(team, key) for team, keys in active.items() for key in sorted(keys)]
    members = ibis.memtable(
        {"a_team": [t for t, _ in pairs], "a_key": [k for _, k in pairs]},
        schema={"a_team": "string", "a_key": "string"},
    )
    i = scope.interactions
    i = i.join(members, (i.team == members.a_team) & (i.actor_key == members.a_key))
    mine = i.filter(~i.actor_is_host & (i.created_at < end))
    weight = ibis.cases(*((mine.kind == k, w) for k, w in LOVE_WEIGHTS.items()), else_=0)
    days = (ibis.literal(end).epoch_seconds() - mine.created_at.epoch_seconds()) // 86400
    aged = mine.mutate(weight=weight, months=(days // MONTH_DAYS).cast("int64"))
    monthly = (
        aged.group_by(["team", aged.actor_key.name("key"), "months"])
        .aggregate(weights=aged.weight.sum().cast("int64"))
        .to_pyarrow()
    )
    ordered = monthly.sort_by(
        [("team", "ascending"), ("key", "ascending"), ("months", "descending")]
    )
    months = ordered["months"].to_numpy()
    scores = ordered["weights"].to_numpy() * np.power(0.9, months)
    summed = (
        ordered.select(["team", "key"])
        .append_column("score", pa.array(scores))
        .group_by(["team", "key"], use_threads=False)
        .aggregate([("score", "sum")])
    )
    return [
        {"team": team, "key": key, "value": value}
        for team, key, value in zip(
            summed["team"].to_pylist(),
            summed["key"].to_pylist(),
            summed["score_sum"].to_pylist(),
            strict=True,
        )
    ]


def _interaction_counts(scope: Scope) -> list[dict[str, Any]]:
    mine = scope.within(scope.interactions)
    mine = mine.filter(~mine.actor_is_host)
    return table_rows(
        mine.group_by(["team", mine.actor_key.name("key")]).aggregate(value=mine.count())
    )


def _advocate_parts(scope: Scope) -> dict[str, list[dict[str, Any]]]:
    conv = conversational(scope)
    m2m = conv.filter(~conv.actor_is_host & ~conv.target_is_host)
    by_member = m2m.group_by(["team", m2m.actor_key.name("key")])
    return {
        "member_interactions": table_rows(by_member.aggregate(value=m2m.count())),
        "answers": _answers(scope),
        "newcomers_welcomed": _welcomes(scope),
        "members_reached": table_rows(by_member.aggregate(value=m2m.target_key.nunique())),
    }


def _answers(scope: Scope) -> list[dict[str, Any]]:
    """Replies in the window by members to other members' messages that ask a question
    (`text.requests`)."""
    m = scope.messages
    questions = m.filter(~m.author_is_host & m.question).select(
        q_team=m.team, q_key=m.message_key, asker=m.author_key
    )
    replies = scope.within(m)
    replies = replies.filter(~replies.author_is_host & (replies.kind == "reply"))
    joined = replies.join(
        questions, (replies.parent_key == questions.q_key) & (replies.team == questions.q_team)
    )
    joined = joined.filter(joined.author_key != joined.asker)
    return table_rows(
        joined.group_by(["team", joined.author_key.name("key")]).aggregate(value=joined.count())
    )


def _welcomes(scope: Scope) -> list[dict[str, Any]]:
    """Members who wrote the first reply to another member's first-ever message, in the window."""
    w, m = scope.window, scope.messages
    members = m.filter(~m.author_is_host)
    first_at = first_messages(scope)
    firsts = members.join(
        first_at,
        (members.team == first_at.team)
        & (members.author_key == first_at.author_key)
        & (members.created_at == first_at.first_at),
    ).select(first_team=members.team, first_key=members.message_key, newcomer=members.author_key)
    replies = members.filter((members.kind == "reply") & members.parent_key.isin(firsts.first_key))
    first_reply = replies.group_by(["team", "parent_key"]).aggregate(
        welcomer=replies.author_key.argmin(replies.created_at), at=replies.created_at.min()
    )
    first_reply = first_reply.join(
        firsts,
        (first_reply.parent_key == firsts.first_key) & (first_reply.team == firsts.first_team),
    )
    counted = first_reply.filter(
        (first_reply.welcomer != first_reply.newcomer)
        & (first_reply.at >= w.start)
        & (first_reply.at < w.end)
    )
    return table_rows(
        counted.group_by(["team", counted.welcomer.name("key")]).aggregate(value=counted.count())
    )


def _followers(scope: Scope) -> list[dict[str, Any]]:
    """Follower counts on the profiles of each team's active members."""
    conv = conversational(scope)
    actors = conv.filter(~conv.actor_is_host).select("team", key="actor_key").distinct()
    accounts = scope.accounts.filter(scope.accounts.followers.notnull())
    joined = actors.join(accounts, actors.key == accounts.account_key)
    return table_rows(joined.select("team", "key", value=joined.followers))
