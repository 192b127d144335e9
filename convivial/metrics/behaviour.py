"""Host behaviour: give before you ask (METRICS.md, "Host behaviour"), per team over the window.

- Each host message is **give**, **ask** or **other**, the first that holds of:
  a message whose text asks (`text.asks`: promotion, or a call to act for the business) is
  ask, even when it also gives or deflects; a reply (or a post written to an @handle) that
  deflects (`text.deflection`) is other; a reply to a message that is not the team's own, or a
  share or quote of one (a member's, or one not in the data), is give, even when it only
  apologises, holds or asks for details; a post of the team's own that is written to someone,
  or shares something the audience can use (not small talk or personal status, `text.giving`),
  is give; anything else (small talk, replies in the team's own threads) is other.
- `give_ask_ratio` = gives ÷ max(asks, 1); `gives_before_ask` = the median, over the window's
  asks, of the gives in the 14 days before each (reaching before the window's start for its
  first asks); `lonely_asks` lists the asks with none.
- `repetition_share`: host top-level posts that nearly duplicate an earlier host post of the
  window (`text.duplicates`: MinHash over word 5-shingles, estimated Jaccard ≥ 0.8) ÷ host
  top-level posts; `repeated` lists each group of near-duplicates. Replies are exempt.
- Engagement of a message: likes + shares + replies, each the larger of the platform's count
  and what the data holds (like interactions on it; shares, quotes and replies of it by others).
- `cadence`: per platform and ISO week, host top-level posts and engagement per post; a week is
  flagged when posting rose from the week before and engagement per post fell.
- `channel_fit`: per platform, its share of the members' messages beside its share of the host's
  messages; flagged `over-posted` when the host's share is at least twice the members',
  `under-served` the reverse.
- `post_types`: per platform, kind and class of the host's top-level content (posts, shares,
  quotes): how many, engagement per post, and member-to-member replies under them per post;
  `best_post_type`: of those with at least 5 posts, the one with most engagement per post.
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

import ibis
import numpy as np

from convivial.metrics.scope import Scope, table_rows
from convivial.metrics.window import Window
from convivial.text.duplicates import earlier_duplicates

__all__ = ["BEFORE_ASK", "BehaviourResult", "behaviour_metrics", "host_classes"]

BEFORE_ASK = timedelta(days=14)
FIT_FACTOR = 2.0
EXCERPT_CHARS = 160
TOP_LEVEL = ("post", "share", "quote")
MIN_POSTS_COMPARED = 5
"""Post types with fewer posts are not compared for what draws the most response."""


@dataclass
class BehaviourResult:
    """One team's behaviour metrics and the lists the report shows."""

    values: dict[str, float | int | None] = field(default_factory=dict)
    weekly: list[dict[str, Any]] = field(default_factory=list)
    lonely_asks: list[dict[str, Any]] = field(default_factory=list)
    repeated: list[dict[str, Any]] = field(default_factory=list)
    cadence: list[dict[str, Any]] = field(default_factory=list)
    channel_fit: list[dict[str, Any]] = field(default_factory=list)
    post_types: list[dict[str, Any]] = field(default_factory=list)
    best_post_type: dict[str, Any] | None = None


def behaviour_metrics(scope: Scope) -> dict[str, BehaviourResult]:
    """Per team: the behaviour keys and lists."""
    out = {team: BehaviourResult() for team in scope.teams}
    classes = host_classes(scope)
    w = scope.window
    reach = Window(w.start - BEFORE_ASK, w.end)
    before = host_classes(scope, reach)  # gives before early asks
    rows = table_rows(
        before.select("team", "message_key", "created_at", "behaviour", "platform").order_by(
            ["created_at", "message_key"]
        )
    )
    by_team: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for r in rows:
        by_team[r["team"]].append(r)
    texts = _texts(scope, [r["message_key"] for r in rows if r["behaviour"] == "ask"], reach)
    for team, result in out.items():
        _give_and_ask(by_team.get(team, []), texts, result, w.start)
    for team, listed in _top_level_posts(scope).items():
        _repetition(listed, out[team])
    engaged = _engagement(scope, classes)
    for team, result in out.items():
        _cadence([r for r in engaged if r["team"] == team and r["kind"] == "post"], result)
        result.post_types = _post_types([r for r in engaged if r["team"] == team])
        compared = [t for t in result.post_types if t["posts"] >= MIN_POSTS_COMPARED]
        if compared:
            result.best_post_type = max(compared, key=lambda t: t["engagement_per_post"])
    for team, fit in _channel_fit(scope).items():
        out[team].channel_fit = fit
    return out


