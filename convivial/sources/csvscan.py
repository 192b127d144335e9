"""Streamed CSV reading that keeps every good row, knows every row's line, and names bad ones.

Real exports are messy: quoted fields hold newlines, a stray carriage return sits in a field
that is not quoted, a row has a column too few, a file ends half-way through a quote. `CsvScan`
splits the byte stream into records itself, vectorised with NumPy: a record ends at a line feed
that is outside quotes, so a lone carriage return is text, not a line break. Each record gets its
first line number; records with the wrong number of fields or bytes that are not UTF-8 become
rejects. The good records go on to Arrow's multi-threaded CSV parser as text columns. A gzip
file (told by its first two bytes, whatever its name) is unpacked as it is read.
"""

from __future__ import annotations

import csv
import gzip
import io
import zlib
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pcsv

from convivial.sources.base import Reject, SourceError

__all__ = ["CsvScan"]

_LF, _CR, _QUOTE = 0x0A, 0x0D, 0x22
_CR_STAND_IN = b"\x1e"
"""Lone carriage returns travel through Arrow's parser as this byte and are put back after."""
_BLOCK = 8 << 20
_GZIP_MAGIC = b"\x1f\x8b"


class CsvScan:
    """One CSV file with a header line, read as batches of text columns plus line numbers.

    After `open`, `header` holds the column names. `batches()` yields `(batch, lines)` where
    `lines[i]` is the line on which row i starts; `take_rejects()` hands over the bad records
    found so far. `bytes_read` tells how far into the file (packed, for gzip) the scan has got.
    """

    def __init__(self, path: Path, delimiter: str = ",") -> None:
        self.path = path
        self._delim = ord(delimiter)
        self._raw = path.open("rb")
        self._file: io.BufferedIOBase = self._raw
        self._carry = b""
        self._next_line = 1
        self._eof = False
        self._rejects: list[Reject] = []
        self._has_stand_in = False
        self._padded = False
        """Whether a line feed was added after a last line that had none."""
        self._lone_cr = False
        self.bytes_read = 0
        try:
            gzipped = self._raw.read(2) == _GZIP_MAGIC
            self._raw.seek(0)
            if gzipped:
                self._file = gzip.GzipFile(fileobj=self._raw, mode="rb")
            self.header = self._read_header()
        except BaseException:
            self.close()
            raise
        self._names = [f"c{i}" for i in range(len(self.header))]

    def close(self) -> None:
        self._file.close()
        self._raw.close()

    def take_rejects(self) -> list[Reject]:
        """The bad records found since the last call."""
        out, self._rejects = self._rejects, []
        return out

    def batches(self) -> Iterator[tuple[pa.RecordBatch, np.ndarray]]:
        """Good rows as text columns (empty cells are null), with the line each starts on."""
        with ThreadPoolExecutor(1) as reader:
            ahead = reader.submit(self._next_rows)
            while (rows := ahead.result()) is not None:
                ahead = reader.submit(self._next_rows)
                yield rows

    def _next_rows(self) -> tuple[pa.RecordBatch, np.ndarray] | None:
        """The next chunk's good rows, scanned and parsed (ahead of the consumer, in a thread)."""
        chunk = self._next_chunk()
        if chunk is None:
            return None
        data, lines = chunk
        batch = self._parse(data, len(lines))
        if batch is None:
            batch, keep = self._parse_each(data, lines)
            lines = lines[keep]
        return self._restore_cr(batch), lines

    def _parse(self, data: bytes, expected: int) -> pa.RecordBatch | None:
        """Arrow's parse of a chunk, or None when it does not see the records the scan saw."""
        try:
            parsed = pcsv.read_csv(
                io.BytesIO(data),
                read_options=pcsv.ReadOptions(column_names=self._names, block_size=2 << 20),
                parse_options=pcsv.ParseOptions(
                    delimiter=chr(self._delim), newlines_in_values=True, ignore_empty_lines=True
                ),
                convert_options=pcsv.ConvertOptions(
                    column_types=dict.fromkeys(self._names, pa.string()),
                    null_values=[""],
                    strings_can_be_null=True,
                    quoted_strings_can_be_null=False,
                ),
            )
        except pa.ArrowInvalid:
            return None
        if parsed.num_rows != expected:
            return None
        return parsed.combine_chunks().to_batches()[0] if expected else None

    def _parse_each(self, data: bytes, lines: np.ndarray) -> tuple[pa.RecordBatch, np.ndarray]:
        """The slow, exact path: each record on its own, for chunks with odd quoting."""
        ends = self._record_ends(np.frombuffer(data, dtype=np.uint8))
        starts = np.concatenate([[0], ends[:-1] + 1])
        keep = np.zeros(len(starts), dtype=bool)
        rows: list[list[str | None]] = []
        for i, (a, b) in enumerate(zip(starts, ends, strict=True)):
            try:
                record = data[a:b].rstrip(b"\r").decode("utf-8")
            except UnicodeDecodeError as exc:
                raw = data[a:b]
                self._rejects.append(
                    Reject(
                        int(lines[i]),
                        f"not UTF-8 text (byte 0x{raw[exc.start]:02x}); save the file as UTF-8",
                        raw.decode("utf-8", "replace"),
                    )
                )
                continue
            try:
                parsed = list(
                    csv.reader(io.StringIO(record, newline=""), delimiter=chr(self._delim))
                )
            except csv.Error:
                parsed = []
            fields = parsed[0] if len(parsed) == 1 else []
            if len(fields) != len(self._names):
                self._rejects.append(
                    Reject(int(lines[i]), "malformed quoting: a quote inside a field", record)
                )
                continue
            keep[i] = True
            rows.append([f if f != "" else None for f in fields])
        columns = [pa.array([r[j] for r in rows], pa.string()) for j in range(len(self._names))]
        return pa.RecordBatch.from_arrays(columns, names=self._names), keep

    # -- scanning ---------------------------------------------------------------------------

    def _read_header(self) -> list[str]:
        head = self._read(4)
        if head.startswith((b"\xff\xfe", b"\xfe\xff")):
            raise SourceError(f"{self.path}: the file is UTF-16; save it as UTF-8 and import again")
        if head.startswith(b"\xef\xbb\xbf"):
            head = head[3:]
        self._carry = head
        if not head and not self._fill_more():
            raise SourceError(f"{self.path}: the file is empty")
        while True:
            ends = self._record_ends(np.frombuffer(self._carry, dtype=np.uint8))
            if len(ends) or not self._fill_more():
                break
        if not len(ends):
            self._carry += b"\n"
            ends = self._record_ends(np.frombuffer(self._carry, dtype=np.uint8))
            if not len(ends):
                raise SourceError(f"{self.path}:1: the header line never ends (unclosed quote)")
        raw, self._carry = self._carry[: ends[0]], self._carry[ends[0] + 1 :]
        self._next_line = 2 + raw.count(b"\n")
        try:
            text = raw.rstrip(b"\r").decode("utf-8")
        except UnicodeDecodeError as exc:
            raise SourceError(f"{self.path}:1: the file is not UTF-8 ({exc.reason})") from None
        if not text.strip():
            raise SourceError(f"{self.path}:1: the header line is empty")
        rows = list(csv.reader([text], delimiter=chr(self._delim)))
        return [name.strip() for name in rows[0]]

    def _fill_more(self) -> bool:
        block = self._read(_BLOCK)
        self.bytes_read = self._raw.tell()
        if not block:
            self._eof = True
            return False
        self._carry += block
        return True

    def _read(self, size: int) -> bytes:
        """Up to `size` bytes of the file, unpacked when it is gzip."""
        try:
            return self._file.read(size)
        except (EOFError, zlib.error, gzip.BadGzipFile) as exc:
            raise SourceError(
                f"{self.path}: the gzip file is damaged or truncated ({exc})"
            ) from None

    def _record_ends(self, arr: np.ndarray) -> np.ndarray:
        """Positions of the line feeds that end a record (an even number of quotes before)."""
        quotes = np.flatnonzero(arr == _QUOTE)
        feeds = np.flatnonzero(arr == _LF)
        ends: np.ndarray = feeds[np.searchsorted(quotes, feeds) % 2 == 0]
        return ends

    def _next_chunk(self) -> tuple[bytes, np.ndarray] | None:
        """The next run of good records as bytes, with their first lines; None at the end."""
        while True:
            if self._eof and not self._carry:
                return None
            if not self._eof:
                self._fill_more()
            buf = self._carry
            if not buf:
                return None
            if self._eof and not buf.endswith(b"\n"):
                self._padded = True
                buf += b"\n"
            arr = np.frombuffer(buf, dtype=np.uint8)
            ends = self._record_ends(arr)
            if not len(ends):
                if self._eof:
                    self._reject_tail(buf)
                    self._carry = b""
                    return None
                continue
            cut = int(ends[-1]) + 1
            self._carry = buf[cut:]
            out = self._good_records(buf[:cut], arr[:cut], ends)
            if self._eof and self._carry:
                self._reject_tail(self._carry)
                self._carry = b""
            if len(out[1]):
                return out

    def _reject_tail(self, tail: bytes) -> None:
        self._rejects.append(
            Reject(
                self._next_line,
                "a quoted field never closes (is the file truncated?)",
                (tail[:-1] if self._padded else tail).decode("utf-8", "replace"),
            )
        )
        self._next_line += tail.count(b"\n")

    def _good_records(
        self, buf: bytes, arr: np.ndarray, ends: np.ndarray
    ) -> tuple[bytes, np.ndarray]:
        starts = np.concatenate([[0], ends[:-1] + 1])
        feeds = np.flatnonzero(arr == _LF)
        lines = self._next_line + np.searchsorted(feeds, starts)
        self._next_line += len(feeds)
        quotes = np.flatnonzero(arr == _QUOTE)
        delims = np.flatnonzero(arr == self._delim)
        delims = delims[np.searchsorted(quotes, delims) % 2 == 0]
        fields = np.searchsorted(delims, ends) - np.searchsorted(delims, starts) + 1
        length = ends - starts - (arr[np.maximum(ends - 1, 0)] == _CR)
        keep = length > 0
        bad = keep & (fields != len(self.header))
        for i in np.flatnonzero(bad):
            raw = buf[starts[i] : ends[i]].rstrip(b"\r").decode("utf-8", "replace")
            self._rejects.append(
                Reject(
                    int(lines[i]),
                    f"expected {len(self.header)} columns, found {fields[i]}",
                    raw,
                )
            )
        keep &= ~bad
        if keep.all():
            out = buf
        else:
            out = b"".join(buf[s : e + 1] for s, e in zip(starts[keep], ends[keep], strict=True))
        return self._hide_lone_cr(out), lines[keep].astype(np.int64)

    def _hide_lone_cr(self, out: bytes) -> bytes:
        self._has_stand_in = self._has_stand_in or _CR_STAND_IN in out
        if b"\r" not in out:
            return out
        arr = np.frombuffer(out, dtype=np.uint8)
        crs = np.flatnonzero(arr == _CR)
        lone = crs[arr[np.minimum(crs + 1, len(arr) - 1)] != _LF]
        if not len(lone):
            return out
        self._lone_cr = True
        if self._has_stand_in:
            raise SourceError(
                f"{self.path}: the file holds both bare carriage returns and 0x1E bytes;"
                " convivial cannot read it unambiguously"
            )
        changed = bytearray(out)
        for pos in lone:
            changed[pos] = _CR_STAND_IN[0]
        return bytes(changed)

    def _restore_cr(self, batch: pa.RecordBatch) -> pa.RecordBatch:
        if not self._lone_cr:
            return batch
        columns = [pc.replace_substring(batch.column(n), "\x1e", "\r") for n in self._names]
        return pa.RecordBatch.from_arrays(columns, names=self._names)
