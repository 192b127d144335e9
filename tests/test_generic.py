"""The generic CSV and JSON Lines readers (docs/formats.md): property and example tests.

Files are written with Python's csv and json modules, imported with `import_file`, and read back
from the store.
"""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, Literal

import pytest
from conftest import count
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from convivial.importer import ImportFailed, import_file
from convivial.store import Store

Quoting = Literal[0, 1, 2, 3]
"""csv.QUOTE_MINIMAL, QUOTE_ALL, ..."""

MESSAGE_COLUMNS = ["platform", "message_id", "author_id", "created_at"]
OPTIONAL_COLUMNS = [
    "text",
    "author_handle",
    "kind",
    "parent_id",
    "root_id",
    "public",
    "likes",
    "shares",
    "replies",
    "mentions",
]

# -- strategies --------------------------------------------------------------------------------

SPECIAL = st.sampled_from(
    [
        '"',
        "'",
        ",",
        ";",
        "\t",
        "|",
        "\n",
        "\r\n",
        "\r",
        " ",
        "  ",
        '""',
        "\\",
        "\U0001f600",
        "\U0001f1e6\U0001f1f7",
        "\u200b",
        "\u2028",
        "\x85",
        "é",
        "#",
        "@",
        "\ufeff",
        "\x00",
    ]
)
"""Pieces of text that trouble CSV readers."""

CHARS = st.characters(exclude_categories=["Cs"], exclude_characters="\x1e")
"""Any character that UTF-8 can hold (lone surrogates cannot be written at all), except 0x1E,
which csvscan.py uses as its stand-in for lone carriage returns (a file holding both is refused
with a file-level error, by design)."""

TEXT = st.lists(st.one_of(st.text(CHARS, min_size=1, max_size=12), SPECIAL), min_size=1).map(
    "".join
)
IDS = st.text(CHARS, min_size=1, max_size=12).filter(lambda s: any(c.isalnum() for c in s))
"""Platform ids: any text with at least one letter or digit."""
HANDLES = st.from_regex(r"@?[A-Za-z0-9_]{1,15}", fullmatch=True)
PLATFORMS = st.sampled_from(["twitter", "mastodon", "bluesky", "reddit", "forum", "my-site_2"])
BOOLS = {
    True: ["true", "True", "TRUE", "yes", "1", "t", "y"],
    False: ["false", "False", "no", "0", "f", "n"],
}
OFFSETS = st.sampled_from([None, 0, 60, -480, 330, 345, -210, 14 * 60])


@dataclass
class Message:
    """One generated message and how it is written; `expected` is what the store must hold."""

    cells: dict[str, Any]
    expected: dict[str, Any] = field(default_factory=dict)


def time_text(when: datetime, offset: int | None, sep: str, zulu: bool) -> str:
    text = when.isoformat(sep=sep)
    if offset is None:
        return text
    if offset == 0 and zulu:
        return text + "Z"
    sign = "+" if offset >= 0 else "-"
    hours, minutes = divmod(abs(offset), 60)
    return f"{text}{sign}{hours:02d}:{minutes:02d}"


