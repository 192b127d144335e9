"""The shipped audit model (`model.joblib`, trained by `python -m convivial.audit.train`) and
the classes it gives followers.

- **fake**: the model's probability of fake is at least 0.5 (bought or automated);
- **dormant**: not fake, and it never posted or its last post is more than 90 days before the
  moment the audit reads (known only where the platform gives posts or a last post date; the
  last post date wins when both are given);
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
import pyarrow as pa

from convivial.audit.features import features, floats, profile_table

__all__ = ["DORMANT_AFTER", "FAKE_FROM", "Audit", "classify"]

FAKE_FROM = 0.5
DORMANT_AFTER = timedelta(days=90)
MODEL = Path(__file__).with_name("model.joblib")


@dataclass(frozen=True)
class Audit:
    """Per profile, as arrays: its class (fake, dormant, real), probability of fake, and doubtful
    flag."""

    classes: np.ndarray
    fake_probability: np.ndarray
    doubtful: np.ndarray


@cache
def _model() -> Any:
    import joblib  # here: only audits load it

    return joblib.load(MODEL)


def classify(profiles: pa.Table | Sequence[Mapping[str, Any]], as_of: datetime) -> Audit:
    """The class of each profile (a table or rows, `features.profile_table`) as read at
    `as_of`."""
    table = profile_table(profiles)
    if not table.num_rows:
        return Audit(np.zeros(0, dtype=str), np.zeros(0), np.zeros(0, dtype=bool))
    found = features(table, as_of)
    fake = _model().predict_proba(found.matrix)[:, 1]
    last = table["last_post_at"].to_numpy()
    cutoff = np.datetime64(as_of - DORMANT_AFTER, "us")
    dormant = np.where(np.isnat(last), floats(table["posts"]) == 0, last < cutoff)
    classes = np.where(fake >= FAKE_FROM, "fake", np.where(dormant, "dormant", "real"))
    return Audit(classes, fake, found.doubtful)
