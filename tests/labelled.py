"""The hand-labelled messages of tests/data/labels, and the classifiers' precision and recall.

Ten sets, labelled by people reading each message, never by rules:
- `service_labels.csv`: the development set, read while the word lists were written;
- `service_heldout.csv`: held out at first, then also read for a second round of the lists;
- `service_test.csv`: labelled after that round; never read for requests and signatures, but
  its deflection misses were read for a third round of the deflection rules;
- `service_final.csv`: 200 brand replies labelled after the third round and never read to tune
  anything then; its deflection and signature misses were later read for a fourth round of the
  deflection rules (and two fixes to signatures);
- `service_fifth.csv`: 200 more brand replies, drawn at random (seed 5) from those in no other
  label file and labelled before that fourth round, never read to tune anything then: its
  signature figures are the ones to quote (requests: `service_test`); its deflection misses and
  false alarms were later read for a fifth round of the deflection rules;
- `service_sixth.csv`: 200 more brand replies, drawn at random (seed 6) from those in no other
  label file, labelled before that fifth round and never read for signatures; its deflection
  misses and false alarms were later read for a sixth round of the deflection rules;
- `service_seventh.csv`: 200 more brand replies, drawn at random (seed 8) from those in no other
  label file, labelled after that fifth round by someone who never saw the rules, and never read
  for signatures: its signature figures are the ones to quote; its deflection misses and false
  alarms were read for the sixth round too (its deflection figures before that round are the
  ones to quote, in docs/classifiers.md);
- `service_eighth.csv`: 200 more brand replies, drawn at random (seed 10) from those in no other
  label file, labelled after the sixth round of the deflection rules by someone who never saw
  the rules, and never read to tune anything before the seventh round: its figures before that
  round are the ones to quote (in docs/classifiers.md); its deflection and signature misses and
  false alarms were then read for a seventh round of the deflection and signature rules, with
  the misses and false alarms left on every older set;
- `service_ninth.csv`: 200 more brand replies, drawn at random (seed 11) from those in no other
  label file, labelled after that seventh round by someone who never saw the rules, and never
  read to tune anything before the eighth round: its figures before that round are the ones to
  quote (in docs/classifiers.md); its deflection misses and false alarm were then read for an
  eighth round of the deflection rules, with the misses and false alarms left on every older set;
- `service_tenth.csv`: 200 more brand replies, drawn at random (seed 12) from those in no other
  label file, labelled after that eighth round by someone who never saw the rules, and never
  read to tune anything: its figures are the ones to quote.

Run `python tests/labelled.py` to print the table docs/classifiers.md shows.
"""

from __future__ import annotations

import csv
import gzip
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np
import pyarrow as pa

from convivial.text.deflection import deflections
from convivial.text.requests import request_signals
from convivial.text.signatures import signed

LABELS = Path(__file__).parent / "data" / "labels"
SHARED = Path(__file__).resolve().parents[2] / "shared" / "data"
SETS = (
    "service_labels",
    "service_heldout",
    "service_test",
    "service_final",
    "service_fifth",
    "service_sixth",
    "service_seventh",
    "service_eighth",
    "service_ninth",
    "service_tenth",
)
SET_NAMES = {
    "service_labels": "development",
    "service_heldout": "second round",
    "service_test": "third round",
    "service_final": "final",
    "service_fifth": "fifth round",
    "service_sixth": "sixth round",
    "service_seventh": "seventh round",
    "service_eighth": "eighth round",
    "service_ninth": "ninth round",
    "service_tenth": "tenth round",
}

CLASSIFIERS: dict[str, Callable[[pa.Array], np.ndarray]] = {
    "request": lambda texts: request_signals(texts).request,
    "deflection": deflections,
    "signed": signed,
}


@dataclass(frozen=True)
class Score:
    """Precision and recall of one classifier on one set (or one source within it)."""

    label: str
    labelled_set: str
    source: str
    messages: int
    positives: int
    precision: float
    recall: float


@cache
def texts() -> dict[tuple[str, str], str]:
    """The text of every TWCS tweet and Reddit item the sets may name, by (source, id)."""
    out: dict[tuple[str, str], str] = {}
    for name in ("twcs_head5000.csv", "twcs_random5000.csv"):
        with (SHARED / "twcs" / name).open(newline="", encoding="utf-8") as f:
            for row in csv.DictReader(f):
                out[("twcs", row["tweet_id"])] = row["text"]
    with gzip.open(SHARED / "reddit" / "reddit_college_3subs.csv.gz", "rt", newline="") as f:
        for row in csv.DictReader(f):
            title = f"{row['title']}\n" if row["title"] else ""
            out[("reddit", row["item_id"])] = title + row["text"]
    return out


def rows(labelled_set: str) -> list[dict[str, str]]:
    with (LABELS / f"{labelled_set}.csv").open(newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def scores(labelled_set: str) -> list[Score]:
    """Each classifier's precision and recall on the set, overall and per source."""
    found = texts()
    out = []
    for label, classify in CLASSIFIERS.items():
        chosen = [r for r in rows(labelled_set) if r[label] in ("0", "1")]
        if not chosen:  # the set does not label this (final and later: brand replies only)
            continue
        predicted = classify(pa.array([found[(r["source"], r["message_id"])] for r in chosen]))
        truth = np.array([r[label] == "1" for r in chosen])
        sources = np.array([r["source"] for r in chosen])
        for source in ("all", *sorted(set(sources))):
            pick = np.ones(len(chosen), bool) if source == "all" else sources == source
            if source != "all" and bool(pick.all()):
                continue
            tp = int((predicted & truth & pick).sum())
            fp = int((predicted & ~truth & pick).sum())
            fn = int((~predicted & truth & pick).sum())
            out.append(
                Score(
                    label,
                    labelled_set,
                    str(source),
                    int(pick.sum()),
                    int((truth & pick).sum()),
                    tp / (tp + fp) if tp + fp else 0.0,
                    tp / (tp + fn) if tp + fn else 0.0,
                )
            )
    return out


def table() -> str:
    """The Markdown table of every score, as docs/classifiers.md shows it."""
    lines = [
        "| classifier | set | messages | source | labelled yes | precision | recall |",
        "|---|---|---|---|---|---|---|",
    ]
    for labelled_set in SETS:
        for s in scores(labelled_set):
            lines.append(
                f"| {s.label} | {SET_NAMES[labelled_set]} | {s.messages} | {s.source}"
                f" | {s.positives} | {s.precision:.2f} | {s.recall:.2f} |"
            )
    return "\n".join(lines)


if __name__ == "__main__":
    print(table())
