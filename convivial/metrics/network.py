"""Network type: which of Pew's six conversation networks is the team's? (METRICS.md, "Network
type (Pew Research / Smith et al. 2014)").

Pure functions: an edge list in, a typed result out; no database, no printing. An edge is
`(actor, target, count)`: `count` conversational interactions (reply, mention, share, quote) from
the account keyed `actor` to the account keyed `target` in the team's window.

The graph, as METRICS.md builds it:

- self-loops (`actor == target`) and zero counts are dropped; repeated `(actor, target)` rows
  add up;
- the **nodes** are the accounts left in at least one edge, hosts included (a host account with no
  edge is not a node);
- the **undirected** graph merges `a -> b` and `b -> a` into one edge weighted by the sum of counts;
- the **directed** graph is simple: `a -> b` is one arc whatever its count;
- **members** are the nodes not in `hosts`; **active members** are members that are the actor of at
  least one edge; a **member-member tie** is an undirected edge between two members.
"""

from __future__ import annotations

import operator
import random
import threading
from collections.abc import Callable, Collection, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, fields
from typing import Any, Literal

import igraph

__all__ = [
    "LEIDEN_SEED",
    "THRESHOLDS",
    "Condition",
    "Edge",
    "NetworkFeatures",
    "NetworkType",
    "Rule",
    "classify",
    "leiden_communities",
    "network_features",
    "network_type",
    "seeded_igraph",
    "undirected_weights",
]

Edge = tuple[str, str, int]
"""(actor account_key, target account_key, count of conversational interactions actor -> target)"""

LEIDEN_SEED = 20140220
"""The seed of Leiden's random number generator, so a report is the same on every run (Smith et
al. published "Mapping Twitter Topic Networks" on 2014-02-20)."""

NO_EDGES = "no edges (no conversational interaction between two different accounts)"
SINGLE_NODE = "a single node"
NO_MEMBERS = "no members (every account in the graph is a host)"
NO_ACTIVE_MEMBERS = "no active members (no member was the actor of an interaction)"
FEWER_THAN_TWO_CLUSTERS = "fewer than two clusters"
NO_MEMBER_TIES = "no member-member ties"


@dataclass(frozen=True)
class NetworkFeatures:
    """The features METRICS.md classifies on; `reasons` says why each None is None."""

    nodes: int
    """Accounts in at least one edge, hosts included."""
    components: int
    """Connected components of the undirected graph (0 without nodes)."""
    density: float | None
    """2E / (N (N - 1)) on the undirected simple graph, host included."""
    isolate_share: float | None
    """Active members with no member-member tie / active members."""
    modularity: float | None
    """Modularity of the Leiden partition of the undirected weighted graph."""
    clusters: int
    """Leiden communities with >= max(3, 5% of nodes) nodes."""
    in_centralization: float | None
    """Freeman in-degree centralization of the simple directed graph."""
    out_centralization: float | None
    """Freeman out-degree centralization of the simple directed graph."""
    top_hub: str | None
    """The node with the largest undirected degree (ties: the smallest key)."""
    top_hub_is_host: bool | None
    two_cluster_share: float | None
    """Share of non-isolated members (members with a member-member tie) in the two largest
    clusters."""
    between_two_share: float | None
    """Edge weight between the two largest clusters / edge weight with both ends in them."""
    reasons: dict[str, str]
    """For every feature that is None: why."""


@dataclass(frozen=True)
class NetworkType:
    """The team's network type, the features it rests on, and what to do about it."""

    type: str | None
    """support, broadcast, brand_clusters, polarized, tight_crowd, community_clusters; None when
    the graph is too small to say (see `features.reasons`)."""
    features: NetworkFeatures
    explanation: str
    """The type in plain words for a shop owner."""
    advice: str
    """What would move the team toward tight_crowd or community_clusters; empty if it is one."""

    def as_json(self) -> dict[str, object]:
        """`{"type", **features (without reasons), "reasons", "explanation", "advice"}`."""
        out: dict[str, object] = {"type": self.type}
        for f in fields(self.features):
            if f.name != "reasons":
                out[f.name] = getattr(self.features, f.name)
        out["reasons"] = dict(self.features.reasons)
        out["explanation"] = self.explanation
        out["advice"] = self.advice
        return out


