"""`reddit`: threaded Reddit data with no brand, as a thread CSV or as Reddit's JSON listings.

Formats:

- **Thread CSV** (`.csv`, or gzip such as `.csv.gz`), one row per post or comment, columns
  subreddit, thread_id, item_id (`t3_<id>` for a post, `t1_<id>` for a comment), parent_id (empty
  for a post, else the item_id replied to), depth, kind (post or comment), author (empty when
  deleted), created_utc (epoch seconds), upvotes, title (posts) and text. Read streamed and
  columnar; `depth` repeats the parent chain and is not read.
- **JSON listing** (`.json`, or a folder holding them, read recursively): what
  `https://www.reddit.com/r/SUB/comments/ID.json` returns, a list of Listings of things (`t3` the
  post, `t1` the comments, each comment's `replies` a nested Listing or ""). Each t3 or t1 thing
  becomes the row the CSV would hold, so both formats share one conversion and its rules; `more`
  stubs (comments Reddit did not send) are skipped; a thing's line is where its object starts.

Rules:

- message_id is the item_id (the fullname, `t1_`/`t3_` + id); author_id and handle are the
  username; root_id is `t3_` + thread_id, so every message stays in its thread even when its
  parent is absent; kind is post or reply; likes is the score; created_at the epoch seconds as
  naive UTC.
- text is a post's title, then a blank line and its body when it has one; a body of "[deleted]"
  or "[removed]", all Reddit leaves of deleted text, is no text.
- mentions are the `u/name` (or `/u/name`) references in the text: Reddit does not link @names.
- **Deleted authors** (author empty or "[deleted]") are nobody, so the row goes to `rejects` with
  reason "author deleted", raw text and line kept. The store gives every message an author
  account, and any account here would be made up: one shared "[deleted]" account would be a
  member who talks with everyone; one per message would add a member per deleted item (1,663 on
  8,692 real authors in the shared sample) with reply edges to and from them. Replies to a
  deleted item keep their parent_id and root_id, like replies to a message outside the file:
  they stay in the thread, and no interaction goes to nobody.
- Teams: `team_by` "subreddit" puts each message in its subreddit's team (a team with no host
  accounts: the community itself); `team` puts every message in that team; with neither,
  messages have no team. Any other `team_by`, or both options, fails at once.
- A file without the CSV's columns, or JSON that is not a listing, fails with one line. A row
  missing item_id, thread_id, kind or created_utc, with a kind other than post or comment, a
  comment without parent_id, created_utc not epoch seconds (1970 to 2100) or upvotes not a whole
  number is rejected with its line.
"""

from __future__ import annotations

import json
import re
from bisect import bisect_right
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from convivial.sources.base import (
    MESSAGE_SCHEMA,
    Batch,
    SourceError,
    SourceOptions,
    register,
    table,
)
from convivial.sources.columns import Checked, blank_to_null, to_int
from convivial.sources.csvscan import CsvScan

__all__ = ["DELETED_REASON", "RedditSource"]

COLUMNS = (
    "subreddit",
    "thread_id",
    "item_id",
    "parent_id",
    "depth",
    "kind",
    "author",
    "created_utc",
    "upvotes",
    "title",
    "text",
)
_READ = tuple(c for c in COLUMNS if c != "depth")
DELETED_REASON = "author deleted"
_DELETED_AUTHOR = "[deleted]"
_DELETED_TEXTS = ["[deleted]", "[removed]"]
_YEAR_2100 = 4_102_444_800
"""Epoch seconds of 2100-01-01: later times are not Reddit's."""
_MAY_MENTION = r"u/[A-Za-z0-9_-]{3}"
"""A cheap test (Arrow's RE2) for the rows worth searching with `_MENTION`."""
_MENTION = re.compile(r"(?<![\w/])/?u/([A-Za-z0-9_-]{3,20})(?![\w-])")
"""A Reddit username reference: 3 to 20 letters, digits, _ or -, not inside a word or a URL."""
_THING_KINDS = {"t3": "post", "t1": "comment"}
_JSON_TOKENS = re.compile(r'"(?:[^"\\]|\\.)*"|[{}]')
_NOT_A_LISTING = (
    "not a Reddit JSON listing: expected what /comments/ID.json returns,"
    ' a list of {"kind": "Listing", "data": {"children": [...]}}'
)


