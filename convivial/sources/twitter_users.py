"""The `twitter-users` source: Twitter v1.1 user objects, as CSV (one column per field, as in the
Cresci 2015 files) or JSON (a `.json` or `.jsonl` file read as `accounts-json` reads one), for
auditing a follower list.

Fields read (others are ignored): `id_str` or `id`, `screen_name`, `name`, `followers_count`,
`friends_count`, `statuses_count`, `listed_count`, `description`, `url`, `profile_image_url_https`
or `profile_image_url`, `default_profile_image`, `verified`, `created_at` (Twitter's
"Fri Apr 06 10:58:22 +0000 2007" or ISO 8601), and in JSON the last post's time
(`status.created_at`). A count that is not a whole number rejects the row, with its line.

With `--followers-of TEAM` every profile also follows the team's twitter brand accounts (the
follow's time is not in a profile list, so it is not known).
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any, ClassVar

from convivial.sources.base import Batch, Reject, SourceError, SourceOptions, register
from convivial.sources.profiles import (
    account_objects,
    profile_batch,
    profile_text,
    profile_time,
    whole_count,
)

__all__ = ["TwitterUsersSource", "twitter_profile"]

BATCH_ROWS = 50_000
COUNTS = {
    "followers": "followers_count",
    "following": "friends_count",
    "posts": "statuses_count",
    "listed": "listed_count",
}
TRUE = {"1", "true", "True", True}


@register
class TwitterUsersSource:
    """Reads Twitter user objects into account profiles (and follows of a team's accounts)."""

    name: ClassVar[str] = "twitter-users"
    version: ClassVar[str] = "1"

    def __init__(self, options: SourceOptions) -> None:
        self.followed = options.followed

    def read(self, path: Path) -> Iterator[Batch]:
        json_file = path.suffix.lower() in (".jsonl", ".json")
        records = (
            ((line, obj, json.dumps(obj)) for line, obj in account_objects(path))
            if json_file
            else _csv(path)
        )
        accounts: list[dict[str, Any]] = []
        rejects: list[Reject] = []
        rows = 0
        for line, record, raw in records:
            rows += 1
            try:
                accounts.append({**twitter_profile(record), "line": line})
            except ValueError as exc:
                rejects.append(Reject(line, str(exc), raw))
            if len(accounts) + len(rejects) >= BATCH_ROWS:
                yield profile_batch(accounts, rejects, rows, self.followed)
                accounts, rejects, rows = [], [], 0
        yield profile_batch(accounts, rejects, rows, self.followed)


def _csv(path: Path) -> Iterator[tuple[int, dict[str, Any], str]]:
    with path.open(newline="", encoding="utf-8") as f:
        reader = csv.DictReader(f)
        if not reader.fieldnames or not {"id", "id_str"} & set(reader.fieldnames):
            raise SourceError(f"{path}:1: no id or id_str column; are these Twitter user objects?")
        for record in reader:
            yield reader.line_num, record, ",".join(str(v) for v in record.values())


def twitter_profile(record: Any) -> dict[str, Any]:
    """A Twitter v1.1 user object as profile fields; ValueError says what does not read."""
    if not isinstance(record, dict):
        raise ValueError("not an account object")
    if "_error" in record:
        raise ValueError(record["_error"])
    account_id = str(record.get("id_str") or record.get("id") or "").strip()
    if not account_id:
        raise ValueError("no id")
    out: dict[str, Any] = {
        "platform": "twitter",
        "account_id": account_id,
        "handle": profile_text(record.get("screen_name")),
        "display_name": profile_text(record.get("name")),
        "bio": profile_text(record.get("description")),
        "profile_url": profile_text(record.get("url")),
        "avatar_url": profile_text(
            record.get("profile_image_url_https") or record.get("profile_image_url")
        ),
        "default_avatar": record.get("default_profile_image") in TRUE,
        "verified": record.get("verified") in TRUE,
        "created_at": profile_time(record.get("created_at")),
    }
    for field, key in COUNTS.items():
        out[field] = whole_count(record.get(key), key)
    status = record.get("status")
    if isinstance(status, dict):
        out["last_post_at"] = profile_time(status.get("created_at"))
    return out
