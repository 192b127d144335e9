"""What every source shares: the batch schemas, the Source protocol, the registry and errors.

A source turns one file into a stream of `Batch`es of Arrow tables in the canonical schemas below,
with the platform's own ids. The import framework (`convivial.importer`) adds keys, provenance and
the rejects bookkeeping, and derives reply, mention, share and quote interactions from messages.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar, Protocol

import pyarrow as pa

__all__ = [
    "ACCOUNT_SCHEMA",
    "FOLLOW_SCHEMA",
    "HOST_SCHEMA",
    "INTERACTION_SCHEMA",
    "MESSAGE_SCHEMA",
    "Batch",
    "Reject",
    "Source",
    "SourceError",
    "SourceOptions",
    "brand",
    "get_source",
    "records_batch",
    "records_table",
    "register",
    "source_names",
    "table",
]

_TS = pa.timestamp("us")

ACCOUNT_SCHEMA = pa.schema(
    [
        ("platform", pa.string()),
        ("account_id", pa.string()),
        ("handle", pa.string()),
        ("display_name", pa.string()),
        ("followers", pa.int64()),
        ("following", pa.int64()),
        ("posts", pa.int64()),
        ("bio", pa.string()),
        ("avatar_url", pa.string()),
        ("default_avatar", pa.bool_()),
        ("profile_url", pa.string()),
        ("created_at", _TS),
        ("verified", pa.bool_()),
        ("listed", pa.int64()),
        ("last_post_at", _TS),
        ("line", pa.int64()),
    ]
)
"""Account profiles. Times are UTC. `line` is where the record starts in its file."""

MESSAGE_SCHEMA = pa.schema(
    [
        ("platform", pa.string()),
        ("message_id", pa.string()),
        ("author_id", pa.string()),
        ("author_handle", pa.string()),
        ("created_at", _TS),
        ("text", pa.string()),
        ("parent_id", pa.string()),
        ("root_id", pa.string()),
        ("kind", pa.string()),
        ("is_public", pa.bool_()),
        ("likes", pa.int64()),
        ("shares", pa.int64()),
        ("replies", pa.int64()),
        ("mentions", pa.list_(pa.string())),
        ("team", pa.string()),
        ("line", pa.int64()),
    ]
)
"""Messages. `kind` null means reply when `parent_id` is set, else post; `mentions` null means
"read the @handles from the text"; `is_public` null means public; `team` is set only by sources
that know it (a subreddit made a team)."""

INTERACTION_SCHEMA = pa.schema(
    [
        ("platform", pa.string()),
        ("actor_id", pa.string()),
        ("target_id", pa.string()),
        ("kind", pa.string()),
        ("created_at", _TS),
        ("message_id", pa.string()),
        ("line", pa.int64()),
    ]
)
"""Interactions a source knows directly (likes, shares without a message); replies and mentions
are derived from messages by the framework."""

FOLLOW_SCHEMA = pa.schema(
    [
        ("platform", pa.string()),
        ("follower_id", pa.string()),
        ("followed_id", pa.string()),
        ("followed_at", _TS),
        ("line", pa.int64()),
    ]
)

HOST_SCHEMA = pa.schema(
    [
        ("team", pa.string()),
        ("platform", pa.string()),
        ("account_ref", pa.string()),
        ("role", pa.string()),
    ]
)
"""Teams a source knows from its data: TWCS brands, an archive's owner."""

INSIGHT_SCHEMA = pa.schema(
    [
        ("team", pa.string()),
        ("platform", pa.string()),
        ("post_ref", pa.string()),
        ("post_type", pa.string()),
        ("category", pa.string()),
        ("paid", pa.bool_()),
        ("month", pa.int64()),
        ("weekday", pa.int64()),
        ("hour", pa.int64()),
        ("reach", pa.int64()),
        ("impressions", pa.int64()),
        ("engaged_users", pa.int64()),
        ("consumers", pa.int64()),
        ("comments", pa.int64()),
        ("likes", pa.int64()),
        ("shares", pa.int64()),
    ]
)
"""Post-level Insights of a page: one row per post, lifetime figures, no text."""

PLATFORMS = ("twitter", "mastodon", "bluesky", "facebook", "instagram", "reddit")
INTERACTION_KINDS = ("reply", "mention", "share", "quote", "like", "follow")
MESSAGE_KINDS = ("post", "reply", "share", "quote")


class SourceError(Exception):
    """A file cannot be imported at all. The message is one line, starting with the file name."""


