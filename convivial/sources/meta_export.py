"""`meta-export`: a Facebook page's or an Instagram professional account's "Download your
information" export in JSON (the .zip or its unpacked folder), as Meta writes it.

Files read, found by name anywhere inside (Meta moves them between folders from year to year):
- Instagram: `posts_*.json` (the account's posts: `media[].title`, `creation_timestamp`),
  `post_comments_*.json` (comments the account wrote: `string_map_data` Comment, Media Owner,
  Time), `followers_*.json` and `following.json` (`string_list_data` href, value, timestamp; newer
  exports name the account in `title`), `personal_information.json` (the Username: the owner).
- Facebook: `your_posts*.json` / `profile_posts*.json` (`timestamp`, `data[].post`),
  `comments.json` (`comments_v2`: `data[].comment` with its author and timestamp, and a `title`
  naming whose post it answered), `followers*.json` / `people_who_followed_you*.json`
  (`followers_v2`, `followers_v3` or a list: `name`, `timestamp`), `profile_information.json`
  (the profile's name: the owner).

Rules:
- Which platform: Instagram when `personal_information.json` or an Instagram file is inside, else
  Facebook. The owner is the brand (the team is `--team`, else the owner's name); without a
  profile file, `--team` names the owner.
- Meta writes text as UTF-8 bytes escaped one by one as Latin-1 (`\\u00c3\\u00b8` for "ø"): every
  text is mended back to what was written.
- Posts carry no id: each is keyed by a hash of its time and text, so importing again, or an
  overlapping export, adds nothing twice. A post is the owner's message; a comment the owner
  wrote is a reply, with an explicit reply to the post's owner when the export names them
  (Instagram's Media Owner; Facebook's "commented on NAME's post").
- Followers and following are follows with their times; an account is keyed by its handle
  (Instagram) or its name (Facebook, which exports no handle).
- A file that is not JSON fails the import; an entry without a time is rejected with its place.
"""

from __future__ import annotations

import hashlib
import json
import re
import zipfile
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath
from typing import Any, ClassVar

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

__all__ = ["MetaExportSource", "mended"]

_INSTAGRAM_FILES = ("personal_information.json", "posts_", "post_comments_", "following.json")
_WRAPPERS = (
    "comments_media_comments",
    "comments_v2",
    "comments",
    "followers_v3",
    "followers_v2",
    "followers",
    "relationships_following",
    "relationships_followers",
)
_COMMENTED_ON = re.compile(
    r"(?:commented on|replied to) (.+?)['\u2019]s? (?:post|comment|photo|video)"
)


@register
class MetaExportSource:
    """Reads a Facebook page's or an Instagram account's JSON export."""

    name: ClassVar[str] = "meta-export"
    version: ClassVar[str] = "1"

    def __init__(self, options: SourceOptions) -> None:
        self.team = options.team

    def read(self, path: Path) -> Iterator[Batch]:
        files = _files(path)
        names = {PurePosixPath(name).name for name in files}
        instagram = any(n.startswith(_INSTAGRAM_FILES) for n in names)
        platform = "instagram" if instagram else "facebook"
        owner = _owner(files, instagram) or self.team
        if owner is None:
            raise SourceError(
                f"{path}: no profile file names the account: give its name with --team"
            )
        messages: list[dict[str, Any]] = []
        interactions: list[dict[str, Any]] = []
        follows: list[dict[str, Any]] = []
        rejects: list[Reject] = []
        for name, load in sorted(files.items()):
            base = PurePosixPath(name).name
            kind = _kind(base, instagram)
            if kind is None:
                continue
            data = mended(load())
            for place, entry in enumerate(_entries(data, kind), start=1):
                try:
                    found = _read(kind, entry, platform, owner)
                except ValueError as exc:
                    rejects.append(Reject(place, f"{base}: {exc}", json.dumps(entry)[:10_000]))
                    continue
                messages += found.get("messages", [])
                interactions += found.get("interactions", [])
                follows += found.get("follows", [])
        yield records_batch(
            {"messages": messages, "interactions": interactions, "follows": follows},
            hosts=records_table(HOST_SCHEMA, [brand(self.team, platform, owner)]),
            rejects=rejects,
            rows=len(messages) + len(interactions) + len(follows) + len(rejects),
        )


def mended(value: Any) -> Any:
    """Meta's text undone: UTF-8 bytes that were escaped one by one as Latin-1 characters."""
    if isinstance(value, str):
        try:
            return value.encode("latin-1").decode("utf-8")
        except (UnicodeEncodeError, UnicodeDecodeError):
            return value
    if isinstance(value, list):
        return [mended(v) for v in value]
    if isinstance(value, dict):
        return {k: mended(v) for k, v in value.items()}
    return value


def _kind(name: str, instagram: bool) -> str | None:
    if instagram:
        if name.startswith("posts_") or name == "posts.json":
            return "ig_post"
        if name.startswith("post_comments"):
            return "ig_comment"
        if re.fullmatch(r"followers(_\d+)?\.json", name):
            return "follower"
        if re.fullmatch(r"following(_\d+)?\.json", name):
            return "following"
        return None
    if name.startswith(("your_posts", "profile_posts")):
        return "fb_post"
    if name == "comments.json":
        return "fb_comment"
    if name.startswith(("followers", "people_who_followed_you")):
        return "fb_follower"
    return None