Op = Literal[">=", "<", "<=", "=="]
_OPS: dict[str, Callable[[Any, Any], Any]] = {
    ">=": operator.ge,
    "<": operator.lt,
    "<=": operator.le,
    "==": operator.eq,
}


@dataclass(frozen=True)
class Condition:
    """`feature op value`, on a NetworkFeatures field."""

    feature: str
    op: Op
    value: float | bool

    def holds(self, features: NetworkFeatures) -> bool | None:
        """True or False, or None when the feature is None (unknown)."""
        actual = getattr(features, self.feature)
        if actual is None:
            return None
        return bool(_OPS[self.op](actual, self.value))

    def __str__(self) -> str:
        return f"{self.feature} {self.op} {self.value}"


@dataclass(frozen=True)
class Rule:
    """A network type and the conditions that all must hold for it."""

    type: str
    conditions: tuple[Condition, ...]

    def holds(self, features: NetworkFeatures) -> bool | None:
        """Three-valued AND: False if any condition is False, else None if any is unknown."""
        results = [c.holds(features) for c in self.conditions]
        if False in results:
            return False
        if None in results:
            return None
        return True


MIN_NODES = 3
"""Fewer accounts in the conversation than this make no network type (our threshold, like the
rules below: METRICS.md sets none, and a pair of accounts is no network)."""

THRESHOLDS: tuple[Rule, ...] = (
    Rule(
        "support",
        (
            Condition("out_centralization", ">=", 0.3),
            Condition("top_hub_is_host", "==", True),
            Condition("isolate_share", ">=", 0.5),
        ),
    ),
    Rule(
        "broadcast",
        (Condition("in_centralization", ">=", 0.3), Condition("isolate_share", ">=", 0.5)),
    ),
    Rule("brand_clusters", (Condition("isolate_share", ">=", 0.5),)),
    Rule(
        "polarized",
        (
            Condition("clusters", ">=", 2),  # "the two largest clusters" need two to exist
            Condition("two_cluster_share", ">=", 0.7),
            Condition("modularity", ">=", 0.4),
            Condition("between_two_share", "<=", 0.1),
        ),
    ),
    Rule(
        "tight_crowd",
        (Condition("isolate_share", "<", 0.2), Condition("modularity", "<", 0.4)),
    ),
    Rule("community_clusters", ()),
)
"""METRICS.md's classification, in order, first match wins. These thresholds are convivial's own
(Pew published none); change them here, in METRICS.md and in the planted-graph tests together."""

_EXPLANATION = {
    "support": (
        "Support network: your account answers many people one by one, and they do not talk to "
        "each other. It is a help desk, not (yet) a community."
    ),
    "broadcast": (
        "Broadcast network: many people point at one hub, like a crowd at a rock concert, and "
        "few talk back or to each other. That is an audience."
    ),
    "brand_clusters": (
        "Brand clusters: many people talk about the brand, mostly alone or in pairs, not to each "
        "other. That is an audience with a few small pockets of conversation."
    ),
    "polarized": (
        "Polarized crowds: your members fall into two large groups that talk within themselves "
        "and hardly to each other."
    ),
    "tight_crowd": (
        "Tight crowd: one well-connected group where most members talk to each other, with or "
        "without you. This is a community: the party goes on."
    ),
    "community_clusters": (
        "Community clusters: several medium-sized groups, each with its own hubs and its own "
        "conversations. This is a community of communities."
    ),
}

_ADVICE = {
    "support": (
        "Answer in public threads where others can join, invite experienced customers to answer "
        "too and thank them when they do, and introduce members who ask about the same thing to "
        "each other."
    ),
    "broadcast": (
        "Talk back as well as out: reply to the people who address you, ask open questions "
        "members can answer for each other, and put members' answers in the spotlight."
    ),
    "brand_clusters": (
        "Give people a reason to meet: ask questions and host threads around a shared interest, "
        "reshare members' content, and introduce members who care about the same things."
    ),
    "polarized": (
        "Find topics both groups care about, bring forward the members who already talk to both "
        "sides, and avoid posts that set one group against the other."
    ),
    "tight_crowd": "",
    "community_clusters": "",
}

_TOO_SMALL_ADVICE = (
    "Start conversations members can join: ask open questions, reply to the people who address "
    "you, and invite members to answer each other."
)

