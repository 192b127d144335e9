"""The community picture: who is drawn, what the host toggle takes away, and a stable layout."""

from __future__ import annotations

from convivial.metrics.picture import network_picture

EDGES = [
    ("host", "ann", 3),
    ("ann", "host", 1),
    ("bob", "host", 2),  # bob talks only to the host
    ("ann", "cat", 2),
    ("cat", "ann", 1),
    ("cat", "dan", 1),
    ("eve", "eve", 5),  # a self-loop is no tie
]


def _keys(drawing: dict[str, list[dict[str, object]]]) -> list[object]:
    return [node["key"] for node in drawing["nodes"]]


def test_without_the_host_only_members_tied_to_members_stay() -> None:
    picture = network_picture(EDGES, {"host"}, {"ann": 0.9, "cat": 0.5})
    assert _keys(picture["with_host"]) == ["ann", "bob", "cat", "dan", "host"]
    assert _keys(picture["without_host"]) == ["ann", "cat", "dan"]
    assert (picture["members"], picture["shown_members"], picture["still_connected"]) == (4, 4, 3)
    host = next(n for n in picture["with_host"]["nodes"] if n["key"] == "host")
    assert host["host"] is True and host["value"] == 1.0
    ties = {(e["a"], e["b"]): e["weight"] for e in picture["with_host"]["edges"]}
    assert ties == {("ann", "host"): 4, ("bob", "host"): 2, ("ann", "cat"): 3, ("cat", "dan"): 1}


def test_past_the_limit_the_most_valuable_members_are_drawn_not_the_most_active() -> None:
    edges = [("busy", "host", 50), ("quiet", "host", 1), ("quiet", "busy", 1)]
    picture = network_picture(edges, {"host"}, {"quiet": 0.9, "busy": 0.1}, limit=1)
    assert _keys(picture["with_host"]) == ["host", "quiet"]
    assert picture["members"] == 2 and picture["shown_members"] == 1


def test_positions_are_in_the_unit_square_and_the_same_every_time() -> None:
    first = network_picture(EDGES, {"host"}, {})
    again = network_picture(list(reversed(EDGES)), {"host"}, {})
    assert first == again
    for drawing in (first["with_host"], first["without_host"]):
        for node in drawing["nodes"]:
            assert 0.0 <= node["x"] <= 1.0 and 0.0 <= node["y"] <= 1.0
        by_key = {n["key"]: (n["x"], n["y"]) for n in drawing["nodes"]}
        for edge in drawing["edges"]:
            assert (edge["x"], edge["y"]) == by_key[edge["a"]]
            assert (edge["x2"], edge["y2"]) == by_key[edge["b"]]


def test_no_ties_no_picture() -> None:
    assert network_picture([("a", "a", 2)], {"host"}, {}) == {}
