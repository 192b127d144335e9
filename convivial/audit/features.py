"""Profile features for the follower audit, the same for every platform.

A profile is whatever fields its platform exposes (X, Mastodon, Bluesky, Instagram all show some
of them): handle, display name, followers, following, posts, bio, default avatar, profile URL,
listed count, account creation and last post, read at a moment `as_of`. Each feature is a number,
or NaN when the platform does not give the field: a missing field is missing, never zero, and the
model (gradient-boosted trees) learns what a missing value says.

Features:
- `log_followers`, `log_following`, `log_posts`, `log_listed`: log(1 + count);
- `follow_ratio`: log(1 + following) - log(1 + followers);
- `age_days`: days from creation to `as_of`; `posts_per_day`: posts ÷ max(age, 1 day);
- `bio_length`: characters of the bio (at most 10,000); `has_url`, `default_avatar`: 1 or 0;
- `handle_digits`: digits ÷ length of the handle; `name_words`: words in the display name;
  `name_is_handle`: 1 when the display name is the handle.
A count below zero, a creation date after `as_of` or beyond 2100, is treated as missing and the
profile marked `doubtful`: its score says so rather than guessing. A profile with no field known
at all (an X archive's follower.js gives ids only) is `doubtful` too.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import numpy as np

__all__ = ["FEATURES", "Profiles", "features"]

FEATURES = (
    "log_followers",
    "log_following",
    "log_posts",
    "log_listed",
    "follow_ratio",
    "age_days",
    "posts_per_day",
    "bio_length",
    "has_url",
    "default_avatar",
    "handle_digits",
    "name_words",
    "name_is_handle",
)
MAX_BIO = 10_000
ALL_FIELDS = frozenset(
    {"followers", "following", "posts", "listed", "bio", "profile_url", "default_avatar"}
    | {"created_at"}
)
PLATFORM_FIELDS = {
    "twitter": ALL_FIELDS,
    "mastodon": ALL_FIELDS - {"listed"},
    "bluesky": ALL_FIELDS - {"listed", "profile_url"},
    "instagram": ALL_FIELDS - {"listed", "created_at"},
}
"""The profile fields each platform shows. A field a platform does not show is missing for its
accounts whatever a source filled in; other platforms use whatever their profiles give."""
FIELD_FEATURES = {
    "followers": ("log_followers", "follow_ratio"),
    "following": ("log_following", "follow_ratio"),
    "posts": ("log_posts", "posts_per_day"),
    "listed": ("log_listed",),
    "bio": ("bio_length",),
    "profile_url": ("has_url",),
    "default_avatar": ("default_avatar",),
    "created_at": ("age_days", "posts_per_day"),
}
LATEST = datetime(2100, 1, 1)


@dataclass(frozen=True)
class Profiles:
    """The feature matrix (rows = profiles, columns = FEATURES) and which rows are doubtful."""

    matrix: np.ndarray
    doubtful: np.ndarray


def features(rows: Sequence[Mapping[str, Any]], as_of: datetime) -> Profiles:
    """Features of each profile. Keys read (all optional): platform, handle, display_name,
    followers, following, posts, listed, bio (or bio_length), profile_url (or has_url),
    default_avatar,
    created_at, handle_digits and name_words (when only those are known of the names), and
    as_of (when profiles were read at different moments)."""
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
        if value is not None:
            out[f"log_{name}"] = math.log1p(value)
    if counts["followers"] is not None and counts["following"] is not None:
        out["follow_ratio"] = math.log1p(counts["following"]) - math.log1p(counts["followers"])
    created = row.get("created_at")
    if isinstance(created, datetime):
        created = created.replace(tzinfo=None)
        if created > as_of or created >= LATEST:
            odd = True
        else:
            age = (as_of - created).total_seconds() / 86400
            out["age_days"] = age
            if counts["posts"] is not None:
                out["posts_per_day"] = counts["posts"] / max(age, 1.0)
    # With a profile read (any count known), an empty bio or URL is an empty one; without, the
    # account is only a name in someone's data, and they are not known.
    profiled = any(v is not None for v in counts.values())
    shown = PLATFORM_FIELDS.get(str(row.get("platform") or ""), ALL_FIELDS)
    bio: Any = row.get("bio")
    if isinstance(bio, str):
        out["bio_length"] = float(min(len(bio), MAX_BIO))
        odd = odd or len(bio) > MAX_BIO
    elif row.get("bio_length") is not None:
        out["bio_length"] = float(min(max(_count(row["bio_length"]) or 0, 0), MAX_BIO))
    elif profiled and "bio" in shown:
        out["bio_length"] = 0.0
    if row.get("profile_url") is not None:
        out["has_url"] = float(bool(row["profile_url"]))
    elif row.get("has_url") is not None:
        out["has_url"] = float(bool(row["has_url"]))
    elif profiled and "profile_url" in shown:
        out["has_url"] = 0.0
    if row.get("default_avatar") is not None:
        out["default_avatar"] = float(bool(row["default_avatar"]))
    for field in ALL_FIELDS - shown:  # what the platform never shows is not known
        for name in FIELD_FEATURES[field]:
            out.pop(name, None)
    handle: Any = row.get("handle")
    display: Any = row.get("display_name")
    if isinstance(handle, str) and handle:
        out["handle_digits"] = sum(c.isdigit() for c in handle) / len(handle)
        if isinstance(display, str):
            out["name_is_handle"] = float(display.strip().lower() == handle.lower())
    elif row.get("handle_digits") is not None:
        out["handle_digits"] = float(row["handle_digits"])
    if isinstance(display, str):
        out["name_words"] = float(len(display.split()))
    elif row.get("name_words") is not None:
        out["name_words"] = float(row["name_words"])
    if row.get("name_is_handle") is not None and "name_is_handle" not in out:
        out["name_is_handle"] = float(row["name_is_handle"])
    return out, odd


def _count(value: Any) -> float | None:
    if value is None or value == "":
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(number) else number