@st.composite
def messages(draw: st.DrawFn) -> tuple[list[str], list[Message]]:
    """A header (required columns plus any optional ones) and 1-8 messages."""
    optional = draw(st.lists(st.sampled_from(OPTIONAL_COLUMNS), unique=True))
    columns = MESSAGE_COLUMNS + optional
    ids = draw(st.lists(IDS, min_size=1, max_size=8, unique=True))
    out = []
    for i, message_id in enumerate(ids):
        platform = draw(PLATFORMS)
        author = draw(IDS)
        when = draw(st.datetimes(datetime(1990, 1, 1), datetime(2090, 12, 31)))
        offset = draw(OFFSETS)
        written = time_text(when, offset, draw(st.sampled_from("T ")), draw(st.booleans()))
        cells: dict[str, Any] = {
            "platform": platform,
            "message_id": message_id,
            "author_id": author,
            "created_at": written,
        }
        expected: dict[str, Any] = {
            "message_key": f"{platform}:{message_id}",
            "platform": platform,
            "author_key": f"{platform}:{author}",
            "created_at": when - timedelta(minutes=offset or 0),
            "text": None,
            "parent_key": None,
            "is_public": True,
            "likes": None,
            "shares": None,
            "replies": None,
        }
        if "text" in optional:
            cells["text"] = expected["text"] = draw(TEXT)
        if "author_handle" in optional:
            cells["author_handle"] = draw(HANDLES).lstrip("@")
        parent = None
        if "parent_id" in optional:
            parent = draw(st.one_of(st.sampled_from(ids[: i + 1]), IDS))
            cells["parent_id"] = parent
            expected["parent_key"] = f"{platform}:{parent}"
        if "root_id" in optional:
            root = draw(IDS)
            cells["root_id"] = root
            expected["root_key"] = f"{platform}:{root}"
        if "kind" in optional:
            cells["kind"] = expected["kind"] = draw(
                st.sampled_from(["post", "reply", "share", "quote"])
            )
        else:
            expected["kind"] = "reply" if parent is not None else "post"
        if "public" in optional:
            public = draw(st.booleans())
            cells["public"] = draw(st.sampled_from(BOOLS[public]))
            expected["is_public"] = public
        for name in ("likes", "shares", "replies"):
            if name in optional:
                cells[name] = expected[name] = draw(st.integers(0, 10**15))
        if "mentions" in optional:
            handles = draw(st.lists(HANDLES, max_size=4))
            cells["mentions"] = handles
            expected["mentions"] = [h.lstrip("@").lower() for h in handles]
        out.append(Message(cells, expected))
    return columns, out


# -- writing and reading back ------------------------------------------------------------------


def write_csv(path: Path, columns: list[str], rows: list[dict[str, Any]], quoting: Quoting) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, quoting=quoting)
        writer.writerow(columns)
        for row in rows:
            cells = []
            for c in columns:
                value = row.get(c)
                cells.append(" ".join(value) if isinstance(value, list) else value)
            writer.writerow(cells)


def write_jsonl(path: Path, rows: list[dict[str, Any]], ensure_ascii: bool = False) -> None:
    with path.open("w", encoding="utf-8", newline="\n") as handle:
        for row in rows:
            handle.write(json.dumps(row, ensure_ascii=ensure_ascii) + "\n")


def stored_messages(store: Store) -> dict[str, dict[str, Any]]:
    rows = store.arrow(
        "SELECT message_key, platform, author_key, created_at, text, parent_key, root_key, kind,"
        " is_public, likes, shares, replies, mentions FROM messages"
    ).to_pylist()
    return {r["message_key"]: r for r in rows}


def check_messages(store: Store, generated: list[Message]) -> None:
    assert store.rejects() == []
    stored = stored_messages(store)
    assert len(stored) == len(generated)
    for message in generated:
        row = stored[message.expected["message_key"]]
        for name, value in message.expected.items():
            assert row[name] == value, (name, message.cells)


PROPERTY = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


@pytest.mark.parametrize("quoting", [csv.QUOTE_MINIMAL, csv.QUOTE_ALL], ids=["minimal", "all"])
@PROPERTY
@given(data=messages())
def test_csv_messages_come_back_exactly(
    tmp_path_factory: pytest.TempPathFactory,
    quoting: Quoting,
    data: tuple[list[str], list[Message]],
) -> None:
    columns, generated = data
    folder = tmp_path_factory.mktemp("csv")
    path = folder / "messages.csv"
    write_csv(path, columns, [m.cells for m in generated], quoting)
    with Store(folder / "convivial.duckdb") as store:
        result = import_file(store, "csv", path)
        assert result.record.rows_read == len(generated)
        check_messages(store, generated)


@PROPERTY
@given(data=messages(), ensure_ascii=st.booleans(), numbers=st.booleans())
def test_jsonl_messages_come_back_exactly(
    tmp_path_factory: pytest.TempPathFactory,
    data: tuple[list[str], list[Message]],
    ensure_ascii: bool,
    numbers: bool,
) -> None:
    _, generated = data
    rows = []
    for m in generated:
        row = dict(m.cells)
        if not numbers:
            row.update({k: str(v) for k, v in row.items() if isinstance(v, int)})
        if "public" in row:
            row["public"] = m.expected["is_public"]
        rows.append(row)
    folder = tmp_path_factory.mktemp("jsonl")
    path = folder / "messages.jsonl"
    write_jsonl(path, rows, ensure_ascii)
    with Store(folder / "convivial.duckdb") as store:
        result = import_file(store, "jsonl", path)
        assert result.record.rows_read == len(generated)
        check_messages(store, generated)