@register
class RedditSource:
    """Reads Reddit threads: the thread CSV streamed and columnar, or JSON listings."""

    name: ClassVar[str] = "reddit"
    version: ClassVar[str] = "1"
    team_by_fields: ClassVar[tuple[str, ...]] = ("subreddit",)

    def __init__(self, options: SourceOptions) -> None:
        if options.team_by and options.team:
            raise SourceError("give --team or --team-by subreddit, not both")
        self.options = options

    def read(self, path: Path) -> Iterator[Batch]:
        if path.is_dir():
            files = sorted(
                p for p in path.rglob("*") if p.suffix.lower() == ".json" and p.is_file()
            )
            if not files:
                raise SourceError(
                    f"{path}: a folder with no .json files; the reddit source reads folders of"
                    " Reddit JSON listings, or one thread CSV"
                )
            done = 0
            for file in files:
                done += file.stat().st_size
                yield self._read_json(file, done)
        elif path.suffix.lower() == ".json":
            yield self._read_json(path, path.stat().st_size)
        else:
            yield from self._read_csv(path)

    def _read_csv(self, path: Path) -> Iterator[Batch]:
        scan = CsvScan(path)
        try:
            index = _column_index(path, scan.header)
            for raw_batch, lines in scan.batches():
                columns = {name: raw_batch.column(i) for name, i in index.items()}

                def raw(i: int, batch: pa.RecordBatch = raw_batch) -> str:
                    cells = (c[i].as_py() for c in batch.columns)
                    return ",".join("" if v is None else str(v) for v in cells)

                batch = self._convert(columns, lines, raw)
                unreadable = scan.take_rejects()
                batch.rejects.extend(unreadable)
                batch.rows += len(unreadable)
                batch.progress = scan.bytes_read
                yield batch
            tail = scan.take_rejects()
            if tail:
                yield Batch(rejects=tail, rows=len(tail), progress=scan.bytes_read)
        finally:
            scan.close()

    def _read_json(self, path: Path, progress: int) -> Batch:
        things = list(_things(path, _decode(path)))
        rows = [_cells(t) for t in things]
        columns = {c: pa.array([r[c] for r in rows], pa.string()) for c in _READ}
        lines = np.array([t.line for t in things], dtype=np.int64)
        batch = self._convert(columns, lines, lambda i: things[i].raw())
        batch.progress = progress
        return batch

    def _convert(
        self, columns: Mapping[str, pa.Array], lines: np.ndarray, raw: Callable[[int], str]
    ) -> Batch:
        """Text columns named as in the CSV to messages; bad and deleted rows to rejects."""
        size = len(lines)
        col = {c: blank_to_null(pc.utf8_trim_whitespace(columns[c])) for c in _READ}
        title, body = blank_to_null(columns["title"]), blank_to_null(columns["text"])
        checked = Checked(size)
        for column in ("item_id", "thread_id", "kind", "created_utc"):
            checked.require(col[column], column)
        kind = pc.utf8_lower(col["kind"])
        checked.flag(
            _true(pc.invert(pc.is_in(kind, pa.array(list(_THING_KINDS.values()))))),
            "kind must be post or comment (t3 or t1 in JSON)",
        )
        is_comment = pc.fill_null(pc.equal(kind, "comment"), False)
        checked.flag(
            _true(is_comment) & ~_true(pc.is_valid(col["parent_id"])),
            "a comment needs the parent_id it replies to",
        )
        seconds, bad = to_int(col["created_utc"])
        checked.flag(bad, "created_utc is not epoch seconds")
        checked.flag(
            _true(pc.or_(pc.less(seconds, 0), pc.greater_equal(seconds, _YEAR_2100))),
            "created_utc is not epoch seconds between 1970 and 2100",
        )
        upvotes, bad = to_int(col["upvotes"])
        checked.flag(bad, "upvotes is not a whole number")
        if self.options.team_by:
            checked.require(col["subreddit"], "subreddit")
        author = col["author"]
        checked.flag(
            ~_true(pc.is_valid(author)) | _true(pc.equal(author, _DELETED_AUTHOR)),
            DELETED_REASON,
        )

        body = pc.if_else(
            pc.is_in(body, pa.array(_DELETED_TEXTS)), pa.scalar(None, pa.string()), body
        )
        post_text = pc.coalesce(pc.binary_join_element_wise(title, body, "\n\n"), title, body)
        text = pc.if_else(is_comment, body, post_text)
        thread = pc.replace_substring_regex(col["thread_id"], "^t3_", "")
        team: pa.Array | None = None
        if self.options.team_by:
            team = col["subreddit"]
        elif self.options.team:
            team = pa.repeat(self.options.team, size)
        messages = table(
            MESSAGE_SCHEMA,
            {
                "platform": pa.repeat("reddit", size),
                "message_id": col["item_id"],
                "author_id": author,
                "author_handle": author,
                "created_at": pc.cast(pc.multiply(seconds, 1_000_000), pa.timestamp("us")),
                "text": text,
                "parent_id": pc.if_else(is_comment, col["parent_id"], pa.scalar(None, pa.string())),
                "root_id": pc.binary_join_element_wise("t3_", thread, ""),
                "kind": pc.if_else(is_comment, "reply", "post"),
                "likes": upvotes,
                "mentions": _mentions(text),
                "team": team,
                "line": pa.array(lines, pa.int64()),
            },
            size,
        ).filter(checked.good())
        return Batch(messages=messages, rejects=checked.rejects(lines, raw), rows=size)


def _true(values: pa.Array) -> np.ndarray:
    """A boolean Arrow array as a NumPy mask, null as False."""
    return np.asarray(pc.fill_null(values, False).to_numpy(zero_copy_only=False), dtype=bool)


