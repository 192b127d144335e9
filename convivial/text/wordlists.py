"""Word lists as data files, and the one way they become a pattern.

A list is `data/NAME.txt`: one phrase per line, `#` starts a comment. A phrase matches in any
letter case, as whole words (not inside a longer word), with any run of spaces between its words
and either apostrophe (straight or curly). Patterns are RE2 syntax, run vectorised by
`pyarrow.compute`.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from functools import cache
from importlib import resources

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

__all__ = ["digest", "matches", "opening_pattern", "phrase_pattern", "phrases"]

_EDGE = "[^A-Za-z0-9]"


@cache
def phrases(name: str) -> tuple[str, ...]:
    """The phrases of `data/NAME.txt`, in file order, lower-cased."""
    data = resources.files("convivial.text").joinpath("data")
    text = data.joinpath(f"{name}.txt").read_text("utf-8")
    out = []
    for line in text.splitlines():
        phrase = line.split("#", 1)[0].strip().lower()
        if phrase:
            out.append(phrase)
    return tuple(out)


def phrase_pattern(items: Iterable[str]) -> str:
    """A case-insensitive RE2 pattern matching any of `items` as whole words. The pattern is one
    group, its flag inside it: joined to other alternatives, it leaves their case alone."""
    return f"(?i:(?:^|{_EDGE})(?:{_alternatives(items)})(?:$|{_EDGE}))"


def opening_pattern(items: Iterable[str]) -> str:
    """A case-insensitive RE2 pattern matching a text that opens, after any hashtags, with one of
    `items` as whole words."""
    return rf"(?i:^\W*(?:#\w+\W+)*(?:{_alternatives(items)})(?:$|{_EDGE}))"


def matches(texts: pa.Array, pattern: str) -> np.ndarray:
    """Whether each of `texts` holds a match of `pattern`, as a boolean array."""
    return np.asarray(pc.match_substring_regex(texts, pattern).to_numpy(zero_copy_only=False))


def digest(names: Iterable[str]) -> str:
    """A short hash of the named lists' phrases: it changes whenever a list does."""
    h = hashlib.sha256()
    for name in names:
        h.update(name.encode())
        h.update("\n".join(phrases(name)).encode())
    return h.hexdigest()[:12]


def _alternatives(items: Iterable[str]) -> str:
    """The phrases as RE2 alternatives, longest first."""
    return "|".join(sorted({_phrase(p) for p in items}, key=len, reverse=True))


def _phrase(phrase: str) -> str:
    words = [re.escape(w).replace("'", "['\u2019]") for w in phrase.split()]
    return r"\s+".join(words)
