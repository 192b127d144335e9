"""The "Members" section of METRICS.md: love (Orbit), levels and advocates, on small hand-built
communities imported as generic CSV files, and the pure helpers `levels` and `percentiles`.

Window: [2026-01-01, 2026-04-01), as in test_community.py, whose workspace helpers these are. A
"whole month" is counted back from the window's end, 2026-04-01 00:00; the dates below are
chosen so that 30-day months and calendar months agree.
"""

from __future__ import annotations

from typing import Any

import pytest
from test_community import (
    Community,
    at,
    key,
    report_for,
)

from convivial.metrics.members import LOVE_WEIGHTS, levels, percentiles
from convivial.report.model import TeamReport


def by_member(report: TeamReport) -> dict[str, dict[str, Any]]:
    return {m["account_key"]: m for m in report.lists["members"]}


# -- love ---------------------------------------------------------------------------------------


def test_love_weights() -> None:
    assert LOVE_WEIGHTS == {
        "reply": 6,
        "quote": 5,
        "mention": 4,
        "share": 3,
        "like": 1,
        "follow": 1,
    }


@pytest.fixture(scope="module")
def report_love(tmp_path_factory: pytest.TempPathFactory) -> TeamReport:
    c = Community()
    c.message("h1", "shop", at("01-02", 9))
    # lou: one interaction 0, 1 and 2 whole months before 2026-04-01
    c.message("r1", "lou", at("03-20"), parent="h1")  # 11 days 14 h: 0 months
    c.message("q1", "lou", at("02-20"), parent="h1", kind="quote")  # 39 days 14 h: 1 month
    c.message("m1", "lou", at("01-20"), mentions=["shop"])  # 70 days 14 h: 2 months
    c.message("r2", "lou", at("04-05"), parent="h1")  # after the window's end: not counted
    # kim: a share (of lou's first message, m1), likes and a follow
    c.message("s1", "kim", at("03-25"), parent="m1", kind="share")  # 0 months
    c.interaction("kim", "shop", "like", at("03-26"), "h1")  # 0 months
    c.interaction("kim", "shop", "like", at("02-25"), "h1")  # 34 days 14 h: 1 month
    c.follow("kim", "shop", at("03-27"))  # 0 months
    return report_for(tmp_path_factory.mktemp("love"), c)


def test_love_decays_by_whole_months(report_love: TeamReport) -> None:
    members = by_member(report_love)
    # lou: reply 6 * 0.9^0 + quote 5 * 0.9^1 + mention 4 * 0.9^2 = 6 + 4.5 + 3.24 = 13.74
    assert members[key("lou")]["love"] == pytest.approx(6 + 5 * 0.9 + 4 * 0.81)
    assert members[key("lou")]["love"] == pytest.approx(13.74)


def test_love_counts_likes_and_follows(report_love: TeamReport) -> None:
    members = by_member(report_love)
    # kim: share 3 + like 1 + follow 1 (0 months) + like 1 * 0.9 (1 month) = 5.9
    assert members[key("kim")]["love"] == pytest.approx(3 + 1 + 1 + 0.9)
    # both acted conversationally (reply, quote, mention; share): both are listed
    assert set(members) == {key("lou"), key("kim")}


def test_a_share_is_not_a_welcome(report_love: TeamReport) -> None:
    kim = by_member(report_love)[key("kim")]
    # kim shared lou's first message (m1) and nobody replied to it: sharing is not "the first
    # reply to a member's first message" -> 0 newcomers welcomed
    assert kim["newcomers_welcomed"] == 0
    # the share is still a conversational interaction with a member: 1, reaching lou: 1
    assert (kim["member_interactions"], kim["members_reached"]) == (1, 1)


# -- levels -------------------------------------------------------------------------------------

MENTIONS = {
    "u01": 9,
    "u02": 8,
    "u03": 7,
    "u04": 6,
    "u05": 5,
    "u06": 4,
    "u07": 3,
    **{f"u{n:02d}": 2 for n in range(8, 13)},
    **{f"u{n:02d}": 1 for n in range(13, 21)},
}
"""Mentions of the shop in March (0 months ago, 4 each) by 20 members; u13 also likes once."""

EXPECTED_LEVELS = {
    # 20 active members: top 10% = 2, next 25% = 5, the rest 13
    # love: u01 9 * 4 = 36, u02 32 -> level 1
    "u01": 1,
    "u02": 1,
    # u03 28, u04 24, u05 20, u06 16, u07 12 -> level 2
    **{f"u{n:02d}": 2 for n in range(3, 8)},
    # u08..u12: 8 each, 2 interactions; u13: 4 + like 1 = 5, 2 interactions -> level 3
    **{f"u{n:02d}": 3 for n in range(8, 14)},
    # u14..u20: 4 each, one interaction -> level 4
    **{f"u{n:02d}": 4 for n in range(14, 21)},
}


