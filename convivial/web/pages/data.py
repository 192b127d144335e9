"""Data: every import with its provenance, and the rows that were rejected and why."""

from __future__ import annotations

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response

from convivial.web.app import Dashboard, page, view_of

REJECTS_SHOWN = 200


async def show(request: Request) -> Response:
    dashboard: Dashboard = request.app.state.dashboard

    def read() -> tuple[list[object], list[tuple[str, int | None, str, str]]]:
        with dashboard.locked() as store:
            return list(store.imports()), store.rejects()[:REJECTS_SHOWN]

    imports, rejects = await run_in_threadpool(read)
    return page(request, "data.html.j2", await view_of(request), imports=imports, rejects=rejects)
