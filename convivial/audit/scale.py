"""Each platform's own scale for the features whose numbers mean different things on different
platforms (`SCALED`): a count of followers usual on one is few on another.

A platform's scale is the quartiles of each of these features among the real (human) accounts of
that platform in the training data. A profile's feature, read on it, is the robust z-score
(value - median) / (upper quartile - lower quartile) (divided by 1 where the quartiles are equal),
the value itself when missing. A profile whose platform has no scale (none given, or one the
training data does not hold: Mastodon, Bluesky, Facebook) is read on the scale of all the real
accounts trained on, every platform together.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from convivial.audit.features import FEATURES

__all__ = ["SCALED", "Scales"]

SCALED = ("log_followers", "log_posts", "follow_ratio", "bio_length")
COLUMNS = [FEATURES.index(name) for name in SCALED]


@dataclass(frozen=True)
class Scales:
    """Per platform, and for all together (`pooled`), the lower quartile, median and upper
    quartile of each `SCALED` feature among real accounts (rows: quartiles, columns: SCALED)."""

    platforms: dict[str, np.ndarray]
    pooled: np.ndarray

    @classmethod
    def of_real(cls, matrix: np.ndarray, fake: np.ndarray, platform: np.ndarray) -> Scales:
        """The scales of the real accounts among the rows of `matrix` (`features.FEATURES`)."""
        real = ~fake.astype(bool)
        names = sorted(set(platform[real].tolist()))
        return cls(
            {name: _quartiles(matrix[real & (platform == name)]) for name in names},
            _quartiles(matrix[real]),
        )

    def relative(self, matrix: np.ndarray, platform: np.ndarray) -> np.ndarray:
        """`matrix` with its SCALED features read on each row's platform's scale."""
        low, median, high = np.stack([*self.platforms.values(), self.pooled], axis=1)
        spread = np.where(high > low, high - low, 1.0)
        which = np.full(len(matrix), len(median) - 1)
        for i, name in enumerate(self.platforms):
            which[platform == name] = i
        out = matrix.copy()
        out[:, COLUMNS] = (matrix[:, COLUMNS] - median[which]) / spread[which]
        return out


def _quartiles(matrix: np.ndarray) -> np.ndarray:
    return np.asarray(np.nanpercentile(matrix[:, COLUMNS], [25, 50, 75], axis=0))