_LEIDEN_LOCK = threading.Lock()


def network_features(edges: Iterable[Edge], hosts: Collection[str]) -> NetworkFeatures:
    """The network features of METRICS.md, "Network type", on a team's conversational edges.

    Parameters
    ----------
    edges : iterable of (actor, target, count)
        Conversational interaction counts in the team's window. Self-loops and zero counts are
        dropped; repeated (actor, target) rows add up. A negative count is a ValueError.
    hosts : collection of account keys
        The team's brand and staff accounts. A host without an edge is not a node.

    Returns
    -------
    NetworkFeatures
        With, per METRICS.md:

        - ``density`` = 2E / (N (N - 1)) on the undirected simple graph, host included;
        - ``isolate_share`` = active members with no member-member tie / active members, where
          active members are members that are the actor of at least one edge;
        - ``modularity``: Leiden (igraph, objective "modularity", weights = summed counts, run to a
          stable partition, seeded with `LEIDEN_SEED`) on the undirected weighted graph, scored
          by ``Graph.modularity`` with the same weights (resolution 1);
        - ``clusters``: Leiden communities with >= max(3, 5% of N) nodes;
        - ``in_centralization`` / ``out_centralization``: Freeman degree centralization of the
          simple directed graph, sum over nodes of (max degree - degree) / (N - 1)^2, with in- or
          out-degree (unweighted);
        - ``top_hub``: the node with the most neighbours in the undirected graph (ties: smallest
          key), and whether it is a host;
        - ``two_cluster_share``: non-isolated members (members with a member-member tie) in the
          two largest clusters (by nodes; ties: smallest key) / non-isolated members;
        - ``between_two_share``: edge weight between those two clusters / edge weight with both
          ends in them.

        A feature that is not defined is None, with the reason in ``reasons``: no edges, a single
        node, no members, no active members, fewer than two clusters, no member-member ties.

    Examples
    --------
    A host answering three members who ask it something and never talk to each other:

    >>> f = network_features([("a", "h", 1), ("b", "h", 2), ("c", "h", 1),
    ...                       ("h", "a", 1), ("h", "b", 1), ("h", "c", 1)], hosts={"h"})
    >>> f.nodes, f.density, f.isolate_share, f.out_centralization, f.top_hub
    (4, 0.5, 1.0, 0.6666666666666666, 'h')
    """
    if isinstance(hosts, str):
        raise TypeError("hosts must be a collection of account keys, not one string")
    arcs = _arcs(edges)
    undirected = _undirected(arcs)
    nodes = sorted({key for pair in undirected for key in pair})
    n = len(nodes)
    host_set = set(hosts)
    members = [key for key in nodes if key not in host_set]
    tied: set[str] = set()  # members with a member-member tie
    for a, b in undirected:
        if a not in host_set and b not in host_set:
            tied.update((a, b))
    active = {a for a, _ in arcs if a not in host_set}
    reasons: dict[str, str] = {}

    isolate_share: float | None = None
    if not members:
        reasons["isolate_share"] = NO_EDGES if n == 0 else NO_MEMBERS
    elif not active:
        reasons["isolate_share"] = NO_ACTIVE_MEMBERS
    else:
        isolate_share = len(active - tied) / len(active)

    if n < 2:
        why = NO_EDGES if n == 0 else SINGLE_NODE
        for name in (
            "density",
            "modularity",
            "in_centralization",
            "out_centralization",
            "top_hub",
            "top_hub_is_host",
            "two_cluster_share",
            "between_two_share",
        ):
            reasons[name] = why
        return NetworkFeatures(
            nodes=n,
            components=n,
            density=None,
            isolate_share=isolate_share,
            modularity=None,
            clusters=0,
            in_centralization=None,
            out_centralization=None,
            top_hub=None,
            top_hub_is_host=None,
            two_cluster_share=None,
            between_two_share=None,
            reasons=reasons,
        )

    graph, weights = _igraph(nodes, undirected)
    membership = _leiden(graph, weights)
    modularity = float(graph.modularity(membership, weights=weights))
    communities = _groups(nodes, membership)
    clusters = sorted(
        (c for c in communities if len(c) >= 3 and 20 * len(c) >= n),
        key=lambda c: (-len(c), min(c)),
    )

    degree = {key: 0 for key in nodes}
    for a, b in undirected:
        degree[a] += 1
        degree[b] += 1
    top_hub = min(nodes, key=lambda key: (-degree[key], key))

    in_degree = {key: 0 for key in nodes}
    out_degree = {key: 0 for key in nodes}
    for a, b in arcs:
        out_degree[a] += 1
        in_degree[b] += 1

    two_cluster_share: float | None = None
    between_two_share: float | None = None
    if len(clusters) < 2:
        reasons["two_cluster_share"] = reasons["between_two_share"] = FEWER_THAN_TWO_CLUSTERS
    else:
        first, second = clusters[0], clusters[1]
        if tied:
            two_cluster_share = len(tied & (first | second)) / len(tied)
        else:
            reasons["two_cluster_share"] = NO_MEMBER_TIES
        side = {key: 0 for key in first} | {key: 1 for key in second}
        between = within = 0
        for (a, b), weight in undirected.items():
            if a in side and b in side:
                within += weight
                if side[a] != side[b]:
                    between += weight
        # Leiden communities are connected, so a cluster of >= 3 nodes has inner weight.
        between_two_share = between / within

    return NetworkFeatures(
        nodes=n,
        components=len(graph.connected_components()),
        density=2 * len(undirected) / (n * (n - 1)),
        isolate_share=isolate_share,
        modularity=modularity,
        clusters=len(clusters),
        in_centralization=_centralization(in_degree.values(), n),
        out_centralization=_centralization(out_degree.values(), n),
        top_hub=top_hub,
        top_hub_is_host=top_hub in host_set,
        two_cluster_share=two_cluster_share,
        between_two_share=between_two_share,
        reasons=reasons,
    )