def _entries(data: Any, kind: str) -> list[Any]:
    """The list of entries of a file, whatever key Meta wrapped it in this year."""
    if isinstance(data, list):
        return data
    if isinstance(data, dict):
        for key in _WRAPPERS:
            if isinstance(data.get(key), list):
                return list(data[key])
    raise SourceError(f"a {kind.split('_')[-1]} file holds no list of entries")


def _read(kind: str, entry: Any, platform: str, owner: str) -> dict[str, list[dict[str, Any]]]:
    if not isinstance(entry, dict):
        raise ValueError("not an object")
    if kind == "ig_post":
        media = entry.get("media") or [{}]
        text = entry.get("title") or media[0].get("title") or ""
        at = _time(entry.get("creation_timestamp") or media[0].get("creation_timestamp"))
        return {"messages": [_message(platform, owner, at, text)]}
    if kind == "fb_post":
        parts = [d for d in entry.get("data") or [] if isinstance(d, dict) and d.get("post")]
        text = " ".join(str(d["post"]) for d in parts)
        return {"messages": [_message(platform, owner, _time(entry.get("timestamp")), text)]}
    if kind == "ig_comment":
        fields = entry.get("string_map_data") or {}
        at = _time((fields.get("Time") or {}).get("timestamp"))
        text = (fields.get("Comment") or {}).get("value") or ""
        return _comment(platform, owner, at, text, (fields.get("Media Owner") or {}).get("value"))
    if kind == "fb_comment":
        comment: dict[str, Any] = next(
            (d["comment"] for d in entry.get("data") or [] if "comment" in d), {}
        )
        at = _time(comment.get("timestamp") or entry.get("timestamp"))
        found = _COMMENTED_ON.search(str(entry.get("title") or ""))
        target = found.group(1) if found else None
        return _comment(platform, owner, at, comment.get("comment") or "", target)
    if kind == "fb_follower":
        name = entry.get("name")
        if not name:
            raise ValueError("a follower without a name")
        return {"follows": [_follow(platform, str(name), owner, entry.get("timestamp"))]}
    rows = entry.get("string_list_data") or [{}]
    handle = rows[0].get("value") or entry.get("title") or _handle_of(rows[0].get("href"))
    if not handle:
        raise ValueError("an account without a name")
    at = rows[0].get("timestamp")
    pair = (str(handle), owner) if kind == "follower" else (owner, str(handle))
    return {"follows": [_follow(platform, *pair, at)]}


def _message(platform: str, owner: str, at: datetime, text: str) -> dict[str, Any]:
    key = hashlib.sha256(f"{at.isoformat()}\n{text}".encode()).hexdigest()[:20]
    return {
        "platform": platform,
        "message_id": key,
        "author_id": owner,
        "author_handle": owner,
        "created_at": at,
        "text": text,
        "mentions": [],
    }


def _comment(
    platform: str, owner: str, at: datetime, text: str, target: str | None
) -> dict[str, list[dict[str, Any]]]:
    message = {**_message(platform, owner, at, text), "kind": "reply"}
    out: dict[str, list[dict[str, Any]]] = {"messages": [message]}
    if target and target != owner:
        out["interactions"] = [
            {
                "platform": platform,
                "actor_id": owner,
                "target_id": target,
                "kind": "reply",
                "created_at": at,
                "message_id": message["message_id"],
            }
        ]
    return out


def _follow(platform: str, follower: str, followed: str, at: Any) -> dict[str, Any]:
    return {
        "platform": platform,
        "follower_id": follower,
        "followed_id": followed,
        "followed_at": _time(at) if at else None,
    }


def _time(value: Any) -> datetime:
    if not isinstance(value, int | float) or isinstance(value, bool) or value <= 0:
        raise ValueError(f"no time ({value!r})")
    return datetime.fromtimestamp(value, UTC).replace(tzinfo=None)


def _handle_of(href: Any) -> str | None:
    if not isinstance(href, str):
        return None
    return href.rstrip("/").rsplit("/", 1)[-1] or None


def _owner(files: dict[str, Any], instagram: bool) -> str | None:
    for name, load in files.items():
        base = PurePosixPath(name).name
        if instagram and base == "personal_information.json":
            data = mended(load())
            for profile in data.get("profile_user") or []:
                fields = profile.get("string_map_data") or {}
                username = (fields.get("Username") or {}).get("value")
                if username:
                    return str(username)
        if not instagram and base == "profile_information.json":
            data = mended(load())
            profile = data.get("profile_v2") or data.get("profile") or {}
            name_field = profile.get("name") or {}
            full = name_field.get("full_name") if isinstance(name_field, dict) else name_field
            if full:
                return str(full)
    return None


def _files(path: Path) -> dict[str, Any]:
    """The export's JSON files: name -> a function loading it."""

    def loader(read: Any, name: str) -> Any:
        def load() -> Any:
            try:
                return json.loads(read())
            except json.JSONDecodeError as exc:
                where = f"{exc.msg}, line {exc.lineno}"
                raise SourceError(f"{path}: {name} is not JSON ({where})") from None

        return load

    if path.is_dir():
        return {
            str(p.relative_to(path)): loader(p.read_bytes, p.name)
            for p in sorted(path.rglob("*.json"))
        }
    if not zipfile.is_zipfile(path):
        raise SourceError(f"{path}: not a Meta export (a .zip or a folder of JSON files)")
    with zipfile.ZipFile(path) as archive:
        held = {n: archive.read(n) for n in archive.namelist() if n.endswith(".json")}
    return {
        name: loader(lambda data=data: data, PurePosixPath(name).name)
        for name, data in held.items()
    }
