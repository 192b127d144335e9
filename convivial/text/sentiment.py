"""Negative sentiment: VADER's compound score ≤ -0.05 (Hutto and Gilbert 2014).

VADER scores a text word by word in Python, about 20,000 short messages a second, so callers pass
only the texts whose answer they still need (`requests` scores only what no rule has settled).
"""

from __future__ import annotations

from functools import cache

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

__all__ = ["THRESHOLD", "compound", "negative"]

THRESHOLD = -0.05


@cache
def _analyzer() -> SentimentIntensityAnalyzer:
    return SentimentIntensityAnalyzer()


def compound(text: str) -> float:
    """VADER's compound score of one text, in [-1, 1]."""
    return float(_analyzer().polarity_scores(text)["compound"])


def negative(texts: pa.Array, only: np.ndarray | None = None) -> np.ndarray:
    """Whether each text's compound score is ≤ -0.05; a null text is not negative.

    With `only` (a boolean mask), texts outside it are not scored and come out False.
    """
    values = pc.fill_null(texts, "").to_pylist()
    out = np.zeros(len(values), dtype=bool)
    score = _analyzer().polarity_scores
    for i in np.flatnonzero(only) if only is not None else range(len(values)):
        out[i] = score(values[i])["compound"] <= THRESHOLD
    return out
