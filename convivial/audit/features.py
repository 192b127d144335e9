"""Profile features for the follower audit, the same for every platform.

A profile is whatever fields its platform exposes (X, Mastodon, Bluesky, Instagram all show some
of them): handle, followers, following, posts, bio, default avatar, profile URL, listed count,
account creation and last post, read at a moment `as_of`. Each feature is a number, or NaN when
the platform does not give the field: a missing field is missing, never zero.

Features (`DIRECTION`), each one that means the same on every platform the model learns from,
with the direction in which it makes a profile more likely fake:
- `log_followers`, `log_posts`: log(1 + count), fewer is more likely fake;
- `follow_ratio`: log(1 + following) - log(1 + followers), higher is more likely fake;
- `bio_length`: characters of the bio (at most 10,000), shorter is more likely fake;
- `has_url`, `default_avatar`: 1 or 0; a profile URL makes fake less likely, a default avatar
  more;
- `handle_digits`: digits / length of the handle, more is more likely fake.
The model reads the first four on each platform's own scale (`audit.scale`).
Account age and listed count are not features: the training data has them on one platform only,
so their presence would stand for the platform. Nor are the following count alone and the words of
the display name (each points opposite ways on the two platforms), nor whether the display name is
the handle (no sign on either).
A count below zero, a creation date after `as_of` or beyond 2100, is impossible and the profile is
marked `doubtful`: its score says so rather than guessing. A profile with no feature known at all
(an X archive's follower.js gives ids only) is `doubtful` too.

Profiles come as an Arrow table with a column per field (`FIELDS`; an absent column is missing
for every profile) or as rows (dicts), and are computed on as columns (`profile_table`).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

__all__ = ["DIRECTION", "FEATURES", "FIELDS", "Profiles", "features", "profile_table"]

DIRECTION = {
    "log_followers": -1,
    "log_posts": -1,
    "follow_ratio": 1,
    "bio_length": -1,
    "has_url": -1,
    "default_avatar": 1,
    "handle_digits": 1,
}
"""Each feature and the sign of its effect on the probability of fake (the model's monotonic
constraints)."""
FEATURES = tuple(DIRECTION)
MAX_BIO = 10_000
HIDDEN = {"bluesky": ("has_url",)}
"""The features a platform cannot give (Bluesky shows no profile URL): missing for its accounts
whatever a source filled in."""
LATEST = datetime(2100, 1, 1)
COUNTS = ("followers", "following", "posts", "listed")
FIELDS = {
    "platform": pa.string(),
    "handle": pa.string(),
    "bio": pa.string(),
    **dict.fromkeys((*COUNTS, "bio_length", "handle_digits"), pa.float64()),
    **dict.fromkeys(("profile_url", "has_url", "default_avatar"), pa.bool_()),
    **dict.fromkeys(("created_at", "last_post_at", "as_of"), pa.timestamp("us")),
}
"""The fields read (all optional) and their type in `profile_table`: bio_length (when the bio's
text is not known), has_url (when the URL is not), handle_digits (when only that is known of the
handle), as_of (when profiles were read at different moments). A profile URL is true when not
empty."""


@dataclass(frozen=True)
class Profiles:
    """The feature matrix (rows = profiles, columns = FEATURES) and which rows are doubtful."""

    matrix: np.ndarray
    doubtful: np.ndarray


def profile_table(profiles: pa.Table | Sequence[Mapping[str, Any]]) -> pa.Table:
    """The profiles as a table of `FIELDS`, each of its type (a table's zoned times in UTC). From
    rows: a number may be a string ("123" from a CSV file), one that is not a number (or NaN) is
    NaN, None is null; a true or false field is the truth of its value; a text or time that is
    not one is null, and a time keeps its wall clock without its time zone."""
    if isinstance(profiles, pa.Table):
        return pa.table({n: _typed(profiles, n, kind) for n, kind in FIELDS.items()})
    columns = {}
    for name, kind in FIELDS.items():
        values = [row.get(name) for row in profiles]
        if kind == pa.float64():
            columns[name] = _numbers(values)
        elif kind == pa.bool_():
            columns[name] = pa.array([None if v is None else bool(v) for v in values], kind)
        elif kind == pa.string():
            columns[name] = pa.array([v if isinstance(v, str) else None for v in values], kind)
        else:
            columns[name] = pa.array([_moment(v) for v in values], kind)
    return pa.table(columns)


def features(profiles: pa.Table | Sequence[Mapping[str, Any]], as_of: datetime) -> Profiles:
    """Features of each profile (a table or rows, `profile_table`), read at `as_of` unless its
    own as_of says otherwise."""
    table = profile_table(profiles)
    counts = {name: floats(table[name]) for name in COUNTS}
    negative = np.any([count < 0 for count in counts.values()], axis=0)
    counts = {name: np.where(count < 0, np.nan, count) for name, count in counts.items()}
    # With a profile read (any count known), an empty bio or URL is an empty one; without, the
    # account is only a name in someone's data, and they are not known.
    profiled = np.where(np.any([~np.isnan(c) for c in counts.values()], axis=0), 0.0, np.nan)
    log_followers, log_following = _log1p(counts["followers"]), _log1p(counts["following"])
    with np.errstate(invalid="ignore"):  # infinite counts: the ratio is NaN
        ratio = log_following - log_followers
    text = floats(pc.utf8_length(table["bio"]))
    given = pc.is_valid(table["bio_length"]).to_numpy()  # a length that is not a number is 0
    stated = np.where(given, np.nan_to_num(floats(table["bio_length"]), nan=0.0), np.nan)
    columns = {
        "log_followers": log_followers,
        "log_posts": _log1p(counts["posts"]),
        "follow_ratio": ratio,
        "bio_length": _first(np.minimum(text, MAX_BIO), np.clip(stated, 0, MAX_BIO), profiled),
        "has_url": _first(floats(table["profile_url"]), floats(table["has_url"]), profiled),
        "default_avatar": floats(table["default_avatar"]),
        "handle_digits": _first(_digit_share(table["handle"]), floats(table["handle_digits"])),
    }
    for platform, hidden in HIDDEN.items():
        on = pc.fill_null(pc.equal(table["platform"], platform), False).to_numpy()
        for name in hidden:
            columns[name] = np.where(on, np.nan, columns[name])
    matrix = np.column_stack([columns[name] for name in FEATURES])
    created = table["created_at"].to_numpy()
    read = table["as_of"].to_numpy()
    read = np.where(np.isnat(read), np.datetime64(as_of, "us"), read)
    doubtful = (
        negative
        | (text > MAX_BIO)
        | (created > read)
        | (created >= np.datetime64(LATEST, "us"))
        | np.isnan(matrix).all(axis=1)
    )
    return Profiles(matrix, doubtful)


def floats(column: pa.ChunkedArray | pa.Array) -> np.ndarray:
    """The column as floats, NaN where null."""
    return np.asarray(pc.cast(column, pa.float64()).to_numpy(zero_copy_only=False))


def _typed(table: pa.Table, name: str, kind: pa.DataType) -> pa.ChunkedArray:
    if name not in table.column_names:
        return pa.chunked_array([pa.nulls(table.num_rows, kind)])
    column = table[name]
    if kind == pa.bool_() and pa.types.is_string(column.type):
        return pc.greater(pc.utf8_length(column), 0)
    return pc.cast(column, kind, safe=False)  # int64 to float64 rounds, as float() does


def _numbers(values: list[Any]) -> pa.Array:
    """float() of each value, NaN where it fails, null for None."""
    try:
        return pa.array(values, pa.float64())
    except (pa.ArrowInvalid, pa.ArrowTypeError):  # strings, or integers a double cannot hold
        return pa.array([None if v is None else _number(v) for v in values], pa.float64())


def _number(value: Any) -> float:
    try:
        return float(value)
    except (TypeError, ValueError):
        return math.nan


def _moment(value: Any) -> datetime | None:
    """A datetime's wall clock, without its time zone; None for anything else."""
    if not isinstance(value, datetime):
        return None
    return value if value.tzinfo is None else value.replace(tzinfo=None)


def _log1p(x: np.ndarray) -> np.ndarray:
    """log(1 + x) from `math.log1p`: NumPy's vectorised log1p differs from it in the last bit on
    some values."""
    return np.fromiter(map(math.log1p, x.tolist()), float, len(x))


def _first(*candidates: np.ndarray) -> np.ndarray:
    """Per row, the first candidate that is not NaN."""
    out = candidates[-1]
    for candidate in reversed(candidates[:-1]):
        out = np.where(np.isnan(candidate), out, candidate)
    return out


def _digit_share(handles: pa.ChunkedArray) -> np.ndarray:
    """Digits (`str.isdigit`) / characters of each handle, NaN where none or empty: counted on
    the columns for ASCII handles, in Python for the others (whose digits may be any script's)."""
    length = floats(pc.utf8_length(handles))
    length = np.where(length == 0, np.nan, length)
    share: np.ndarray = floats(pc.count_substring_regex(handles, "[0-9]")) / length
    wide = pc.invert(pc.fill_null(pc.string_is_ascii(handles), True))
    where = np.flatnonzero(wide.to_numpy())
    share[where] = [sum(c.isdigit() for c in h) / len(h) for h in handles.filter(wide).to_pylist()]
    return share
