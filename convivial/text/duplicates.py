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
from collections.abc import Sequence

from datasketch import MinHash, MinHashLSH

__all__ = ["NUM_PERM", "SHINGLE", "THRESHOLD", "earlier_duplicates", "jaccard", "shingles"]

SHINGLE = 5
THRESHOLD = 0.8
NUM_PERM = 256
CANDIDATES = 0.6
"""The LSH index is tuned to return pairs above this estimated similarity, well below THRESHOLD,
so that pairs just above the threshold are not lost to the estimate's noise."""

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


def jaccard(a: set[str], b: set[str]) -> float:
    """Exact Jaccard similarity of two shingle sets (0 when both are empty)."""
    return len(a & b) / len(a | b) if a or b else 0.0


def earlier_duplicates(texts: Sequence[str | None]) -> list[int | None]:
    """For each text, in order, the index of the earliest earlier text it nearly duplicates
    (Jaccard ≥ THRESHOLD among the LSH index's candidates), else None."""
    sets = [shingles(t) for t in texts]
    present = [i for i, s in enumerate(sets) if s]
    hashes = MinHash.bulk([[s.encode() for s in sets[i]] for i in present], num_perm=NUM_PERM)
    by_index = dict(zip(present, hashes, strict=True))
    lsh = MinHashLSH(threshold=CANDIDATES, num_perm=NUM_PERM)
    out: list[int | None] = [None] * len(texts)
    for i, mh in by_index.items():
        found = [j for j in lsh.query(mh) if jaccard(sets[i], sets[j]) >= THRESHOLD]
        out[i] = min(found) if found else None
        lsh.insert(i, mh)
    return out
