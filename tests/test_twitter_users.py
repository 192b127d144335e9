"""The twitter-users source: the Cresci 2015 follower profiles, imported as followers of a team
and audited; bad rows kept aside with their line."""

from __future__ import annotations

import json
from pathlib import Path

from conftest import SHARED, CliRun

HUMANS = SHARED / "fake_followers" / "cresci2015_E13_humans.csv"
FAKES = SHARED / "fake_followers" / "cresci2015_INT_fakes.csv"


def test_a_follower_list_is_audited(tmp_path: Path, cli: CliRun) -> None:
    root = tmp_path / "ws"
    assert cli("-w", root, "init", "--team", "Shop", "--brand", "twitter:myshop")[0] == 0
    code, out, err = cli(
        "-w", root, "import", "twitter-users", HUMANS, FAKES, "--followers-of", "Shop"
    )
    assert code == 0, err
    assert "1,481 rows read" in out and "1,337 follows" in out
    code, out, _ = cli("-w", root, "audit", "--team", "Shop", "--format", "json")
    assert code == 0
    audit = json.loads(out)
    assert audit["metrics"]["followers"] == 2818
    classes = {f["account_id"]: f["class"] for f in audit["followers"]}
    assert sum(c == "fake" for c in classes.values()) > 1300  # the model learnt these files
    with FAKES.open(encoding="utf-8") as f:
        first_fake = f.readlines()[1].split(",")[0]
    assert classes[first_fake] == "fake"


def test_bad_rows_and_unknown_teams(tmp_path: Path, cli: CliRun) -> None:
    root = tmp_path / "ws"
    assert cli("-w", root, "init", "--team", "Shop")[0] == 0
    users = tmp_path / "users.jsonl"
    users.write_text(
        '{"id_str": "1", "screen_name": "ann", "followers_count": 12}\n'
        "not json\n"
        '{"id_str": "2", "followers_count": "many"}\n'
        '{"id_str": "3", "created_at": "2099-01-01T00:00:00Z", "followers_count": -4}\n',
        encoding="utf-8",
    )
    code, _, err = cli("-w", root, "import", "twitter-users", users, "--followers-of", "Nope")
    assert code == 1 and "no such team" in err
    code, _, err = cli("-w", root, "import", "twitter-users", users, "--followers-of", "Shop")
    assert code == 1 and "has no brand account" in err
    code, _, err = cli("-w", root, "import", "twitter-users", users)
    assert code == 0
    assert "2 bad rows" in err and "line 2: not JSON" in err and "followers_count is 'many'" in err
