"""Network type (METRICS.md, "Network type"): hand-worked graphs, networkx agreement on random
graphs, planted graphs of each type, and tiny inputs."""

from __future__ import annotations

import doctest
import random
from collections.abc import Callable
from itertools import pairwise

import networkx as nx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from convivial.metrics import network
from convivial.metrics.network import (
    MIN_NODES,
    THRESHOLDS,
    Edge,
    NetworkFeatures,
    classify,
    leiden_communities,
    network_features,
    network_type,
)

Planted = tuple[list[Edge], set[str]]

# --- hand-worked graphs --------------------------------------------------------------------------


def test_host_answering_three_members() -> None:
    # a, b, c ask the host h; h answers each. Undirected: h-a, h-b, h-c: N = 4, E = 3.
    edges = [("a", "h", 1), ("b", "h", 2), ("c", "h", 1), ("h", "a", 1), ("h", "b", 1)]
    edges += [("h", "c", 1)]
    f = network_features(edges, hosts={"h"})
    assert f.nodes == 4
    assert f.components == 1
    assert f.density == pytest.approx(2 * 3 / (4 * 3))  # 0.5
    # active members a, b, c; none has a member-member tie: 3 / 3
    assert f.isolate_share == 1.0
    # out-degrees h 3, a 1, b 1, c 1: ((3-3) + 3 * (3-1)) / (4-1)^2 = 6/9; in-degrees the same
    assert f.out_centralization == pytest.approx(6 / 9)
    assert f.in_centralization == pytest.approx(6 / 9)
    assert (f.top_hub, f.top_hub_is_host) == ("h", True)  # degree 3 against 1
    # a cluster needs >= max(3, 5% of 4) = 3 nodes; a star has no better split than none
    assert f.clusters == 1
    assert f.reasons["two_cluster_share"] == "fewer than two clusters"
    assert f.two_cluster_share is None and f.between_two_share is None
    assert classify(f).type == "support"


def test_triangle_and_a_host_corner() -> None:
    edges = [
        ("a", "b", 2),
        ("b", "a", 1),
        ("a", "b", 1),  # repeated rows add up: a-b weighs 2 + 1 + 1 = 4
        ("b", "c", 1),
        ("c", "a", 1),
        ("a", "a", 5),  # self-loop: dropped
        ("c", "b", 0),  # no interaction: dropped
        ("d", "h", 1),
        ("h", "d", 3),  # d-h weighs 4
        ("h", "e", 1),  # e never acts: a member, not an active one
    ]
    f = network_features(edges, hosts={"h", "staff-without-edges"})
    # nodes a b c d e h (the host without an edge is no node); undirected edges a-b a-c b-c d-h e-h
    assert f.nodes == 6
    assert f.density == pytest.approx(2 * 5 / (6 * 5))  # 1/3
    # active members a b c d; a b c are tied to members, d only to the host: 1 / 4
    assert f.isolate_share == pytest.approx(1 / 4)
    # simple arcs a>b b>a b>c c>a d>h h>d h>e
    # out: a1 b2 c1 d1 e0 h2 -> max 2, sum (1+0+1+1+2+0) = 5, / 5^2
    assert f.out_centralization == pytest.approx(5 / 25)
    # in: a2 b1 c1 d1 e1 h1 -> max 2, sum (0+1+1+1+1+1) = 5, / 5^2
    assert f.in_centralization == pytest.approx(5 / 25)
    # undirected degrees a2 b2 c2 d1 e1 h2: a tie at 2, the smallest key wins
    assert (f.top_hub, f.top_hub_is_host) == ("a", False)
    assert f.components == 2
    # Leiden keeps the two components: m = 11; {a,b,c} holds weight 6 and degree 12, {d,e,h} 5
    # and 10: Q = 6/11 - (12/22)^2 + 5/11 - (10/22)^2 = 1 - 244/484
    assert sorted(map(sorted, leiden_communities(edges))) == [["a", "b", "c"], ["d", "e", "h"]]
    assert f.modularity == pytest.approx(1 - 244 / 484)
    assert f.clusters == 2
    # non-isolated members a b c, all in the two clusters; no weight between the clusters
    assert f.two_cluster_share == 1.0
    assert f.between_two_share == 0.0
    assert f.reasons == {}
    assert classify(f).type == "polarized"