def host_classes(scope: Scope, window: Window | None = None) -> Any:
    """The host messages of the window (or of `window`), the scope's columns, with their
    `behaviour`: give, ask or other."""
    m = scope.messages
    parents = m.select(p_team="team", p_key="message_key", p_host="author_is_host")
    host = scope.within(m, window=window).filter(m.author_is_host)
    joined = host.left_join(
        parents, (host.parent_key == parents.p_key) & (host.team == parents.p_team)
    )
    not_own = ~joined.p_host.fill_null(False)
    top_level = (joined.kind == "post") & joined.parent_key.isnull()
    answering = (joined.kind == "reply") | (top_level & joined.addressed)
    behaviour = ibis.cases(
        (joined.ask, "ask"),
        (answering & joined.deflection, "other"),
        ((joined.kind == "reply") & joined.parent_key.notnull() & not_own, "give"),
        (joined.kind.isin(["share", "quote"]) & not_own, "give"),
        (top_level & (joined.addressed | ~joined.chatter), "give"),
        else_="other",
    )
    return joined.mutate(behaviour=behaviour).drop("p_team", "p_key", "p_host")


def _give_and_ask(
    rows: list[dict[str, Any]], texts: dict[str, str], result: BehaviourResult, start: datetime
) -> None:
    """The window's gives and asks (`rows` reach 14 days further back, for the gives that came
    before the window's first asks)."""
    give_times = np.array(
        [r["created_at"] for r in rows if r["behaviour"] == "give"], dtype="datetime64[us]"
    )
    rows = [r for r in rows if r["created_at"] >= start]
    gives = [r["created_at"] for r in rows if r["behaviour"] == "give"]
    asks = [r for r in rows if r["behaviour"] == "ask"]
    result.values["host_gives"] = len(gives)
    result.values["host_asks"] = len(asks)
    result.values["give_ask_ratio"] = len(gives) / max(len(asks), 1)
    before = []
    for a in asks:
        at = np.datetime64(a["created_at"], "us")
        since = np.datetime64(a["created_at"] - BEFORE_ASK, "us")
        count = int(np.searchsorted(give_times, at) - np.searchsorted(give_times, since))
        before.append(count)
        if count == 0:
            result.lonely_asks.append(
                {
                    "message_key": a["message_key"],
                    "created_at": a["created_at"],
                    "platform": a["platform"],
                    "text": texts.get(a["message_key"], ""),
                }
            )
    result.values["gives_before_ask"] = float(statistics.median(before)) if before else None
    weeks: dict[Any, list[int]] = defaultdict(lambda: [0, 0])
    for r in rows:
        week = r["created_at"].date() - timedelta(days=r["created_at"].weekday())
        if r["behaviour"] in ("give", "ask"):
            weeks[week][r["behaviour"] == "ask"] += 1
    result.weekly = [
        {"week": week, "gives": g, "asks": a, "give_ask_ratio": g / max(a, 1)}
        for week, (g, a) in sorted(weeks.items())
    ]


def _top_level_posts(scope: Scope) -> dict[str, list[dict[str, Any]]]:
    m = scope.within(scope.messages)
    posts = m.filter(m.author_is_host & (m.kind == "post"))
    t = scope.texts
    joined = posts.left_join(t, posts.message_key == t.message_key)
    rows = table_rows(
        joined.select("team", posts.message_key, "created_at", "platform", "text").order_by(
            ["created_at", posts.message_key]
        )
    )
    out: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for r in rows:
        out[r["team"]].append(r)
    return out


def _repetition(posts: list[dict[str, Any]], result: BehaviourResult) -> None:
    """`repetition_share` and the groups of near-duplicate posts (a post joins the group of
    the earliest post it nearly duplicates, through that post's own group)."""
    earlier = earlier_duplicates([p["text"] for p in posts])
    group: list[int] = []
    for i, j in enumerate(earlier):
        group.append(i if j is None else group[j])
    members: dict[int, list[int]] = defaultdict(list)
    for i, g in enumerate(group):
        members[g].append(i)
    repeats = sum(j is not None for j in earlier)
    result.values["host_posts"] = len(posts)
    result.values["repeated_posts"] = repeats
    result.values["repetition_share"] = repeats / len(posts) if posts else None
    clusters = [ids for ids in members.values() if len(ids) > 1]
    clusters.sort(key=lambda ids: (-len(ids), ids[0]))
    result.repeated = [
        {
            "posts": len(ids),
            "first_at": posts[ids[0]]["created_at"],
            "last_at": posts[ids[-1]]["created_at"],
            "platforms": sorted({posts[i]["platform"] for i in ids}),
            "message_keys": [posts[i]["message_key"] for i in ids],
            "texts": [(posts[i]["text"] or "")[:EXCERPT_CHARS] for i in ids[:3]],
        }
        for ids in clusters
    ]


