"""The reddit source: the real thread CSV checked against a reading with Python's gzip and csv
modules, and a hand-written Reddit JSON listing."""

from __future__ import annotations

import csv
import gzip
import json
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pytest
from conftest import count

from convivial.importer import FileImport, ImportFailed, import_file
from convivial.sources import SourceError, SourceOptions, get_source
from convivial.sources.reddit import DELETED_REASON
from convivial.store import Store

SUBREDDITS = {"CollegeAdvice", "CollegeMajors", "CollegeRant"}


@dataclass(frozen=True)
class Row:
    """One row of the thread CSV, with the line it starts on."""

    line: int
    subreddit: str
    thread_id: str
    item_id: str
    parent_id: str
    kind: str
    author: str
    created_utc: str
    upvotes: str
    title: str
    text: str


def read_rows(path: Path) -> list[Row]:
    """The rows of a gzip'd thread CSV. Lines are counted at line feeds only, as editors do: the
    text is split there before csv reads it, so a carriage return inside a field stays text."""
    text = gzip.decompress(path.read_bytes()).decode("utf-8")
    pieces = text.split("\n")
    lines = [p + "\n" for p in pieces[:-1]] + ([pieces[-1]] if pieces[-1] else [])
    reader = csv.reader(lines)
    header = next(reader)
    rows, start = [], reader.line_num + 1
    for record in reader:
        cells = dict(zip(header, record, strict=True))
        del cells["depth"]
        rows.append(Row(start, **cells))
        start = reader.line_num + 1
    return rows


U_MENTION = re.compile(r"(?<![A-Za-z0-9_/])/?u/([A-Za-z0-9_-]+)")
"""`u/name` as Reddit links it; names longer than Reddit's 20 characters are not names."""


def reddit_mentions(text: str) -> set[str]:
    return {m.lower() for m in U_MENTION.findall(text) if 3 <= len(m) <= 20}


def text_of(row: Row) -> str | None:
    """A post is its title, then a blank line and its body; "[deleted]"/"[removed]" is no text."""
    body = None if row.text in ("", "[deleted]", "[removed]") else row.text
    if row.kind == "post":
        return f"{row.title}\n\n{body}" if body is not None else row.title
    return body


def key(item_id: str) -> str:
    return f"reddit:{item_id}"


@pytest.fixture(scope="module")
def real_file(shared: Path) -> Path:
    return shared / "reddit" / "reddit_college_3subs.csv.gz"


@pytest.fixture(scope="module")
def rows(real_file: Path) -> list[Row]:
    return read_rows(real_file)


@pytest.fixture(scope="module")
def kept(rows: list[Row]) -> list[Row]:
    """Rows with an author: the deleted-author rule keeps exactly these."""
    return [r for r in rows if r.author]


def by_subreddit(path: Path, store: Store) -> FileImport:
    source = get_source("reddit", SourceOptions(team_by="subreddit"))
    return import_file(store, "reddit", path, source=source)


@pytest.fixture(scope="module")
def imported(
    tmp_path_factory: pytest.TempPathFactory, real_file: Path
) -> Iterator[tuple[Store, FileImport]]:
    """The real file imported once with team_by subreddit, for the read-only tests here."""
    with Store(tmp_path_factory.mktemp("reddit") / "convivial.duckdb") as store:
        yield store, by_subreddit(real_file, store)


def test_the_independent_reading(rows: list[Row], kept: list[Row]) -> None:
    assert len(rows) == 33_308
    assert len({r.item_id for r in rows}) == len(rows)
    assert Counter(r.kind for r in rows) == {"comment": 28_736, "post": 4_572}
    assert {r.subreddit for r in rows} == SUBREDDITS
    assert len(rows) - len(kept) == 1_663
    assert sum("\r" in r.text for r in rows) == 20


def test_every_row_is_a_message_or_a_reject(
    imported: tuple[Store, FileImport], rows: list[Row], kept: list[Row]
) -> None:
    store, result = imported
    deleted = [r for r in rows if not r.author]
    assert result.record.rows_read == len(rows)
    assert result.record.messages_added == len(kept)
    assert result.record.rejects == len(deleted)
    assert store.counts()["messages"] + store.counts()["rejects"] == 33_308
    rejects = store.rejects()
    assert {reason for _, _, reason, _ in rejects} == {DELETED_REASON}
    assert [line for _, line, _, _ in rejects] == [r.line for r in deleted]
    stored = {r["message_key"] for r in store.arrow("SELECT message_key FROM messages").to_pylist()}
    assert stored == {key(r.item_id) for r in kept}


