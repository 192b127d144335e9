"""Vectorised checks and conversions of text columns, shared by the tabular sources.

Each converter takes an Arrow string array and returns the converted array (null where the cell
is empty or bad) and a boolean mask of the cells that are present but bad. `Checked` collects the
first problem of each row, so a source can turn bad rows into rejects and keep the rest.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from convivial.sources.base import Reject

__all__ = [
    "TWITTER_ENTITIES",
    "Checked",
    "blank_to_null",
    "to_bool",
    "to_int",
    "to_iso_time",
    "to_time",
    "twitter_text",
]

_ISO = (
    r"^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?)?"
    r"\s*(?:Z|[+-]\d{2}:?\d{2}|UTC)?$"
)
_ZONED = r"(?:Z|[+-]\d{2}:?\d{2}|UTC)$"
_TRUE = ["true", "t", "yes", "y", "1"]
_FALSE = ["false", "f", "no", "n", "0"]


def _present(values: pa.Array) -> np.ndarray:
    """Cells that hold something: not null and not blank."""
    filled = pc.is_valid(values)
    if pa.types.is_string(values.type):
        blank = pc.equal(pc.utf8_trim_whitespace(values), "")
        filled = pc.and_kleene(filled, pc.invert(blank))
    return np.asarray(pc.fill_null(filled, False).to_numpy(zero_copy_only=False), dtype=bool)


def _mask(values: pa.Array) -> np.ndarray:
    return np.asarray(pc.fill_null(values, False).to_numpy(zero_copy_only=False), dtype=bool)


TWITTER_ENTITIES = (("&lt;", "<"), ("&gt;", ">"), ("&amp;", "&"))
"""What Twitter escapes in a tweet's text (its API and its archives alike), `&amp;` last so that
`&amp;lt;` reads as the `&lt;` someone typed."""


def twitter_text(values: pa.Array) -> pa.Array:
    """Tweet texts as people wrote them: Twitter's `&amp;`, `&lt;` and `&gt;` undone (in the
    few texts that hold an `&`, so that the others are not copied three times)."""
    escaped = pc.fill_null(pc.match_substring(values, "&"), False)
    if not pc.any(escaped).as_py():
        return values
    some = pc.filter(values, escaped)
    for entity, character in TWITTER_ENTITIES:
        some = pc.replace_substring(some, entity, character)
    return pc.replace_with_mask(values, escaped, some)


def blank_to_null(values: pa.Array) -> pa.Array:
    """Empty cells are "not known", quoted or not."""
    blank = pc.equal(values, "")
    return pc.if_else(blank, pa.scalar(None, pa.string()), values)


def to_int(values: pa.Array) -> tuple[pa.Array, np.ndarray]:
    """Whole numbers; "3.0" (as pandas writes ids) counts as 3."""
    try:  # the common case: every cell a plain whole number
        return pc.cast(values, pa.int64()), np.zeros(len(values), dtype=bool)
    except pa.ArrowInvalid:
        pass
    trimmed = pc.replace_substring_regex(pc.utf8_trim_whitespace(values), r"\.0+$", "")
    ok = _mask(pc.match_substring_regex(trimmed, r"^-?\d{1,18}$"))
    bad = _present(values) & ~ok
    cleaned = pc.if_else(pa.array(ok), trimmed, pa.scalar(None, pa.string()))
    return pc.cast(cleaned, pa.int64()), bad


def to_bool(values: pa.Array) -> tuple[pa.Array, np.ndarray]:
    """true/false, yes/no, 1/0, in any case."""
    lowered = pc.utf8_lower(pc.utf8_trim_whitespace(values))
    is_true = _mask(pc.is_in(lowered, pa.array(_TRUE)))
    is_false = _mask(pc.is_in(lowered, pa.array(_FALSE)))
    bad = _present(values) & ~is_true & ~is_false
    out = pa.array(np.where(is_true, True, False), pa.bool_())
    return pc.if_else(pa.array(is_true | is_false), out, pa.scalar(None, pa.bool_())), bad


def to_iso_time(values: pa.Array) -> tuple[pa.Array, np.ndarray]:
    """ISO 8601 times as naive UTC; a time without an offset is UTC."""
    text = pc.replace_substring_regex(pc.utf8_trim_whitespace(values), r"\s*UTC$", "Z")
    ok = _mask(pc.match_substring_regex(text, _ISO))
    text = pc.if_else(
        pc.match_substring_regex(text, r"^\d{4}-\d{2}-\d{2}$"),
        pc.binary_join_element_wise(text, "T00:00:00", ""),
        text,
    )
    zoned = _mask(pc.match_substring_regex(text, _ZONED)) & ok
    bad = _present(values) & ~ok
    parts = []
    for mask, target in ((zoned, pa.timestamp("us", tz="UTC")), (ok & ~zoned, pa.timestamp("us"))):
        subset = pc.if_else(pa.array(mask), text, pa.scalar(None, pa.string()))
        converted, failed = _cast_each(subset, target)
        parts.append(converted)
        bad |= failed
    return pc.coalesce(*parts), bad


def to_time(values: pa.Array, fmt: str) -> tuple[pa.Array, np.ndarray]:
    """Times in a strptime format (with %z for the offset) as naive UTC."""
    parsed = pc.strptime(values, format=fmt, unit="us", error_is_null=True)
    bad = _present(values) & ~_present(parsed)
    if isinstance(parsed.type, pa.TimestampType) and parsed.type.tz is not None:
        parsed = parsed.cast(pa.timestamp("us", tz="UTC")).cast(pa.timestamp("us"))
    return parsed, bad


def _cast_each(values: pa.Array, target: pa.DataType) -> tuple[pa.Array, np.ndarray]:
    """Cast, falling back to one cell at a time to find the cells that do not parse."""
    try:
        return _naive(pc.cast(values, target)), np.zeros(len(values), dtype=bool)
    except pa.ArrowInvalid:
        out: list[object] = []
        failed = np.zeros(len(values), dtype=bool)
        for i, value in enumerate(values.to_pylist()):
            try:
                out.append(_naive(pc.cast(pa.array([value], pa.string()), target))[0].as_py())
            except pa.ArrowInvalid:
                out.append(None)
                failed[i] = True
        return pa.array(out, pa.timestamp("us")), failed


def _naive(values: pa.Array) -> pa.Array:
    if values.type.tz is not None:
        return values.cast(pa.timestamp("us", tz="UTC")).cast(pa.timestamp("us"))
    return values


@dataclass
class Checked:
    """The first problem of each row of a batch of `size` rows."""

    size: int
    reasons: list[str | None] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.reasons = [None] * self.size

    def flag(self, bad: np.ndarray, reason: str) -> None:
        """Record `reason` for the rows in `bad` that have no problem yet."""
        for i in np.flatnonzero(bad):
            if self.reasons[i] is None:
                self.reasons[i] = reason

    def require(self, values: pa.Array, column: str) -> None:
        self.flag(
            ~_present(values) | _mask(pc.equal(pc.utf8_trim_whitespace(values), "")),
            f"missing {column}",
        )

    def good(self) -> pa.Array:
        """A boolean mask of the rows with no problem, for `Table.filter`."""
        return pa.array([r is None for r in self.reasons], pa.bool_())

    def rejects(self, lines: np.ndarray, raw: Callable[[int], str]) -> list[Reject]:
        return [
            Reject(int(lines[i]), reason, raw(i))
            for i, reason in enumerate(self.reasons)
            if reason is not None
        ]
