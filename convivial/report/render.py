"""Render reports as terminal text (Rich), JSON and a self-contained HTML file (Jinja2)."""

from __future__ import annotations

import json
from collections.abc import Sequence

from jinja2 import Environment, PackageLoader, select_autoescape
from rich.console import Console, Group
from rich.panel import Panel
from rich.table import Table

from convivial.report.model import TeamReport

__all__ = ["LABELS", "render_html", "render_json", "render_text"]

LABELS: dict[str, str] = {
    "active_members": "Active members (spoke at least once)",
    "followers": "Followers",
    "host_messages": "Messages by the business",
    "messages_post": "Posts",
    "messages_reply": "Replies",
    "messages_share": "Shares",
    "messages_quote": "Quotes",
    "interactions_reply": "Replies (person to person)",
    "interactions_mention": "Mentions",
    "interactions_share": "Shares of someone's message",
    "interactions_quote": "Quotes of someone's message",
    "interactions_like": "Likes",
    "interactions_follow": "New follows",
}
"""What each metric key means, in words a shop owner uses."""


def _format(value: object) -> str:
    if value is None:
        return "not known"
    if isinstance(value, float):
        return f"{value:.2f}"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


def render_text(reports: Sequence[TeamReport], console: Console) -> None:
    """One panel per team: its window and every metric with its label."""
    for report in reports:
        table = Table(show_header=False, box=None, pad_edge=False)
        table.add_column("metric")
        table.add_column("value", justify="right")
        for key, value in report.metrics.items():
            table.add_row(LABELS.get(key, key), _format(value))
        window = f"{report.window.start:%Y-%m-%d} to {report.window.end:%Y-%m-%d}"
        console.print(Panel(Group(table), title=f"[b]{report.team}[/b]", subtitle=window))


def render_json(reports: Sequence[TeamReport], one_team: bool) -> str:
    """The JSON contract: one object for one team, else a list of them."""
    data = [r.as_json() for r in reports]
    return json.dumps(data[0] if one_team and len(data) == 1 else data, indent=2, default=str)


_ENV = Environment(
    loader=PackageLoader("convivial.report", "templates"),
    autoescape=select_autoescape(["html", "j2"], default=True),
)


def render_html(reports: Sequence[TeamReport]) -> str:
    """One self-contained HTML file: no scripts, styles inline, every text escaped."""
    template = _ENV.get_template("report.html.j2")
    return template.render(reports=reports, labels=LABELS, fmt=_format)
