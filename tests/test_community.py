"""The "Community" section of METRICS.md on small hand-built communities.

Each community is written as generic CSV files (docs/formats.md), imported through a real
workspace and measured with `build_reports` over a fixed window, so nothing depends on the latest
event. Every expected value is worked out by hand in the comment beside it.

The helpers at the top (`Community`, `report_for`, the times) are shared with test_members.py.
"""

from __future__ import annotations

import csv
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pyarrow as pa
import pytest

from convivial.importer import import_files
from convivial.metrics import build_reports
from convivial.metrics.community import HOST, bus_factor, community_metrics, strong_ties
from convivial.metrics.members import member_lists
from convivial.metrics.scope import scope_of
from convivial.metrics.window import Window
from convivial.report.model import TeamReport
from convivial.text.labels import CLASSIFIERS
from convivial.workspace import TeamConfig, Workspace

# -- building tiny workspaces ------------------------------------------------------------------

PLATFORM = "twitter"
SINCE = datetime(2026, 1, 1)
UNTIL = datetime(2026, 4, 1)
"""Every report here is over [2026-01-01, 2026-04-01): 90 days. The previous window (for
`slipping_away`) is [2025-10-03, 2026-01-01); the last 30 days are [2026-03-02, 2026-04-01).
ISO weeks: 2026-01-05 is the Monday of week 2, so week 3 starts 01-12, week 4 01-19, week 5
01-26, week 6 02-02, week 7 02-09, week 8 02-16."""

TEAM = "Shop"
BRAND = "shop"
STAFF = "anna"

RATIOS = (
    "member_to_member_share",
    "member_reciprocity",
    "host_reciprocity",
    "listening_rate",
    "conversation_share",
    "core_to_followers",
    "host_independence",
    "bus_factor",
    "newcomer_welcome_rate",
    "newcomer_return_rate",
)
"""The Community values that divide by something (bus_factor: by the member-to-member total)."""

COMMUNITY_KEYS = (
    "active_members",
    *RATIOS,
    "strong_ties_host",
    "strong_ties_members",
    "core_members",
    "slipping_away",
)


def at(day: str, hour: int = 10, minute: int = 0) -> datetime:
    """`at("01-05", 9)` is 2026-01-05 09:00 UTC; `at("2025-11-03")` names another year."""
    full = day if day.count("-") == 2 else f"2026-{day}"
    return datetime.fromisoformat(full) + timedelta(hours=hour, minutes=minute)


def key(account: str) -> str:
    return f"{PLATFORM}:{account}"


def _iso(time: datetime | None) -> str:
    return "" if time is None else time.strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass
class Community:
    """Rows of the four generic CSV files of one tiny workspace (team Shop: brand @shop, staff
    @anna). Accounts are named by id; mentions go in the `mentions` column, never in the text,
    so every mention listed is an interaction."""

    messages: list[list[str]] = field(default_factory=list)
    accounts: list[list[str]] = field(default_factory=list)
    follows: list[list[str]] = field(default_factory=list)
    interactions: list[list[str]] = field(default_factory=list)

    def message(
        self,
        message_id: str,
        author: str,
        time: datetime,
        *,
        parent: str | None = None,
        kind: str | None = None,
        mentions: Sequence[str] = (),
        text: str = "hello",
    ) -> None:
        """A post, or with `parent` a reply (or the given kind: share, quote)."""
        kind = kind or ("reply" if parent else "post")
        self.messages.append(
            [PLATFORM, message_id, author, _iso(time), text, kind, parent or "", " ".join(mentions)]
        )

    def account(self, account_id: str, followers: int) -> None:
        self.accounts.append([PLATFORM, account_id, str(followers)])

    def follow(self, follower: str, followed: str, time: datetime | None = None) -> None:
        self.follows.append([PLATFORM, follower, followed, _iso(time)])

    def interaction(
        self, actor: str, target: str, kind: str, time: datetime, message_id: str = ""
    ) -> None:
        self.interactions.append([PLATFORM, actor, target, kind, _iso(time), message_id])

    def write(self, folder: Path) -> list[Path]:
        files = {
            "accounts.csv": (["platform", "account_id", "followers"], self.accounts),
            "messages.csv": (
                [
                    "platform",
                    "message_id",
                    "author_id",
                    "created_at",
                    "text",
                    "kind",
                    "parent_id",
                    "mentions",
                ],
                self.messages,
            ),
            "follows.csv": (
                ["platform", "follower_id", "followed_id", "followed_at"],
                self.follows,
            ),
            "interactions.csv": (
                ["platform", "actor_id", "target_id", "kind", "created_at", "message_id"],
                self.interactions,
            ),
        }
        folder.mkdir(parents=True, exist_ok=True)
        paths = []
        for name, (header, rows) in files.items():
            if not rows:
                continue
            path = folder / name
            with path.open("w", newline="", encoding="utf-8") as f:
                writer = csv.writer(f)
                writer.writerow(header)
                writer.writerows(rows)
            paths.append(path)
        return paths


