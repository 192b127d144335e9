"""The `mastodon-archive` source: an account archive's statuses, boosts and likes, streamed."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest
from conftest import CliRun, count, scalar

from convivial.synth_archives import HOME, mastodon_archive
from convivial.workspace import Workspace


def _activities(archive: Path) -> list[dict[str, object]]:
    with zipfile.ZipFile(archive) as z:
        items: list[dict[str, object]] = json.loads(z.read("outbox.json"))["orderedItems"]
    return items


@pytest.fixture
def archive(tmp_path: Path) -> Path:
    return mastodon_archive(tmp_path / "archive.zip", 600, seed=3)


def test_statuses_boosts_and_likes_are_imported(tmp_path: Path, cli: CliRun, archive: Path) -> None:
    root = tmp_path / "ws"
    assert cli("-w", root, "init")[0] == 0
    code, out, err = cli("-w", root, "import", "mastodon-archive", archive, "--team", "Spokes")
    assert code == 0, err
    activities = _activities(archive)
    boosts = [a for a in activities if a["type"] == "Announce"]
    notes = [a["object"] for a in activities if a["type"] == "Create"]
    replies = [n for n in notes if isinstance(n, dict) and n["inReplyTo"]]
    with zipfile.ZipFile(archive) as z:
        liked = json.loads(z.read("likes.json"))["orderedItems"]
    with Workspace(root).open_store(read_only=True) as store:
        assert count(store, "SELECT count(*) FROM messages") == len(activities)
        assert count(store, "SELECT count(*) FROM messages WHERE kind = 'share'") == len(boosts)
        assert count(store, "SELECT count(*) FROM messages WHERE kind = 'reply'") == len(replies)
        assert count(store, "SELECT count(*) FROM interactions WHERE kind = 'like'") == len(liked)
        # the owner's statuses keep their local id, as the API gives it
        first = f"mastodon:{str(activities[0]['id']).split('/')[-2]}"
        assert count(store, "SELECT count(*) FROM messages WHERE message_key = ?", first) == 1
        # a mention on the owner's server is a bare user; elsewhere user@server
        handles = store.arrow("SELECT account_id FROM accounts").column("account_id").to_pylist()
        assert any("@" not in h for h in handles if h != "spokes")
        assert any(h.endswith(("@mastodon.social", "@fosstodon.org", "@mas.to")) for h in handles)
        assert all(not h.endswith(f"@{HOME}") for h in handles)
        private = count(store, "SELECT count(*) FROM messages WHERE NOT is_public")
        assert 0 < private < len(activities) // 5
        assert scalar(store, "SELECT min(created_at) FROM interactions WHERE kind = 'like'")
        assert [t[:3] for t in store.teams()] == [("Spokes", "import", 1)]
    code, out, _ = cli("-w", root, "import", "mastodon-archive", archive)
    assert code == 0 and "already imported" in out


def test_an_unpacked_archive_reads_the_same(tmp_path: Path, cli: CliRun, archive: Path) -> None:
    folder = tmp_path / "unpacked"
    with zipfile.ZipFile(archive) as z:
        z.extractall(folder)
    root = tmp_path / "ws"
    assert cli("-w", root, "init")[0] == 0
    assert cli("-w", root, "import", "mastodon-archive", folder)[0] == 0
    with Workspace(root).open_store(read_only=True) as store:
        assert count(store, "SELECT count(*) FROM messages") == len(_activities(archive))


def test_a_cut_short_outbox_fails_whole_and_names_where(
    tmp_path: Path, cli: CliRun, archive: Path
) -> None:
    with zipfile.ZipFile(archive) as z:
        outbox = z.read("outbox.json")
    cut = tmp_path / "cut.zip"
    with zipfile.ZipFile(cut, "w") as z:
        z.writestr("outbox.json", outbox[: len(outbox) // 2])
    root = tmp_path / "ws"
    assert cli("-w", root, "init")[0] == 0
    code, _, err = cli("-w", root, "import", "mastodon-archive", cut)
    assert code == 1 and "outbox.json is broken or cut short near byte" in err
    with Workspace(root).open_store(read_only=True) as store:
        assert count(store, "SELECT count(*) FROM messages") == 0
        assert count(store, "SELECT count(*) FROM imports") == 0


def test_an_unreadable_activity_is_rejected_and_the_rest_kept(
    tmp_path: Path, cli: CliRun, archive: Path
) -> None:
    activities = _activities(archive)
    del activities[5]["published"]
    activities[7] = {"type": "Follow", "published": "2026-01-01T00:00:00Z"}
    folder = tmp_path / "edited"
    folder.mkdir()
    (folder / "outbox.json").write_text(json.dumps({"orderedItems": activities}), encoding="utf-8")
    root = tmp_path / "ws"
    assert cli("-w", root, "init")[0] == 0
    code, _, err = cli("-w", root, "import", "mastodon-archive", folder)
    assert code == 0 and "2 bad rows" in err
    with Workspace(root).open_store(read_only=True) as store:
        assert count(store, "SELECT count(*) FROM messages") == len(activities) - 2
        reasons = store.rejects()
    assert [(line, reason) for _, line, reason, _ in reasons] == [
        (6, "no published time"),
        (8, "a Follow activity, not a status or a boost"),
    ]
