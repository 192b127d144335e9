"""`bluesky-car`: a Bluesky repository export, written as the PDS writes it (a commit, a Merkle
search tree, DAG-CBOR records) from the real records and views of the AT Protocol SDK's test
account in ../shared/data/formats/bluesky_atproto/."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from car import cbor, cid_of, repository, varint
from conftest import CliRun, count

from convivial.store import Store

OWNER = "did:plc:kvwvcn5iqfooopmyzvb4qzba"


@pytest.fixture
def records(shared: Path) -> dict[str, dict[str, Any]]:
    """The owner's repository: two posts and a quote with media (real records), a like of its
    own post (real), follows of the accounts its real follow list names, a repost of a post of
    the first of them, and a profile."""
    data = shared / "formats" / "bluesky_atproto"

    def real(name: str) -> dict[str, Any]:
        found: dict[str, Any] = json.loads((data / name).read_text(encoding="utf-8"))
        return found

    out: dict[str, dict[str, Any]] = {}
    for name in ("post_record.json", "extended_post_record.json", "like_record.json"):
        record = real(name)
        out[record["uri"].split("/", 3)[3]] = record["value"]
    quote = real("thread_view_post_with_embed_media.json")["thread"]["post"]
    out[quote["uri"].split("/", 3)[3]] = quote["record"]
    followed_accounts = real("get_follows.json")["follows"]
    out["app.bsky.feed.repost/3kahf00000000"] = {
        "$type": "app.bsky.feed.repost",
        "subject": {
            "uri": f"at://{followed_accounts[0]['did']}/app.bsky.feed.post/3kahdxxxxxx2a",
            "cid": "bafyreier7l7l33k23invvoeth2ed2hkwlxlv3igbhp3536hmmeouob7mzi",
        },
        "createdAt": "2023-09-28T12:50:00.000Z",
    }
    for i, followed in enumerate(followed_accounts):
        out[f"app.bsky.graph.follow/3k{i:011d}"] = {
            "$type": "app.bsky.graph.follow",
            "subject": followed["did"],
            "createdAt": followed.get("indexedAt") or "2023-07-01T00:00:00.000Z",
        }
    out["app.bsky.actor.profile/self"] = {
        "$type": "app.bsky.actor.profile",
        "displayName": quote["author"]["displayName"],
        "description": "The Python SDK's test account",
    }
    return out


def test_the_repository_is_read_whole_and_once(
    tmp_path: Path, workspace: Path, cli: CliRun, records: dict[str, dict[str, Any]]
) -> None:
    repo = tmp_path / "repo.car"
    repo.write_bytes(repository(OWNER, records))
    follows = sum(key.startswith("app.bsky.graph.follow/") for key in records)
    assert follows >= 5
    code, out, err = cli("-w", workspace, "import", "bluesky-car", repo, "--team", "sdk")
    assert code == 0, err
    # a follow is an interaction too; a like of one's own post is not (a person to itself)
    assert f"3 messages, {follows + 1} interactions, {follows} follows" in out
    with Store(workspace / "convivial.duckdb") as store:
        posts = store.arrow(
            "SELECT message_key, author_key, kind FROM messages ORDER BY message_key"
        ).to_pylist()
        assert {p["author_key"] for p in posts} == {f"bluesky:{OWNER}"}
        assert {p["message_key"] for p in posts} == {
            f"bluesky:at://{OWNER}/{key}"
            for key in records
            if key.startswith("app.bsky.feed.post/")
        }
        assert [p["kind"] for p in posts].count("quote") == 1
        acts = store.arrow(
            "SELECT kind, target_key FROM interactions WHERE kind <> 'follow'"
        ).to_pylist()
        assert acts == [{"kind": "share", "target_key": f"bluesky:{followed_accounts(records)}"}]
        assert (
            count(store, "SELECT count(*) FROM follows WHERE follower_key = ?", f"bluesky:{OWNER}")
            == follows
        )
        owner = store.arrow(
            "SELECT display_name, bio FROM accounts WHERE account_id = ?", [OWNER]
        ).to_pylist()
        assert owner == [{"display_name": "Python SDK", "bio": "The Python SDK's test account"}]
        assert store.teams() == [("sdk", "import", 1, 0)]
    code, out, _ = cli("-w", workspace, "import", "bluesky-car", repo, "--team", "sdk")
    assert code == 0 and "already imported" in out


def followed_accounts(records: dict[str, dict[str, Any]]) -> str:
    """The account the repository's first follow follows."""
    return str(records["app.bsky.graph.follow/3k00000000000"]["subject"])