def test_between_two_share_counts_weight_among_the_two_clusters() -> None:
    # two triangles of weight 3 per edge joined by one edge of weight 1: between 1 / (9 + 9 + 1)
    edges = [(a, b, 3) for a, b in [("a", "b"), ("b", "c"), ("c", "a")]]
    edges += [(a, b, 3) for a, b in [("x", "y"), ("y", "z"), ("z", "x")]]
    edges += [("a", "x", 1)]
    f = network_features(edges, hosts=())
    assert f.clusters == 2
    assert f.between_two_share == pytest.approx(1 / 19)
    assert f.two_cluster_share == 1.0
    assert (f.top_hub, f.top_hub_is_host) == ("a", False)  # a and x have 3 neighbours; a < x
    # in: a1 (c) b1 c1 x2 (z, a) y1 z1: max 2, sum 5 / 25; out: a2 others 1: the same
    assert f.in_centralization == pytest.approx(5 / 25)
    assert f.out_centralization == pytest.approx(5 / 25)


# --- empty and tiny inputs -----------------------------------------------------------------------

GRAPH_FEATURES = (
    "density",
    "modularity",
    "in_centralization",
    "out_centralization",
    "top_hub",
    "top_hub_is_host",
    "two_cluster_share",
    "between_two_share",
)


@pytest.mark.parametrize(
    "edges",
    [[], [("a", "a", 3)], [("a", "b", 0)], [("h", "h", 1), ("m", "m", 2)]],
    ids=["no edges", "a self-loop", "a zero count", "self-loops only"],
)
def test_no_edges(edges: list[Edge]) -> None:
    t = network_type(edges, hosts={"h"})
    f = t.features
    assert (f.nodes, f.components, f.clusters) == (0, 0, 0)
    for name in (*GRAPH_FEATURES, "isolate_share"):
        assert getattr(f, name) is None
        assert f.reasons[name].startswith("no edges")
    assert t.type is None
    assert "no edges" in t.explanation
    assert t.advice


def test_only_hosts() -> None:
    t = network_type([("brand", "staff", 2), ("staff", "brand", 1)], hosts={"brand", "staff"})
    f = t.features
    assert (f.nodes, f.density, f.top_hub, f.top_hub_is_host) == (2, 1.0, "brand", True)
    assert f.isolate_share is None
    assert f.reasons["isolate_share"].startswith("no members")
    assert t.type is None
    assert "no members" in t.explanation


def test_members_who_never_act() -> None:
    # the host mentions two members who never answer: members, but none active
    t = network_type([("h", "m1", 2), ("h", "m2", 1)], hosts={"h"})
    f = t.features
    assert f.isolate_share is None
    assert f.reasons["isolate_share"].startswith("no active members")
    assert f.out_centralization == pytest.approx(((2 - 0) * 2) / 4)  # out: h2 m1 0 m2 0
    assert t.type is None
    assert "no active members" in t.explanation


def test_two_accounts() -> None:
    f = network_features([("m", "h", 1)], hosts={"h"})
    # N = 2: density 1; in: h1 m0 -> (1 - 0) / 1^2; out: m1 h0 -> 1; degree tie: h < m
    assert (f.nodes, f.density, f.isolate_share) == (2, 1.0, 1.0)
    assert (f.in_centralization, f.out_centralization) == (1.0, 1.0)
    assert (f.top_hub, f.top_hub_is_host) == ("h", True)
    assert f.clusters == 0  # one community of 2 < 3 nodes
    assert f.reasons == {
        "two_cluster_share": "fewer than two clusters",
        "between_two_share": "fewer than two clusters",
    }


def test_no_hosts_given() -> None:
    f = network_features([("a", "b", 1)], hosts=())
    assert (f.top_hub, f.top_hub_is_host, f.isolate_share) == ("a", False, 0.0)


