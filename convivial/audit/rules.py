"""Rules that commercial audit services used to call a follower fake, as Cresci et al. (2015)
evaluated them: baselines for the audit model. Each takes profiles (the fields of
`features.features`) and says which are fake.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

import numpy as np

__all__ = ["RULES"]

Profiles = Sequence[Mapping[str, Any]]


def _number(row: Mapping[str, Any], key: str) -> float:
    try:
        return float(row.get(key) or 0)
    except (TypeError, ValueError):
        return 0.0


def fewer_than_30_followers(rows: Profiles) -> np.ndarray:
    """Fake unless it has at least 30 followers."""
    return np.array([_number(r, "followers") < 30 for r in rows])


def fewer_than_50_posts(rows: Profiles) -> np.ndarray:
    """Fake unless it has posted at least 50 times."""
    return np.array([_number(r, "posts") < 50 for r in rows])


def following_50_times_followers(rows: Profiles) -> np.ndarray:
    """Socialbakers: fake when it follows at least 50 times as many as follow it."""
    return np.array([_number(r, "following") >= 50 * max(_number(r, "followers"), 1) for r in rows])


RULES: dict[str, Callable[[Profiles], np.ndarray]] = {
    "followers >= 30": fewer_than_30_followers,
    "posts >= 50": fewer_than_50_posts,
    "Socialbakers: following >= 50 x followers": following_50_times_followers,
}