def _engagement(scope: Scope, classes: Any) -> list[dict[str, Any]]:
    """The window's top-level host content with its engagement and the member-to-member
    replies under it."""
    top = classes.filter(classes.kind.isin(list(TOP_LEVEL)))
    m, i = scope.messages, scope.interactions
    others = m.filter(m.parent_key.notnull() & ~m.author_is_host).select(
        o_team="team", o_parent="parent_key", o_kind="kind"
    )
    responses = others.group_by(["o_team", "o_parent"]).aggregate(
        seen_replies=others.count(where=others.o_kind == "reply"),
        seen_shares=others.count(where=others.o_kind.isin(["share", "quote"])),
    )
    liked = i.filter((i.kind == "like") & i.message_key.notnull())
    likes = liked.group_by(l_team="team", l_key="message_key").aggregate(seen_likes=liked.count())
    replies = m.filter((m.kind == "reply") & ~m.author_is_host & m.root_key.notnull())
    parents = m.select(q_team="team", q_key="message_key", q_host="author_is_host")
    between = replies.join(
        parents, (replies.parent_key == parents.q_key) & (replies.team == parents.q_team)
    ).filter(lambda t: ~t.q_host)
    under = between.group_by(u_team="team", u_root="root_key").aggregate(m2m=between.count())
    joined = (
        top.left_join(
            responses, (top.message_key == responses.o_parent) & (top.team == responses.o_team)
        )
        .left_join(likes, (top.message_key == likes.l_key) & (top.team == likes.l_team))
        .left_join(under, (top.message_key == under.u_root) & (top.team == under.u_team))
    )
    engagement = (
        ibis.greatest(joined.likes.fill_null(0), joined.seen_likes.fill_null(0))
        + ibis.greatest(joined.shares.fill_null(0), joined.seen_shares.fill_null(0))
        + ibis.greatest(joined.replies.fill_null(0), joined.seen_replies.fill_null(0))
    )
    return table_rows(
        joined.select(
            "team",
            "platform",
            "kind",
            "behaviour",
            "created_at",
            engagement=engagement,
            m2m=joined.m2m.fill_null(0),
        )
    )


def _cadence(posts: list[dict[str, Any]], result: BehaviourResult) -> None:
    weeks: dict[tuple[str, Any], list[int]] = defaultdict(lambda: [0, 0])
    for p in posts:
        week = p["created_at"].date() - timedelta(days=p["created_at"].weekday())
        weeks[(p["platform"], week)][0] += 1
        weeks[(p["platform"], week)][1] += int(p["engagement"])
    rows = []
    last: dict[str, tuple[Any, int, float]] = {}
    for (platform, week), (count, engaged) in sorted(weeks.items()):
        per_post = engaged / count
        before = last.get(platform)
        flagged = (
            before is not None
            and (week - before[0]).days == 7
            and count > before[1]
            and per_post < before[2]
        )
        rows.append(
            {
                "platform": platform,
                "week": week,
                "posts": count,
                "engagement_per_post": per_post,
                "posting_up_engagement_down": flagged,
            }
        )
        last[platform] = (week, count, per_post)
    result.cadence = rows
    result.values["cadence_flagged_weeks"] = sum(r["posting_up_engagement_down"] for r in rows)


def _post_types(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    groups: dict[tuple[str, str, str], list[dict[str, Any]]] = defaultdict(list)
    for r in rows:
        groups[(r["platform"], r["kind"], r["behaviour"])].append(r)
    out: list[dict[str, Any]] = [
        {
            "platform": platform,
            "kind": kind,
            "behaviour": behaviour,
            "posts": len(items),
            "engagement_per_post": sum(int(r["engagement"]) for r in items) / len(items),
            "member_replies_to_members_per_post": sum(int(r["m2m"]) for r in items) / len(items),
        }
        for (platform, kind, behaviour), items in groups.items()
    ]
    out.sort(
        key=lambda r: (
            str(r["platform"]),
            -float(r["engagement_per_post"]),
            str(r["kind"]),
            str(r["behaviour"]),
        )
    )
    return out


def _channel_fit(scope: Scope) -> dict[str, list[dict[str, Any]]]:
    m = scope.within(scope.messages)
    counted = table_rows(
        m.group_by(["team", "platform"]).aggregate(
            members=m.count(where=~m.author_is_host), host=m.count(where=m.author_is_host)
        )
    )
    by_team: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for r in counted:
        by_team[r["team"]].append(r)
    out: dict[str, list[dict[str, Any]]] = {}
    for team, rows in by_team.items():
        members = sum(int(r["members"]) for r in rows)
        host = sum(int(r["host"]) for r in rows)
        fit = []
        for r in sorted(rows, key=lambda r: r["platform"]):
            member_share = int(r["members"]) / members if members else 0.0
            host_share = int(r["host"]) / host if host else 0.0
            flag = None
            if host_share > 0 and host_share >= FIT_FACTOR * member_share:
                flag = "over-posted"
            elif member_share > 0 and member_share >= FIT_FACTOR * host_share:
                flag = "under-served"
            fit.append(
                {
                    "platform": r["platform"],
                    "member_share": member_share,
                    "host_share": host_share,
                    "flag": flag,
                }
            )
        out[team] = fit
    return out


def _texts(scope: Scope, keys: list[str], window: Window) -> dict[str, str]:
    """The excerpts of the messages `keys`, all written in `window`."""
    if not keys:
        return {}
    wanted = ibis.memtable({"w_key": keys})
    t = scope.within(scope.texts, window=window)
    found = table_rows(
        t.join(wanted, t.message_key == wanted.w_key).select(
            "message_key", text=t.text.substr(0, EXCERPT_CHARS)
        )
    )
    return {r["message_key"]: r["text"] or "" for r in found}
