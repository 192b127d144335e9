"""The x-archive source, through `import_file` into real DuckDB files.

Most tests read the real archive sample (smithjd/twitter_archive: tweets.js, like.js and
following.js, no account.js); the expected numbers are computed here from the files with `json`.
"""

from __future__ import annotations

import json
import shutil
import zipfile
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from convivial.importer import ImportFailed, import_file, import_files
from convivial.store import Store

ARCHIVE = Path(__file__).parents[1].parent / "shared" / "data" / "formats" / "twitter_archive"
OWNER = "twitter:5838832"
"""smithjd, the owner, known from the archive's replies to its own tweets."""


def _entries(folder: Path, name: str, key: str) -> list[dict[str, Any]]:
    text = (folder / name).read_text(encoding="utf-8")
    return [e[key] for e in json.loads(text[text.index("=") + 1 :])]


def _value(store: Store, sql: str) -> Any:
    return store.arrow(sql).to_pylist()[0]["v"]


def _contents(store: Store) -> dict[str, list[dict[str, Any]]]:
    """Every table's rows, without the import ids."""
    data = ("accounts", "messages", "interactions", "follows")
    return {
        table: store.arrow(
            f"SELECT * {'EXCLUDE (import_id)' if table in data else ''} FROM {table} ORDER BY ALL"
        ).to_pylist()
        for table in (*data, "teams", "team_accounts")
    }


def _write_archive(folder: Path, files: dict[str, list[dict[str, Any]]]) -> Path:
    """An archive folder with `data/NAME.js` for each name, in the export's layout."""
    (folder / "data").mkdir(parents=True)
    for name, entries in files.items():
        body = json.dumps(entries, indent=2, ensure_ascii=False)
        (folder / "data" / f"{name}.js").write_text(f"window.YTD.{name}.part0 = {body}\n")
    return folder


@pytest.fixture(scope="module")
def tweets() -> list[dict[str, Any]]:
    return _entries(ARCHIVE, "tweets.js", "tweet")


