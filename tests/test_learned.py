"""The learned deflection model: its features, the shipped file is the one the training script
makes from the labelled sets, its leave-one-set-out figures are kept, and it reads clear texts
as a person would. docs/classifiers.md reports its evaluation."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pyarrow as pa
import pytest

from convivial.text import train
from convivial.text.learned import features, load

DOCS = Path(__file__).resolve().parents[1] / "docs" / "classifiers.md"
SHIPPED: dict[str, Any] = json.loads(train.OUT.read_text(encoding="utf-8"))


def test_features_are_words_and_word_pairs_of_the_cleaned_text() -> None:
    rows, found = features(
        pa.array(["@Brand We\u2019d love to help: https://t.co/x CALL 1-800", None, "", "#Sale!"])
    )
    assert rows.tolist() == [0] * 8 + [3] + [0] * 7  # no features for a null or empty text
    assert found.to_pylist() == [
        *("wed", "love", "to", "help", "http", "call", "0", "000", "sale"),
        *("wed love", "love to", "to help", "help http", "http call", "call 0", "0 000"),
    ]


def test_training_again_gives_the_shipped_model() -> None:
    assert train.build() == SHIPPED


@pytest.mark.parametrize(
    ("text", "deflects"),
    [
        ("@1 Please DM us your account details and we will take a look.", True),
        ("@1 Send us a DM with your full name and email address.", True),
        ("@1 Please call us at 1-800-275-2273 so our team can help.", True),
        ("@1 Your flight leaves at 5 pm from gate 12.", False),
        ("@1 Have you tried restarting the app? Let us know how it goes!", False),
        ("@1 Thanks for the kind words, we will pass them on to the crew.", False),
        (None, False),
    ],
)
def test_the_model_reads_clear_replies(text: str | None, deflects: bool) -> None:
    assert bool(load("deflection_model").flags(pa.array([text], pa.string()))[0]) is deflects


LEFT_OUT_FLOORS = {
    "service_labels": (1.0, 1.0),
    "service_heldout": (0.98, 0.96),
    "service_test": (1.0, 1.0),
    "service_final": (0.97, 0.97),
    "service_fifth": (0.98, 1.0),
    "service_sixth": (0.96, 0.87),  # the one set the rules never read
}
"""(precision, recall) of the rules or the model on each set, scored by models trained on the
other five: the measured figures rounded down."""


def test_left_out_sets_keep_their_figures_and_the_model_costs_the_rules_nothing() -> None:
    evaluation = SHIPPED["evaluation"]
    assert [s["set"] for s in evaluation["per_set"]] == list(LEFT_OUT_FLOORS)
    for s in evaluation["per_set"]:
        precision, recall = LEFT_OUT_FLOORS[s["set"]]
        combined, rules = s["combined"], s["rules"]
        assert combined["precision"] >= precision and combined["recall"] >= recall, s
        assert combined["precision"] >= rules["precision"], s
        assert combined["recall"] >= rules["recall"], s


def test_the_docs_show_the_evaluation() -> None:
    docs = DOCS.read_text(encoding="utf-8")
    assert train.table(SHIPPED["evaluation"]) in docs
    assert train.grid_table(SHIPPED["evaluation"]) in docs


def test_scoring_needs_no_scikit_learn() -> None:
    code = (
        "import sys, pyarrow as pa\n"
        "from convivial.text.learned import load\n"
        "load('deflection_model').flags(pa.array(['@1 DM us']))\n"
        "assert 'sklearn' not in sys.modules\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