def report_for(
    folder: Path,
    community: Community,
    since: datetime | None = SINCE,
    until: datetime | None = UNTIL,
) -> TeamReport:
    """Write the CSV files, import them into a new workspace and report on team Shop."""
    ws = Workspace(folder / "ws")
    ws.init([TeamConfig(TEAM, brand=(f"{PLATFORM}:{BRAND}",), staff=(f"{PLATFORM}:{STAFF}",))])
    paths = community.write(folder / "csv")
    with ws.open_store() as store:
        if paths:
            import_files(store, "csv", paths)
        store.refresh_labels(CLASSIFIERS)  # as every command that reports does first
        reports = build_reports(store, since=since, until=until)
    assert [r.team for r in reports] == [TEAM]
    return reports[0]


def assert_none_with_reason(report: TeamReport, *keys: str) -> None:
    for name in keys:
        assert report.metrics[name] is None, name
        reason = report.reasons.get(name)
        assert isinstance(reason, str) and reason.strip(), f"{name}: no reason given"


def assert_every_none_has_a_reason(report: TeamReport) -> None:
    """Every Community value is present, and each that is None says why."""
    for name in COMMUNITY_KEYS:
        assert name in report.metrics, name
        if report.metrics[name] is None:
            assert report.reasons.get(name), f"{name} is None without a reason"


# -- community A: the main one -----------------------------------------------------------------


