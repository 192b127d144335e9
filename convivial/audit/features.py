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
Account age and listed count are not features: the training data has them on one platform only,
so their presence would stand for the platform. Nor are the following count alone and the words of
the display name (each points opposite ways on the two platforms), nor whether the display name is
the handle (no sign on either).
A count below zero, a creation date after `as_of` or beyond 2100, is impossible and the profile is
marked `doubtful`: its score says so rather than guessing. A profile with no feature known at all
(an X archive's follower.js gives ids only) is `doubtful` too.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import numpy as np

__all__ = ["DIRECTION", "FEATURES", "Profiles", "features"]

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


@dataclass(frozen=True)
class Profiles:
    """The feature matrix (rows = profiles, columns = FEATURES) and which rows are doubtful."""

    matrix: np.ndarray
    doubtful: np.ndarray


def features(rows: Sequence[Mapping[str, Any]], as_of: datetime) -> Profiles:
    """Features of each profile. Keys read (all optional): platform, handle, followers,
    following, posts, listed, bio (or bio_length), profile_url (or has_url), default_avatar,
    created_at, handle_digits (when only that is known of the handle), and as_of (when profiles
    were read at different moments)."""
    matrix = np.full((len(rows), len(FEATURES)), np.nan)
    doubtful = np.zeros(len(rows), dtype=bool)
    for i, row in enumerate(rows):
        values, odd = _one(row, as_of)
        matrix[i] = [values.get(name, math.nan) for name in FEATURES]
        doubtful[i] = odd or not values
    return Profiles(matrix, doubtful)


def _one(row: Mapping[str, Any], as_of: datetime) -> tuple[dict[str, float], bool]:
    as_of = row.get("as_of") or as_of
    out: dict[str, float] = {}
    odd = False
    counts = {}
    for name in ("followers", "following", "posts", "listed"):
        value = _count(row.get(name))
        if value is not None and value < 0:
            odd, value = True, None
        counts[name] = value
    for name in ("followers", "posts"):
        known = counts[name]
        if known is not None:
            out[f"log_{name}"] = math.log1p(known)
    if counts["followers"] is not None and counts["following"] is not None:
        out["follow_ratio"] = math.log1p(counts["following"]) - math.log1p(counts["followers"])
    created = row.get("created_at")
    if isinstance(created, datetime):
        created = created.replace(tzinfo=None)
        odd = odd or created > as_of or created >= LATEST
    # With a profile read (any count known), an empty bio or URL is an empty one; without, the
    # account is only a name in someone's data, and they are not known.
    profiled = any(v is not None for v in counts.values())
    bio: Any = row.get("bio")
    if isinstance(bio, str):
        out["bio_length"] = float(min(len(bio), MAX_BIO))
        odd = odd or len(bio) > MAX_BIO
    elif row.get("bio_length") is not None:
        out["bio_length"] = float(min(max(_count(row["bio_length"]) or 0, 0), MAX_BIO))
    elif profiled:
        out["bio_length"] = 0.0
    if row.get("profile_url") is not None:
        out["has_url"] = float(bool(row["profile_url"]))
    elif row.get("has_url") is not None:
        out["has_url"] = float(bool(row["has_url"]))
    elif profiled:
        out["has_url"] = 0.0
    if row.get("default_avatar") is not None:
        out["default_avatar"] = float(bool(row["default_avatar"]))
    for name in HIDDEN.get(str(row.get("platform") or ""), ()):
        out.pop(name, None)
    handle: Any = row.get("handle")
    if isinstance(handle, str) and handle:
        out["handle_digits"] = sum(c.isdigit() for c in handle) / len(handle)
    elif row.get("handle_digits") is not None:
        out["handle_digits"] = float(row["handle_digits"])
    return out, odd


def _count(value: Any) -> float | None:
    if value is None or value == "":
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(number) else number
