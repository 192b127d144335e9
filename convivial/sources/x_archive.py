"""`x-archive`: a Twitter/X account archive, as its .zip file or its unpacked folder.

Read anywhere inside (real archives keep them under `data/`), each `window.YTD.<name>.partN = [..]`:
`tweets.js` (or `tweet.js`; split ones `tweets-part1.js`, ...), `like.js`, `following.js`,
`follower.js` and `account.js`. All must sit in one folder; other files are not read.

Rules:

- **Owner** (the brand; its team is `--team`, else the owner's handle): `accountId` and `username`
  of account.js. Without it (archived tweets carry no author id) it is the parent author most
  often named by the archive's replies to its own tweets (threads: `in_reply_to_user_id_str` and
  `in_reply_to_screen_name` of a reply whose parent is in the archive). With neither, `--team`
  names the owner's handle (its id is found among the accounts the tweets name, else the handle
  stands as the id); without `--team` the import fails and asks for it.
- **Tweets** are the owner's messages: kind `share` when the text starts "RT @", else `reply`
  when `in_reply_to_status_id_str` is set, else `post`; text is `full_text` as exported; mentions
  are the lower-cased `entities.user_mentions`. Every user a tweet names (mentions, replied-to
  authors) becomes an account, with the handle and name of the newest tweet naming it.
- A **retweet**'s original has no id in the archive: the retweet gives an explicit `share` to its
  author (found among its mentions) and has no mentions of its own: "RT @author" is the
  platform's, the other mentions are the original author's. When the author's id is unknown, the
  retweet mentions the author's handle instead.
- A **reply** whose parent is not in the archive gives an explicit `reply` to the parent's author
  (the framework derives replies only from parents it holds), and its leading mention of that
  author is left out of its mentions, as the framework does when it has the parent.
- **Likes**: like.js names the liked tweet but not its author (in the real sample every
  `expandedUrl` is `twitter.com/i/web/status/ID`). The author is the owner for the archive's own
  tweets (a self-like, which the store drops), the parent's author for tweets the owner replied
  to, or the user of a `twitter.com/USER/status/ID` URL (id looked up as for `--team`). Any other
  like names nobody it could be an edge to: it is kept in `rejects` with that reason, never given
  to a made-up account that metrics would count as a member. The like's
  message is the liked tweet. Its time is not exported: it is the liked tweet's time, from its
  Snowflake id, or for older sequential ids the time of the archive's own tweet nearest below it
  in id (the earliest when none is below; the Snowflake epoch when the archive has none).
- **Follows**: following.js gives owner -> accountId, follower.js accountId -> owner, with no time
  (so no follow interactions); a `userLink` that holds a screen name gives the handle.
- Tweets files are parsed twice (first for the owner, the archive's tweet ids and the accounts,
  then to convert); only one file's JSON is in memory at a time. A broken file fails the import;
  a tweet without `id_str` or `created_at`, a like without `tweetId` or a follow without
  `accountId` is rejected with the line its object starts on.
"""

from __future__ import annotations

import json
import re
import zipfile
import zlib
from bisect import bisect_right
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path, PurePosixPath
from types import TracebackType
from typing import Any, ClassVar, TypeGuard

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
from convivial.sources.columns import TWITTER_ENTITIES

__all__ = ["XArchiveSource"]

_PLATFORM = "twitter"
"""The account id that likes of tweets whose author the archive does not tell go to."""

_BATCH = 5000
_FILE = re.compile(r"(tweets?|like|following|follower|account)(?:-part(\d+))?\.js")
_PREFIX = re.compile(r"\s*window\.YTD\.\w+\.part\d+\s*=\s*\[")
_SPACE = re.compile(r"[ \t\n\r]*")
_TIME_FORMAT = "%a %b %d %H:%M:%S %z %Y"
_RETWEET = re.compile(r"RT @(\w+)")
_LEADING = re.compile(r"(?:\s*@\w+)+")
_HANDLE = re.compile(r"@(\w+)")
_STATUS_URL = re.compile(r"https?://(?:www\.|mobile\.)?(?:twitter|x)\.com/(\w+)/status/\d+")
_PROFILE_URL = re.compile(r"https?://(?:www\.|mobile\.)?(?:twitter|x)\.com/(\w+)/?")
_SNOWFLAKE_EPOCH = datetime(2010, 11, 4, 1, 42, 54, 657000)
_FIRST_SNOWFLAKE = 29_700_859_247
"""Tweet ids below this were sequential and carry no time (TweetedAt, oduwsdl/tweetedat)."""