def community_a() -> Community:
    """Hosts shop (brand) and anna (staff); members bob, cat, dan, eve, fay, gus (only spoken
    to), hal (only likes), ivy (only before the window); zed and yan only follow.

    Conversational interactions in the window (ISO week in brackets):
      bob -> shop  reply d1 (W2), reply d5 (W3)        shop -> bob  reply s1 (W2)
      cat -> shop  reply d2 (W2)                       anna -> cat  reply s2 (W2)
      dan -> shop  mention d3 (W4)                     shop -> dan  reply s3 (W5, 8 days late)
      eve -> shop  reply d4 (W3)                       shop -> eve  share h7 (W3)
      shop -> gus  share h5 (W2)                       shop -> fay  quote h6 (W2)
      bob -> cat   reply m1 (W2), reply m3 (W3)        cat -> bob   reply m2 (W2)
      cat -> dan   mention cm (W2)                     dan -> cat   reply dc (W3)
      dan -> eve   mention de1 (W4), reply de3 (W4)    eve -> dan   reply de2 (W4)
      fay -> gus   mention f1 (W2), f2 (W3), f3 (W4)
    """
    c = Community()
    # before the window: neither counted nor active
    c.message("h0", "shop", at("2025-12-15", 9))
    c.message("i1", "ivy", at("2025-12-10"), mentions=["shop"])
    # host posts, and member messages directed at the team (d1..d5)
    c.message("h1", "shop", at("01-05", 9))
    c.message("d1", "bob", at("01-05", 10), parent="h1")
    c.message("d2", "cat", at("01-05", 11), parent="h1")
    c.message("s1", "shop", at("01-06", 10), parent="d1")  # 24 h after d1
    c.message("s2", "anna", at("01-07", 10), parent="d2")  # staff, 47 h after d2
    c.message("h2", "shop", at("01-12", 9))
    c.message("d4", "eve", at("01-12", 10), parent="h2")  # only shared (h7), never answered
    c.message("d5", "bob", at("01-13", 10), parent="h2")  # never answered
    c.message("d3", "dan", at("01-19", 12), mentions=["shop"])
    c.message("s3", "shop", at("01-27", 12), parent="d3")  # 8 days after d3: too late
    # members among themselves
    c.message("c0", "cat", at("01-05", 12))
    c.message("m1", "bob", at("01-05", 13), parent="c0")
    c.message("m2", "cat", at("01-06", 13), parent="m1")
    c.message("m3", "bob", at("01-13", 13), parent="m2")
    c.message("f1", "fay", at("01-05", 14), mentions=["gus"])
    c.message("f2", "fay", at("01-12", 14), mentions=["gus"])
    c.message("f3", "fay", at("01-19", 14), mentions=["gus"])
    c.message("g0", "gus", at("01-05", 15))
    c.message("cm", "cat", at("01-06", 15), mentions=["dan"])
    c.message("dc", "dan", at("01-13", 15), parent="cm")
    c.message("de1", "dan", at("01-20"), mentions=["eve"])
    c.message("de2", "eve", at("01-21"), parent="de1")
    c.message("de3", "dan", at("01-22"), parent="de2")
    # the host shares gus's post and quotes fay's: not conversation_share's replies
    c.message("h5", "shop", at("01-06", 9), parent="g0", kind="share")
    c.message("h6", "shop", at("01-06", 12), parent="f1", kind="quote")
    # ... and shares eve's d4 a day later: a share is not a reply, d4 stays unanswered
    c.message("h7", "shop", at("01-13", 9), parent="d4", kind="share")
    # likes are not conversational; follows without a time are followers only
    c.interaction("hal", "bob", "like", at("01-10"), "d1")
    c.interaction("hal", "shop", "like", at("01-10", 11), "h1")
    for follower, followed in [
        ("bob", "shop"),
        ("cat", "shop"),
        ("zed", "shop"),
        ("yan", "anna"),
        ("bob", "anna"),
    ]:
        c.follow(follower, followed)
    return c


@pytest.fixture(scope="module")
def report_a(tmp_path_factory: pytest.TempPathFactory) -> TeamReport:
    return report_for(tmp_path_factory.mktemp("community_a"), community_a())


def test_a_active_members(report_a: TeamReport) -> None:
    # bob, cat, dan, eve, fay act conversationally in the window = 5; gus is only a target,
    # hal only likes, ivy spoke before the window, zed and yan only follow
    assert report_a.metrics["active_members"] == 5


def test_a_member_to_member_share(report_a: TeamReport) -> None:
    # member as actor: bob 4 (d1 d5 m1 m3) + cat 3 (d2 m2 cm) + dan 4 (d3 dc de1 de3)
    #   + eve 2 (d4 de2) + fay 3 (f1 f2 f3) = 16
    # of which to members: bob 2 + cat 2 + dan 3 + eve 1 + fay 3 = 11 -> 11 / 16 = 0.6875
    assert report_a.metrics["member_to_member_share"] == pytest.approx(11 / 16)


def test_a_member_reciprocity(report_a: TeamReport) -> None:
    # pairs: {bob,cat} both ways, {cat,dan} both ways, {dan,eve} both ways, {fay,gus} one way
    # -> 3 / 4 = 0.75
    assert report_a.metrics["member_reciprocity"] == pytest.approx(3 / 4)


def test_a_host_reciprocity(report_a: TeamReport) -> None:
    # addressed the host (reply or mention) in the window: bob, cat, dan, eve = 4 (ivy: before)
    # got a host reply or mention back in the window: bob (s1), cat (s2, by staff anna),
    # dan (s3: late for listening_rate, but in the window) = 3; eve's message was only shared
    # (h7), neither a reply nor a mention -> 3 / 4 = 0.75
    assert report_a.metrics["host_reciprocity"] == pytest.approx(3 / 4)


def test_a_listening_rate(report_a: TeamReport) -> None:
    # directed at the team by members in the window: d1 d2 d3 d4 d5 = 5 (i1: before the window)
    # answered by a direct host reply within 7 days: d1 (s1, 24 h), d2 (s2 by staff, 47 h) = 2;
    # d3's reply s3 came after 8 days and does not count; d4 was only shared (h7), which is no
    # reply; d5 got nothing -> 2 / 5 = 0.4
    assert report_a.metrics["listening_rate"] == pytest.approx(2 / 5)


