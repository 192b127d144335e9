"""Deflection (METRICS.md, "Service"): a host reply that moves the conversation off the public
channel: to direct or private messages, a call, email, a form or a chat (the phrases of
`data/deflection_phrases.txt`), or a phone number written out ("1-800-275-2273", "0345 606 0345").
"""

from __future__ import annotations

from functools import cache

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from convivial.text.cleaning import words_only
from convivial.text.wordlists import phrase_pattern, phrases

__all__ = ["LISTS", "deflections", "is_deflection"]

LISTS = ("deflection_phrases",)

# North American (1-800-555-0199, (800) 555 0199, 1-800-MY-APPLE) and UK/European numbers
# (0345 606 0345, +44 20 7946 0958): digits in groups, 9 to 13 of them.
_PHONE = (
    r"(?:^|[^0-9A-Za-z/])(?:"
    r"(?:\+?1[\s.-]?)?\(?[2-9]\d{2}\)?[\s.-]?\d{3}[\s.-]?\d{4}"
    r"|1[\s.-]?8\d{2}[\s.-]?[A-Z0-9]{3}[\s.-]?[A-Z0-9]{4}"
    r"|\+?\d{2,3}[\s.-]?\(?0?\)?\d{2,4}[\s.-]?\d{3,4}[\s.-]?\d{3,4}"
    r"|0\d{2,4}[\s.-]?\d{3}[\s.-]?\d{3,4}"
    r")(?:$|[^0-9A-Za-z/])"
)


@cache
def _pattern() -> str:
    return f"{phrase_pattern(phrases('deflection_phrases'))}|{_PHONE}"


def deflections(texts: pa.Array) -> np.ndarray:
    """Whether each text deflects (null text: no)."""
    found = pc.match_substring_regex(words_only(texts), _pattern())
    return np.asarray(found.to_numpy(zero_copy_only=False))


def is_deflection(text: str) -> bool:
    """Whether one text deflects."""
    return bool(deflections(pa.array([text]))[0])