def test_messages_match_the_file(imported: tuple[Store, FileImport], kept: list[Row]) -> None:
    store, _ = imported
    got = {
        r["message_key"]: r
        for r in store.arrow(
            "SELECT message_key, platform, author_key, created_at, text, parent_key, root_key,"
            " kind, likes, team FROM messages"
        ).to_pylist()
    }
    wrong = []
    for row in kept:
        expected = {
            "message_key": key(row.item_id),
            "platform": "reddit",
            "author_key": key(row.author),
            "created_at": datetime.fromtimestamp(int(row.created_utc), UTC).replace(tzinfo=None),
            "text": text_of(row),
            "parent_key": key(row.parent_id) if row.kind == "comment" else None,
            "root_key": key(f"t3_{row.thread_id}"),
            "kind": "reply" if row.kind == "comment" else "post",
            "likes": int(row.upvotes),
            "team": row.subreddit,
        }
        if got[key(row.item_id)] != expected:
            wrong.append((row, got[key(row.item_id)]))
    assert wrong == []


def test_replies_to_deleted_items_stay_in_their_thread(
    imported: tuple[Store, FileImport], rows: list[Row]
) -> None:
    store, _ = imported
    deleted = {r.item_id for r in rows if not r.author}
    orphans = {r.item_id: r for r in rows if r.author and r.parent_id in deleted}
    assert len(orphans) == 1_451
    got = store.arrow(
        "SELECT message_key, parent_key, root_key FROM messages"
        " WHERE parent_key NOT IN (SELECT message_key FROM messages)"
    ).to_pylist()
    assert {r["message_key"] for r in got} == {key(i) for i in orphans}
    for r in got:
        row = orphans[r["message_key"].removeprefix("reddit:")]
        assert r["parent_key"] == key(row.parent_id)
        assert r["root_key"] == key(f"t3_{row.thread_id}")
    touching = count(
        store,
        "SELECT count(*) FROM interactions i JOIN accounts a ON a.account_key IN"
        " (i.actor_key, i.target_key) WHERE a.account_id IN ('', '[deleted]')",
    )
    assert touching == 0


def test_three_subreddit_teams(imported: tuple[Store, FileImport], kept: list[Row]) -> None:
    store, _ = imported
    teams = store.arrow("SELECT team, origin FROM teams ORDER BY team").to_pylist()
    assert teams == [{"team": t, "origin": "import"} for t in sorted(SUBREDDITS)]
    assert count(store, "SELECT count(*) FROM team_accounts") == 0
    per_team = store.arrow("SELECT team, count(*) AS n FROM messages GROUP BY team").to_pylist()
    expected = Counter(r.subreddit for r in kept)
    assert expected == {"CollegeRant": 24_185, "CollegeMajors": 5_423, "CollegeAdvice": 2_037}
    assert {r["team"]: r["n"] for r in per_team} == expected


def test_reply_interactions_match_an_independent_count(
    imported: tuple[Store, FileImport], rows: list[Row]
) -> None:
    store, _ = imported
    by_id = {r.item_id: r for r in rows}
    expected = {
        (key(r.author), key(by_id[r.parent_id].author), key(r.item_id))
        for r in rows
        if r.parent_id in by_id
        and r.author
        and by_id[r.parent_id].author
        and r.author != by_id[r.parent_id].author
    }
    assert len(expected) == 25_629
    got = [
        (r["actor_key"], r["target_key"], r["message_key"])
        for r in store.arrow(
            "SELECT actor_key, target_key, message_key FROM interactions WHERE kind = 'reply'"
        ).to_pylist()
    ]
    assert len(got) == len(set(got))
    assert set(got) == expected


def test_mention_interactions_match_an_independent_count(
    imported: tuple[Store, FileImport], kept: list[Row]
) -> None:
    store, _ = imported
    expected = {
        (key(r.item_id), name)
        for r in kept
        for name in reddit_mentions(text_of(r) or "")
        if name != r.author.lower()
    }
    assert len(expected) == 72
    got = [
        (r["message_key"], r["account_id"].lower())
        for r in store.arrow(
            "SELECT i.message_key, a.account_id FROM interactions i"
            " JOIN accounts a ON a.account_key = i.target_key WHERE i.kind = 'mention'"
        ).to_pylist()
    ]
    assert len(got) == len(set(got))
    assert set(got) == expected
    # a bot's "u/name" in a URL path is not a mention: np.reddit.com/u/LinkifyBot/...
    assert "linkifybot" not in {name for _, name in got}