def test_a_conversation_share(report_a: TeamReport) -> None:
    # host messages in the window: posts h1 h2 = 2, replies s1 s2 s3 = 3, quote h6 = 1,
    # shares h5 h7 (not counted); h0 is before the window -> 3 / (2 + 3 + 1) = 0.5
    assert report_a.metrics["conversation_share"] == pytest.approx(3 / 6)


def test_a_strong_ties(report_a: TeamReport) -> None:
    # members: {bob,cat}: m1 (W2), m2 (W2), m3 (W3): both ways, 3 interactions, 2 weeks: strong
    #   {dan,eve}: de1 de2 de3, both ways, 3 interactions, but all in W4: not strong
    #   {fay,gus}: 3 interactions in 3 weeks, but one way: not strong
    #   {cat,dan}: cm (W2), dc (W3): both ways, 2 weeks, but 2 < 3 interactions: not strong
    #   -> strong_ties_members = 1
    # host: {host,bob}: d1 (W2), d5 (W3), s1 (W2): both ways, 3, 2 weeks: strong
    #   {host,cat}: d2 + s2 = 2; {host,dan}: d3 + s3 = 2; {host,eve}: d4 + h7 = 2;
    #   fay, gus: one way
    #   -> strong_ties_host = 1
    assert report_a.metrics["strong_ties_members"] == 1
    assert report_a.metrics["strong_ties_host"] == 1


def test_a_core_members_and_core_to_followers(report_a: TeamReport) -> None:
    # members with a strong tie: bob (with cat and with the host), cat (with bob) = 2
    assert report_a.metrics["core_members"] == 2
    # followers of a host account: bob, cat, zed (of shop), yan, bob (of anna) = 4 distinct
    assert report_a.metrics["followers"] == 4
    # 2 / 4 = 0.5
    assert report_a.metrics["core_to_followers"] == pytest.approx(2 / 4)


def test_a_host_independence(report_a: TeamReport) -> None:
    # member-only graph: bob-cat, cat-dan, dan-eve, fay-gus: components {bob,cat,dan,eve} (4)
    # and {fay,gus} (2); largest 4 / active_members 5 = 0.8
    assert report_a.metrics["host_independence"] == pytest.approx(4 / 5)


def test_a_bus_factor(report_a: TeamReport) -> None:
    # member-to-member interactions by actor: dan 3, fay 3, bob 2, cat 2, eve 1 = 11;
    # half = 5.5: 3 < 5.5, 3 + 3 = 6 >= 5.5 -> 2
    assert report_a.metrics["bus_factor"] == 2


def test_a_newcomer_welcome_counts_replies_not_shares_or_quotes(report_a: TeamReport) -> None:
    # first-ever message in the window: bob (d1), cat (d2), dan (dc), eve (d4), fay (f1), gus
    # (g0) = 6 newcomers (ivy's first is before the window; hal wrote nothing)
    # replied to within 48 h: bob (s1, 24 h), cat (s2, 47 h) = 2; dan's and eve's firsts got no
    # reply (d4 was only shared, h7); fay's f1 was only quoted (h6) and gus's g0 only shared
    # (h5): a share or a quote is not a reply -> 2 / 6
    assert report_a.metrics["newcomer_welcome_rate"] == pytest.approx(2 / 6)


def test_a_newcomer_return_rate(report_a: TeamReport) -> None:
    # interacting again in a later ISO week within 30 days of the first message:
    # bob (W2 -> d5 W3), dan (W3 -> d3 W4), eve (W3 -> de2 W4), fay (W2 -> f2 W3) = 4;
    # cat acted in W2 only; gus never acted -> 4 / 6
    assert report_a.metrics["newcomer_return_rate"] == pytest.approx(4 / 6)


def test_a_nobody_slips_away(report_a: TeamReport) -> None:
    # previous window [2025-10-03, 2026-01-01): ivy's one mention, no strong tie, no core
    assert report_a.metrics["slipping_away"] == 0
    assert report_a.lists["slipping_away"] == []


