"""The dashboard's ASGI app: pages render the workspace's kept reports; nothing is computed here.

Safety: bound to loopback by the command line unless told otherwise; with a token, every request
(static files included) must carry it (`Authorization: Bearer`, or `?token=` once, which sets a
cookie); every page is sent with a Content-Security-Policy that allows no inline script; a
state-changing request is a POST whose form carries this server's CSRF token and whose Origin, when
sent, is this server.
"""

from __future__ import annotations

import hmac
import secrets
import threading
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import asynccontextmanager, contextmanager
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from jinja2 import ChoiceLoader, Environment, PackageLoader, select_autoescape
from jinja2.utils import htmlsafe_json_dumps
from markupsafe import Markup
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, PlainTextResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from convivial.analysis import workspace_reports
from convivial.report.charts import Spec
from convivial.report.model import TeamReport
from convivial.report.render import section_helpers
from convivial.store import Store
from convivial.workspace import Workspace

__all__ = ["LOOPBACK_HOSTS", "MIN_TOKEN", "Dashboard", "View", "create_app", "page"]

STATIC = Path(__file__).parent / "static"
TOKEN_COOKIE = "convivial_token"
WINDOWS = (30, 90, 180, 365)
"""The window picker's choices, in days ending at the latest event."""

CSP = (
    "default-src 'self'; script-src 'self' 'unsafe-eval'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; "
    "form-action 'self'"
)
"""No inline or foreign script can run. Vega compiles its expressions with `Function`
('unsafe-eval') and vega-embed sets inline styles."""


class Dashboard:
    """The workspace behind the pages: one store connection for the server's life (under a
    lock: a DuckDB connection serves one thread at a time), and its kept reports read once per
    window and settings."""

    def __init__(self, ws: Workspace) -> None:
        self.ws = ws
        self.store = ws.open_store()
        self.csrf = secrets.token_urlsafe(32)
        self._lock = threading.Lock()
        self._reports: dict[tuple[float, int | None], list[TeamReport]] = {}
        self._charts: dict[tuple[object, ...], Markup] = {}

    @contextmanager
    def locked(self) -> Iterator[Store]:
        with self._lock:
            yield self.store

    def reports(self, days: int | None) -> list[TeamReport]:
        """Every team's report over the last `days` days (None: the workspace's window)."""
        key = (self.ws.config_path.stat().st_mtime, days)
        if key not in self._reports:
            with self.locked() as store:
                found = workspace_reports(self.ws, store)
                if days is not None and found:
                    end = found[0].window.end
                    found = workspace_reports(self.ws, store, None, end - timedelta(days), end)
            self._reports = {k: v for k, v in self._reports.items() if k[0] == key[0]}
            self._charts = {k: v for k, v in self._charts.items() if k[0] == key[0]}
            self._reports[key] = found
        return self._reports[key]

    def chart(self, view: View, name: str, build: Callable[[], Spec | None]) -> Markup:
        """The chart `name` of the view's team, embedded: built once per kept report (a spec
        takes Altair up to a hundred milliseconds), then served as built."""
        team = view.report.team if view.report else None
        key = (self.ws.config_path.stat().st_mtime, view.days, team, name)
        if key not in self._charts:
            self._charts[key] = embed(build())
        return self._charts[key]

    def close(self) -> None:
        self.store.close()


@dataclass(frozen=True)
class View:
    """What a page shows: one team's report, the teams to pick from and the window."""

    reports: list[TeamReport]
    report: TeamReport | None
    days: int | None

    @property
    def teams(self) -> list[str]:
        return [r.team for r in self.reports]

    def query(self, **changes: object) -> str:
        """This view's query string, with `changes`."""
        params: dict[str, object] = {
            "team": self.report.team if self.report else None,
            "days": self.days,
        }
        params.update(changes)
        return urlencode({k: v for k, v in params.items() if v is not None})


async def view_of(request: Request) -> View:
    """The team and window the request asks for (the first team, the default window). A window
    not asked for before is computed in a worker thread, so other pages keep answering."""
    dashboard: Dashboard = request.app.state.dashboard
    days_text = request.query_params.get("days", "")
    days = int(days_text) if days_text.isdigit() and int(days_text) in WINDOWS else None
    reports = await run_in_threadpool(dashboard.reports, days)
    team = request.query_params.get("team")
    chosen = next((r for r in reports if r.team == team), reports[0] if reports else None)
    return View(reports, chosen, days)


def embed(spec: Spec | None) -> Markup:
    """A chart for vega-embed: an empty box and its spec as JSON (script-safe) beside it."""
    if spec is None:
        return Markup("")
    return Markup(
        '<div class="chart"></div><script type="application/json" class="chart-spec">{}</script>'
    ).format(Markup(htmlsafe_json_dumps(spec)))