# -- examples: the four kinds of record ----------------------------------------------------------


def write_text(path: Path, text: str) -> Path:
    path.write_bytes(text.encode("utf-8"))
    return path


def test_the_four_record_kinds(store: Store, tmp_path: Path) -> None:
    messages_csv = write_text(
        tmp_path / "messages.csv",
        "platform,message_id,author_id,author_handle,created_at,text,parent_id,likes\n"
        "mastodon,m1,1,shop,2026-03-01T10:00:00Z,Welcome,,4\n"
        "mastodon,m2,2,ann,2026-03-01T10:05:00Z,@shop thanks,m1,\n",
    )
    accounts_csv = write_text(
        tmp_path / "accounts.csv",
        "platform,account_id,handle,display_name,bio,followers,following,posts,listed,"
        "default_avatar,verified,created_at,last_post_at,avatar_url,profile_url\n"
        'mastodon,1,shop,The Shop,"Bread, cakes\nand coffee",1200,80,310,4,false,true,'
        "2020-05-01T00:00:00Z,2026-03-01T10:00:00Z,https://x.example/a.png,https://x.example/@shop\n"
        "mastodon,3,bob,,,,,,,,,,,,\n",
    )
    follows_csv = write_text(
        tmp_path / "follows.csv",
        "platform,follower_id,followed_id,followed_at\n"
        "mastodon,2,1,2026-02-01T09:00:00Z\n"
        "mastodon,3,1,\n",
    )
    interactions_csv = write_text(
        tmp_path / "interactions.csv",
        "platform,actor_id,target_id,kind,created_at,message_id\n"
        "mastodon,3,1,like,2026-03-01T11:00:00Z,m1\n"
        "mastodon,3,2,share,2026-03-01T11:30:00Z,\n",
    )
    for path in (accounts_csv, messages_csv, follows_csv, interactions_csv):
        result = import_file(store, "csv", path)
        assert result.record.rejects == 0, store.rejects()
    shop = store.arrow("SELECT * FROM accounts WHERE account_key = 'mastodon:1'").to_pylist()
    assert len(shop) == 1
    assert {k: shop[0][k] for k in ("platform", "account_id", "handle", "display_name")} == {
        "platform": "mastodon",
        "account_id": "1",
        "handle": "shop",
        "display_name": "The Shop",
    }
    assert shop[0]["followers"] == 1200
    assert shop[0]["bio"] == "Bread, cakes\nand coffee"
    assert shop[0]["verified"] is True and shop[0]["default_avatar"] is False
    assert shop[0]["created_at"] == datetime(2020, 5, 1)
    handles = store.arrow("SELECT account_key, handle FROM accounts ORDER BY 1").to_pylist()
    assert [(r["account_key"], r["handle"]) for r in handles] == [
        ("mastodon:1", "shop"),
        ("mastodon:2", "ann"),
        ("mastodon:3", "bob"),
    ]
    follows = store.arrow(
        "SELECT follower_key, followed_key, followed_at FROM follows ORDER BY 1"
    ).to_pylist()
    assert follows == [
        {
            "follower_key": "mastodon:2",
            "followed_key": "mastodon:1",
            "followed_at": datetime(2026, 2, 1, 9),
        },
        {"follower_key": "mastodon:3", "followed_key": "mastodon:1", "followed_at": None},
    ]
    edges = store.arrow(
        "SELECT kind, actor_key, target_key, created_at, message_key FROM interactions"
        " ORDER BY created_at"
    ).to_pylist()
    assert [(e["kind"], e["actor_key"], e["target_key"], e["message_key"]) for e in edges] == [
        ("follow", "mastodon:2", "mastodon:1", None),
        ("reply", "mastodon:2", "mastodon:1", "mastodon:m2"),
        ("like", "mastodon:3", "mastodon:1", "mastodon:m1"),
        ("share", "mastodon:3", "mastodon:2", None),
    ]
    likes = store.arrow("SELECT likes FROM messages ORDER BY message_key").column(0).to_pylist()
    assert likes == [4, None]


