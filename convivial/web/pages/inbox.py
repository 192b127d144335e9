"""Inbox: unanswered requests by age and visibility; marking one handled is stored."""

from __future__ import annotations

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response

from convivial.analysis import without_handled
from convivial.web.app import Dashboard, page, view_of

SHOWN = 200
"""Requests listed, oldest and most watched first."""


async def show(request: Request) -> Response:
    dashboard: Dashboard = request.app.state.dashboard
    view = await view_of(request)

    def handled() -> set[str]:
        with dashboard.locked() as store:
            return set(store.handled())

    marked = await run_in_threadpool(handled)
    waiting = without_handled([view.report], marked)[0] if view.report else None
    return page(request, "inbox.html.j2", view, waiting=waiting, shown=SHOWN)


async def mark(request: Request) -> Response:
    """Mark a request handled (or, with `undo`, not any more); htmx gets the row back."""
    dashboard: Dashboard = request.app.state.dashboard
    form = await request.form()
    key = str(form.get("message_key", ""))
    undo = form.get("undo") == "1"

    def write() -> bool:
        with dashboard.locked() as store:
            return store.mark_handled(key, handled=not undo)

    if not await run_in_threadpool(write):
        return HTMLResponse("No such message.", status_code=404)
    if request.headers.get("hx-request"):
        return page(request, "_handled.html.j2", None, message_key=key, undone=undo)
    return RedirectResponse(f"/inbox?{form.get('query', '')}", status_code=303)
