"""Metrics: computed once, here, exactly as METRICS.md defines them; presenters only render."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any, Protocol

from convivial.metrics.audience import AudienceResult, audience_metrics
from convivial.metrics.bands import bands_with, status
from convivial.metrics.behaviour import BehaviourResult, behaviour_metrics
from convivial.metrics.community import CommunityMetrics, community_metrics
from convivial.metrics.counts import counts
from convivial.metrics.hours import OpeningHours
from convivial.metrics.insights import post_insights
from convivial.metrics.members import MemberList, member_lists
from convivial.metrics.network import network_type
from convivial.metrics.picture import network_picture
from convivial.metrics.scope import scope_of
from convivial.metrics.series import weekly_series
from convivial.metrics.service import ServiceResult, service_metrics
from convivial.metrics.window import Window, default_window
from convivial.report.model import TeamReport

__all__ = ["Tables", "UnknownTeam", "Window", "build_reports"]


class Tables(Protocol):
    """Where metrics read the workspace's tables: the store (DuckDB) or a Parquet lake (Spark)."""

    def ibis(self) -> Any:
        """The Ibis backend the tables are read through."""

    def team_names(self) -> list[str]:
        """The teams' names, in order."""

    def kept_message_teams(self) -> Any | None:
        """The (message_key, team) table computed from these tables, if there is a current one."""

    def kept_scope(self) -> tuple[Any, Any] | None:
        """Every team's (messages, interactions) as `scope_of` computes them, if kept and
        current."""


class UnknownTeam(Exception):
    """The asked-for team is not in the workspace. The message is one line."""


def build_reports(
    tables: Tables,
    *,
    team: str | None = None,
    window_days: int = 90,
    since: datetime | None = None,
    until: datetime | None = None,
    bands: Mapping[str, Sequence[float]] | None = None,
    hours: Mapping[str, OpeningHours] | None = None,
    people: Mapping[str, str] | None = None,
) -> list[TeamReport]:
    """One report per team (or for the one named), over the same window; `hours` are the
    business hours of the teams that set them; `people` maps merged accounts to their person
    (`convivial.people.person_of`), so that metrics count people, not accounts."""
    names = tables.team_names()
    if team is not None:
        if team not in names:
            known = ", ".join(names[:10]) or "none yet"
            raise UnknownTeam(f"no team {team!r} in this workspace (teams: {known})")
        names = [team]
    con = tables.ibis()
    window = default_window(con, window_days, since, until)
    chosen = bands_with(bands or {})
    kept = tables.kept_scope()
    assigned = None if kept is not None else tables.kept_message_teams()
    scope = scope_of(con, names, window, assigned, people, kept)
    try:
        basic = counts(scope)
        community = community_metrics(scope, {t: basic[t]["followers"] for t in names})
        members = member_lists(scope, {t: community[t].active for t in names})
        weekly = weekly_series(scope)
        service = service_metrics(scope, hours, {t: community[t].core for t in names})
        behaviour = behaviour_metrics(scope)
        insights = post_insights(con, names)
        audience = audience_metrics(scope)
        return [
            _team_report(
                team,
                window,
                scope.host_keys[team],
                basic[team],
                community[team],
                service[team],
                behaviour[team],
                insights.get(team, {}),
                audience[team],
                members[team],
                weekly[team],
                chosen,
            )
            for team in names
        ]
    finally:
        scope.release()


def _team_report(
    team: str,
    window: Window,
    hosts: frozenset[str],
    basic: Mapping[str, float | int | None],
    community: CommunityMetrics,
    service: ServiceResult,
    behaviour: BehaviourResult,
    insights: dict[str, Any],
    audience: AudienceResult,
    members: MemberList,
    weekly: list[dict[str, Any]],
    bands: dict[str, Any],
) -> TeamReport:
    """One team's report from its computed parts."""
    network = network_type(community.edges, hosts)
    return TeamReport(
        team,
        window,
        {
            **community.values,
            **basic,
            **service.values,
            **behaviour.values,
            **_lead(insights),
            **audience.values,
            "advocates_among_most_followed": members.overlap,
        },
        network=network.as_json(),
        lists={
            "slipping_away": community.slipping_away,
            "strong_ties": community.strong_ties,
            "advocates": members.advocates,
            "top_followed": members.top_followed,
            "members": members.members,
            "weekly": weekly,
            "unanswered": service.unanswered,
            "responders": service.responders,
            "behaviour_weekly": behaviour.weekly,
            "lonely_asks": behaviour.lonely_asks,
            "repeated": behaviour.repeated,
            "cadence": behaviour.cadence,
            "channel_fit": behaviour.channel_fit,
            "post_types": behaviour.post_types,
            "best_post_type": [behaviour.best_post_type] if behaviour.best_post_type else [],
            "insights_by_type": insights.get("by_type", []),
            "insights_by_paid": insights.get("by_paid", []),
            "followers": audience.followers,
            "follower_spikes": audience.spikes,
            "daily_follower_gains": audience.daily_gains,
        },
        reasons=community.reasons,
        statuses={
            key: found
            for key, (bounds, names) in bands.items()
            if (found := status(community.values.get(key), bounds, names)) is not None
        },
        picture=network_picture(
            community.edges,
            hosts,
            dict(
                zip(
                    members.members.column("account_key"),
                    members.members.column("community_value"),
                    strict=True,
                )
            ),
        ),
    )


def _lead(insights: dict[str, Any]) -> dict[str, Any]:
    """The Insights' attention lead and paid-vs-organic ratios as report keys, where known."""
    out: dict[str, Any] = {}
    lead = insights.get("attention_lead")
    if lead:
        out.update(attention_lead_type=lead["post_type"], attention_lead_ratio=lead["ratio"])
    paid = insights.get("paid_vs_organic")
    if paid:
        out.update(paid_reach_ratio=paid["reach_ratio"], paid_engaged_ratio=paid["engaged_ratio"])
    return out
