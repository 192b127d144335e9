"""Behaviour: give before you ask over time, repeated posts, cadence and channel fit."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from convivial.report.charts import cadence_spec
from convivial.web.app import Dashboard, page, view_of


async def show(request: Request) -> Response:
    view = await view_of(request)
    dashboard: Dashboard = request.app.state.dashboard
    report = view.report
    cadence = dashboard.chart(view, "cadence", lambda: cadence_spec(report)) if report else ""
    return page(request, "behaviour.html.j2", view, cadence=cadence)