def test_a_defined_values_have_no_reasons(report_a: TeamReport) -> None:
    for name in RATIOS:
        assert report_a.metrics[name] is not None, name
        assert name not in report_a.reasons


# -- community B: newcomers and slipping away ---------------------------------------------------


def community_b() -> Community:
    """Previous window: oli and pam are core (a strong tie), quin is core with the host, rex only
    mentions pam. This window: five newcomers (nia, ned, nat, noe, nils); pam's last interaction
    is on 02-15, before the last 30 days; quin is silent; oli is active on 03-10. una and val
    (first seen before the window) each ask the host once; one answer is on time, one late."""
    c = Community()
    # previous window: oli <-> pam: p1 (W41), o2 (W41), p2 (W42)
    c.message("o1", "oli", at("2025-10-06", 9))
    c.message("p1", "pam", at("2025-10-06", 10), parent="o1")
    c.message("o2", "oli", at("2025-10-07", 10), parent="p1")
    c.message("p2", "pam", at("2025-10-13", 10), parent="o2")
    c.message("r1", "rex", at("2025-10-20"), mentions=["pam"])
    # previous window: quin <-> host: k1 (W45), h0r (W45), k2 (W46)
    c.message("h0", "shop", at("2025-11-03", 9))
    c.message("k1", "quin", at("2025-11-03", 10), parent="h0")
    c.message("h0r", "shop", at("2025-11-04", 10), parent="k1")
    c.message("k2", "quin", at("2025-11-10", 10), parent="h0r")
    # newcomers, all first on Monday 02-02 (W6)
    c.message("n1", "nia", at("02-02", 10))
    c.message("hs1", "shop", at("02-03", 10), parent="n1")  # 24 h: welcomed by the host
    c.message("n2", "nia", at("02-10", 10), mentions=["oli"])  # W7, 8 days: returns
    c.message("e1", "ned", at("02-02", 11))
    c.message("e2", "ned", at("02-03", 9), mentions=["oli"])  # same week W6: no return
    c.message("oe", "oli", at("02-04", 12), parent="e1")  # 49 h: too late to welcome
    c.message("t1", "nat", at("02-02", 12))
    c.message("t2", "nat", at("02-02", 13), parent="t1")  # a self-reply does not welcome
    c.message("t3", "nat", at("03-09", 12), mentions=["oli"])  # 35 days later: no return
    c.message("x1", "noe", at("02-02", 13))
    c.message("ox", "oli", at("02-03", 13), parent="x1")  # 24 h: welcomed by a member
    c.message("x2", "noe", at("02-20", 10), mentions=["oli"])  # W8, 18 days: returns
    c.message("s1", "nils", at("02-02", 14))
    c.message("s2", "nils", at("02-09", 14), mentions=["oli"])  # W7, 7 days: returns
    # listening, alone: una's question answered after 6 days 23 h, val's after 8 days
    c.message("u0", "una", at("2025-12-01"))
    c.message("v0", "val", at("2025-12-01", 11))
    c.message("u1", "una", at("02-16", 10), mentions=["shop"])
    c.message("hu", "shop", at("02-23", 9), parent="u1")
    c.message("v1", "val", at("02-16", 11), mentions=["shop"])
    c.message("hv", "shop", at("02-24", 11), parent="v1")
    # the old core
    c.message("pp", "pam", at("02-15", 10), mentions=["oli"])  # pam's last interaction
    c.message("oo", "oli", at("03-10", 10), mentions=["nia"])  # oli, in the last 30 days
    return c


@pytest.fixture(scope="module")
def report_b(tmp_path_factory: pytest.TempPathFactory) -> TeamReport:
    return report_for(tmp_path_factory.mktemp("community_b"), community_b())


def test_b_newcomer_welcome_rate(report_b: TeamReport) -> None:
    # newcomers: nia, ned, nat, noe, nils = 5 (oli, pam, quin, rex, una, val wrote before)
    # welcomed: nia (host reply after 24 h), noe (oli's reply after 24 h) = 2;
    # ned's reply came after 49 h, nat only replied to herself, nils got none -> 2 / 5 = 0.4
    assert report_b.metrics["newcomer_welcome_rate"] == pytest.approx(2 / 5)