@register
class XArchiveSource:
    """Reads an X archive: the owner's tweets, likes and follows."""

    name: ClassVar[str] = "x-archive"
    version: ClassVar[str] = "1"

    def __init__(self, options: SourceOptions) -> None:
        self.options = options

    def read(self, path: Path) -> Iterator[Batch]:
        with _Archive(path) as archive:
            yield from _Reader(archive, self.options).batches()


@dataclass(frozen=True)
class _Member:
    """One file of the archive that is read."""

    name: str
    """Its path inside the archive."""
    kind: str
    part: int
    size: int
    """Bytes it takes in the archive."""


class _Archive:
    """The files to read, from a zip or a folder."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._zip: zipfile.ZipFile | None = None
        if path.is_dir():
            found = [(p.relative_to(path).as_posix(), p.stat().st_size) for p in path.rglob("*.js")]
        elif path.is_file() and zipfile.is_zipfile(path):
            try:
                self._zip = zipfile.ZipFile(path)
            except zipfile.BadZipFile as exc:
                raise SourceError(f"{path}: not a readable zip file ({exc})") from None
            found = [(i.filename, i.compress_size) for i in self._zip.infolist() if not i.is_dir()]
        else:
            raise SourceError(f"{path}: not an X archive: expected its .zip file or its folder")
        try:
            self.members = self._select(found)
        except SourceError:
            self.close()
            raise

    def _select(self, found: list[tuple[str, int]]) -> dict[str, list[_Member]]:
        """The files of interest by kind, in part order, from the one folder holding tweets."""
        folders: dict[str, list[_Member]] = {}
        for name, size in found:
            posix = PurePosixPath(name)
            match = _FILE.fullmatch(posix.name)
            if match:
                kind = "tweets" if match[1].startswith("tweet") else match[1]
                member = _Member(name, kind, int(match[2] or 0), size)
                folders.setdefault(str(posix.parent), []).append(member)
        holding = sorted(f for f, ms in folders.items() if any(m.kind == "tweets" for m in ms))
        if not holding:
            raise SourceError(
                f"{self.path}: not an X archive: no tweets.js found;"
                " for other data use the csv source"
            )
        if len(holding) > 1:
            raise SourceError(
                f"{self.path}: holds several X archives ({', '.join(holding)});"
                " import them one at a time"
            )
        members: dict[str, list[_Member]] = {}
        for member in sorted(folders[holding[0]], key=lambda m: (m.part, m.name)):
            members.setdefault(member.kind, []).append(member)
        return members

    def text(self, member: _Member) -> str:
        try:
            if self._zip is not None:
                data = self._zip.read(member.name)
            else:
                data = (self.path / member.name).read_bytes()
            return data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise SourceError(
                f"{self.path}: {member.name}: not UTF-8 text ({exc.reason})"
            ) from None
        except (zipfile.BadZipFile, zlib.error, EOFError) as exc:
            raise SourceError(f"{self.path}: {member.name}: cannot be unzipped ({exc})") from None

    def __enter__(self) -> _Archive:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        if self._zip is not None:
            self._zip.close()


@dataclass(frozen=True, slots=True)
class _Entry:
    """One element of a file's array: where its text starts and ends, and its value."""

    line: int
    start: int
    end: int
    value: Any


