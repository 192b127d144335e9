"""The community picture: who talks with whom, laid out for drawing, with and without the host.

The graph is `network.undirected_weights` of the team's conversational edges. Past `limit`
members, the picture keeps the members of highest community value (METRICS.md, "advocates"),
never the most followed. Clusters are the Leiden communities of the pictured graph; positions a
seeded Fruchterman-Reingold layout scaled to [0, 1]. Without the host, the host accounts and their
ties go, and so does every member whose only ties were with the host: what is left is the party
that goes on without it.
"""

from __future__ import annotations

import math
import random
from collections.abc import Collection, Iterable, Mapping
from typing import Any

import igraph

from convivial.metrics.network import (
    LEIDEN_SEED,
    Edge,
    leiden_communities,
    seeded_igraph,
    undirected_weights,
)

__all__ = ["PICTURE_MEMBERS", "network_picture"]

PICTURE_MEMBERS = 250
"""Members drawn at most: more than a screen shows legibly."""

Ties = dict[tuple[str, str], int]


def network_picture(
    edges: Iterable[Edge],
    hosts: Collection[str],
    values: Mapping[str, float],
    limit: int = PICTURE_MEMBERS,
) -> dict[str, Any]:
    """{"with_host": drawing, "without_host": drawing, "members", "shown_members",
    "still_connected"}: each drawing is {"nodes": [{key, host, cluster, value, x, y}],
    "edges": [{a, b, weight, x, y, x2, y2}]}; `members` counts every member with a tie,
    `shown_members` those drawn, `still_connected` those drawn still tied to another member
    without the host. `values` is each member's community value. Empty with no ties."""
    ties = undirected_weights(edges)
    strength: dict[str, int] = {}
    for (a, b), weight in ties.items():
        strength[a] = strength.get(a, 0) + weight
        strength[b] = strength.get(b, 0) + weight
    members = [k for k in strength if k not in hosts]
    if not ties:
        return {}
    ranked = sorted(members, key=lambda k: (-values.get(k, 0.0), -strength[k], k))
    kept = set(ranked[:limit]) | {k for k in strength if k in hosts}
    ties = {pair: w for pair, w in ties.items() if pair[0] in kept and pair[1] in kept}
    clusters = leiden_communities([(a, b, w) for (a, b), w in ties.items()])
    cluster = {key: i for i, group in enumerate(clusters) for key in group}
    with_host = _drawing(ties, hosts, values, cluster, {})
    member_ties = {p: w for p, w in ties.items() if p[0] not in hosts and p[1] not in hosts}
    start = {node["key"]: (node["x"], node["y"]) for node in with_host["nodes"]}
    without_host = _drawing(member_ties, hosts, values, cluster, start)
    return {
        "with_host": with_host,
        "without_host": without_host,
        "members": len(members),
        "shown_members": sum(1 for node in with_host["nodes"] if not node["host"]),
        "still_connected": len(without_host["nodes"]),
    }


def _drawing(
    ties: Ties,
    hosts: Collection[str],
    values: Mapping[str, float],
    cluster: Mapping[str, int],
    start: Mapping[str, tuple[float, float]],
) -> dict[str, list[dict[str, Any]]]:
    nodes = sorted({key for pair in ties for key in pair})
    position = _layout(nodes, ties, start)
    return {
        "nodes": [
            {
                "key": key,
                "host": key in hosts,
                "cluster": cluster.get(key, -1),
                "value": 1.0 if key in hosts else values.get(key, 0.0),
                "x": position[key][0],
                "y": position[key][1],
            }
            for key in nodes
        ],
        "edges": [
            {
                "a": a,
                "b": b,
                "weight": weight,
                "x": position[a][0],
                "y": position[a][1],
                "x2": position[b][0],
                "y2": position[b][1],
            }
            for (a, b), weight in ties.items()
        ],
    }


def _layout(
    nodes: list[str], ties: Ties, start: Mapping[str, tuple[float, float]]
) -> dict[str, tuple[float, float]]:
    """Seeded Fruchterman-Reingold positions in [0, 1] (heavier ties pull harder, by log);
    a node in `start` starts where it was."""
    if not nodes:
        return {}
    index = {key: i for i, key in enumerate(nodes)}
    draw = random.Random(LEIDEN_SEED)
    seed = [list(start.get(key, (draw.random(), draw.random()))) for key in nodes]
    graph = igraph.Graph(n=len(nodes), edges=[(index[a], index[b]) for a, b in ties])
    weights = [1 + math.log(w) for w in ties.values()]
    with seeded_igraph():
        coords = graph.layout_fruchterman_reingold(weights=weights, seed=seed, niter=300).coords
    xs, ys = [c[0] for c in coords], [c[1] for c in coords]

    def scaled(v: float, low: float, high: float) -> float:
        return round((v - low) / (high - low), 4) if high > low else 0.5

    return {
        key: (scaled(xs[i], min(xs), max(xs)), scaled(ys[i], min(ys), max(ys)))
        for key, i in index.items()
    }