def test_negative_count_is_an_error() -> None:
    with pytest.raises(ValueError, match="negative"):
        network_features([("a", "b", -1)], hosts=())


def test_hosts_as_one_string_is_an_error() -> None:
    with pytest.raises(TypeError, match="collection"):
        network_features([("a", "brand", 1)], hosts="brand")


def test_edges_may_be_a_one_shot_iterator() -> None:
    edges = [("a", "h", 1), ("h", "a", 1), ("b", "a", 1)]
    assert network_features(iter(edges), hosts={"h"}) == network_features(edges, hosts={"h"})


# --- the table and the JSON ----------------------------------------------------------------------


def test_thresholds_follow_metrics_md_in_order() -> None:
    table = [(r.type, [(c.feature, c.op, c.value) for c in r.conditions]) for r in THRESHOLDS]
    assert table == [
        (
            "support",
            [
                ("out_centralization", ">=", 0.3),
                ("top_hub_is_host", "==", True),
                ("isolate_share", ">=", 0.5),
            ],
        ),
        ("broadcast", [("in_centralization", ">=", 0.3), ("isolate_share", ">=", 0.5)]),
        ("brand_clusters", [("isolate_share", ">=", 0.5)]),
        (
            "polarized",
            [
                ("clusters", ">=", 2),
                ("two_cluster_share", ">=", 0.7),
                ("modularity", ">=", 0.4),
                ("between_two_share", "<=", 0.1),
            ],
        ),
        ("tight_crowd", [("isolate_share", "<", 0.2), ("modularity", "<", 0.4)]),
        ("community_clusters", []),
    ]


def test_docstring_examples_run() -> None:
    result = doctest.testmod(network)
    assert result.attempted >= 5 and result.failed == 0


def test_as_json() -> None:
    t = network_type([("a", "h", 1), ("h", "a", 1)], hosts={"h"})
    out = t.as_json()
    assert list(out) == [
        "type",
        "nodes",
        "components",
        "density",
        "isolate_share",
        "modularity",
        "clusters",
        "in_centralization",
        "out_centralization",
        "top_hub",
        "top_hub_is_host",
        "two_cluster_share",
        "between_two_share",
        "reasons",
        "explanation",
        "advice",
    ]
    assert out["type"] == t.type
    assert out["reasons"] == t.features.reasons
    assert out["reasons"] is not t.features.reasons


# --- agreement with networkx on random graphs ----------------------------------------------------

NAMES = [f"n{i}" for i in range(9)]
random_edges = st.lists(
    st.tuples(st.sampled_from(NAMES), st.sampled_from(NAMES), st.integers(0, 4)), max_size=30
)


def _nx_graphs(edges: list[Edge]) -> tuple[nx.Graph, nx.DiGraph]:
    directed = nx.DiGraph()
    undirected = nx.Graph()
    for a, b, count in edges:
        if a == b or count == 0:
            continue
        directed.add_edge(a, b)
        if undirected.has_edge(a, b):
            undirected[a][b]["weight"] += count
        else:
            undirected.add_edge(a, b, weight=count)
    return undirected, directed


def _freeman(degrees: list[int]) -> float:
    n = len(degrees)
    return sum(max(degrees) - d for d in degrees) / (n - 1) ** 2


