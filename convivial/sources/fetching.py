"""What the live fetches share: a chunk of fetched records with the cursor past it, and the
failure that stops a fetch (what was written before it stays)."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from convivial.sources.base import HOST_SCHEMA, Batch, records_batch, records_table

if TYPE_CHECKING:
    from convivial.store import FetchCursor

__all__ = ["Chunk", "FetchFailed", "Records", "chunk_of", "merge_records"]

Records = dict[str, list[dict[str, Any]]]
"""Records by kind: accounts, messages, interactions, follows."""


class FetchFailed(Exception):
    """The server could not be read; what was fetched before is kept. One line."""


@dataclass(frozen=True)
class Chunk:
    """Some pages of one stream, as records, with the cursor past them."""

    label: str
    batch: Batch
    cursor: FetchCursor
    digest: str
    items: int


def merge_records(out: Records, *found: Records) -> Records:
    """`out` with the rows of each of `found` added, kind by kind."""
    for records in found:
        for kind, rows in records.items():
            out.setdefault(kind, []).extend(rows)
    return out


def chunk_of(
    label: str,
    items: Sequence[Any],
    records: Records,
    cursor: FetchCursor,
    host: dict[str, str] | None,
) -> Chunk:
    """The chunk of `items` (the raw answers, for the digest) as `records`."""
    digest = hashlib.sha256(json.dumps(items, default=str, sort_keys=True).encode()).hexdigest()
    hosts = records_table(HOST_SCHEMA, [host]) if host else None
    batch = records_batch(records, hosts=hosts, rows=len(items))
    return Chunk(label, batch, cursor, digest, len(items))
