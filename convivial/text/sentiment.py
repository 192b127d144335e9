"""Negative sentiment: VADER's compound score ≤ -0.05 (Hutto and Gilbert 2014).

VADER scores a text word by word in Python, some 10,000 to 20,000 messages a second on one core,
so callers pass only the texts whose answer they still need (`requests` scores only what no
rule has settled), and big batches are scored on every core.
"""

from __future__ import annotations

import os
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from functools import cache
from multiprocessing import get_context

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

__all__ = ["THRESHOLD", "compound", "negative"]

THRESHOLD = -0.05
PARALLEL_FROM = 20_000
"""Score batches at least this big in worker processes, one per core."""


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
    values = pc.fill_null(texts.cast(pa.string()), "").to_pylist()
    todo = np.flatnonzero(only) if only is not None else np.arange(len(values))
    out = np.zeros(len(values), dtype=bool)
    cores = os.cpu_count() or 1
    if len(todo) < PARALLEL_FROM or cores < 2:
        out[todo] = _negatives([values[i] for i in todo])
        return out
    parts = np.array_split(todo, cores * 4)
    try:
        # spawned, not forked: the parent holds a database's threads and locks
        with ProcessPoolExecutor(cores, mp_context=get_context("spawn")) as pool:
            scored = list(pool.map(_negatives, [[values[i] for i in part] for part in parts]))
    except BrokenProcessPool:  # a host program whose __main__ cannot be re-imported
        scored = [_negatives([values[i] for i in part]) for part in parts]
    for part, found in zip(parts, scored, strict=True):
        out[part] = found
    return out


def _negatives(texts: list[str]) -> list[bool]:
    score = _analyzer().polarity_scores
    return [score(t)["compound"] <= THRESHOLD for t in texts]
