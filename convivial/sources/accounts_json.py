"""The `accounts-json` source: account objects as the platforms' APIs return them, for auditing
a follower list: Mastodon `Account`s, Bluesky profile views (`app.bsky.actor.defs`), and Twitter
v1.1 user objects, each told by its keys (`acct`, `did`, `screen_name`).

A file is JSON or JSON Lines: a list of accounts, an object holding one under `accounts`,
`followers`, `follows` or `users`, one account, or saved API exchanges (objects with a `body`)
holding any of these. Fields read:
- Mastodon: `acct` (the id and handle), `display_name`, `followers_count`, `following_count`,
  `statuses_count`, `note` (HTML, read as text), `url`, `avatar` (the default `missing.png` is a
  default avatar), `created_at`, `last_status_at`, `bot`;
- Bluesky: `handle` (id and handle), `displayName`, `followersCount`, `followsCount`,
  `postsCount` (in full profiles only), `description`, `avatar` (none: the default), `createdAt`;
- Twitter: as the `twitter-users` source.
An object of none of these kinds is rejected with its place in the file.
"""

from __future__ import annotations

import html
import itertools
import json
import re
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, ClassVar

from convivial.sources.base import Batch, Reject, SourceError, SourceOptions, register
from convivial.sources.profiles import profile_batch
from convivial.sources.twitter_users import twitter_profile

__all__ = ["AccountsJsonSource"]

LISTS = ("accounts", "followers", "follows", "users")
BATCH_ROWS = 50_000
_TAG = re.compile(r"<[^>]+>")


@register
class AccountsJsonSource:
    """Reads platform account objects into account profiles (and follows of a team's)."""

    name: ClassVar[str] = "accounts-json"
    version: ClassVar[str] = "1"

    def __init__(self, options: SourceOptions) -> None:
        self.followed = options.followed

    def read(self, path: Path) -> Iterator[Batch]:
        accounts: list[dict[str, Any]] = []
        rejects: list[Reject] = []
        for line, obj in _objects(path):
            try:
                accounts.append({**_profile(obj), "line": line})
            except ValueError as exc:
                rejects.append(Reject(line, str(exc), json.dumps(obj)[:10_000]))
            if len(accounts) + len(rejects) >= BATCH_ROWS:
                yield profile_batch(accounts, rejects, len(accounts) + len(rejects), self.followed)
                accounts, rejects = [], []
        yield profile_batch(accounts, rejects, len(accounts) + len(rejects), self.followed)


def _objects(path: Path) -> Iterator[tuple[int, Any]]:
    """Every account object of the file, with the line it starts on. JSON Lines (a first line
    that is a whole JSON value) is read a line at a time; a JSON document (an API response)
    whole."""
    with path.open(encoding="utf-8") as f:
        first = f.readline()
        try:
            json.loads(first)
            lines = True
        except json.JSONDecodeError:
            lines = False
        if not lines:
            try:
                document = json.loads(first + f.read())
            except json.JSONDecodeError as exc:
                raise SourceError(f"{path}:{exc.lineno}: not JSON ({exc.msg})") from None
            yield from ((1, obj) for obj in _accounts(document))
            return
        for line, row in enumerate(itertools.chain([first], f), start=1):
            if not row.strip():
                continue
            try:
                document = json.loads(row)
            except json.JSONDecodeError as exc:
                yield line, {"_error": f"not JSON ({exc.msg})"}
                continue
            for obj in _accounts(document):
                yield line, obj


def _accounts(document: Any) -> Iterator[Any]:
    if isinstance(document, list):
        for item in document:
            yield from _accounts(item)
    elif isinstance(document, dict):
        if "body" in document and ("uri" in document or "status" in document):
            yield from _accounts(document["body"])
            return
        for key in LISTS:
            if isinstance(document.get(key), list):
                yield from _accounts(document[key])
                return
        yield document


def _profile(obj: Any) -> dict[str, Any]:
    if not isinstance(obj, dict):
        raise ValueError("not an account object")
    if "_error" in obj:
        raise ValueError(str(obj["_error"]))
    if "acct" in obj:
        return _mastodon(obj)
    if "did" in obj:
        return _bluesky(obj)
    if "screen_name" in obj:
        return {**twitter_profile(obj), "platform": "twitter"}
    raise ValueError("no acct, did or screen_name: not a Mastodon, Bluesky or Twitter account")


def _mastodon(obj: dict[str, Any]) -> dict[str, Any]:
    avatar = _text(obj.get("avatar"))
    note = _text(obj.get("note"))
    return {
        "platform": "mastodon",
        "account_id": str(obj["acct"]),
        "handle": str(obj["acct"]),
        "display_name": _text(obj.get("display_name")),
        "followers": _count(obj.get("followers_count"), "followers_count"),
        "following": _count(obj.get("following_count"), "following_count"),
        "posts": _count(obj.get("statuses_count"), "statuses_count"),
        "bio": html.unescape(_TAG.sub(" ", note)).strip() if note else None,
        "profile_url": _text(obj.get("url")),
        "avatar_url": avatar,
        "default_avatar": avatar is None or "missing.png" in avatar,
        "created_at": _time(obj.get("created_at")),
        "last_post_at": _time(obj.get("last_status_at")),
    }


def _bluesky(obj: dict[str, Any]) -> dict[str, Any]:
    handle = _text(obj.get("handle")) or str(obj["did"])
    avatar = _text(obj.get("avatar"))
    return {
        "platform": "bluesky",
        "account_id": handle,
        "handle": handle,
        "display_name": _text(obj.get("displayName")),
        "followers": _count(obj.get("followersCount"), "followersCount"),
        "following": _count(obj.get("followsCount"), "followsCount"),
        "posts": _count(obj.get("postsCount"), "postsCount"),
        "bio": _text(obj.get("description")),
        "avatar_url": avatar,
        "default_avatar": avatar is None,
        "created_at": _time(obj.get("createdAt")),
    }


def _text(value: Any) -> str | None:
    return str(value) if value not in (None, "") else None


def _count(value: Any, key: str) -> int | None:
    if value is None:
        return None
    if not isinstance(value, int) or isinstance(value, bool):
        raise ValueError(f"{key} is {value!r}, not a whole number")
    return value


def _time(value: Any) -> datetime | None:
    if not isinstance(value, str) or not value:
        return None
    try:
        at = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return at.astimezone(UTC).replace(tzinfo=None) if at.tzinfo else at
