"""The labelled follower data the audit model learns from (../shared/data/fake_followers), read
into the profile fields of `features`: Cresci et al. 2015 (Twitter v1.1 user objects: verified
humans of #elezioni2013 and fakes bought from "intertwitter") and the Kaggle Instagram
fake/genuine accounts (a train and a test split)."""

from __future__ import annotations

import csv
import hashlib
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

__all__ = [
    "CRESCI",
    "INSTAGRAM_TEST",
    "INSTAGRAM_TRAIN",
    "Labelled",
    "read_cresci",
    "read_instagram",
]

CRESCI = ("cresci2015_E13_humans.csv", "cresci2015_INT_fakes.csv")
INSTAGRAM_TRAIN = "instagram_kaggle_train.csv"
INSTAGRAM_TEST = "instagram_kaggle_test.csv"


@dataclass(frozen=True)
class Labelled:
    """Profiles (feature inputs), whether each is fake, its source and its account id."""

    rows: list[dict[str, Any]]
    fake: list[bool]
    source: list[str]
    account: list[str]


def read_cresci(folder: Path) -> Labelled:
    out = Labelled([], [], [], [])
    for name in CRESCI:
        with (folder / name).open(newline="", encoding="utf-8") as f:
            for r in csv.DictReader(f):
                out.rows.append(
                    {
                        "platform": "twitter",
                        "handle": r["screen_name"],
                        "followers": r["followers_count"],
                        "following": r["friends_count"],
                        "posts": r["statuses_count"],
                        "listed": r["listed_count"],
                        "bio": r["description"] or "",
                        "profile_url": r["url"] if r["url"] != "NULL" else "",
                        "default_avatar": r["default_profile_image"] == "1",
                        "created_at": _twitter_time(r["created_at"]),
                        "as_of": _crawled(r["updated"]),
                    }
                )
                out.fake.append(r["is_fake"] == "1")
                out.source.append(f"cresci2015 {r['dataset']}")
                out.account.append(f"twitter:{r['id']}")
    return out


def read_instagram(folder: Path, name: str) -> Labelled:
    out = Labelled([], [], [], [])
    with (folder / name).open(newline="", encoding="utf-8") as f:
        for i, r in enumerate(csv.DictReader(f)):
            out.rows.append(
                {
                    "platform": "instagram",
                    "followers": r["#followers"],
                    "following": r["#follows"],
                    "posts": r["#posts"],
                    "bio_length": r["description length"],
                    "has_url": r["external URL"] == "1",
                    "default_avatar": r["profile pic"] == "0",
                    "handle_digits": float(r["nums/length username"]),
                }
            )
            out.fake.append(r["fake"] == "1")
            out.source.append("instagram kaggle")
            out.account.append(f"instagram:{name}:{i}")
    return out


def checksums(folder: Path) -> dict[str, str]:
    """sha256 of each training and test file."""
    names = (*CRESCI, INSTAGRAM_TRAIN, INSTAGRAM_TEST)
    return {n: hashlib.sha256((folder / n).read_bytes()).hexdigest() for n in names}


def _twitter_time(text: str) -> datetime | None:
    try:
        return datetime.strptime(text, "%a %b %d %H:%M:%S %z %Y").replace(tzinfo=None)
    except ValueError:
        return None


def _crawled(text: str) -> datetime | None:
    try:
        return datetime.strptime(text, "%d-%m-%Y %H.%M")
    except ValueError:
        return None
