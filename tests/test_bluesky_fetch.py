"""`convivial fetch bluesky` against a local AppView serving the recorded real Bluesky objects,
through the atproto SDK: what a fetch brings, that the next asks only for what is new, and how it
meets rate limits, server errors and malformed answers."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import CliRun, count
from replay import Fault
from replay_bluesky import Network, add_post, network, replaying

from convivial.importer import import_fetched
from convivial.sources.bluesky_fetch import SOURCE, VERSION, bluesky_client, fetch_bluesky
from convivial.sources.fetching import FetchFailed
from convivial.store import ImportRecord, Store
from convivial.workspace import Workspace


def _fetch(store: Store, url: str, data: Network) -> list[ImportRecord]:
    chunks = fetch_bluesky(
        bluesky_client(url),
        data.owner["handle"],
        lambda a, s: store.cursor(SOURCE, a, s),
        "Shop",
        retries=1,
        backoff=0,
    )
    return import_fetched(store, SOURCE, VERSION, chunks)


def _messages(store: Store) -> set[str]:
    return set(store.arrow("SELECT message_key FROM messages").column("message_key").to_pylist())


def _expected(data: Network) -> set[str]:
    uris = {p["post"]["uri"] for p in data.posts}
    uris |= {r["post"]["uri"] for replies in data.replies.values() for r in replies}
    return {f"bluesky:{u}" for u in uris}


def test_a_first_fetch_brings_posts_threads_reactions_and_follows(store: Store) -> None:
    data = network()
    with replaying(data) as url:
        _fetch(store, url, data)
    assert _messages(store) == _expected(data)
    likes = sum(len(v) for v in data.likes.values())
    shares = sum(len(v) for v in data.reposts.values())
    assert count(store, "SELECT count(*) FROM interactions WHERE kind = 'like'") == likes
    assert count(store, "SELECT count(*) FROM interactions WHERE kind = 'share'") == shares
    assert count(store, "SELECT count(*) FROM follows") == len(data.followers) + len(data.follows)
    replies = count(store, "SELECT count(*) FROM interactions WHERE kind = 'reply'")
    assert replies == sum(len(v) for v in data.replies.values())
    assert [(name, brands) for name, _, brands, _ in store.teams()] == [("Shop", 1)]


def test_a_second_fetch_asks_only_for_what_is_new(store: Store) -> None:
    data = network()
    with replaying(data) as url:
        _fetch(store, url, data)
        before = _messages(store)
        data.recording.log.clear()
        assert _fetch(store, url, data) == []  # nothing new: nothing written
        assert sum("getAuthorFeed" in p for p in data.recording.log) == 1
        assert not any("getPostThread" in p or "getLikes" in p for p in data.recording.log)
        new = [add_post(data, f"News {i}", f"2026-11-0{i + 1}T10:00:00.000Z") for i in range(3)]
        _fetch(store, url, data)
    assert _messages(store) - before == {f"bluesky:{p['uri']}" for p in new}


def test_pages_are_followed_to_the_end(store: Store) -> None:
    data = network()
    data.max_limit = 1
    with replaying(data) as url:
        _fetch(store, url, data)
    assert _messages(store) == _expected(data)
    assert sum("getAuthorFeed" in p for p in data.recording.log) == len(data.posts)


def test_a_rate_limit_is_waited_out(store: Store) -> None:
    data = network()
    data.recording.faults = [
        Fault("app.bsky.graph.getFollowers", 1, 429, headers={"Retry-After": "1"})
    ]
    with replaying(data) as url:
        _fetch(store, url, data)
    assert sum("getFollowers" in p for p in data.recording.log) == 2
    assert count(store, "SELECT count(*) FROM follows") == len(data.followers) + len(data.follows)


def test_a_server_error_mid_fetch_then_resume_loses_and_repeats_nothing(store: Store) -> None:
    data = network()
    data.max_limit = 1
    data.recording.faults = [
        Fault("app.bsky.feed.getAuthorFeed", 2, 500, times=2)
    ]  # past one retry
    with replaying(data) as url:
        with pytest.raises(FetchFailed, match="reading posts"):
            _fetch(store, url, data)
        kept = _messages(store)
        assert kept and kept < _expected(data)  # the first page stayed
        _fetch(store, url, data)
        assert _messages(store) == _expected(data)
        assert _fetch(store, url, data) == []
    assert count(store, "SELECT count(*) - count(DISTINCT message_key) FROM messages") == 0


def test_a_malformed_answer_is_a_clear_error_and_writes_nothing(store: Store) -> None:
    data = network()
    data.recording.faults = [
        Fault("app.bsky.graph.getFollowers", 1, 200, body='{"subject": {"did": 1')
    ]
    with replaying(data) as url, pytest.raises(FetchFailed, match="reading followers"):
        _fetch(store, url, data)
    assert store.cursor(SOURCE, data.owner["handle"], "followers") is None
    assert count(store, "SELECT count(*) FROM follows") == 0
    assert store.cursor(SOURCE, data.owner["handle"], "posts") is not None


def test_the_command(tmp_path: Path, cli: CliRun) -> None:
    root = tmp_path / "ws"
    assert cli("-w", root, "init")[0] == 0
    data = network()
    with replaying(data) as url:
        fetch = ["-w", root, "fetch", "bluesky", "--service", url]
        code, out, err = cli(*fetch, "--handle", data.owner["handle"])
        assert code == 0, err
        assert "posts:" in out and "followers:" in out
        code, out, _ = cli(*fetch, "--handle", data.owner["handle"])
        assert code == 0 and "Nothing new" in out
        code, _, err = cli(*fetch, "--handle", "nobody.example")
    assert code == 1 and "looking up the account" in err and "run the same command again" in err
    with Workspace(root).open_store(read_only=True) as store:
        assert count(store, "SELECT count(*) FROM messages") == len(_expected(data))


def test_replies_and_likes_that_come_later_are_read(store: Store) -> None:
    data = network()
    with replaying(data) as url:
        _fetch(store, url, data)
        post = data.posts[0]["post"]
        late = {**data.replies[post["uri"]][0]["post"], "uri": post["uri"] + "-late"}
        data.replies[post["uri"]].append({"post": late, "replies": []})
        fan = data.followers[-1]
        data.likes[post["uri"]].append(
            {"actor": fan, "createdAt": "2026-11-20T10:00:00Z", "indexedAt": "2026-11-20"}
        )
        post["replyCount"] += 1
        post["likeCount"] += 1
        assert _fetch(store, url, data)
        assert f"bluesky:{late['uri']}" in _messages(store)
        liked = "SELECT count(*) FROM interactions WHERE kind = 'like' AND actor_key = ?"
        liked += " AND message_key = ?"
        assert count(store, liked, f"bluesky:{fan['handle']}", f"bluesky:{post['uri']}") == 1
        assert _fetch(store, url, data) == []  # counts unchanged since: nothing read again
