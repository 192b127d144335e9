"""What a host message's text says about whether it gives (METRICS.md, "Host behaviour", as
docs/metrics.md reads it):

- `chatter`: a post of personal status or small talk, nothing the audience can use: it opens
  (after any hashtags) with a phrase of `data/chatter_openers.txt` ("I'm", "on my way", "good
  morning"), speaks of its writer in the first person singular ("I", "me", "my") and carries no
  link (a diary entry, not a pointer to something to read), or has fewer than three words
  besides links, @handles and hashtags;
- `addressed`: the text opens with an @handle: it is written to someone, even when the message
  it answers is not in the data.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from convivial.text.cleaning import LINK, as_text, words_only
from convivial.text.wordlists import matches, opening_pattern, phrase_pattern, phrases

__all__ = ["LISTS", "GivingSignals", "addressed", "giving_signals"]

LISTS = ("chatter_openers",)
_WORD = r"[^\s!-/:-@\[-`{-~]+"  # anything but spaces and ASCII punctuation
_GAP = r"[\s!-/:-@\[-`{-~]+"
_THREE_WORDS = _WORD + _GAP + _WORD + _GAP + _WORD
_ADDRESSED = r"^\s*\.?@[A-Za-z0-9_]"
_FIRST_PERSON = phrase_pattern(("i", "me", "my", "mine", "myself"))


@dataclass(frozen=True)
class GivingSignals:
    """The two signals of a batch of texts, each a boolean array in the texts' order."""

    chatter: np.ndarray
    addressed: np.ndarray


@cache
def _opening() -> str:
    return opening_pattern(phrases("chatter_openers"))


def giving_signals(texts: pa.Array) -> GivingSignals:
    """`chatter` and `addressed` of each text (a null text: chatter only)."""
    words = words_only(texts)
    no_hashtags = pc.replace_substring_regex(words, r"#\w+", " ")
    raw = as_text(texts)
    diary = matches(words, _FIRST_PERSON) & ~matches(raw, LINK)
    return GivingSignals(
        chatter=matches(words, _opening()) | diary | ~matches(no_hashtags, _THREE_WORDS),
        addressed=_addressed(raw),
    )


def addressed(texts: pa.Array) -> np.ndarray:
    """Whether each text opens with an @handle, links aside (null text: no)."""
    return _addressed(as_text(texts))


def _addressed(raw: pa.Array) -> np.ndarray:
    return matches(pc.replace_substring_regex(raw, LINK, " "), _ADDRESSED)
