"""`convivial forget`: a person erased everywhere, and kept out of later imports."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from conftest import CliRun, count

from convivial.workspace import Workspace

PERSON = "twitter:115712"


def _held(root: Path) -> dict[str, int]:
    key = PERSON
    with Workspace(root).open_store(read_only=True) as store:
        return {
            "accounts": count(store, "SELECT count(*) FROM accounts WHERE account_key = ?", key),
            "messages": count(store, "SELECT count(*) FROM messages WHERE author_key = ?", key),
            "interactions": count(
                store,
                "SELECT count(*) FROM interactions WHERE actor_key = ? OR target_key = ?",
                key,
                key,
            ),
            "labels": count(
                store,
                "SELECT count(*) FROM message_labels l JOIN messages m USING (message_key)"
                " WHERE m.author_key = ?",
                key,
            ),
            "erasures": count(store, "SELECT count(*) FROM erasures"),
            "all messages": count(store, "SELECT count(*) FROM messages"),
        }


def test_a_person_is_erased_and_stays_erased(tmp_path: Path, cli: CliRun, twcs_head: Path) -> None:
    root = tmp_path / "ws"
    assert cli("-w", root, "init")[0] == 0
    assert cli("-w", root, "import", "twcs", twcs_head)[0] == 0
    before = _held(root)
    assert before["messages"] > 0 and before["interactions"] > 0 and before["erasures"] == 0
    code, out, err = cli("-w", root, "forget", PERSON)
    assert code == 0, err
    assert f"Erased {PERSON}:" in out and f"{before['messages']:,} messages" in out
    after = _held(root)
    assert [after[k] for k in ("accounts", "messages", "interactions", "labels")] == [0, 0, 0, 0]
    assert after["all messages"] == before["all messages"] - before["messages"]
    with Workspace(root).open_store(read_only=True) as store:
        stored = store.arrow("SELECT * FROM erasures").to_pylist()
    assert all("115712" not in str(v) for row in stored for v in row.values())
    # a changed copy of the old file (so read again, not skipped as already imported) brings
    # back none of the erased person's tweets, profile or interactions
    text = twcs_head.read_text(encoding="utf-8")
    rows = list(csv.reader(io.StringIO(text, newline="")))
    rows[1][4] = rows[1][4] + " (edited)"
    copy = tmp_path / "again.csv"
    with copy.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows(rows)
    assert cli("-w", root, "import", "twcs", copy)[0] == 0
    again = _held(root)
    assert [again[k] for k in ("accounts", "messages", "interactions")] == [0, 0, 0]
    assert again["all messages"] == after["all messages"]
    assert cli("-w", root, "report", "--format", "json")[0] == 0


def test_forgetting_someone_never_seen_keeps_them_out(tmp_path: Path, cli: CliRun) -> None:
    root = tmp_path / "ws"
    assert cli("-w", root, "init")[0] == 0
    code, out, _ = cli("-w", root, "forget", "mastodon:ghost")
    assert code == 0 and "nothing was held" in out
    data = tmp_path / "m.csv"
    data.write_text(
        "platform,message_id,author_id,created_at,text\n"
        "mastodon,1,ghost,2026-01-01T10:00:00Z,hello\n"
        "mastodon,2,ann,2026-01-01T11:00:00Z,@ghost hi\n",
        encoding="utf-8",
    )
    assert cli("-w", root, "import", "csv", data)[0] == 0
    with Workspace(root).open_store(read_only=True) as store:
        assert count(store, "SELECT count(*) FROM accounts WHERE handle = 'ghost'") == 0
        assert count(store, "SELECT count(*) FROM messages") == 1
        assert count(store, "SELECT count(*) FROM interactions") == 0


def test_no_table_keeps_a_trace_of_a_forgotten_person(
    tmp_path: Path, cli: CliRun, twcs_head: Path
) -> None:
    """Every column of every table, as text, searched for the person's id (their TWCS id is
    also their handle) after a report, an inbox and a handled mark put them in derived tables."""
    root = tmp_path / "ws"
    assert cli("-w", root, "init")[0] == 0
    assert cli("-w", root, "import", "twcs", twcs_head)[0] == 0
    assert cli("-w", root, "inbox", "--format", "json")[0] == 0
    person = PERSON.split(":")[1]
    trace = f"(^|[^0-9]){person}([^0-9]|$)"
    with Workspace(root).open_store() as store:
        theirs = store.arrow("SELECT message_key FROM messages WHERE author_key = ?", [PERSON])
        assert store.mark_handled(theirs.column("message_key")[0].as_py())

        def found() -> dict[str, int]:
            out = {}
            tables = store.arrow(
                "SELECT table_name FROM information_schema.tables WHERE table_type = 'BASE TABLE'"
            ).column("table_name")
            for table in tables.to_pylist():
                columns = store.arrow(f"SELECT * FROM {table} LIMIT 0").column_names
                where = " OR ".join(f'regexp_matches(CAST("{c}" AS VARCHAR), ?)' for c in columns)
                hits = count(
                    store, f"SELECT count(*) FROM {table} WHERE {where}", *[trace] * len(columns)
                )
                if hits:
                    out[table] = hits
            return out

        before = found()
    derived = {"report_cache", "team_messages", "team_interactions"}
    assert {"accounts", "messages", "interactions", *derived} <= set(before), before
    assert cli("-w", root, "forget", PERSON)[0] == 0
    with Workspace(root).open_store() as store:
        assert found() == {}


def test_forget_redacts_the_name_as_each_platform_writes_it_and_cuts_links(
    tmp_path: Path, cli: CliRun
) -> None:
    root = tmp_path / "ws"
    assert cli("-w", root, "init")[0] == 0
    data = tmp_path / "m.csv"
    data.write_text(
        "platform,message_id,author_id,author_handle,created_at,text,parent_id,mentions\n"
        "mastodon,1,anna@other.social,anna@other.social,2026-05-01T10:00:00Z,hello all,,\n"
        "mastodon,2,shop,shop,2026-05-01T11:00:00Z,@anna thanks! cc @annabel,1,"
        "anna@other.social annabel\n"
        "twitter,3,900,dan,2026-05-01T12:00:00Z,hi @anna from twitter,,\n"
        "reddit,4,bob,bob,2026-05-01T13:00:00Z,thanks u/anna for asking,,\n"
        "twitter,5,1001,anna_b,2026-05-01T14:00:00Z,my tweet,,\n"
        "twitter,6,902,carl,2026-05-01T15:00:00Z,@anna_b see you,,1001\n"
        "mastodon,7,shop,shop,2026-05-01T16:00:00Z,fixed!,https://other.social/users/anna/statuses/9,\n",
        encoding="utf-8",
    )
    assert cli("-w", root, "import", "csv", data)[0] == 0
    assert cli("-w", root, "forget", "mastodon:anna@other.social")[0] == 0
    assert cli("-w", root, "forget", "twitter:1001")[0] == 0
    assert cli("-w", root, "forget", "reddit:anna")[0] == 0
    with Workspace(root).open_store(read_only=True) as store:
        rows = {
            r["message_key"]: r
            for r in store.arrow(
                "SELECT message_key, text, mentions, parent_key FROM messages"
            ).to_pylist()
        }
    shop = rows["mastodon:2"]
    assert shop["text"] == "@[erased] thanks! cc @annabel"  # @annabel is someone else
    assert shop["mentions"] == ["annabel"] and shop["parent_key"] is None
    assert rows["twitter:3"]["text"] == "hi @anna from twitter"  # another platform's anna
    assert rows["reddit:4"]["text"] == "thanks u/[erased] for asking"
    assert rows["twitter:6"]["text"] == "@[erased] see you"  # mentioned by id, written by handle
    assert "mastodon:1" not in rows and "twitter:5" not in rows
    assert rows["mastodon:7"]["parent_key"] is None  # the address named her