@pytest.fixture(scope="module")
def report_levels(tmp_path_factory: pytest.TempPathFactory) -> TeamReport:
    c = Community()
    c.message("h1", "shop", at("03-01", 9))
    for member, n in MENTIONS.items():
        for i in range(n):
            c.message(f"{member}-{i}", member, at(f"03-{5 + i:02d}"), mentions=["shop"])
    c.interaction("u13", "shop", "like", at("03-20"), "h1")
    return report_for(tmp_path_factory.mktemp("levels"), c)


def test_levels_in_the_report(report_levels: TeamReport) -> None:
    members = by_member(report_levels)
    assert len(members) == 20
    assert {k: m["level"] for k, m in members.items()} == {
        key(u): level for u, level in EXPECTED_LEVELS.items()
    }


def test_levels_love_values(report_levels: TeamReport) -> None:
    members = by_member(report_levels)
    # 4 per mention, all 0 months ago; u13 one mention and one like: 4 + 1
    expected = {key(u): 4.0 * n for u, n in MENTIONS.items()}
    expected[key("u13")] = 5.0
    assert {k: m["love"] for k, m in members.items()} == pytest.approx(expected)


def test_levels_helper() -> None:
    love = {u: 4.0 * n for u, n in MENTIONS.items()}
    love["u13"] = 5.0
    interactions = dict(MENTIONS)
    interactions["u13"] = 2
    assert levels(love, interactions) == EXPECTED_LEVELS


def test_levels_helper_hundred() -> None:
    # 100 members, love 100..1: top 10% = 10 (love 100..91), next 25% = 25 (90..66), then
    # 65..1: level 3 with >= 2 interactions (even love), level 4 with one (odd love)
    love = {f"m{n:03d}": float(n) for n in range(1, 101)}
    interactions = {k: 2 if int(v) % 2 == 0 else 1 for k, v in love.items()}
    got = levels(love, interactions)
    for name, value in love.items():
        if value > 90:
            assert got[name] == 1, name
        elif value > 65:
            assert got[name] == 2, name
        else:
            assert got[name] == (3 if int(value) % 2 == 0 else 4), name


def test_levels_helper_tiny() -> None:
    # one active member is its own top 10%
    assert levels({"a": 6.0}, {"a": 1}) == {"a": 1}
    assert levels({}, {}) == {}


def test_levels_helper_equal_love_equal_level() -> None:
    # 20 members; three share the top love 10.0: a love value is in the top 10% or it is not,
    # so all three are level 1 (the function's docstring: "Ties in love keep the better
    # level"), whatever their names
    love = {f"m{n:02d}": 1.0 for n in range(17)}
    love.update({"zz": 10.0, "aa": 10.0, "mm": 10.0})
    got = levels(love, dict.fromkeys(love, 2))
    assert {got["aa"], got["mm"], got["zz"]} == {1}


# -- advocates ----------------------------------------------------------------------------------

FOLLOWERS = {
    "col": 20_000,
    **{f"q{n}": 10_000 - 1_000 * n for n in range(1, 9)},  # q1 9000 ... q8 2000
    "deb": 1_500,
    "ada": 50,
    "ben": 10,
}


@pytest.fixture(scope="module")
def report_advocates(tmp_path_factory: pytest.TempPathFactory) -> TeamReport:
    """12 active members: deb asks; ada answers first (welcoming deb) and mentions col; ben
    answers second; col mentions ben; q1..q8 only mention the shop."""
    c = Community()
    c.message("d1", "deb", at("02-02", 10), mentions=["shop"], text="Where is the shop?")
    c.message("a1", "ada", at("02-02", 11), parent="d1", text="Next to the station.")
    c.message("b1", "ben", at("02-03", 10), parent="d1", text="Try the map.")
    c.message("a2", "ada", at("02-04", 10), mentions=["col"])
    c.message("c1", "col", at("02-05", 10), mentions=["ben"])
    for n in range(1, 9):
        c.message(f"q{n}-1", f"q{n}", at("02-10", 10, n), mentions=["shop"])
    for name, followers in FOLLOWERS.items():
        c.account(name, followers)
    return report_for(tmp_path_factory.mktemp("advocates"), c)


