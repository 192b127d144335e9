"""Baseline: every team's Service metrics, written plainly in pandas.

What a data scientist would write without convivial: load the columns the metrics need from the
workspace's DuckDB file into DataFrames (the message labels included: the classifiers are not
re-implemented, their stored output is read like any labelled column), work out which team each
message belongs to (`baseline_pandas.message_teams`), and compute METRICS.md "Service"
(docs/metrics.md) for all teams at once with merges and group-bys. It does not import convivial;
`bench/service.py` times it against convivial and checks that the numbers agree.

Usage: python bench/baseline_service.py WORKSPACE [--days 90]
Prints [{"team", "window": {"start", "end"}, "metrics": {...}}, ...] as JSON.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

import duckdb
from baseline_pandas import message_teams, ratio, window_days, window_of

AGES: tuple[tuple[str, float], ...] = (
    ("unanswered_under_1h", 3600),
    ("unanswered_under_1d", 86400),
    ("unanswered_under_1w", 7 * 86400),
    ("unanswered_older", float("inf")),
)


def load(path: Path) -> dict[str, Any]:
    """The columns the service metrics read, as DataFrames."""
    con = duckdb.connect(str(path), read_only=True)
    queries = {
        "teams": "SELECT team FROM teams",
        "host_accounts": "SELECT DISTINCT team, account_key, role FROM host_accounts",
        "messages": "SELECT message_key, author_key, created_at, parent_key, root_key, kind,"
        " team FROM messages",
        "interactions": "SELECT actor_key, target_key, kind, created_at, message_key, position"
        " FROM interactions",
        "follows": "SELECT followed_at FROM follows",
        "labels": "SELECT message_key, request, deflection, signed FROM message_labels",
    }
    tables = {name: con.sql(sql).df() for name, sql in queries.items()}
    con.close()
    return tables


def service(tables: dict[str, Any], days: int) -> list[dict[str, Any]]:
    """METRICS.md "Service" for every team over the default window."""
    start, end = window_of(tables, days)
    teams = sorted(tables["teams"]["team"])
    messages = tables["messages"]
    if len(teams) > 1:
        messages = messages.assign(team=message_teams(tables))
    else:
        messages = messages.assign(team=teams[0])
    messages = messages.dropna(subset=["team"])
    hosts = tables["host_accounts"]
    pairs = hosts[["team", "account_key"]].drop_duplicates().assign(is_host=True)
    staff = hosts.loc[hosts["role"] == "staff", ["team", "account_key"]].drop_duplicates()
    messages = messages.merge(
        pairs, left_on=["team", "author_key"], right_on=["team", "account_key"], how="left"
    ).drop(columns="account_key")
    messages["is_host"] = messages["is_host"].fillna(False).astype(bool)
    messages = messages.merge(
        staff.assign(is_staff=True),
        left_on=["team", "author_key"],
        right_on=["team", "account_key"],
        how="left",
    ).drop(columns="account_key")
    messages["is_staff"] = messages["is_staff"].fillna(False).astype(bool)
    labels = tables["labels"].set_index("message_key")
    for name in ("request", "deflection", "signed"):
        messages[name] = messages["message_key"].map(labels[name]).fillna(False).astype(bool)

    # Messages directed at their team: a member's reply or mention aimed at one of the team's
    # hosts, neither end another team's host.
    team_of = messages.set_index("message_key")["team"]
    inter = tables["interactions"]
    inter = inter[inter["kind"].isin(["reply", "mention"]) & inter["message_key"].notna()]
    inter = inter.assign(team=inter["message_key"].map(team_of)).dropna(subset=["team"])
    inter = inter[inter["actor_key"] != inter["target_key"]]
    for end_key, flag in (("actor_key", "actor_host"), ("target_key", "target_host")):
        inter = inter.merge(
            pairs.rename(columns={"is_host": flag}),
            left_on=["team", end_key],
            right_on=["team", "account_key"],
            how="left",
        ).drop(columns="account_key")
        inter[flag] = inter[flag].fillna(False).astype(bool)
    if len(teams) > 1:
        business = set(hosts["account_key"])
        inter = inter[
            (inter["actor_host"] | ~inter["actor_key"].isin(business))
            & (inter["target_host"] | ~inter["target_key"].isin(business))
        ]
    aimed = inter[inter["target_host"] & ~inter["actor_host"]]
    aimed = aimed[["team", "message_key"]].drop_duplicates()
    in_window = (messages["created_at"] >= start) & (messages["created_at"] < end)
    directed = messages[in_window & ~messages["is_host"]].merge(aimed, on=["team", "message_key"])

    host_replies = messages[messages["is_host"] & (messages["kind"] == "reply")]
    answers = directed[["team", "message_key", "created_at"]].merge(
        host_replies[["team", "parent_key", "created_at"]].rename(
            columns={"created_at": "answered_at"}
        ),
        left_on=["team", "message_key"],
        right_on=["team", "parent_key"],
    )
    answers = answers[answers["answered_at"] >= answers["created_at"]]
    first = answers.groupby("message_key")["answered_at"].min()
    directed = directed.assign(first=directed["message_key"].map(first))
    directed["frt"] = (directed["first"] - directed["created_at"]).dt.total_seconds()

    window_replies = host_replies[
        (host_replies["created_at"] >= start) & (host_replies["created_at"] < end)
    ]
    out = []
    for team in teams:
        mine = directed[directed["team"] == team]
        values: dict[str, Any] = {}
        for prefix, chosen in (("directed", mine), ("request", mine[mine["request"]])):
            done = chosen["frt"].dropna()
            values[f"{prefix}_count"] = len(chosen)
            values[f"{prefix}_answered"] = len(done)
            values[f"{prefix}_response_rate"] = ratio(len(done), len(chosen))
            values[f"{prefix}_median_frt_s"] = float(done.quantile(0.5)) if len(done) else None
            values[f"{prefix}_p90_frt_s"] = float(done.quantile(0.9)) if len(done) else None
        waiting = mine[mine["request"] & mine["first"].isna()]
        ages = (end - waiting["created_at"]).dt.total_seconds().astype(int)
        values["unanswered_count"] = len(waiting)
        lower = 0.0
        for key, upper in AGES:
            values[key] = int(((ages >= lower) & (ages < upper)).sum())
            lower = upper
        replies = window_replies[window_replies["team"] == team]
        values["host_replies"] = len(replies)
        values["deflection_share"] = ratio(int(replies["deflection"].sum()), len(replies))
        personal = replies["is_staff"] | replies["signed"]
        values["personal_share"] = ratio(int(personal.sum()), len(replies))
        window = {"start": start.isoformat(), "end": end.isoformat()}
        out.append({"team": team, "window": window, "metrics": values})
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("workspace", type=Path)
    parser.add_argument("--days", type=int, default=None, help="window length (default: config)")
    args = parser.parse_args()
    tables = load(args.workspace / "convivial.duckdb")
    days = args.days if args.days is not None else window_days(args.workspace)
    json.dump(service(tables, days), sys.stdout, indent=2)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
