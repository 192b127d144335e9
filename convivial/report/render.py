"""Render reports as terminal text (Rich), JSON and a self-contained HTML file (Jinja2)."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup
from rich.console import Console, Group
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from convivial.report.model import TeamReport
from convivial.report.wording import (
    ACTIVITY,
    BEHAVIOUR,
    SCORECARD,
    SERVICE,
    Line,
    behaviour_advice,
    format_duration,
    format_line,
    format_value,
    funnel_sentence,
    funnel_steps,
    headline,
)
from convivial.rows import as_plain

if TYPE_CHECKING:
    from convivial.report.charts import Spec

__all__ = [
    "render_audit",
    "render_audit_json",
    "render_html",
    "render_inbox",
    "render_inbox_json",
    "render_json",
    "render_members",
    "render_members_json",
    "render_pdf",
    "render_text",
    "section_helpers",
]

RESPONDERS_SHOWN = 10
REPEATS_SHOWN = 3
LONELY_ASKS_SHOWN = 3

_ASKER_STYLE = {"core": "bold green", "newcomer": "cyan", "member": "dim"}

_MEMBER_LISTS = ("advocates", "top_followed", "members", "strong_ties", "slipping_away")

_STATUS_STYLE = {
    "community": "bold green",
    "party host": "bold green",
    "forming": "yellow",
    "audience": "bold red",
    "rock star": "bold red",
}


def _scorecard(report: TeamReport, lines: Sequence[Line], principles: bool) -> Table:
    table = Table(show_header=False, box=None, pad_edge=False, expand=False)
    table.add_column("metric")
    table.add_column("value", justify="right")
    table.add_column("status")
    if principles:
        table.add_column("principle", style="dim italic")
    for line in lines:
        if line.key not in report.metrics:
            continue
        value = report.metrics.get(line.key)
        state = report.statuses.get(line.key, "")
        cells: list[str | Text] = [line.label, format_line(line, value)]
        cells.append(Text(state, style=_STATUS_STYLE.get(state, "")))
        if principles:
            cells.append(
                report.reasons.get(line.key, line.principle) if value is None else line.principle
            )
        table.add_row(*cells)
    return table


def _network(report: TeamReport) -> list[Text]:
    network = report.network
    if not network:
        return []
    kind = str(network.get("type") or "not enough conversation to tell").replace("_", " ")
    lines = [
        Text.assemble(("Network: ", "bold"), (kind, "bold cyan")),
        Text(str(network.get("explanation", ""))),
    ]
    if network.get("advice"):
        lines.append(Text.assemble(("What to do: ", "bold"), str(network["advice"])))
    return lines


def _people(report: TeamReport) -> Table:
    table = Table(title="Advocates beside the most followed", box=None, pad_edge=False)
    table.add_column("advocates (community value)")
    table.add_column("most followed")
    advocates = report.lists.get("advocates", [])
    followed = report.lists.get("top_followed", [])
    for i in range(max(len(advocates), len(followed))):
        a = advocates[i] if i < len(advocates) else None
        f = followed[i] if i < len(followed) else None
        table.add_row(
            f"{a['account_key']}  {a['community_value']:.2f}" if a else "",
            f"{f['account_key']}  {f['followers']:,}" if f else "",
        )
    return table


def _responders(report: TeamReport) -> list[Any]:
    shown: Sequence[dict[str, Any]] = report.lists.get("responders", [])
    if not shown:
        return []
    table = Table(title="Who answers", box=None, pad_edge=False, title_justify="left")
    for column in ("account", "role", "replies", "answered first", "first answer, median"):
        table.add_column(column, justify="left" if column in ("account", "role") else "right")
    for r in shown[:RESPONDERS_SHOWN]:
        median = r["median_frt_s"]
        table.add_row(
            account_name(r),
            r["role"],
            f"{r['replies']:,}",
            f"{r['answered_first']:,}",
            format_duration(median) if median is not None else "n/a",
        )
    return [Text(""), table]


def _behaviour_lists(report: TeamReport) -> list[Any]:
    parts: list[Any] = []
    for ask in report.lists.get("lonely_asks", [])[:LONELY_ASKS_SHOWN]:
        when = f"{ask['created_at']:%d %b}, {ask['platform']}"
        parts.append(
            Text.assemble(
                (f"Asked with nothing given before ({when}): ", "bold"),
                (" ".join(ask["text"].split()), "italic"),
            )
        )
    for group in report.lists.get("repeated", [])[:REPEATS_SHOWN]:
        first = " ".join(group["texts"][0].split())
        parts.append(
            Text.assemble(
                (f"Posted {group['posts']} times", "bold"),
                f" ({', '.join(group['platforms'])}, {group['first_at']:%d %b} to "
                f"{group['last_at']:%d %b}): ",
                (first, "italic"),
            )
        )
    fits = report.lists.get("channel_fit", [])
    if fits:
        table = Table(title="Where you post, where they talk", box=None, title_justify="left")
        for column in ("channel", "members' messages", "your messages", ""):
            table.add_column(column, justify="left" if column == "channel" else "right")
        for fit in fits:
            table.add_row(
                fit["platform"],
                format_value(fit["member_share"], share=True),
                format_value(fit["host_share"], share=True),
                Text(fit["flag"] or "", style="bold red" if fit["flag"] else ""),
            )
        parts += [Text(""), table]
    for key, title in (("insights_by_type", "post type"), ("insights_by_paid", "paid or not")):
        rows = report.lists.get(key, [])
        if rows:
            table = Table(title=f"Page Insights by {title}", box=None, title_justify="left")
            for column in (title, "posts", "reached", "engaged", "clicked", "interactions"):
                table.add_column(column, justify="left" if column == title else "right")
            for r in rows:
                table.add_row(
                    str(r["group"]),
                    f"{r['posts']:,}",
                    *(
                        f"{r[k]:,.0f}" if r[k] is not None else "n/a"
                        for k in (
                            "reach_per_post",
                            "engaged_per_post",
                            "consumers_per_post",
                            "interactions_per_post",
                        )
                    ),
                )
            parts += [Text(""), table]
    advice = behaviour_advice(report.metrics, report.lists)
    if advice:
        parts += [Text(""), *(Text.assemble(("→ ", "bold"), line) for line in advice)]
    return [Text(""), *parts] if parts else []


def _audience(report: TeamReport) -> list[Any]:
    m = report.metrics
    steps = funnel_steps(m)
    parts: list[Any] = [Text(funnel_sentence(m))]
    if steps and steps[0][1]:
        parts.append(Text("  →  ".join(f"{name} {count:,}" for name, count in steps)))
        parts.append(
            Text(
                f"fake {format_value(m.get('fake_share'), share=True)}, dormant"
                f" {format_value(m.get('dormant_share'), share=True)};"
                f" {len(report.lists.get('follower_spikes', []))} follower spikes"
                " (`convivial audit` for the details)"
            )
        )
    if _likely_fakes(report):
        parts.append(Text(_fakes_line(report)))
    return parts


def _fakes_line(report: TeamReport) -> str:
    names = (f"{f['handle'] or f['account_id']} ({f['score']:.2f})" for f in _likely_fakes(report))
    return f"Most likely fake: {', '.join(names)}"


def _likely_fakes(report: TeamReport) -> list[dict[str, Any]]:
    """The followers most likely fake, highest score first (the list comes sorted)."""
    fakes = [f for f in report.lists.get("followers", []) if f["class"] == "fake"]
    return fakes[:LIKELY_FAKES_SHOWN]


def account_name(row: dict[str, Any]) -> str:
    """An account as PLATFORM:HANDLE when its handle is known, else its key (PLATFORM:ID)."""
    key: str = row["account_key"]
    return f"{key.partition(':')[0]}:{row['handle']}" if row.get("handle") else key


def _slipping(report: TeamReport) -> Text:
    gone: Sequence[dict[str, Any]] = report.lists.get("slipping_away", [])
    if not gone:
        return Text("No core member is slipping away.")
    names = ", ".join(g["account_key"] for g in gone[:12])
    more = f" and {len(gone) - 12} more" if len(gone) > 12 else ""
    return Text(f"Reach out to: {names}{more}")


def render_text(reports: Sequence[TeamReport], console: Console) -> None:
    """Per team: the scorecard with each principle and status, activity, advocates, who to call."""
    for report in reports:
        window = f"{report.window.start:%Y-%m-%d} to {report.window.end:%Y-%m-%d}"
        parts: list[Any] = [
            Text("Community or audience?", style="bold"),
            Text(headline(report.metrics, report.network)),
            Text(""),
            _scorecard(report, SCORECARD, principles=True),
            Text(""),
            *_network(report),
            Text(""),
            Text("Service: everyone is watching", style="bold"),
            _scorecard(report, SERVICE, principles=True),
            *_responders(report),
            Text(""),
            Text("Your own behaviour: give before you ask", style="bold"),
            _scorecard(report, BEHAVIOUR, principles=True),
            *_behaviour_lists(report),
            Text(""),
            Text("Audience: the followers you can't sell to", style="bold"),
            *_audience(report),
            Text(""),
            Text("Activity", style="bold"),
            _scorecard(report, ACTIVITY, principles=False),
        ]
        if report.lists.get("advocates"):
            parts += [Text(""), _people(report)]
        parts += [Text(""), _slipping(report)]
        console.print(Panel(Group(*parts), title=f"[b]{report.team}[/b]", subtitle=window))


def render_members(reports: Sequence[TeamReport], console: Console) -> None:
    """Per team: advocates beside the most followed, levels, strong ties, who is slipping away."""
    for report in reports:
        members: Sequence[dict[str, Any]] = report.lists.get("members", [])
        levels = Table(title="Members by level (1 = most love)", box=None, pad_edge=False)
        for column in ("level", "members", "examples"):
            levels.add_column(column)
        for level in (1, 2, 3, 4):
            at = [m["account_key"] for m in members if m["level"] == level]
            levels.add_row(
                str(level), f"{len(at):,}", ", ".join(at[:4]) + (" ..." if len(at) > 4 else "")
            )
        with_host = format_value(report.metrics.get("strong_ties_host"))
        among = format_value(report.metrics.get("strong_ties_members"))
        parts: list[Any] = [
            _people(report),
            Text(""),
            levels,
            Text(""),
            Text(f"Strong ties: {with_host} with the host, {among} among members"),
            _slipping(report),
        ]
        console.print(Panel(Group(*parts), title=f"[b]{report.team}[/b] members"))


def render_inbox(reports: Sequence[TeamReport], console: Console, limit: int) -> None:
    """Per team: the unanswered requests, each with its age, asker, watchers and where to answer."""
    for report in reports:
        waiting: Sequence[dict[str, Any]] = report.lists.get("unanswered", [])
        if not waiting:
            console.print(f"[b]{report.team}[/b]: every question and complaint was answered.")
            continue
        parts: list[Any] = []
        for u in waiting[:limit]:
            watchers = ", ".join(u["watchers"])
            watching = f"{u['visibility']:,} watching" + (f" ({watchers})" if watchers else "")
            parts.append(
                Text.assemble(
                    (f"waiting {format_duration(u['age_s'])}", "bold"),
                    "  ",
                    u["asker"],
                    (f" {u['asker_status']}", _ASKER_STYLE[u["asker_status"]]),
                    f"  {watching}  ",
                    (u["link"] or u["message_key"], "blue"),
                )
            )
            parts.append(Text("  " + " ".join(u["text"].split()), style="italic"))
        more = len(waiting) - limit
        title = f"[b]{report.team}[/b]: {len(waiting):,} waiting for an answer"
        if more > 0:
            parts.append(Text(f"and {more:,} more: --limit {len(waiting)} or --format json"))
        console.print(Panel(Group(*parts), title=title))


AUDIENCE_KEYS = (
    "followers",
    "fake_share",
    "dormant_share",
    "reachable_followers",
    "engaged_followers",
    "core_members",
    "follower_spikes",
)
LIKELY_FAKES_SHOWN = 10


def render_audit(reports: Sequence[TeamReport], console: Console) -> None:
    """Per team: the funnel, the classes, the follower spikes and the likeliest fakes."""
    for report in reports:
        m = report.metrics
        parts: list[Any] = [Text(funnel_sentence(m), style="bold")]
        if not m.get("followers"):
            console.print(Panel(Group(*parts), title=f"[b]{report.team}[/b] audience"))
            continue
        steps = [
            ("followers", m.get("followers")),
            ("reachable", m.get("reachable_followers")),
            ("engaged", m.get("engaged_followers")),
            ("core members", m.get("core_members")),
        ]
        parts.append(Text("  →  ".join(f"{name} {format_value(v)}" for name, v in steps)))
        parts.append(
            Text(
                f"fake {format_value(m.get('fake_share'), share=True)},"
                f" dormant {format_value(m.get('dormant_share'), share=True)}"
                " (fake wins over dormant)"
            )
        )
        spikes: Sequence[dict[str, Any]] = report.lists.get("follower_spikes", [])
        if spikes:
            table = Table(title="Follower spikes", box=None, title_justify="left")
            for column in ("day", "new followers", "fake", "engaged later", "organic: engaged"):
                table.add_column(column, justify="left" if column == "day" else "right")
            for s in spikes:
                table.add_row(
                    str(s["day"]),
                    f"{s['new_followers']:,}",
                    format_value(s["fake_share"], share=True),
                    format_value(s["engaged_share"], share=True),
                    format_value(s["organic_engaged_share"], share=True),
                )
            parts += [Text(""), table]
        if _likely_fakes(report):
            parts += [Text(""), Text(_fakes_line(report))]
        console.print(Panel(Group(*parts), title=f"[b]{report.team}[/b] audience"))


def render_audit_json(reports: Sequence[TeamReport], one_team: bool) -> str:
    """Per team: the audience keys, every follower with its class and score, the spikes."""
    data = [
        _team_view(
            r,
            metrics={k: r.metrics.get(k) for k in AUDIENCE_KEYS},
            followers=r.lists.get("followers", []),
            spikes=r.lists.get("follower_spikes", []),
            daily_follower_gains=r.lists.get("daily_follower_gains", []),
        )
        for r in reports
    ]
    return _dump(data, one_team)


def render_inbox_json(reports: Sequence[TeamReport], one_team: bool) -> str:
    """The unanswered requests of each team as JSON: team, window and `unanswered`."""
    data = [_team_view(r, unanswered=r.lists.get("unanswered", [])) for r in reports]
    return _dump(data, one_team)


def render_members_json(reports: Sequence[TeamReport], one_team: bool) -> str:
    """The members' lists of each team as JSON: team, window and the lists."""
    data = [_team_view(r, **{k: r.lists.get(k, []) for k in _MEMBER_LISTS}) for r in reports]
    return _dump(data, one_team)


