"""Importing files: the one path every file takes into the store, the demo's included.

`import_files` hashes each file, skips bytes already imported by the same source, streams the
source's batches into one transaction per file, and under `strict` stops at the first bad row
with `file:line: reason` and nothing written.
"""

from __future__ import annotations

import hashlib
import queue
import threading
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from convivial.sources import Batch, Source, SourceError, SourceOptions, get_source
from convivial.store import FetchCursor, ImportRecord, Store

__all__ = [
    "Fetched",
    "FileImport",
    "ImportFailed",
    "import_fetched",
    "import_file",
    "import_files",
]

Progress = Callable[[Path, int, int, int], None]
"""Called with (file, bytes done, bytes in all, rows done) as an import goes."""


class ImportFailed(Exception):
    """A file could not be imported; nothing of it was written. The message is one line."""


@dataclass(frozen=True)
class FileImport:
    """What importing one file did."""

    path: Path
    record: ImportRecord
    already_imported: bool
    first_rejects: list[tuple[int | None, str]]
    """Up to ten (line, reason) of the rejected rows, to show."""


def import_files(
    store: Store,
    source_name: str,
    paths: Iterable[Path],
    *,
    team: str | None = None,
    team_by: str | None = None,
    followed: tuple[str, ...] = (),
    strict: bool = False,
    progress: Progress | None = None,
    done: Callable[[FileImport], None] | None = None,
) -> list[FileImport]:
    """Import each path in turn, calling `done` after each; a failing file raises before later
    ones are read (the earlier ones stay imported)."""
    options = SourceOptions(team=team, team_by=team_by, followed=followed)
    source = get_source(source_name, options)
    results = []
    for path in paths:
        result = import_file(
            store,
            source_name,
            path,
            strict=strict,
            progress=progress,
            source=source,
        )
        if done is not None:
            done(result)
        results.append(result)
    return results


def import_file(
    store: Store,
    source_name: str,
    path: Path,
    *,
    strict: bool = False,
    progress: Progress | None = None,
    source: Source | None = None,
) -> FileImport:
    """Import one file (or folder export) in one transaction. Its messages are labelled
    (`text.labels`) later, by the first command that reads labels (`Store.refresh_labels`)."""
    reader = source if source is not None else get_source(source_name)
    if not path.exists():
        raise ImportFailed(f"{path}: no such file or folder")
    size = _size(path)
    digest = _sha256(path)
    earlier = store.find_import(source_name, digest)
    if earlier is not None:
        return FileImport(path, earlier, True, [])
    shown: list[tuple[int | None, str]] = []
    try:
        with store.begin_import(source_name, reader.version, str(path), digest) as writer:
            for batch in _ahead(reader.read(path)):
                if strict and batch.rejects:
                    first = min(batch.rejects, key=lambda r: r.line or 0)
                    where = f"{path}:{first.line}" if first.line is not None else str(path)
                    raise ImportFailed(f"{where}: {first.reason}")
                shown.extend((r.line, r.reason) for r in batch.rejects[: 10 - len(shown)])
                writer.write(batch)
                if progress is not None:
                    progress(path, batch.progress, size, writer.rows_read)
            if writer.rows_read == 0:
                raise ImportFailed(f"{path}: no rows to import (only a header?)")
            import_id = writer.import_id
    except SourceError as exc:
        raise ImportFailed(str(exc)) from None
    except UnicodeDecodeError as exc:
        raise ImportFailed(f"{path}: not UTF-8 text ({exc.reason}); save it as UTF-8") from None
    record = next(r for r in store.imports() if r.import_id == import_id)
    return FileImport(path, record, False, sorted(shown, key=lambda s: s[0] or 0))


class Fetched(Protocol):
    """A chunk of a live fetch: records, the cursor past them, a label and a digest."""

    @property
    def label(self) -> str: ...
    @property
    def batch(self) -> Batch: ...
    @property
    def cursor(self) -> FetchCursor: ...
    @property
    def digest(self) -> str: ...


def import_fetched(
    store: Store,
    source_name: str,
    source_version: str,
    chunks: Iterable[Fetched],
    done: Callable[[Fetched, ImportRecord], None] | None = None,
) -> list[ImportRecord]:
    """Write each fetched chunk in its own transaction with its cursor (so a failure keeps the
    chunks before it, and the next fetch resumes after them)."""
    records = []
    for chunk in chunks:
        with store.begin_fetch(
            source_name, source_version, chunk.label, chunk.digest, chunk.cursor
        ) as writer:
            writer.write(chunk.batch)
            import_id = writer.import_id
        record = next(r for r in store.imports() if r.import_id == import_id)
        records.append(record)
        if done is not None:
            done(chunk, record)
    return records


def _ahead(batches: Iterator[Batch], depth: int = 2) -> Iterator[Batch]:
    """The same batches, read by a thread up to `depth` ahead, so that a source parses the next
    batch while the store writes this one (both release the interpreter lock)."""
    ready: queue.Queue[tuple[str, object]] = queue.Queue(maxsize=depth)
    stop = threading.Event()

    def produce() -> None:
        try:
            for batch in batches:
                while not stop.is_set():
                    try:
                        ready.put(("batch", batch), timeout=0.1)
                        break
                    except queue.Full:
                        continue
                if stop.is_set():
                    return
            ready.put(("end", None))
        except BaseException as exc:  # handed to the consumer, which raises it
            ready.put(("error", exc))
        finally:
            close = getattr(batches, "close", None)
            if close is not None:
                close()

    worker = threading.Thread(target=produce, name="source-reader", daemon=True)
    worker.start()
    try:
        while True:
            kind, item = ready.get()
            if kind == "end":
                return
            if kind == "error":
                assert isinstance(item, BaseException)
                raise item
            assert isinstance(item, Batch)
            yield item
    finally:
        stop.set()
        while worker.is_alive():
            try:
                ready.get(timeout=0.1)
            except queue.Empty:
                continue
        worker.join()


def _size(path: Path) -> int:
    if path.is_dir():
        return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())
    return path.stat().st_size


def _sha256(path: Path) -> str:
    """The hash of a file, or of a folder's files in name order."""
    digest = hashlib.sha256()
    files = sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path]
    for file in files:
        if path.is_dir():
            digest.update(str(file.relative_to(path)).encode())
        with file.open("rb") as handle:
            while chunk := handle.read(8 << 20):
                digest.update(chunk)
    return digest.hexdigest()
