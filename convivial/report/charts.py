"""Charts as Vega-Lite specs, built with Altair from values a Report holds: the dashboard embeds
a spec and vega-embed draws it; the static reports draw the same spec as SVG (`svg`). Drawing
only: every number comes from the Report."""

from __future__ import annotations

from typing import Any

import altair as alt
import vl_convert
from markupsafe import Markup

from convivial.report.model import TeamReport
from convivial.report.wording import funnel_steps

__all__ = [
    "Spec",
    "cadence_spec",
    "funnel_spec",
    "gains_spec",
    "give_ask_spec",
    "network_spec",
    "sparkline_spec",
    "svg",
    "trend_spec",
]

Spec = dict[str, Any]

WIDTH = 520
GREEN, BLUE, AMBER, RED, GREY = "#1b7f3b", "#2455c3", "#a86b00", "#b3261e", "#8a8f98"

TREND_LINES = {
    "member_to_member_share": "members talking to each other",
    "listening_rate": "answered within 7 days",
    "conversation_share": "host messages that are replies",
}


def trend_spec(report: TeamReport) -> Spec | None:
    """The weekly shares (member to member, listening, conversation) as lines, 0 to 100%."""
    weeks = report.lists.get("weekly", [])
    rows = [
        {"week": _day(w["week"]), "series": name, "share": w.get(key)}
        for w in weeks
        for key, name in TREND_LINES.items()
    ]
    if len(weeks) < 2:
        return None
    chart = (
        alt.Chart(_data(rows))
        .mark_line(point=True)
        .encode(
            x=alt.X("week:T", title=None),
            y=alt.Y(
                "share:Q", title=None, axis=alt.Axis(format="%"), scale=alt.Scale(domain=[0, 1])
            ),
            color=alt.Color(
                "series:N",
                title=None,
                scale=alt.Scale(domain=list(TREND_LINES.values()), range=[GREEN, BLUE, AMBER]),
                legend=alt.Legend(orient="top"),
            ),
            tooltip=[alt.Tooltip("week:T"), "series:N", alt.Tooltip("share:Q", format=".0%")],
        )
        .properties(width=WIDTH, height=160)
    )
    return _spec(chart)


def sparkline_spec(report: TeamReport, list_name: str, key: str, percent: bool) -> Spec | None:
    """One weekly value of `report.lists[list_name]` as a small line with no axes."""
    rows = [
        {"week": _day(w["week"]), "value": w[key]}
        for w in report.lists.get(list_name, [])
        if w.get(key) is not None
    ]
    if len(rows) < 2:
        return None
    chart = (
        alt.Chart(_data(rows))
        .mark_line(color=BLUE, strokeWidth=2)
        .encode(
            x=alt.X("week:T", axis=None),
            y=alt.Y("value:Q", axis=None, scale=alt.Scale(zero=True)),
            tooltip=[
                alt.Tooltip("week:T"),
                alt.Tooltip("value:Q", format=".0%" if percent else ",.2f"),
            ],
        )
        .properties(width=140, height=34)
        .configure_view(stroke=None)
    )
    return _spec(chart)


def give_ask_spec(report: TeamReport) -> Spec | None:
    """Host messages that give and that ask, week by week, side by side."""
    weeks = report.lists.get("behaviour_weekly", [])
    if len(weeks) < 2:
        return None
    rows = [
        {"week": _day(w["week"]), "class": name, "messages": w[key]}
        for w in weeks
        for key, name in (("gives", "give"), ("asks", "ask"))
    ]
    chart = (
        alt.Chart(_data(rows))
        .mark_bar()
        .encode(
            x=alt.X("week:O", title=None, axis=alt.Axis(labelAngle=-45)),
            xOffset=alt.XOffset("class:N", scale=alt.Scale(domain=["give", "ask"])),
            y=alt.Y("messages:Q", title="host messages"),
            color=alt.Color(
                "class:N",
                title=None,
                scale=alt.Scale(domain=["give", "ask"], range=[GREEN, AMBER]),
                legend=alt.Legend(orient="top"),
            ),
            tooltip=["week:O", "class:N", "messages:Q"],
        )
        .properties(width=WIDTH, height=150)
    )
    return _spec(chart)


def funnel_spec(report: TeamReport) -> Spec | None:
    """Followers, reachable, engaged, core members as bars, each with its count."""
    steps = funnel_steps(report.metrics)
    if not steps or steps[0][1] <= 0:
        return None
    rows = [{"step": name, "count": count, "order": i} for i, (name, count) in enumerate(steps)]
    order = [name for name, _ in steps]
    base = alt.Chart(_data(rows)).encode(
        y=alt.Y("step:N", sort=order, title=None),
        x=alt.X("count:Q", title=None),
        tooltip=["step:N", alt.Tooltip("count:Q", format=",")],
    )
    bars = base.mark_bar(color=BLUE)
    labels = base.mark_text(align="left", dx=4).encode(text=alt.Text("count:Q", format=","))
    return _spec((bars + labels).properties(width=WIDTH - 120, height=len(steps) * 28))