@settings(max_examples=150, deadline=None)
@given(edges=random_edges, hosts=st.sets(st.sampled_from(NAMES), max_size=3))
def test_agrees_with_networkx(edges: list[Edge], hosts: set[str]) -> None:
    f = network_features(edges, hosts)
    gu, gd = _nx_graphs(edges)
    assert f.nodes == gu.number_of_nodes() == gd.number_of_nodes()
    assert f.components == (nx.number_connected_components(gu) if f.nodes else 0)
    if f.nodes < 2:
        assert f.density is None and f.modularity is None
        return
    assert f.density == pytest.approx(nx.density(gu), abs=1e-9)
    in_c = _freeman([d for _, d in gd.in_degree()])
    out_c = _freeman([d for _, d in gd.out_degree()])
    assert f.in_centralization == pytest.approx(in_c, abs=1e-9)
    assert f.out_centralization == pytest.approx(out_c, abs=1e-9)
    partition = leiden_communities(edges)
    assert f.modularity == pytest.approx(
        nx.community.modularity(gu, partition, weight="weight"), abs=1e-9
    )
    big = [c for c in partition if len(c) >= max(3, 0.05 * f.nodes)]
    assert f.clusters == len(big)
    # Leiden's communities are connected: never more components than communities
    assert all(nx.is_connected(gu.subgraph(c)) for c in partition)
    degree = dict(gu.degree())
    assert f.top_hub == min(degree, key=lambda k: (-degree[k], k))
    members = [k for k in gu if k not in hosts]
    active = {a for a, _ in gd.edges() if a not in hosts}
    if active:
        isolated = [k for k in active if all(v in hosts for v in gu[k])]
        assert f.isolate_share == pytest.approx(len(isolated) / len(active))
    else:
        assert f.isolate_share is None
        assert f.reasons["isolate_share"].startswith("no members" if not members else "no active")
    t = classify(f)
    assert (t.type is None) == (f.isolate_share is None or f.nodes < MIN_NODES)


@settings(max_examples=40, deadline=None)
@given(edges=random_edges, seed=st.integers(0, 2**32 - 1))
def test_deterministic_whatever_the_order_and_the_global_random_state(
    edges: list[Edge], seed: int
) -> None:
    first = network_features(edges, hosts={"n0"})
    shuffled = list(edges)
    random.Random(seed).shuffle(shuffled)
    random.seed(seed)
    assert network_features(shuffled, hosts={"n0"}) == first


def test_leaves_the_global_random_state_alone() -> None:
    random.seed(7)
    expected = [random.random() for _ in range(3)]
    random.seed(7)
    network_features([(f"m{i}", f"m{(i * 7) % 40}", 1 + i % 3) for i in range(40)], hosts=())
    assert [random.random() for _ in range(3)] == expected


# --- planted graphs ------------------------------------------------------------------------------


def _pairs(rng: random.Random, people: list[str], p: float, counts: tuple[int, int]) -> list[Edge]:
    """Each unordered pair talks with probability p, in a random direction (or both)."""
    edges: list[Edge] = []
    for i, a in enumerate(people):
        for b in people[i + 1 :]:
            if rng.random() < p:
                x, y = (a, b) if rng.random() < 0.5 else (b, a)
                edges.append((x, y, rng.randint(*counts)))
                if rng.random() < 0.3:
                    edges.append((y, x, rng.randint(*counts)))
    return edges


def support(seed: int) -> Planted:
    """One host answering 60 members who ask it and never talk to each other (bar a few)."""
    rng = random.Random(seed)
    members = [f"customer{i}" for i in range(60)]
    edges: list[Edge] = []
    for m in members:
        edges.append((m, "shop", rng.randint(1, 3)))
        edges.append(("shop", m, rng.randint(1, 2)))
    for _ in range(rng.randint(0, 5)):
        a, b = rng.sample(members, 2)
        edges.append((a, b, 1))
    return edges, {"shop"}


def broadcast(seed: int) -> Planted:
    """60 members all pointing at the brand, which answers hardly anyone."""
    rng = random.Random(seed)
    members = [f"fan{i}" for i in range(60)]
    edges: list[Edge] = [(m, "brand", rng.randint(1, 4)) for m in members]
    edges += [("brand", m, 1) for m in rng.sample(members, rng.randint(0, 4))]
    for _ in range(rng.randint(0, 5)):
        a, b = rng.sample(members, 2)
        edges.append((a, b, 1))
    return edges, {"brand"}


