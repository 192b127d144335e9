"""A local Mastodon server for connector tests, on 127.0.0.1: it serves the real recorded
responses of ../shared/data/formats/mastodon_api_cassettes (statuses, accounts, notifications, as
Mastodon.py's own tests recorded them against a real server), behind the API's paging rules
(`min_id`, `max_id`, `limit`, `Link` headers), with faults a test can plan: a 429 with Retry-After,
a 500, a malformed body. It logs every request, so a test can see what a fetch asked for."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlencode, urlparse

from replay import JsonHandler, Recording, serving

CASSETTES = (
    Path(__file__).resolve().parents[2] / "shared" / "data" / "formats" / ("mastodon_api_cassettes")
)
OWNER = "mastodonpy_test"


def recorded() -> tuple[dict[str, dict[str, Any]], list[dict[str, Any]], dict[str, dict[str, Any]]]:
    """Every distinct Status, Notification (v1) and Account in the recordings, by id."""
    statuses: dict[str, dict[str, Any]] = {}
    notifications: dict[str, dict[str, Any]] = {}
    accounts: dict[str, dict[str, Any]] = {}

    def walk(value: Any) -> None:
        if isinstance(value, dict):
            if {"content", "account", "visibility"} <= value.keys():
                statuses[value["id"]] = value
            if {"type", "account", "group_key"} <= value.keys() and value["id"].isdigit():
                notifications[value["id"]] = value
            if "acct" in value:
                accounts.setdefault(value["acct"], value)
            for inner in value.values():
                walk(inner)
        elif isinstance(value, list):
            for inner in value:
                walk(inner)

    for path in sorted(CASSETTES.glob("*.responses.json")):
        for exchange in json.loads(path.read_text(encoding="utf-8")):
            walk(exchange["body"])
    return statuses, sorted(notifications.values(), key=lambda n: int(n["id"])), accounts


@dataclass
class Instance:
    """What the server holds: the owner's statuses, notifications, followers and following."""

    statuses: list[dict[str, Any]]
    others: list[dict[str, Any]]
    notifications: list[dict[str, Any]]
    followers: list[dict[str, Any]]
    following: list[dict[str, Any]]
    owner: dict[str, Any]
    max_limit: int = 40
    """The most items a page holds, whatever `limit` asks (servers cap it too)."""
    recording: Recording = field(default_factory=Recording)

    def status(self, status_id: str) -> dict[str, Any] | None:
        return next((s for s in self.statuses + self.others if s["id"] == status_id), None)


def instance() -> Instance:
    """The recorded server: the owner's own statuses, the others' statuses (replies among them),
    the recorded notifications, and the recorded accounts as followers and following."""
    statuses, notifications, accounts = recorded()
    owner = accounts[OWNER]
    mine = [s for s in statuses.values() if s["account"]["acct"] == OWNER]
    others = [s for s in statuses.values() if s["account"]["acct"] != OWNER]
    people = [a for acct, a in sorted(accounts.items()) if acct != OWNER]
    return Instance(
        statuses=sorted(mine, key=lambda s: int(s["id"])),
        others=others,
        notifications=notifications,
        followers=people,
        following=people[:1],
        owner=owner,
    )


def _page(
    items: list[dict[str, Any]], query: dict[str, str], key: str, most: int
) -> tuple[list[dict[str, Any]], dict[str, str]]:
    """Mastodon's paging: newest first; `min_id` gives the oldest items just after it, `max_id`
    the newest just before it, `since_id` the newest down to it; Link `next` goes older
    (max_id), `prev` newer (min_id, or since_id for follow lists). Follow lists (`key`
    follow_id) ignore `min_id`, as Mastodon's followers and following endpoints do."""
    limit = min(int(query.get("limit", "40")), most)
    ordered = sorted(items, key=lambda i: int(i[key]))
    if "since_id" in query:
        ordered = [i for i in ordered if int(i[key]) > int(query["since_id"])]
    if "min_id" in query and key != "follow_id":
        chosen = [i for i in ordered if int(i[key]) > int(query["min_id"])][:limit]
    else:
        below = [i for i in ordered if "max_id" not in query or int(i[key]) < int(query["max_id"])]
        chosen = below[-limit:]
    chosen.reverse()
    if not chosen:
        return [], {}
    return chosen, {"max_id": chosen[-1][key], "min_id": chosen[0][key]}


class _Handler(JsonHandler):
    def do_GET(self) -> None:  # noqa: N802 (http.server names it)
        data = self.server.data
        url = urlparse(self.path)
        query = {k: v[-1] for k, v in parse_qs(url.query).items()}
        if self.faulted(url.path):
            return
        self._route(data, url.path, query)

    def _route(self, data: Instance, path: str, query: dict[str, str]) -> None:
        owner_id = data.owner["id"]
        if path == "/api/v1/accounts/lookup":
            if query.get("acct") != OWNER:
                self.send(404, '{"error": "Record not found"}')
            else:
                self.json(data.owner)
            return
        lists = {
            f"/api/v1/accounts/{owner_id}/statuses": (data.statuses, "id"),
            "/api/v1/notifications": (data.notifications, "id"),
            f"/api/v1/accounts/{owner_id}/followers": (data.followers, "follow_id"),
            f"/api/v1/accounts/{owner_id}/following": (data.following, "follow_id"),
        }
        if path in lists:
            items, key = lists[path]
            if key == "follow_id":  # follow relationships page by their own ids
                items = [{**a, "follow_id": str(i + 1)} for i, a in enumerate(items)]
            chosen, bounds = _page(items, query, key, data.max_limit)
            links = []
            if bounds:
                base = f"http://{self.headers['Host']}{path}"
                newer = "since_id" if key == "follow_id" else "min_id"
                links = [
                    f'<{base}?{urlencode({"max_id": bounds["max_id"]})}>; rel="next"',
                    f'<{base}?{urlencode({newer: bounds["min_id"]})}>; rel="prev"',
                ]
            shown = [{k: v for k, v in i.items() if k != "follow_id"} for i in chosen]
            self.json(shown, {"Link": ", ".join(links)} if links else {})
            return
        if path.startswith("/api/v1/statuses/") and path.endswith("/context"):
            status_id = path.split("/")[4]
            everything = data.statuses + data.others
            ancestors: list[dict[str, Any]] = []
            current = data.status(status_id)
            while current and current.get("in_reply_to_id"):
                current = data.status(str(current["in_reply_to_id"]))
                if current:
                    ancestors.insert(0, current)
            descendants = [s for s in everything if s.get("in_reply_to_id") == status_id]
            self.json({"ancestors": ancestors, "descendants": descendants})
            return
        self.send(404, '{"error": "Endpoint not found"}')


@contextmanager
def replaying(data: Instance) -> Iterator[str]:
    """Serve `data` on 127.0.0.1 until the block ends; yields the server's base address."""
    with serving(data, _Handler) as port:
        yield f"http://127.0.0.1:{port}"
