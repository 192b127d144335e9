"""Asks (METRICS.md, "Host behaviour"): a message that promotes the business's own products,
services, work or events, or calls the audience to act for it:

- in any message, a call of `data/ask_phrases.txt` ("shop now", "sign up here", "tag a friend",
  "join us", "take our survey", "recruiting"), a promotion code ("code SPOKES10", "a FURN20
  code") or a link into a shop (its path holds "/shop", "/buy", "/join", "/tickets" ...);
- in a message not written to someone (it does not open with an @handle), also a phrase of
  `data/promotion_phrases.txt` that names a promotion ("sale", "giveaway", "newsletter") or a
  percentage off ("20% off", "save 20%"): in a reply these words answer a question about the
  promotion.

A question that only seeks information, advice or help ("does anybody know ...?") is no ask. The
phrases of `data/not_ask_phrases.txt` ("join us in DM") are taken out first. Whether a host wrote
it, and what else it gives, is the metrics' business.
"""

from __future__ import annotations

from functools import cache

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from convivial.text.cleaning import as_text, words_only
from convivial.text.giving import addressed
from convivial.text.wordlists import matches, phrase_pattern, phrases

__all__ = ["LISTS", "asks", "is_ask"]

LISTS = ("ask_phrases", "promotion_phrases", "not_ask_phrases")
_PERCENT_OFF = r"\d{1,2}\s?%\s*(?i:off|discount)|(?i:save|up\s+to)\s+\d{1,2}\s?%"
_CODE = r"(?i:code)\s*:?\s*[A-Z][A-Z0-9]{3,}\b|\b[A-Z][A-Za-z]*\d[A-Za-z0-9]*\s+(?i:code)\b"
_SHOP_LINK = (
    r"(?i)\b(?:https?://|www\.)[^\s/]+(?:/\S*)?/"
    r"(?:shop|store|buy|checkout|cart|join|subscribe|signup|register|tickets|donate)(?:$|[/?#.\s])"
)


@cache
def _patterns() -> tuple[str, str, str]:
    calls = f"{phrase_pattern(phrases('ask_phrases'))}|{_CODE}"
    promotions = f"{phrase_pattern(phrases('promotion_phrases'))}|{_PERCENT_OFF}"
    return calls, promotions, phrase_pattern(phrases("not_ask_phrases"))


def asks(texts: pa.Array) -> np.ndarray:
    """Whether each text asks (null text: no)."""
    calls, promotions, not_asks = _patterns()
    words = pc.replace_substring_regex(words_only(texts), not_asks, " ")
    found: np.ndarray = (
        matches(words, calls)
        | matches(as_text(texts), _SHOP_LINK)
        | (matches(words, promotions) & ~addressed(texts))
    )
    return found


def is_ask(text: str) -> bool:
    """Whether one text asks."""
    return bool(asks(pa.array([text]))[0])
