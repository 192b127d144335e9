"""Train the follower audit model and evaluate it: `python -m convivial.audit.train [DATA]`.

DATA defaults to ../shared/data/fake_followers beside the checkout. Writes, next to this file,
`model.joblib` (a gradient-boosted trees classifier over `features.FEATURES`, trained on all of
Cresci 2015 and the Instagram train split) and `model.json` (the training files' checksums,
library versions and the evaluation):
- `cresci_cv`: 5-fold cross-validation on Cresci 2015, stratified and grouped by account, so no
  account is ever in both training and test (the Instagram train split is in every training
  fold);
- `instagram_test`: the Instagram test split, never trained on;
- `held_out_sources`: each source left out of training in turn (the human sample, the bought
  fakes, the Instagram accounts), scored on it;
- `rules`: the rules commercial audit services used, on Cresci 2015 (`audit.rules`).
The package ships the result; convivial never trains at run time.
"""

from __future__ import annotations

import json
import sys
from datetime import datetime
from importlib.metadata import version
from pathlib import Path
from typing import Any

import joblib
import numpy as np
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.metrics import (
    accuracy_score,
    f1_score,
    matthews_corrcoef,
    precision_score,
    recall_score,
)
from sklearn.model_selection import StratifiedGroupKFold

from convivial.audit import rules
from convivial.audit.datasets import (
    INSTAGRAM_TEST,
    INSTAGRAM_TRAIN,
    Labelled,
    checksums,
    read_cresci,
    read_instagram,
)
from convivial.audit.features import FEATURES, features

HERE = Path(__file__).parent
DEFAULT_DATA = Path(__file__).resolve().parents[3] / "shared" / "data" / "fake_followers"
AS_OF = datetime(2020, 1, 1)
"""Read time for profiles that carry none (Instagram): only `age_days` uses it, and they have
no creation date."""
SEED = 0


def model() -> HistGradientBoostingClassifier:
    return HistGradientBoostingClassifier(random_state=SEED)


def scores(truth: np.ndarray, said: np.ndarray) -> dict[str, float]:
    """Accuracy, precision, recall, F1 and MCC, fake being the positive class."""
    return {
        "accuracy": float(accuracy_score(truth, said)),
        "precision": float(precision_score(truth, said, zero_division=0)),
        "recall": float(recall_score(truth, said, zero_division=0)),
        "f1": float(f1_score(truth, said, zero_division=0)),
        "mcc": float(matthews_corrcoef(truth, said)),
        "accounts": len(truth),
    }


def evaluate(cresci: Labelled, train: Labelled, test: Labelled) -> dict[str, Any]:
    xc, yc = features(cresci.rows, AS_OF).matrix, np.array(cresci.fake)
    xi, yi = features(train.rows, AS_OF).matrix, np.array(train.fake)
    xt, yt = features(test.rows, AS_OF).matrix, np.array(test.fake)
    said = np.zeros(len(yc), dtype=bool)
    folds = StratifiedGroupKFold(n_splits=5, shuffle=True, random_state=SEED)
    for fit, held in folds.split(xc, yc, groups=cresci.account):
        m = model().fit(np.vstack([xc[fit], xi]), np.concatenate([yc[fit], yi]))
        said[held] = m.predict(xc[held])
    out: dict[str, Any] = {"cresci_cv": scores(yc, said)}
    m = model().fit(np.vstack([xc, xi]), np.concatenate([yc, yi]))
    out["instagram_test"] = scores(yt, m.predict(xt))
    sources = np.array(cresci.source + train.source + test.source)
    x = np.vstack([xc, xi, xt])
    y = np.concatenate([yc, yi, yt])
    held_out = {}
    for source in sorted(set(sources)):
        keep = sources != source
        m = model().fit(x[keep], y[keep])
        held_out[source] = scores(y[~keep], m.predict(x[~keep]))
    out["held_out_sources"] = held_out
    out["rules"] = {name: scores(yc, rule(cresci.rows)) for name, rule in rules.RULES.items()}
    return out


def main() -> None:
    data = Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_DATA
    cresci = read_cresci(data)
    train = read_instagram(data, INSTAGRAM_TRAIN)
    test = read_instagram(data, INSTAGRAM_TEST)
    evaluation = evaluate(cresci, train, test)
    x = np.vstack([features(cresci.rows, AS_OF).matrix, features(train.rows, AS_OF).matrix])
    y = np.concatenate([cresci.fake, train.fake])
    joblib.dump(model().fit(x, y), HERE / "model.joblib", compress=3)
    meta = {
        "features": list(FEATURES),
        "trained_on": checksums(data),
        "scikit_learn": version("scikit-learn"),
        "evaluation": evaluation,
    }
    (HERE / "model.json").write_text(json.dumps(meta, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(evaluation, indent=2))


if __name__ == "__main__":
    main()
