"""Which team each message belongs to, and network types on real multi-team data."""

from __future__ import annotations

import csv
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa
import pytest

from convivial.importer import import_file, import_files
from convivial.metrics import build_reports
from convivial.metrics.assign import message_teams, refresh_message_teams
from convivial.metrics.scope import refresh_kept_scope
from convivial.sources import SourceOptions, get_source
from convivial.store import Store, TeamAccounts
from convivial.text.labels import LABELS
from convivial.workspace import TeamConfig, Workspace


def _teams_of(store: Store) -> dict[str, str]:
    rows = message_teams(store.ibis()).to_pyarrow().to_pylist()
    return {r["message_key"]: r["team"] for r in rows}


def test_every_twcs_message_belongs_to_exactly_one_team(store: Store, twcs_head: Path) -> None:
    import_file(store, "twcs", twcs_head)
    rows = message_teams(store.ibis()).to_pyarrow().to_pylist()
    assert len(rows) == 5000
    assert len({r["message_key"] for r in rows}) == 5000
    teams = _teams_of(store)
    # Tweet 1 is sprintcare's own reply; tweet 8 opens the thread by mentioning @sprintcare.
    assert teams["twitter:1"] == "sprintcare"
    assert teams["twitter:8"] == "sprintcare"


def _write(path: Path, header: list[str], rows: list[list[str]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def test_the_rules_in_order(tmp_path: Path) -> None:
    """Own author's team, then the replied-to host's, then the first host mentioned, then the
    thread's."""
    ws = Workspace(tmp_path)
    ws.init(
        [
            TeamConfig("A", brand=("twitter:shop_a",)),
            TeamConfig("B", brand=("twitter:shop_b",)),
        ]
    )
    header = ["platform", "message_id", "author_id", "created_at", "text", "parent_id"]
    messages = _write(
        tmp_path / "messages.csv",
        header,
        [
            ["twitter", "1", "mia", "2026-03-01T10:00:00Z", "@shop_b and @shop_a: open?", ""],
            ["twitter", "2", "shop_a", "2026-03-01T11:00:00Z", "@mia yes, till six", "1"],
            ["twitter", "3", "ben", "2026-03-01T12:00:00Z", "@shop_a thanks!", "2"],
            ["twitter", "4", "lou", "2026-03-01T13:00:00Z", "@ben same here", "3"],
            ["twitter", "5", "lou", "2026-03-02T09:00:00Z", "nice weather", ""],
        ],
    )
    with ws.open_store() as store:
        import_files(store, "csv", [messages])
        teams = _teams_of(store)
    assert teams == {
        "twitter:1": "B",  # first host mentioned
        "twitter:2": "A",  # written by A's host
        "twitter:3": "A",  # replies to A's host
        "twitter:4": "B",  # no team of its own: its thread's, whose earliest message is B's
    }


def test_a_host_named_by_id_is_found_at_its_own_position(tmp_path: Path) -> None:
    ws = Workspace(tmp_path)
    ws.init(
        [
            TeamConfig("B", brand=("twitter:shop_b",)),
            TeamConfig("C", brand=("twitter:shop_c",)),
        ]
    )
    accounts = _write(
        tmp_path / "accounts.csv",
        ["platform", "account_id", "handle"],
        [["twitter", "1001", "shop_c"], ["twitter", "shop_b", "shop_b"]],
    )
    header = ["platform", "message_id", "author_id", "created_at", "text"]
    messages = _write(
        tmp_path / "messages.csv",
        header,
        [["twitter", "1", "mia", "2026-03-01T10:00:00Z", "@shop_b first, then @1001"]],
    )
    with ws.open_store() as store:
        import_files(store, "csv", [accounts, messages])
        assert _teams_of(store) == {"twitter:1": "B"}


@pytest.fixture(scope="module")
def subreddits(tmp_path_factory: pytest.TempPathFactory, shared: Path) -> Store:
    store = Store(tmp_path_factory.mktemp("reddit") / "convivial.duckdb")
    source = get_source("reddit", SourceOptions(team_by="subreddit"))
    import_file(store, "reddit", shared / "reddit" / "reddit_college_3subs.csv.gz", source=source)
    return store


def test_subreddit_messages_stay_in_their_subreddit(subreddits: Store) -> None:
    teams = Counter(_teams_of(subreddits).values())
    assert teams == {"CollegeRant": 24185, "CollegeMajors": 5423, "CollegeAdvice": 2037}


def test_subreddits_are_not_support_or_broadcast_networks(subreddits: Store) -> None:
    reports = build_reports(subreddits)
    types = {r.team: r.network["type"] for r in reports}
    assert set(types) == {"CollegeAdvice", "CollegeMajors", "CollegeRant"}
    assert not {"support", "broadcast"} & set(types.values()), types


def test_one_team_alone_reads_as_in_the_all_teams_report(store: Store, twcs_head: Path) -> None:
    """Looking at one team only its threads must give that team exactly its all-teams numbers."""
    import_file(store, "twcs", twcs_head)
    everyone = {r.team: r for r in build_reports(store)}
    busiest = sorted(everyone, key=lambda t: -(everyone[t].metrics["active_members"] or 0))
    for team in [*busiest[:6], *busiest[-3:], "AldiUK", "Tesco", "sainsburys"]:
        (alone,) = build_reports(store, team=team)
        assert alone.metrics == everyone[team].metrics, team
        assert alone.lists == everyone[team].lists, team
        assert alone.network == everyone[team].network, team


def test_the_kept_assignment_gives_the_same_reports_and_follows_changes(
    store: Store, twcs_head: Path
) -> None:
    import_file(store, "twcs", twcs_head)
    assert store.kept_message_teams() is None  # never computed: reports work it out
    computed = [r.as_json() for r in build_reports(store)]
    assert refresh_message_teams(store) is False  # computed and kept now
    assert refresh_message_teams(store) is True  # and current
    assert store.kept_message_teams() is not None
    assert [r.as_json() for r in build_reports(store)] == computed
    one = build_reports(store, team="Delta")[0].as_json()
    assert one == next(r for r in computed if r["team"] == "Delta")
    # a new host account changes what the kept assignment was computed from
    store.sync_config_teams([TeamAccounts("Delta", ("twitter:115712",), ())])
    assert store.kept_message_teams() is None
    refresh_message_teams(store)
    assert store.kept_message_teams() is not None


@dataclass(frozen=True)
class EveryLabel:
    """Classifiers that say yes to every label."""

    version: str = "test-every-label"

    def __call__(self, texts: pa.Array) -> pa.Table:
        return pa.table({name: pa.array([True] * len(texts)) for name in LABELS})


def test_the_kept_scope_gives_the_same_reports_and_follows_changes(
    store: Store, twcs_head: Path
) -> None:
    import_file(store, "twcs", twcs_head)
    computed = [r.as_json() for r in build_reports(store)]
    assert store.kept_scope() is None  # never computed: reports compute the scope
    assert refresh_kept_scope(store) is False  # computed and kept now, with the assignment
    assert refresh_kept_scope(store) is True
    assert store.kept_message_teams() is not None
    assert [r.as_json() for r in build_reports(store)] == computed
    one = build_reports(store, team="Delta")[0].as_json()
    assert one == next(r for r in computed if r["team"] == "Delta")
    # Delta's brand account now speaks as staff: every team stays, a host flag changes
    store.sync_config_teams([TeamAccounts("Delta", (), ("twitter:Delta",))])
    assert store.kept_message_teams() is not None
    assert store.kept_scope() is None
    refresh_kept_scope(store)
    staff = build_reports(store, team="Delta")[0]
    assert staff.metrics["personal_share"] == 1.0  # every host reply is a staff account's
    # other labels
    store.refresh_labels(EveryLabel())
    assert store.kept_scope() is None
    refresh_kept_scope(store)
    assert store.kept_scope() is not None
    # forgetting a person drops every team's kept rows, theirs among them
    store.forget("twitter", "115712")
    assert store.kept_scope() is None
    tables = store.arrow("SELECT table_name FROM duckdb_tables()").column(0).to_pylist()
    assert "team_messages" not in tables and "team_interactions" not in tables