def _entries(archive: _Archive, member: _Member, text: str) -> Iterator[_Entry]:
    """The elements of `window.YTD.<name>.partN = [ ... ]`, decoded one at a time."""
    head = _PREFIX.match(text)
    if head is None:
        raise SourceError(
            f"{archive.path}: {member.name}:1: does not start with"
            " 'window.YTD.<name>.part0 = ['; the archive may be damaged"
        )
    decoder = json.JSONDecoder()
    line, counted = 1, 0
    pos = _skip_space(text, head.end())
    try:
        if text.startswith("]", pos):
            pos += 1
        else:
            while True:
                value, end = decoder.raw_decode(text, pos)
                line += text.count("\n", counted, pos)
                counted = pos
                yield _Entry(line, pos, end, value)
                pos = _skip_space(text, end)
                if text.startswith(",", pos):
                    pos = _skip_space(text, pos + 1)
                elif text.startswith("]", pos):
                    pos += 1
                    break
                else:
                    raise json.JSONDecodeError("Expecting ',' or ']'", text, pos)
        if text[pos:].strip(" \t\n\r;"):
            raise json.JSONDecodeError("Extra data", text, pos)
    except json.JSONDecodeError as exc:
        raise SourceError(
            f"{archive.path}: {member.name}:{exc.lineno}: broken JSON ({exc.msg});"
            " the archive may be truncated"
        ) from None


def _skip_space(text: str, pos: int) -> int:
    match = _SPACE.match(text, pos)
    return match.end() if match else pos


def _unwrap(value: Any, key: str) -> dict[str, Any] | None:
    """The record inside `{"key": {...}}`, or the object itself (older archives), or None."""
    if not isinstance(value, dict):
        return None
    inner = value.get(key)
    return inner if isinstance(inner, dict) and len(value) == 1 else value


def _is_id(value: object) -> TypeGuard[str]:
    return isinstance(value, str) and value.isascii() and value.isdigit()


def _text(value: object) -> str | None:
    return value if isinstance(value, str) and value else None


def _unescape(text: str | None) -> str | None:
    """A tweet's text as written: Twitter's `&amp;`, `&lt;` and `&gt;` undone."""
    if text is None:
        return None
    for entity, character in TWITTER_ENTITIES:
        text = text.replace(entity, character)
    return text


def _count(value: object) -> int | None:
    if isinstance(value, int):
        return value
    return int(value) if _is_id(value) else None


def _tweet(value: Any) -> tuple[dict[str, Any], str, datetime] | str:
    """The tweet object, its id and its time (UTC), or why it cannot be read."""
    tweet = _unwrap(value, "tweet")
    if tweet is None:
        return "not a tweet object"
    tweet_id = tweet.get("id_str")
    if not _is_id(tweet_id):
        return "tweet without id_str"
    try:
        created = datetime.strptime(tweet.get("created_at", ""), _TIME_FORMAT)
    except (TypeError, ValueError):
        return "tweet without a created_at like 'Wed Oct 10 20:19:24 +0000 2018'"
    return tweet, tweet_id, created.astimezone(UTC).replace(tzinfo=None)


def _mentions(tweet: dict[str, Any]) -> list[dict[str, Any]]:
    entities = tweet.get("entities")
    found = entities.get("user_mentions") if isinstance(entities, dict) else None
    return [m for m in found if isinstance(m, dict)] if isinstance(found, list) else []


@dataclass(slots=True)
class _Person:
    """An account the tweets name: the newest tweet naming it gives its handle and name."""

    seen: int
    """Id of the newest tweet naming it (tweet ids grow with time)."""
    handle: str | None
    name: str | None


