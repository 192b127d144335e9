"""The demo data plants what METRICS.md measures; read back with the csv module only."""

from __future__ import annotations

import csv
import re
import statistics
from collections import Counter, defaultdict
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest

from convivial.synth import DemoData, generate

FORMATS = Path(__file__).resolve().parents[1] / "docs" / "formats.md"
SECTIONS = {
    "Messages": "messages",
    "Accounts": "accounts",
    "Follows": "follows",
    "Interactions": "interactions",
}

Row = dict[str, str]
Account = tuple[str, str]


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> DemoData:
    return generate(tmp_path_factory.mktemp("demo"))


def read(data: DemoData, name: str) -> list[Row]:
    path = next(p for p in data.files if p.name == f"{name}.csv")
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def time(text: str) -> datetime:
    return datetime.fromisoformat(text)


def hosts(data: DemoData) -> set[Account]:
    pairs = (a.split(":", 1) for a in data.team.brand + data.team.staff)
    return {(platform, handle) for platform, handle in pairs}


def author(m: Row) -> Account:
    return m["platform"], m["author_id"]


def by_id(messages: list[Row]) -> dict[Account, Row]:
    return {(m["platform"], m["message_id"]): m for m in messages}


def parent(m: Row, index: dict[Account, Row]) -> Row | None:
    return index.get((m["platform"], m["parent_id"])) if m["parent_id"] else None


def replies_by_parent(messages: list[Row]) -> dict[Account, list[Row]]:
    replies: dict[Account, list[Row]] = defaultdict(list)
    for m in messages:
        if m["kind"] == "reply":
            replies[m["platform"], m["parent_id"]].append(m)
    return replies


def member_replies(
    data: DemoData, before: datetime | None = None
) -> dict[tuple[Account, Account], set[tuple[int, int]]]:
    """ISO weeks in which one member replied to another (before `before`), per ordered pair."""
    messages, host = read(data, "messages"), hosts(data)
    index = by_id(messages)
    weeks: dict[tuple[Account, Account], set[tuple[int, int]]] = defaultdict(set)
    for m in messages:
        p, at = parent(m, index), time(m["created_at"])
        if (before and at >= before) or m["kind"] != "reply" or not p:
            continue
        if author(m) not in host and author(p) not in host:
            weeks[author(m), author(p)].add(at.isocalendar()[:2])
    return weeks


def two_way(weeks: dict[tuple[Account, Account], set[tuple[int, int]]]) -> set[Account]:
    """Members in a pair who replied to each other both ways, in two ISO weeks or more."""
    return {
        member
        for (a, b), there in weeks.items()
        if (back := weeks.get((b, a))) and len(there | back) >= 2
        for member in (a, b)
    }


def documented_columns() -> dict[str, tuple[set[str], set[str]]]:
    """Per file, the columns docs/formats.md lists and those it requires."""
    columns: dict[str, tuple[set[str], set[str]]] = {}
    section = ""
    for line in FORMATS.read_text(encoding="utf-8").splitlines():
        if line.startswith("## "):
            section = SECTIONS.get(line[3:].split()[0], "")
            columns.setdefault(section, (set(), set()))
        elif section and line.startswith("| `"):
            cells = [c.strip() for c in line.strip("|").split("|")]
            names = set(re.findall(r"`(\w+)`", cells[0]))
            columns[section][0].update(names)
            if cells[1] == "yes":
                columns[section][1].update(names)
    return columns


def test_same_seed_same_bytes(demo: DemoData, tmp_path: Path) -> None:
    again = generate(tmp_path / "again", seed=7)
    other = generate(tmp_path / "other", seed=8)
    assert again.events == demo.events
    for mine, theirs in zip(demo.files, again.files, strict=True):
        assert mine.read_bytes() == theirs.read_bytes()
    assert other.files[1].read_bytes() != demo.files[1].read_bytes()


def test_headers_are_the_documented_columns(demo: DemoData) -> None:
    documented = documented_columns()
    assert demo.files[0].name == "accounts.csv"
    for path in demo.files:
        known, required = documented[path.stem]
        with path.open(encoding="utf-8", newline="") as f:
            header = set(next(csv.reader(f)))
        assert required <= header <= known, path.name


def test_team_accounts_have_profiles(demo: DemoData) -> None:
    profiles = {(a["platform"], a["account_id"]) for a in read(demo, "accounts")}
    assert hosts(demo) <= profiles
    assert len(profiles) == len(read(demo, "accounts"))


