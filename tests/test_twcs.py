"""The twcs source on the real TWCS files, checked against an independent reading of the CSV."""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pytest
from conftest import count

from convivial.importer import FileImport, import_file
from convivial.store import Store


@dataclass(frozen=True)
class Tweet:
    """One row of a TWCS file as read by `read_csv` below."""

    line: int
    tweet_id: str
    author_id: str
    inbound: str
    created_at: str
    text: str
    in_response_to: str


def read_csv(data: str) -> Iterator[tuple[int, list[str]]]:
    """RFC 4180 records with the line each starts on, one character at a time.

    Written for these tests, independently of the product's scanner: a record ends at a line
    feed (or CR LF) outside quotes; a carriage return not followed by a line feed is text.
    """
    row: list[str] = []
    field: list[str] = []
    quoted = in_quotes = False
    line = start = 1
    i = 0
    while i < len(data):
        ch = data[i]
        if in_quotes:
            if ch == '"' and data[i + 1 : i + 2] == '"':
                field.append('"')
                i += 1
            elif ch == '"':
                in_quotes = False
            else:
                line += ch == "\n"
                field.append(ch)
        elif ch == '"' and not field and not quoted:
            in_quotes = quoted = True
        elif ch == ",":
            row.append("".join(field))
            field, quoted = [], False
        elif ch == "\n" or (ch == "\r" and data[i + 1 : i + 2] == "\n"):
            i += ch == "\r"
            row.append("".join(field))
            yield start, row
            row, field, quoted = [], [], False
            line += 1
            start = line
        else:
            field.append(ch)
        i += 1
    assert not in_quotes, "the file ends inside a quoted field"
    if field or row:
        row.append("".join(field))
        yield start, row


def read_tweets(path: Path) -> list[Tweet]:
    records = read_csv(path.read_bytes().decode("utf-8"))
    _, header = next(records)
    tweets = []
    for line, row in records:
        assert len(row) == len(header), f"line {line}: {row}"
        cells = dict(zip(header, row, strict=True))
        tweets.append(
            Tweet(
                line,
                cells["tweet_id"],
                cells["author_id"],
                cells["inbound"],
                cells["created_at"],
                cells["text"],
                cells["in_response_to_tweet_id"].removesuffix(".0"),
            )
        )
    return tweets


HANDLE = re.compile(r"(?<![\w@/.])@(\w+)", re.ASCII)
"""A Twitter @handle: letters, digits and _, not inside a word, an address or a URL."""


def mentions(text: str) -> list[tuple[int, str]]:
    """(offset, lower-case handle) of each @handle in a tweet."""
    return [(m.start(), m.group(1).lower()) for m in HANDLE.finditer(text)]


def leading_end(text: str) -> int:
    """Where the run of @words that opens a tweet ends (0 when it opens with another word)."""
    end = 0
    for word in re.finditer(r"\S+", text):
        if not word.group().startswith("@"):
            break
        end = word.end()
    return end


def expected_mentions(tweets: list[Tweet]) -> set[tuple[str, str]]:
    """(tweet id, mentioned account in lower case) per the rule in store/writer.py's docstring.

    Each mention gives author -> mentioned account, except the leading mentions of a reply that
    name the parent's author or an account the parent mentions; self-mentions are dropped.
    """
    by_id = {t.tweet_id: t for t in tweets}
    out = set()
    for tweet in tweets:
        author = tweet.author_id.lower()
        parent = by_id.get(tweet.in_response_to)
        automatic: set[str] = set()
        if parent is not None:
            automatic = {parent.author_id.lower()} | {h for _, h in mentions(parent.text)}
        lead = leading_end(tweet.text)
        for offset, handle in mentions(tweet.text):
            if handle == author:
                continue
            if offset < lead and handle in automatic:
                continue
            out.add((tweet.tweet_id, handle))
    return out


@pytest.fixture(scope="module")
def tweets(twcs_head: Path) -> list[Tweet]:
    return read_tweets(twcs_head)


@pytest.fixture(scope="module")
def head(tmp_path_factory: pytest.TempPathFactory, twcs_head: Path) -> Iterator[Store]:
    """A store holding twcs_head5000.csv, imported once for the read-only tests here."""
    with Store(tmp_path_factory.mktemp("twcs") / "convivial.duckdb") as store:
        result = import_file(store, "twcs", twcs_head)
        assert not result.already_imported
        yield store


def key(tweet_id: str) -> str:
    return f"twitter:{tweet_id}"


