"""Train the learned deflection model and evaluate it: `python -m convivial.text.train`.

Reads the service sets of tests/data/labels that label deflections, named one by one in `SETS`
(a set labelled later is read only once it is added there), with their texts from
../shared/data/twcs beside the checkout, and writes `data/deflection_model.json`:
- the model (`learned.LinearModel`): a logistic regression, L2-regularised with strength `C`,
  on the features (`learned.features`) that at least `MIN_TEXTS` training replies hold,
  trained on every set;
- `evaluation`: leave one set out. Each set is scored by models trained on the other sets, at
  every `C` of `C_GRID` and threshold of `THRESHOLDS`; the pair chosen is the one whose label,
  the rules or the model, has the best F1 over the left-out sets together (ties: the higher
  threshold, then the smaller `C`). Per set, `rules` and `combined` give that label's counts,
  precision and recall, and `pooled` the same over every set, beside the rules' alone;
- `trained_on`: the sets and the sha256 of their files and of the text files.

The package ships the result; convivial never trains at run time.
"""

from __future__ import annotations

import csv
import hashlib
import json
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
from sklearn.linear_model import LogisticRegression

from convivial.text.deflection import deflections
from convivial.text.learned import LinearModel, features, presence

ROOT = Path(__file__).resolve().parents[2]
LABELS = ROOT / "tests" / "data" / "labels"
TWCS = ROOT.parent / "shared" / "data" / "twcs"
TEXT_FILES = ("twcs_head5000.csv", "twcs_random5000.csv")
SETS = (
    "service_labels",
    "service_heldout",
    "service_test",
    "service_final",
    "service_fifth",
    "service_sixth",
)
OUT = Path(__file__).parent / "data" / "deflection_model.json"
MIN_TEXTS = 2
C_GRID = (0.3, 1.0, 3.0, 10.0)
THRESHOLDS = tuple(round(0.3 + 0.05 * i, 2) for i in range(14))  # 0.30 to 0.95

Labelled = dict[str, tuple[pa.Array, np.ndarray]]


def labelled() -> Labelled:
    """Each set's brand replies labelled for deflection: their texts and labels."""
    texts: dict[str, str] = {}
    for name in TEXT_FILES:
        with (TWCS / name).open(newline="", encoding="utf-8") as f:
            texts.update((r["tweet_id"], r["text"]) for r in csv.DictReader(f))
    out = {}
    for name in SETS:
        with (LABELS / f"{name}.csv").open(newline="", encoding="utf-8") as f:
            rows = [r for r in csv.DictReader(f) if r["deflection"] in ("0", "1")]
        assert all(r["source"] == "twcs" for r in rows), name
        out[name] = (
            pa.array([texts[r["message_id"]] for r in rows], pa.large_string()),
            np.array([r["deflection"] == "1" for r in rows]),
        )
    return out


def vocabulary(texts: pa.Array) -> pa.Array:
    """The features at least MIN_TEXTS of `texts` hold, sorted."""
    row, found = features(texts)
    once = pa.table({"f": found, "r": row}).group_by(["f", "r"]).aggregate([])
    held = once.group_by("f").aggregate([("r", "count")])
    kept = held.filter(pc.greater_equal(held["r_count"], MIN_TEXTS))["f"].combine_chunks()
    return kept.take(pc.sort_indices(kept))


def fit(texts: pa.Array, truth: np.ndarray, c: float) -> LinearModel:
    """A model of `texts` and their labels (its threshold left at 0.5)."""
    vocab = vocabulary(texts)
    row, col = presence(texts, vocab)
    x = np.zeros((len(texts), len(vocab)))
    x[row, col] = 1.0
    m = LogisticRegression(C=c, max_iter=10_000).fit(x, truth)
    weights = np.round(m.coef_[0], 6)
    return LinearModel(vocab, weights, round(float(m.intercept_[0]), 6), 0.5)


def counts(truth: np.ndarray, said: np.ndarray) -> dict[str, Any]:
    """Counts, precision and recall of `said` against `truth`."""
    tp = int((said & truth).sum())
    fp = int((said & ~truth).sum())
    fn = int((~said & truth).sum())
    return {
        "tp": tp,
        "fp": fp,
        "fn": fn,
        "precision": round(tp / (tp + fp), 4) if tp + fp else 0.0,
        "recall": round(tp / (tp + fn), 4) if tp + fn else 0.0,
    }


def f1(c: dict[str, Any]) -> float:
    return float(2 * c["tp"] / (2 * c["tp"] + c["fp"] + c["fn"]))


