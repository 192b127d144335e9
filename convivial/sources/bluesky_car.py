"""`bluesky-car`: a Bluesky repository export (`repo.car`, from Settings > Export my data, or
`com.atproto.sync.getRepo`): every record the account wrote, in a CAR file of DAG-CBOR blocks.

Rules:
- **Owner** (the brand; its team is `--team`, else the owner's DID): the repository's DID, from
  its signed commit. A repository holds DIDs, not handles, so the owner and every account it
  likes, reposts or follows are keyed by DID.
- A record's key (`collection/rkey`) is found in the repository's Merkle search tree; its
  `at://DID/collection/rkey` URI is its id, as the API gives it, so an export and a fetch of the
  same posts overlap without doubles.
- **Posts** (`app.bsky.feed.post`) are messages of the owner, read as the `bluesky` fetch reads
  a post (`sources.bluesky.post_records`): reply parent and root, quotes, mentions.
- **Likes** and **reposts** are `like` and `share` interactions of the owner with the author of
  the subject post (the DID of its URI); **follows** (`app.bsky.graph.follow`) are follows of the
  subject DID. The profile (`app.bsky.actor.profile`) gives the owner's name and bio.
- The file is read in two streamed passes, never whole: the first keeps the commit and the tree's
  nodes, the second reads the records. A block that is not DAG-CBOR, or a record without its
  time, is rejected with its block number; a file cut short fails with where.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any, ClassVar

import libipld

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
from convivial.sources.bluesky import PLATFORM, post_records
from convivial.sources.profiles import profile_text, profile_time

__all__ = ["BlueskyCarSource"]

_BATCH = 20_000
"""Records per batch."""

_REACTIONS = {"app.bsky.feed.like": "like", "app.bsky.feed.repost": "share"}


@register
class BlueskyCarSource:
    """Reads a Bluesky repository export (CAR)."""

    name: ClassVar[str] = "bluesky-car"
    version: ClassVar[str] = "1"

    def __init__(self, options: SourceOptions) -> None:
        self.team = options.team

    def read(self, path: Path) -> Iterator[Batch]:
        commit, nodes = _structure(path)
        did = str(commit["did"])
        keys = _record_keys(nodes, commit["data"])
        rows: dict[str, list[dict[str, Any]]] = {"messages": [], "interactions": [], "follows": []}
        rejects: list[Reject] = []
        owner = {"platform": PLATFORM, "account_id": did, "handle": None}
        read = 0
        with path.open("rb") as stream:
            _header(stream, path)
            for number, cid, data in _blocks(stream, path):
                key = keys.get(cid)
                if key is None:
                    continue
                read += 1
                try:
                    record = libipld.decode_dag_cbor(data)
                    found = _rows(did, key, record)
                except ValueError as exc:
                    rejects.append(Reject(number, f"block {number} ({key}): {exc}", key))
                    continue
                if "profile" in found:
                    owner.update(found.pop("profile"))
                for table, new in found.items():
                    rows[table] += [{**row, "line": number} for row in new]
                if read % _BATCH == 0:
                    yield records_batch(rows, rejects=rejects, rows=_BATCH, progress=stream.tell())
                    rows = {table: [] for table in rows}
                    rejects = []
            end = stream.tell()
        host = brand(self.team, PLATFORM, did)
        yield records_batch({"accounts": [owner]}, hosts=records_table(HOST_SCHEMA, [host]))
        yield records_batch(rows, rejects=rejects, rows=read % _BATCH, progress=end)


def _rows(did: str, key: str, record: Any) -> dict[str, Any]:
    """What one record of the repository says, by table; ValueError when it cannot be read."""
    collection = key.partition("/")[0]
    if not isinstance(record, dict):
        raise ValueError("not a record")
    uri = f"at://{did}/{key}"
    at = profile_time(record.get("createdAt"))
    if collection == "app.bsky.actor.profile":
        return {
            "profile": {
                "display_name": profile_text(record.get("displayName")),
                "bio": profile_text(record.get("description")),
                "default_avatar": record.get("avatar") is None,
                "created_at": at,
            }
        }
    if at is None:
        raise ValueError("no createdAt time")
    if collection == "app.bsky.feed.post":
        post = {"uri": uri, "record": record, "author": {"did": did}}
        return {"messages": post_records(post)["messages"]}
    subject = record.get("subject")
    if collection in _REACTIONS:
        target = _did_of(subject.get("uri") if isinstance(subject, dict) else None)
        interaction = {
            "platform": PLATFORM,
            "actor_id": did,
            "target_id": target,
            "kind": _REACTIONS[collection],
            "created_at": at,
            "message_id": str(subject["uri"]) if isinstance(subject, dict) else None,
        }
        return {"interactions": [interaction]}
    if collection == "app.bsky.graph.follow":
        if not isinstance(subject, str) or not subject.startswith("did:"):
            raise ValueError("a follow without the followed account's DID")
        follow = {"platform": PLATFORM, "follower_id": did, "followed_id": subject}
        return {"follows": [{**follow, "followed_at": at}]}
    return {}


def _did_of(uri: Any) -> str:
    """The DID of an `at://DID/collection/rkey` URI."""
    if not isinstance(uri, str) or not uri.startswith("at://did:"):
        raise ValueError(f"a subject that is not an at://DID URI: {uri!r}")
    return uri[len("at://") :].split("/", 1)[0]


def _structure(path: Path) -> tuple[dict[str, Any], dict[bytes, Any]]:
    """The first pass: the commit the CAR's root names, and the tree's nodes by CID."""
    nodes: dict[bytes, Any] = {}
    commits: dict[bytes, Any] = {}
    with path.open("rb") as stream:
        roots = _header(stream, path)
        for _, cid, data in _blocks(stream, path):
            if cid in roots or data[:1] in _MAP_OF_2:
                try:
                    block = libipld.decode_dag_cbor(data)
                except ValueError:
                    continue
                if cid in roots:
                    commits[cid] = block
                elif isinstance(block, dict) and set(block) == {"l", "e"}:
                    nodes[cid] = block
    commit = next(iter(commits.values()), None)
    if not isinstance(commit, dict) or "did" not in commit or "data" not in commit:
        raise SourceError(f"{path}: no repository commit (a CAR of a Bluesky repository?)")
    return commit, nodes


_MAP_OF_2 = (b"\xa2",)
"""A tree node is a DAG-CBOR map of two entries (`l`, `e`): the first byte tells."""


def _record_keys(nodes: dict[bytes, Any], root: bytes) -> dict[bytes, str]:
    """Each record's CID and its key (`collection/rkey`), walking the Merkle search tree from
    `root`: an entry's key is the first `p` bytes of the previous key followed by its `k`."""
    keys: dict[bytes, str] = {}
    pending = [root]
    while pending:
        node = nodes.get(pending.pop())
        if node is None:
            continue
        if node["l"] is not None:
            pending.append(node["l"])
        previous = b""
        for entry in node["e"]:
            key = previous[: entry["p"]] + entry["k"]
            keys[entry["v"]] = key.decode("utf-8", "replace")
            previous = key
            if entry["t"] is not None:
                pending.append(entry["t"])
    return keys


