"""Service metrics on the real TWCS file, against an independent plain-Python computation."""

from __future__ import annotations

import csv
import io
import re
import statistics
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

import pyarrow as pa
import pytest

from convivial.importer import import_file
from convivial.metrics import build_reports
from convivial.report.model import TeamReport
from convivial.report.wording import format_duration
from convivial.store import Store
from convivial.text.deflection import deflections
from convivial.text.labels import CLASSIFIERS
from convivial.text.requests import request_signals
from convivial.text.signatures import signed

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


def tweets_of(path: Path) -> dict[str, Tweet]:
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


def directed_by_brand(tweets: dict[str, Tweet]) -> tuple[dict[str, list[Tweet]], datetime]:
    """Each brand's directed tweets in the default window, and the window's end: a customer's
    tweet is directed at the brand it replies to, else at the first brand it mentions (leaving
    out the mentions a reply carries automatically: leading ones naming the parent's author or
    an account the parent mentions)."""
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
    return directed, end


def _expected(tweets: dict[str, Tweet]) -> dict[str, dict[str, float | int | None]]:
    """METRICS.md "Service" for each brand, computed plainly over `directed_by_brand`: a tweet is
    answered by that brand's earliest reply to it."""
    directed, end = directed_by_brand(tweets)
    start = end - timedelta(days=90)
    replies: dict[str, list[Tweet]] = {}
    for t in tweets.values():
        if t.parent:
            replies.setdefault(t.parent, []).append(t)
    ids = list(tweets)
    every_text = pa.array([tweets[i].text for i in ids])
    asks = dict(zip(ids, request_signals(every_text).request, strict=True))
    flags = {
        "deflection": dict(zip(ids, deflections(every_text), strict=True)),
        "personal": dict(zip(ids, signed(every_text), strict=True)),
    }
    out: dict[str, dict[str, float | int | None]] = {}
    for brand, asked in directed.items():
        requests = [t for t in asked if asks[t.id]]
        out[brand] = {
            **_response_times("directed", asked, brand, replies),
            **_response_times("request", requests, brand, replies),
            **_unanswered(requests, brand, replies, end),
            **_reply_shares([t for t in tweets.values() if t.author == brand], flags, start, end),
        }
    return out


def _first_answer(t: Tweet, brand: str, replies: dict[str, list[Tweet]]) -> datetime | None:
    answers = [r.at for r in replies.get(t.id, []) if r.author == brand and r.at >= t.at]
    return min(answers) if answers else None


def _response_times(
    prefix: str, asked: list[Tweet], brand: str, replies: dict[str, list[Tweet]]
) -> dict[str, float | int | None]:
    frts = []
    for t in asked:
        first = _first_answer(t, brand, replies)
        if first is not None:
            frts.append((first - t.at).total_seconds())
    return {
        f"{prefix}_count": len(asked),
        f"{prefix}_answered": len(frts),
        f"{prefix}_response_rate": len(frts) / len(asked) if asked else None,
        f"{prefix}_median_frt_s": statistics.median(frts) if frts else None,
        f"{prefix}_p90_frt_s": (
            statistics.quantiles(frts, n=10, method="inclusive")[8]
            if len(frts) > 1
            else (frts[0] if frts else None)
        ),
    }


def _unanswered(
    requests: list[Tweet], brand: str, replies: dict[str, list[Tweet]], end: datetime
) -> dict[str, float | int | None]:
    ages = [(end - t.at).total_seconds() for t in requests if not _first_answer(t, brand, replies)]
    return {
        "unanswered_count": len(ages),
        "unanswered_under_1h": sum(a < 3600 for a in ages),
        "unanswered_under_1d": sum(3600 <= a < 86400 for a in ages),
        "unanswered_under_1w": sum(86400 <= a < 7 * 86400 for a in ages),
        "unanswered_older": sum(a >= 7 * 86400 for a in ages),
    }


def _reply_shares(
    written: list[Tweet], flags: dict[str, dict[str, bool]], start: datetime, end: datetime
) -> dict[str, float | int | None]:
    """A brand's replies in the window; with no staff accounts in TWCS, personal = signed."""
    replies = [t for t in written if t.parent and start <= t.at < end]
    n = len(replies)
    out: dict[str, float | int | None] = {"host_replies": n}
    for name, flagged in flags.items():
        out[f"{name}_share"] = sum(bool(flagged[t.id]) for t in replies) / n if n else None
    return out


@pytest.fixture(scope="module")
def reports(tmp_path_factory: pytest.TempPathFactory, twcs_head: Path) -> dict[str, TeamReport]:
    store = Store(tmp_path_factory.mktemp("service") / "convivial.duckdb")
    import_file(store, "twcs", twcs_head)
    store.refresh_labels(CLASSIFIERS)  # as every command that reports does first
    return {r.team: r for r in build_reports(store)}


def test_service_metrics_follow_the_definition_for_every_brand(
    reports: dict[str, TeamReport], twcs_head: Path
) -> None:
    expected = _expected(tweets_of(twcs_head))
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
    assert sum(int(v["unanswered_count"] or 0) for v in expected.values()) >= 50


def test_durations_read_as_people_say_them() -> None:
    assert [format_duration(s) for s in (45, 552, 12_000, 200_000)] == [
        "45 s",
        "9 min",
        "3 h 20 min",
        "2 d 7 h",
    ]