_ENV = Environment(
    loader=ChoiceLoader(
        [
            PackageLoader("convivial.web", "templates"),
            PackageLoader("convivial.report", "templates"),
        ]
    ),
    autoescape=select_autoescape(["html", "j2"], default=True),
)
_HELPERS = section_helpers(embed)

NAV = (
    ("/", "Overview"),
    ("/community", "Community"),
    ("/members", "Members"),
    ("/inbox", "Inbox"),
    ("/behaviour", "Behaviour"),
    ("/audience", "Audience"),
    ("/data", "Data"),
)


def page(request: Request, template: str, view: View | None, **context: Any) -> HTMLResponse:
    """A page (or, for htmx, a fragment) rendered with the shared helpers and the picker."""
    dashboard: Dashboard = request.app.state.dashboard
    body = _ENV.get_template(template).render(
        **_HELPERS,
        view=view,
        report=view.report if view else None,
        nav=NAV,
        path=request.url.path,
        windows=WINDOWS,
        csrf=dashboard.csrf,
        **context,
    )
    return HTMLResponse(body)


def health(request: Request) -> Response:
    return PlainTextResponse("ok")


LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "::1")
"""Names of this machine: without a token, the only hosts served and addressed."""

MIN_TOKEN = 16
"""Characters a token needs at least: shorter ones are guessable."""


def create_app(ws: Workspace, token: str | None = None) -> Starlette:
    """The dashboard over `ws`; with `token`, every request must carry it. Without one, it
    answers only requests addressed to this machine by a loopback name (a web page elsewhere
    cannot reach it by pointing its own domain at 127.0.0.1)."""
    if token is not None and len(token) < MIN_TOKEN:
        raise ValueError(f"a token needs at least {MIN_TOKEN} characters")
    from convivial.web.pages import ROUTES

    dashboard = Dashboard(ws)

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        yield
        dashboard.close()

    app = Starlette(
        routes=[
            Route("/health", health),
            *ROUTES,
            Mount("/static", StaticFiles(directory=STATIC), name="static"),
        ],
        middleware=[Middleware(_Guard, csrf=dashboard.csrf, token=token)],
        lifespan=lifespan,
    )
    app.state.dashboard = dashboard
    return app


class _Guard:
    """The token check, the CSRF check of every POST, and the security headers, in front of
    every route (static files included)."""

    def __init__(self, app: ASGIApp, csrf: str, token: str | None) -> None:
        self.app, self.csrf, self.token = app, csrf, token

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request = Request(scope, receive)
        if self.token is None and request.url.hostname not in LOOPBACK_HOSTS:
            await _refuse(403, "Without a token this dashboard answers only to localhost.")(
                scope, receive, send
            )
            return
        from_query = self.token is not None and _same(request.query_params.get("token"), self.token)
        if self.token is not None and not (from_query or self._carries_token(request)):
            await _refuse(401, "This dashboard needs its token: open the address it printed.")(
                scope, receive, send
            )
            return
        if request.method not in ("GET", "HEAD"):
            body = await request.body()  # kept, so the form can be read here and again by the page
            if not await self._post_allowed(request):
                await _refuse(403, "This page is out of date: reload it and try again.")(
                    scope, receive, send
                )
                return
            receive = _replay(body)

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                headers += [
                    (b"content-security-policy", CSP.encode()),
                    (b"x-content-type-options", b"nosniff"),
                    (b"referrer-policy", b"no-referrer"),
                    (b"x-frame-options", b"DENY"),
                ]
                if from_query and self.token is not None:
                    cookie = f"{TOKEN_COOKIE}={self.token}; Path=/; HttpOnly; SameSite=Strict"
                    headers.append((b"set-cookie", cookie.encode()))
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, send_with_headers)

    def _carries_token(self, request: Request) -> bool:
        assert self.token is not None
        bearer = request.headers.get("authorization", "")
        return _same(bearer.removeprefix("Bearer "), self.token) or _same(
            request.cookies.get(TOKEN_COOKIE), self.token
        )

    async def _post_allowed(self, request: Request) -> bool:
        if request.method != "POST":
            return False
        origin = request.headers.get("origin")
        if origin is not None and origin != f"{request.url.scheme}://{request.url.netloc}":
            return False
        form = await request.form()
        sent = form.get("csrf")
        return isinstance(sent, str) and _same(sent, self.csrf)


def _same(given: str | None, expected: str) -> bool:
    return given is not None and hmac.compare_digest(given.encode(), expected.encode())


def _refuse(status: int, text: str) -> Response:
    return PlainTextResponse(text, status_code=status, headers={"content-security-policy": CSP})


def _replay(body: bytes) -> Callable[[], Any]:
    """A `receive` that hands the already-read body to the app again."""
    sent = False

    async def receive() -> Message:
        nonlocal sent
        if sent:
            return {"type": "http.disconnect"}
        sent = True
        return {"type": "http.request", "body": body, "more_body": False}

    return receive