@dataclass
class _Survey:
    """What the first pass over the tweets learns."""

    tweet_ids: set[str] = field(default_factory=set)
    reply_authors: dict[str, str] = field(default_factory=dict)
    """Id of a tweet the archive replies to -> its author's id."""
    people: dict[str, _Person] = field(default_factory=dict)
    sequential: list[tuple[int, datetime]] = field(default_factory=list)
    """(id, time) of the archive's tweets with pre-Snowflake ids."""

    def add(self, tweet: dict[str, Any], tweet_id: str, created: datetime) -> None:
        self.tweet_ids.add(tweet_id)
        seen = int(tweet_id)
        if seen < _FIRST_SNOWFLAKE:
            self.sequential.append((seen, created))
        for mention in _mentions(tweet):
            self.note(mention.get("id_str"), seen, mention.get("screen_name"), mention.get("name"))
        author = tweet.get("in_reply_to_user_id_str")
        self.note(author, seen, tweet.get("in_reply_to_screen_name"), None)
        parent = tweet.get("in_reply_to_status_id_str")
        if _is_id(parent) and _is_id(author):
            self.reply_authors[parent] = author

    def note(self, account_id: object, seen: int, handle: object, name: object) -> None:
        if not _is_id(account_id):
            return
        new_handle, new_name = _text(handle), _text(name)
        person = self.people.get(account_id)
        if person is None:
            self.people[account_id] = _Person(seen, new_handle, new_name)
        elif seen > person.seen:
            person.seen = seen
            person.handle = new_handle or person.handle
            person.name = new_name or person.name
        else:
            person.handle = person.handle or new_handle
            person.name = person.name or new_name

    def ids_by_handle(self) -> dict[str, str]:
        """Lower-cased handle -> id of the accounts the tweets name."""
        return {p.handle.lower(): i for i, p in self.people.items() if p.handle}


@dataclass(frozen=True)
class _Owner:
    account_id: str
    handle: str | None
    name: str | None = None
    created_at: datetime | None = None


@dataclass
class _Chunk:
    """Records gathered for one batch."""

    accounts: list[dict[str, Any]] = field(default_factory=list)
    messages: list[dict[str, Any]] = field(default_factory=list)
    interactions: list[dict[str, Any]] = field(default_factory=list)
    follows: list[dict[str, Any]] = field(default_factory=list)
    rejects: list[Reject] = field(default_factory=list)
    rows: int = 0

    def batch(self, progress: int) -> Batch:
        records = {
            "accounts": self.accounts,
            "messages": self.messages,
            "interactions": self.interactions,
            "follows": self.follows,
        }
        return records_batch(records, rejects=self.rejects, rows=self.rows, progress=progress)

    def reject(self, entry: _Entry, reason: str, text: str) -> None:
        self.rejects.append(Reject(entry.line, reason, text[entry.start : entry.end]))


_Add = Callable[[_Chunk, _Entry, str], None]
"""Turns one entry of a file (and the file's text, for rejects) into records of a chunk."""


