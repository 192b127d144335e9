"""Train the follower audit model and evaluate it: `python -m convivial.audit.train [DATA]`.

DATA defaults to ../shared/data/fake_followers beside the checkout. Writes, next to this file,
`model.joblib` (`model.Model`: a gradient-boosted trees classifier over `features.FEATURES`,
held to each feature's direction, the scale-dependent ones read on each platform's scale,
`scale.Scales`, all from Cresci 2015 and the Instagram train split) and `model.json` (the training
files' checksums, library versions, the scales and the evaluation):
- `cresci_cv`: 5-fold cross-validation on Cresci 2015, stratified and grouped by account, so no
  account is ever in both training and test (the Instagram train split is in every training
  fold);
- `instagram_test`: the Instagram test split, never trained on;
- `held_out_sources`: each source left out of training in turn (the human sample, the bought
  fakes, the Instagram accounts), scored on it, with the ROC AUC of its scores against the other
  accounts of its platform (`held_out`);
- `rules`: the rules commercial audit services used, on Cresci 2015 (`audit.rules`).
Each model's scales come from its own training rows only: with the human sample left out there is
no Twitter scale, and Twitter accounts are read on the pooled one, as an unknown platform's are.
Every evaluation gives accuracy, precision, recall, F1 and MCC at the model's threshold
(`model.FAKE_FROM`) and the ROC AUC of its probabilities. The package ships the result; convivial
never trains at run time.
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
    roc_auc_score,
)
from sklearn.model_selection import KFold, StratifiedGroupKFold

from convivial.audit import rules
from convivial.audit.datasets import (
    INSTAGRAM_TEST,
    INSTAGRAM_TRAIN,
    Labelled,
    checksums,
    read_cresci,
    read_instagram,
)
from convivial.audit.features import DIRECTION, FEATURES, features
from convivial.audit.model import FAKE_FROM, Model
from convivial.audit.scale import SCALED, Scales

HERE = Path(__file__).parent
DEFAULT_DATA = Path(__file__).resolve().parents[3] / "shared" / "data" / "fake_followers"
AS_OF = datetime(2020, 1, 1)
"""Read time for profiles that carry none (Instagram): only the check that an account was not
created after it is read uses it, and they have no creation date."""
SEED = 0


def trees() -> HistGradientBoostingClassifier:
    """Trees held to each feature's direction (`features.DIRECTION`), the two classes weighing
    the same whatever their counts."""
    return HistGradientBoostingClassifier(
        monotonic_cst=[DIRECTION[name] for name in FEATURES],
        class_weight="balanced",
        early_stopping=False,
        random_state=SEED,
    )


def fit(x: np.ndarray, y: np.ndarray, platform: np.ndarray) -> Model:
    """The model trained on the rows `x` (of `platform`), fake where `y`, with the scales of
    their real accounts."""
    scales = Scales.of_real(x, y, platform)
    return Model(trees().fit(scales.relative(x, platform), y), scales)


def scores(truth: np.ndarray, fake: np.ndarray) -> dict[str, Any]:
    """Accuracy, precision, recall, F1 and MCC at FAKE_FROM, fake being the positive class, and
    the ROC AUC of the probabilities `fake` (None when `truth` holds one class)."""
    said = fake >= FAKE_FROM
    return {
        "accuracy": float(accuracy_score(truth, said)),
        "precision": float(precision_score(truth, said, zero_division=0)),
        "recall": float(recall_score(truth, said, zero_division=0)),
        "f1": float(f1_score(truth, said, zero_division=0)),
        "mcc": float(matthews_corrcoef(truth, said)),
        "roc_auc": float(roc_auc_score(truth, fake)) if len(set(truth)) == 2 else None,
        "accounts": len(truth),
    }


def held_out(
    x: np.ndarray, y: np.ndarray, source: np.ndarray, platform: np.ndarray
) -> dict[str, dict[str, Any]]:
    """Each source scored by models trained without it. Its ROC AUC is over it and the other
    accounts of its platform (`roc_auc_accounts`), so that a source of one class is still ranked
    against the other: those are scored out of fold, by 5 models each trained without the source
    and a fifth of them, and the source by the mean of the 5."""
    out = {}
    for name in sorted(set(source)):
        held = source == name
        paired = np.flatnonzero(~held & (platform == platform[held][0]))
        fake = np.zeros(len(y))
        if len(paired):
            for _, part in KFold(5, shuffle=True, random_state=SEED).split(paired):
                keep = ~held
                keep[paired[part]] = False
                m = fit(x[keep], y[keep], platform[keep])
                fake[held] += m.fake_probability(x[held], platform[held]) / 5
                fake[paired[part]] = m.fake_probability(x[paired[part]], platform[paired[part]])
        else:
            fake[held] = fit(x[~held], y[~held], platform[~held]).fake_probability(
                x[held], platform[held]
            )
        result = scores(y[held], fake[held])
        ranked = held.copy()
        ranked[paired] = True
        result["roc_auc"] = float(roc_auc_score(y[ranked], fake[ranked]))
        result["roc_auc_accounts"] = int(ranked.sum())
        out[name] = result
    return out


def arrays(data: Labelled) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The features, whether fake and the platform of each profile of `data`."""
    platform = np.array([row["platform"] for row in data.rows])
    return features(data.rows, AS_OF).matrix, np.array(data.fake), platform


