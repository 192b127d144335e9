"""Kept reports: computed once per state of the data and settings, never stale, never a leak."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import CliRun, count

from convivial.rows import Rows
from convivial.workspace import Workspace

PERSON = "twitter:115712"


@pytest.fixture
def root(tmp_path: Path, cli: CliRun, twcs_head: Path) -> Path:
    """A workspace with the first 5,000 TWCS tweets imported (one team per brand)."""
    folder = tmp_path / "ws"
    assert cli("-w", folder, "init")[0] == 0
    assert cli("-w", folder, "import", "twcs", twcs_head)[0] == 0
    return folder


def _kept(root: Path) -> list[tuple[str, str]]:
    with Workspace(root).open_store(read_only=True) as store:
        rows = store.arrow("SELECT key, body FROM report_cache").to_pylist()
    return [(row["key"], row["body"]) for row in rows]


def _kept_rows(root: Path) -> list[Rows]:
    """The long lists kept beside the reports."""
    with Workspace(root).open_store(read_only=True) as store:
        blobs = store.arrow("SELECT data FROM report_rows ORDER BY key, position")
    return [Rows.from_ipc(data) for data in blobs.column("data").to_pylist()]


def _report(cli: CliRun, root: Path) -> list[dict[str, object]]:
    code, out, err = cli("-w", root, "report", "--format", "json")
    assert code == 0, err
    data = json.loads(out)
    return data if isinstance(data, list) else [data]


def test_a_report_is_kept_and_computed_again_when_the_data_change(
    tmp_path: Path, cli: CliRun, root: Path
) -> None:
    first = _report(cli, root)
    kept = _kept(root)
    assert len(kept) == 1
    assert _report(cli, root) == first
    assert _kept(root) == kept  # read back, not computed and saved again

    later = tmp_path / "later.csv"
    later.write_text(
        "platform,message_id,author_id,created_at,text\n"
        "twitter,900000001,someone_new,2017-12-31T10:00:00Z,hello @AppleSupport\n",
        encoding="utf-8",
    )
    assert cli("-w", root, "import", "csv", later)[0] == 0
    again = _report(cli, root)
    assert again != first
    assert [key for key, _ in _kept(root)] != [key for key, _ in kept]
    assert len(_kept(root)) == 1  # the stale report is gone


def test_settings_change_the_kept_report(cli: CliRun, root: Path) -> None:
    before = _report(cli, root)[0]["window"]
    config = Workspace(root).config_path
    text = config.read_text(encoding="utf-8")
    assert "days = 90" in text
    config.write_text(text.replace("days = 90", "days = 7"), encoding="utf-8")
    after = _report(cli, root)[0]["window"]
    assert after != before and after["end"] == before["end"]  # type: ignore[index]


def test_forget_drops_every_kept_report_and_handled_mark(cli: CliRun, root: Path) -> None:
    assert cli("-w", root, "inbox", "--format", "json")[0] == 0
    assert any(PERSON in body for _, body in _kept(root))
    with Workspace(root).open_store() as store:
        theirs = store.arrow("SELECT message_key FROM messages WHERE author_key = ?", [PERSON])
        key = theirs.column("message_key")[0].as_py()
        assert store.mark_handled(key) and key in store.handled()
        assert not store.mark_handled("twitter:no-such-message")
    assert cli("-w", root, "forget", PERSON)[0] == 0
    assert _kept(root) == [] and _kept_rows(root) == []
    with Workspace(root).open_store() as store:
        assert store.handled() == {}  # the mark on their message went with it
    assert cli("-w", root, "report", "--format", "json")[0] == 0
    assert not any(PERSON in body for _, body in _kept(root))
    assert _kept_rows(root) and not any(
        PERSON in json.dumps(list(rows), default=str) for rows in _kept_rows(root)
    )
    with Workspace(root).open_store(read_only=True) as store:
        assert count(store, "SELECT count(*) FROM report_cache") == 1


def test_the_long_lists_are_kept_as_arrow_beside_the_report(cli: CliRun, root: Path) -> None:
    code, fresh, err = cli("-w", root, "members", "--format", "json")
    assert code == 0, err
    (key, body), *_ = _kept(root)
    assert '"__rows__"' in body and '"strong_ties": [' not in body  # not written out in the body
    kept = _kept_rows(root)
    members = [m for team in json.loads(fresh) for m in team["members"]]
    assert sum(len(rows) for rows in kept) >= len(members) > 1000
    code, again, err = cli("-w", root, "members", "--format", "json")
    assert code == 0, err
    assert again == fresh and _kept(root) == [(key, body)]  # read back from the kept rows