class _Reader:
    """One reading of an archive: the owner first, then each kind of file in turn."""

    def __init__(self, archive: _Archive, options: SourceOptions) -> None:
        self.archive = archive
        self.options = options
        self.survey = _Survey()
        self.handles: dict[str, str] = {}
        self.owner = _Owner("", None)
        self.emitted: set[str] = set()
        """Ids of the accounts given with a profile so far."""
        self.done = 0
        """Bytes of the archive's files read to the end."""

    def batches(self) -> Iterator[Batch]:
        account, account_rows = self._account_file()
        for member in self.archive.members["tweets"]:
            for entry in _entries(self.archive, member, self.archive.text(member)):
                checked = _tweet(entry.value)
                if not isinstance(checked, str):
                    self.survey.add(*checked)
        self.survey.sequential.sort()
        self.handles = self.survey.ids_by_handle()
        self.owner = self._complete(account or self._infer_owner())
        yield self._start(account_rows)
        readers: list[tuple[str, _Add]] = [
            ("tweets", self._add_tweet),
            ("like", self._add_like),
            ("following", self._add_following),
            ("follower", self._add_follower),
        ]
        for kind, add in readers:
            for member in self.archive.members.get(kind, []):
                yield from self._file(member, add)

    def _account_file(self) -> tuple[_Owner | None, int]:
        """The owner account.js names, if any, and the number of entries it holds."""
        owner, rows = None, 0
        for member in self.archive.members.get("account", []):
            for entry in _entries(self.archive, member, self.archive.text(member)):
                rows += 1
                record = _unwrap(entry.value, "account") or {}
                if owner is None and _is_id(record.get("accountId")):
                    owner = _Owner(
                        record["accountId"],
                        _text(record.get("username")),
                        _text(record.get("accountDisplayName")),
                        _iso_time(record.get("createdAt")),
                    )
            self.done += member.size
        return owner, rows

    def _infer_owner(self) -> _Owner:
        votes = Counter(
            author
            for parent, author in self.survey.reply_authors.items()
            if parent in self.survey.tweet_ids
        )
        if votes:
            return _Owner(votes.most_common(1)[0][0], None)
        if self.options.team:
            handle = self.options.team.lstrip("@")
            return _Owner(self.handles.get(handle.lower(), handle), handle)
        raise SourceError(
            f"{self.archive.path}: cannot tell whose archive this is (no account.js and no"
            " replies to its own tweets); name the owner's handle with --team HANDLE"
        )

    def _complete(self, owner: _Owner) -> _Owner:
        """The owner with the handle and name the tweets give where it lacks them."""
        person = self.survey.people.get(owner.account_id)
        if person is None:
            return owner
        return _Owner(
            owner.account_id,
            owner.handle or person.handle,
            owner.name or person.name,
            owner.created_at,
        )

    def _start(self, rows: int) -> Batch:
        """The owner's team, the owner and the accounts the tweets name."""
        owner = self.owner
        chunk = _Chunk(rows=rows)
        for account_id, person in self.survey.people.items():
            if account_id != owner.account_id:
                self._account(chunk, account_id, person.handle, person.name, None)
        self._account(chunk, owner.account_id, owner.handle, owner.name, None)
        chunk.accounts[-1]["created_at"] = owner.created_at
        batch = chunk.batch(self.done)
        host = brand(self.options.team or owner.handle, _PLATFORM, owner.account_id)
        batch.hosts = records_table(HOST_SCHEMA, [host])
        return batch

    def _account(
        self,
        chunk: _Chunk,
        account_id: str,
        handle: str | None,
        name: str | None,
        line: int | None,
    ) -> None:
        self.emitted.add(account_id)
        chunk.accounts.append(
            {
                "platform": _PLATFORM,
                "account_id": account_id,
                "handle": handle,
                "display_name": name,
                "line": line,
            }
        )

    def _file(self, member: _Member, add: _Add) -> Iterator[Batch]:
        """The batches of one file."""
        text = self.archive.text(member)
        chunk = _Chunk()
        for entry in _entries(self.archive, member, text):
            add(chunk, entry, text)
            chunk.rows += 1
            if chunk.rows >= _BATCH:
                yield chunk.batch(self.done + member.size * entry.end // len(text))
                chunk = _Chunk()
        self.done += member.size
        yield chunk.batch(self.done)

    def _interaction(
        self, chunk: _Chunk, kind: str, target: str, at: datetime, message_id: str, line: int
    ) -> None:
        chunk.interactions.append(
            {
                "platform": _PLATFORM,
                "actor_id": self.owner.account_id,
                "target_id": target,
                "kind": kind,
                "created_at": at,
                "message_id": message_id,
                "line": line,
            }
        )

    def _add_tweet(self, chunk: _Chunk, entry: _Entry, text: str) -> None:
        checked = _tweet(entry.value)
        if isinstance(checked, str):
            chunk.reject(entry, checked, text)
            return
        tweet, tweet_id, created = checked
        body = _unescape(_text(tweet.get("full_text")))
        mentions = [
            (m.get("id_str"), handle.lower())
            for m in _mentions(tweet)
            if (handle := _text(m.get("screen_name")))
        ]
        handles = [handle for _, handle in mentions]
        parent = tweet.get("in_reply_to_status_id_str")
        retweet = _RETWEET.match(body or "")
        if retweet:
            kind, parent = "share", None
            original = retweet[1].lower()
            author = next((i for i, h in mentions if h == original and _is_id(i)), None)
            if author is not None:
                self._interaction(chunk, "share", author, created, tweet_id, entry.line)
            handles = [] if author is not None else [original]
        elif _is_id(parent):
            kind = "reply"
            author = tweet.get("in_reply_to_user_id_str")
            if parent not in self.survey.tweet_ids and _is_id(author):
                self._interaction(chunk, "reply", author, created, tweet_id, entry.line)
                replied = (_text(tweet.get("in_reply_to_screen_name")) or "").lower()
                if replied in handles and replied in _leading_handles(body or ""):
                    handles.remove(replied)
        else:
            kind, parent = "post", None
        chunk.messages.append(
            {
                "platform": _PLATFORM,
                "message_id": tweet_id,
                "author_id": self.owner.account_id,
                "author_handle": self.owner.handle,
                "created_at": created,
                "text": body,
                "parent_id": parent,
                "kind": kind,
                "likes": _count(tweet.get("favorite_count")),
                "shares": _count(tweet.get("retweet_count")),
                "mentions": handles,
                "line": entry.line,
            }
        )

    def _add_like(self, chunk: _Chunk, entry: _Entry, text: str) -> None:
        like = _unwrap(entry.value, "like") or {}
        tweet_id = like.get("tweetId")
        if not _is_id(tweet_id):
            chunk.reject(entry, "like without tweetId", text)
            return
        target = self._liked_author(chunk, tweet_id, like.get("expandedUrl"), entry.line)
        if target is None:
            chunk.reject(entry, "like of a tweet whose author the archive does not name", text)
            return
        self._interaction(chunk, "like", target, self._id_time(tweet_id), tweet_id, entry.line)

    def _liked_author(self, chunk: _Chunk, tweet_id: str, url: object, line: int) -> str | None:
        """The liked tweet's author as far as the archive tells, else None."""
        if tweet_id in self.survey.tweet_ids:
            return self.owner.account_id
        replied = self.survey.reply_authors.get(tweet_id)
        if replied is not None:
            return replied
        match = _STATUS_URL.match(url) if isinstance(url, str) else None
        handle = match[1] if match and match[1].lower() != "i" else None
        if handle is None:
            return None
        target = self.handles.get(handle.lower(), handle)
        if target not in self.emitted:
            self._account(chunk, target, handle, None, line)
        return target

    def _id_time(self, tweet_id: str) -> datetime:
        """A tweet's time from its id: Snowflake, else the nearest own tweet below it."""
        number = int(tweet_id)
        if number >= _FIRST_SNOWFLAKE:
            return _SNOWFLAKE_EPOCH + timedelta(milliseconds=number >> 22)
        known = self.survey.sequential
        if not known:
            return _SNOWFLAKE_EPOCH
        return known[max(bisect_right(known, number, key=lambda k: k[0]) - 1, 0)][1]

    def _add_following(self, chunk: _Chunk, entry: _Entry, text: str) -> None:
        self._add_follow(chunk, entry, text, "following")

    def _add_follower(self, chunk: _Chunk, entry: _Entry, text: str) -> None:
        self._add_follow(chunk, entry, text, "follower")

    def _add_follow(self, chunk: _Chunk, entry: _Entry, text: str, key: str) -> None:
        record = _unwrap(entry.value, key) or {}
        account_id = record.get("accountId")
        if not _is_id(account_id):
            chunk.reject(entry, f"{key} without accountId", text)
            return
        owner = self.owner.account_id
        follower, followed = (owner, account_id) if key == "following" else (account_id, owner)
        chunk.follows.append(
            {
                "platform": _PLATFORM,
                "follower_id": follower,
                "followed_id": followed,
                "line": entry.line,
            }
        )
        link = record.get("userLink")
        profile = _PROFILE_URL.fullmatch(link) if isinstance(link, str) else None
        if profile and account_id not in self.emitted:
            self._account(chunk, account_id, profile[1], None, entry.line)


def _leading_handles(text: str) -> set[str]:
    """The lower-cased @handles a text starts with."""
    leading = _LEADING.match(text)
    return {h.lower() for h in _HANDLE.findall(leading[0])} if leading else set()


def _iso_time(value: object) -> datetime | None:
    """An ISO time ("2007-05-06T18:30:12.000Z") as naive UTC, or None."""
    if not isinstance(value, str):
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        return None
    return parsed.astimezone(UTC).replace(tzinfo=None) if parsed.tzinfo else parsed
