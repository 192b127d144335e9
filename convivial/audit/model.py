"""The shipped audit model (`model.joblib`, trained by `python -m convivial.audit.train`: trees
over the features, the scale-dependent ones read on each platform's scale, `audit.scale`) and the
classes it gives followers.

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
from convivial.audit.scale import Scales

__all__ = ["DORMANT_AFTER", "FAKE_FROM", "Audit", "Model", "classify"]

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


@dataclass(frozen=True)
class Model:
    """A classifier (`predict_proba`) over the features read on each platform's scale."""

    trees: Any
    scales: Scales

    def fake_probability(self, matrix: np.ndarray, platform: np.ndarray) -> np.ndarray:
        """The probability of fake of each row of `matrix` (`features.FEATURES`), on the
        platform of the same row of `platform` (a name, or None when not known)."""
        relative = self.scales.relative(matrix, platform)
        return np.asarray(self.trees.predict_proba(relative)[:, 1])


@cache
def _model() -> Model:
    import joblib  # here: only audits load it

    model: Model = joblib.load(MODEL)
    return model


def classify(profiles: pa.Table | Sequence[Mapping[str, Any]], as_of: datetime) -> Audit:
    """The class of each profile (a table or rows, `features.profile_table`) as read at
    `as_of`."""
    table = profile_table(profiles)
    if not table.num_rows:
        return Audit(np.zeros(0, dtype=str), np.zeros(0), np.zeros(0, dtype=bool))
    found = features(table, as_of)
    platform = table["platform"].to_numpy(zero_copy_only=False)
    fake = _model().fake_probability(found.matrix, platform)
    last = table["last_post_at"].to_numpy()
    cutoff = np.datetime64(as_of - DORMANT_AFTER, "us")
    dormant = np.where(np.isnat(last), floats(table["posts"]) == 0, last < cutoff)
    classes = np.where(fake >= FAKE_FROM, "fake", np.where(dormant, "dormant", "real"))
    return Audit(classes, fake, found.doubtful)