def test_the_independent_reader_sees_5000_tweets(tweets: list[Tweet]) -> None:
    assert len(tweets) == 5000
    assert len({t.tweet_id for t in tweets}) == 5000
    bare = [t for t in tweets if "\r" in t.text]
    assert [t.tweet_id for t in bare] == ["3399"]
    assert bare[0].text.count("\r") == 2


def test_every_tweet_is_imported(twcs_head: Path, tmp_path: Path) -> None:
    with Store(tmp_path / "convivial.duckdb") as store:
        result = import_file(store, "twcs", twcs_head)
        assert result.record.rows_read == 5000
        assert result.record.messages_added == 5000
        assert result.record.rejects == 0
        assert store.rejects() == []
        assert store.counts()["messages"] == 5000
        assert count(store, "SELECT count(DISTINCT message_key) FROM messages") == 5000


def test_each_text_is_intact(head: Store, tweets: list[Tweet]) -> None:
    rows = head.arrow("SELECT message_key, text FROM messages").to_pylist()
    stored = {r["message_key"]: r["text"] for r in rows}
    assert stored.keys() == {key(t.tweet_id) for t in tweets}
    wrong = [
        (t.tweet_id, t.text, stored[key(t.tweet_id)])
        for t in tweets
        if stored[key(t.tweet_id)] != as_written(t.text)
    ]
    assert wrong == []
    escaped = [t for t in tweets if "&amp;" in t.text]
    assert len(escaped) > 100
    assert all("&amp;" not in stored[key(t.tweet_id)] for t in escaped if "&amp;amp;" not in t.text)


def as_written(text: str) -> str:
    """What the person typed: the file keeps Twitter's escaping of &, < and > (only those)."""
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def test_the_row_with_bare_carriage_returns_is_byte_for_byte(head: Store, twcs_head: Path) -> None:
    raw = twcs_head.read_bytes()
    start = raw.index(b"\n2484,3399,116510,True,") + 1
    line = raw[start : raw.index(b"\n", start)]
    text_bytes = line.split(b",", 5)[5].rsplit(b",", 2)[0]
    assert text_bytes.count(b"\r") == 2
    stored = head.arrow("SELECT text FROM messages WHERE message_key = 'twitter:3399'")
    text = stored.column(0)[0].as_py()
    assert text.encode("utf-8") == text_bytes
    assert (
        text == "@AskPayPal \r\rI just love the start of email \U0001f601 https://t.co/8u1Pf5rJoN"
    )


def test_authors_times_and_parents(head: Store, tweets: list[Tweet]) -> None:
    rows = head.arrow(
        "SELECT message_key, author_key, created_at, parent_key, kind, platform FROM messages"
    ).to_pylist()
    stored = {r["message_key"]: r for r in rows}
    for t in tweets:
        row = stored[key(t.tweet_id)]
        when = datetime.strptime(t.created_at, "%a %b %d %H:%M:%S %z %Y")
        assert row["platform"] == "twitter"
        assert row["author_key"] == key(t.author_id), t
        assert row["created_at"] == when.astimezone(UTC).replace(tzinfo=None), t
        assert row["parent_key"] == (key(t.in_response_to) if t.in_response_to else None), t
        assert row["kind"] == ("reply" if t.in_response_to else "post"), t


def test_76_teams_each_with_its_brand_account(head: Store, tweets: list[Tweet]) -> None:
    brands = {t.author_id for t in tweets if t.inbound == "False"}
    assert len(brands) == 76
    teams = head.arrow("SELECT team, origin FROM teams").to_pylist()
    assert {r["team"] for r in teams} == brands
    assert {r["origin"] for r in teams} == {"import"}
    members = head.arrow("SELECT team, platform, account_ref, role FROM team_accounts").to_pylist()
    got = sorted((r["team"], r["platform"], r["account_ref"], r["role"]) for r in members)
    assert got == sorted((b, "twitter", b, "brand") for b in brands)
    accounts = head.arrow("SELECT account_key, handle FROM accounts").to_pylist()
    handles = {r["account_key"]: r["handle"] for r in accounts}
    for brand in brands:
        assert handles.get(key(brand)) == brand


def test_importing_again_changes_nothing(twcs_head: Path, tmp_path: Path) -> None:
    with Store(tmp_path / "convivial.duckdb") as store:
        first = import_file(store, "twcs", twcs_head)
        before = store.counts()
        again = import_file(store, "twcs", twcs_head)
        assert again.already_imported
        assert again.record.import_id == first.record.import_id
        assert store.counts() == before
        assert len(store.imports()) == 1
        assert count(store, "SELECT count(*) FROM team_accounts") == 76


def first_id(store: Store) -> int:
    return store.imports()[0].import_id


