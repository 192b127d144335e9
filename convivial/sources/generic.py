"""`csv` and `jsonl`: the documented generic format (docs/formats.md) for any platform.

A CSV file holds one kind of record, told by its header; a JSON Lines file may mix kinds, each
object told by its `type` field or its keys. Both end in the same vectorised conversion of text
columns, so the two formats accept and reject exactly the same values.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from convivial.sources.base import (
    ACCOUNT_SCHEMA,
    FOLLOW_SCHEMA,
    INTERACTION_KINDS,
    INTERACTION_SCHEMA,
    MESSAGE_KINDS,
    MESSAGE_SCHEMA,
    Batch,
    Reject,
    SourceError,
    SourceOptions,
    register,
    table,
)
from convivial.sources.columns import Checked, blank_to_null, to_bool, to_int, to_iso_time
from convivial.sources.csvscan import CsvScan

__all__ = ["RECORD_KINDS", "CsvSource", "JsonlSource"]


@dataclass(frozen=True)
class RecordKind:
    """One kind of generic record: its columns by type, and where its rows go."""

    name: str
    key: str
    """The column that tells this kind: the first kind whose key a file has is its kind."""
    schema: pa.Schema
    batch_field: str
    required: tuple[str, ...]
    texts: tuple[str, ...] = ()
    ints: tuple[str, ...] = ()
    bools: tuple[str, ...] = ()
    times: tuple[str, ...] = ()
    choices: tuple[tuple[str, tuple[str, ...]], ...] = ()
    renamed: tuple[tuple[str, str], ...] = ()
    """(column in the file, field of the schema) where they differ."""

    @property
    def columns(self) -> tuple[str, ...]:
        lists = ("mentions",) if self.name == "message" else ()
        named = self.texts + self.ints + self.bools + self.times + lists
        return tuple(dict.fromkeys(("platform", *named, *(c for c, _ in self.choices))))


RECORD_KINDS = (
    RecordKind(
        "interaction",
        "actor_id",
        INTERACTION_SCHEMA,
        "interactions",
        required=("platform", "actor_id", "target_id", "kind", "created_at"),
        texts=("actor_id", "target_id", "message_id"),
        times=("created_at",),
        choices=(("kind", INTERACTION_KINDS),),
    ),
    RecordKind(
        "follow",
        "follower_id",
        FOLLOW_SCHEMA,
        "follows",
        required=("platform", "follower_id", "followed_id"),
        texts=("follower_id", "followed_id"),
        times=("followed_at",),
    ),
    RecordKind(
        "message",
        "message_id",
        MESSAGE_SCHEMA,
        "messages",
        required=("platform", "message_id", "author_id", "created_at"),
        texts=("message_id", "author_id", "author_handle", "text", "parent_id", "root_id"),
        ints=("likes", "shares", "replies"),
        bools=("public",),
        times=("created_at",),
        choices=(("kind", MESSAGE_KINDS),),
        renamed=(("public", "is_public"),),
    ),
    RecordKind(
        "account",
        "account_id",
        ACCOUNT_SCHEMA,
        "accounts",
        required=("platform", "account_id"),
        texts=("account_id", "handle", "display_name", "bio", "avatar_url", "profile_url"),
        ints=("followers", "following", "posts", "listed"),
        bools=("default_avatar", "verified"),
        times=("created_at", "last_post_at"),
    ),
)

_BY_NAME = {k.name: k for k in RECORD_KINDS}
_PLATFORM = r"^[a-z][a-z0-9_-]*$"
_BATCH_LINES = 50_000


def kind_of_columns(path: Path, columns: list[str]) -> RecordKind:
    """The record kind a CSV header names, or SourceError saying what is wrong with it."""
    kind = _kind_of_keys(columns)
    if kind is None:
        keys = ", ".join(k.key for k in RECORD_KINDS)
        raise SourceError(
            f"{path}: cannot tell what the rows are: a generic file has one of the"
            f" columns {keys} (see docs/formats.md)"
        )
    unknown = [c for c in columns if c not in kind.columns]
    if unknown:
        raise SourceError(
            f"{path}: unknown column(s) for {kind.name} records: {', '.join(unknown)}"
            f" (known: {', '.join(kind.columns)})"
        )
    return kind


def _kind_of_keys(keys: Iterable[str]) -> RecordKind | None:
    """The first kind, in RECORD_KINDS order, whose key column is among `keys`."""
    present = set(keys)
    return next((k for k in RECORD_KINDS if k.key in present), None)


def convert(
    kind: RecordKind,
    columns: dict[str, pa.Array],
    lines: np.ndarray,
    raw: Callable[[int], str],
) -> tuple[pa.Table, list[Reject]]:
    """Text columns of one kind to its schema; bad rows become rejects with their lines."""
    size = len(lines)
    text = {c: blank_to_null(columns.get(c, pa.nulls(size, pa.string()))) for c in kind.columns}
    checked = Checked(size)
    for column in kind.required:
        checked.require(text[column], column)
    checked.flag(
        ~np.asarray(
            pc.fill_null(pc.match_substring_regex(text["platform"], _PLATFORM), True).to_numpy(
                zero_copy_only=False
            ),
            dtype=bool,
        ),
        "platform must be a lower-case word such as twitter or mastodon",
    )
    out: dict[str, Any] = {c: text[c] for c in kind.texts}
    out["platform"] = text["platform"]
    for column, convert_one, what in (
        *((c, to_int, "a whole number") for c in kind.ints),
        *((c, to_bool, "true or false") for c in kind.bools),
        *((c, to_iso_time, "an ISO 8601 time such as 2026-03-01T14:05:00Z") for c in kind.times),
    ):
        out[column], bad = convert_one(text[column])
        checked.flag(bad, f"{column} is not {what}")
    for column, allowed in kind.choices:
        lowered = pc.utf8_lower(pc.utf8_trim_whitespace(text[column]))
        known = pc.is_in(lowered, pa.array(allowed))
        bad = np.asarray(
            pc.and_kleene(pc.is_valid(lowered), pc.invert(known)).to_numpy(zero_copy_only=False),
            dtype=bool,
        )
        checked.flag(bad, f"{column} must be one of {', '.join(allowed)}")
        out[column] = lowered
    if kind.name == "message" and "mentions" in columns:
        cells = pc.fill_null(columns["mentions"], "")
        out["mentions"] = pc.split_pattern_regex(
            pc.utf8_lower(pc.utf8_trim(cells, " ,\t\n")), r"[\s,]+"
        )
        out["mentions"] = pc.if_else(
            pc.equal(pc.utf8_trim_whitespace(cells), ""),
            pa.scalar([], pa.list_(pa.string())),
            out["mentions"],
        )
    for source_name, field_name in kind.renamed:
        out[field_name] = out.pop(source_name)
    out["line"] = pa.array(lines, pa.int64())
    result = table(kind.schema, out, size).filter(checked.good())
    return result, checked.rejects(lines, raw)


@register
class CsvSource:
    """Generic CSV: one kind of record per file."""

    name: ClassVar[str] = "csv"
    version: ClassVar[str] = "1"

    def __init__(self, options: SourceOptions) -> None:
        self.options = options

    def read(self, path: Path) -> Iterator[Batch]:
        if path.is_dir():
            raise SourceError(f"{path}: is a folder; give the CSV files themselves")
        scan = CsvScan(path)
        try:
            kind = kind_of_columns(path, scan.header)
            for raw_batch, lines in scan.batches():
                columns = {name: raw_batch.column(i) for i, name in enumerate(scan.header)}

                def raw(i: int, batch: pa.RecordBatch = raw_batch) -> str:
                    cells = (c[i].as_py() for c in batch.columns)
                    return ",".join("" if v is None else str(v) for v in cells)

                records, rejects = convert(kind, columns, lines, raw)
                unreadable = scan.take_rejects()
                yield Batch(
                    rejects=rejects + unreadable,
                    rows=raw_batch.num_rows + len(unreadable),
                    progress=scan.bytes_read,
                    **{kind.batch_field: records},
                )
            tail = scan.take_rejects()
            if tail:
                yield Batch(rejects=tail, rows=len(tail), progress=scan.bytes_read)
        finally:
            scan.close()


@register
class JsonlSource:
    """Generic JSON Lines: one object a line, kinds may be mixed."""

    name: ClassVar[str] = "jsonl"
    version: ClassVar[str] = "1"

    def __init__(self, options: SourceOptions) -> None:
        self.options = options

    def read(self, path: Path) -> Iterator[Batch]:
        if path.is_dir():
            raise SourceError(f"{path}: is a folder; give the JSON Lines files themselves")
        with path.open("rb") as handle:
            if handle.read(2) in (b"\xff\xfe", b"\xfe\xff"):
                raise SourceError(f"{path}: the file is UTF-16; save it as UTF-8")
            handle.seek(0)
            pending: list[tuple[int, bytes]] = []
            for number, line in enumerate(handle, start=1):
                if line.strip():
                    pending.append((number, line))
                if len(pending) >= _BATCH_LINES:
                    yield _jsonl_batch(pending, handle.tell())
                    pending = []
            if pending:
                yield _jsonl_batch(pending, handle.tell())


def _jsonl_batch(lines: list[tuple[int, bytes]], progress: int) -> Batch:
    rejects: list[Reject] = []
    grouped: dict[str, list[tuple[int, str, dict[str, str | None]]]] = {}
    for number, line in lines:
        raw = line.decode("utf-8", "replace").rstrip("\r\n")
        try:
            obj = json.loads(line)
        except UnicodeDecodeError:
            rejects.append(Reject(number, "not UTF-8 text; save the file as UTF-8", raw))
            continue
        except json.JSONDecodeError as exc:
            rejects.append(Reject(number, f"not valid JSON ({exc.msg})", raw))
            continue
        problem, kind, cells = _cells(obj)
        if problem:
            rejects.append(Reject(number, problem, raw))
        else:
            grouped.setdefault(kind, []).append((number, raw, cells))
    batch = Batch(rejects=rejects, rows=len(lines), progress=progress)
    for name, rows in grouped.items():
        record_kind = _BY_NAME[name]
        present = {c for _, _, cells in rows for c in cells}
        columns = {
            c: pa.array([cells.get(c) for _, _, cells in rows], pa.string()) for c in present
        }
        numbers = np.array([n for n, _, _ in rows], dtype=np.int64)
        texts = [text for _, text, _ in rows]
        records, bad = convert(record_kind, columns, numbers, texts.__getitem__)
        setattr(batch, record_kind.batch_field, records)
        batch.rejects.extend(bad)
    return batch


def _cells(obj: object) -> tuple[str | None, str, dict[str, str | None]]:
    """(problem, kind name, cells as text) of one JSON object."""
    if not isinstance(obj, dict):
        return "each line must be a JSON object", "", {}
    fields = dict(obj)
    named = fields.pop("type", None)
    if named is not None:
        kind = _BY_NAME.get(str(named))
        if kind is None:
            return f"unknown type {named!r}; use one of {', '.join(_BY_NAME)}", "", {}
    else:
        found = _kind_of_keys(fields)
        if found is None:
            return 'cannot tell the record\'s kind: give a "type" field', "", {}
        kind = found
    unknown = [k for k in fields if k not in kind.columns]
    if unknown:
        return f"unknown field(s) for a {kind.name}: {', '.join(unknown)}", "", {}
    cells: dict[str, str | None] = {}
    for key, value in fields.items():
        if isinstance(value, dict):
            return f"{key} holds an object; give text, a number or true/false", "", {}
        if isinstance(value, bool):
            cells[key] = "true" if value else "false"
        elif isinstance(value, list):
            cells[key] = " ".join(str(v) for v in value)
        else:
            cells[key] = None if value is None else str(value)
        try:
            (cells[key] or "").encode("utf-8")
        except UnicodeEncodeError as exc:
            return f"{key} holds an unpaired surrogate ({exc.object[exc.start]!r})", "", {}
    return None, kind.name, cells
