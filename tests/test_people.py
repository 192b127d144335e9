"""One person, many accounts: suggestions, automatic and hand merges, metrics counting people,
and an unmerge that restores exactly the state before."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import CliRun, count

from convivial import people
from convivial.people import Suggestion, merge_suggested, person_of, suggestions
from convivial.store import Store
from convivial.workspace import Workspace

DATA = Path(__file__).parent / "data" / "people"
ANNA = ("mastodon:anna@mastodon.social", "twitter:1001")


@pytest.fixture
def root(tmp_path: Path, cli: CliRun) -> Path:
    root = tmp_path / "ws"
    assert cli("-w", root, "init", "--team", "Shop", "--brand", "twitter:shop")[0] == 0
    code, _, err = cli("-w", root, "import", "csv", DATA / "accounts.csv", DATA / "messages.csv")
    assert code == 0, err
    return root


def _report(cli: CliRun, root: Path) -> dict[str, object]:
    code, out, err = cli("-w", root, "report", "--format", "json", "--team", "Shop")
    assert code == 0, err
    data: dict[str, object] = json.loads(out)
    return data


def _metrics(cli: CliRun, root: Path) -> dict[str, object]:
    metrics = _report(cli, root)["metrics"]
    assert isinstance(metrics, dict)
    return metrics


def _never_merge(root: Path) -> None:
    config = Workspace(root).config_path
    text = config.read_text(encoding="utf-8")
    config.write_text(text.replace("merge_above = 0.9", "merge_above = 1.1"), encoding="utf-8")


def test_suggestions_say_how_sure_and_why(root: Path) -> None:
    with Workspace(root).open_store() as store:
        found = {(s.a, s.b): (s.confidence, s.reasons) for s in suggestions(store)}
    assert found == {
        ANNA: (0.95, ("a bio links the other account",)),
        ("bluesky:carlaj.bsky.social", "twitter:1003"): (
            0.7,
            ("the same name and 2 shared contact(s)",),
        ),
        ("bluesky:dan.bsky.social", "twitter:1004"): (0.6, ("the same handle",)),
        ("bluesky:eve.bsky.social", "twitter:1005"): (0.6, ("the same handle",)),
        ("mastodon:bob_rides", "twitter:1002"): (0.6, ("the same handle",)),
    }  # the team's own account (twitter:shop) is never suggested


def test_a_common_name_or_handle_suggests_nobody(root: Path, cli: CliRun, tmp_path: Path) -> None:
    """Four accounts per platform named Sam Jones (and handled sam) say nothing of who is who:
    no pair of them is suggested, and the suggestions already found stay as they were."""
    with Workspace(root).open_store() as store:
        before = suggestions(store)
    rows = ["platform,account_id,handle,display_name"]
    for platform in ("twitter", "mastodon"):
        rows += [f"{platform},sam{i},sam@s{i}.example,Sam Jones" for i in range(4)]
    common = tmp_path / "common.csv"
    common.write_text("\n".join(rows) + "\n", encoding="utf-8")
    assert cli("-w", root, "import", "csv", common)[0] == 0
    with Workspace(root).open_store() as store:
        assert suggestions(store) == before


def test_suggestions_are_computed_again_only_when_the_store_or_threshold_changed(
    root: Path, cli: CliRun, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    computed = []

    def counted(store: Store) -> list[Suggestion]:
        computed.append(store)
        return suggestions(store)

    monkeypatch.setattr(people, "suggestions", counted)
    with Workspace(root).open_store() as store:
        assert [(s.a, s.b) for s in merge_suggested(store, 0.9)] == [ANNA]
        assert merge_suggested(store, 0.9) == []
        assert len(computed) == 1  # the store is as the merge left it
        assert merge_suggested(store, 0.5) != []
        assert len(computed) == 2
    more = tmp_path / "more.csv"
    more.write_text("platform,account_id,handle\ntwitter,2001,newcomer\n", encoding="utf-8")
    assert cli("-w", root, "import", "csv", more)[0] == 0
    with Workspace(root).open_store() as store:
        assert merge_suggested(store, 0.5) == []
        assert merge_suggested(store, 0.5) == []
    assert len(computed) == 3  # once more, after the import


def test_sure_suggestions_merge_by_themselves_and_metrics_count_people(
    root: Path, cli: CliRun
) -> None:
    _never_merge(root)
    apart = _metrics(cli, root)["active_members"]
    config = Workspace(root).config_path
    config.write_text(config.read_text().replace("merge_above = 1.1", "merge_above = 0.9"))
    assert _metrics(cli, root)["active_members"] == apart - 1  # type: ignore[operator]
    with Workspace(root).open_store() as store:
        assert [(m["a"], m["b"], m["merged_by"]) for m in store.merges()] == [(*ANNA, "auto")]


def test_an_unmerge_restores_exactly_the_state_before(root: Path, cli: CliRun) -> None:
    _never_merge(root)
    with Workspace(root).open_store() as store:
        accounts = store.arrow("SELECT * FROM accounts ORDER BY account_key").to_pylist()
    before = _report(cli, root)
    carla = ("twitter:carla_j", "bluesky:carlaj.bsky.social")  # both spoke in the window
    code, _, err = cli("-w", root, "people", "merge", *carla)
    assert code == 0, err
    merged = _report(cli, root)
    assert merged != before
    people, accounts_active = merged["metrics"], before["metrics"]
    assert isinstance(people, dict) and isinstance(accounts_active, dict)
    assert people["active_members"] == accounts_active["active_members"] - 1
    with Workspace(root).open_store() as store:
        # a merge loses no identity: every account is still there as it was
        assert store.arrow("SELECT * FROM accounts ORDER BY account_key").to_pylist() == accounts
    assert (
        cli("-w", root, "people", "unmerge", "bluesky:carlaj.bsky.social", "twitter:1003")[0] == 0
    )
    assert _report(cli, root) == before
    with Workspace(root).open_store() as store:
        assert store.merges() == []
    code, _, err = cli("-w", root, "people", "unmerge", *carla)
    assert code == 1 and "were not merged" in err


def test_an_automatic_merge_undone_by_hand_is_not_made_again(root: Path, cli: CliRun) -> None:
    _report(cli, root)  # merges Anna's two accounts
    assert (
        cli("-w", root, "people", "unmerge", "twitter:anna_b", "mastodon:anna@mastodon.social")[0]
        == 0
    )
    _report(cli, root)
    with Workspace(root).open_store() as store:
        [kept] = store.merges()
        assert kept["refused"] is True
        assert person_of(store.merges()) == {}
    code, out, _ = cli("-w", root, "people", "list")
    assert code == 0 and "unmerged by hand: not merged again" in out


def test_people_list_and_unknown_accounts(root: Path, cli: CliRun) -> None:
    _report(cli, root)
    code, out, _ = cli("-w", root, "people", "list", "--format", "json")
    data = json.loads(out)
    assert data["people"] == [{"person": ANNA[0], "accounts": list(ANNA)}]
    assert len(data["suggestions"]) == 4
    code, _, err = cli("-w", root, "people", "merge", "twitter:nobody", "twitter:1001")
    assert code == 1 and "no account twitter:nobody" in err


def test_forget_takes_the_merges_of_the_person(root: Path, cli: CliRun) -> None:
    _report(cli, root)
    assert cli("-w", root, "forget", "twitter:anna_b")[0] == 0
    with Workspace(root).open_store() as store:
        assert store.merges() == []
        assert count(store, "SELECT count(*) FROM accounts WHERE account_key = 'twitter:1001'") == 0


def test_an_automatic_merge_undone_redone_and_undone_by_hand_stays_undone(
    root: Path, cli: CliRun
) -> None:
    merged = _metrics(cli, root)["active_members"]  # the report merges Anna's accounts
    anna = ["twitter:anna_b", "mastodon:anna@mastodon.social"]
    assert cli("-w", root, "people", "unmerge", *anna)[0] == 0
    apart = _metrics(cli, root)["active_members"]
    assert apart == merged + 1  # type: ignore[operator]
    assert cli("-w", root, "people", "merge", *anna)[0] == 0
    assert _metrics(cli, root)["active_members"] == merged
    assert cli("-w", root, "people", "unmerge", *anna)[0] == 0
    assert _metrics(cli, root)["active_members"] == apart


def test_a_person_talking_to_their_own_other_account_is_not_a_conversation(
    tmp_path: Path, cli: CliRun
) -> None:
    root = tmp_path / "ws"
    assert cli("-w", root, "init", "--team", "Shop", "--brand", "twitter:shop")[0] == 0
    data = tmp_path / "m.csv"
    data.write_text(
        "platform,message_id,author_id,author_handle,created_at,text,parent_id\n"
        "twitter,1,9,shop,2026-05-01T10:00:00Z,Hello all,\n"
        "twitter,2,11,anna_b,2026-05-01T11:00:00Z,@anna_alt testing my other account,\n"
        "twitter,3,12,anna_alt,2026-05-01T12:00:00Z,@anna_b it works,2\n"
        "twitter,4,13,bob,2026-05-01T13:00:00Z,@shop nice,1\n",
        encoding="utf-8",
    )
    assert cli("-w", root, "import", "csv", data)[0] == 0
    _never_merge(root)
    assert _metrics(cli, root)["member_to_member_share"] == 2 / 3
    assert cli("-w", root, "people", "merge", "twitter:anna_b", "twitter:anna_alt")[0] == 0
    assert _metrics(cli, root)["member_to_member_share"] == 0
