"""What draws attention, from a page's post-level Insights (`post_insights`, the
facebook-insights source), per team over the whole export (it has no dates to window).

Per post type, and per paid or organic: posts, and the mean per post of people reached, engaged
users, post consumers (people who clicked anywhere in the post) and interactions (comments +
likes + shares). `attention_lead`: the type with most consumers per post, and its consumers per
post ÷ those of all the other posts together, when it has at least `MIN_POSTS` posts.
`paid_vs_organic`: paid posts' reach and engaged users per post, each ÷ organic posts'.
"""

from __future__ import annotations

from typing import Any

from convivial.metrics.scope import table_rows

__all__ = ["MIN_POSTS", "post_insights"]

MIN_POSTS = 5


def post_insights(con: Any, teams: list[str]) -> dict[str, dict[str, Any]]:
    """Per team with Insights: `by_type`, `by_paid` (lists), `attention_lead` and
    `paid_vs_organic` (or None)."""
    p = con.table("post_insights")
    p = p.filter(p.team.isin(teams)).mutate(
        interactions=p.comments.fill_null(0) + p.likes.fill_null(0) + p.shares.fill_null(0),
        paid_or_not=p.paid.cases((True, "paid"), (False, "organic"), else_="not known"),
    )
    out: dict[str, dict[str, Any]] = {}
    for key, column in (("by_type", "post_type"), ("by_paid", "paid_or_not")):
        rows = table_rows(
            p.group_by(["team", p[column].name("group")])
            .aggregate(
                posts=p.count(),
                consumers=p.consumers.sum(),
                reach_per_post=p.reach.mean(),
                engaged_per_post=p.engaged_users.mean(),
                consumers_per_post=p.consumers.mean(),
                interactions_per_post=p.interactions.mean(),
            )
            .order_by(["team", "group"])
        )
        for r in rows:
            out.setdefault(r["team"], {"by_type": [], "by_paid": []})[key].append(r)
    for found in out.values():
        found["attention_lead"] = _lead(found["by_type"])
        found["paid_vs_organic"] = _paid_vs_organic(found["by_paid"])
        for rows in (found["by_type"], found["by_paid"]):
            for r in rows:
                r.pop("team")
                r.pop("consumers")
    return out


def _paid_vs_organic(by_paid: list[dict[str, Any]]) -> dict[str, float] | None:
    """Paid posts' reach and engaged users per post, each ÷ organic posts'."""
    groups = {r["group"]: r for r in by_paid}
    paid, organic = groups.get("paid"), groups.get("organic")
    if not paid or not organic or not organic["reach_per_post"] or not organic["engaged_per_post"]:
        return None
    return {
        "reach_ratio": paid["reach_per_post"] / organic["reach_per_post"],
        "engaged_ratio": paid["engaged_per_post"] / organic["engaged_per_post"],
    }


def _lead(by_type: list[dict[str, Any]]) -> dict[str, Any] | None:
    known = [r for r in by_type if r["consumers_per_post"] is not None]
    candidates = [r for r in known if r["posts"] >= MIN_POSTS]
    if len(known) < 2 or not candidates:
        return None
    best = max(candidates, key=lambda r: r["consumers_per_post"])
    others = [r for r in known if r is not best]
    posts = sum(r["posts"] for r in others)
    rest = sum(r["consumers"] or 0 for r in others) / posts if posts else 0.0
    return {
        "post_type": best["group"],
        "consumers_per_post": best["consumers_per_post"],
        "others_consumers_per_post": rest,
        "ratio": best["consumers_per_post"] / rest if rest else None,
    }