def test_events_are_the_rows_written(demo: DemoData) -> None:
    rows = sum(len(read(demo, name)) for name in ("messages", "follows", "interactions"))
    assert demo.events == rows
    assert 2_000 <= demo.events <= 50_000


def test_parents_and_likes_point_at_messages_in_the_file(demo: DemoData) -> None:
    messages = read(demo, "messages")
    index = by_id(messages)
    assert len(index) == len(messages), "message ids are unique per platform"
    for m in messages:
        for key in ("parent_id", "root_id"):
            assert not m[key] or (m["platform"], m[key]) in index
    likes = read(demo, "interactions")
    assert likes and {r["kind"] for r in likes} == {"like"}
    for like in likes:
        liked = index[like["platform"], like["message_id"]]
        assert like["target_id"] == liked["author_id"] != like["actor_id"]


def test_calendar_ends_on_2026_09_30(demo: DemoData) -> None:
    times = [time(m["created_at"]) for m in read(demo, "messages")]
    assert max(times).date().isoformat() == "2026-09-30"
    assert max(times) - min(times) >= timedelta(days=178)


def test_bought_and_giveaway_follower_spikes(demo: DemoData) -> None:
    follows = [f for f in read(demo, "follows") if f["followed_at"]]
    per_day = Counter(time(f["followed_at"]).date() for f in follows)
    first = min(per_day)
    every_day = [per_day[first + timedelta(days=i)] for i in range(180)]
    assert statistics.median(every_day) <= 10
    spikes = [day for day, n in per_day.items() if n >= 200]
    assert len(spikes) == 2

    profiles = {(a["platform"], a["account_id"]): a for a in read(demo, "accounts")}
    cohorts = [
        [profiles[f["platform"], f["follower_id"]] for f in follows if f["followed_at"][:10] == d]
        for d in (day.isoformat() for day in spikes)
    ]
    fakes = [
        sum(fake(a, followed_on=day) for a in c) for day, c in zip(spikes, cohorts, strict=True)
    ]
    bought, giveaway = cohorts if fakes[0] > fakes[1] else cohorts[::-1]
    assert max(fakes) >= 0.9 * len(bought)
    assert not any(a["default_avatar"] == "true" for a in giveaway)
    assert sum(int(a["posts"]) >= 50 for a in giveaway) >= 0.9 * len(giveaway)


def fake(a: Row, followed_on: date) -> bool:
    """Default avatar, no bio, next to no posts, following thousands, created days before."""
    age = followed_on - time(a["created_at"]).date()
    return (
        a["default_avatar"] == "true"
        and not a["bio"]
        and int(a["posts"]) <= 3
        and int(a["following"]) >= 1000
        and age <= timedelta(days=7)
    )


def test_giveaway_entrants_followed_that_day_and_never_come_back(demo: DemoData) -> None:
    messages, likes = read(demo, "messages"), read(demo, "interactions")
    giveaway = next(m for m in messages if "Win a new bike" in m["text"])
    entrants = {author(m) for m in messages if m["parent_id"] == giveaway["message_id"]}
    entrants |= {
        (r["platform"], r["actor_id"]) for r in likes if r["message_id"] == giveaway["message_id"]
    }
    followed_that_day = {
        (f["platform"], f["follower_id"])
        for f in read(demo, "follows")
        if f["followed_at"][:10] == giveaway["created_at"][:10]
    }
    assert len(entrants) >= 100
    assert entrants <= followed_that_day
    assert all(m["parent_id"] == giveaway["message_id"] for m in messages if author(m) in entrants)
    assert all(
        r["message_id"] == giveaway["message_id"]
        for r in likes
        if (r["platform"], r["actor_id"]) in entrants
    )


def test_core_members_reply_to_each_other_both_ways_in_several_weeks(demo: DemoData) -> None:
    assert 15 <= len(two_way(member_replies(demo))) <= 25


def test_most_members_only_talk_to_the_shop(demo: DemoData) -> None:
    messages, host = read(demo, "messages"), hosts(demo)
    talking = {m for pair in member_replies(demo) for m in pair}
    talking |= {
        author(m)
        for m in messages
        if author(m) not in host
        and any((m["platform"], h) not in host for h in m["mentions"].split())
    }
    addressing = {
        author(m)
        for m in messages
        if author(m) not in host and any((m["platform"], h) in host for h in m["mentions"].split())
    }
    assert len(addressing - talking) >= 120


