"""Rows: a list as long as the audience or the community (every follower, every member, every
strong tie), held as one Arrow table rather than a Python dict per row.

To whoever reads a report it is a sequence of row dicts (`len`, index, slice, iterate); the rows
are made as they are read, so a report of millions of followers keeps only their columns in
memory, and a kept report stores them as Arrow (`to_ipc`, `from_ipc`)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any, overload

import pyarrow as pa

__all__ = ["Rows", "as_plain"]

BATCH = 10_000
"""Rows made at a time while iterating."""


class Rows(Sequence[dict[str, Any]]):
    """A read-only sequence of row dicts over an Arrow table."""

    __slots__ = ("table",)

    def __init__(self, table: pa.Table) -> None:
        self.table = table

    @classmethod
    def of(cls, columns: dict[str, Any]) -> Rows:
        """Rows from columns (name -> list or Arrow array), in the given order."""
        return cls(pa.table(columns))

    def __len__(self) -> int:
        return int(self.table.num_rows)

    @overload
    def __getitem__(self, index: int) -> dict[str, Any]: ...

    @overload
    def __getitem__(self, index: slice) -> list[dict[str, Any]]: ...

    def __getitem__(self, index: int | slice) -> dict[str, Any] | list[dict[str, Any]]:
        n = len(self)
        if isinstance(index, slice):
            start, stop, step = index.indices(n)
            if step == 1:
                rows: list[dict[str, Any]] = self.table.slice(
                    start, max(stop - start, 0)
                ).to_pylist()
                return rows
            return [self[i] for i in range(start, stop, step)]
        position = index + n if index < 0 else index
        if not 0 <= position < n:
            raise IndexError(f"row {index} of {n}")
        row: dict[str, Any] = self.table.slice(position, 1).to_pylist()[0]
        return row

    def __iter__(self) -> Iterator[dict[str, Any]]:
        for batch in self.table.to_batches(max_chunksize=BATCH):
            yield from batch.to_pylist()

    def column(self, name: str) -> list[Any]:
        """One column's values, in row order."""
        values: list[Any] = self.table.column(name).to_pylist()
        return values

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Sequence) and not isinstance(other, str | bytes):
            return list(self) == list(other)
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"Rows({len(self):,} rows: {', '.join(self.table.column_names)})"

    def to_ipc(self) -> bytes:
        """The table as an Arrow IPC stream, compressed (zstd)."""
        sink = pa.BufferOutputStream()
        options = pa.ipc.IpcWriteOptions(compression="zstd")
        with pa.ipc.new_stream(sink, self.table.schema, options=options) as writer:
            writer.write_table(self.table)
        data: bytes = sink.getvalue().to_pybytes()
        return data

    @classmethod
    def from_ipc(cls, data: bytes) -> Rows:
        """The rows `to_ipc` wrote."""
        return cls(pa.ipc.open_stream(pa.py_buffer(data)).read_all())


def as_plain(value: object) -> Any:
    """For `json.dumps(default=...)`: Rows as the list of their rows; anything else as str."""
    if isinstance(value, Rows):
        return list(value)
    return str(value)