def _header(stream: IO[bytes], path: Path) -> set[bytes]:
    """The CAR header's roots."""
    size = _varint(stream, path)
    if size is None:
        raise SourceError(f"{path}: the file is empty")
    data = stream.read(size)
    try:
        header = libipld.decode_dag_cbor(data) if len(data) == size else None
    except ValueError:
        header = None
    if header is None:
        raise SourceError(f"{path}: not a CAR file (it does not begin with a CAR header)")
    if not isinstance(header, dict) or header.get("version") != 1:
        raise SourceError(f"{path}: not a CAR version 1 file")
    return set(header.get("roots") or [])


def _blocks(stream: IO[bytes], path: Path) -> Iterator[tuple[int, bytes, bytes]]:
    """(block number from 1, CID, data) of each block, the header read."""
    number = 0
    while (size := _varint(stream, path)) is not None:
        number += 1
        block = _exactly(stream, size, path)
        length = _cid_length(block)
        yield number, block[:length], block[length:]


def _cid_length(block: bytes) -> int:
    """The length of the CID (v1: version, codec, hash code, digest size, digest) at the start."""
    at = 0
    for _ in range(3):
        _, at = _varint_at(block, at)
    size, at = _varint_at(block, at)
    return at + size


def _varint_at(data: bytes, at: int) -> tuple[int, int]:
    value = shift = 0
    while True:
        byte = data[at]
        at += 1
        value |= (byte & 0x7F) << shift
        if byte < 0x80:
            return value, at
        shift += 7


def _varint(stream: IO[bytes], path: Path) -> int | None:
    """The next unsigned varint, or None at the end of the file."""
    value = shift = 0
    while byte := stream.read(1):
        value |= (byte[0] & 0x7F) << shift
        if byte[0] < 0x80:
            return value
        shift += 7
    if shift:
        raise SourceError(f"{path}: cut short at byte {stream.tell():,}, inside a length")
    return None


def _exactly(stream: IO[bytes], size: int, path: Path) -> bytes:
    data = stream.read(size)
    if len(data) < size:
        raise SourceError(
            f"{path}: cut short at byte {stream.tell():,} (a block of {size:,} bytes is"
            f" missing {size - len(data):,}); nothing of it was imported"
        )
    return data