@dataclass(frozen=True)
class Reject:
    """A row that could not be read: where it starts, why, and its raw text."""

    line: int | None
    reason: str
    raw: str


@dataclass
class Batch:
    """A slice of one file in the canonical schemas; any table may be absent."""

    accounts: pa.Table | None = None
    messages: pa.Table | None = None
    interactions: pa.Table | None = None
    follows: pa.Table | None = None
    hosts: pa.Table | None = None
    insights: pa.Table | None = None
    rejects: list[Reject] = field(default_factory=list)
    rows: int = 0
    """Rows of the file this batch consumed, good or bad."""
    progress: int = 0
    """Bytes of the file consumed so far, for progress bars."""


@dataclass(frozen=True)
class SourceOptions:
    """Command-line options a source may use."""

    team: str | None = None
    team_by: str | None = None
    """A field that makes teams of the data, such as `subreddit`, for sources that offer one."""
    followed: tuple[str, ...] = ()
    """Accounts (PLATFORM:HANDLE or PLATFORM:ID) that every imported profile on the same
    platform follows: a follower list imported with `--followers-of TEAM`."""


class Source(Protocol):
    """Reads one file (or folder) of one kind as a stream of batches.

    A source that can make teams of a field of its data (`--team-by`) names those fields in a
    class attribute `team_by_fields`."""

    name: ClassVar[str]
    version: ClassVar[str]

    def read(self, path: Path) -> Iterator[Batch]: ...


_REGISTRY: dict[str, Any] = {}


def register(cls: type[Any]) -> type[Any]:
    """Class decorator: make a source available under its `name`."""
    _REGISTRY[cls.name] = cls
    return cls


def source_names() -> list[str]:
    """The names of all registered sources."""
    return sorted(_REGISTRY)


def get_source(name: str, options: SourceOptions | None = None) -> Source:
    """An instance of the source called `name`, or SourceError naming the known ones."""
    cls = _REGISTRY.get(name)
    if cls is None:
        raise SourceError(f"unknown source {name!r}; known sources: {', '.join(source_names())}")
    options = options or SourceOptions()
    fields: tuple[str, ...] = getattr(cls, "team_by_fields", ())
    if options.team_by is not None and options.team_by not in fields:
        offer = f"it makes teams by {', '.join(fields)}" if fields else "it makes no teams"
        raise SourceError(f"the {name} source cannot make teams by {options.team_by!r}; {offer}")
    source: Source = cls(options)
    return source


def table(schema: pa.Schema, columns: Mapping[str, Any], rows: int | None = None) -> pa.Table:
    """An Arrow table of `schema` from the given columns (arrays or lists); absent ones are null."""
    if rows is None:
        rows = len(next(iter(columns.values()))) if columns else 0
    arrays = []
    for f in schema:
        value = columns.get(f.name)
        if value is None:
            arrays.append(pa.nulls(rows, f.type))
        elif isinstance(value, pa.ChunkedArray | pa.Array):
            arrays.append(value.cast(f.type))
        else:
            arrays.append(pa.array(value, type=f.type))
    return pa.Table.from_arrays(arrays, schema=schema)


def records_table(schema: pa.Schema, records: Sequence[Mapping[str, Any]]) -> pa.Table:
    """An Arrow table of `schema` from small record dicts (for JSON exports)."""
    return table(schema, {f.name: [r.get(f.name) for r in records] for f in schema}, len(records))


_RECORD_SCHEMAS = {
    "accounts": ACCOUNT_SCHEMA,
    "messages": MESSAGE_SCHEMA,
    "interactions": INTERACTION_SCHEMA,
    "follows": FOLLOW_SCHEMA,
}


def records_batch(records: Mapping[str, Sequence[Mapping[str, Any]]], **rest: Any) -> Batch:
    """A batch of record dicts by kind (accounts, messages, interactions, follows), a kind with
    no rows left absent; `rest` gives the batch's other fields (hosts, rejects, rows, progress)."""
    tables: dict[str, Any] = {
        kind: records_table(schema, rows) if (rows := records.get(kind)) else None
        for kind, schema in _RECORD_SCHEMAS.items()
    }
    return Batch(**tables, **rest)


def brand(team: str | None, platform: str, account: str) -> dict[str, str]:
    """`account` (the archive's or fetched account's owner) as a brand account of `team`
    (default: the account's own name), a HOST_SCHEMA record."""
    return {"team": team or account, "platform": platform, "account_ref": account, "role": "brand"}
