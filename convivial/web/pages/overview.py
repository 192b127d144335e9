"""Overview: the scorecard (community or audience?), trend sparklines and the network type."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from convivial.report.charts import sparkline_spec
from convivial.web.app import embed, page, view_of

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
    sparks = []
    if view.report is not None:
        for label, rows, key, percent in SPARKLINES:
            sparks.append((label, embed(sparkline_spec(view.report, rows, key, percent))))
    return page(request, "overview.html.j2", view, sparks=sparks)