def test_accounts_are_the_authors_and_the_mentioned(
    imported: tuple[Store, FileImport], kept: list[Row]
) -> None:
    store, _ = imported
    authors = {r.author for r in kept}
    assert len(authors) == 8_692
    mentioned = {name for r in kept for name in reddit_mentions(text_of(r) or "")}
    known = {a.lower() for a in authors}
    ids = {r["account_id"] for r in store.arrow("SELECT account_id FROM accounts").to_pylist()}
    assert ids == authors | (mentioned - known)


def test_importing_again_adds_nothing(real_file: Path, tmp_path: Path) -> None:
    plain = tmp_path / "reddit_college_3subs.csv"
    plain.write_bytes(gzip.decompress(real_file.read_bytes()))
    with Store(tmp_path / "convivial.duckdb") as store:
        first = by_subreddit(real_file, store)
        before = store.counts()
        again = by_subreddit(real_file, store)
        assert again.already_imported
        assert again.record.import_id == first.record.import_id
        assert store.counts() == before
        # the same rows unpacked are another file: read in full, they add nothing new
        copy = by_subreddit(plain, store)
        assert not copy.already_imported
        assert copy.record.rows_read == 33_308
        assert copy.record.messages_added == 0
        assert copy.record.accounts_added == 0
        assert copy.record.interactions_added == 0
        after = store.counts()
        assert after["rejects"] == 2 * before["rejects"]
        assert {k: v for k, v in after.items() if k != "rejects"} == {
            k: v for k, v in before.items() if k != "rejects"
        }


# -- small thread CSVs ----------------------------------------------------------------------------

HEADER = "subreddit,thread_id,item_id,parent_id,depth,kind,author,created_utc,upvotes,title,text\n"
THREAD = (
    HEADER
    + "StudyTips,q1,t3_q1,,0,post,ana,1600000000,5,Flashcards?,Do they work for you?\n"
    + 'StudyTips,q1,t1_c1,t3_q1,1,comment,ben,1600000100,2,,"Yes, daily."\n'
)


