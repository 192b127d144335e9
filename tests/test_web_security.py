"""The dashboard and the reports are safe with hostile data, and the dashboard's gate holds.

- Every piece of user text (message text, handles, names, bios, ids, the team's name, a file's
  name) is escaped: a workspace imported from files full of classic XSS payloads
  (data/xss_payloads.txt) is opened page by page in a real browser (Debian's Chromium), where no
  payload may run and none of their markup may appear; the raw HTML of every page and of the HTML
  report holds no payload as markup; the PDF report has no script and shows the payloads as text.
- Without the token, a server that is not on loopback answers 401 to every route, static files
  included; the token works as a bearer header, once in the query (which sets a cookie), then as
  that cookie.
- A state-changing request is a POST carrying the page's CSRF token, from this server's origin:
  anything else is refused and stores nothing.
- Every response carries the Content-Security-Policy.
"""

from __future__ import annotations

import asyncio
import csv
import io
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager, redirect_stderr
from datetime import UTC, datetime, timedelta
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import httpx
import pytest
from browser import PAGES, chromium, serving
from conftest import CliRun
from markupsafe import escape
from playwright.sync_api import Browser, ConsoleMessage, Dialog, Page, Request, Response
from pypdf import PdfReader
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, PdfObject

from convivial.web import create_app
from convivial.web.app import CSP
from convivial.workspace import Workspace

PAYLOADS = [
    line
    for line in (Path(__file__).parent / "data" / "xss_payloads.txt")
    .read_text(encoding="utf-8")
    .split("\n")
    if line
]
TEAM = "Shop \"'><svg/onload=window.__xss=1>{{7*7}}"
FILE_NAME = '"><svg onload=window.__xss=1>.csv'
"""A file's name is user text too: the data page lists the imports."""
MARKUP = [p for p in (*PAYLOADS, TEAM, FILE_NAME) if "<" in p]
"""The payloads that would be markup if they reached a page unescaped."""
PLATFORM = "mastodon"
BRAND = "brandco"
START = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
ANSWERED = 12
"""Plain questions the brand answers (so it has responders); every payload question waits."""

TOKEN = "gate-token-0123456789"
FOREIGN = "http://192.0.2.10:8000"
"""A base URL that is not loopback, for the app in process."""
EVERY_PAGE = (*PAGES, "/community/picture?host=0", "/community/picture?host=1")
OURS = ("/community/picture", "/inbox/handled", "/favicon.ico")
"""Requests a page makes besides the pages and static files (the browser asks for a favicon)."""
STATIC = ("/static/convivial.css", "/static/vendor/vega.min.js", "/static/convivial.js")


# -- the hostile workspace ----------------------------------------------------------------------


def _member(i: int) -> str:
    """A member's id: most are plain, some are a payload (ids are shown as account keys)."""
    payload = PAYLOADS[i]
    return payload if i % 4 == 0 and " " not in payload else f"m{i:02d}"


def _request_id(i: int) -> str:
    """The id of member i's question: some are a payload (it rides in the inbox's forms)."""
    return PAYLOADS[i] if i % 5 == 1 else f"q{i:02d}"