def test_mixed_kinds_in_one_jsonl_file(store: Store, tmp_path: Path) -> None:
    lines = [
        {
            "type": "account",
            "platform": "bluesky",
            "account_id": "did:plc:a",
            "handle": "a.bsky.social",
            "followers": 10,
        },
        {"platform": "bluesky", "account_id": "did:plc:b", "handle": "b.bsky.social"},
        {
            "type": "message",
            "platform": "bluesky",
            "message_id": "p1",
            "author_id": "did:plc:a",
            "created_at": "2026-03-01T10:00:00Z",
            "text": "hello\nworld",
        },
        {
            "platform": "bluesky",
            "message_id": "p2",
            "author_id": "did:plc:b",
            "created_at": "2026-03-01T10:01:00+02:00",
            "parent_id": "p1",
            "text": "hi",
        },
        {
            "type": "follow",
            "platform": "bluesky",
            "follower_id": "did:plc:b",
            "followed_id": "did:plc:a",
            "followed_at": "2026-02-01T00:00:00Z",
        },
        {
            "platform": "bluesky",
            "actor_id": "did:plc:b",
            "target_id": "did:plc:a",
            "kind": "like",
            "created_at": "2026-03-01T10:02:00Z",
            "message_id": "p1",
        },
    ]
    path = tmp_path / "everything.jsonl"
    path.write_text("\n".join(json.dumps(x) for x in lines) + "\n\n", encoding="utf-8")
    result = import_file(store, "jsonl", path)
    assert result.record.rows_read == 6
    assert result.record.rejects == 0, store.rejects()
    counts = store.counts()
    assert counts["messages"] == 2 and counts["follows"] == 1 and counts["accounts"] == 2
    p2 = stored_messages(store)["bluesky:p2"]
    assert p2["kind"] == "reply" and p2["parent_key"] == "bluesky:p1"
    assert p2["created_at"] == datetime(2026, 3, 1, 8, 1)
    edges = store.arrow("SELECT kind FROM interactions ORDER BY kind").column(0).to_pylist()
    assert edges == ["follow", "like", "reply"]
    followers = store.arrow("SELECT followers FROM accounts WHERE account_id = 'did:plc:a'")
    assert followers.column(0).to_pylist() == [10]


def test_mentions_column_or_handles_in_the_text(store: Store, tmp_path: Path) -> None:
    from_text = write_text(
        tmp_path / "from_text.csv",
        "platform,message_id,author_id,author_handle,created_at,text\n"
        "mastodon,1,10,ann,2026-03-01T10:00:00Z,Hello @Bob and @carol@example.social!\n"
        "mastodon,2,11,bob,2026-03-01T10:00:00Z,mail me at bob@example.com\n",
    )
    given_column = write_text(
        tmp_path / "given.csv",
        "platform,message_id,author_id,author_handle,created_at,text,mentions\n"
        "mastodon,3,10,ann,2026-03-01T11:00:00Z,Hello @Bob,dave @Erin\n",
    )
    import_file(store, "csv", from_text)
    import_file(store, "csv", given_column)
    stored = stored_messages(store)
    assert stored["mastodon:1"]["mentions"] == ["bob", "carol@example.social"]
    assert stored["mastodon:2"]["mentions"] == []
    assert stored["mastodon:3"]["mentions"] == ["dave", "erin"]
    edges = store.arrow(
        "SELECT i.message_key, a.handle FROM interactions i"
        " JOIN accounts a ON a.account_key = i.target_key WHERE i.kind = 'mention'"
        " ORDER BY 1, 2"
    ).to_pylist()
    assert [(e["message_key"], e["handle"].lower()) for e in edges] == [
        ("mastodon:1", "bob"),
        ("mastodon:1", "carol@example.social"),
        ("mastodon:3", "dave"),
        ("mastodon:3", "erin"),
    ]
    bob = store.arrow("SELECT account_key FROM accounts WHERE handle = 'bob'")
    assert bob.column(0).to_pylist() == ["mastodon:11"]


