"""Service metrics on the real TWCS file, against an independent plain-Python computation."""

from __future__ import annotations

import csv
import io
import re
import statistics
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from convivial.importer import import_file
from convivial.metrics import build_reports
from convivial.report.model import TeamReport
from convivial.report.wording import format_duration
from convivial.store import Store

MENTION = re.compile(r"(?:^|[^\w@/.])@(\w+)")
LEADING = re.compile(r"^(?:\s*@\S+)+")


@dataclass(frozen=True)
class Tweet:
    id: str
    author: str
    inbound: bool
    at: datetime
    text: str
    parent: str | None


def _tweets(path: Path) -> dict[str, Tweet]:
    """Plain csv reading; the one row whose text holds bare carriage returns is read by splitting
    on line feeds only, which the file's quoting allows."""
    data = path.read_bytes().decode("utf-8").replace("\r", "\x1e")
    rows = list(csv.reader(io.StringIO(data, newline="")))[1:]
    out = {}
    for r in rows:
        _, tweet_id, author, inbound, created, text, _, parent = r
        at = datetime.strptime(created, "%a %b %d %H:%M:%S %z %Y").replace(tzinfo=None)
        out[tweet_id] = Tweet(
            tweet_id,
            author,
            inbound == "True",
            at,
            text.replace("\x1e", "\r"),
            str(int(float(parent))) if parent else None,
        )
    return out


def _expected(tweets: dict[str, Tweet]) -> dict[str, dict[str, float | int | None]]:
    """METRICS.md "Service" for each brand, computed plainly: a customer's tweet in the window is
    directed at the brand it replies to, else at the first brand it mentions (leaving out the
    mentions a reply carries automatically: leading ones naming the parent's author or an
    account the parent mentions); it is answered by that brand's earliest reply to it."""
    brands = {t.author for t in tweets.values() if not t.inbound}
    by_lower = {b.lower(): b for b in brands}
    end = max(t.at for t in tweets.values()) + timedelta(microseconds=1)
    start = end - timedelta(days=90)
    directed: dict[str, list[Tweet]] = {b: [] for b in brands}
    for t in tweets.values():
        if t.author in brands or not start <= t.at < end:
            continue
        parent = tweets.get(t.parent) if t.parent else None
        if parent is not None and parent.author in brands:
            directed[parent.author].append(t)
            continue
        mentions = [m.lower() for m in MENTION.findall(t.text)]
        if parent is not None:
            lead = LEADING.match(t.text)
            leading = len(re.findall(r"@\S+", lead.group(0))) if lead else 0
            auto = {parent.author.lower(), *(m.lower() for m in MENTION.findall(parent.text))}
            mentions = [m for i, m in enumerate(mentions) if not (i < leading and m in auto)]
        first = next((by_lower[m] for m in mentions if m in by_lower), None)
        if first is not None:
            directed[first].append(t)
    replies: dict[str, list[Tweet]] = {}
    for t in tweets.values():
        if t.parent:
            replies.setdefault(t.parent, []).append(t)
    out = {}
    for brand, asked in directed.items():
        frts = []
        for t in asked:
            answers = [r.at for r in replies.get(t.id, []) if r.author == brand and r.at >= t.at]
            if answers:
                frts.append((min(answers) - t.at).total_seconds())
        out[brand] = {
            "directed_count": len(asked),
            "directed_answered": len(frts),
            "directed_response_rate": len(frts) / len(asked) if asked else None,
            "directed_median_frt_s": statistics.median(frts) if frts else None,
            "directed_p90_frt_s": (
                statistics.quantiles(frts, n=10, method="inclusive")[8]
                if len(frts) > 1
                else (frts[0] if frts else None)
            ),
        }
    return out


@pytest.fixture(scope="module")
def reports(tmp_path_factory: pytest.TempPathFactory, twcs_head: Path) -> dict[str, TeamReport]:
    store = Store(tmp_path_factory.mktemp("service") / "convivial.duckdb")
    import_file(store, "twcs", twcs_head)
    return {r.team: r for r in build_reports(store)}


def test_directed_metrics_follow_the_definition_for_every_brand(
    reports: dict[str, TeamReport], twcs_head: Path
) -> None:
    expected = _expected(_tweets(twcs_head))
    assert set(expected) == set(reports)
    for brand, values in expected.items():
        for key, value in values.items():
            got = reports[brand].metrics[key]
            if isinstance(value, float):
                assert got == pytest.approx(value, abs=1e-9), (brand, key)
            else:
                assert got == value, (brand, key)
    busy = [b for b, v in expected.items() if (v["directed_count"] or 0) >= 20]
    assert len(busy) >= 20  # the check covers the brands that matter


def test_durations_read_as_people_say_them() -> None:
    assert [format_duration(s) for s in (45, 552, 12_000, 200_000)] == [
        "45 s",
        "9 min",
        "3 h 20 min",
        "2 d 7 h",
    ]
