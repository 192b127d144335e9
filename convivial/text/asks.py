"""Asks (METRICS.md, "Host behaviour"): a message that promotes, calls the audience to act for
the business, or asks the audience for something: a phrase of `data/ask_phrases.txt` ("shop
now", "sign up", "tag a friend", "join us", "does anybody know"), a percentage off ("20% off"),
or a promotion code ("code SPOKES10"). Whether a host wrote it, and
what else it gives, is the metrics' business.
"""

from __future__ import annotations

from functools import cache

import numpy as np
import pyarrow as pa

from convivial.text.cleaning import words_only
from convivial.text.wordlists import matches, phrase_pattern, phrases

__all__ = ["LISTS", "asks", "is_ask"]

LISTS = ("ask_phrases",)
_PERCENT_OFF = r"\d{1,2}\s?%\s*(?i:off|discount)"
_CODE = r"(?i:code)\s*:?\s*[A-Z][A-Z0-9]{3,}\b"


@cache
def _pattern() -> str:
    return f"{phrase_pattern(phrases('ask_phrases'))}|{_PERCENT_OFF}|{_CODE}"


def asks(texts: pa.Array) -> np.ndarray:
    """Whether each text asks (null text: no)."""
    return matches(words_only(texts), _pattern())


def is_ask(text: str) -> bool:
    """Whether one text asks."""
    return bool(asks(pa.array([text]))[0])
