"""The follower audit: the shipped model is the one the training script makes from the shared
data and meets its targets; odd profiles never crash it; the demo's bought and giveaway spikes
are found and engage less than organic followers."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from pathlib import Path

import numpy as np
import pyarrow as pa
import pytest
from conftest import SHARED, CliRun

from convivial import synth
from convivial.audit import train
from convivial.audit.datasets import (
    INSTAGRAM_TEST,
    INSTAGRAM_TRAIN,
    checksums,
    read_cresci,
    read_instagram,
)
from convivial.audit.features import FEATURES, features
from convivial.audit.model import classify
from convivial.audit.scale import SCALED, Scales

DATA = SHARED / "fake_followers"
META = json.loads((Path(train.__file__).with_name("model.json")).read_text(encoding="utf-8"))


def test_the_shipped_model_was_trained_on_the_shared_data() -> None:
    assert META["trained_on"] == checksums(DATA)


def test_training_again_gives_the_evaluation_shipped_with_the_model() -> None:
    found = train.evaluate(
        read_cresci(DATA),
        read_instagram(DATA, INSTAGRAM_TRAIN),
        read_instagram(DATA, INSTAGRAM_TEST),
    )
    assert json.loads(json.dumps(found)) == META["evaluation"]


def test_targets() -> None:
    evaluation = META["evaluation"]
    assert evaluation["cresci_cv"]["mcc"] >= 0.95
    assert evaluation["instagram_test"]["accuracy"] >= 0.90
    best_rule = max(r["mcc"] for r in evaluation["rules"].values())
    assert evaluation["cresci_cv"]["mcc"] > best_rule


@pytest.mark.parametrize(
    ("profile", "doubtful"),
    [
        ({}, True),  # nothing known
        ({"followers": -5, "following": "lots", "posts": None}, True),
        ({"bio": "x" * 10_000_000, "handle": "", "display_name": None}, True),
        ({"created_at": datetime(2999, 1, 1), "followers": 10}, True),
        ({"followers": float("nan"), "last_post_at": datetime(1970, 1, 1)}, True),
        ({"handle": "😀😀", "display_name": "😀", "posts": 0}, False),
    ],
)
def test_odd_profiles_get_a_class_and_a_flag_never_a_crash(
    profile: dict[str, object], doubtful: bool
) -> None:
    audit = classify([profile], datetime(2026, 1, 1))
    assert audit.classes[0] in {"fake", "dormant", "real"}
    assert 0 <= audit.fake_probability[0] <= 1
    assert bool(audit.doubtful[0]) is doubtful


def test_the_demo_spikes_are_found_and_engage_less(tmp_path: Path, cli: CliRun) -> None:
    root = tmp_path / "demo"
    assert cli("demo", root)[0] == 0
    code, out, _ = cli("-w", root, "audit", "--format", "json")
    assert code == 0
    [team] = json.loads(out)
    days = {s["day"]: s for s in team["spikes"]}
    bought = str((synth.START + timedelta(days=synth.BOUGHT_DAY)).date())
    giveaway = str((synth.START + timedelta(days=synth.GIVEAWAY_DAY)).date())
    assert set(days) == {bought, giveaway}
    for spike in days.values():
        assert spike["engaged_share"] < spike["organic_engaged_share"] / 5
    assert days[bought]["fake_share"] > 0.9
    followers = team["followers"]
    assert len(followers) == team["metrics"]["followers"] > 1000
    assert {f["class"] for f in followers} == {"fake", "dormant", "real"}
    assert all({"account_id", "class", "score"} <= set(f) for f in followers)
    code, out, _ = cli("-w", root, "audit")
    assert code == 0 and "Follower spikes" in out and "Most likely fake" in out


def test_what_a_platform_never_shows_is_missing_not_zero() -> None:
    as_of = datetime(2026, 1, 1)
    bluesky = features([{"platform": "bluesky", "followers": 10, "profile_url": "x"}], as_of)
    assert np.isnan(bluesky.matrix[0, FEATURES.index("has_url")])  # Bluesky shows no profile URL
    profiled = features([{"platform": "twitter", "followers": 3, "bio": None}], as_of).matrix[0]
    assert profiled[FEATURES.index("bio_length")] == 0  # a profile read with no bio: empty
    named = features([{"platform": "twitter", "handle": "ann", "bio": None}], as_of).matrix[0]
    assert np.isnan(named[FEATURES.index("bio_length")])  # only a name in someone's data


def test_a_table_and_its_rows_get_the_same_audit() -> None:
    table = pa.table(
        {
            "platform": ["twitter", "bluesky", None, "mastodon"],
            "handle": ["ann_1984", "bo.bsky.social", "", "z\u00e9\u0661\u0662\u00b2"],
            "followers": pa.array([120, 3, None, -1], pa.int64()),
            "following": pa.array([80, 900, None, 5], pa.int64()),
            "posts": pa.array([0, 12, None, 7], pa.int64()),
            "bio": ["cyclist", None, None, "x" * 10_001],
            "profile_url": ["https://a.example", "https://b.example", None, ""],
            "default_avatar": [False, True, None, None],
            "created_at": pa.array([datetime(2020, 1, 1), None, None, datetime(2027, 1, 1)]),
            "last_post_at": pa.array([None, datetime(2025, 1, 1), None, datetime(2025, 12, 1)]),
        }
    )
    as_of = datetime(2026, 1, 1)
    by_table, by_rows = classify(table, as_of), classify(table.to_pylist(), as_of)
    assert list(by_table.classes) == list(by_rows.classes)
    assert np.array_equal(by_table.fake_probability, by_rows.fake_probability)
    assert list(by_table.doubtful) == list(by_rows.doubtful) == [False, False, True, True]
    matrix = features(table, as_of).matrix
    assert np.array_equal(matrix, features(table.to_pylist(), as_of).matrix, equal_nan=True)
    # digits of any script: two Arabic-Indic digits and a superscript two, of five characters
    assert matrix[3, FEATURES.index("handle_digits")] == 3 / 5


def test_counts_read_from_text_are_numbers() -> None:
    as_of = datetime(2026, 1, 1)
    read = [{"followers": "12", "following": " 3 ", "posts": "", "bio_length": "x"}]
    given = [{"followers": 12, "following": 3, "posts": None, "bio_length": 0}]
    read_at, given_at = features(read, as_of), features(given, as_of)
    assert np.array_equal(read_at.matrix, given_at.matrix, equal_nan=True)


def test_counts_are_read_on_their_platform_s_scale() -> None:
    column = FEATURES.index("log_followers")
    rows = np.zeros((8, len(FEATURES)))
    rows[:, column] = [1, 2, 3, 4, 5, 6, 7, 99]  # the last one fake, never part of a scale
    platform = np.array(["a"] * 4 + ["b"] * 4)
    scales = Scales.of_real(rows, np.arange(8) == 7, platform)
    score = np.zeros((4, len(FEATURES)))
    score[:, column] = [3.0, 3.0, 3.0, np.nan]
    read = scales.relative(score, np.array(["a", "b", None, "a"], dtype=object))
    # quartiles of a (1..4): 1.75, 2.5, 3.25; b (5..7): 5.5, 6, 6.5; all real (1..7): 2.5, 4, 5.5
    assert read[:, column].tolist()[:3] == [1 / 3, -3.0, -1 / 3]
    assert np.isnan(read[3, column])  # missing stays missing
    others = [i for i, name in enumerate(FEATURES) if name not in SCALED]
    assert np.array_equal(read[:, others], score[:, others])
