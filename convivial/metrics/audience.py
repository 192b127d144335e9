"""Audience: the followers you can't sell to (METRICS.md, "Audience"), per team.

- followers: accounts that follow one of the team's host accounts (the `followers` key is
  counted in `counts`; each follower once, from its first follow);
- `fake_share`, `dormant_share`: of them, those the audit model calls fake, or dormant (no post
  in 90 days before the window's end, or never posted) (`audit.model`; fake wins over dormant);
- `reachable_followers` = followers - fake - dormant;
- `engaged_followers`: followers with any interaction in the window (a like, reply, mention,
  share or quote; following is not one);
- the funnel followers → reachable → engaged → core members, for the report to draw;
- **spikes**: days whose new followers exceed the median + 5 MAD of the team's daily gains and
  number at least 20; each spike's cohort beside the organic cohorts (followers gained on other
  days): the share that interacted (a follow is no interaction) a week or more after following
  (later engagement: a giveaway entry on the day does not count), and the share the audit
  calls fake;
- `followers` list: every follower with `account_id`, `class` and `score` (probability of fake).
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from convivial.audit.model import classify
from convivial.metrics.scope import Scope, table_rows

__all__ = ["MIN_SPIKE", "AudienceResult", "audience_metrics"]

MIN_SPIKE = 20
LATER = timedelta(days=7)
MAD_FACTOR = 5.0


@dataclass
class AudienceResult:
    """One team's audience metrics and lists."""

    values: dict[str, float | int | None] = field(default_factory=dict)
    followers: list[dict[str, Any]] = field(default_factory=list)
    spikes: list[dict[str, Any]] = field(default_factory=list)
    daily_gains: list[dict[str, Any]] = field(default_factory=list)


def audience_metrics(scope: Scope) -> dict[str, AudienceResult]:
    """Per team: the audience keys, every follower's class, the spikes and daily gains."""
    out = {team: AudienceResult() for team in scope.teams}
    f, a = scope.follows, scope.accounts
    profiles = f.join(a, f.follower_key == a.account_key).select(
        "team",
        "follower_key",
        "followed_at",
        a.account_id,
        a.platform,
        a.handle,
        a.display_name,
        a.followers,
        a.following,
        a.posts,
        a.listed,
        a.bio,
        a.profile_url,
        a.default_avatar,
        a.created_at,
        a.last_post_at,
    )
    rows = table_rows(profiles)
    firsts: dict[tuple[str, str], dict[str, Any]] = {}
    for r in rows:  # a follower of several host accounts counts once, from its first follow
        key = (r["team"], r["follower_key"])
        known = firsts.get(key)
        if known is None or _earlier(r["followed_at"], known["followed_at"]):
            firsts[key] = r
    by_team: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for r in firsts.values():
        by_team[r["team"]].append(r)
    engaged = _engaged(scope)
    acting = _acted_after_following(scope)
    for team, result in out.items():
        _team(result, by_team.get(team, []), engaged.get(team, set()), acting, scope, team)
    return out


def _team(
    result: AudienceResult,
    followers: list[dict[str, Any]],
    engaged: set[str],
    acting: dict[tuple[str, str], Any],
    scope: Scope,
    team: str,
) -> None:
    audit = classify(followers, scope.window.end)
    n = len(followers)
    engaged_count = sum(r["follower_key"] in engaged for r in followers)
    fake = audit.classes.count("fake")
    dormant = audit.classes.count("dormant")
    result.values.update(
        {
            "fake_share": fake / n if n else None,
            "dormant_share": dormant / n if n else None,
            "reachable_followers": n - fake - dormant if n else None,
            "engaged_followers": engaged_count if n else None,
        }
    )
    result.followers = [
        {
            "account_id": r["account_id"],
            "account_key": r["follower_key"],
            "handle": r["handle"],
            "class": cls,
            "score": round(float(p), 4),
            "doubtful": bool(odd),
            "followed_at": r["followed_at"],
        }
        for r, cls, p, odd in zip(
            followers, audit.classes, audit.fake_probability, audit.doubtful, strict=True
        )
    ]
    result.followers.sort(key=lambda x: (-x["score"], x["account_key"]))
    _spikes(result, acting, team)


def _spikes(result: AudienceResult, acting: dict[tuple[str, str], Any], team: str) -> None:
    cohorts: dict[date, list[dict[str, Any]]] = defaultdict(list)
    for r in result.followers:
        if r["followed_at"] is not None:
            cohorts[r["followed_at"].date()].append(r)
    if not cohorts:
        return
    first, last = min(cohorts), max(cohorts)
    gains = {first.fromordinal(d): 0 for d in range(first.toordinal(), last.toordinal() + 1)}
    for day, members in cohorts.items():
        gains[day] = len(members)
    counts = list(gains.values())
    median = statistics.median(counts)
    mad = statistics.median(abs(c - median) for c in counts)
    spike_days = {d for d, c in gains.items() if c > median + MAD_FACTOR * mad and c >= MIN_SPIKE}
    result.daily_gains = [{"day": d, "new_followers": c} for d, c in sorted(gains.items())]

    def engagement(members: list[dict[str, Any]]) -> tuple[float | None, float | None]:
        if not members:
            return None, None
        active = sum(
            1
            for m in members
            if (after := acting.get((team, m["account_key"]))) is not None
            and after >= m["followed_at"] + LATER
        )
        fakes = sum(m["class"] == "fake" for m in members)
        return active / len(members), fakes / len(members)

    organic = [m for d, ms in cohorts.items() if d not in spike_days for m in ms]
    organic_engaged, organic_fake = engagement(organic)
    for day in sorted(spike_days):
        engaged, fake = engagement(cohorts[day])
        result.spikes.append(
            {
                "day": day,
                "new_followers": gains[day],
                "engaged_share": engaged,
                "fake_share": fake,
                "organic_engaged_share": organic_engaged,
                "organic_fake_share": organic_fake,
            }
        )
    result.values["follower_spikes"] = len(result.spikes)


def _engaged(scope: Scope) -> dict[str, set[str]]:
    i = scope.within(scope.interactions)
    i = i.filter(i.kind != "follow")
    rows = table_rows(i.select("team", "actor_key").distinct())
    out: dict[str, set[str]] = defaultdict(set)
    for r in rows:
        out[r["team"]].add(r["actor_key"])
    return out


def _acted_after_following(scope: Scope) -> dict[tuple[str, str], Any]:
    """(team, account) → the time of its latest interaction (a follow is none), at any time."""
    i = scope.interactions
    i = i.filter(i.kind != "follow")
    rows = table_rows(i.group_by(["team", "actor_key"]).aggregate(last=i.created_at.max()))
    return {(r["team"], r["actor_key"]): r["last"] for r in rows}


def _earlier(a: Any, b: Any) -> bool:
    return b is None or (a is not None and a < b)