def _import(store: Store, path: Path) -> FileImport:
    result = import_file(store, "twcs", path)
    assert not result.already_imported
    return result


def test_a_modified_copy_adds_only_the_new_row(twcs_head: Path, tmp_path: Path) -> None:
    copy = tmp_path / "twcs_plus_one.csv"
    new_row = (
        "5000,999001,115712,True,Wed Nov 01 10:00:00 +0000 2017,"
        '"@sprintcare still waiting, \r""really""",,1.0\n'
    )
    copy.write_bytes(twcs_head.read_bytes() + new_row.encode("utf-8"))
    with Store(tmp_path / "convivial.duckdb") as store:
        _import(store, twcs_head)
        before = store.counts()
        result = _import(store, copy)
        after = store.counts()
        assert result.record.rows_read == 5001
        assert result.record.messages_added == 1
        assert after["messages"] == before["messages"] + 1 == 5001
        assert count(store, "SELECT count(DISTINCT message_key) FROM messages") == 5001
        assert after["accounts"] == before["accounts"]
        # the new tweet replies to sprintcare's tweet 1, opening with @sprintcare: a reply only
        assert after["interactions"] == before["interactions"] + 1
        new = store.arrow(
            "SELECT actor_key, target_key, kind FROM interactions"
            " WHERE message_key = 'twitter:999001'"
        ).to_pylist()
        assert new == [
            {"actor_key": "twitter:115712", "target_key": "twitter:sprintcare", "kind": "reply"}
        ]
        text = store.arrow("SELECT text FROM messages WHERE message_key = 'twitter:999001'")
        assert text.column(0)[0].as_py() == '@sprintcare still waiting, \r"really"'
        old = count(store, "SELECT count(*) FROM messages WHERE import_id = ?", first_id(store))
        assert old == 5000
        duplicates = count(
            store,
            "SELECT count(*) FROM (SELECT kind, actor_key, target_key, message_key"
            " FROM interactions GROUP BY ALL HAVING count(*) > 1)",
        )
        assert duplicates == 0


def test_replies_before_their_parents_join_their_threads_later(
    head: Store, twcs_head: Path, tmp_path: Path
) -> None:
    """The file in three parts imported last part first: replies that came before their
    parents get their reply interactions, and their threads their roots, when the parents
    come; the threads, interactions and accounts end up as one import of the whole file leaves
    them (@mentions of a brand before its own tweets arrive name it in lower case)."""
    header, body = twcs_head.read_bytes().split(b"\n", 1)
    cuts = [0, body.index(b"\n1700,") + 1, body.index(b"\n3400,") + 1, len(body)]
    parts = []
    for i, (a, b) in enumerate(itertools.pairwise(cuts)):
        parts.append(tmp_path / f"part{i}.csv")
        parts[-1].write_bytes(header + b"\n" + body[a:b])
    replies = (
        "SELECT actor_key, target_key, message_key, created_at FROM interactions"
        " WHERE kind = 'reply' ORDER BY ALL"
    )
    threads = "SELECT message_key, parent_key, root_key FROM messages ORDER BY ALL"
    with Store(tmp_path / "convivial.duckdb") as store:
        for part in reversed(parts):
            _import(store, part)
        assert count(store, "SELECT count(*) FROM messages") == 5000
        assert store.arrow(threads).equals(head.arrow(threads))
        assert store.arrow(replies).equals(head.arrow(replies))
        assert count(store, "SELECT count(DISTINCT root_key) FROM messages") == count(
            head, "SELECT count(DISTINCT root_key) FROM messages"
        )
        edges = (
            "SELECT kind, actor_key, target_key, message_key, created_at, position"
            " FROM interactions ORDER BY ALL"
        )
        accounts = "SELECT account_key, handle FROM accounts ORDER BY ALL"
        assert store.arrow(accounts).equals(head.arrow(accounts))
        assert store.arrow(edges).equals(head.arrow(edges))


def test_replies_become_reply_interactions(head: Store, tweets: list[Tweet]) -> None:
    by_id = {t.tweet_id: t for t in tweets}
    expected = {
        (key(t.author_id), key(by_id[t.in_response_to].author_id), key(t.tweet_id))
        for t in tweets
        if t.in_response_to in by_id and by_id[t.in_response_to].author_id != t.author_id
    }
    assert len(expected) == 3514
    rows = head.arrow(
        "SELECT actor_key, target_key, message_key FROM interactions WHERE kind = 'reply'"
    ).to_pylist()
    got = [(r["actor_key"], r["target_key"], r["message_key"]) for r in rows]
    assert len(got) == len(set(got))
    assert set(got) == expected