def test_without_team_options_messages_have_no_team(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "thread.csv"
    path.write_text(THREAD, encoding="utf-8")
    import_file(store, "reddit", path)
    assert count(store, "SELECT count(*) FROM teams") == 0
    assert count(store, "SELECT count(*) FROM messages WHERE team IS NULL") == 2


def test_a_named_team_takes_every_message(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "thread.csv"
    path.write_text(THREAD, encoding="utf-8")
    import_file(store, "reddit", path, source=get_source("reddit", SourceOptions(team="Study")))
    assert store.arrow("SELECT team FROM teams").to_pylist() == [{"team": "Study"}]
    assert count(store, "SELECT count(*) FROM messages WHERE team = 'Study'") == 2


def test_team_by_anything_else_names_subreddit() -> None:
    with pytest.raises(SourceError, match=r"'author'.*teams by subreddit"):
        get_source("reddit", SourceOptions(team_by="author"))
    with pytest.raises(SourceError, match="not both"):
        get_source("reddit", SourceOptions(team="Study", team_by="subreddit"))


def test_a_file_of_other_columns_is_not_a_reddit_file(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "messages.csv"
    path.write_text("platform,message_id,author_id,created_at\nreddit,1,u1,2026-01-01\n", "utf-8")
    with pytest.raises(ImportFailed) as failed:
        import_file(store, "reddit", path)
    message = str(failed.value)
    assert "\n" not in message
    assert message.startswith(f"{path}: not a Reddit thread file: missing column(s) subreddit")
    assert store.imports() == []


def test_bad_rows_are_rejected_with_their_line(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "thread.csv"
    path.write_text(
        THREAD
        + "StudyTips,q1,t1_c2,t1_c1,2,comment,ana,yesterday,1,,thanks\n"  # line 4
        + 'StudyTips,q1,,t1_c1,2,comment,ana,1600000300,1,,"two\nlines"\n'  # line 5
        + "StudyTips,q1,t1_c4,t1_c1,2,award,ana,1600000400,1,,gold\n"  # line 7
        + "StudyTips,q1,t1_c5,,1,comment,ana,1600000500,1,,no parent\n"  # line 8
        + "StudyTips,q1,t1_c6,t1_c1,2,comment,ana,1600000600,lots,,\n"  # line 9
        + "StudyTips,q1,t1_c7,t1_c1,2,comment,,1600000700,1,,gone\n"  # line 10
        + "StudyTips,q1,t1_c8,t1_c1,2,comment,[deleted],1600000800,1,,[deleted]\n"  # line 11
        + "StudyTips,q1,t1_c9,t1_c1,2,comment,cal,99999999999,1,,\n",  # line 12
        encoding="utf-8",
    )
    result = import_file(store, "reddit", path)
    assert result.record.rows_read == 10
    assert result.record.messages_added == 2
    assert [(line, reason) for _, line, reason, _ in store.rejects()] == [
        (4, "created_utc is not epoch seconds"),
        (5, "missing item_id"),
        (7, "kind must be post or comment (t3 or t1 in JSON)"),
        (8, "a comment needs the parent_id it replies to"),
        (9, "upvotes is not a whole number"),
        (10, DELETED_REASON),
        (11, DELETED_REASON),
        (12, "created_utc is not epoch seconds between 1970 and 2100"),
    ]
    with (
        Store(tmp_path / "strict.duckdb") as strict,
        pytest.raises(ImportFailed, match=r"thread\.csv:4: created_utc is not epoch seconds$"),
    ):
        import_file(strict, "reddit", path, strict=True)


def test_a_truncated_gzip_file_fails_in_one_line(store: Store, tmp_path: Path) -> None:
    packed = gzip.compress((THREAD * 2000).encode("utf-8"))
    path = tmp_path / "thread.csv.gz"
    path.write_bytes(packed[: len(packed) // 2])
    with pytest.raises(ImportFailed, match=r"thread\.csv\.gz: the gzip file is damaged or trunc"):
        import_file(store, "reddit", path)
    assert store.imports() == []


# -- Reddit's JSON listing ----------------------------------------------------------------------

LISTING = """[
  {"kind": "Listing", "data": {"after": null, "dist": 1, "before": null, "children": [
    {"kind": "t3", "data": {
      "subreddit": "CollegeAdvice", "id": "x7k2pq", "name": "t3_x7k2pq",
      "author": "maple_leaf", "title": "Switching majors in junior year?",
      "selftext": "Biology to statistics: is it too late?", "created_utc": 1700000000.0,
      "score": 14, "num_comments": 5, "permalink": "/r/CollegeAdvice/comments/x7k2pq/",
      "is_self": true, "over_18": false, "stickied": false}}]}},
  {"kind": "Listing", "data": {"after": null, "before": null, "children": [
    {"kind": "t1", "data": {
      "subreddit": "CollegeAdvice", "id": "j1aa01", "name": "t1_j1aa01",
      "parent_id": "t3_x7k2pq", "link_id": "t3_x7k2pq", "author": "quiet_owl",
      "body": "Not too late. u/maple_leaf, see your advisor {this week}.",
      "created_utc": 1700000600.0, "score": 9, "depth": 0, "is_submitter": false,
      "replies": {"kind": "Listing", "data": {"after": null, "children": [
        {"kind": "t1", "data": {
          "subreddit": "CollegeAdvice", "id": "j1aa02", "name": "t1_j1aa02",
          "parent_id": "t1_j1aa01", "link_id": "t3_x7k2pq", "author": "maple_leaf",
          "body": "Thanks! Did you switch too?", "created_utc": 1700001200.0,
          "score": 3, "depth": 1, "is_submitter": true, "replies": ""}},
        {"kind": "more", "data": {"count": 2, "name": "t1_j1aa09", "id": "j1aa09",
          "parent_id": "t1_j1aa01", "depth": 1, "children": ["j1aa09", "j1aa08"]}}]}}}},
    {"kind": "t1", "data": {
      "subreddit": "CollegeAdvice", "id": "j1aa03", "name": "t1_j1aa03",
      "parent_id": "t3_x7k2pq", "link_id": "t3_x7k2pq", "author": "[deleted]",
      "body": "[deleted]", "created_utc": 1700001800.0, "score": 2, "depth": 0,
      "replies": {"kind": "Listing", "data": {"after": null, "children": [
        {"kind": "t1", "data": {
          "subreddit": "CollegeAdvice", "id": "j1aa04", "name": "t1_j1aa04",
          "parent_id": "t1_j1aa03", "link_id": "t3_x7k2pq", "author": "river_stone",
          "body": "Why delete it? It was helpful.", "created_utc": 1700002400.0,
          "score": 1, "depth": 1, "replies": ""}}]}}}},
    {"kind": "t1", "data": {
      "subreddit": "CollegeAdvice", "id": "j1aa05", "name": "t1_j1aa05",
      "parent_id": "t3_x7k2pq", "link_id": "t3_x7k2pq", "author": "river_stone",
      "body": "Same here", "created_utc": "last week", "score": 0, "depth": 0,
      "replies": ""}}]}}
]
"""
"""A hand-written /comments/x7k2pq.json: a post, a comment with a reply under it (and a `more`
stub), a deleted comment with a reply, and a comment with a time that is not one."""


def post_key(item: str) -> str:
    return key(f"t3_{item}")


def test_a_json_thread(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "x7k2pq.json"
    path.write_text(LISTING, encoding="utf-8")
    result = by_subreddit(path, store)
    assert result.record.rows_read == 6
    assert result.record.messages_added == 4
    rows = store.arrow(
        "SELECT message_key, author_key, parent_key, root_key, kind, text, likes, team, created_at"
        " FROM messages ORDER BY created_at"
    ).to_pylist()
    at = datetime(2023, 11, 14, 22, 13, 20)
    assert [(r["message_key"], r["author_key"], r["parent_key"], r["kind"]) for r in rows] == [
        (post_key("x7k2pq"), key("maple_leaf"), None, "post"),
        (key("t1_j1aa01"), key("quiet_owl"), post_key("x7k2pq"), "reply"),
        (key("t1_j1aa02"), key("maple_leaf"), key("t1_j1aa01"), "reply"),
        (key("t1_j1aa04"), key("river_stone"), key("t1_j1aa03"), "reply"),
    ]
    assert {r["root_key"] for r in rows} == {post_key("x7k2pq")}
    assert {r["team"] for r in rows} == {"CollegeAdvice"}
    assert rows[0]["created_at"] == at
    assert (
        rows[0]["text"]
        == "Switching majors in junior year?\n\nBiology to statistics: is it too late?"
    )
    assert [r["likes"] for r in rows] == [14, 9, 3, 1]
    assert [(line, reason) for _, line, reason, _ in store.rejects()] == [
        (23, DELETED_REASON),
        (33, "created_utc is not epoch seconds"),
    ]
    raw = json.loads(store.rejects()[0][3])
    assert raw["data"]["id"] == "j1aa03" and "replies" not in raw["data"]
    edges = store.arrow(
        "SELECT actor_key, target_key, kind, message_key FROM interactions"
        " ORDER BY created_at, kind"
    ).to_pylist()
    assert [tuple(e.values()) for e in edges] == [
        (key("quiet_owl"), key("maple_leaf"), "mention", key("t1_j1aa01")),
        (key("quiet_owl"), key("maple_leaf"), "reply", key("t1_j1aa01")),
        (key("maple_leaf"), key("quiet_owl"), "reply", key("t1_j1aa02")),
    ]


def test_a_folder_of_json_threads(store: Store, tmp_path: Path) -> None:
    folder = tmp_path / "threads"
    (folder / "more").mkdir(parents=True)
    # as Reddit serves it: on one line
    (folder / "x7k2pq.json").write_text(json.dumps(json.loads(LISTING)), encoding="utf-8")
    other = json.loads(LISTING)
    other[0]["data"]["children"][0]["data"].update(
        {"id": "z9z9z9", "name": "t3_z9z9z9", "subreddit": "CollegeMajors", "selftext": ""}
    )
    other[1]["data"]["children"] = []
    (folder / "more" / "z9z9z9.JSON").write_text(json.dumps(other), encoding="utf-8")
    (folder / "notes.txt").write_text("not read", encoding="utf-8")
    result = by_subreddit(folder, store)
    assert result.record.rows_read == 7
    assert result.record.messages_added == 5
    assert [line for _, line, _, _ in store.rejects()] == [1, 1]
    post = store.arrow(
        "SELECT text, team FROM messages WHERE message_key = ?", [post_key("z9z9z9")]
    ).to_pylist()
    assert post == [{"text": "Switching majors in junior year?", "team": "CollegeMajors"}]


@pytest.mark.parametrize(
    ("content", "error"),
    [
        ('{"kind": "t3", "data": {}}', "not a Reddit JSON listing"),
        ('[{"kind": "Listing", "data": {"children": [1]}}]', "not a Reddit JSON listing"),
        ('[{"kind": "Listing", "data": {"children": [\n', r":2: broken JSON \(Expecting value\)"),
    ],
)
def test_json_that_is_not_a_listing_fails_in_one_line(
    store: Store, tmp_path: Path, content: str, error: str
) -> None:
    path = tmp_path / "thread.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ImportFailed, match=error) as failed:
        import_file(store, "reddit", path)
    assert "\n" not in str(failed.value)
    assert store.imports() == []


def test_a_folder_without_json_fails_in_one_line(store: Store, tmp_path: Path) -> None:
    (tmp_path / "threads").mkdir()
    (tmp_path / "threads" / "thread.csv").write_text(THREAD, encoding="utf-8")
    with pytest.raises(ImportFailed, match=r"threads: a folder with no \.json files"):
        import_file(store, "reddit", tmp_path / "threads")
