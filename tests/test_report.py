"""The presenters: they render the Report, escape what people wrote, and draw the weekly chart."""

from __future__ import annotations

import re
from datetime import datetime

from convivial.metrics.window import Window
from convivial.report.charts import cadence_spec, svg, trend_spec
from convivial.report.model import TeamReport
from convivial.report.render import render_html, render_json

EVIL = '<script>alert("x")</script>'


def _report() -> TeamReport:
    weeks = [
        {
            "week": f"2026-03-{d:02d}",
            "member_to_member_share": v,
            "listening_rate": 0.5,
            "conversation_share": None,
        }
        for d, v in ((2, 0.1), (9, None), (16, 0.4), (23, 0.5))
    ]
    return TeamReport(
        team=EVIL,
        window=Window(datetime(2026, 1, 1), datetime(2026, 4, 1)),
        metrics={"member_to_member_share": 0.4, "listening_rate": None},
        network={"type": "tight_crowd", "explanation": EVIL, "advice": ""},
        lists={
            "weekly": weeks,
            "advocates": [{"account_key": EVIL, "community_value": 0.9}],
            "top_followed": [],
            "slipping_away": [{"account_key": EVIL}],
        },
        reasons={"listening_rate": EVIL},
        statuses={"member_to_member_share": "community"},
    )


def test_html_escapes_everything_people_wrote() -> None:
    html = render_html([_report()])
    assert "<script" not in html
    assert html.count("&lt;script&gt;") >= 5


def _line_runs(svg_text: str) -> list[int]:
    """How many separate runs each drawn line has (one "M" per run)."""
    return [d.count("M") for d in re.findall(r'd="(M[^"]*)"', svg_text)]


def test_the_weekly_chart_has_a_line_per_series_and_breaks_at_gaps() -> None:
    drawn = str(svg(trend_spec(_report())))
    assert drawn.startswith("<svg") and "members talking to each other" in drawn
    # member_to_member_share has a gap in week 2: its line is two runs, not one joined line
    assert 2 in _line_runs(drawn)
    assert str(svg(trend_spec(_report()))) in render_html([_report()])


def test_no_chart_below_two_weeks() -> None:
    report = _report()
    report.lists["weekly"] = report.lists["weekly"][:1]
    assert trend_spec(report) is None and svg(None) == ""


def test_chart_labels_are_escaped() -> None:
    report = _report()
    report.lists["cadence"] = [
        {"week": "2026-03-02", "platform": EVIL, "posts": 3},
        {"week": "2026-03-09", "platform": EVIL, "posts": 5},
    ]
    drawn = str(svg(cadence_spec(report)))
    assert "<script" not in drawn and "&lt;script&gt;" in drawn


def test_json_contract() -> None:
    import json

    data = json.loads(render_json([_report()], one_team=True))
    assert set(data) >= {"team", "window", "metrics", "network", "lists"}
    assert data["window"] == {"start": "2026-01-01T00:00:00", "end": "2026-04-01T00:00:00"}
    assert data["metrics"]["listening_rate"] is None


def test_the_headline_reads_the_report_in_words() -> None:
    from convivial.report.wording import headline

    assert headline({"active_members": 0}, {}) == (
        "Nobody spoke in this window yet: there is no conversation to read."
    )
    assert headline({"active_members": 1, "core_members": 0}, {"isolate_share": 1.0}) == (
        "1 person spoke in this window; 0 are core members, with strong two-way ties;"
        " 100% talked to no other member."
    )
    assert headline({"active_members": 259, "core_members": 76}, {"isolate_share": 0.74}) == (
        "259 people spoke in this window; 76 are core members, with strong two-way ties;"
        " 74% talked to no other member."
    )


def test_the_report_json_leaves_the_long_member_lists_to_members() -> None:
    import json

    from convivial.report.render import render_members_json

    report = _report()
    report.lists["members"] = [{"account_key": "a", "level": 1}]
    report.lists["strong_ties"] = [{"a": "host", "b": "a"}]
    shown = json.loads(render_json([report], one_team=True))
    assert "members" not in shown["lists"] and "strong_ties" not in shown["lists"]
    assert "advocates" in shown["lists"]
    members = json.loads(render_members_json([report], one_team=True))
    assert members["members"] == [{"account_key": "a", "level": 1}]
    assert members["strong_ties"] == [{"a": "host", "b": "a"}]