def test_some_questions_get_no_host_reply(demo: DemoData) -> None:
    messages, host = read(demo, "messages"), hosts(demo)
    replies = replies_by_parent(messages)
    questions = [
        m
        for m in messages
        if m["kind"] == "post"
        and author(m) not in host
        and "?" in m["text"]
        and any((m["platform"], h) in host for h in m["mentions"].split())
    ]
    waits = [
        min(time(r["created_at"]) for r in answers) - time(q["created_at"])
        for q in questions
        if (answers := [r for r in replies[q["platform"], q["message_id"]] if author(r) in host])
    ]
    assert len(questions) - len(waits) >= 10
    assert len(waits) >= 0.6 * len(questions)
    assert sorted(waits)[len(waits) // 2] <= timedelta(hours=12)


def test_host_replies_are_sometimes_personal_or_deflecting(demo: DemoData) -> None:
    host = hosts(demo)
    replies = [m for m in read(demo, "messages") if m["kind"] == "reply" and author(m) in host]
    staff = {tuple(s.split(":", 1)) for s in demo.team.staff}
    assert sum(author(m) in staff for m in replies) >= 20
    assert sum(m["text"].endswith(("-Anna", "^TW")) for m in replies) >= 20
    assert sum(any(w in m["text"] for w in ("DM", "email", "call")) for m in replies) >= 5


def test_shop_shares_and_quotes_member_posts(demo: DemoData) -> None:
    messages, host = read(demo, "messages"), hosts(demo)
    index = by_id(messages)
    gives = [
        m
        for m in messages
        if m["kind"] in ("share", "quote") and author(m) in host
        if (p := parent(m, index)) and author(p) not in host
    ]
    assert {m["kind"] for m in gives} == {"share", "quote"}


def test_facebook_gets_effort_but_no_members(demo: DemoData) -> None:
    messages, host = read(demo, "messages"), hosts(demo)
    by_host = Counter(m["platform"] for m in messages if author(m) in host)
    by_members = Counter(m["platform"] for m in messages if author(m) not in host)
    effort = by_host["facebook"] / by_host.total()
    activity = by_members["facebook"] / by_members.total()
    assert effort >= 3 * activity
    assert effort >= 0.2


def test_sale_is_posted_again_and_again(demo: DemoData) -> None:
    host = hosts(demo)
    posts = [
        shingles(m["text"])
        for m in sorted(read(demo, "messages"), key=lambda m: m["created_at"])
        if m["kind"] == "post" and author(m) in host
    ]
    repeats = sum(
        any(len(s & e) / len(s | e) >= 0.8 for e in posts[:i]) for i, s in enumerate(posts)
    )
    assert repeats >= 40


def shingles(text: str) -> set[tuple[str, ...]]:
    words = re.findall(r"\w+", text.lower())
    return {tuple(words[i : i + 5]) for i in range(max(1, len(words) - 4))}


def test_newcomers_some_welcomed_some_not(demo: DemoData) -> None:
    messages, host = read(demo, "messages"), hosts(demo)
    replies = replies_by_parent(messages)
    end = max(time(m["created_at"]) for m in messages)
    first: dict[Account, Row] = {}
    for m in sorted(messages, key=lambda m: m["created_at"]):
        if author(m) not in host:
            first.setdefault(author(m), m)
    newcomers = [m for m in first.values() if end - time(m["created_at"]) < timedelta(days=90)]

    def welcomed(m: Row) -> bool:
        answers = replies[m["platform"], m["message_id"]]
        return any(
            time(r["created_at"]) - time(m["created_at"]) <= timedelta(hours=48) for r in answers
        )

    assert sum(map(welcomed, newcomers)) >= 10
    assert len(newcomers) - sum(map(welcomed, newcomers)) >= 5


def test_core_members_slip_away(demo: DemoData) -> None:
    messages = read(demo, "messages")
    end = max(time(m["created_at"]) for m in messages)
    core_before = two_way(member_replies(demo, before=end - timedelta(days=90)))
    recent = end - timedelta(days=30)
    active = {author(m) for m in messages if time(m["created_at"]) >= recent}
    active |= {
        (r["platform"], r["actor_id"])
        for r in read(demo, "interactions")
        if time(r["created_at"]) >= recent
    }
    assert 2 <= len(core_before - active) <= len(core_before) // 2


def test_scale_gives_about_that_many_events(tmp_path: Path) -> None:
    data = generate(tmp_path, seed=1, scale=200_000)
    assert 150_000 <= data.events <= 250_000
    rows = 0
    for path in data.files[1:]:
        with path.open(encoding="utf-8", newline="") as f:
            rows += sum(1 for _ in csv.reader(f)) - 1
    assert rows == data.events