def evaluate(data: Labelled) -> dict[str, Any]:
    """Leave one set out: every (C, threshold) of the grid, with the deflections the model adds
    to the rules' on each left-out set (right, wrong) and the F1 of the sets together; the pair
    chosen, and each set's figures at it."""
    rules = {name: deflections(texts) for name, (texts, _) in data.items()}
    scores: dict[float, dict[str, np.ndarray]] = {}
    for c in C_GRID:
        scores[c] = {}
        for held in data:
            rest = [n for n in data if n != held]
            model = fit(
                pa.concat_arrays([data[n][0] for n in rest]),
                np.concatenate([data[n][1] for n in rest]),
                c,
            )
            scores[c][held] = model.scores(data[held][0])
    truth = np.concatenate([t for _, t in data.values()])
    ruled = np.concatenate(list(rules.values()))
    grid: list[dict[str, Any]] = []
    for c in C_GRID:
        for t in THRESHOLDS:
            added = {n: (scores[c][n] >= t) & ~rules[n] for n in data}
            together = counts(truth, ruled | np.concatenate(list(added.values())))
            grid.append(
                {
                    "C": c,
                    "threshold": t,
                    "added": {
                        n: [int((a & data[n][1]).sum()), int((a & ~data[n][1]).sum())]
                        for n, a in added.items()
                    },
                    "f1": round(f1(together), 4),
                }
            )
    best = max(grid, key=lambda g: (g["f1"], g["threshold"], -g["C"]))
    c, threshold = best["C"], best["threshold"]
    said = {n: rules[n] | (scores[c][n] >= threshold) for n in data}
    return {
        "C": c,
        "threshold": threshold,
        "per_set": [
            {
                "set": n,
                "replies": len(texts),
                "deflections": int(labels.sum()),
                "rules": counts(labels, rules[n]),
                "combined": counts(labels, said[n]),
            }
            for n, (texts, labels) in data.items()
        ],
        "pooled": {
            "rules": counts(truth, ruled),
            "combined": counts(truth, np.concatenate(list(said.values()))),
            "rules_f1": round(f1(counts(truth, ruled)), 4),
        },
        "grid": grid,
    }


def build() -> dict[str, Any]:
    """The model file's contents, trained and evaluated from the labelled sets."""
    data = labelled()
    evaluation = evaluate(data)
    model = fit(
        pa.concat_arrays([texts for texts, _ in data.values()]),
        np.concatenate([t for _, t in data.values()]),
        evaluation["C"],
    )
    files = [LABELS / f"{n}.csv" for n in SETS] + [TWCS / n for n in TEXT_FILES]
    return {
        "features": model.features.to_pylist(),
        "weights": model.weights.tolist(),
        "bias": model.bias,
        "threshold": evaluation["threshold"],
        "trained_on": {f.name: hashlib.sha256(f.read_bytes()).hexdigest() for f in files},
        "evaluation": evaluation,
    }


def table(evaluation: dict[str, Any]) -> str:
    """The Markdown table of the left-out sets' figures, as docs/classifiers.md shows it."""
    lines = [
        "| set left out | replies | deflections | rules: precision | recall"
        " | rules or model: precision | recall |",
        "|---|---|---|---|---|---|---|",
    ]
    for s in evaluation["per_set"]:
        r, c = s["rules"], s["combined"]
        lines.append(
            f"| {s['set']} | {s['replies']} | {s['deflections']} | {r['precision']:.2f}"
            f" | {r['recall']:.2f} | {c['precision']:.2f} | {c['recall']:.2f} |"
        )
    return "\n".join(lines)


def grid_table(evaluation: dict[str, Any], shown: tuple[float, ...] = (0.3, 0.5, 0.7, 0.9)) -> str:
    """The Markdown table of what the model adds to the rules at some points of the grid, as
    docs/classifiers.md shows it."""
    lines = [
        "| C | threshold | added, all sets: right | wrong | sixth set: right | wrong | F1 |",
        "|---|---|---|---|---|---|---|",
    ]
    for g in evaluation["grid"]:
        if g["threshold"] in shown:
            right = sum(r for r, _ in g["added"].values())
            wrong = sum(w for _, w in g["added"].values())
            sixth_right, sixth_wrong = g["added"]["service_sixth"]
            lines.append(
                f"| {g['C']:g} | {g['threshold']:.2f} | {right} | {wrong} | {sixth_right}"
                f" | {sixth_wrong} | {g['f1']:.3f} |"
            )
    pooled = evaluation["pooled"]
    lines.append(f"| rules alone | | | | | | {pooled['rules_f1']:.3f} |")
    return "\n".join(lines)


def main() -> None:
    built = build()
    OUT.write_text(json.dumps(built, ensure_ascii=False) + "\n", encoding="utf-8")
    print(table(built["evaluation"]))
    print(grid_table(built["evaluation"]))


if __name__ == "__main__":
    main()
