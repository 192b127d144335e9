"""Members: advocates beside the most followed, levels, strong ties, slipping away, newcomers."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from convivial.web.app import page, view_of

SHOWN = 100
"""Members listed, by community value."""


async def show(request: Request) -> Response:
    view = await view_of(request)
    return page(request, "members.html.j2", view, shown=SHOWN)