def _mentions(text: pa.Array) -> pa.Array:
    """The usernames each text references as `u/name`; only texts holding "u/" are searched."""
    searched = np.flatnonzero(_true(pc.match_substring_regex(text, _MAY_MENTION)))
    found = [_MENTION.findall(t) for t in text.take(pa.array(searched)).to_pylist()]
    counts = np.zeros(len(text), dtype=np.int32)
    counts[searched] = [len(names) for names in found]
    offsets = np.concatenate([[0], np.cumsum(counts)]).astype(np.int32)
    names = pa.array([n for row in found for n in row], pa.string())
    return pa.ListArray.from_arrays(pa.array(offsets), names)


def _column_index(path: Path, header: list[str]) -> dict[str, int]:
    """Maps each column read to its position, or explains why this is not a thread CSV."""
    missing = [c for c in COLUMNS if c not in header]
    if missing:
        raise SourceError(
            f"{path}: not a Reddit thread file: missing column(s) {', '.join(missing)}"
            f" (found {', '.join(repr(h) for h in header[:8])}); the reddit source reads the"
            " thread CSV or Reddit JSON listings"
        )
    unknown = [h for h in header if h not in COLUMNS]
    if unknown:
        raise SourceError(
            f"{path}: unknown column(s) for a Reddit thread file: {', '.join(unknown)}"
        )
    return {name: header.index(name) for name in _READ}


@dataclass(frozen=True)
class _Thing:
    """A `{"kind": ..., "data": {...}}` object of a listing file, with the line it starts on."""

    kind: str
    data: dict[str, Any]
    line: int

    def raw(self) -> str:
        """The thing as JSON without its replies, for `rejects`."""
        data = {k: v for k, v in self.data.items() if k != "replies"}
        return json.dumps({"kind": self.kind, "data": data}, ensure_ascii=False, default=_plain)


def _plain(value: object) -> object:
    if isinstance(value, _Thing):
        return {"kind": value.kind, "data": value.data}
    raise TypeError(type(value).__name__)


def _decode(path: Path) -> Any:
    """A JSON file whose `{kind, data}` objects are `_Thing`s that know their lines.

    json calls the object hook as each object closes, so the hook's n-th call is the object
    whose closing brace comes n-th in the text: a scan of strings and braces finds its start.
    """
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise SourceError(f"{path}: not UTF-8 text ({exc.reason}); save it as UTF-8") from None
    feeds = [m.start() for m in re.finditer("\n", text)]
    open_braces: list[int] = []
    starts: list[int] = []
    for token in _JSON_TOKENS.finditer(text):
        if token.group() == "{":
            open_braces.append(token.start())
        elif token.group() == "}" and open_braces:
            starts.append(open_braces.pop())
    closed = iter(starts)

    def hook(pairs: list[tuple[str, Any]]) -> Any:
        obj = dict(pairs)
        line = bisect_right(feeds, next(closed)) + 1
        if obj.keys() == {"kind", "data"} and isinstance(obj["data"], dict):
            return _Thing(str(obj["kind"]), obj["data"], line)
        return obj

    try:
        return json.loads(text, object_pairs_hook=hook)
    except json.JSONDecodeError as exc:
        raise SourceError(f"{path}:{exc.lineno}: broken JSON ({exc.msg})") from None


def _things(path: Path, node: Any) -> Iterator[_Thing]:
    """The posts and comments of a list of Listings (or one Listing), replies after each."""
    for listing in node if isinstance(node, list) else [node]:
        children = listing.data.get("children") if isinstance(listing, _Thing) else None
        if (
            not isinstance(listing, _Thing)
            or listing.kind != "Listing"
            or not isinstance(children, list)
        ):
            raise SourceError(f"{path}: {_NOT_A_LISTING}")
        for child in children:
            if not isinstance(child, _Thing):
                raise SourceError(f"{path}: {_NOT_A_LISTING}")
            if child.kind == "more":
                continue
            yield child
            replies = child.data.get("replies")
            if replies:
                yield from _things(path, replies)


def _cells(thing: _Thing) -> dict[str, str | None]:
    """A post (t3) or comment (t1) as the thread CSV's cells."""
    data = thing.data
    post = thing.kind == "t3"
    item_id = _text(data.get("name"))
    if item_id is None and data.get("id") is not None:
        item_id = f"{thing.kind}_{data['id']}"
    return {
        "subreddit": _text(data.get("subreddit")),
        "thread_id": _text(data.get("id") if post else data.get("link_id")),
        "item_id": item_id,
        "parent_id": None if post else _text(data.get("parent_id")),
        "kind": _THING_KINDS.get(thing.kind, thing.kind),
        "author": _text(data.get("author")),
        "created_utc": _text(data.get("created_utc")),
        "upvotes": _text(data.get("score")),
        "title": _text(data.get("title")) if post else None,
        "text": _text(data.get("selftext" if post else "body")),
    }


def _text(value: object) -> str | None:
    """A JSON value as a CSV cell: whole floats (Reddit's times) without ".0"."""
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)
