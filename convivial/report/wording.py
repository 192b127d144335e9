"""The words the presenters put beside each number: its name, the principle it measures, and how
to show its value. Wording only: every value comes from the Report."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

__all__ = [
    "ACTIVITY",
    "BEHAVIOUR",
    "SCORECARD",
    "SERVICE",
    "Line",
    "behaviour_advice",
    "format_duration",
    "format_line",
    "format_value",
    "funnel_sentence",
    "funnel_steps",
    "headline",
    "insights_advice",
]


@dataclass(frozen=True)
class Line:
    """One scorecard line: the metric's key, its name, the principle, and whether it is a share."""

    key: str
    label: str
    principle: str = ""
    share: bool = False
    time: bool = False
    """A duration in seconds, shown in human units."""


SCORECARD = (
    Line("active_members", "Active members", "people who spoke at least once"),
    Line(
        "member_to_member_share",
        "Members talking to each other",
        "a party with a host, not a rock concert",
        share=True,
    ),
    Line("member_reciprocity", "Two-way member pairs", "relationships, not one-way shouts", True),
    Line("host_reciprocity", "Members the host answered", "never ignore who speaks to you", True),
    Line("listening_rate", "Messages answered within 7 days", "speaking AND listening", True),
    Line("conversation_share", "Host messages that are replies", "converse, don't broadcast", True),
    Line("strong_ties_host", "Strong ties with the host", "fewer, strong, two-way relationships"),
    Line("strong_ties_members", "Strong ties among members", "members bound to each other"),
    Line("core_members", "Core members", "the number that matters"),
    Line("core_to_followers", "Core members per follower", "beside the number that doesn't", True),
    Line(
        "host_independence",
        "Members still connected without the host",
        "does the party go on without you?",
        True,
    ),
    Line("bus_factor", "Members carrying half the conversation", "few hands or many"),
    Line(
        "newcomer_welcome_rate",
        "Newcomers welcomed within 48 h",
        "make newcomers feel at home",
        True,
    ),
    Line("newcomer_return_rate", "Newcomers who came back", "a welcome that works", True),
    Line("slipping_away", "Core members slipping away", "people to reach out to"),
)

SERVICE = (
    Line("directed_count", "Messages to you", "everyone is watching how you answer"),
    Line("directed_answered", "Answered", "never ignore a public question"),
    Line("directed_response_rate", "Answered, share", "never ignore a public question", True),
    Line("directed_median_frt_s", "First answer, median", "how long people wait", time=True),
    Line("directed_p90_frt_s", "First answer, slowest 10%", "the waits people remember", time=True),
    Line("request_count", "Questions and complaints", "people asking you for something"),
    Line("request_response_rate", "... answered", "answer every one, in public", True),
    Line("request_median_frt_s", "... first answer, median", "how long they wait", time=True),
    Line(
        "request_p90_frt_s", "... first answer, slowest 10%", "the waits they remember", time=True
    ),
    Line("unanswered_count", "Never answered", "the prospects watching see these too"),
    Line("unanswered_under_1h", "... waiting under an hour", "still time to answer well"),
    Line("unanswered_under_1d", "... under a day", "answer today"),
    Line("unanswered_under_1w", "... under a week", "late, but better than never"),
    Line("unanswered_older", "... longer", "ignored in public"),
    Line("deflection_share", "Replies sent to DM, phone or email", "answer in public", True),
    Line("personal_share", "Replies by a person", "people relate to people, not a logo", True),
    Line("business_hours_response_rate", "Answered, in business hours", "while you're open", True),
    Line("business_hours_median_frt_s", "First answer in business hours", "", time=True),
    Line("off_hours_response_rate", "Answered, off hours", "while you're closed", True),
    Line(
        "off_hours_median_frt_s", "First answer off hours", "customers don't keep hours", time=True
    ),
)
"""Lines whose key a report lacks (the hours split, when no hours are set) are not shown."""

BEHAVIOUR = (
    Line("give_ask_ratio", "Gives per ask", "give before you ask"),
    Line("host_gives", "Gives: answers, shares, tips", "help, share what others can use"),
    Line("host_asks", "Asks: promotions, calls to act", "sell after you've given"),
    Line("gives_before_ask", "Gives in the 14 days before an ask", "earn the ask first"),
    Line("repetition_share", "Posts repeating an earlier one", "don't say the same thing", True),
    Line("cadence_flagged_weeks", "Weeks: more posts, less response", "don't overdo it"),
)

ACTIVITY = (
    Line("followers", "Followers"),
    Line("host_messages", "Messages by the business"),
    Line("messages_post", "Posts"),
    Line("messages_reply", "Replies"),
    Line("messages_share", "Shares"),
    Line("messages_quote", "Quotes"),
    Line("interactions_reply", "Replies between people"),
    Line("interactions_mention", "Mentions"),
    Line("interactions_share", "Shares of someone's message"),
    Line("interactions_quote", "Quotes of someone's message"),
    Line("interactions_like", "Likes"),
    Line("interactions_follow", "New follows"),
)


