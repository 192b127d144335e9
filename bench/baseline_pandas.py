"""Baseline: one team's Community metrics, written plainly in pandas + networkx.

What a data scientist would write without convivial: load the workspace's DuckDB tables whole into
DataFrames, work out which team each message belongs to, cut the team's data and window, and
compute each metric of METRICS.md "Community" (docs/metrics.md) directly. It does not import
convivial; `bench/analyse.py` times it against `convivial report --team` and checks that the
numbers agree.

Usage: python bench/baseline_pandas.py WORKSPACE TEAM [--days 90]
Prints {"team", "window": {"start", "end"}, "metrics": {...}} as JSON (null: nothing to divide by).
"""

from __future__ import annotations

import argparse
import json
import sys
import tomllib
from pathlib import Path
from typing import Any

import duckdb
import networkx as nx
import pandas as pd  # type: ignore[import-untyped]

CONVERSATIONAL = ["reply", "mention", "share", "quote"]
HOST = "(host)"
"""The team's host accounts as one party in strong ties (account keys are "platform:id")."""


def load(path: Path) -> dict[str, Any]:
    """Every table the metrics read, whole, as DataFrames."""
    con = duckdb.connect(str(path), read_only=True)
    names = ["teams", "host_accounts", "accounts", "messages", "interactions", "follows"]
    tables = {name: con.sql(f"SELECT * FROM {name}").df() for name in names}
    con.close()
    return tables


def window_of(tables: dict[str, Any], days: int) -> tuple[Any, Any]:
    """[start, end): `days` days ending just after the latest event in the workspace."""
    latest = [
        tables["messages"]["created_at"].max(),
        tables["interactions"]["created_at"].max(),
        tables["follows"]["followed_at"].max(),
    ]
    end = max(t for t in latest if pd.notna(t)) + pd.Timedelta(microseconds=1)
    return end - pd.Timedelta(days=days), end


def message_teams(tables: dict[str, Any]) -> Any:
    """The team of every message (a Series aligned with `messages`, NaN when none).

    In order: the team the source gave it; its author's team when the author is a host; the
    team of the host it replies to; the team of the first host account it mentions; else the
    team of its thread's earliest message that has one. A host of several teams gives the first
    by name."""
    messages = tables["messages"]
    interactions = tables["interactions"]
    host_team = tables["host_accounts"].groupby("account_key")["team"].min()

    author_team = messages["author_key"].map(host_team)
    author_of = messages.set_index("message_key")["author_key"]
    parent_team = messages["parent_key"].map(author_of).map(host_team)

    # a mention interaction's `position` is where it stands among the message's @references;
    # the mentions a reply carries automatically are no interactions, so they never come first
    mentions = interactions[
        (interactions["kind"] == "mention") & interactions["target_key"].isin(host_team.index)
    ].copy()
    mentions["team"] = mentions["target_key"].map(host_team)
    first_mentioned = (
        mentions.sort_values(["message_key", "position"])
        .drop_duplicates("message_key")
        .set_index("message_key")["team"]
    )
    mention_team = messages["message_key"].map(first_mentioned)

    team = messages["team"].fillna(author_team).fillna(parent_team).fillna(mention_team)
    thread = messages["root_key"].fillna(messages["message_key"])
    known = pd.DataFrame(
        {"thread": thread, "team": team, "created_at": messages["created_at"]}
    ).dropna(subset=["team"])
    thread_team = (
        known.sort_values("created_at", kind="stable")
        .drop_duplicates("thread")
        .set_index("thread")["team"]
    )
    return team.fillna(thread.map(thread_team))


def week_start(times: Any) -> Any:
    """The Monday 00:00 (UTC) of each time's ISO week."""
    return (times - pd.to_timedelta(times.dt.day_of_week, unit="D")).dt.normalize()