def test_b_newcomer_return_rate(report_b: TeamReport) -> None:
    # again in a later ISO week within 30 days: nia (W7, 8 d), noe (W8, 18 d), nils (W7, 7 d)
    # = 3; ned only again in W6, nat only after 35 days -> 3 / 5 = 0.6
    assert report_b.metrics["newcomer_return_rate"] == pytest.approx(3 / 5)


def test_b_listening_rate_seven_days(report_b: TeamReport) -> None:
    # directed at the team: u1, v1 = 2; u1 answered after 6 days 23 h (within 7 days), v1
    # after 8 days (not) -> 1 / 2
    assert report_b.metrics["listening_rate"] == pytest.approx(1 / 2)
    # una and val addressed the host and both got a reply in the window, late or not: 2 / 2
    assert report_b.metrics["host_reciprocity"] == 1.0


def test_b_slipping_away(report_b: TeamReport) -> None:
    # core in [2025-10-03, 2026-01-01): oli, pam (their tie), quin (tie with the host); rex not
    # no interaction in [2026-03-02, 2026-04-01): pam (last 02-15), quin (last 2025-11-10);
    # oli mentioned nia on 03-10 -> 2
    assert report_b.metrics["slipping_away"] == 2
    rows = report_b.lists["slipping_away"]
    assert sorted(r["account_key"] for r in rows) == [key("pam"), key("quin")]
    last_seen = {r["account_key"]: r["last_seen"] for r in rows}
    assert last_seen == {key("pam"): at("02-15", 10), key("quin"): at("2025-11-10", 10)}
    # neither has a strong tie in this window
    assert all(r["core_now"] is False for r in rows)
    assert report_b.metrics["core_members"] == 0


# -- empty and tiny workspaces -----------------------------------------------------------------


def test_empty_workspace(tmp_path: Path) -> None:
    report = report_for(tmp_path, Community())
    # no members: every count is 0, every ratio None with a reason
    for name in ("active_members", "strong_ties_host", "strong_ties_members", "core_members"):
        assert report.metrics[name] == 0, name
    assert report.metrics["slipping_away"] == 0
    assert_none_with_reason(report, *RATIOS)
    assert_every_none_has_a_reason(report)
    for name in ("slipping_away", "advocates", "top_followed", "members"):
        assert report.lists[name] == [], name


def test_empty_workspace_community_values(tmp_path: Path) -> None:
    # the same, one level down (the section's own functions, without the rest of the report)
    ws = Workspace(tmp_path / "ws")
    ws.init([TeamConfig(TEAM, brand=(f"{PLATFORM}:{BRAND}",), staff=(f"{PLATFORM}:{STAFF}",))])
    with ws.open_store() as store:
        scope = scope_of(store.ibis(), [TEAM], Window(SINCE, UNTIL))
        community = community_metrics(scope, {TEAM: None})[TEAM]
        members = member_lists(scope, {TEAM: community.active})[TEAM]
        scope.release()
    assert community.values["active_members"] == 0
    for name in RATIOS:
        assert community.values[name] is None, name
        assert community.reasons.get(name), name
    assert community.slipping_away == []
    assert (list(members.members), members.advocates, members.top_followed) == ([], [], [])
    assert members.overlap == 0


def test_empty_workspace_default_window(tmp_path: Path) -> None:
    # no data and no window given: the window falls back to a fixed one, no crash
    report = report_for(tmp_path, Community(), since=None, until=None)
    assert report.metrics["active_members"] == 0
    assert_none_with_reason(report, *RATIOS)


