"""Benchmark: scoring 1,000,000 follower profiles with the audit model.

Profiles: the 3,394 labelled profiles of ../shared/data/fake_followers (Cresci 2015 and the
Instagram train split, as `audit.datasets` reads them) resampled to N with their counts jittered,
so that no two are alike. In one process, timed with perf_counter: `audit.model.classify` on all
N (features, the model's probabilities, the dormant rule), against the baseline of the paper's
best single rule ("at least 30 followers", `audit.rules`) over the same profiles.
Prints the time against the target (<= 30 s) and the ratio to the rule.
Usage: python bench/audit.py [--profiles 1000000]
"""

from __future__ import annotations

import argparse
import random
import time
from datetime import datetime

import numpy as np
from analyse import verdict
from common import SHARED

from convivial.audit.datasets import INSTAGRAM_TRAIN, read_cresci, read_instagram
from convivial.audit.model import classify
from convivial.audit.rules import RULES

SECONDS = 30.0


def profiles(n: int) -> list[dict[str, object]]:
    data = SHARED / "data" / "fake_followers"
    rows = read_cresci(data).rows + read_instagram(data, INSTAGRAM_TRAIN).rows
    rng = random.Random(3)
    out = []
    for _ in range(n):
        row = dict(rng.choice(rows))
        for key in ("followers", "following", "posts"):
            if row.get(key) not in (None, ""):
                row[key] = int(float(str(row[key])) * rng.uniform(0.8, 1.25))
        out.append(row)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--profiles", type=int, default=1_000_000)
    args = parser.parse_args()
    rows = profiles(args.profiles)
    as_of = datetime(2016, 1, 1)
    start = time.perf_counter()
    RULES["followers >= 30"](rows)
    rule = time.perf_counter() - start
    start = time.perf_counter()
    audit = classify(rows, as_of)
    took = time.perf_counter() - start
    fake = int(np.count_nonzero(audit.classes == "fake"))
    print(
        f"{len(rows):,} profiles: audit model {took:.1f} s ({fake:,} fake); rule baseline"
        f" {rule:.1f} s; model / rule = {took / rule:.1f}x;"
        f" target <= {SECONDS:.0f} s: {verdict(took <= SECONDS)}"
    )


if __name__ == "__main__":
    main()
