"""Personal signatures (METRICS.md, "Service"): a host reply signed by a person.

A signature ends the reply, before any trailing links, part counters ("1/2") or emoji:
- a mark then initials or a name: `^JS`, `*AFM`, `~Tom`, `/CC`, `-Anna`, `- Kelly`, `-- Mat`;
- or a capitalised name or initials after the last sentence, an emoji, a line break, a
  "Regards," or a dash straight after a word (`... by Friday. Phil.`, `Good luck\nAlyson`,
  `Regards, Darshan.`, `Thanks-Mi`), unless the word is a closing or a word that is not a name
  (`data/signature_closings.txt`: "Thanks", "Cheers", the "Fi" of "Wi-Fi").
"""

from __future__ import annotations

from functools import cache

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from convivial.text.wordlists import phrase_pattern, phrases

__all__ = ["LISTS", "is_signed", "signed"]

LISTS = ("signature_closings",)

# What may follow a signature: spaces, links, part counters like 1/2 or (2/2), and symbols.
_TAIL = r"(?:\s|https?://\S+|[(\[]?\d{1,2}/\d{1,2}[)\]]?|[^\pL\pN])*$"
_NAME = r"\p{Lu}[\pL.'\x{2019}]{0,14}"
_DASH = r"(?:--?|\x{2013}|\x{2014})"  # hyphen, double hyphen, en or em dash
_MARKED = rf"(?:^|[\s\pP\pS])(?:[\^*~/]\s?\pL[\pL.]{{0,14}}|{_DASH}\s?{_NAME}){_TAIL}"
_BARE = (
    rf"(?:[.!?)\p{{So}}]\s+|\n\s*|(?i:regards|wishes),\s+|\p{{Ll}}{_DASH}\s?)"
    rf"(?P<name>{_NAME}){_TAIL}"
)


@cache
def _closing() -> str:
    return phrase_pattern(phrases("signature_closings"))


def signed(texts: pa.Array) -> np.ndarray:
    """Whether each text ends with a person's signature (null text: no)."""
    texts = pc.fill_null(texts.cast(pa.large_string()), "")
    marked = pc.match_substring_regex(texts, _MARKED)
    last = pc.extract_regex(texts, _BARE)
    not_closing = pc.invert(pc.match_substring_regex(last.field("name"), _closing()))
    found = pc.or_(marked, pc.and_(pc.is_valid(last), not_closing))
    return np.asarray(found.to_numpy(zero_copy_only=False))


def is_signed(text: str) -> bool:
    """Whether one text is signed by a person."""
    return bool(signed(pa.array([text]))[0])