def test_advocate_components(report_advocates: TeamReport) -> None:
    members = by_member(report_advocates)
    assert len(members) == 12
    components = ("member_interactions", "answers", "newcomers_welcomed", "members_reached")
    got = {k: tuple(m[c] for c in components) for k, m in members.items()}
    # ada: a1 -> deb, a2 -> col = 2; answered d1 = 1; first reply to deb's first message = 1;
    #   reached deb, col = 2
    assert got[key("ada")] == (2, 1, 1, 2)
    # ben: b1 -> deb = 1; answered d1 = 1; second reply, no welcome = 0; reached deb = 1
    assert got[key("ben")] == (1, 1, 0, 1)
    # col: c1 -> ben = 1; no answer; no welcome; reached ben = 1
    assert got[key("col")] == (1, 0, 0, 1)
    # deb and q1..q8 spoke only to the shop
    for name in ("deb", *(f"q{n}" for n in range(1, 9))):
        assert got[key(name)] == (0, 0, 0, 0), name


def test_advocate_community_value(report_advocates: TeamReport) -> None:
    members = by_member(report_advocates)
    value = {k: m["community_value"] for k, m in members.items()}
    # mid-rank percentile (below + equal / 2) / 12, per component:
    #   member_interactions and members_reached: values 2 (ada), 1 (ben, col), 0 (nine others)
    #     ada (11 + 0.5) / 12 = 11.5/12; ben, col (9 + 1) / 12 = 10/12; zeros 4.5/12
    #   answers: 1 (ada, ben), 0 (ten): ones (10 + 1) / 12 = 11/12; zeros 5/12
    #   newcomers_welcomed: 1 (ada), 0 (eleven): ada 11.5/12; zeros 5.5/12
    # averages of the four:
    #   ada (11.5 + 11 + 11.5 + 11.5) / 48 = 45.5/48
    #   ben (10 + 11 + 5.5 + 10) / 48 = 36.5/48
    #   col (10 + 5 + 5.5 + 10) / 48 = 30.5/48
    #   deb, q1..q8 (4.5 + 5 + 5.5 + 4.5) / 48 = 19.5/48
    assert value[key("ada")] == pytest.approx(45.5 / 48, abs=1e-6)
    assert value[key("ben")] == pytest.approx(36.5 / 48, abs=1e-6)
    assert value[key("col")] == pytest.approx(30.5 / 48, abs=1e-6)
    for name in ("deb", *(f"q{n}" for n in range(1, 9))):
        assert value[key(name)] == pytest.approx(19.5 / 48, abs=1e-6), name


def test_advocates_beside_the_most_followed(report_advocates: TeamReport) -> None:
    advocates = report_advocates.lists["advocates"]
    top_followed = report_advocates.lists["top_followed"]
    # the top ten by community value: ada, ben, col, then seven of the nine tied at 19.5/48;
    # ranked by community value, never by followers: ada (50 followers) first
    assert len(advocates) == 10
    assert [a["account_key"] for a in advocates[:3]] == [key("ada"), key("ben"), key("col")]
    tied = {key("deb"), *(key(f"q{n}") for n in range(1, 9))}
    assert {a["account_key"] for a in advocates[3:]} <= tied
    # the ten most followed: col 20000, q1 9000 ... q8 2000, deb 1500 (not ada 50, ben 10)
    assert [m["account_key"] for m in top_followed] == [
        key("col"),
        *(key(f"q{n}") for n in range(1, 9)),
        key("deb"),
    ]
    assert [m["followers"] for m in top_followed] == [20_000, *range(9_000, 1_000, -1_000), 1_500]
    # overlap: col + the seven tied advocates (all nine tied are among the most followed) = 8
    assert report_advocates.metrics["advocates_among_most_followed"] == 8


# -- percentiles --------------------------------------------------------------------------------


def test_percentiles_mid_rank() -> None:
    # values 0, 1, 1, 2 (n = 4): a (0 + 0.5) / 4; b, c (1 + 1) / 4; d (3 + 0.5) / 4
    assert percentiles({"a": 0, "b": 1, "c": 1, "d": 2}) == {
        "a": 0.125,
        "b": 0.5,
        "c": 0.5,
        "d": 0.875,
    }


def test_percentiles_ties_and_single() -> None:
    # all equal: (0 + 3 / 2) / 3 = 0.5 each; one value: (0 + 0.5) / 1
    assert percentiles({"x": 3, "y": 3, "z": 3}) == {"x": 0.5, "y": 0.5, "z": 0.5}
    assert percentiles({"x": 7}) == {"x": 0.5}
    assert percentiles({}) == {}
    # 5 distinct: (i + 0.5) / 5 -> 0.1, 0.3, 0.5, 0.7, 0.9
    got = percentiles({"a": 10, "b": 20, "c": 30, "d": 40, "e": 50})
    assert got == pytest.approx({"a": 0.1, "b": 0.3, "c": 0.5, "d": 0.7, "e": 0.9})