def evaluate(cresci: Labelled, train: Labelled, test: Labelled) -> dict[str, Any]:
    (xc, yc, pc), (xi, yi, pi), (xt, yt, pt) = map(arrays, (cresci, train, test))
    fake = np.zeros(len(yc))
    folds = StratifiedGroupKFold(n_splits=5, shuffle=True, random_state=SEED)
    for part, held in folds.split(xc, yc, groups=cresci.account):
        m = fit(
            np.vstack([xc[part], xi]),
            np.concatenate([yc[part], yi]),
            np.concatenate([pc[part], pi]),
        )
        fake[held] = m.fake_probability(xc[held], pc[held])
    out: dict[str, Any] = {"cresci_cv": scores(yc, fake)}
    m = fit(np.vstack([xc, xi]), np.concatenate([yc, yi]), np.concatenate([pc, pi]))
    out["instagram_test"] = scores(yt, m.fake_probability(xt, pt))
    out["held_out_sources"] = held_out(
        np.vstack([xc, xi, xt]),
        np.concatenate([yc, yi, yt]),
        np.array(cresci.source + train.source + test.source),
        np.concatenate([pc, pi, pt]),
    )
    out["rules"] = {
        name: scores(yc, rule(cresci.rows).astype(float)) for name, rule in rules.RULES.items()
    }
    return out


def main() -> None:
    data = Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_DATA
    cresci = read_cresci(data)
    train = read_instagram(data, INSTAGRAM_TRAIN)
    test = read_instagram(data, INSTAGRAM_TEST)
    evaluation = evaluate(cresci, train, test)
    (xc, yc, pc), (xi, yi, pi) = arrays(cresci), arrays(train)
    m = fit(np.vstack([xc, xi]), np.concatenate([yc, yi]), np.concatenate([pc, pi]))
    joblib.dump(m, HERE / "model.joblib", compress=3)
    scales = {**m.scales.platforms, "pooled": m.scales.pooled}
    meta = {
        "features": list(FEATURES),
        "trained_on": checksums(data),
        "scikit_learn": version("scikit-learn"),
        "scales": {
            name: dict(zip(SCALED, q.T.round(4).tolist(), strict=True))
            for name, q in scales.items()
        },
        "evaluation": evaluation,
    }
    (HERE / "model.json").write_text(json.dumps(meta, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(evaluation, indent=2))


if __name__ == "__main__":
    main()
