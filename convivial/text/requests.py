"""Requests (METRICS.md, "Service"): a message that asks or complains.

- `questions`: a "?" outside links, or a phrase of `data/question_phrases.txt` ("how do i",
  "any update");
- `problems`: a phrase of `data/problem_phrases.txt` ("not working", "never arrived", "refund"),
  once the phrases of `data/not_problem_phrases.txt` ("no problem", "can't wait") are taken out;
- `negative`: VADER compound ≤ -0.05 (`sentiment`).

A request is a question, a problem or a negative message. Whether it was directed at a team, and
by a member, is the metrics' business, not the text's.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from convivial.text import sentiment
from convivial.text.cleaning import words_only
from convivial.text.wordlists import matches, phrase_pattern, phrases

__all__ = ["LISTS", "RequestSignals", "is_request", "request_signals"]

LISTS = ("question_phrases", "problem_phrases", "not_problem_phrases")


@dataclass(frozen=True)
class RequestSignals:
    """Per text: holds a question, reports a problem, reads negative (scored only if neither)."""

    question: np.ndarray
    problem: np.ndarray
    negative: np.ndarray

    @property
    def request(self) -> np.ndarray:
        either: np.ndarray = self.question | self.problem | self.negative
        return either


@cache
def _patterns() -> tuple[str, str, str]:
    return (
        # a question mark, ASCII or full-width
        phrase_pattern(phrases("question_phrases")) + "|[?\uff1f]",
        phrase_pattern(phrases("problem_phrases")),
        phrase_pattern(phrases("not_problem_phrases")),
    )


def request_signals(texts: pa.Array) -> RequestSignals:
    """The three signals of each text; `negative` is computed only where the others are False."""
    question_re, problem_re, not_problem_re = _patterns()
    words = words_only(texts)
    question = matches(words, question_re)
    problem = matches(pc.replace_substring_regex(words, not_problem_re, " "), problem_re)
    negative = sentiment.negative(texts, only=~(question | problem))
    return RequestSignals(question, problem, negative)


def is_request(text: str) -> bool:
    """Whether one text asks or complains."""
    return bool(request_signals(pa.array([text])).request[0])
