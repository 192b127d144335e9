"""`convivial fetch mastodon` against a local server replaying real recorded responses: what a
fetch brings, that the next asks only for what is new, and how it meets rate limits, server
errors and malformed answers."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlparse

import pytest
from conftest import CliRun, count
from replay import Fault
from replay_mastodon import OWNER, Instance, instance, replaying

from convivial.importer import import_fetched
from convivial.sources import mastodon_fetch
from convivial.sources.mastodon_fetch import (
    SOURCE,
    VERSION,
    FetchFailed,
    fetch_mastodon,
    mastodon_client,
)
from convivial.store import ImportRecord, Store
from convivial.workspace import Workspace

TOKEN = "replay-token-3f9a1c"


def _fetch(store: Store, url: str) -> list[ImportRecord]:
    api = mastodon_client(url, TOKEN, retries=2, backoff=0)
    chunks = fetch_mastodon(api, OWNER, lambda a, s: store.cursor(SOURCE, a, s), "Shop")
    return import_fetched(store, SOURCE, VERSION, chunks)


def _expected_messages(data: Instance) -> set[str]:
    """Every status the fetch should store: the owner's (and what they reblogged), the replies
    around them, and the statuses of mention notifications."""
    ids = set()
    for status in data.statuses:
        ids.add(status["id"])
        if status.get("reblog"):
            ids.add(status["reblog"]["id"])
        ids |= {s["id"] for s in data.others if s.get("in_reply_to_id") == status["id"]}
    ids |= {n["status"]["id"] for n in data.notifications if n["type"] == "mention"}
    return {f"mastodon:{i}" for i in ids}


def _messages(store: Store) -> set[str]:
    rows = store.arrow("SELECT message_key FROM messages").column("message_key").to_pylist()
    return set(rows)


def test_a_first_fetch_brings_every_stream(store: Store) -> None:
    data = instance()
    with replaying(data) as url:
        records = _fetch(store, url)
    assert records
    assert _messages(store) == _expected_messages(data)
    assert count(store, "SELECT count(*) FROM follows") == len(data.followers) + len(data.following)
    mentions = [n for n in data.notifications if n["type"] == "mention"]
    assert mentions and count(
        store,
        "SELECT count(*) FROM interactions WHERE kind = 'mention' AND target_key = ?",
        f"mastodon:{OWNER}",
    ) >= len(mentions)
    teams = store.teams()
    assert [(name, brands) for name, _, brands, _ in teams] == [("Shop", 1)]


def test_a_second_fetch_asks_only_for_what_is_new(store: Store) -> None:
    data = instance()
    held_back, data.statuses = data.statuses[-3:], data.statuses[:-3]
    with replaying(data) as url:
        _fetch(store, url)
        before = _messages(store)
        data.recording.log.clear()
        assert _fetch(store, url) == []  # nothing new: nothing written
        assert _messages(store) == before
        asked = [p for p in data.recording.log if "/statuses?" in p]
        newest = max(int(s["id"]) for s in data.statuses)
        assert asked and all(f"min_id={newest}" in p for p in asked)
        data.statuses += held_back  # three new statuses on the server
        _fetch(store, url)
    assert (
        _messages(store) - before
        == {f"mastodon:{s['id']}" for s in held_back}
        | {f"mastodon:{s['reblog']['id']}" for s in held_back if s.get("reblog")} - before
    )


def test_pages_are_followed_to_the_end(store: Store) -> None:
    data = instance()
    data.max_limit = 2
    with replaying(data) as url:
        _fetch(store, url)
    assert _messages(store) == _expected_messages(data)
    pages = [p for p in data.recording.log if f"/accounts/{data.owner['id']}/statuses" in p]
    assert len(pages) == len(data.statuses) // 2 + 1 + (len(data.statuses) % 2 > 0)


def test_a_rate_limit_is_waited_out(store: Store) -> None:
    data = instance()
    fault = Fault("/api/v1/notifications", 1, 429, headers={"Retry-After": "1"})
    data.recording.faults = [fault]
    with replaying(data) as url:
        _fetch(store, url)
    assert _messages(store) == _expected_messages(data)
    assert len([p for p in data.recording.log if p.startswith("/api/v1/notifications")]) == 3


def test_a_server_error_mid_fetch_then_resume_loses_and_repeats_nothing(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(mastodon_fetch, "CHUNK_PAGES", 1)
    data = instance()
    data.max_limit = 2
    statuses = f"/api/v1/accounts/{data.owner['id']}/statuses"
    fault = Fault(statuses, 2, 500, times=3)  # the second page fails, retries too
    data.recording.faults = [fault]
    with replaying(data) as url:
        with pytest.raises(FetchFailed, match="reading statuses"):
            _fetch(store, url)
        kept = _messages(store)
        assert kept and kept < _expected_messages(data)  # the first page stayed
        _fetch(store, url)
    assert _messages(store) == _expected_messages(data)
    assert count(store, "SELECT count(*) - count(DISTINCT message_key) FROM messages") == 0


def test_a_malformed_answer_is_a_clear_error_and_writes_nothing(store: Store) -> None:
    data = instance()
    data.recording.faults = [
        Fault("/api/v1/notifications", 1, 200, body='[{"id": "1", "type": "menti')
    ]
    with replaying(data) as url, pytest.raises(FetchFailed, match="reading notifications"):
        _fetch(store, url)
    where = f"{OWNER}@{urlparse(url).netloc}"
    assert store.cursor(SOURCE, where, "notifications") is None
    assert count(store, "SELECT count(*) FROM imports WHERE file LIKE '%notifications'") == 0
    assert store.cursor(SOURCE, where, "statuses") is not None  # the stream before it is kept


def test_the_command_keeps_the_token_out_of_the_workspace(
    tmp_path: Path, cli: CliRun, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = tmp_path / "ws"
    assert cli("-w", root, "init")[0] == 0
    monkeypatch.setenv("CONVIVIAL_MASTODON_TOKEN", TOKEN)
    with replaying(instance()) as url:
        code, out, err = cli("-w", root, "fetch", "mastodon", "--instance", url, "--account", OWNER)
        assert code == 0, err
        assert "statuses:" in out and TOKEN not in out + err
        code, _, err = cli(
            "-w", root, "fetch", "mastodon", "--instance", url, "--account", "nobody"
        )
    assert code == 1 and "looking up the account" in err and "run the same command again" in err
    for path in root.iterdir():
        assert TOKEN.encode() not in path.read_bytes()
    with Workspace(root).open_store(read_only=True) as store:
        assert count(store, "SELECT count(*) FROM messages") > 0


def test_followers_page_back_to_the_last_fetch_and_cursors_are_per_server(store: Store) -> None:
    """Mastodon pages followers newest first by max_id and ignores min_id: every follower is
    read, a second fetch reads only the new one, and another server keeps its own cursors."""
    data = instance()
    data.max_limit = 1
    newest, data.followers = data.followers[-1], data.followers[:-1]
    follows = "SELECT count(*) FROM follows WHERE followed_key = 'mastodon:mastodonpy_test'"
    with replaying(data) as url:
        _fetch(store, url)
        assert count(store, follows) == len(data.followers)
        data.followers.append(newest)
        data.recording.log.clear()
        _fetch(store, url)
        assert count(store, follows) == len(data.followers)
        asked = [p for p in data.recording.log if "/followers" in p]
        assert len(asked) == 2  # the new follower, then an empty page
    other = instance()
    with replaying(other) as url:
        assert _fetch(store, url)  # a second server: its statuses are read afresh