def ratio(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def community(tables: dict[str, Any], team: str, days: int) -> dict[str, Any]:
    """METRICS.md "Community" for one team over the default window."""
    start, end = window_of(tables, days)
    hosts = tables["host_accounts"]
    team_hosts = set(hosts.loc[hosts["team"] == team, "account_key"])
    messages = tables["messages"]
    interactions = tables["interactions"]

    # The team's data: all of it when the workspace has one team; else the team's messages, the
    # interactions they gave, and the message-less ones (likes, follows) aimed at its hosts,
    # without other businesses' host accounts.
    if len(tables["teams"]) > 1:
        messages = messages[message_teams(tables) == team]
        of_team = interactions["message_key"].isin(set(messages["message_key"]))
        aimed = interactions["message_key"].isna() & interactions["target_key"].isin(team_hosts)
        interactions = interactions[of_team | aimed]
        other_hosts = set(hosts["account_key"]) - team_hosts
        interactions = interactions[
            ~interactions["actor_key"].isin(other_hosts)
            & ~interactions["target_key"].isin(other_hosts)
        ]
    interactions = interactions[interactions["actor_key"] != interactions["target_key"]].copy()
    messages = messages.copy()
    messages["author_is_host"] = messages["author_key"].isin(team_hosts)
    interactions["actor_is_host"] = interactions["actor_key"].isin(team_hosts)
    interactions["target_is_host"] = interactions["target_key"].isin(team_hosts)

    in_window = (interactions["created_at"] >= start) & (interactions["created_at"] < end)
    conv = interactions[in_window & interactions["kind"].isin(CONVERSATIONAL)].copy()
    window_messages = messages[(messages["created_at"] >= start) & (messages["created_at"] < end)]

    by_members = conv[~conv["actor_is_host"]]
    m2m = by_members[~by_members["target_is_host"]]
    active = set(by_members["actor_key"])
    out: dict[str, Any] = {"active_members": len(active)}
    out["member_to_member_share"] = ratio(len(m2m), len(by_members))

    directed_pairs = set(zip(m2m["actor_key"], m2m["target_key"], strict=True))
    pairs = {frozenset(p) for p in directed_pairs}
    both_ways = [p for p in directed_pairs if (p[1], p[0]) in directed_pairs]
    out["member_reciprocity"] = ratio(len({frozenset(p) for p in both_ways}), len(pairs))

    speech = conv["kind"].isin(["reply", "mention"])
    addressed = set(by_members.loc[speech & conv["target_is_host"], "actor_key"])
    answered_back = set(conv.loc[speech & conv["actor_is_host"], "target_key"])
    out["host_reciprocity"] = ratio(len(addressed & answered_back), len(addressed))

    at_host = interactions[
        interactions["kind"].isin(["reply", "mention"])
        & interactions["target_is_host"]
        & ~interactions["actor_is_host"]
    ]
    directed = window_messages[
        ~window_messages["author_is_host"]
        & window_messages["message_key"].isin(set(at_host["message_key"]))
    ]
    host_replies = messages[messages["author_is_host"] & (messages["kind"] == "reply")]
    answers = directed.merge(
        host_replies[["parent_key", "created_at"]],
        left_on="message_key",
        right_on="parent_key",
        suffixes=("", "_answer"),
    )
    answers = answers[
        (answers["created_at_answer"] >= answers["created_at"])
        & (answers["created_at_answer"] < answers["created_at"] + pd.Timedelta(days=7))
    ]
    out["listening_rate"] = ratio(answers["message_key"].nunique(), len(directed))

    own = window_messages[
        window_messages["author_is_host"] & window_messages["kind"].isin(["post", "reply", "quote"])
    ]
    out["conversation_share"] = ratio(int((own["kind"] == "reply").sum()), len(own))

    conv["a"] = conv["actor_key"].where(~conv["actor_is_host"], HOST)
    conv["b"] = conv["target_key"].where(~conv["target_is_host"], HOST)
    ties = conv[conv["a"] != conv["b"]].copy()
    ties["low"] = ties["a"].where(ties["a"] < ties["b"], ties["b"])
    ties["high"] = ties["b"].where(ties["a"] < ties["b"], ties["a"])
    ties["week"] = week_start(ties["created_at"])
    per_pair = ties.groupby(["low", "high"]).agg(
        n=("a", "size"), directions=("a", "nunique"), weeks=("week", "nunique")
    )
    strong = per_pair[
        (per_pair["n"] >= 3) & (per_pair["directions"] == 2) & (per_pair["weeks"] >= 2)
    ].reset_index()
    with_host = (strong["low"] == HOST) | (strong["high"] == HOST)
    out["strong_ties_host"] = int(with_host.sum())
    out["strong_ties_members"] = int((~with_host).sum())
    core = (set(strong["low"]) | set(strong["high"])) - {HOST}
    out["core_members"] = len(core)

    graph = nx.Graph()
    graph.add_nodes_from(active)
    graph.add_edges_from(zip(m2m["actor_key"], m2m["target_key"], strict=True))
    if active:
        largest = max(len(c & active) for c in nx.connected_components(graph))
        out["host_independence"] = largest / len(active)
    else:
        out["host_independence"] = None

    contributions = m2m.groupby("actor_key").size().sort_values(ascending=False)
    if len(contributions):
        running = contributions.cumsum()
        out["bus_factor"] = int((2 * running < contributions.sum()).sum()) + 1
    else:
        out["bus_factor"] = None

    member_messages = messages[~messages["author_is_host"]]
    first_at = member_messages.groupby("author_key")["created_at"].min()
    newcomers = first_at[(first_at >= start) & (first_at < end)]
    firsts = member_messages[
        member_messages["author_key"].isin(newcomers.index)
        & (
            member_messages["created_at"]
            == member_messages.groupby("author_key")["created_at"].transform("min")
        )
    ]
    replies = messages.loc[messages["kind"] == "reply", ["parent_key", "author_key", "created_at"]]
    welcomes = firsts.merge(
        replies, left_on="message_key", right_on="parent_key", suffixes=("", "_reply")
    )
    welcomes = welcomes[
        (welcomes["author_key_reply"] != welcomes["author_key"])
        & (welcomes["created_at_reply"] >= welcomes["created_at"])
        & (welcomes["created_at_reply"] < welcomes["created_at"] + pd.Timedelta(hours=48))
    ]
    out["newcomer_welcome_rate"] = ratio(welcomes["author_key"].nunique(), len(newcomers))
    again = interactions.merge(newcomers.rename("first_at"), left_on="actor_key", right_index=True)
    again = again[
        (week_start(again["created_at"]) > week_start(again["first_at"]))
        & (again["created_at"] < again["first_at"] + pd.Timedelta(days=30))
    ]
    out["newcomer_return_rate"] = ratio(again["actor_key"].nunique(), len(newcomers))

    window = {"start": start.isoformat(), "end": end.isoformat()}
    return {"team": team, "window": window, "metrics": out}


def window_days(workspace: Path) -> int:
    """`[window] days` of convivial.toml, else 90."""
    config = workspace / "convivial.toml"
    data = tomllib.loads(config.read_text(encoding="utf-8")) if config.exists() else {}
    return int(data.get("window", {}).get("days", 90))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("workspace", type=Path)
    parser.add_argument("team")
    parser.add_argument("--days", type=int, default=None, help="window length (default: config)")
    args = parser.parse_args()
    tables = load(args.workspace / "convivial.duckdb")
    if args.team not in set(tables["teams"]["team"]):
        raise SystemExit(f"no team {args.team!r} in {args.workspace}")
    days = args.days if args.days is not None else window_days(args.workspace)
    json.dump(community(tables, args.team, days), sys.stdout, indent=2)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