def brand_clusters(seed: int) -> Planted:
    """Many isolates and pairs talking about the brand (its account and three staff accounts),
    around a non-host hub who mentions many people."""
    rng = random.Random(seed)
    hosts = ["brand", "staff1", "staff2", "staff3"]
    edges: list[Edge] = []
    for i in range(40):
        edges.append((f"lone{i}", rng.choice(hosts), rng.randint(1, 3)))
    for i in range(12):
        edges.append((f"pair{i}a", f"pair{i}b", rng.randint(1, 3)))
        if rng.random() < 0.3:
            edges.append((f"pair{i}b", f"pair{i}a", 1))
    for i in range(4):
        trio = [f"trio{i}{x}" for x in "abc"]
        edges += [(trio[0], trio[1], 1), (trio[1], trio[2], 1), (trio[0], hosts[i], 1)]
    edges.append(("influencer", "brand", 2))
    edges += [("influencer", f"follower{i}", 1) for i in range(rng.randint(18, 24))]
    return edges, set(hosts)


def polarized(seed: int) -> Planted:
    """Two dense groups of 30 barely joined; the host talks with a few of one side."""
    rng = random.Random(seed)
    left = [f"left{i}" for i in range(30)]
    right = [f"right{i}" for i in range(30)]
    edges = _pairs(rng, left, 0.5, (1, 3)) + _pairs(rng, right, 0.5, (1, 3))
    for _ in range(rng.randint(1, 3)):
        edges.append((rng.choice(left), rng.choice(right), 1))
    for m in rng.sample(left, 3):
        edges += [(m, "shop", 1), ("shop", m, 1)]
    return edges, {"shop"}


def tight_crowd(seed: int) -> Planted:
    """One dense group of 25 members, the host among them."""
    rng = random.Random(seed)
    members = [f"regular{i}" for i in range(25)]
    edges = _pairs(rng, members, 0.4, (1, 4))
    for m in rng.sample(members, 15):
        edges += [(m, "shop", rng.randint(1, 3)), ("shop", m, rng.randint(1, 2))]
    return edges, {"shop"}


def community_clusters(seed: int) -> Planted:
    """Five groups of 12, each around its own hub; hubs know each other and the host."""
    rng = random.Random(seed)
    edges: list[Edge] = []
    hubs = []
    for g in range(5):
        group = [f"g{g}m{i}" for i in range(12)]
        hub = group[0]
        hubs.append(hub)
        edges += _pairs(rng, group[1:], 0.2, (1, 2))
        for m in group[1:]:
            edges += [(m, hub, rng.randint(1, 3)), (hub, m, rng.randint(1, 2))]
        edges += [(hub, "shop", 1), ("shop", hub, 1)]
    for a, b in pairwise(hubs):
        edges.append((a, b, 1))
    return edges, {"shop"}


PLANTED: dict[str, Callable[[int], Planted]] = {
    "support": support,
    "broadcast": broadcast,
    "brand_clusters": brand_clusters,
    "polarized": polarized,
    "tight_crowd": tight_crowd,
    "community_clusters": community_clusters,
}


@pytest.mark.parametrize("planted", list(PLANTED))
@settings(max_examples=15, deadline=None)
@given(seed=st.integers(0, 2**32 - 1))
def test_planted_graphs_classify_as_planted(planted: str, seed: int) -> None:
    edges, hosts = PLANTED[planted](seed)
    t = network_type(edges, hosts)
    assert t.type == planted, _why(t.features)
    assert t.explanation
    assert (t.advice == "") == (planted in ("tight_crowd", "community_clusters"))


def test_planted_features_look_like_their_type() -> None:
    f = network_features(*support(0))
    assert f.out_centralization is not None and f.out_centralization > 0.8
    f = network_features(*broadcast(0))
    assert f.in_centralization is not None and f.in_centralization > 0.8
    assert f.out_centralization is not None and f.out_centralization < 0.1
    f = network_features(*brand_clusters(0))
    assert f.top_hub == "influencer" and f.top_hub_is_host is False
    f = network_features(*polarized(0))
    assert f.between_two_share is not None and f.between_two_share < 0.02
    f = network_features(*community_clusters(0))
    assert f.clusters >= 4 and f.modularity is not None and f.modularity > 0.5


def _why(f: NetworkFeatures) -> str:
    return ", ".join(f"{k}={v}" for k, v in vars(f).items())
