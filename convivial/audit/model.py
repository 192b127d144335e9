"""The shipped audit model (`model.joblib`, trained by `python -m convivial.audit.train`) and
the classes it gives followers.

- **fake**: the model's probability of fake is at least 0.5 (bought or automated);
- **dormant**: not fake, and it never posted or its last post is more than 90 days before the
  moment the audit reads (known only where the platform gives posts or a last post date);
- **real**: the rest. Fake wins over dormant.
A profile with impossible fields (`features.Profiles.doubtful`) keeps its class but is marked
`doubtful`, so its score is read with care.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np

from convivial.audit.features import features

__all__ = ["DORMANT_AFTER", "FAKE_FROM", "Audit", "classify"]

FAKE_FROM = 0.5
DORMANT_AFTER = timedelta(days=90)
MODEL = Path(__file__).with_name("model.joblib")


@dataclass(frozen=True)
class Audit:
    """Per profile: its class (fake, dormant, real), probability of fake, and doubtful flag."""

    classes: list[str]
    fake_probability: np.ndarray
    doubtful: np.ndarray


@cache
def _model() -> Any:
    import joblib  # here: only audits load it

    return joblib.load(MODEL)


def classify(rows: Sequence[Mapping[str, Any]], as_of: datetime) -> Audit:
    """The class of each profile as read at `as_of`."""
    if not rows:
        return Audit([], np.zeros(0), np.zeros(0, dtype=bool))
    profiles = features(rows, as_of)
    fake = _model().predict_proba(profiles.matrix)[:, 1]
    classes = []
    for row, p in zip(rows, fake, strict=True):
        if p >= FAKE_FROM:
            classes.append("fake")
        elif _dormant(row, as_of):
            classes.append("dormant")
        else:
            classes.append("real")
    return Audit(classes, fake, profiles.doubtful)


def _dormant(row: Mapping[str, Any], as_of: datetime) -> bool:
    last = row.get("last_post_at")
    if isinstance(last, datetime):
        return last.replace(tzinfo=None) < as_of - DORMANT_AFTER
    posts = row.get("posts")
    return posts is not None and posts == 0