_MEMBERS_ONLY = ("members", "strong_ties", "followers", "daily_follower_gains")
"""Lists as long as the community or the audience: `convivial members` and `convivial audit`
show them, the report doesn't."""


def render_json(reports: Sequence[TeamReport], one_team: bool) -> str:
    """The JSON contract: one object for one team, else a list of them."""
    data = []
    for report in reports:
        shown = report.as_json()
        shown["lists"] = {k: v for k, v in report.lists.items() if k not in _MEMBERS_ONLY}
        del shown["picture"]
        data.append(shown)
    return _dump(data, one_team)


def _team_view(report: TeamReport, **fields: Any) -> dict[str, Any]:
    """One team's part of a JSON view: its name, its window and the given fields."""
    return {"team": report.team, "window": report.window.as_json(), **fields}


def _dump(data: list[dict[str, Any]], one_team: bool) -> str:
    """One object when one team was asked for, else the list of them."""
    return json.dumps(data[0] if one_team and len(data) == 1 else data, indent=2, default=as_plain)


_ENV = Environment(
    loader=PackageLoader("convivial.report", "templates"),
    autoescape=select_autoescape(["html", "j2"], default=True),
)


def render_html(reports: Sequence[TeamReport]) -> str:
    """One self-contained HTML file: no scripts, styles inline, charts as SVG, every text
    escaped."""
    from convivial.report.charts import svg  # Altair: loaded only where charts are drawn

    template = _ENV.get_template("report.html.j2")
    return template.render(reports=reports, **section_helpers(svg))


def render_pdf(reports: Sequence[TeamReport]) -> bytes:
    """The HTML report as a paginated PDF (WeasyPrint: no script runs; the same escaped HTML)."""
    import weasyprint

    return bytes(weasyprint.HTML(string=render_html(reports)).write_pdf())


def section_helpers(chart: Callable[[Spec | None], Markup]) -> dict[str, Any]:
    """What the team sections (`_*.html.j2`) need besides `report`: the wording, and `chart`,
    which draws a Vega-Lite spec (as SVG here, embedded for vega-embed in the dashboard)."""
    from convivial.report import charts

    return {
        "chart": chart,
        "trend_spec": charts.trend_spec,
        "give_ask_spec": charts.give_ask_spec,
        "funnel_spec": charts.funnel_spec,
        "gains_spec": charts.gains_spec,
        "scorecard": SCORECARD,
        "service": SERVICE,
        "behaviour": BEHAVIOUR,
        "advice": behaviour_advice,
        "funnel_sentence": funnel_sentence,
        "likely_fakes": _likely_fakes,
        "activity": ACTIVITY,
        "fmt": format_line,
        "duration": format_duration,
        "account": account_name,
        "headline": headline,
    }
