"""The accounts-json source on real Mastodon and Bluesky API responses: profiles for the audit,
follows of the team's accounts on each platform, odd objects kept aside."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

from conftest import SHARED, CliRun

from convivial.workspace import Workspace

BLUESKY = SHARED / "formats" / "bluesky_atproto" / "get_follows.json"
MASTODON = SHARED / "formats" / "mastodon_api_cassettes" / "test_account_followers.responses.json"


def test_mastodon_and_bluesky_profiles_become_audited_followers(
    tmp_path: Path, cli: CliRun
) -> None:
    root = tmp_path / "ws"
    init = ["init", "--team", "Shop", "--brand", "mastodon:shop", "--brand", "bluesky:shop.bsky"]
    assert cli("-w", root, *init)[0] == 0
    code, out, err = cli(
        "-w", root, "import", "accounts-json", BLUESKY, MASTODON, "--followers-of", "Shop"
    )
    assert code == 0, err
    expected = json.loads(BLUESKY.read_text(encoding="utf-8"))["follows"]
    with Workspace(root).open_store(read_only=True) as store:
        rows = store.arrow(
            "SELECT a.platform, a.account_id, a.display_name, a.bio, a.default_avatar,"
            " a.created_at, a.last_post_at, f.followed_key FROM accounts a"
            " JOIN follows f ON f.follower_key = a.account_key ORDER BY 1, 2"
        ).to_pylist()
    bluesky = [r for r in rows if r["platform"] == "bluesky"]
    assert sorted(r["account_id"] for r in bluesky) == sorted(p["handle"] for p in expected)
    assert {r["followed_key"] for r in bluesky} == {"bluesky:shop.bsky"}
    first = next(r for r in bluesky if r["account_id"] == expected[0]["handle"])
    assert first["bio"] == expected[0]["description"]
    assert first["created_at"] == datetime(2022, 11, 17, 1, 4, 43, 624000)
    [mastodon] = [r for r in rows if r["platform"] == "mastodon"]
    assert mastodon["account_id"] == "mastodonpy_test" and mastodon["default_avatar"] is True
    assert mastodon["last_post_at"] == datetime(2026, 8, 1)
    assert mastodon["followed_key"] == "mastodon:shop"
    code, out, _ = cli("-w", root, "audit", "--team", "Shop", "--format", "json")
    assert code == 0
    assert len(json.loads(out)["followers"]) == len(expected) + 1


def test_objects_of_no_known_kind_are_kept_aside(tmp_path: Path, cli: CliRun) -> None:
    root = tmp_path / "ws"
    assert cli("-w", root, "init")[0] == 0
    odd = tmp_path / "odd.jsonl"
    odd.write_text(
        '{"acct": "ann", "followers_count": 3}\n{"name": "who?"}\n'
        '{"did": "did:plc:x", "handle": "bo.bsky.social", "followersCount": "many"}\n'
        "{not json\n",
        encoding="utf-8",
    )
    code, _, err = cli("-w", root, "import", "accounts-json", odd)
    assert code == 0
    assert "3 bad rows" in err and "line 2: no acct, did or screen_name" in err
    assert "followersCount is 'many'" in err
