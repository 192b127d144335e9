"""Personal signatures (METRICS.md, "Service"): a host reply signed by a person.

A signature ends the reply, before any trailing links, part counters ("1/2") or emoji:
- a mark then initials or a name: `^JS`, `*AFM`, `~Tom`, `/CC`, `-Anna`, `- Kelly`, `-- Mat`,
  `*SavannaGallagher`;
- or a capitalised name or initials after the last sentence, an emoji, a line break, a
  "Regards," ("Rgds,", "Rds,") or a dash straight after a word (`... by Friday. Phil.`,
  `Good luck\nAlyson`, `Regards, Darshan.`, `Rds,Lakshmi.`, `Thanks-Mi`), unless the word is a
  closing or a word that is not a name (`data/signature_closings.txt`: "Thanks", "Cheers", the
  "Fi" of "Wi-Fi").
"""

from __future__ import annotations

from functools import cache

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from convivial.text.wordlists import phrase_pattern, phrases

__all__ = ["LISTS", "is_signed", "signed"]

LISTS = ("signature_closings",)

# Character classes as code-point ranges (Latin letters with their accents, ASCII and general
# punctuation, symbols and emoji): RE2 runs ranges tens of times faster than \p{L}-style tables.
_UPPER = r"A-Z\x{C0}-\x{DE}"
_LETTER = r"A-Za-z\x{C0}-\x{24F}"
_LOWER = r"a-z\x{DF}-\x{FF}"
_EMOJI = r"\x{2000}-\x{2BFF}\x{1F000}-\x{1FAFF}"
_MARK = rf"!-/:-@\[-`{{-~\x{{A0}}-\x{{BF}}{_EMOJI}"

# What may follow a signature: spaces, links, part counters like 1/2 or (2/2), and symbols.
_TAIL = rf"(?:\s|https?://\S+|[(\[]?\d{{1,2}}/\d{{1,2}}[)\]]?|[^{_LETTER}0-9])*$"
_NAME = rf"[{_UPPER}][{_LETTER}.'\x{{2019}}]{{0,14}}"
_DASH = r"(?:--?|\x{2013}|\x{2014})"  # hyphen, double hyphen, en or em dash
_MARKED = rf"(?:^|[\s{_MARK}])(?:[\^*~/]\s?[{_LETTER}][{_LETTER}.]{{0,24}}|{_DASH}\s?{_NAME})$"
_BARE = (
    rf"(?:[.!?){_EMOJI}]\s+|\n\s*|(?i:regards|rgds|rds|wishes),\s*|[{_LOWER}]{_DASH}\s?)"
    rf"(?P<name>{_NAME})$"
)
ENDING = 40
"""Characters before the trailing links and counters that can hold a signature."""


@cache
def _closing() -> str:
    return phrase_pattern(phrases("signature_closings"))


def signed(texts: pa.Array) -> np.ndarray:
    """Whether each text ends with a person's signature (null text: no)."""
    ends = _endings(pc.fill_null(texts.cast(pa.string()), ""))
    marked = pc.match_substring_regex(ends, _MARKED)
    last = pc.extract_regex(ends, _BARE)
    not_closing = pc.invert(pc.match_substring_regex(last.field("name"), _closing()))
    found = pc.or_(marked, pc.and_(pc.is_valid(last), not_closing))
    return np.asarray(found.to_numpy(zero_copy_only=False))


def _endings(texts: pa.Array) -> pa.Array:
    """Each text without its trailing links, counters and symbols, cut to its last `ENDING`
    characters. A cut text starts with a digit, which no pattern accepts before a signature,
    so the cut is never read as the start of a text."""
    bare = pc.replace_substring_regex(texts, _TAIL, "")
    tails = pc.utf8_slice_codeunits(bare, start=-ENDING)
    cut = pc.greater(pc.utf8_length(bare), ENDING)
    return pc.if_else(cut, pc.binary_join_element_wise("0", tails, ""), tails)


def is_signed(text: str) -> bool:
    """Whether one text is signed by a person."""
    return bool(signed(pa.array([text]))[0])