def test_kind_defaults(store: Store, tmp_path: Path) -> None:
    path = write_text(
        tmp_path / "messages.csv",
        "platform,message_id,author_id,created_at,parent_id,kind\n"
        "reddit,a,1,2026-03-01T10:00:00Z,,\n"
        "reddit,b,2,2026-03-01T10:01:00Z,a,\n"
        "reddit,c,3,2026-03-01T10:02:00Z,a,share\n"
        "reddit,d,1,2026-03-01T10:03:00Z,,quote\n"
        "reddit,e,3,2026-03-01T10:04:00Z,b,reply\n",
    )
    result = import_file(store, "csv", path)
    assert result.record.rejects == 0, store.rejects()
    kinds = {k: v["kind"] for k, v in stored_messages(store).items()}
    assert kinds == {
        "reddit:a": "post",
        "reddit:b": "reply",
        "reddit:c": "share",
        "reddit:d": "quote",
        "reddit:e": "reply",
    }
    edges = store.arrow(
        "SELECT kind, actor_key, target_key FROM interactions ORDER BY 1, 2"
    ).to_pylist()
    assert [(e["kind"], e["actor_key"], e["target_key"]) for e in edges] == [
        ("reply", "reddit:2", "reddit:1"),
        ("reply", "reddit:3", "reddit:2"),
        ("share", "reddit:3", "reddit:1"),
    ]


def test_threads_deep_and_broken_get_their_roots(store: Store, tmp_path: Path) -> None:
    """A chain 40 replies deep finds its first post; a reply to a message not in the file has
    that message as its root; a cycle of parents (bad data) still imports."""
    rows = ["reddit,p0,1,2026-03-01T10:00:00Z,"]
    rows += [f"reddit,p{i},{i % 3},2026-03-01T10:{i:02d}:00Z,p{i - 1}" for i in range(1, 41)]
    rows += ["reddit,o1,2,2026-03-02T10:00:00Z,gone", "reddit,o2,3,2026-03-02T10:01:00Z,o1"]
    rows += ["reddit,x,1,2026-03-03T10:00:00Z,y", "reddit,y,2,2026-03-03T10:01:00Z,x"]
    path = write_text(
        tmp_path / "messages.csv",
        "platform,message_id,author_id,created_at,parent_id\n" + "\n".join(rows) + "\n",
    )
    assert import_file(store, "csv", path).record.messages_added == 45
    roots = {k: v["root_key"] for k, v in stored_messages(store).items()}
    assert {roots[f"reddit:p{i}"] for i in range(41)} == {"reddit:p0"}
    assert roots["reddit:o1"] == roots["reddit:o2"] == "reddit:gone"
    assert roots["reddit:x"] in ("reddit:x", "reddit:y")


def test_kind_defaults_without_the_kind_column(store: Store, tmp_path: Path) -> None:
    path = write_text(
        tmp_path / "messages.csv",
        "platform,message_id,author_id,created_at,parent_id\n"
        "reddit,a,1,2026-03-01T10:00:00Z,\n"
        "reddit,b,2,2026-03-01T10:01:00Z,a\n",
    )
    result = import_file(store, "csv", path)
    assert result.record.rejects == 0, store.rejects()
    kinds = {k: v["kind"] for k, v in stored_messages(store).items()}
    assert kinds == {"reddit:a": "post", "reddit:b": "reply"}


TIMES = [
    ("2026-03-01T14:05:00Z", datetime(2026, 3, 1, 14, 5)),
    ("2026-03-01 14:05:00+01:00", datetime(2026, 3, 1, 13, 5)),
    ("2026-03-01T14:05:00", datetime(2026, 3, 1, 14, 5)),
    ("2026-03-01 14:05:00", datetime(2026, 3, 1, 14, 5)),
    ("2026-03-01T14:05:00-08:00", datetime(2026, 3, 1, 22, 5)),
    ("2026-03-01T14:05:00.250+05:30", datetime(2026, 3, 1, 8, 35, 0, 250000)),
    ("2026-03-01T00:30:00+02:00", datetime(2026, 2, 28, 22, 30)),
    ("2026-03-01T14:05Z", datetime(2026, 3, 1, 14, 5)),
]


@pytest.mark.parametrize("fmt", ["csv", "jsonl"])
def test_times_with_and_without_offsets(store: Store, tmp_path: Path, fmt: str) -> None:
    rows = [
        {"platform": "reddit", "message_id": str(i), "author_id": "u", "created_at": written}
        for i, (written, _) in enumerate(TIMES)
    ]
    path = tmp_path / f"messages.{fmt}"
    if fmt == "csv":
        write_csv(path, MESSAGE_COLUMNS, rows, csv.QUOTE_MINIMAL)
    else:
        write_jsonl(path, rows)
    result = import_file(store, fmt, path)
    assert result.record.rejects == 0, store.rejects()
    stored = stored_messages(store)
    for i, (written, expected) in enumerate(TIMES):
        assert stored[f"reddit:{i}"]["created_at"] == expected, written


