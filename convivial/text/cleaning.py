"""What classifiers look at: a message's words, without links and @handles."""

from __future__ import annotations

import pyarrow as pa
import pyarrow.compute as pc

__all__ = ["LINK", "as_text", "words_only"]

LINK = r"(?i)\b(?:https?://|www\.)\S+"
_HANDLE = r"@[A-Za-z0-9_]+"


def as_text(texts: pa.Array) -> pa.Array:
    """`texts` as large strings, a null text empty."""
    return pc.fill_null(texts.cast(pa.large_string()), "")


def words_only(texts: pa.Array) -> pa.Array:
    """`texts` with links and @handles blanked out; a null text becomes empty."""
    texts = pc.replace_substring_regex(as_text(texts), LINK, " ")
    return pc.replace_substring_regex(texts, _HANDLE, " ")
