"""Asks (METRICS.md, "Host behaviour"): a message that promotes, calls the audience to act for
the business, or asks the audience for something:

- in any message, a call of `data/ask_phrases.txt` ("shop now", "sign up here", "tag a friend",
  "join us", "does anybody know") or a promotion code ("code SPOKES10");
- in a message not written to someone (it does not open with an @handle), also a phrase of
  `data/promotion_phrases.txt` that names a promotion ("sale", "giveaway", "newsletter") or asks
  the audience for help ("please share"), or a percentage off ("20% off"): in a reply these
  words answer a question about the promotion or ask the customer for details.

Whether a host wrote it, and what else it gives, is the metrics' business.
"""

from __future__ import annotations

from functools import cache

import numpy as np
import pyarrow as pa

from convivial.text.cleaning import words_only
from convivial.text.giving import addressed
from convivial.text.wordlists import matches, phrase_pattern, phrases

__all__ = ["LISTS", "asks", "is_ask"]

LISTS = ("ask_phrases", "promotion_phrases")
_PERCENT_OFF = r"\d{1,2}\s?%\s*(?i:off|discount)"
_CODE = r"(?i:code)\s*:?\s*[A-Z][A-Z0-9]{3,}\b"


@cache
def _patterns() -> tuple[str, str]:
    calls = f"{phrase_pattern(phrases('ask_phrases'))}|{_CODE}"
    return calls, f"{phrase_pattern(phrases('promotion_phrases'))}|{_PERCENT_OFF}"


def asks(texts: pa.Array) -> np.ndarray:
    """Whether each text asks (null text: no)."""
    calls, promotions = _patterns()
    words = words_only(texts)
    found: np.ndarray = matches(words, calls) | (matches(words, promotions) & ~addressed(texts))
    return found


def is_ask(text: str) -> bool:
    """Whether one text asks."""
    return bool(asks(pa.array([text]))[0])
