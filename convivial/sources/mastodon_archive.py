"""`mastodon-archive`: a Mastodon account archive ("Request your archive"), as its .zip or its
unpacked folder: `outbox.json` (ActivityPub), `actor.json` and `likes.json` when present.

Rules:
- **Owner** (the brand; its team is `--team`, else the owner's handle): `actor.json`'s
  `preferredUsername`, else the user of the outbox's first `actor` URL. Accounts are keyed as the
  owner's own server writes them, as the `mastodon-api` fetch keys them: `user` on the owner's
  server, `user@domain` elsewhere (from `https://domain/users/user` or `https://domain/@user`).
- **Statuses**: every `Create` of a `Note` is a message of the owner; a status of the owner's
  server keeps its local id (the last part of `https://server/users/u/statuses/ID`), as the API
  gives it, and any other keeps its URL. `inReplyTo` is its parent; `Mention` tags are its
  mentions; it is public when `to` or `cc` holds the public collection. `content` is HTML, read
  as text.
- **Boosts**: an `Announce` is a `share` whose parent is the boosted status.
- **Likes**: each status URL in `likes.json` is a like by the owner of the status's author (from
  the URL). The like's time is not exported: it is the liked status's time, from its Mastodon id
  (milliseconds since 1970 in the bits above the lowest 16); a like whose status id holds no such
  time is rejected.
- `outbox.json` is streamed (ijson), never read whole into memory; an activity without an `id`
  or `published` time, or of a kind not listed, is rejected with its position in the outbox.
"""

from __future__ import annotations

import json
import re
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from itertools import chain
from pathlib import Path
from typing import IO, Any, ClassVar

import ijson

from convivial.sources.base import (
    HOST_SCHEMA,
    Batch,
    Reject,
    SourceError,
    SourceOptions,
    brand,
    records_batch,
    records_table,
    register,
)
from convivial.sources.mastodon import PLATFORM, html_text, when

__all__ = ["MastodonArchiveSource"]

BATCH_ROWS = 20_000
EARLIEST = datetime(2016, 3, 16)
"""Mastodon's first release: no status id holds an earlier time."""
STATUS_TYPES = ("Note", "Question")
PUBLIC = ("https://www.w3.org/ns/activitystreams#Public", "as:Public", "Public")
_STATUS = re.compile(r"^https?://([^/]+)/users/([^/]+)/statuses/([^/?#]+)")
_ACTOR = re.compile(r"^https?://([^/]+)/(?:users/|@)([^/?#]+)")


@register
class MastodonArchiveSource:
    """Reads a Mastodon account archive: the owner's statuses, boosts and likes."""

    name: ClassVar[str] = "mastodon-archive"
    version: ClassVar[str] = "1"

    def __init__(self, options: SourceOptions) -> None:
        self.team = options.team

    def read(self, path: Path) -> Iterator[Batch]:
        with _archive(path) as files:
            actor = _json(files, "actor.json", path)
            owner_url = str(actor.get("id") or "") if actor else ""
            with files("outbox.json", path) as outbox:
                activities = ijson.items(outbox, "orderedItems.item", use_float=True)
                try:
                    first = next(activities, None)
                except ijson.JSONError as exc:
                    raise SourceError(f"{path}: outbox.json is not JSON ({exc})") from None
                if first is None:
                    raise SourceError(f"{path}: outbox.json holds no activities")
                owner_url = owner_url or str(first.get("actor") or "")
                found = _ACTOR.match(owner_url)
                if found is None:
                    raise SourceError(f"{path}: no owner: actor.json and the outbox name none")
                home = found.group(1)
                owner = (
                    str(actor.get("preferredUsername") or found.group(2))
                    if actor
                    else found.group(2)
                )
                names = _Names(home)
                yield records_batch(
                    {"accounts": [_profile(actor, owner)]},
                    hosts=records_table(HOST_SCHEMA, [brand(self.team, PLATFORM, owner)]),
                )
                try:
                    yield from _statuses(chain([first], activities), owner, names, outbox)
                except ijson.JSONError as exc:
                    raise SourceError(
                        f"{path}: outbox.json is broken or cut short near byte {outbox.tell():,}"
                        f" ({exc}); nothing of it was imported"
                    ) from None
            likes = _json(files, "likes.json", path)
            if likes:
                yield _likes(likes, owner, names)


class _Names:
    """Accounts and statuses keyed as the owner's server writes them."""

    def __init__(self, home: str) -> None:
        self.home = home

    def account(self, url: str) -> str | None:
        found = _ACTOR.match(url)
        if found is None:
            return None
        domain, user = found.groups()
        return user if domain == self.home else f"{user}@{domain}"

    def mention(self, name: str) -> str:
        user, _, domain = name.lstrip("@").partition("@")
        return user if not domain or domain == self.home else f"{user}@{domain}"

    def status(self, url: str) -> str:
        found = _STATUS.match(url)
        return found.group(3) if found and found.group(1) == self.home else url


def _statuses(
    activities: Iterator[Any], owner: str, names: _Names, outbox: IO[bytes]
) -> Iterator[Batch]:
    messages: list[dict[str, Any]] = []
    rejects: list[Reject] = []
    position = 0
    for position, activity in enumerate(activities, start=1):
        try:
            messages.append({**_message(activity, owner, names), "line": position})
        except ValueError as exc:
            rejects.append(Reject(position, str(exc), json.dumps(activity, default=str)[:10_000]))
        if len(messages) + len(rejects) >= BATCH_ROWS:
            yield _batch(messages, rejects, outbox)
            messages, rejects = [], []
    yield _batch(messages, rejects, outbox)


