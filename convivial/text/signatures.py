"""Personal signatures (METRICS.md, "Service"): a host reply signed by a person.

A signature ends the reply, before any part counters ("1/2") or emoji; links, wherever they are,
count as spaces:
- a mark then initials or a name: `^JS`, `*AFM`, `~Tom`, `/CC`, `-Anna`, `- Kelly`, `-- Mat`,
  `*SavannaGallagher`, also straight after a part counter (`2/2^SC`); or `=` then initials
  (`= JJ`);
- or a capitalised name or initials after the last sentence, an emoji, a line break, a
  "Regards," ("Rgds,", "Rds,") or a dash straight after a word (`... by Friday. Phil.`,
  `Good luck\nAlyson`, `Regards, Darshan.`, `Rds,Lakshmi.`, `Thanks-Mi`), or after "Thanks,"
  ("Thank you,", "Cheers,", "Ty ") with no "!" after it (`Thanks, Gabby`, `Ty Andrew`; "Thanks,
  Steve!" thanks Steve), unless the word is a closing or a word that is not a name
  (`data/signature_closings.txt`: "Thanks", "Cheers", the "Fi" of "Wi-Fi");
- or two capital letters after Japanese (or other CJK) text (`...ください。ET`, `... m(_ _)m HM`).
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
# CJK punctuation, kana, ideographs and full- and half-width forms.
_CJK = r"\x{3000}-\x{30FF}\x{3400}-\x{4DBF}\x{4E00}-\x{9FFF}\x{FF00}-\x{FFEF}"
_MARK = rf"!-/:-@\[-`{{-~\x{{A0}}-\x{{BF}}{_EMOJI}"

# A link: printable ASCII up to a space, a "^" that may start a signature stuck to it
# (`https://t.co/Bo3iN0sGsH^CN`) or any other character, ending on a letter, digit or slash.
_LINK = r"https?://[!-\]_-~]*[A-Za-z0-9/]"
# What may follow a signature: spaces, part counters like 1/2 or (2/2), and symbols.
_TAIL = rf"(?:\s|[(\[]?\d{{1,2}}/\d{{1,2}}[)\]]?|[^{_LETTER}0-9])*$"
_NAME = rf"[{_UPPER}][{_LETTER}.'\x{{2019}}]{{0,14}}"
_DASH = r"(?:--?|\x{2013}|\x{2014})"  # hyphen, double hyphen, en or em dash
_MARKED = (
    rf"(?:(?:^|[\s{_MARK}0-9])[\^*~]|(?:^|[\s{_MARK}])/)\s?[{_LETTER}][{_LETTER}.]{{0,24}}$"
    rf"|(?:^|[\s{_MARK}])(?:{_DASH}\s?{_NAME}|=\s?[{_UPPER}]{{1,4}})$"
)
_BARE = (
    rf"(?:[.!?){_EMOJI}]\s+|\n\s*|(?i:regards|rgds|rds|wishes),\s*|[{_LOWER}]{_DASH}\s?)"
    rf"(?P<name>{_NAME})$"
)
# Read on the whole text, links made spaces: a "!" after the name thanks that person.
_THANKED = (
    rf"(?:(?i:thanks|thank you|cheers),\s*|(?:^|\s)(?i:ty)\s+)(?P<name>{_NAME})"
    rf"(?:[\s.{_EMOJI}]|[(\[]?\d{{1,2}}/\d{{1,2}}[)\]]?)*$"
)
_AFTER_CJK = rf"(?s)[{_CJK}].*[^A-Za-z0-9][A-Z]{{2}}$"
ENDING = 40
"""Characters before the trailing counters and symbols that can hold a signature."""


@cache
def _closing() -> str:
    return phrase_pattern(phrases("signature_closings"))


def signed(texts: pa.Array) -> np.ndarray:
    """Whether each text ends with a person's signature (null text: no)."""
    unlinked = pc.replace_substring_regex(pc.fill_null(texts.cast(pa.string()), ""), _LINK, " ")
    ends = _endings(unlinked)
    marked = pc.or_(
        pc.match_substring_regex(ends, _MARKED), pc.match_substring_regex(ends, _AFTER_CJK)
    )
    names = pc.coalesce(_name(ends, _BARE), _name(unlinked, _THANKED))
    named = pc.fill_null(pc.invert(pc.match_substring_regex(names, _closing())), False)
    found = pc.or_(marked, named)
    return np.asarray(found.to_numpy(zero_copy_only=False))


def _name(texts: pa.Array, pattern: str) -> pa.Array:
    """The `name` group of `pattern` in each text, null where it does not match."""
    found = pc.extract_regex(texts, pattern)
    return pc.if_else(pc.is_valid(found), found.field("name"), pa.scalar(None, pa.string()))


def _endings(texts: pa.Array) -> pa.Array:
    """Each text without its trailing counters and symbols, cut to its last `ENDING` characters.
    A cut text starts with "0", so no pattern reads the cut as the start of a text, and the cut
    is longer than any mark and name."""
    bare = pc.replace_substring_regex(texts, _TAIL, "")
    tails = pc.utf8_slice_codeunits(bare, start=-ENDING)
    cut = pc.greater(pc.utf8_length(bare), ENDING)
    return pc.if_else(cut, pc.binary_join_element_wise("0", tails, ""), tails)


def is_signed(text: str) -> bool:
    """Whether one text is signed by a person."""
    return bool(signed(pa.array([text]))[0])
