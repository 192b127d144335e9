"""Community: the network picture (members by cluster, sized by community value, the host
highlighted) and the toggle that takes the host away to show whether the party goes on."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from convivial.report.charts import network_spec
from convivial.web.app import Dashboard, View, page, view_of


async def show(request: Request) -> Response:
    view = await view_of(request)
    return page(request, "community.html.j2", view, **_picture(request, view, True))


async def picture(request: Request) -> Response:
    """The picture alone (for the toggle): `host=0` draws it without the host."""
    view = await view_of(request)
    with_host = request.query_params.get("host", "1") != "0"
    return page(request, "_picture.html.j2", view, **_picture(request, view, with_host))


def _picture(request: Request, view: View, with_host: bool) -> dict[str, object]:
    report = view.report
    if report is None or not report.picture:
        return {"picture": None, "with_host": with_host, "drawn": ""}
    which = "with_host" if with_host else "without_host"
    title = "with the host" if with_host else "without the host"
    dashboard: Dashboard = request.app.state.dashboard
    drawn = dashboard.chart(view, which, lambda: network_spec(report.picture[which], title))
    return {"picture": report.picture, "with_host": with_host, "drawn": drawn}