def test_one_member(tmp_path: Path) -> None:
    c = Community()
    c.message("h1", "shop", at("02-02", 9))
    c.message("b1", "bob", at("02-02", 10), parent="h1")
    report = report_for(tmp_path, c)
    assert report.metrics["active_members"] == 1  # bob
    # bob -> shop only: 0 member-to-member / 1 -> 0.0
    assert report.metrics["member_to_member_share"] == 0.0
    # bob addressed the host, got nothing back: 0 / 1
    assert report.metrics["host_reciprocity"] == 0.0
    # b1 directed, unanswered: 0 / 1
    assert report.metrics["listening_rate"] == 0.0
    # host: one post, no reply: 0 / 1
    assert report.metrics["conversation_share"] == 0.0
    # bob's first message is in the window, nobody replied, nothing later: 0 / 1 each
    assert report.metrics["newcomer_welcome_rate"] == 0.0
    assert report.metrics["newcomer_return_rate"] == 0.0
    # no member pair, no member-to-member interaction, no follower known
    assert_none_with_reason(report, "member_reciprocity", "bus_factor", "core_to_followers")
    # member-only graph: bob alone, largest component 1 / 1 active
    assert report.metrics["host_independence"] == 1.0
    assert report.metrics["core_members"] == 0
    assert_every_none_has_a_reason(report)
    assert [m["account_key"] for m in report.lists["members"]] == [key("bob")]


def test_one_member_who_only_likes(tmp_path: Path) -> None:
    c = Community()
    c.message("h1", "shop", at("02-02", 9))
    c.interaction("bob", "shop", "like", at("02-02", 10), "h1")
    report = report_for(tmp_path, c)
    # a like is not conversational: no active member, nothing said to the host
    assert report.metrics["active_members"] == 0
    assert_none_with_reason(
        report,
        "member_to_member_share",
        "member_reciprocity",
        "host_reciprocity",
        "listening_rate",
        "host_independence",
        "bus_factor",
        "newcomer_welcome_rate",  # bob wrote no message: no newcomer
        "newcomer_return_rate",
        "core_to_followers",
    )
    # the host wrote one post, no reply: 0 / 1
    assert report.metrics["conversation_share"] == 0.0
    assert_every_none_has_a_reason(report)
    assert report.lists["members"] == []


def test_no_host_messages(tmp_path: Path) -> None:
    c = Community()
    c.message("b1", "bob", at("02-02", 10), mentions=["cat"])
    c.message("c1", "cat", at("02-02", 12), parent="b1")
    c.message("d1", "dan", at("02-03", 10), mentions=["shop"])
    report = report_for(tmp_path, c)
    # the host wrote nothing: 0 / 0
    assert_none_with_reason(report, "conversation_share", "core_to_followers")
    assert report.metrics["active_members"] == 3  # bob, cat, dan
    # bob -> cat, cat -> bob, dan -> shop: 2 / 3
    assert report.metrics["member_to_member_share"] == pytest.approx(2 / 3)
    # one pair {bob,cat}, both ways: 1 / 1
    assert report.metrics["member_reciprocity"] == 1.0
    # dan addressed the host and got nothing back; d1 unanswered: 0 / 1 each
    assert report.metrics["host_reciprocity"] == 0.0
    assert report.metrics["listening_rate"] == 0.0
    # largest member component {bob, cat}: 2 / 3 active
    assert report.metrics["host_independence"] == pytest.approx(2 / 3)
    assert_every_none_has_a_reason(report)


def test_host_never_appears(tmp_path: Path) -> None:
    # the team's accounts are configured but absent from the data: no host account at all
    c = Community()
    c.message("b1", "bob", at("02-02", 10), mentions=["cat"])
    c.message("c1", "cat", at("02-02", 12), parent="b1")
    report = report_for(tmp_path, c)
    assert_none_with_reason(
        report, "conversation_share", "listening_rate", "host_reciprocity", "core_to_followers"
    )
    assert report.metrics["active_members"] == 2  # bob, cat
    # bob -> cat, cat -> bob: 2 / 2 = 1.0; one pair, both ways: 1 / 1
    assert report.metrics["member_to_member_share"] == 1.0
    assert report.metrics["member_reciprocity"] == 1.0
    # one component {bob, cat}: 2 / 2
    assert report.metrics["host_independence"] == 1.0
    # bob 1, cat 1: total 2, half 1: 1 >= 1 -> 1
    assert report.metrics["bus_factor"] == 1
    # newcomers bob, cat; bob's b1 got cat's reply after 2 h, cat's c1 none: 1 / 2;
    # neither acts in a later week: 0 / 2
    assert report.metrics["newcomer_welcome_rate"] == pytest.approx(1 / 2)
    assert report.metrics["newcomer_return_rate"] == 0.0
    # 2 interactions in one week: no strong tie
    assert report.metrics["strong_ties_members"] == 0
    assert_every_none_has_a_reason(report)


