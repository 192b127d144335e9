"""`twcs`: the Kaggle "Customer Support on Twitter" CSV (Axelbrooke 2017).

Columns: tweet_id, author_id, inbound, created_at, text, response_tweet_id,
in_response_to_tweet_id (plus, in some copies, a leading unnamed index column). Brand tweets have
`inbound` False and the brand's handle as `author_id`; customers are anonymised integers. Each
brand becomes a team with that brand account; replies and @mentions become interactions by the
store's rules. `response_tweet_id` is redundant with the children's parent ids and is not read.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import ClassVar

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from convivial.sources.base import (
    HOST_SCHEMA,
    MESSAGE_SCHEMA,
    Batch,
    SourceError,
    SourceOptions,
    register,
    table,
)
from convivial.sources.columns import Checked, to_bool, to_int, to_time, twitter_text
from convivial.sources.csvscan import CsvScan

__all__ = ["TwcsSource"]

COLUMNS = (
    "tweet_id",
    "author_id",
    "inbound",
    "created_at",
    "text",
    "response_tweet_id",
    "in_response_to_tweet_id",
)
_INDEX_NAMES = ("", "Unnamed: 0", "index")
_TIME_FORMAT = "%a %b %d %H:%M:%S %z %Y"


@register
class TwcsSource:
    """Reads the TWCS CSV, streamed and columnar."""

    name: ClassVar[str] = "twcs"
    version: ClassVar[str] = "1"

    def __init__(self, options: SourceOptions) -> None:
        self.options = options

    def read(self, path: Path) -> Iterator[Batch]:
        if path.is_dir():
            raise SourceError(f"{path}: is a folder; the twcs source reads one CSV file")
        scan = CsvScan(path)
        try:
            index = _column_index(path, scan.header)
            for raw_batch, lines in scan.batches():
                yield _convert(raw_batch, lines, index, scan)
            tail = scan.take_rejects()
            if tail:
                yield Batch(rejects=tail, rows=len(tail), progress=scan.bytes_read)
        finally:
            scan.close()


def _column_index(path: Path, header: list[str]) -> dict[str, str]:
    """Maps each TWCS column to the scan's column name, or explains why this is not TWCS."""
    names = list(header)
    if names and names[0] in _INDEX_NAMES:
        names[0] = ""
    missing = [c for c in COLUMNS if c not in names]
    if missing:
        raise SourceError(
            f"{path}: not a TWCS file: missing column(s) {', '.join(missing)}"
            f" (found {', '.join(repr(h) for h in header[:8])});"
            " for your own data use the csv source (see docs/formats.md)"
        )
    unknown = [h for h in names if h and h not in COLUMNS]
    if unknown:
        raise SourceError(f"{path}: unknown column(s) for a TWCS file: {', '.join(unknown)}")
    return {name: f"c{i}" for i, name in enumerate(names) if name}


def _convert(raw: pa.RecordBatch, lines: np.ndarray, index: dict[str, str], scan: CsvScan) -> Batch:
    col = {name: raw.column(index[name]) for name in COLUMNS}
    checked = Checked(raw.num_rows)
    checked.require(col["tweet_id"], "tweet_id")
    checked.require(col["author_id"], "author_id")
    checked.require(col["created_at"], "created_at")
    tweet_id, bad = to_int(col["tweet_id"])
    checked.flag(bad, "tweet_id is not a number")
    inbound, bad = to_bool(col["inbound"])
    checked.flag(bad, "inbound is not True or False")
    created, bad = to_time(col["created_at"], _TIME_FORMAT)
    checked.flag(bad, "created_at is not a time like 'Tue Oct 31 22:10:47 +0000 2017'")
    parent, bad = to_int(col["in_response_to_tweet_id"])
    checked.flag(bad, "in_response_to_tweet_id is not a tweet id")

    good = checked.good()
    author = pc.utf8_trim_whitespace(col["author_id"])
    messages = table(
        MESSAGE_SCHEMA,
        {
            "platform": pa.repeat("twitter", raw.num_rows),
            "message_id": pc.cast(tweet_id, pa.string()),
            "author_id": author,
            "author_handle": author,
            "created_at": created,
            "text": twitter_text(col["text"]),
            "parent_id": pc.cast(parent, pa.string()),
            "kind": pc.if_else(pc.is_valid(parent), "reply", "post"),
            "line": pa.array(lines),
        },
        raw.num_rows,
    ).filter(good)
    is_brand = pc.and_(good, pc.equal(inbound, False))
    brands = pc.unique(pc.filter(author, pc.fill_null(is_brand, False)))
    hosts = table(
        HOST_SCHEMA,
        {
            "team": brands,
            "platform": pa.repeat("twitter", len(brands)),
            "account_ref": brands,
            "role": pa.repeat("brand", len(brands)),
        },
        len(brands),
    )

    def raw_row(i: int) -> str:
        return ",".join("" if v is None else str(v) for v in (c[i].as_py() for c in raw.columns))

    unreadable = scan.take_rejects()
    return Batch(
        messages=messages,
        hosts=hosts,
        rejects=checked.rejects(lines, raw_row) + unreadable,
        rows=raw.num_rows + len(unreadable),
        progress=scan.bytes_read,
    )
