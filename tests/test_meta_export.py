"""The `meta-export` source: Instagram and Facebook "Download your information" JSON, in the
shapes Meta writes (text escaped as Latin-1 bytes included)."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path
from typing import Any

from conftest import CliRun, count, scalar

from convivial.sources.meta_export import mended
from convivial.workspace import Workspace


def _meta(text: str) -> str:
    """Text as Meta writes it: each UTF-8 byte as one Latin-1 character."""
    return text.encode("utf-8").decode("latin-1")


def _instagram(folder: Path) -> Path:
    files: dict[str, Any] = {
        "personal_information/personal_information/personal_information.json": {
            "profile_user": [{"string_map_data": {"Username": {"value": "spokes.shop"}}}]
        },
        "your_instagram_activity/content/posts_1.json": [
            {
                "media": [
                    {
                        "uri": "media/1.jpg",
                        "creation_timestamp": 1760000000,
                        "title": _meta("Herfst-service: kom langs! 🚲 Søren fixed it"),
                    }
                ]
            },
            {
                "title": "Two photos, one caption",
                "creation_timestamp": 1760100000,
                "media": [
                    {"uri": "a.jpg", "creation_timestamp": 1760100000, "title": ""},
                    {"uri": "b.jpg", "creation_timestamp": 1760100000, "title": ""},
                ],
            },
            {"media": [{"uri": "media/3.jpg", "title": "no time"}]},
        ],
        "your_instagram_activity/comments/post_comments_1.json": [
            {
                "media_list_data": [{"uri": ""}],
                "string_map_data": {
                    "Comment": {"value": "Thanks for the tag!"},
                    "Media Owner": {"value": "rider_anna"},
                    "Time": {"timestamp": 1760200000},
                },
            },
        ],
        "connections/followers_and_following/followers_1.json": [
            {
                "title": "",
                "media_list_data": [],
                "string_list_data": [
                    {
                        "href": "https://www.instagram.com/rider_anna",
                        "value": "rider_anna",
                        "timestamp": 1750000000,
                    }
                ],
            },
            {
                "title": "",
                "media_list_data": [],
                "string_list_data": [
                    {
                        "href": "https://www.instagram.com/bob.rides",
                        "value": "bob.rides",
                        "timestamp": 1751000000,
                    }
                ],
            },
        ],
        "connections/followers_and_following/following_hashtags.json": {
            "relationships_following_hashtags": [{"title": "cycling", "string_list_data": []}]
        },
        "your_instagram_activity/comments/post_comments_2.json": {
            "comments_media_comments": [
                {
                    "string_map_data": {
                        "Comment": {"value": "Wrapped, as some exports do"},
                        "Media Owner": {"value": "bob.rides"},
                        "Time": {"timestamp": 1760250000},
                    }
                }
            ]
        },
        "connections/followers_and_following/following.json": {
            "relationships_following": [
                {
                    "title": "rider_anna",
                    "string_list_data": [
                        {"href": "https://www.instagram.com/_u/rider_anna", "timestamp": 1752000000}
                    ],
                },
            ]
        },
    }
    path = folder / "instagram-spokes.shop-2026-11-01.zip"
    with zipfile.ZipFile(path, "w") as z:
        for name, data in files.items():
            z.writestr(name, json.dumps(data))
    return path


POSTS = "your_posts__check_ins__photos_and_videos_1.json"


def _facebook(folder: Path) -> Path:
    root = folder / "facebook-export"
    (root / "profile_information").mkdir(parents=True)
    (root / "your_facebook_activity" / "posts").mkdir(parents=True)
    (root / "your_facebook_activity" / "comments_and_reactions").mkdir(parents=True)
    (root / "connections" / "followers").mkdir(parents=True)
    docs: dict[Path, Any] = {
        root / "profile_information" / "profile_information.json": {
            "profile_v2": {"name": {"full_name": _meta("Spokes & Sprockets Ærø")}}
        },
        root
        / "your_facebook_activity"
        / "posts"
        / "your_posts__check_ins__photos_and_videos_1.json": [
            {
                "timestamp": 1760000000,
                "data": [{"post": "Workshop open Saturday"}],
                "title": "Spokes updated their status.",
            },
            {"timestamp": 1760000500, "data": [{"post": "Workshop open Saturday"}]},
        ],
        root / "your_facebook_activity" / "comments_and_reactions" / "comments.json": {
            "comments_v2": [
                {
                    "timestamp": 1760300000,
                    "data": [
                        {
                            "comment": {
                                "timestamp": 1760300000,
                                "comment": _meta("Graag gedaan, Tobias Løye!"),
                                "author": "Spokes",
                            }
                        }
                    ],
                    "title": _meta("Spokes replied to Tobias Løye's comment."),
                }
            ]
        },
        root / "connections" / "followers" / "people_who_followed_you.json": {
            "followers_v3": [{"name": _meta("Tobias Løye"), "timestamp": 1755000000}, {"name": ""}]
        },
    }
    for path, data in docs.items():
        path.write_text(json.dumps(data), encoding="utf-8")
    return root


def test_meta_text_is_mended() -> None:
    assert mended(_meta("Søren 🚲 café")) == "Søren 🚲 café"
    assert mended("plain, or already right: Søren") == "plain, or already right: Søren"


def test_an_instagram_export(tmp_path: Path, cli: CliRun) -> None:
    root = tmp_path / "ws"
    assert cli("-w", root, "init")[0] == 0
    export = _instagram(tmp_path)
    code, out, err = cli("-w", root, "import", "meta-export", export, "--team", "Spokes")
    assert code == 0, err
    assert "1 bad rows" in err  # the post without a time
    with Workspace(root).open_store(read_only=True) as store:
        assert count(store, "SELECT count(*) FROM messages WHERE platform = 'instagram'") == 4
        caption = scalar(store, "SELECT text FROM messages WHERE text LIKE 'Herfst%'")
        assert caption == "Herfst-service: kom langs! 🚲 Søren fixed it"
        replies = store.arrow("SELECT text FROM messages WHERE kind = 'reply' ORDER BY text")
        assert replies.column("text").to_pylist() == [
            "Thanks for the tag!",
            "Wrapped, as some exports do",
        ]
        reply_to = "SELECT target_key FROM interactions WHERE kind = 'reply' ORDER BY 1"
        assert store.arrow(reply_to).column("target_key").to_pylist() == [
            "instagram:bob.rides",
            "instagram:rider_anna",
        ]
        follows = store.arrow(
            "SELECT follower_key, followed_key, followed_at FROM follows ORDER BY followed_at"
        ).to_pylist()
        assert [(f["follower_key"], f["followed_key"]) for f in follows] == [
            ("instagram:rider_anna", "instagram:spokes.shop"),
            ("instagram:bob.rides", "instagram:spokes.shop"),
            ("instagram:spokes.shop", "instagram:rider_anna"),
        ]
        assert [t[:3] for t in store.teams()] == [("Spokes", "import", 1)]
    code, out, _ = cli("-w", root, "import", "meta-export", export)
    assert code == 0 and "already imported" in out


def test_a_facebook_export(tmp_path: Path, cli: CliRun) -> None:
    root = tmp_path / "ws"
    assert cli("-w", root, "init")[0] == 0
    code, _, err = cli("-w", root, "import", "meta-export", _facebook(tmp_path))
    assert code == 0, err
    with Workspace(root).open_store(read_only=True) as store:
        owner = "facebook:Spokes & Sprockets Ærø"
        assert count(store, "SELECT count(*) FROM messages WHERE author_key = ?", owner) == 3
        assert scalar(store, "SELECT target_key FROM interactions WHERE kind = 'reply'") == (
            "facebook:Tobias Løye"
        )
        assert count(store, "SELECT count(*) FROM follows WHERE followed_key = ?", owner) == 1
        assert [t[0] for t in store.teams()] == ["Spokes & Sprockets Ærø"]
        reasons = [r[2] for r in store.rejects()]
    assert reasons == ["people_who_followed_you.json: a follower without a name"]


def test_an_export_that_names_no_owner_needs_the_team(tmp_path: Path, cli: CliRun) -> None:
    export = _facebook(tmp_path)
    (export / "profile_information" / "profile_information.json").unlink()
    root = tmp_path / "ws"
    assert cli("-w", root, "init")[0] == 0
    code, _, err = cli("-w", root, "import", "meta-export", export)
    assert code == 1 and "give its name with --team" in err
    broken = export / "your_facebook_activity" / "comments_and_reactions" / "comments.json"
    broken.write_text('{"comments_v2": [', encoding="utf-8")
    code, _, err = cli("-w", root, "import", "meta-export", export, "--team", "Spokes")
    assert code == 1 and "comments.json is not JSON" in err
    with Workspace(root).open_store(read_only=True) as store:
        assert count(store, "SELECT count(*) FROM messages") == 0
