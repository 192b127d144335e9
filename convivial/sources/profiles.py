"""What the profile sources share: the account objects of a JSON or JSON Lines file; a profile's
text, counts and times; and a batch of account profiles with the follows of a team's accounts
that `--followers-of` adds for every profile on the same platform."""

from __future__ import annotations

import itertools
import json
import math
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from convivial.sources.base import ACCOUNT_SCHEMA, FOLLOW_SCHEMA, Batch, Reject, SourceError, table

ACCOUNT_LISTS = ("accounts", "followers", "follows", "users")
"""Keys under which an API response holds a list of accounts."""

__all__ = ["account_objects", "profile_batch", "profile_text", "profile_time", "whole_count"]


def profile_batch(
    accounts: Sequence[dict[str, Any]], rejects: list[Reject], rows: int, followed: Sequence[str]
) -> Batch:
    """Profiles (dicts of ACCOUNT_SCHEMA fields and `line`) and, for each, a follow of every
    `followed` account (written PLATFORM:REF) on its platform; a follow's time is not known."""
    columns = {name: [a.get(name) for a in accounts] for name in ACCOUNT_SCHEMA.names}
    follows = [
        (a["platform"], a["account_id"], ref, a["line"])
        for a in accounts
        for platform, _, ref in (f.partition(":") for f in followed)
        if platform == a["platform"]
    ]
    return Batch(
        accounts=table(ACCOUNT_SCHEMA, columns),
        follows=table(
            FOLLOW_SCHEMA,
            {
                "platform": [f[0] for f in follows],
                "follower_id": [f[1] for f in follows],
                "followed_id": [f[2] for f in follows],
                "line": [f[3] for f in follows],
            },
        ),
        rejects=rejects,
        rows=rows,
    )


def profile_text(value: Any) -> str | None:
    """A text field, or None when empty (or the "NULL" some exports write)."""
    return None if value is None or value in ("", "NULL") else str(value)


def whole_count(value: Any, key: str) -> int | None:
    """A count: a whole number (or its text); None when empty; ValueError naming `key` else."""
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise ValueError(f"{key} is {value!r}, not a number")
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise ValueError(f"{key} is {value!r}, not a number") from None
    if not math.isfinite(number) or number != int(number):
        raise ValueError(f"{key} is {value!r}, not a whole number")
    return int(number)


def profile_time(value: Any) -> datetime | None:
    """A time as Twitter ("Fri Apr 06 10:58:22 +0000 2007") or ISO 8601 writes it, in UTC; None
    when empty or unreadable."""
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


def account_objects(path: Path) -> Iterator[tuple[int, Any]]:
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
            yield from ((1, obj) for obj in _unwrap(document))
            return
        for line, row in enumerate(itertools.chain([first], f), start=1):
            if not row.strip():
                continue
            try:
                document = json.loads(row)
            except json.JSONDecodeError as exc:
                yield line, {"_error": f"not JSON ({exc.msg})"}
                continue
            for obj in _unwrap(document):
                yield line, obj


def _unwrap(document: Any) -> Iterator[Any]:
    if isinstance(document, list):
        for item in document:
            yield from _unwrap(item)
    elif isinstance(document, dict):
        if "body" in document and ("uri" in document or "status" in document):
            yield from _unwrap(document["body"])
            return
        for key in ACCOUNT_LISTS:
            if isinstance(document.get(key), list):
                yield from _unwrap(document[key])
                return
        yield document