def _write(path: Path, rows: list[dict[str, object]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return path


def _accounts() -> list[dict[str, object]]:
    n = len(PAYLOADS)

    def account(
        account_id: str, handle: str, name: str, bio: str, counts: tuple[int, int, int], bare: bool
    ) -> dict[str, object]:
        followers, following, posts = counts
        return {
            "platform": PLATFORM,
            "account_id": account_id,
            "handle": handle,
            "display_name": name,
            "bio": bio,
            "followers": followers,
            "following": following,
            "posts": posts,
            "default_avatar": "true" if bare else "false",
        }

    rows = [account(BRAND, BRAND, PAYLOADS[0], PAYLOADS[1], (5000, 100, 900), False)]
    for i in range(n):
        rows.append(
            account(
                _member(i),
                PAYLOADS[i],
                PAYLOADS[(i + 1) % n],
                PAYLOADS[(i + 2) % n],
                (40 + i, 60, 300),
                False,
            )
        )
    for i in range(n):  # followers that look bought: no avatar, no posts, following thousands
        rows.append(
            account(
                f"f{i:02d}", PAYLOADS[(i + 3) % n], PAYLOADS[(i + 4) % n], "", (0, 4900, 0), True
            )
        )
    return rows


def _messages() -> list[dict[str, object]]:
    n = len(PAYLOADS)
    rows: list[dict[str, object]] = []

    def message(message_id: str, author: str, hours: float, text: str, parent: str = "") -> None:
        at = START + timedelta(hours=hours)
        rows.append(
            {
                "platform": PLATFORM,
                "message_id": message_id,
                "author_id": author,
                "created_at": at.isoformat(),
                "text": text,
                "parent_id": parent,
            }
        )

    for k in range(12):  # the brand's posts, the same ad three times
        text = f"Buy now, 20% off! {PAYLOADS[4]}" if k % 4 == 0 else f"News {k}: {PAYLOADS[k]}"
        message(f"b{k}", BRAND, 24 * k, text)
    for i in range(n):
        # a question to the brand, left waiting: the inbox lists every payload
        message(
            _request_id(i),
            _member(i),
            24 * (i % 12) + 2 + i / 10,
            f"Where is my order? {PAYLOADS[i]}",
            f"b{i % 12}",
        )
        # members talking to each other: the community picture, members, strong ties
        message(f"p{i:02d}", _member(i), 24 * (i % 40) + 5, PAYLOADS[i])
        for step in (1, 2, 5):
            j = (i + step) % n
            message(
                f"r{i:02d}-{j:02d}",
                _member(j),
                24 * (i % 40) + 6 + step,
                f"thanks {PAYLOADS[j]}",
                f"p{i:02d}",
            )
    for i in range(ANSWERED):
        message(f"plain{i}", _member(i), 24 * i + 10, f"Is the shop open on day {i}?", f"b{i}")
        message(f"answer{i}", BRAND, 24 * i + 11, f"Yes! {PAYLOADS[i]}", f"plain{i}")
    return rows


def _files(folder: Path) -> list[Path]:
    """Accounts, messages, follows of the brand and a file of bad rows, every text a payload."""
    accounts = _accounts()
    follows: list[dict[str, object]] = [
        {
            "platform": PLATFORM,
            "follower_id": a["account_id"],
            "followed_id": BRAND,
            "followed_at": (START + timedelta(days=50, hours=i % 7)).isoformat(),
        }
        for i, a in enumerate(accounts[1:])
    ]
    bad: list[dict[str, object]] = [  # times that do not parse: the data page shows the rows
        {
            "platform": PLATFORM,
            "message_id": f"bad{i}",
            "author_id": "m01",
            "created_at": f"not a time {p}",
            "text": p,
        }
        for i, p in enumerate(PAYLOADS[:20])
    ]
    return [
        _write(folder / "accounts.csv", accounts),
        _write(folder / "messages.csv", _messages()),
        _write(folder / "follows.csv", follows),
        _write(folder / FILE_NAME, bad),
    ]


def _convivial(*args: str | Path) -> None:
    """`convivial ARGS...` in this process (the `cli` fixture is per test, this is per module)."""
    from convivial.cli import main

    said = io.StringIO()
    code = 0
    with pytest.MonkeyPatch.context() as patch, redirect_stderr(said):
        patch.setattr(sys, "argv", ["convivial", *(str(a) for a in args)])
        patch.delenv("CONVIVIAL_WORKSPACE", raising=False)
        try:
            main()
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else 1
    assert code == 0, said.getvalue()


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A workspace whose team, accounts, messages, files and rejected rows carry the payloads."""
    folder = tmp_path_factory.mktemp("hostile")
    root = folder / "ws"
    _convivial("-w", root, "init", "--team", TEAM, "--brand", f"{PLATFORM}:{BRAND}")
    _convivial("-w", root, "import", "csv", *_files(folder))
    return root


@pytest.fixture(autouse=True)
def unmarked(hostile: Path) -> Iterator[None]:
    """Each test starts with no request marked handled, whatever the one before did."""
    yield
    with Workspace(hostile).open_store() as store:
        for key in store.handled():
            store.mark_handled(key, handled=False)


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with chromium() as found:
        yield found


# -- helpers ------------------------------------------------------------------------------------


def _has_csp(response: httpx.Response) -> None:
    assert response.headers.get("content-security-policy") == CSP, (
        f"{response.request.method} {response.request.url}: {response.status_code} without the CSP"
    )


class _InProcess(httpx.BaseTransport):
    """A synchronous transport over httpx's ASGITransport: the app runs in this process, on an
    event loop of its own thread (Playwright's sync API keeps one running in this thread)."""

    def __init__(self, app: Any) -> None:
        self._asgi = httpx.ASGITransport(app=app)
        started = threading.Event()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._stop: asyncio.Event | None = None

        async def serve() -> None:
            self._loop, self._stop = asyncio.get_running_loop(), asyncio.Event()
            started.set()
            await self._stop.wait()

        self._thread = threading.Thread(target=asyncio.run, args=(serve(),), daemon=True)
        self._thread.start()
        started.wait(timeout=10)

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        async def call() -> httpx.Response:
            response = await self._asgi.handle_async_request(request)
            body = await response.aread()
            return httpx.Response(response.status_code, headers=response.headers, content=body)

        assert self._loop is not None
        return asyncio.run_coroutine_threadsafe(call(), self._loop).result(timeout=60)

    def close(self) -> None:
        if self._loop is not None and self._stop is not None:
            self._loop.call_soon_threadsafe(self._stop.set)
        self._thread.join(timeout=30)


@contextmanager
def in_process(
    root: Path, token: str | None = None, base_url: str = "http://127.0.0.1:8000"
) -> Iterator[httpx.Client]:
    """A client of the dashboard app over `root`, every response checked for the CSP; the app's
    store is closed when the block ends."""
    app = create_app(Workspace(root), token)
    try:
        with httpx.Client(
            transport=_InProcess(app), base_url=base_url, event_hooks={"response": [_has_csp]}
        ) as client:
            yield client
    finally:
        app.state.dashboard.close()


def _handled(root: Path) -> set[str]:
    """The requests marked handled, read from the store (no dashboard may hold it)."""
    with Workspace(root).open_store(read_only=True) as store:
        return set(store.handled())


class _Forms(HTMLParser):
    """The inbox's forms: each one's hidden fields, unescaped."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.forms: list[dict[str, str]] = []
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "form" and found.get("action") == "/inbox/handled":
            self.forms.append({})
        elif tag == "input" and self.forms and found.get("name"):
            self.forms[-1][found["name"] or ""] = found.get("value") or ""


def _inbox_forms(client: httpx.Client) -> list[dict[str, str]]:
    response = client.get("/inbox")
    assert response.status_code == 200
    forms = _Forms(response.text).forms
    assert forms, "the inbox lists no request"
    return forms


def _payload_key(forms: list[dict[str, str]]) -> str:
    """A waiting request whose key is markup."""
    return next(f["message_key"] for f in forms if "<" in f["message_key"])


def _raw_markup(html: str) -> list[str]:
    """The payloads found verbatim where they would be markup."""
    return [p for p in MARKUP if p in html]


# -- no payload runs, in a real browser ---------------------------------------------------------

DOM_PROBLEMS = """(scripts) => {
  const problems = [];
  const allowed = new Set(["html", "head", "meta", "title", "link", "script", "style", "body",
    "header", "footer", "nav", "main", "section", "strong", "em", "a", "form", "label", "select",
    "option", "button", "input", "p", "h1", "h2", "h3", "div", "span", "figure", "figcaption",
    "table", "thead", "tbody", "tr", "th", "td", "code", "br"]);
  const urls = ["href", "src", "action", "formaction", "data", "xlink:href", "srcdoc", "poster",
    "background", "content", "style"];
  const describe = (el) => "<" + el.localName + "> " + el.outerHTML.slice(0, 120);
  for (const el of document.querySelectorAll("*")) {
    const tag = el.localName;
    const chart = el.closest(".chart, svg.marks") !== null;
    if (!chart && !allowed.has(tag)) problems.push("element " + describe(el));
    for (const attr of el.attributes) {
      const name = attr.name.toLowerCase();
      const value = attr.value;
      if (name.startsWith("on")) problems.push("handler " + name + " on " + describe(el));
      if (name.startsWith("hx-") && !["hx-get", "hx-post", "hx-target", "hx-swap"].includes(name))
        problems.push("htmx " + name + " on " + describe(el));
      if (name === "hx-get" && !value.startsWith("/community/picture?"))
        problems.push("hx-get " + describe(el));
      if (name === "hx-post" && value !== "/inbox/handled")
        problems.push("hx-post " + describe(el));
      if (["autofocus", "srcdoc", "formaction", "http-equiv"].includes(name))
        problems.push(name + " on " + describe(el));
      if (urls.includes(name) && value.replace(/[\\s\\x00-\\x1f]/g, "").toLowerCase()
          .includes("javascript:"))
        problems.push("javascript: URL in " + describe(el));
    }
    if (tag === "script") {
      const own = scripts && /^\\/static\\//.test(el.getAttribute("src") || "");
      const spec = el.getAttribute("type") === "application/json"
        && el.classList.contains("chart-spec")
        && el.previousElementSibling !== null && el.previousElementSibling.matches("div.chart");
      if (!own && !spec) problems.push("script " + describe(el));
      if (spec) { try { JSON.parse(el.textContent); } catch (e) { problems.push("spec " + e); } }
    }
    if (tag === "link" && !/^\\/static\\//.test(el.getAttribute("href") || ""))
      problems.push("link " + describe(el));
    if (tag === "style" && !chart && el.closest("head") === null)
      problems.push("style " + describe(el));
    if (tag === "meta" && !el.hasAttribute("charset") && el.getAttribute("name") !== "viewport")
      problems.push("meta " + describe(el));
    if (tag === "a" && !/^(\\/(?!\\/)|https:\\/\\/)/.test(el.getAttribute("href") || ""))
      problems.push("link " + describe(el));
    if (tag === "form" && !chart && !(el.getAttribute("action") || "").startsWith("/"))
      problems.push("form " + describe(el));
    if (tag === "input" && !chart && el.type !== "hidden") problems.push("input " + describe(el));
  }
  if (window.__xss !== undefined) problems.push("window.__xss was set");
  return problems;
}"""
"""What a page holds that no page of ours does: foreign elements, event handlers, htmx triggers,
`javascript:` URLs, scripts other than ours and our chart specs, foreign styles and links."""


class _Watch:
    """Everything a page does that betrays a payload: dialogs, requests leaving the server or
    for files it does not serve, CSP violations (something tried to run inline)."""

    def __init__(self, page: Page, origin: str) -> None:
        self.origin = origin
        self.problems: list[str] = []
        page.on("dialog", self._dialog)
        page.on("request", self._request)
        page.on("console", self._console)
        page.on("response", self._response)

    def _dialog(self, dialog: Dialog) -> None:
        self.problems.append(f"dialog {dialog.type}: {dialog.message}")
        dialog.dismiss()

    def _request(self, request: Request) -> None:
        url = request.url
        if url.startswith("file://") and self.origin == "file://":
            return
        path = url.removeprefix(self.origin).partition("?")[0]
        known = path.startswith("/static/") or path in (*PAGES, *OURS)
        if not url.startswith(self.origin + "/") or not known:
            self.problems.append(f"request {request.method} {url}")

    def _response(self, response: Response) -> None:
        ours = self.origin != "file://" and response.url.startswith(self.origin + "/")
        if ours and response.headers.get("content-security-policy") != CSP:
            self.problems.append(f"no CSP: {response.status} {response.url}")

    def _console(self, message: ConsoleMessage) -> None:
        if "Content Security Policy" in message.text:
            self.problems.append(f"CSP violation: {message.text}")


TOOLTIP = "document.querySelector('#vg-tooltip-element')?.innerText ?? ''"


def _dom_problems(page: Page, scripts: bool = True) -> list[str]:
    found: list[str] = page.evaluate(DOM_PROBLEMS, scripts)
    return found


def _check_page(page: Page, watch: _Watch, what: str) -> list[str]:
    page.wait_for_load_state("networkidle")
    return [f"{what}: {p}" for p in _dom_problems(page) + watch.problems]


def test_no_payload_runs_or_injects_markup_in_any_page(hostile: Path, browser: Browser) -> None:
    problems: list[str] = []
    shown: set[str] = set()
    with serving(hostile) as url:
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.set_default_timeout(10_000)
        watch = _Watch(page, url)
        for path in EVERY_PAGE:
            response = page.goto(url + path)
            assert response is not None and response.status == 200, path
            assert response.headers.get("content-security-policy") == CSP, path
            problems += _check_page(page, watch, path)
            text: str = page.evaluate("document.body.innerText")
            shown.update(p for p in PAYLOADS if p in text)
        assert problems == []
        # every payload was shown, as text, on some page
        assert sorted(set(PAYLOADS) - shown) == []

        # the picture's tooltips name members; the host toggle swaps the picture in with htmx
        page.goto(url + "/community")
        page.wait_for_selector(".picture .chart svg")
        dots = page.locator(".picture .chart svg .mark-symbol path")
        assert dots.count() > 10
        tips: set[str] = set()
        for k in range(8):
            box = dots.nth(k).bounding_box()
            assert box is not None
            page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
            page.wait_for_timeout(100)
            tips.add(page.evaluate(TOOLTIP))
        assert any(tip.startswith("account") for tip in tips), "hovering shows no tooltip"
        problems += _check_page(page, watch, "/community tooltips")
        page.get_by_role("button", name="Take the host away").click()
        page.wait_for_selector('.picture[data-host="without"] .chart svg')
        problems += _check_page(page, watch, "/community without the host")

        # marking a request whose key is markup handled, and undoing it, swaps rows with htmx
        page.goto(url + "/inbox")
        rows = page.locator("table.inbox tr:has(button.handled)")
        keys = [
            rows.nth(k).locator("input[name=message_key]").get_attribute("value") or ""
            for k in range(rows.count())
        ]
        row = rows.nth(next(k for k, key in enumerate(keys) if "<" in key))
        row.get_by_role("button", name="Handled").click()
        page.wait_for_selector("tr.marked")
        problems += _check_page(page, watch, "/inbox marked handled")
        page.locator("tr.marked").get_by_role("button", name="Undo").click()
        page.wait_for_selector("text=Back in the inbox.")
        problems += _check_page(page, watch, "/inbox undone")
        page.close()
    assert problems == []
    assert _handled(hostile) == set()


# -- no payload as markup in the raw HTML ----------------------------------------------------


def test_the_raw_html_of_every_page_holds_no_payload_as_markup(hostile: Path) -> None:
    escaped: set[str] = set()
    with in_process(hostile) as client:
        for path in EVERY_PAGE:
            response = client.get(path)
            assert response.status_code == 200, path
            assert _raw_markup(response.text) == [], path
            shown = (*PAYLOADS, TEAM, FILE_NAME)
            escaped.update(p for p in shown if str(escape(p)) in response.text)
        # the fragment htmx swaps in for a handled request, and back
        forms = _inbox_forms(client)
        key = _payload_key(forms)
        for undo in ("", "1"):
            fields = {"csrf": forms[0]["csrf"], "message_key": key, "undo": undo}
            response = client.post("/inbox/handled", data=fields, headers={"HX-Request": "true"})
            assert response.status_code == 200
            assert _raw_markup(response.text) == []
            if not undo:
                assert str(escape(key)) in response.text
    assert sorted(set(PAYLOADS) - escaped) == []
    assert {TEAM, FILE_NAME} <= escaped
    assert _handled(hostile) == set()


def test_templates_are_not_evaluated_in_user_text(hostile: Path) -> None:
    with in_process(hostile) as client:
        inbox = client.get("/inbox").text
    for payload in ("{{7*7}}", "{% print 7*7 %}", "${7*7}", "#{7*7}"):
        assert f"Where is my order? {escape(payload)}" in inbox
    assert "Where is my order? 49" not in inbox


# -- the reports --------------------------------------------------------------------------------


def test_the_html_report_runs_nothing_and_holds_no_payload_as_markup(
    hostile: Path, cli: CliRun, tmp_path: Path, browser: Browser
) -> None:
    out = tmp_path / "report.html"
    code, _, err = cli("-w", hostile, "report", "--format", "html", "-o", out)
    assert code == 0, err
    html = out.read_text(encoding="utf-8")
    assert "<script" not in html.lower()
    assert _raw_markup(html) == []
    escaped = [p for p in PAYLOADS if str(escape(p)) in html]
    assert str(escape(TEAM)) in html and len(escaped) >= 10
    page = browser.new_page()
    watch = _Watch(page, "file://")
    page.goto(out.as_uri())
    page.wait_for_load_state("load")
    problems = _dom_problems(page, scripts=False) + watch.problems
    page.close()
    assert problems == []


def _pdf_problems(obj: PdfObject | None, seen: set[int], where: str = "") -> Iterator[str]:
    """Scripts and automatic actions anywhere in the object graph under `obj`."""
    if isinstance(obj, IndirectObject):
        if obj.idnum in seen:
            return
        seen.add(obj.idnum)
        obj = obj.get_object()
    if isinstance(obj, DictionaryObject):
        for key, value in obj.items():
            if key in ("/JavaScript", "/JS", "/OpenAction", "/AA", "/Launch", "/SubmitForm"):
                yield f"{where}{key}"
            if key == "/S" and value in ("/JavaScript", "/Launch", "/SubmitForm", "/ImportData"):
                yield f"{where}/S {value}"
            if key == "/URI" and "javascript:" in str(value).lower():
                yield f"{where}/URI {value}"
            if key not in ("/Parent", "/P"):
                yield from _pdf_problems(value, seen, f"{where}{key}")
    elif isinstance(obj, ArrayObject):
        for value in obj:
            yield from _pdf_problems(value, seen, where)


def test_the_pdf_report_has_no_script_and_shows_payloads_as_text(
    hostile: Path, cli: CliRun, tmp_path: Path
) -> None:
    html, pdf = tmp_path / "report.html", tmp_path / "report.pdf"
    for path, kind in ((html, "html"), (pdf, "pdf")):
        code, _, err = cli("-w", hostile, "report", "--format", kind, "-o", path)
        assert code == 0, err
    data = pdf.read_bytes()
    for marker in (b"/JavaScript", b"/JS ", b"/OpenAction", b"/Launch"):
        assert marker not in data
    reader = PdfReader(pdf)
    assert list(_pdf_problems(reader.trailer, set())) == []

    def squashed(text: str) -> str:
        return "".join(text.replace("\x00", "").split())

    text = squashed("".join(p.extract_text() for p in reader.pages))
    # what the HTML report shows as text, the PDF shows as text: the payloads, literally (those
    # in ASCII: the PDF's fonts lack the full-width brackets, drawn as missing glyphs)
    report = html.read_text(encoding="utf-8")
    shown = [p for p in PAYLOADS if p.isascii() and str(escape(p)) in report]
    assert len(shown) >= 10
    assert [p for p in shown if squashed(p) not in text] == []
    assert squashed(TEAM) in text


# -- the token gate -----------------------------------------------------------------------------

GATED: tuple[tuple[str, str, int], ...] = (
    *(("GET", path, 200) for path in EVERY_PAGE),
    ("GET", "/health", 200),
    *(("GET", path, 200) for path in STATIC),
    ("GET", "/static/favicon.svg", 200),
    ("GET", "/static/nothing-here.js", 404),
    ("GET", "/no-such-page", 404),
    ("HEAD", "/", 200),
    ("POST", "/inbox/handled", 403),
    ("GET", "/inbox/handled", 405),
)
"""Every route (method, path, status with the token and no CSRF field)."""


def _check_gate(client: httpx.Client) -> None:
    """401 for everything without the token or with a wrong one; the token opens everything as a
    bearer header, once in the query, then as the cookie that set."""
    for method, path, status in GATED:
        assert client.request(method, path).status_code == 401, (method, path)
        for wrong in (f"Bearer {TOKEN}x", f"Bearer {TOKEN[:-1]}", "Bearer", f"Basic {TOKEN}"):
            response = client.request(method, path, headers={"Authorization": wrong})
            assert response.status_code == 401, (method, path, wrong)
        response = client.request(method, path, headers={"Cookie": "convivial_token=wrong"})
        assert response.status_code == 401, (method, path)
        sep = "&" if "?" in path else "?"
        response = client.request(method, f"{path}{sep}token=wrong")
        assert response.status_code == 401 and "set-cookie" not in response.headers, (method, path)
        assert client.cookies.get("convivial_token") is None

        response = client.request(method, path, headers={"Authorization": f"Bearer {TOKEN}"})
        assert response.status_code == status, (method, path)
        response = client.request(method, f"{path}{sep}token={TOKEN}")
        assert response.status_code == status, (method, path)
        if status != 403:  # a refused POST sets nothing
            cookie = response.headers.get("set-cookie", "")
            assert cookie.startswith(f"convivial_token={TOKEN};"), (method, path)
        client.cookies.clear()
    # once with ?token=: a cookie, and the cookie opens everything afterwards
    response = client.get(f"/?token={TOKEN}")
    assert response.status_code == 200
    cookie = response.headers["set-cookie"]
    assert cookie.startswith(f"convivial_token={TOKEN};")
    assert "HttpOnly" in cookie and "SameSite=Strict" in cookie
    assert client.cookies.get("convivial_token") == TOKEN
    for method, path, status in GATED:
        assert client.request(method, path).status_code == status, (method, path)
    client.cookies.clear()
    assert client.get("/").status_code == 401


def test_without_the_token_every_route_is_401_in_process(hostile: Path) -> None:
    with in_process(hostile, TOKEN, FOREIGN) as client:
        _check_gate(client)
    assert _handled(hostile) == set()


def test_a_server_on_every_interface_wants_the_token(hostile: Path) -> None:
    with serving(hostile, token=TOKEN, host="0.0.0.0") as url:
        reached = url.replace("://0.0.0.0:", "://127.0.0.1:")
        with httpx.Client(base_url=reached, event_hooks={"response": [_has_csp]}) as client:
            _check_gate(client)
    assert _handled(hostile) == set()


# -- CSRF ---------------------------------------------------------------------------------------

HERE = "http://127.0.0.1:8000"

REFUSED: dict[str, tuple[str, str, dict[str, str], dict[str, str]]] = {
    # name: (method, path, fields, headers); "page" stands for the page's CSRF token and
    # "swapcase" for it with its letters' case swapped
    "no csrf field": ("POST", "/inbox/handled", {}, {}),
    "empty csrf": ("POST", "/inbox/handled", {"csrf": ""}, {}),
    "wrong csrf": ("POST", "/inbox/handled", {"csrf": "not-the-token"}, {}),
    "csrf of the wrong case": ("POST", "/inbox/handled", {"csrf": "swapcase"}, {}),
    "foreign origin": ("POST", "/inbox/handled", {"csrf": "page"}, {"Origin": "http://evil.test"}),
    "null origin": ("POST", "/inbox/handled", {"csrf": "page"}, {"Origin": "null"}),
    "other port": ("POST", "/inbox/handled", {"csrf": "page"}, {"Origin": "http://127.0.0.1:1"}),
    "csrf in the query only": ("POST", "/inbox/handled?csrf=page", {}, {}),
    "htmx, no csrf": ("POST", "/inbox/handled", {}, {"HX-Request": "true"}),
    "PUT": ("PUT", "/inbox/handled", {"csrf": "page"}, {}),
}


@pytest.mark.parametrize("case", list(REFUSED))
def test_a_post_without_the_page_csrf_or_from_elsewhere_is_refused(
    hostile: Path, case: str
) -> None:
    method, path, fields, headers = REFUSED[case]
    with in_process(hostile, base_url=HERE) as client:
        forms = _inbox_forms(client)
        csrf, key = forms[0]["csrf"], _payload_key(forms)
        changed = {"page": csrf, "swapcase": csrf.swapcase()}
        sent = {k: changed.get(v, v) for k, v in fields.items()}
        response = client.request(
            method,
            path.replace("csrf=page", f"csrf={csrf}"),
            data={**sent, "message_key": key, "query": ""},
            headers=headers,
        )
        assert response.status_code == 403, response.text
        # still waiting
        assert key in [f["message_key"] for f in _inbox_forms(client)]
    assert _handled(hostile) == set()


def test_get_on_the_handled_route_is_405(hostile: Path) -> None:
    with in_process(hostile, base_url=HERE) as client:
        forms = _inbox_forms(client)
        response = client.get(
            "/inbox/handled",
            params={"csrf": forms[0]["csrf"], "message_key": _payload_key(forms)},
        )
        assert response.status_code == 405
    assert _handled(hostile) == set()


def test_a_post_with_the_page_csrf_marks_the_request_handled(hostile: Path) -> None:
    with in_process(hostile, base_url=HERE) as client:
        forms = _inbox_forms(client)
        keyed = [f for f in forms if "<" in f["message_key"]]
        form, other = keyed[0], keyed[1]
        # the plain form post: a redirect back to the inbox, which no longer lists it
        response = client.post("/inbox/handled", data=form, headers={"Origin": HERE})
        assert response.status_code == 303
        assert response.headers["location"].startswith("/inbox")
        # htmx: the row comes back marked, with an undo
        response = client.post("/inbox/handled", data=other, headers={"HX-Request": "true"})
        assert response.status_code == 200
        assert "Marked handled." in response.text
        assert _Forms(response.text).forms == [
            {"csrf": form["csrf"], "message_key": other["message_key"], "undo": "1"}
        ]
        waiting = [f["message_key"] for f in _inbox_forms(client)]
        assert form["message_key"] not in waiting and other["message_key"] not in waiting
        assert len(waiting) == len(forms) - 2
    assert _handled(hostile) == {form["message_key"], other["message_key"]}
    with in_process(hostile, base_url=HERE) as client:
        # a page of the last server carries its token: this one refuses it
        fields = {"csrf": form["csrf"], "message_key": form["message_key"], "undo": "1"}
        assert client.post("/inbox/handled", data=fields).status_code == 403
        csrf = _inbox_forms(client)[0]["csrf"]
        assert csrf != form["csrf"]
        for done in (form, other):
            fields = {"csrf": csrf, "message_key": done["message_key"], "undo": "1"}
            response = client.post("/inbox/handled", data=fields)
            assert response.status_code == 303
        assert len(_inbox_forms(client)) == len(forms)
    assert _handled(hostile) == set()


def test_an_empty_or_short_token_is_refused(hostile: Path, cli: CliRun) -> None:
    for weak in ("", "short"):
        with pytest.raises(ValueError, match="at least 16 characters"):
            create_app(Workspace(hostile), weak)
    code, _, err = cli("-w", hostile, "serve", "--host", "0.0.0.0", "--token", "")
    assert code == 1 and "--token needs at least 16 characters" in err


def test_without_a_token_only_loopback_names_are_answered(hostile: Path) -> None:
    """A page on another domain that points its name at 127.0.0.1 (DNS rebinding) must not
    read the dashboard or post to it."""
    with in_process(hostile, base_url="http://evil.example:8000") as client:
        assert client.get("/inbox").status_code == 403
        assert client.get("/static/convivial.css").status_code == 403
        assert client.post("/inbox/handled", data={"csrf": "x"}).status_code == 403
    for name in ("http://localhost:8000", "http://127.0.0.1:8000", "http://[::1]:8000"):
        with in_process(hostile, base_url=name) as client:
            assert client.get("/inbox").status_code == 200, name