def test_a_broken_record_is_set_aside_and_the_rest_kept(
    tmp_path: Path, workspace: Path, cli: CliRun, records: dict[str, dict[str, Any]]
) -> None:
    data = bytearray(repository(OWNER, records))
    like = cbor(records["app.bsky.feed.repost/3kahf00000000"])
    at = bytes(data).index(like)
    data[at : at + 1] = b"\xff"  # a break code where the record's map begins
    repo = tmp_path / "repo.car"
    repo.write_bytes(bytes(data))
    code, out, err = cli("-w", workspace, "import", "bluesky-car", repo)
    assert code == 0, err
    follows = sum(key.startswith("app.bsky.graph.follow/") for key in records)
    assert f"3 messages, {follows} interactions, {follows} follows" in out  # no repost
    assert "1 bad row" in err and "app.bsky.feed.repost/3kahf00000000" in err
    strict = tmp_path / "strict"
    assert cli("-w", strict, "init")[0] == 0
    code, _, err = cli("-w", strict, "import", "bluesky-car", repo, "--strict")
    assert code == 1 and f"{repo}:" in err and "app.bsky.feed.repost/3kahf00000000" in err
    with Store(strict / "convivial.duckdb") as store:
        assert count(store, "SELECT count(*) FROM messages") == 0


def test_a_cut_or_foreign_file_fails_with_where_and_writes_nothing(
    tmp_path: Path, workspace: Path, cli: CliRun, records: dict[str, dict[str, Any]]
) -> None:
    whole = repository(OWNER, records)
    cut = tmp_path / "cut.car"
    cut.write_bytes(whole[: len(whole) - 40])
    code, out, err = cli("-w", workspace, "import", "bluesky-car", cut)
    assert code == 1 and out == ""
    assert f"{cut}: cut short at byte" in err and "nothing of it was imported" in err
    foreign = tmp_path / "posts.car"
    foreign.write_text('{"posts": []}', encoding="utf-8")
    code, _, err = cli("-w", workspace, "import", "bluesky-car", foreign)
    assert code == 1 and f"{foreign}: not a CAR" in err
    header = cbor({"roots": [cid_of(b"x")], "version": 1})
    rootless = tmp_path / "rootless.car"
    rootless.write_bytes(varint(len(header)) + header)
    code, _, err = cli("-w", workspace, "import", "bluesky-car", rootless)
    assert code == 1 and "no repository commit" in err
    with Store(workspace / "convivial.duckdb") as store:
        assert count(store, "SELECT count(*) FROM messages") == 0
        assert count(store, "SELECT count(*) FROM imports") == 0


def test_forget_cuts_the_links_to_a_forgotten_accounts_posts(
    tmp_path: Path, workspace: Path, cli: CliRun, records: dict[str, dict[str, Any]]
) -> None:
    """A reply of the owner to a post of an account it follows: forgetting that account (by its
    DID) leaves no at:// URI naming it, though its post was never imported."""
    followed = followed_accounts(records)
    theirs = {"uri": f"at://{followed}/app.bsky.feed.post/3kahdxxxxxx2a", "cid": "bafyrei"}
    records["app.bsky.feed.post/3kreply0000aa"] = {
        "$type": "app.bsky.feed.post",
        "text": "Thanks, that helped!",
        "reply": {"root": theirs, "parent": theirs},
        "createdAt": "2023-09-29T08:00:00.000Z",
    }
    repo = tmp_path / "repo.car"
    repo.write_bytes(repository(OWNER, records))
    assert cli("-w", workspace, "import", "bluesky-car", repo)[0] == 0
    named = "SELECT count(*) FROM messages WHERE parent_key LIKE ? OR root_key LIKE ?"
    pattern = f"%{followed}%"
    with Store(workspace / "convivial.duckdb") as store:
        assert count(store, named, pattern, pattern) == 1
    code, _, err = cli("-w", workspace, "forget", f"bluesky:{followed}")
    assert code == 0, err
    with Store(workspace / "convivial.duckdb") as store:
        assert count(store, named, pattern, pattern) == 0
        assert count(store, "SELECT count(*) FROM follows WHERE followed_key LIKE ?", pattern) == 0
        assert count(store, "SELECT count(*) FROM messages") == 4  # the reply stays, unlinked