def gains_spec(report: TeamReport) -> Spec | None:
    """New followers a day, the spike days marked."""
    days = report.lists.get("daily_follower_gains", [])
    if len(days) < 2:
        return None
    spikes = {s["day"] for s in report.lists.get("follower_spikes", [])}
    rows = [
        {
            "day": str(d["day"]),
            "new_followers": d["new_followers"],
            "spike": str(d["day"]) in spikes,
        }
        for d in days
    ]
    base = alt.Chart(_data(rows)).encode(
        x=alt.X("day:T", title=None),
        y=alt.Y("new_followers:Q", title="new followers"),
        tooltip=[alt.Tooltip("day:T"), alt.Tooltip("new_followers:Q", format=",")],
    )
    line = base.mark_line(color=AMBER)
    if not spikes:
        return _spec(line.properties(width=WIDTH, height=150))
    marked = base.transform_filter("datum.spike").mark_point(color=RED, size=80, filled=True)
    return _spec((line + marked).properties(width=WIDTH, height=150))


def cadence_spec(report: TeamReport) -> Spec | None:
    """Host posts per week on each channel."""
    rows = [
        {"week": _day(c["week"]), "platform": c["platform"], "posts": c["posts"]}
        for c in report.lists.get("cadence", [])
    ]
    if len({r["week"] for r in rows}) < 2:
        return None
    chart = (
        alt.Chart(_data(rows))
        .mark_line(point=True)
        .encode(
            x=alt.X("week:T", title=None),
            y=alt.Y("posts:Q", title="host posts"),
            color=alt.Color("platform:N", title=None, legend=alt.Legend(orient="top")),
            tooltip=[alt.Tooltip("week:T"), "platform:N", "posts:Q"],
        )
        .properties(width=WIDTH, height=150)
    )
    return _spec(chart)


def network_spec(drawing: dict[str, list[dict[str, Any]]], title: str) -> Spec | None:
    """The community picture: ties as lines, members as dots coloured by cluster and sized by
    community value, hosts as dark squares; drag to pan, scroll to zoom."""
    nodes, edges = drawing.get("nodes", []), drawing.get("edges", [])
    if not nodes:
        return None
    zoom = alt.selection_interval(bind="scales")
    x = alt.X("x:Q", axis=None, scale=alt.Scale(domain=[-0.03, 1.03]))
    y = alt.Y("y:Q", axis=None, scale=alt.Scale(domain=[-0.03, 1.03]))
    ties = (
        alt.Chart(_data(edges))
        .mark_rule(color=GREY)
        .encode(
            x=x,
            y=y,
            x2="x2:Q",
            y2="y2:Q",
            strokeWidth=alt.StrokeWidth("weight:Q", scale=alt.Scale(range=[0.4, 3]), legend=None),
            opacity=alt.value(0.45),
        )
    )
    people = (
        alt.Chart(_data(nodes))
        .mark_point(filled=True, opacity=0.9)
        .encode(
            x=x,
            y=y,
            shape=alt.Shape(
                "host:N",
                scale=alt.Scale(domain=[True, False], range=["square", "circle"]),
                legend=None,
            ),
            color=alt.condition(
                "datum.host",
                alt.value("#111"),
                alt.Color("cluster:N", scale=alt.Scale(scheme="tableau10"), legend=None),
            ),
            size=alt.Size("value:Q", scale=alt.Scale(range=[25, 420], domain=[0, 1]), legend=None),
            tooltip=[
                alt.Tooltip("key:N", title="account"),
                alt.Tooltip("cluster:N", title="cluster"),
                alt.Tooltip("value:Q", title="community value", format=".2f"),
            ],
        )
    )
    chart = (
        alt.layer(ties, people)
        .add_params(zoom)
        .properties(width=WIDTH, height=WIDTH * 0.75, title=title)
        .configure_view(stroke=None)
    )
    return _spec(chart)


def svg(spec: Spec | None) -> Markup:
    """The chart drawn as SVG for a static report ("" for no chart); its text is escaped by the
    Vega renderer."""
    if spec is None:
        return Markup("")
    return Markup(vl_convert.vegalite_to_svg(spec))


def _data(rows: list[dict[str, Any]]) -> alt.Data:
    return alt.Data(values=rows)  # type: ignore[no-untyped-call]


def _spec(chart: alt.TopLevelMixin) -> Spec:
    spec: Spec = chart.to_dict(validate=False)
    spec.pop("$schema", None)
    return spec


def _day(value: object) -> str:
    """A week or day as YYYY-MM-DD."""
    return str(value)[:10]