def format_value(value: object, share: bool = False) -> str:
    """A value as a person reads it: shares in percent, counts with separators."""
    if value is None:
        return "n/a"
    if share and isinstance(value, int | float):
        return f"{100 * value:.0f}%" if value >= 0.01 or value == 0 else f"{100 * value:.1f}%"
    if isinstance(value, float):
        return f"{value:.2f}"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


def headline(metrics: dict[str, object], network: dict[str, object]) -> str:
    """The report's first sentence, in words, from values the report holds."""
    active, core = metrics.get("active_members"), metrics.get("core_members")
    if not isinstance(active, int) or not active:
        return "Nobody spoke in this window yet: there is no conversation to read."
    parts = [f"{active:,} {'person' if active == 1 else 'people'} spoke in this window"]
    if isinstance(core, int):
        verb = "is a core member" if core == 1 else "are core members"
        parts.append(f"{core:,} {verb}, with strong two-way ties")
    alone = network.get("isolate_share")
    if isinstance(alone, float):
        parts.append(f"{format_value(alone, share=True)} talked to no other member")
    return "; ".join(parts) + "."


def format_duration(seconds: float) -> str:
    """Seconds as a person says them: 45 s, 12 min, 3 h 20 min, 2 d 4 h."""
    s = round(seconds)
    if s < 60:
        return f"{s} s"
    minutes, hours, days = s // 60, s // 3600, s // 86400
    if s < 3600:
        return f"{minutes} min"
    if s < 86400:
        return f"{hours} h {minutes % 60} min"
    return f"{days} d {hours % 24} h"


def format_line(line: Line, value: object) -> str:
    """A scorecard line's value in the units its line asks for."""
    if line.time and isinstance(value, int | float):
        return format_duration(value)
    return format_value(value, line.share)


def behaviour_advice(
    metrics: dict[str, Any], lists: Mapping[str, Sequence[dict[str, Any]]]
) -> list[str]:
    """One plain sentence of advice per finding of the "your own behaviour" section."""
    out = []
    ratio, asks = metrics.get("give_ask_ratio"), metrics.get("host_asks")
    if isinstance(ratio, float | int) and isinstance(asks, int) and asks:
        if ratio < 1:
            out.append(
                "You ask more than you give: answer, share and thank members before your next "
                "promotion."
            )
        else:
            out.append(f"You give {ratio:.1f} times for every ask: keep giving first.")
    lonely = lists.get("lonely_asks", [])
    if lonely:
        out.append(
            f"{len(lonely)} asks came with nothing given in the 14 days before them: give first."
        )
    if lists.get("repeated"):
        out.append(
            "The same message again and again wears people out: say it once, well, where your "
            "members are."
        )
    for fit in lists.get("channel_fit", []):
        if fit["flag"] == "over-posted":
            out.append(
                f"You post on {fit['platform']} far more than your members talk there: move "
                "that effort to where they are."
            )
        elif fit["flag"] == "under-served":
            out.append(f"Your members talk on {fit['platform']} more than you do: show up there.")
    out += insights_advice(metrics)
    for best in lists.get("best_post_type", []):
        out.append(
            f"What draws a response: {best['behaviour']} {best['kind']}s on {best['platform']}, "
            f"{best['engagement_per_post']:.1f} likes, shares and replies each."
        )
    return out


def insights_advice(metrics: dict[str, Any]) -> list[str]:
    """Sentences on what the page's Insights say draws attention."""
    out = []
    ratio, kind = metrics.get("attention_lead_ratio"), metrics.get("attention_lead_type")
    if isinstance(ratio, float) and kind:
        out.append(
            f"{kind} posts drew {ratio:.1f} times the attention of your other posts (people who"
            " clicked in them): post more of what people open."
        )
    reach, engaged = metrics.get("paid_reach_ratio"), metrics.get("paid_engaged_ratio")
    if isinstance(reach, float) and isinstance(engaged, float):
        out.append(
            f"Paying reached {reach:.1f} times as many people per post but engaged {engaged:.1f}"
            " times as many: reach you buy is not a conversation."
        )
    return out


def funnel_steps(metrics: dict[str, Any]) -> list[tuple[str, int]]:
    """Followers, reachable, engaged, core members: the steps whose counts are known."""
    steps = [
        ("followers", metrics.get("followers")),
        ("reachable", metrics.get("reachable_followers")),
        ("engaged", metrics.get("engaged_followers")),
        ("core members", metrics.get("core_members")),
    ]
    return [(name, int(v)) for name, v in steps if isinstance(v, int)]


def funnel_sentence(metrics: dict[str, Any]) -> str:
    """The audience funnel in one sentence: how few of the followers are the community."""
    followers, core = metrics.get("followers"), metrics.get("core_members")
    reachable, engaged = metrics.get("reachable_followers"), metrics.get("engaged_followers")
    if not isinstance(followers, int) or not followers:
        return "No followers known: import a follower list or an archive with followers."
    parts = f"Of {followers:,} followers, {reachable or 0:,} are real and active"
    parts += f", {engaged or 0:,} interacted in this window"
    if isinstance(core, int):
        parts += f" and {core:,} are core members"
    return parts + ": the number that matters is the last one, not the first."
