"""Audience: the funnel from followers to core members, and follower spikes on a timeline."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from convivial.web.app import page, view_of


async def show(request: Request) -> Response:
    return page(request, "audience.html.j2", await view_of(request))