def classify(features: NetworkFeatures) -> NetworkType:
    """The network type of METRICS.md, "Network type": the first rule of `THRESHOLDS` whose
    conditions all hold.

    A condition on a None feature is unknown. A rule with a False condition does not match; a rule
    with no False condition but an unknown one stops the classification: the type is None, and
    the explanation gives the reason. This happens when the graph has fewer than two nodes or no
    active members (``isolate_share`` is None).

    Examples
    --------
    >>> classify(network_features([], hosts={"h"})).type is None
    True
    """
    if features.density is None:
        return _untyped(features, features.reasons.get("density", NO_EDGES))
    for rule in THRESHOLDS:
        holds = rule.holds(features)
        if holds is None:
            unknown = {c.feature for c in rule.conditions if c.holds(features) is None}
            why = "; ".join(sorted({features.reasons.get(name, name) for name in unknown}))
            return _untyped(features, why)
        if holds and features.nodes < MIN_NODES:
            return _untyped(features, f"only {features.nodes} accounts talked")
        if holds:
            return NetworkType(
                type=rule.type,
                features=features,
                explanation=_EXPLANATION[rule.type] + _numbers(features),
                advice=_ADVICE[rule.type],
            )
    raise AssertionError("the last rule of THRESHOLDS matches every graph")  # pragma: no cover


def network_type(edges: Iterable[Edge], hosts: Collection[str]) -> NetworkType:
    """`classify(network_features(edges, hosts))`: see both, and METRICS.md, "Network type".

    Examples
    --------
    Sixty members pointing at the brand, which never answers:

    >>> t = network_type([(f"m{i}", "brand", 1) for i in range(60)], hosts={"brand"})
    >>> t.type, t.features.in_centralization, t.features.isolate_share
    ('broadcast', 1.0, 1.0)
    """
    return classify(network_features(edges, hosts))


def leiden_communities(edges: Iterable[Edge]) -> list[frozenset[str]]:
    """The Leiden communities `network_features` finds on the undirected weighted graph of
    `edges` (objective "modularity", run to a stable partition, seeded with `LEIDEN_SEED`),
    largest first (ties: smallest key).

    Examples
    --------
    >>> found = leiden_communities([("a", "b", 1), ("b", "c", 1), ("x", "y", 1), ("y", "z", 1)])
    >>> [sorted(community) for community in found]
    [['a', 'b', 'c'], ['x', 'y', 'z']]
    """
    undirected = _undirected(_arcs(edges))
    nodes = sorted({key for pair in undirected for key in pair})
    if not nodes:
        return []
    membership = _leiden(*_igraph(nodes, undirected))
    return sorted(_groups(nodes, membership), key=lambda c: (-len(c), min(c)))


