"""Overview: the scorecard (community or audience?), trend sparklines and the network type."""

from __future__ import annotations

from functools import partial

from starlette.requests import Request
from starlette.responses import Response

from convivial.report.charts import sparkline_spec
from convivial.web.app import Dashboard, page, view_of

SPARKLINES = (
    ("Members talking to each other", "weekly", "member_to_member_share", True),
    ("Active members", "weekly", "active_members", False),
    ("Answered within 7 days", "weekly", "listening_rate", True),
    ("Host messages that are replies", "weekly", "conversation_share", True),
    ("Gives per ask", "behaviour_weekly", "give_ask_ratio", False),
)
"""(label, report list, key, is a share) of each weekly sparkline."""


async def show(request: Request) -> Response:
    view = await view_of(request)
    dashboard: Dashboard = request.app.state.dashboard
    report = view.report
    sparks = []
    if report is not None:
        for label, rows, key, percent in SPARKLINES:
            build = partial(sparkline_spec, report, rows, key, percent)
            sparks.append((label, dashboard.chart(view, key, build)))
    return page(request, "overview.html.j2", view, sparks=sparks)