# -- examples: bad values -----------------------------------------------------------------------

BAD = [
    ("created_at", "yesterday", "created_at"),
    ("created_at", "2026-13-45T00:00:00Z", "created_at"),
    ("created_at", "", "created_at"),
    ("likes", "many", "likes"),
    ("likes", "1.5", "likes"),
    ("public", "maybe", "public"),
    ("kind", "retweet", "kind"),
    ("author_id", "", "author_id"),
    ("message_id", " ", "message_id"),
    ("platform", "", "platform"),
    ("platform", "Twitter!", "platform"),
]
"""(column, bad value, a word the reason must contain)."""


def bad_file(folder: Path, fmt: str) -> tuple[Path, dict[int, tuple[str, str]]]:
    """Good rows and one bad row per BAD entry: (file, {line: (word in its reason, raw)})."""
    columns = [*MESSAGE_COLUMNS, "text", "likes", "public", "kind"]
    rows: list[dict[str, Any]] = []
    lines: dict[int, tuple[str, str]] = {}
    for i, (column, value, word) in enumerate(BAD):
        rows.append(good_row(f"ok{i}"))
        bad = good_row(f"bad{i}")
        bad[column] = value
        rows.append(bad)
        if fmt == "csv":
            lines[len(rows) + 1] = (word, ",".join(bad[c] for c in columns))
        else:
            lines[len(rows)] = (word, json.dumps(bad))
    path = folder / f"bad.{fmt}"
    if fmt == "csv":
        write_csv(path, columns, rows, csv.QUOTE_MINIMAL)
    else:
        write_jsonl(path, rows, ensure_ascii=True)
    return path, lines


def good_row(message_id: str) -> dict[str, Any]:
    return {
        "platform": "reddit",
        "message_id": message_id,
        "author_id": "u1",
        "created_at": "2026-03-01T14:05:00Z",
        "text": "fine",
        "likes": "3",
        "public": "true",
        "kind": "post",
    }


@pytest.mark.parametrize("fmt", ["csv", "jsonl"])
def test_bad_values_are_rejected_with_their_line(store: Store, tmp_path: Path, fmt: str) -> None:
    path, lines = bad_file(tmp_path, fmt)
    result = import_file(store, fmt, path)
    assert result.record.rejects == len(BAD)
    rejects = store.rejects()
    assert [r[1] for r in rejects] == sorted(lines)
    for file, line, reason, raw in rejects:
        assert line is not None
        word, written = lines[line]
        assert file == str(path)
        assert word in reason, (line, reason)
        assert raw == written
    keys = sorted(stored_messages(store))
    assert keys == sorted(f"reddit:ok{i}" for i in range(len(BAD)))


@pytest.mark.parametrize("fmt", ["csv", "jsonl"])
def test_strict_stops_at_the_first_bad_value(store: Store, tmp_path: Path, fmt: str) -> None:
    path, lines = bad_file(tmp_path, fmt)
    with pytest.raises(ImportFailed) as failed:
        import_file(store, fmt, path, strict=True)
    first = min(lines)
    assert str(failed.value).startswith(f"{path}:{first}: ")
    assert lines[first][0] in str(failed.value)
    assert store.imports() == []
    assert store.counts()["messages"] == store.counts()["rejects"] == 0


def test_bad_json_lines(store: Store, tmp_path: Path) -> None:
    good = json.dumps(good_row("ok"))
    path = tmp_path / "messy.jsonl"
    path.write_text(
        "\n".join(
            [
                good,
                "{not json",
                "[1, 2]",
                json.dumps({**good_row("x"), "colour": "red"}),
                json.dumps({"platform": "reddit", "text": "what am I?"}),
                json.dumps({**good_row("y"), "type": "poll"}),
                json.dumps({**good_row("z"), "text": {"nested": True}}),
            ]
        )
        + "\n",
        encoding="utf-8",
    )
    result = import_file(store, "jsonl", path)
    assert result.record.rows_read == 7
    assert [r[1] for r in store.rejects()] == [2, 3, 4, 5, 6, 7]
    reasons = [r[2] for r in store.rejects()]
    assert "JSON" in reasons[0]
    assert "object" in reasons[1]
    assert "colour" in reasons[2]
    assert "type" in reasons[3] or "kind" in reasons[3]
    assert "poll" in reasons[4]
    assert "text" in reasons[5]
    assert list(stored_messages(store)) == ["reddit:ok"]