def undirected_weights(edges: Iterable[Edge]) -> dict[tuple[str, str], int]:
    """{a, b} -> conversational interactions between a and b either way, keyed (smaller key,
    larger key) in sorted order; self-loops and zero counts left out."""
    return _undirected(_arcs(edges))


def _arcs(edges: Iterable[Edge]) -> dict[tuple[str, str], int]:
    """(actor, target) -> summed count, without self-loops and zero counts."""
    arcs: dict[tuple[str, str], int] = {}
    for actor, target, count in edges:
        if count < 0:
            raise ValueError(f"negative interaction count {count} for {actor!r} -> {target!r}")
        if actor == target or count == 0:
            continue
        arcs[actor, target] = arcs.get((actor, target), 0) + count
    return arcs


def _undirected(arcs: dict[tuple[str, str], int]) -> dict[tuple[str, str], int]:
    """{a, b} -> count(a -> b) + count(b -> a), keyed (smaller key, larger key), in sorted order."""
    undirected: dict[tuple[str, str], int] = {}
    for (a, b), count in arcs.items():
        pair = (a, b) if a < b else (b, a)
        undirected[pair] = undirected.get(pair, 0) + count
    return dict(sorted(undirected.items()))


def _igraph(
    nodes: list[str], undirected: dict[tuple[str, str], int]
) -> tuple[igraph.Graph, list[int]]:
    """The undirected igraph graph (vertex i is nodes[i]) and its edge weights."""
    index = {key: i for i, key in enumerate(nodes)}
    graph = igraph.Graph(n=len(nodes), edges=[(index[a], index[b]) for a, b in undirected])
    return graph, list(undirected.values())


LEIDEN_ITERATIONS = 10
"""Leiden passes. Iterating "until nothing changes" (-1) ran 48 s on one real 1,145-edge graph
(TWCS comcastcares, tiled) whose partition kept moving; ten passes give the same types."""


def _leiden(graph: igraph.Graph, weights: list[int]) -> list[int]:
    """Leiden membership, deterministic (see `seeded_igraph`). Nodes and edges come in sorted key
    order, so the input's order does not matter either."""
    with seeded_igraph():
        clustering = graph.community_leiden(
            objective_function="modularity", weights=weights, n_iterations=LEIDEN_ITERATIONS
        )
    return list(clustering.membership)


@contextmanager
def seeded_igraph() -> Iterator[None]:
    """igraph draws from a private `random.Random(LEIDEN_SEED)` inside the block (under a lock,
    as igraph's generator is process-wide), then gets the `random` module back, its default."""
    with _LEIDEN_LOCK:
        igraph.set_random_number_generator(random.Random(LEIDEN_SEED))
        try:
            yield
        finally:
            igraph.set_random_number_generator(random)


def _groups(nodes: list[str], membership: list[int]) -> list[frozenset[str]]:
    groups: dict[int, set[str]] = {}
    for key, label in zip(nodes, membership, strict=True):
        groups.setdefault(label, set()).add(key)
    return [frozenset(group) for group in groups.values()]


def _centralization(degrees: Iterable[int], n: int) -> float:
    """Freeman: sum of (max degree - degree) / (n - 1)^2, the maximum for a directed star."""
    values = list(degrees)
    top = max(values)
    return sum(top - d for d in values) / (n - 1) ** 2


def _numbers(f: NetworkFeatures) -> str:
    parts = [f"{f.nodes} accounts"]
    if f.isolate_share is not None:
        parts.append(f"{f.isolate_share:.0%} of active members talked to no other member")
    if f.top_hub is not None:
        parts.append(f"busiest account: {f.top_hub}{' (yours)' if f.top_hub_is_host else ''}")
    if f.modularity is not None:
        parts.append(f"{f.clusters} cluster{'s' if f.clusters != 1 else ''}")
    return " In numbers: " + "; ".join(parts) + "."


def _untyped(features: NetworkFeatures, why: str) -> NetworkType:
    return NetworkType(
        type=None,
        features=features,
        explanation=f"Too little conversation to tell what kind of network this is: {why}.",
        advice=_TOO_SMALL_ADVICE,
    )
