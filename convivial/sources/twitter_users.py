"""The `twitter-users` source: Twitter v1.1 user objects, as CSV (one column per field, as in the
Cresci 2015 files) or JSON Lines (one user object a line), for auditing a follower list.

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
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, ClassVar

from convivial.sources.base import Batch, Reject, SourceError, SourceOptions, register
from convivial.sources.profiles import profile_batch

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
        records = _jsonl(path) if path.suffix.lower() in (".jsonl", ".json") else _csv(path)
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


def _jsonl(path: Path) -> Iterator[tuple[int, dict[str, Any], str]]:
    with path.open(encoding="utf-8") as f:
        for line, text in enumerate(f, start=1):
            if not text.strip():
                continue
            try:
                record = json.loads(text)
            except json.JSONDecodeError as exc:
                record = {"_error": f"not JSON ({exc.msg})"}
            if not isinstance(record, dict):
                record = {"_error": "not a JSON object"}
            yield line, record, text.rstrip("\n")


def twitter_profile(record: dict[str, Any]) -> dict[str, Any]:
    """A Twitter v1.1 user object as profile fields; ValueError says what does not read."""
    if "_error" in record:
        raise ValueError(record["_error"])
    account_id = str(record.get("id_str") or record.get("id") or "").strip()
    if not account_id:
        raise ValueError("no id")
    out: dict[str, Any] = {
        "platform": "twitter",
        "account_id": account_id,
        "handle": _text(record.get("screen_name")),
        "display_name": _text(record.get("name")),
        "bio": _text(record.get("description")),
        "profile_url": _text(record.get("url")),
        "avatar_url": _text(
            record.get("profile_image_url_https") or record.get("profile_image_url")
        ),
        "default_avatar": record.get("default_profile_image") in TRUE,
        "verified": record.get("verified") in TRUE,
        "created_at": _time(record.get("created_at")),
    }
    for field, key in COUNTS.items():
        out[field] = _count(record.get(key), key)
    status = record.get("status")
    if isinstance(status, dict):
        out["last_post_at"] = _time(status.get("created_at"))
    return out


def _text(value: Any) -> str | None:
    if value is None or value in ("", "NULL"):
        return None
    return str(value)


def _count(value: Any, key: str) -> int | None:
    if value is None or value == "":
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise ValueError(f"{key} is {value!r}, not a number") from None
    if number != int(number):
        raise ValueError(f"{key} is {value!r}, not a whole number")
    return int(number)


def _time(value: Any) -> datetime | None:
    if not isinstance(value, str) or not value:
        return None
    try:
        at = datetime.strptime(value, "%a %b %d %H:%M:%S %z %Y")
    except ValueError:
        try:
            at = datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            return None
    return at.astimezone(UTC).replace(tzinfo=None) if at.tzinfo else at