def _batch(messages: list[dict[str, Any]], rejects: list[Reject], outbox: IO[bytes]) -> Batch:
    return records_batch(
        {"messages": messages},
        rejects=rejects,
        rows=len(messages) + len(rejects),
        progress=outbox.tell(),
    )


def _message(activity: Any, owner: str, names: _Names) -> dict[str, Any]:
    if not isinstance(activity, dict):
        raise ValueError("not an activity object")
    kind = activity.get("type")
    note = activity.get("object")
    published = when(activity.get("published"))
    if published is None:
        raise ValueError("no published time")
    if kind == "Announce" and isinstance(note, str):
        if not activity.get("id"):
            raise ValueError("a boost without an id")
        return {
            "platform": PLATFORM,
            "message_id": names.status(str(activity["id"])),
            "author_id": owner,
            "author_handle": owner,
            "created_at": published,
            "text": "",
            "parent_id": names.status(note),
            "kind": "share",
            "is_public": _public(activity),
            "mentions": [],
        }
    if (
        kind != "Create"
        or not isinstance(note, dict)
        or note.get("type") not in ("Note", "Question")
    ):
        raise ValueError(f"a {kind} activity, not a status or a boost")
    if not note.get("id"):
        raise ValueError("a status without an id")
    parent = note.get("inReplyTo")
    tags = note.get("tag") or []
    return {
        "platform": PLATFORM,
        "message_id": names.status(str(note["id"])),
        "author_id": owner,
        "author_handle": owner,
        "created_at": when(note.get("published")) or published,
        "text": html_text(note.get("content")) or "",
        "parent_id": names.status(str(parent)) if parent else None,
        "is_public": _public(note),
        "mentions": [
            names.mention(str(t["name"]))
            for t in (tags if isinstance(tags, list) else [tags])
            if isinstance(t, dict) and t.get("type") == "Mention" and t.get("name")
        ],
    }


def _public(obj: dict[str, Any]) -> bool:
    audience = [*_list(obj.get("to")), *_list(obj.get("cc"))]
    return any(a in PUBLIC for a in audience)


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [] if value is None else [value]


def _likes(likes: dict[str, Any], owner: str, names: _Names) -> Batch:
    rows, rejects = [], []
    for position, url in enumerate(_list(likes.get("orderedItems")), start=1):
        author = names.account(str(url)) if isinstance(url, str) else None
        at = _status_time(str(url))
        if author is not None and at is None:
            rejects.append(Reject(position, "a liked status whose id holds no time", str(url)))
            continue
        if author is None:
            rejects.append(
                Reject(position, "a liked status whose author is not in its URL", str(url))
            )
            continue
        rows.append(
            {
                "platform": PLATFORM,
                "actor_id": owner,
                "target_id": author,
                "kind": "like",
                "created_at": at,
                "message_id": names.status(str(url)),
                "line": position,
            }
        )
    return records_batch({"interactions": rows}, rejects=rejects, rows=len(rows) + len(rejects))


def _status_time(url: str) -> datetime | None:
    """When a status was made, from its Mastodon id (a Snowflake-like id: milliseconds since
    1970 above the lowest 16 bits); None for ids that hold no plausible time."""
    found = _STATUS.match(url)
    if found is None or not found.group(3).isdigit():
        return None
    moment = datetime.fromtimestamp((int(found.group(3)) >> 16) / 1000, UTC).replace(tzinfo=None)
    return moment if EARLIEST <= moment <= datetime(2100, 1, 1) else None


def _profile(actor: dict[str, Any] | None, owner: str) -> dict[str, Any]:
    actor = actor or {}
    return {
        "platform": PLATFORM,
        "account_id": owner,
        "handle": owner,
        "display_name": actor.get("name") or None,
        "bio": html_text(actor.get("summary")),
        "profile_url": actor.get("url") or None,
        "created_at": when(actor.get("published")),
        "line": None,
    }


@contextmanager
def _archive(path: Path) -> Iterator[Any]:
    """A function opening a file of the archive by name (anywhere inside), binary."""
    if path.is_dir():
        found = {p.name: p for p in path.rglob("*.json")}

        @contextmanager
        def open_dir(name: str, where: Path) -> Iterator[IO[bytes]]:
            if name not in found:
                raise SourceError(f"{where}: no {name} in the archive")
            with found[name].open("rb") as handle:
                yield handle

        yield open_dir
        return
    if not zipfile.is_zipfile(path):
        raise SourceError(f"{path}: not a Mastodon archive (a .zip or a folder with outbox.json)")
    with zipfile.ZipFile(path) as archive:
        members = {Path(n).name: n for n in archive.namelist() if n.endswith(".json")}

        @contextmanager
        def open_zip(name: str, where: Path) -> Iterator[IO[bytes]]:
            if name not in members:
                raise SourceError(f"{where}: no {name} in the archive")
            with archive.open(members[name]) as handle:
                yield handle

        yield open_zip


def _json(files: Any, name: str, path: Path) -> dict[str, Any] | None:
    """A small JSON file of the archive (actor.json, likes.json), or None when absent."""
    try:
        with files(name, path) as handle:
            data = json.load(handle)
    except SourceError:
        return None
    except json.JSONDecodeError as exc:
        raise SourceError(f"{path}: {name} is not JSON ({exc.msg} at line {exc.lineno})") from None
    return data if isinstance(data, dict) else None
