"""A linear text model: weights on the words and word pairs a text holds.

A text's features are its words and pairs of adjacent words, each present or not, after the
cleaning the rules use: links become the word `http` (a link offered is a signal), @handles are
taken out, and the text is lower-cased; apostrophes are dropped ("we'd" is `wed`), every digit
reads 0 (phone numbers look alike), and anything but letters and digits splits words. A model
is `data/NAME.json`: its `features` (sorted), their `weights`, a `bias` and a `threshold`; a
text's score is the logistic of the bias plus the weights of the features it holds, and it is
flagged when the score reaches the threshold. Texts are scored all at once, as Arrow arrays.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from importlib import resources

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from convivial.text.cleaning import LINK

__all__ = ["LinearModel", "features", "load", "presence"]

_HANDLE = r"@[A-Za-z0-9_]+"
_SPACE = pa.scalar(" ", pa.large_string())


def features(texts: pa.Array) -> tuple[np.ndarray, pa.Array]:
    """Every feature of every text: the text's index and the feature, text by text (a null or
    empty text has none)."""
    t = pc.fill_null(texts.cast(pa.large_string()), "")
    t = pc.replace_substring_regex(t, LINK, " http ")
    t = pc.replace_substring_regex(t, _HANDLE, " ")
    t = pc.replace_substring_regex(pc.utf8_lower(t), "['\u2019]", "")
    t = pc.replace_substring_regex(t, r"\d", "0")
    t = pc.utf8_trim_whitespace(pc.replace_substring_regex(t, r"[^\p{L}\p{N}]+", " "))
    words = pc.utf8_split_whitespace(t)
    row = np.repeat(np.arange(len(t)), np.diff(np.asarray(words.offsets)))
    flat = pc.list_flatten(words)
    word = np.asarray(pc.not_equal(flat, ""))  # an empty text splits into one empty word
    flat, row = flat.filter(pa.array(word)), row[word]
    pairs = np.flatnonzero(row[1:] == row[:-1])
    joined = pc.binary_join_element_wise(flat[:-1], flat[1:], _SPACE) if len(flat) else flat
    found = pa.concat_arrays([flat, joined.take(pa.array(pairs, pa.int64()))])
    return np.concatenate([row, row[pairs]]), found


def presence(texts: pa.Array, vocabulary: pa.Array) -> tuple[np.ndarray, np.ndarray]:
    """(text, feature) index pairs, once each, of the features of `vocabulary` (sorted, no
    repeats) that each text holds."""
    row, found = features(texts)
    at = pc.index_in(found, value_set=vocabulary)
    known = np.asarray(pc.is_valid(at))
    col = np.asarray(at.drop_null(), dtype=np.int64)
    pair = np.unique(row[known] * len(vocabulary) + col)
    return pair // max(len(vocabulary), 1), pair % max(len(vocabulary), 1)


@dataclass(frozen=True)
class LinearModel:
    """Weights on features (the fields of a model file)."""

    features: pa.Array
    weights: np.ndarray
    bias: float
    threshold: float

    def scores(self, texts: pa.Array) -> np.ndarray:
        """Each text's score, between 0 and 1."""
        row, col = presence(texts, self.features)
        total = np.bincount(row, weights=self.weights[col], minlength=len(texts)) + self.bias
        out: np.ndarray = 1.0 / (1.0 + np.exp(-total))
        return out

    def flags(self, texts: pa.Array) -> np.ndarray:
        """Whether each text's score reaches the threshold."""
        found: np.ndarray = self.scores(texts) >= self.threshold
        return found


@cache
def load(name: str) -> LinearModel:
    """The model of `data/NAME.json`."""
    data = resources.files("convivial.text").joinpath("data")
    model = json.loads(data.joinpath(f"{name}.json").read_text("utf-8"))
    return LinearModel(
        pa.array(model["features"], pa.large_string()),
        np.array(model["weights"], dtype=np.float64),
        float(model["bias"]),
        float(model["threshold"]),
    )