def test_replies_to_tweets_outside_the_file_keep_their_parent(
    head: Store, tweets: list[Tweet]
) -> None:
    ids = {t.tweet_id for t in tweets}
    orphans = sorted(t.tweet_id for t in tweets if t.in_response_to and t.in_response_to not in ids)
    # the file is the head of the corpus: these six replies answer tweets that come later in it
    assert orphans == ["1621", "222", "3745", "3777", "5530", "5659"]
    for tweet_id in orphans:
        rows = head.arrow(
            "SELECT kind, parent_key FROM messages WHERE message_key = ?", [key(tweet_id)]
        ).to_pylist()
        parent = next(t.in_response_to for t in tweets if t.tweet_id == tweet_id)
        assert rows == [{"kind": "reply", "parent_key": key(parent)}]
        replies = count(
            head,
            "SELECT count(*) FROM interactions WHERE kind = 'reply' AND message_key = ?",
            key(tweet_id),
        )
        assert replies == 0


MENTION_CASES = [
    # 2 replies to sprintcare's tweet 1 and opens with @sprintcare: the reply, not a mention
    ("2", set()),
    # 8 is not a reply: its opening @sprintcare is a mention
    ("8", {"twitter:sprintcare"}),
    # 2089 replies to hulu_support: "@hulu_support Yes, @hulu_support same message": only the
    # second, non-leading @hulu_support is a mention
    ("2089", {"twitter:hulu_support"}),
    # 3139 replies to SouthwestAir and names it again mid-text: a mention
    ("3139", {"twitter:SouthwestAir"}),
    # 745 replies to AppleSupport and ends with "...🙁@AppleSupport": a mention
    ("745", {"twitter:AppleSupport"}),
    # 179 replies to AskPlayStation's 178, which mentions 115743; both leading: no mentions
    ("179", set()),
    # 779 replies to Uber_Support's 778 (which mentions 115878, the author): "@Uber_Support
    # @115879 wouldn't do this to me": 115879 is not in the thread, so it is a mention
    ("779", {"twitter:115879"}),
    # 1607 by XboxSupport asks to "DM @Xboxsupport": a self-mention, dropped
    ("1607", set()),
    # 222 replies to tweet 223, which is not in the file: its leading mentions all count
    ("222", {"twitter:108162", "twitter:115761", "twitter:ATVIAssist"}),
    # 6899 replies to sprintcare: "@sprintcare @83216...the last agent": the handle is 83216
    # (Twitter handles are letters, digits and _), a mention as 83216 is not in the thread
    ("6899", {"twitter:83216"}),
]


@pytest.mark.parametrize(("tweet_id", "targets"), MENTION_CASES)
def test_mention_rule_on_real_tweets(head: Store, tweet_id: str, targets: set[str]) -> None:
    rows = head.arrow(
        "SELECT actor_key, target_key FROM interactions WHERE kind = 'mention' AND message_key = ?",
        [key(tweet_id)],
    ).to_pylist()
    assert sorted(r["target_key"] for r in rows) == sorted(targets)
    authors = head.arrow(
        "SELECT author_key FROM messages WHERE message_key = ?", [key(tweet_id)]
    ).to_pylist()
    assert all(r["actor_key"] == authors[0]["author_key"] for r in rows)


def test_mention_interactions_match_an_independent_count(head: Store, tweets: list[Tweet]) -> None:
    expected = expected_mentions(tweets)
    assert len(expected) == 1543
    rows = head.arrow(
        "SELECT i.message_key, a.account_id FROM interactions i"
        " JOIN accounts a ON a.account_key = i.target_key WHERE i.kind = 'mention'"
    ).to_pylist()
    got = [(r["message_key"].removeprefix("twitter:"), r["account_id"].lower()) for r in rows]
    assert len(got) == len(set(got))
    assert set(got) == expected
    total = count(head, "SELECT count(*) FROM interactions WHERE kind = 'mention'")
    assert total == len(expected)


def test_the_official_sample_imports_fully(shared: Path, tmp_path: Path) -> None:
    path = shared / "twcs" / "sample_official.csv"
    tweets = read_tweets(path)
    assert len(tweets) == 93
    with Store(tmp_path / "convivial.duckdb") as store:
        result = import_file(store, "twcs", path)
        assert result.record.rows_read == 93
        assert result.record.rejects == 0
        assert store.counts()["messages"] == 93
        rows = store.arrow("SELECT message_key, text FROM messages").to_pylist()
        stored = {r["message_key"]: r["text"] for r in rows}
        assert stored == {key(t.tweet_id): as_written(t.text) for t in tweets}
        assert not any(text.endswith("\r") for text in stored.values())