# -- the pure helpers ---------------------------------------------------------------------------


def test_bus_factor_chaoss_example() -> None:
    # total 1000 + 202 + 90 + 33 + 332 + 343 + 42 + 433 = 2475, half 1237.5;
    # largest first: 1000 < 1237.5, 1000 + 433 = 1433 >= 1237.5 -> 2
    assert bus_factor([1000, 202, 90, 33, 332, 343, 42, 433]) == 2


@pytest.mark.parametrize(
    ("contributions", "expected"),
    [
        ([10], 1),  # 10 >= 5
        ([5, 5], 1),  # total 10, half 5: 5 >= 5 (exactly half is enough)
        ([5, 5, 5, 5], 2),  # total 20, half 10: 5 < 10, 10 >= 10
        ([3, 3, 3], 2),  # total 9, half 4.5: 3 < 4.5, 6 >= 4.5
        ([1] * 10, 5),  # total 10, half 5: five ones
        ([4, 3, 3], 2),  # total 10, half 5: 4 < 5, 7 >= 5
        ([0, 0, 10], 1),  # zeros are nobody: total 10, 10 >= 5
        ([0, 6, 0, 2, 2], 1),  # total 10, 6 >= 5
        ([2, 0, 2, 0, 2, 2], 2),  # total 8, half 4: 2 < 4, 4 >= 4
    ],
)
def test_bus_factor_ties_and_zeros(contributions: list[int], expected: int) -> None:
    assert bus_factor(contributions) == expected


@pytest.mark.parametrize("contributions", [[], [0], [0, 0, 0]])
def test_bus_factor_nothing_to_share(contributions: list[int]) -> None:
    # no member-to-member interaction at all: undefined
    assert bus_factor(contributions) is None


W2, W3, W4 = datetime(2026, 1, 5), datetime(2026, 1, 12), datetime(2026, 1, 19)


def edge(actor: str, target: str, n: int, *weeks: datetime) -> dict[str, Any]:
    return {"actor_key": actor, "target_key": target, "n": n, "week_list": list(weeks)}


def test_strong_ties_cases() -> None:
    hosts = frozenset({"shop", "anna"})
    edges = [
        # strong: both ways, 3 interactions, 2 weeks
        edge("bob", "cat", 2, W2, W3),
        edge("cat", "bob", 1, W2),
        # one ISO week only: both ways, 3 interactions, but 1 week
        edge("dan", "eve", 2, W4),
        edge("eve", "dan", 1, W4),
        # one way: 5 interactions in 3 weeks
        edge("fay", "gus", 5, W2, W3, W4),
        # fewer than 3: both ways, 2 weeks, 2 interactions
        edge("hal", "ivy", 1, W2),
        edge("ivy", "hal", 1, W3),
        # exactly the thresholds with the host: 2 + 1 = 3 interactions, 2 weeks
        edge("jon", "shop", 2, W2, W3),
        edge("shop", "jon", 1, W3),
    ]
    assert strong_ties(pa.Table.from_pylist(edges), hosts) == {
        frozenset({"bob", "cat"}),
        frozenset({HOST, "jon"}),
    }


def test_strong_ties_host_is_one_party() -> None:
    # host = brand + staff: kim -> shop (W2), anna -> kim (W3), kim -> anna (W3) is one
    # host-member pair with 3 interactions in 2 weeks, both ways: strong
    hosts = frozenset({"shop", "anna"})
    edges = [
        edge("kim", "shop", 1, W2),
        edge("anna", "kim", 1, W3),
        edge("kim", "anna", 1, W3),
        # brand and staff talking to each other is not a tie at all
        edge("anna", "shop", 3, W2),
        edge("shop", "anna", 3, W3),
    ]
    assert strong_ties(pa.Table.from_pylist(edges), hosts) == {frozenset({HOST, "kim"})}


def test_strong_ties_none() -> None:
    assert strong_ties(pa.Table.from_pylist([]), frozenset({"shop"})) == set()