def test_a_lone_surrogate_in_jsonl_is_a_rejected_row(store: Store, tmp_path: Path) -> None:
    """JSON can escape half an emoji ("\\ud83d"), which is not text: that row is rejected."""
    path = tmp_path / "surrogate.jsonl"
    ok = json.dumps(good_row("ok"))
    broken = json.dumps(good_row("half")).replace('"fine"', '"fine \\ud83d"')
    path.write_text(f"{ok}\n{broken}\n{ok.replace('ok', 'ok2')}\n", encoding="utf-8")
    result = import_file(store, "jsonl", path)
    assert result.record.rejects == 1
    assert [r[1] for r in store.rejects()] == [2]
    assert sorted(stored_messages(store)) == ["reddit:ok", "reddit:ok2"]


def test_reject_lines_after_quoted_newlines(store: Store, tmp_path: Path) -> None:
    rows = [
        good_row("a") | {"text": "one\ntwo\nthree"},  # lines 2-4
        good_row("b") | {"likes": "x"},  # line 5
        good_row("c") | {"text": "crlf\r\ninside\r\n"},  # lines 6-8
        good_row("d") | {"text": "lone\rcarriage return"},  # line 9
        good_row("e") | {"public": "perhaps", "text": "bad\nand long"},  # lines 10-11
        good_row("f") | {"text": "\n\n\n"},  # lines 12-15
        good_row("g") | {"created_at": "soon"},  # line 16
    ]
    path = tmp_path / "messages.csv"
    columns = [*MESSAGE_COLUMNS, "text", "likes", "public", "kind"]
    write_csv(path, columns, rows, csv.QUOTE_MINIMAL)
    with path.open("ab") as handle:
        handle.write(b"reddit,h,u1\n")  # line 17: too few columns
        handle.write(b"reddit,i,u1,2026-03-01T14:05:00Z,caf\xe9,1,true,post\n")  # 18: not UTF-8
        handle.write(b'reddit,j,u1,2026-03-01T14:05:00Z,"x\ny",1,true,post\n')  # 19-20
        handle.write(b"reddit,k,u1,2026-03-01T14:05:00Z,,one,true,post\n")  # 21
    import_file(store, "csv", path)
    assert [(r[1], r[3].split(",")[1]) for r in store.rejects()] == [
        (5, "b"),
        (10, "e"),
        (16, "g"),
        (17, "h"),
        (18, "i"),
        (21, "k"),
    ]
    stored = stored_messages(store)
    assert sorted(stored) == ["reddit:a", "reddit:c", "reddit:d", "reddit:f", "reddit:j"]
    assert stored["reddit:c"]["text"] == "crlf\r\ninside\r\n"
    assert stored["reddit:d"]["text"] == "lone\rcarriage return"
    assert stored["reddit:f"]["text"] == "\n\n\n"


@pytest.mark.parametrize("quoting", [csv.QUOTE_MINIMAL, csv.QUOTE_ALL], ids=["minimal", "all"])
def test_empty_cells_are_not_known(store: Store, tmp_path: Path, quoting: Quoting) -> None:
    """docs/formats.md: empty cells are "not known", however the writer quoted them."""
    columns = [*MESSAGE_COLUMNS, "text", "parent_id", "kind", "public", "likes", "root_id"]
    row = {
        "platform": "reddit",
        "message_id": "m",
        "author_id": "u",
        "created_at": "2026-03-01T00:00:00Z",
    }
    path = tmp_path / "messages.csv"
    write_csv(path, columns, [row], quoting)
    result = import_file(store, "csv", path)
    assert store.rejects() == []
    assert result.record.messages_added == 1
    stored = stored_messages(store)["reddit:m"]
    assert stored["text"] is None
    assert stored["parent_key"] is None
    assert stored["kind"] == "post"
    assert stored["is_public"] is True
    assert stored["likes"] is None


LOOKS_LIKE_NULL = ["NA", "N/A", "n/a", "NULL", "null", "NaN", "nan", "-nan", "#N/A", "1.#IND"]


