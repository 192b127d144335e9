"""Near-duplicate posts (METRICS.md, "Host behaviour"): Jaccard similarity ≥ 0.8 of their word
5-shingles. MinHash signatures (datasketch) cut into LSH bands name the candidate pairs, so that
tens of thousands of posts are compared without comparing every pair: two posts are candidates
when their signatures agree on every value of at least one band. Each candidate is then
confirmed on its exact Jaccard, so the estimate's noise neither adds nor drops a pair at 0.8.

A text's words are its lower-cased letters and digits, links and @handles left out; a text of
fewer than five words is one shingle of all of them, and a text with no words at all is nobody's
duplicate.
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Sequence
from typing import Any

import numpy as np
from numpy.typing import NDArray

__all__ = ["BANDS", "NUM_PERM", "SHINGLE", "THRESHOLD", "earlier_duplicates", "jaccard", "shingles"]

SHINGLE = 5
THRESHOLD = 0.8
NUM_PERM = 108
BANDS = (18, 6)
"""LSH bands of 6 hash values each: a pair at Jaccard 0.8 shares at least one band with
probability 1 - (1 - 0.8**6)**18 = 0.996 (at 0.5: 0.25, a candidate the exact check drops)."""

_NOISE = re.compile(r"https?://\S+|www\.\S+|@\w+")
_WORD = re.compile(r"\w+")


def shingles(text: str | None) -> set[str]:
    """The text's word 5-shingles (a shorter text: one shingle of all its words)."""
    words = _WORD.findall(_NOISE.sub(" ", (text or "").lower()))
    if not words:
        return set()
    if len(words) < SHINGLE:
        return {" ".join(words)}
    return {" ".join(words[i : i + SHINGLE]) for i in range(len(words) - SHINGLE + 1)}


def _hash32(shingle: str) -> int:
    """A shingle's 32-bit hash (CRC-32: stable across runs, and fast)."""
    return zlib.crc32(shingle.encode())


def jaccard(a: set[str], b: set[str]) -> float:
    """Exact Jaccard similarity of two shingle sets (0 when both are empty)."""
    return len(a & b) / len(a | b) if a or b else 0.0


def _candidates(
    signatures: NDArray[np.unsignedinteger[Any]],
) -> tuple[NDArray[np.intp], NDArray[np.intp]]:
    """The LSH candidates: every pair of rows whose signatures agree on all values of at least
    one band, as its later rows and its earlier rows, sorted by later row, then earlier."""
    n = len(signatures)
    bands, rows = BANDS
    pairs = []
    for band in (signatures[:, b * rows : (b + 1) * rows] for b in range(bands)):
        # A band's key is its values' bytes (as in datasketch's MinHashLSH). Sorted stably, the
        # rows of each key make a run, in row order; each row pairs with those before it.
        keys = np.ascontiguousarray(band).view(f"V{band.itemsize * rows}").ravel()
        order = np.argsort(keys, kind="stable")
        sorted_keys = keys[order]
        new = np.concatenate(([True], sorted_keys[1:] != sorted_keys[:-1]))
        start = np.flatnonzero(new)[np.cumsum(new) - 1]  # the run's first position
        before = np.arange(n) - start
        later = np.repeat(order, before)
        kth = np.arange(len(later)) - np.repeat(np.cumsum(before) - before, before)
        earlier = order[np.repeat(start, before) + kth]
        pairs.append(later.astype(np.int64) * n + earlier)  # a pair as one number
    # Sorted, without the pairs that share several bands (np.unique is slower here).
    sorted_pairs = np.sort(np.concatenate(pairs))
    later, earlier = np.divmod(sorted_pairs[np.diff(sorted_pairs, prepend=-1) > 0], n)
    return later, earlier


def earlier_duplicates(texts: Sequence[str | None]) -> list[int | None]:
    """For each text, in order, the index of the earliest earlier text it nearly duplicates
    (Jaccard ≥ THRESHOLD among the LSH candidates), else None."""
    from datasketch import MinHash  # here: it loads SciPy, a third of a second

    sets = [shingles(t) for t in texts]
    out: list[int | None] = [None] * len(texts)
    # A text with the same shingles as an earlier one is that one's duplicate: only the first
    # of each set is hashed and compared.
    first: dict[frozenset[str], int] = {}
    copies: list[tuple[int, int]] = []
    for i, s in enumerate(sets):
        if s:
            key = frozenset(s)
            if key in first:
                copies.append((i, first[key]))
            else:
                first[key] = i
    unique = np.array(sorted(first.values()), dtype=np.intp)
    if len(unique):
        hashes = MinHash.bulk([sets[i] for i in unique], num_perm=NUM_PERM, hashfunc=_hash32)
        later, earlier = _candidates(np.stack([mh.hashvalues for mh in hashes]))
        # A text's candidates come in order: the first confirmed is the earliest it duplicates.
        settled = -1
        for i, j in zip(unique[later].tolist(), unique[earlier].tolist(), strict=True):
            if i != settled and jaccard(sets[i], sets[j]) >= THRESHOLD:
                out[i] = j
                settled = i
    for i, original in copies:
        out[i] = original if out[original] is None else out[original]
    return out