@pytest.fixture(scope="module")
def imported(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    """A store holding the real archive, imported once for the read-only tests."""
    store = Store(tmp_path_factory.mktemp("x") / "convivial.duckdb")
    import_file(store, "x-archive", ARCHIVE)
    yield store
    store.close()


def test_tweets_become_the_owners_messages(imported: Store, tweets: list[dict[str, Any]]) -> None:
    shares = sum(t["full_text"].startswith("RT @") for t in tweets)
    kinds = {
        r["kind"]: r["n"]
        for r in imported.arrow(
            "SELECT kind, count(*) AS n FROM messages GROUP BY kind"
        ).to_pylist()
    }
    assert len(tweets) == 1758
    assert kinds == {"reply": 160, "share": shares, "post": 1758 - 160 - shares}
    assert (
        _value(imported, f"SELECT count(*) AS v FROM messages WHERE author_key <> '{OWNER}'") == 0
    )
    first = imported.arrow(
        "SELECT text, created_at, parent_key, likes, mentions FROM messages"
        " WHERE message_key = 'twitter:1582825767519809536'"
    ).to_pylist()[0]
    assert first["text"] == "@sharon000 @lorenzwalthert @krlmlr Does it work OK with .qmd files?"
    assert first["created_at"].isoformat() == "2022-10-19T20:07:25"
    assert first["parent_key"] == "twitter:1582702502297755653"
    assert first["likes"] == 1
    # The leading @sharon000 is the reply to her tweet, not an extra mention.
    assert first["mentions"] == ["lorenzwalthert", "krlmlr"]


def test_replies_to_tweets_outside_the_archive_reach_their_authors(
    imported: Store, tweets: list[dict[str, Any]]
) -> None:
    ids = {t["id_str"] for t in tweets}
    outside = {
        t["id_str"]: t["in_reply_to_user_id_str"]
        for t in tweets
        if t.get("in_reply_to_status_id_str")
        and t["in_reply_to_status_id_str"] not in ids
        and t.get("in_reply_to_user_id_str") not in (None, "5838832")
    }
    rows = imported.arrow(
        "SELECT message_key, target_key FROM interactions WHERE kind = 'reply'"
    ).to_pylist()
    assert {r["message_key"]: r["target_key"] for r in rows} == {
        f"twitter:{m}": f"twitter:{a}" for m, a in outside.items()
    }
    assert len(rows) == len(outside)
    # Each reached author is an account with the handle the reply names.
    assert _value(
        imported, "SELECT handle AS v FROM accounts WHERE account_key = 'twitter:10915042'"
    ) == ("sharon000")


def test_retweets_are_shares_of_the_original_author(
    imported: Store, tweets: list[dict[str, Any]]
) -> None:
    rows = imported.arrow(
        "SELECT m.text, a.handle, m.mentions FROM interactions i"
        " JOIN messages m USING (message_key) JOIN accounts a ON a.account_key = i.target_key"
        " WHERE i.kind = 'share'"
    ).to_pylist()
    retweets = [t for t in tweets if t["full_text"].startswith("RT @")]
    unknown = [  # retweets of suspended users: the archive gives their id as "-1"
        t for t in retweets if t["entities"]["user_mentions"][0]["id_str"] == "-1"
    ]
    assert len(unknown) == 2
    assert len(rows) == len(retweets) - len(unknown)
    for row in rows:
        assert row["text"].lower().startswith(f"rt @{row['handle'].lower()}:")
        # The mentions in a retweet are the original author's, not the owner's.
        assert row["mentions"] == []
    # Without the author's id, the retweet mentions the author's handle instead.
    mentions = imported.arrow(
        "SELECT mentions FROM messages WHERE kind = 'share' AND message_key NOT IN"
        " (SELECT message_key FROM interactions WHERE kind = 'share') ORDER BY ALL"
    ).column("mentions")
    assert mentions.to_pylist() == [["hellsktchenbaby"], ["winstononenergy"]]


def test_likes_and_follows_are_imported(imported: Store, tweets: list[dict[str, Any]]) -> None:
    likes = _entries(ARCHIVE, "like.js", "like")
    following = _entries(ARCHIVE, "following.js", "following")
    own = {t["id_str"] for t in tweets}
    replied_to = {t.get("in_reply_to_status_id_str") for t in tweets} - {None}
    # A like of one's own tweet is a self-interaction, which the store drops; a like of a tweet
    # whose author the archive does not name (every expandedUrl here is /i/web/) is a reject.
    expected_likes = sum(like["tweetId"] in replied_to - own for like in likes)
    unnamed = sum(like["tweetId"] not in replied_to | own for like in likes)
    assert (expected_likes, unnamed) == (8, 600)
    reasons = [reason for _, _, reason, _ in imported.rejects()]
    assert reasons.count("like of a tweet whose author the archive does not name") == unnamed
    assert (
        _value(
            imported,
            f"SELECT count(*) AS v FROM interactions WHERE kind = 'like' AND actor_key = '{OWNER}'",
        )
        == expected_likes
    )
    # A like's time is the liked tweet's, read from its Snowflake id.
    liked = imported.arrow(
        "SELECT message_key, created_at FROM interactions WHERE kind = 'like'"
    ).to_pylist()
    epoch = datetime(2010, 11, 4, 1, 42, 54, 657000)
    for row in liked:
        tweet_id = int(row["message_key"].removeprefix("twitter:"))
        assert row["created_at"] == epoch + timedelta(milliseconds=tweet_id >> 22)
    followed = imported.arrow(
        f"SELECT followed_key FROM follows WHERE follower_key = '{OWNER}'"
    ).column("followed_key")
    assert sorted(followed.to_pylist()) == sorted(f"twitter:{f['accountId']}" for f in following)
    assert _value(imported, "SELECT count(*) AS v FROM follows") == len(following)
    missing = imported.arrow(
        "SELECT followed_key FROM follows WHERE followed_key NOT IN"
        " (SELECT account_key FROM accounts)"
    )
    assert missing.num_rows == 0


def test_the_owner_is_one_team_with_one_brand_account(imported: Store) -> None:
    assert imported.teams() == [("smithjd", "import", 1, 0)]
    hosts = imported.arrow("SELECT team, account_key, role FROM host_accounts").to_pylist()
    assert hosts == [{"team": "smithjd", "account_key": OWNER, "role": "brand"}]
    assert _value(imported, f"SELECT handle AS v FROM accounts WHERE account_key = '{OWNER}'") == (
        "smithjd"
    )


def test_importing_again_or_zipped_adds_nothing(tmp_path: Path) -> None:
    store = Store(tmp_path / "convivial.duckdb")
    import_file(store, "x-archive", ARCHIVE)
    before = store.counts()
    again = import_file(store, "x-archive", ARCHIVE)
    assert again.already_imported
    zipped = _zip(ARCHIVE, tmp_path / "archive.zip")
    result = import_file(store, "x-archive", zipped)
    assert not result.already_imported
    assert (result.record.messages_added, result.record.interactions_added) == (0, 0)
    assert (result.record.accounts_added, result.record.follows_added) == (0, 0)
    # The zip is another file: its unreadable likes are recorded against it too.
    after = store.counts()
    assert after.pop("rejects") == 2 * before.pop("rejects")
    assert after == before
    store.close()


def test_the_zipped_archive_imports_identically(tmp_path: Path, imported: Store) -> None:
    store = Store(tmp_path / "convivial.duckdb")
    import_file(store, "x-archive", _zip(ARCHIVE, tmp_path / "archive.zip"))
    assert _contents(store) == _contents(imported)
    store.close()


def test_a_truncated_tweets_js_fails_and_writes_nothing(tmp_path: Path) -> None:
    folder = tmp_path / "archive"
    shutil.copytree(ARCHIVE, folder / "data")
    tweets_js = folder / "data" / "tweets.js"
    text = tweets_js.read_text(encoding="utf-8")
    tweets_js.write_text(text[: len(text) // 2], encoding="utf-8")
    store = Store(tmp_path / "convivial.duckdb")
    with pytest.raises(ImportFailed) as failed:
        import_file(store, "x-archive", folder)
    message = str(failed.value)
    assert "\n" not in message
    assert message.startswith(f"{folder}: data/tweets.js:")
    assert "broken JSON" in message
    assert store.imports() == []
    assert set(store.counts().values()) == {0}
    store.close()


def test_a_folder_without_tweets_js_is_not_an_archive(tmp_path: Path) -> None:
    folder = tmp_path / "archive"
    folder.mkdir()
    shutil.copy(ARCHIVE / "like.js", folder / "like.js")
    store = Store(tmp_path / "convivial.duckdb")
    with pytest.raises(ImportFailed, match=r"not an X archive: no tweets\.js found"):
        import_file(store, "x-archive", folder)
    text_file = tmp_path / "tweets.csv"
    text_file.write_text("id,text\n1,hello\n")
    with pytest.raises(ImportFailed, match=r"tweets\.csv: not an X archive"):
        import_file(store, "x-archive", text_file)
    store.close()


def _tweet(tweet_id: str, text: str, **fields: Any) -> dict[str, Any]:
    return {
        "tweet": {
            "id_str": tweet_id,
            "created_at": "Wed Oct 10 20:19:24 +0000 2018",
            "full_text": text,
            "entities": {"user_mentions": []},
            "favorite_count": "2",
            "retweet_count": "1",
            **fields,
        }
    }


def test_account_js_names_the_owner_and_bad_records_are_rejected(tmp_path: Path) -> None:
    folder = _write_archive(
        tmp_path / "archive",
        {
            "account": [
                {
                    "account": {
                        "accountId": "42",
                        "username": "acme",
                        "accountDisplayName": "Acme Bakery",
                        "createdAt": "2009-05-06T18:30:12.000Z",
                    }
                }
            ],
            "tweets": [
                _tweet("1050118621198921728", "Fresh bread today"),
                {"tweet": {"created_at": "Wed Oct 10 20:19:24 +0000 2018", "full_text": "no id"}},
                _tweet("1050118621198921729", "no time", created_at="yesterday"),
            ],
            "follower": [
                {"follower": {"accountId": "7", "userLink": "https://twitter.com/fan7"}},
                {"follower": {"userLink": "https://twitter.com/intent/user?user_id=8"}},
            ],
        },
    )
    store = Store(tmp_path / "convivial.duckdb")
    [result] = import_files(store, "x-archive", [folder], team="Acme")
    assert result.record.rows_read == 6
    # Lines where the rejected objects start: in follower.js, then in tweets.js.
    assert result.first_rejects == [
        (8, "follower without accountId"),
        (14, "tweet without id_str"),
        (20, "tweet without a created_at like 'Wed Oct 10 20:19:24 +0000 2018'"),
    ]
    assert store.teams() == [("Acme", "import", 1, 0)]
    owner = store.arrow(
        "SELECT handle, display_name, created_at FROM accounts WHERE account_key = 'twitter:42'"
    ).to_pylist()
    assert owner == [
        {"handle": "acme", "display_name": "Acme Bakery", "created_at": owner[0]["created_at"]}
    ]
    assert owner[0]["created_at"].isoformat() == "2009-05-06T18:30:12"
    assert store.arrow("SELECT follower_key, followed_key FROM follows").to_pylist() == [
        {"follower_key": "twitter:7", "followed_key": "twitter:42"}
    ]
    assert _value(store, "SELECT handle AS v FROM accounts WHERE account_key = 'twitter:7'") == (
        "fan7"
    )
    store.close()


def test_without_account_js_or_threads_the_owner_must_be_named(tmp_path: Path) -> None:
    folder = _write_archive(tmp_path / "archive", {"tweets": [_tweet("1050118621198921728", "hi")]})
    store = Store(tmp_path / "convivial.duckdb")
    with pytest.raises(ImportFailed, match="--team HANDLE"):
        import_file(store, "x-archive", folder)
    import_files(store, "x-archive", [folder], team="acme")
    assert store.teams() == [("acme", "import", 1, 0)]
    assert _value(store, "SELECT author_key AS v FROM messages") == "twitter:acme"
    store.close()


def _zip(folder: Path, target: Path) -> Path:
    """The folder's files zipped under `data/`, as X ships them."""
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        for file in sorted(folder.iterdir()):
            archive.write(file, f"data/{file.name}")
    return target


def test_the_owner_joins_a_configured_team_and_stays(tmp_path: Path) -> None:
    """`--team` puts the archive's owner in a configured team; reopening the workspace (which
    re-reads convivial.toml) keeps the imported owner beside the configured accounts."""
    from convivial.sources import SourceOptions, get_source
    from convivial.workspace import TeamConfig, Workspace

    ws = Workspace(tmp_path / "ws")
    ws.init([TeamConfig("My Shop", brand=("twitter:myshop",))])
    with ws.open_store() as store:
        source = get_source("x-archive", SourceOptions(team="My Shop"))
        import_file(store, "x-archive", ARCHIVE, source=source)
    with ws.open_store() as store:
        assert store.teams() == [("My Shop", "config", 2, 0)]
        hosts = store.arrow("SELECT account_key FROM host_accounts ORDER BY 1").to_pylist()
        assert hosts == [{"account_key": OWNER}]


def test_texts_are_stored_as_written(imported: Store) -> None:
    """The archive keeps Twitter's escaping of &, < and >; the store keeps what was typed."""
    raw = (ARCHIVE / "tweets.js").read_text(encoding="utf-8")
    assert raw.count("&amp;") > 10
    rows = imported.arrow("SELECT text FROM messages WHERE text LIKE '%&%'").column("text")
    texts = rows.to_pylist()
    assert texts and not any("&amp;" in t or "&lt;" in t or "&gt;" in t for t in texts)