@pytest.mark.parametrize("fmt", ["csv", "jsonl"])
def test_text_that_looks_like_a_null_is_text(store: Store, tmp_path: Path, fmt: str) -> None:
    rows = [
        {
            "platform": "reddit",
            "message_id": word,
            "author_id": word,
            "created_at": "2026-03-01T00:00:00Z",
            "text": word,
        }
        for word in LOOKS_LIKE_NULL
    ]
    path = tmp_path / f"messages.{fmt}"
    if fmt == "csv":
        write_csv(path, [*MESSAGE_COLUMNS, "text"], rows, csv.QUOTE_MINIMAL)
    else:
        write_jsonl(path, rows)
    import_file(store, fmt, path)
    assert store.rejects() == []
    stored = stored_messages(store)
    for word in LOOKS_LIKE_NULL:
        assert stored[f"reddit:{word}"]["text"] == word
        assert stored[f"reddit:{word}"]["author_key"] == f"reddit:{word}"


BLANK_TEXTS = [" ", "  ", "\t", "\n", "\r\n", "\r", " \n "]


@pytest.mark.parametrize("fmt", ["minimal", "all", "jsonl"])
def test_text_of_only_blanks_is_text(store: Store, tmp_path: Path, fmt: str) -> None:
    """Only an empty cell is "not known"; a cell of spaces or line breaks is text."""
    rows = [
        {
            "platform": "reddit",
            "message_id": str(i),
            "author_id": "u",
            "created_at": "2026-03-01T00:00:00Z",
            "text": text,
        }
        for i, text in enumerate(BLANK_TEXTS)
    ]
    if fmt == "jsonl":
        path = tmp_path / "messages.jsonl"
        write_jsonl(path, rows)
    else:
        path = tmp_path / "messages.csv"
        quoting: Quoting = csv.QUOTE_ALL if fmt == "all" else csv.QUOTE_MINIMAL
        write_csv(path, [*MESSAGE_COLUMNS, "text"], rows, quoting)
    import_file(store, "jsonl" if fmt == "jsonl" else "csv", path)
    assert store.rejects() == []
    stored = stored_messages(store)
    assert [stored[f"reddit:{i}"]["text"] for i in range(len(BLANK_TEXTS))] == BLANK_TEXTS


def test_importing_the_same_generic_file_twice_adds_nothing(store: Store, tmp_path: Path) -> None:
    path = write_text(
        tmp_path / "messages.csv",
        "platform,message_id,author_id,created_at,text\n"
        "reddit,1,u,2026-03-01T00:00:00Z,@v hello\n"
        "reddit,1,u,2026-03-01T00:00:00Z,@v hello again\n",
    )
    import_file(store, "csv", path)
    before = store.counts()
    copy = write_text(tmp_path / "copy.csv", path.read_text(encoding="utf-8") + "\n")
    again = import_file(store, "csv", copy)
    assert not again.already_imported
    assert store.counts() == before
    assert before["messages"] == 1
    assert stored_messages(store)["reddit:1"]["text"] == "@v hello"  # as first seen
    assert count(store, "SELECT count(*) FROM interactions WHERE kind = 'mention'") == 1


@pytest.mark.parametrize("accounts_first", [True, False])
def test_a_mention_finds_its_account_whichever_file_comes_first(
    store: Store, tmp_path: Path, accounts_first: bool
) -> None:
    """@Jane names account 7 (handle Jane) and @BOB account BOB: imported before them, the
    mentions first make placeholder accounts, which give way to the accounts when they come."""
    messages = write_text(
        tmp_path / "messages.csv",
        "platform,message_id,author_id,created_at,text\n"
        "mastodon,m1,1,2026-03-01T10:00:00Z,hello @Jane and @BOB\n",
    )
    accounts = write_text(
        tmp_path / "accounts.csv",
        "platform,account_id,handle\nmastodon,7,Jane\nmastodon,BOB,\n",
    )
    for path in (accounts, messages) if accounts_first else (messages, accounts):
        assert import_file(store, "csv", path).record.rejects == 0, store.rejects()
    keys = store.arrow("SELECT account_key FROM accounts ORDER BY 1").column(0).to_pylist()
    assert keys == ["mastodon:1", "mastodon:7", "mastodon:BOB"]
    targets = (
        store.arrow("SELECT target_key FROM interactions WHERE kind = 'mention' ORDER BY 1")
        .column(0)
        .to_pylist()
    )
    assert targets == ["mastodon:7", "mastodon:BOB"]
