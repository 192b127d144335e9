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
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

import ibis
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from convivial.audit.model import classify
from convivial.metrics.scope import Scope
from convivial.rows import Rows

__all__ = ["MIN_SPIKE", "AudienceResult", "audience_metrics"]

MIN_SPIKE = 20
LATER = timedelta(days=7)
MAD_FACTOR = 5.0
PROFILE = (
    "account_id",
    "platform",
    "handle",
    "display_name",
    "followers",
    "following",
    "posts",
    "listed",
    "bio",
    "profile_url",
    "default_avatar",
    "created_at",
    "last_post_at",
)
"""The profile fields the audit reads (`audit.features`)."""
AUDIENCE_KEYS = ("fake_share", "dormant_share", "reachable_followers", "engaged_followers")
LISTED = ("account_id", "account_key", "handle", "class", "score", "doubtful", "followed_at")
"""The columns of the `followers` list."""


@dataclass
class AudienceResult:
    """One team's audience metrics and lists."""

    values: dict[str, float | int | None] = field(default_factory=dict)
    followers: Rows | list[dict[str, Any]] = field(default_factory=list)
    spikes: list[dict[str, Any]] = field(default_factory=list)
    daily_gains: list[dict[str, Any]] = field(default_factory=list)


def audience_metrics(scope: Scope) -> dict[str, AudienceResult]:
    """Per team: the audience keys, every follower's class, the spikes and daily gains."""
    classified = _classified(_followers(scope).to_pyarrow(), scope)
    out = {}
    for team in scope.teams:
        out[team] = result = AudienceResult()
        if team in classified:
            _team(result, classified[team])
        else:
            result.values.update(dict.fromkeys(AUDIENCE_KEYS))
    return out


def _followers(scope: Scope) -> Any:
    """Each team's followers, each once, from its first follow (of any host account), with its
    profile, whether it interacted in the window (`engaged`), and its latest interaction at any
    time (`last_acted`); a follow is no interaction."""
    f, a = scope.follows, scope.accounts
    firsts = f.group_by(["team", "follower_key"]).aggregate(followed_at=f.followed_at.min())
    profiles = firsts.join(a, firsts.follower_key == a.account_key).select(
        "team", "follower_key", "followed_at", *(a[c] for c in PROFILE)
    )
    acts = scope.interactions.filter(scope.interactions.kind != "follow")
    recent = scope.within(acts)
    engaged = recent.select(e_team="team", e_key="actor_key", e=ibis.literal(True)).distinct()
    last = acts.group_by(l_team=acts.team, l_key=acts.actor_key).aggregate(
        last_acted=acts.created_at.max()
    )
    joined = profiles.left_join(
        engaged, (profiles.team == engaged.e_team) & (profiles.follower_key == engaged.e_key)
    )
    joined = joined.left_join(
        last, (joined.team == last.l_team) & (joined.follower_key == last.l_key)
    )
    return joined.select(
        *profiles.columns, engaged=joined.e.notnull(), last_acted=joined.last_acted
    )


def _classified(table: pa.Table, scope: Scope) -> dict[str, pa.Table]:
    """The followers with the audit's class, score and doubt, by team."""
    audit = classify(table.select(list(PROFILE)), scope.window.end)
    followed_at, last_acted = (
        pc.cast(table[c], pa.timestamp("us")) for c in ("followed_at", "last_acted")
    )
    later = pc.greater_equal(last_acted, pc.add(followed_at, pa.scalar(LATER, pa.duration("us"))))
    done = pa.table(
        {
            "team": table["team"],
            "account_id": table["account_id"],
            "account_key": table["follower_key"],
            "handle": table["handle"],
            "class": pa.array(audit.classes, pa.string()),
            "score": pa.array(_rounded(audit.fake_probability), pa.float64()),
            "doubtful": pa.array(audit.doubtful, pa.bool_()),
            "followed_at": followed_at,
            "engaged": table["engaged"],
            "later": pc.fill_null(later, False),
        }
    )
    return {
        team: done.filter(pc.equal(done["team"], team))
        for team in pc.unique(done["team"]).to_pylist()
    }


def _rounded(p: np.ndarray) -> np.ndarray:
    """`p` to 4 decimals as `round` gives it (the nearest, ties to even): in NumPy, and with
    `round` where the scaled value is within rounding error of a tie."""
    scaled = p * 10_000
    out: np.ndarray = np.rint(scaled) / 10_000
    tie = np.flatnonzero(np.abs(scaled - np.floor(scaled) - 0.5) < 1e-6)
    out[tie] = [round(v, 4) for v in p[tie].tolist()]
    return out


def _team(result: AudienceResult, followers: pa.Table) -> None:
    n = followers.num_rows
    classes = followers["class"]
    fake = pc.sum(pc.equal(classes, "fake")).as_py() or 0
    dormant = pc.sum(pc.equal(classes, "dormant")).as_py() or 0
    engaged = pc.sum(followers["engaged"]).as_py() or 0
    result.values.update(
        {
            "fake_share": fake / n,
            "dormant_share": dormant / n,
            "reachable_followers": n - fake - dormant,
            "engaged_followers": engaged,
        }
    )
    ordered = followers.sort_by([("score", "descending"), ("account_key", "ascending")])
    result.followers = Rows(ordered.select(list(LISTED)))
    _spikes(result, _cohorts(followers))


def _cohorts(followers: pa.Table) -> dict[date, tuple[int, int, int]]:
    """Per day of following: (new followers, of them active a week or more after following,
    of them fake)."""
    dated = followers.filter(pc.is_valid(followers["followed_at"]))
    days = pa.table(
        {
            "day": pc.cast(dated["followed_at"], pa.date32()),
            "later": pc.cast(dated["later"], pa.int64()),
            "fake": pc.cast(pc.equal(dated["class"], "fake"), pa.int64()),
        }
    )
    summed = days.group_by("day").aggregate([("day", "count"), ("later", "sum"), ("fake", "sum")])
    return {
        day: (n, later, fake)
        for day, n, later, fake in zip(
            summed["day"].to_pylist(),
            summed["day_count"].to_pylist(),
            summed["later_sum"].to_pylist(),
            summed["fake_sum"].to_pylist(),
            strict=True,
        )
    }


def _spikes(result: AudienceResult, cohorts: dict[date, tuple[int, int, int]]) -> None:
    if not cohorts:
        return
    first, last = min(cohorts), max(cohorts)
    gains = {first.fromordinal(d): 0 for d in range(first.toordinal(), last.toordinal() + 1)}
    for day, (n, _, _) in cohorts.items():
        gains[day] = n
    counts = list(gains.values())
    median = statistics.median(counts)
    mad = statistics.median(abs(c - median) for c in counts)
    spike_days = {d for d, c in gains.items() if c > median + MAD_FACTOR * mad and c >= MIN_SPIKE}
    result.daily_gains = [{"day": d, "new_followers": c} for d, c in sorted(gains.items())]

    def shares(days: list[date]) -> tuple[float | None, float | None]:
        n = sum(cohorts[d][0] for d in days)
        if not n:
            return None, None
        return sum(cohorts[d][1] for d in days) / n, sum(cohorts[d][2] for d in days) / n

    organic_engaged, organic_fake = shares([d for d in cohorts if d not in spike_days])
    for day in sorted(spike_days):
        engaged, fake = shares([day])
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
