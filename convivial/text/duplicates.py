"""Near-duplicate posts (METRICS.md, "Host behaviour"): Jaccard similarity ≥ 0.8 of their word
5-shingles. MinHash signatures (datasketch) in an LSH index name the candidate pairs, so that
tens of thousands of posts are compared without comparing every pair; each candidate is then
confirmed on its exact Jaccard, so the estimate's noise neither adds nor drops a pair at 0.8.

A text's words are its lower-cased letters and digits, links and @handles left out; a text of
fewer than five words is one shingle of all of them, and a text with no words at all is nobody's
duplicate.
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Sequence

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


def earlier_duplicates(texts: Sequence[str | None]) -> list[int | None]:
    """For each text, in order, the index of the earliest earlier text it nearly duplicates
    (Jaccard ≥ THRESHOLD among the LSH index's candidates), else None."""
    from datasketch import MinHash, MinHashLSH  # here: it loads SciPy, a third of a second

    sets = [shingles(t) for t in texts]
    out: list[int | None] = [None] * len(texts)
    # A text with the same shingles as an earlier one is that one's duplicate: only the first
    # of each set is hashed, indexed and compared.
    first: dict[frozenset[str], int] = {}
    copies: list[tuple[int, int]] = []
    for i, s in enumerate(sets):
        if s:
            key = frozenset(s)
            if key in first:
                copies.append((i, first[key]))
            else:
                first[key] = i
    unique = sorted(first.values())
    hashes = MinHash.bulk([sets[i] for i in unique], num_perm=NUM_PERM, hashfunc=_hash32)
    lsh = MinHashLSH(num_perm=NUM_PERM, params=BANDS)
    for i, mh in zip(unique, hashes, strict=True):
        for j in sorted(lsh.query(mh)):
            if jaccard(sets[i], sets[j]) >= THRESHOLD:
                out[i] = j
                break
        lsh.insert(i, mh)
    for i, original in copies:
        earlier = out[original]
        out[i] = original if earlier is None else earlier
    return out
