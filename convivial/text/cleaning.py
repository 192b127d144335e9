"""What classifiers look at: a message's words, without links and @handles."""

from __future__ import annotations

import pyarrow as pa
import pyarrow.compute as pc

__all__ = ["LINK", "words_only"]

LINK = r"(?i)\b(?:https?://|www\.)\S+"
_HANDLE = r"@[A-Za-z0-9_]+"


def words_only(texts: pa.Array) -> pa.Array:
    """`texts` with links and @handles blanked out; a null text becomes empty."""
    texts = pc.fill_null(texts.cast(pa.large_string()), "")
    texts = pc.replace_substring_regex(texts, LINK, " ")
    return pc.replace_substring_regex(texts, _HANDLE, " ")
