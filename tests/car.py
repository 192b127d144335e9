"""Writes Bluesky repositories as CAR files for tests: canonical DAG-CBOR blocks, CIDv1
(dag-cbor, sha-256), a signed-commit-shaped root and a Merkle search tree over the records."""

from __future__ import annotations

import hashlib
from typing import Any


class Link(bytes):
    """A CID, written as a DAG-CBOR link (tag 42)."""


def cbor(value: Any) -> bytes:
    """`value` as canonical DAG-CBOR (map keys by length, then bytes)."""
    if value is None:
        return b"\xf6"
    if isinstance(value, bool):
        return b"\xf5" if value else b"\xf4"
    if isinstance(value, int):
        return _head(0, value) if value >= 0 else _head(1, -1 - value)
    if isinstance(value, Link):
        return b"\xd8\x2a" + _head(2, len(value) + 1) + b"\x00" + bytes(value)
    if isinstance(value, bytes):
        return _head(2, len(value)) + value
    if isinstance(value, str):
        data = value.encode("utf-8")
        return _head(3, len(data)) + data
    if isinstance(value, list):
        return _head(4, len(value)) + b"".join(cbor(v) for v in value)
    if isinstance(value, dict):
        keys = sorted(value, key=lambda k: (len(k.encode()), k.encode()))
        return _head(5, len(keys)) + b"".join(cbor(k) + cbor(value[k]) for k in keys)
    raise TypeError(f"cannot write {type(value).__name__} as DAG-CBOR")


def _head(major: int, n: int) -> bytes:
    if n < 24:
        return bytes([major << 5 | n])
    for extra, size in ((24, 1), (25, 2), (26, 4), (27, 8)):
        if n < 1 << (8 * size):
            return bytes([major << 5 | extra]) + n.to_bytes(size, "big")
    raise ValueError(n)


def cid_of(data: bytes) -> Link:
    return Link(bytes([1, 0x71, 0x12, 0x20]) + hashlib.sha256(data).digest())


def varint(n: int) -> bytes:
    out = bytearray()
    while True:
        byte = n & 0x7F
        n >>= 7
        out.append(byte | (0x80 if n else 0))
        if not n:
            return bytes(out)


def repository(did: str, records: dict[str, dict[str, Any]], split: int = 2) -> bytes:
    """A CAR of `did`'s repository holding `records` by key (`collection/rkey`): a commit, a tree
    whose root keeps the keys from the `split`th on and a left subtree the first ones."""
    blocks: list[tuple[Link, bytes]] = []

    def block(value: Any) -> Link:
        data = cbor(value)
        cid = cid_of(data)
        blocks.append((cid, data))
        return cid

    links = {key: block(record) for key, record in sorted(records.items())}
    keys = sorted(links)
    left = block(_node(None, keys[:split], links)) if split else None
    root = block(_node(left, keys[split:], links))
    commit = block({"did": did, "version": 3, "data": root, "rev": "3l", "prev": None, "sig": b"s"})
    header = cbor({"roots": [commit], "version": 1})
    out = varint(len(header)) + header
    for cid, data in blocks:
        out += varint(len(cid) + len(data)) + bytes(cid) + data
    return out


def _node(left: Link | None, keys: list[str], links: dict[str, Link]) -> dict[str, Any]:
    entries, previous = [], b""
    for key in keys:
        raw = key.encode()
        shared = len(_common(previous, raw))
        entries.append({"p": shared, "k": raw[shared:], "v": links[key], "t": None})
        previous = raw
    return {"l": left, "e": entries}


def _common(a: bytes, b: bytes) -> bytes:
    n = 0
    while n < min(len(a), len(b)) and a[n] == b[n]:
        n += 1
    return a[:n]
