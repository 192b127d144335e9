"""The dashboard in a real browser (Debian's Chromium): every page loads clean on the demo and the
TWCS workspaces, the host toggle changes the picture, and a handled request stays handled."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from browser import PAGES, chromium, serving
from playwright.sync_api import Browser, ConsoleMessage, Page

SHOTS = Path(__file__).resolve().parent.parent / "test-output" / "screenshots"
"""Where each page's screenshot goes, for a reviewer to look at."""


def _convivial(*args: str | Path) -> None:
    command = [str(Path(sys.executable).parent / "convivial"), *(str(a) for a in args)]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("dash") / "demo"
    _convivial("demo", root)
    return root


@pytest.fixture(scope="module")
def twcs(tmp_path_factory: pytest.TempPathFactory, twcs_head: Path) -> Path:
    root = tmp_path_factory.mktemp("dash") / "twcs"
    _convivial("-w", root, "init")
    _convivial("-w", root, "import", "twcs", twcs_head)
    return root


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with chromium() as found:
        yield found


def _watched(page: Page) -> list[str]:
    """The console errors and uncaught exceptions the page reports, as they come."""
    problems: list[str] = []

    def console(message: ConsoleMessage) -> None:
        if message.type == "error":
            problems.append(f"console: {message.text}")

    page.on("console", console)
    page.on("pageerror", lambda error: problems.append(f"exception: {error}"))
    page.on(
        "response",
        lambda response: (
            problems.append(f"{response.status}: {response.url}")
            if response.status >= 400
            else None
        ),
    )
    return problems


@pytest.mark.parametrize("name", ["demo", "twcs"])
def test_every_page_loads_with_no_console_errors(
    name: str, request: pytest.FixtureRequest, browser: Browser
) -> None:
    root: Path = request.getfixturevalue(name)
    shots = SHOTS / name
    shots.mkdir(parents=True, exist_ok=True)
    with serving(root) as url:
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        problems = _watched(page)
        for path in PAGES:
            page.goto(url + path)
            page.wait_for_load_state("networkidle")
            assert page.locator("main h1").count() == 1, path
            charts = page.locator("script.chart-spec").count()
            # vega-embed drew every chart the page carries
            assert page.locator(".chart svg").count() >= charts, path
            page.screenshot(path=shots / f"{path.strip('/') or 'overview'}.png", full_page=True)
        page.close()
    assert problems == []


def test_the_host_toggle_changes_the_picture(demo: Path, browser: Browser) -> None:
    with serving(demo) as url:
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        problems = _watched(page)
        page.goto(url + "/community")
        page.wait_for_load_state("networkidle")
        picture = page.locator(".picture")
        assert picture.get_attribute("data-host") == "with"
        before = int(picture.get_attribute("data-nodes") or 0)
        dots_before = page.locator(".picture .chart svg .mark-symbol path").count()
        page.get_by_role("button", name="Take the host away").click()
        page.wait_for_selector('.picture[data-host="without"] .chart svg')
        after = int(page.locator(".picture").get_attribute("data-nodes") or 0)
        dots_after = page.locator(".picture .chart svg .mark-symbol path").count()
        assert 0 < after < before
        assert dots_before == before and dots_after == after
        assert "still talk to another member" in page.locator(".picture").inner_text()
        page.screenshot(path=SHOTS / "demo" / "community-without-host.png", full_page=True)
        page.get_by_role("button", name="Bring the host back").click()
        page.wait_for_selector('.picture[data-host="with"] .chart svg')
        page.close()
    assert problems == []


def test_a_request_marked_handled_stays_handled_after_a_restart(
    demo: Path, browser: Browser
) -> None:
    with serving(demo) as url:
        page = browser.new_page()
        page.goto(url + "/inbox")
        rows = page.locator("table.inbox tr:has(button.handled)")
        waiting = rows.count()
        assert waiting > 1
        first = rows.first.locator("input[name=message_key]").get_attribute("value")
        rows.first.locator("button.handled").click()
        page.wait_for_selector("tr.marked")
        assert "Marked handled." in page.locator("tr.marked").inner_text()
        page.close()
    with serving(demo) as url:  # a new server: the mark comes from the workspace
        page = browser.new_page()
        page.goto(url + "/inbox")
        keys = page.locator("table.inbox input[name=message_key]")
        shown = [keys.nth(i).get_attribute("value") for i in range(keys.count())]
        assert first not in shown
        assert len(shown) == min(waiting - 1, 200)
        page.close()
    _convivial("-w", demo, "inbox", "--format", "json", "--limit", "1000")
