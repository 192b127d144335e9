"""`convivial inbox`: unanswered requests with age, visibility and the asker's standing; answering
(importing the reply) removes them; business hours read in the team's zone across DST."""

from __future__ import annotations

import csv
import json
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pyarrow as pa
import pytest
from conftest import CliRun
from test_service import directed_by_brand, tweets_of

from convivial.metrics.hours import parse_hours

HEADER = ["platform", "message_id", "author_id", "created_at", "text", "parent_id", "likes"]


def _write(path: Path, rows: list[list[str]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(HEADER)
        writer.writerows(rows)
    return path


@pytest.fixture
def shop(tmp_path: Path, cli: CliRun) -> Path:
    """A bakery's workspace: a question nobody answered, watched by two people, a thank-you,
    and a complaint the bakery answered."""
    root = tmp_path / "ws"
    code, _, err = cli("-w", root, "init", "--team", "Bakery", "--brand", "twitter:bakery")
    assert code == 0, err
    rows = [  # message_id | author | created_at | text | parent | likes
        "1|bakery|2026-03-01T08:00:00Z|Fresh sourdough today!||",
        "2|ann|2026-03-02T09:00:00Z|@bakery why is my order late?||3",
        "3|bob|2026-03-02T09:30:00Z|@ann same here <b>!|2|",
        "4|cy|2026-03-02T10:00:00Z|@ann @bakery me too|2|",
        "5|dee|2026-03-03T09:00:00Z|@bakery lovely bread, thanks||",
        "6|eve|2026-03-04T09:00:00Z|@bakery my cake was stale and disgusting||",
        "7|bakery|2026-03-04T09:20:00Z|@eve So sorry! -Jo|6|",
    ]
    _write(tmp_path / "messages.csv", [["twitter", *r.split("|")] for r in rows])
    code, _, err = cli("-w", root, "import", "csv", tmp_path / "messages.csv")
    assert code == 0, err
    return root


def _inbox(cli: CliRun, root: Path) -> list[dict[str, object]]:
    code, out, err = cli("-w", root, "inbox", "--team", "Bakery", "--format", "json")
    assert code == 0, err
    found = json.loads(out)
    assert found["team"] == "Bakery" and set(found["window"]) == {"start", "end"}
    waiting: list[dict[str, object]] = found["unanswered"]
    return waiting


def test_the_inbox_lists_the_unanswered_request_with_who_is_watching(
    shop: Path, cli: CliRun
) -> None:
    [only] = _inbox(cli, shop)
    assert only["message_key"] == "twitter:2"
    assert only["link"] == "https://x.com/i/web/status/2"
    assert only["asker"] == "twitter:ann" and only["asker_status"] == "newcomer"
    assert only["visibility"] == 3 + 2  # three likes, two replies by others
    assert only["watchers"] == ["twitter:bob", "twitter:cy"]
    # the window ends just after the latest event (bakery's reply, 2 days and 20 minutes later)
    assert only["age_s"] == 2 * 86400 + 20 * 60


def test_answering_removes_a_request_from_the_inbox(
    shop: Path, cli: CliRun, tmp_path: Path
) -> None:
    reply = _write(
        tmp_path / "reply.csv",
        [["twitter", "8", "bakery", "2026-03-04T10:00:00Z", "@ann On its way now, Ann!", "2", ""]],
    )
    code, _, err = cli("-w", shop, "import", "csv", reply)
    assert code == 0, err
    assert _inbox(cli, shop) == []
    code, out, _ = cli("-w", shop, "inbox", "--team", "Bakery")
    assert code == 0 and "every question and complaint was answered" in out


def test_the_inbox_in_text_shows_age_asker_and_where_to_answer(shop: Path, cli: CliRun) -> None:
    code, out, _ = cli("-w", shop, "inbox")
    assert code == 0
    assert "1 waiting for an answer" in out
    assert "waiting 2 d 0 h" in out and "twitter:ann newcomer" in out
    assert "5 watching (twitter:bob, twitter:cy)" in out
    assert "https://x.com/i/web/status/2" in out and "why is my order late?" in out


def test_the_report_counts_what_the_inbox_lists(shop: Path, cli: CliRun) -> None:
    code, out, _ = cli("-w", shop, "report", "--team", "Bakery", "--format", "json")
    assert code == 0
    report = json.loads(out)
    m = report["metrics"]
    # cy's "@ann @bakery" names bakery only because ann's message did: a reply, not a mention
    assert (m["directed_count"], m["request_count"], m["request_answered"]) == (3, 2, 1)
    assert m["unanswered_count"] == 1 and m["unanswered_older"] == 0
    assert m["unanswered_under_1w"] == 1
    assert m["request_median_frt_s"] == 20 * 60 == m["request_p90_frt_s"]
    assert (m["host_replies"], m["personal_share"], m["deflection_share"]) == (1, 1.0, 0.0)
    assert [r["message_key"] for r in report["lists"]["unanswered"]] == ["twitter:2"]
    [responder] = report["lists"]["responders"]
    assert responder["account_key"] == "twitter:bakery" and responder["replies"] == 1
    assert responder["answered_first"] == 1 and responder["median_frt_s"] == 20 * 60


def test_the_html_report_escapes_the_requests_it_shows(
    shop: Path, cli: CliRun, tmp_path: Path
) -> None:
    page = tmp_path / "report.html"
    code, _, _ = cli("-w", shop, "report", "--format", "html", "-o", page)
    assert code == 0
    html = page.read_text(encoding="utf-8")
    assert "Waiting for an answer" in html and "why is my order late?" in html
    assert "<b>" not in html


def test_business_hours_follow_the_clock_across_daylight_saving() -> None:
    hours = parse_hours("Mon-Fri 09:00-17:00, Sat 10:00-12:00", "Europe/Amsterdam")
    utc = [
        datetime(2026, 3, 27, 8, 30),  # Fri 09:30 CET: open
        datetime(2026, 3, 30, 7, 30),  # Mon 09:30 CEST, the day after clocks moved: open
        datetime(2026, 3, 30, 15, 30),  # Mon 17:30 CEST: closed
        datetime(2026, 3, 28, 9, 0),  # Sat 10:00 CET: open
        datetime(2026, 3, 29, 9, 0),  # Sun: closed
        datetime(2026, 10, 26, 8, 30),  # Mon 09:30 CET after clocks moved back: open
    ]
    assert hours.in_hours(pa.array(utc)).tolist() == [True, True, False, True, False, True]


@pytest.mark.parametrize(
    ("spec", "wrong"),
    [
        ("Mon-Fri 9-17", "not like"),
        ("Mon-Fry 09:00-17:00", "unknown day"),
        ("Mon 17:00-09:00", "closes before it opens"),
        ("Mon 25:00-26:00", "not a time of day"),
    ],
)
def test_wrong_hours_are_refused_with_a_reason(spec: str, wrong: str) -> None:
    with pytest.raises(ValueError, match=wrong):
        parse_hours(spec, "Europe/Amsterdam")


def test_init_refuses_hours_it_cannot_read(tmp_path: Path, cli: CliRun) -> None:
    code, _, err = cli(
        "-w", tmp_path, "init", "--team", "T", "--timezone", "UTC", "--hours", "weekdays"
    )
    assert code == 1 and "--hours 'weekdays'" in err


def test_the_service_split_by_business_hours_matches_a_plain_reading(
    tmp_path: Path, cli: CliRun, twcs_head: Path
) -> None:
    root = tmp_path / "ws"
    zone = "America/New_York"
    code, _, err = cli(
        "-w", root, "init", "--team", "AppleSupport", "--brand", "twitter:AppleSupport",
        "--timezone", zone, "--hours", "Mon-Fri 09:00-18:00",
    )  # fmt: skip
    assert code == 0, err
    assert cli("-w", root, "import", "twcs", twcs_head)[0] == 0
    code, out, _ = cli("-w", root, "report", "--team", "AppleSupport", "--format", "json")
    assert code == 0
    m = json.loads(out)["metrics"]
    assert m["business_hours_count"] + m["off_hours_count"] == m["directed_count"] > 100
    assert m["business_hours_count"] > 0 and m["off_hours_count"] > 0
    directed, _ = directed_by_brand(tweets_of(twcs_head))
    tz = ZoneInfo(zone)
    local = [t.at.replace(tzinfo=UTC).astimezone(tz) for t in directed["AppleSupport"]]
    assert len(local) == m["directed_count"]
    opened = sum(at.weekday() < 5 and 9 <= at.hour < 18 for at in local)
    assert opened == m["business_hours_count"]
