"""Synthetic platform exports, shaped as the platforms write them, for tests and benchmarks: a
Mastodon account archive (outbox.json in ActivityPub, actor.json, likes.json) of a small
business talking with its community, on its own server and others."""

from __future__ import annotations

import json
import random
import zipfile
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

__all__ = ["mastodon_archive"]

HOME = "social.example"
OTHERS = ("mastodon.social", "fosstodon.org", "mas.to")
PUBLIC = "https://www.w3.org/ns/activitystreams#Public"
POSTS = (
    "New this week: {thing}. Come and try it, and tell us what you think!",
    "Tip: {tip}. Questions? Ask away, we answer every one.",
    "Thanks {mention} for the photos from Saturday's ride!",
    "Our workshop is open {day} from 9 to 6. See you there.",
)
REPLIES = (
    "{mention} Good question: {tip}.",
    "{mention} Thank you! We'll pass it on to the team.",
    "{mention} Sorry about that. Could you bring it in {day}? We'll sort it out.",
)
THINGS = ("the autumn service", "tubeless tyres", "a repair cafe", "gravel bikes to rent")
TIPS = ("check your tyre pressure weekly", "clean the chain after rain", "lights on from 5 pm")
DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday")


def mastodon_archive(path: Path, statuses: int, seed: int = 7, owner: str = "spokes") -> Path:
    """Write a zipped archive of `statuses` activities (posts, replies, boosts) to `path`."""
    rng = random.Random(seed)
    people = [(f"rider{i}", rng.choice((HOME, *OTHERS))) for i in range(max(20, statuses // 50))]
    actor = f"https://{HOME}/users/{owner}"
    start = datetime(2026, 1, 1, tzinfo=UTC)
    liked: list[str] = []
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("actor.json", json.dumps(_actor(actor, owner)))
        with archive.open("outbox.json", "w") as out:
            head = {
                "@context": "https://www.w3.org/ns/activitystreams",
                "id": "outbox.json",
                "type": "OrderedCollection",
                "totalItems": statuses,
            }
            out.write(json.dumps(head)[:-1].encode() + b', "orderedItems": [')
            for i in range(statuses):
                at = start + timedelta(minutes=17 * i + rng.randrange(15))
                person, server = rng.choice(people)
                made = int((at - timedelta(hours=rng.randrange(1, 72))).timestamp() * 1000)
                number = (made << 16) + rng.randrange(1 << 16)
                their = f"https://{server}/users/{person}/statuses/{number}"
                if rng.random() < 0.2:
                    liked.append(their)
                activity = _activity(rng, actor, owner, i, at, person, server, their)
                out.write((b", " if i else b"") + json.dumps(activity).encode())
            out.write(b"]}")
        likes = {"type": "OrderedCollection", "id": "likes.json", "orderedItems": liked}
        archive.writestr("likes.json", json.dumps(likes))
    return path


def _activity(
    rng: random.Random,
    actor: str,
    owner: str,
    i: int,
    at: datetime,
    person: str,
    server: str,
    their: str,
) -> dict[str, Any]:
    number = (int(at.timestamp() * 1000) << 16) + i % (1 << 16)
    status = f"{actor}/statuses/{number}"
    when = at.strftime("%Y-%m-%dT%H:%M:%SZ")
    audience = {"to": [PUBLIC], "cc": [f"{actor}/followers"]}
    if rng.random() < 0.15:
        return {
            "id": f"{status}/activity",
            "type": "Announce",
            "actor": actor,
            "published": when,
            **audience,
            "object": their,
        }
    name = person if server == HOME else f"{person}@{server}"
    mention = (
        f'<span class="h-card"><a href="https://{server}/@{person}" class="u-url mention">'
        f"@<span>{person}</span></a></span>"
    )
    reply = rng.random() < 0.45
    template = rng.choice(REPLIES if reply else POSTS)
    text = template.format(
        mention=mention, thing=rng.choice(THINGS), tip=rng.choice(TIPS), day=rng.choice(DAYS)
    )
    tagged = reply or "{mention}" in template
    if rng.random() < 0.05:
        audience = {"to": [f"https://{server}/users/{person}"], "cc": []}
    note = {
        "id": status,
        "type": "Note",
        "summary": None,
        "inReplyTo": their if reply else None,
        "published": when,
        "url": f"https://{HOME}/@{owner}/{number}",
        "attributedTo": actor,
        **audience,
        "sensitive": False,
        "content": f"<p>{text}</p>",
        "tag": [{"type": "Mention", "href": f"https://{server}/users/{person}", "name": f"@{name}"}]
        if tagged
        else [],
        "attachment": [],
    }
    return {
        "id": f"{status}/activity",
        "type": "Create",
        "actor": actor,
        "published": when,
        **audience,
        "object": note,
    }


def _actor(actor: str, owner: str) -> dict[str, Any]:
    return {
        "@context": "https://www.w3.org/ns/activitystreams",
        "id": actor,
        "type": "Person",
        "preferredUsername": owner,
        "name": "Spokes & Sprockets",
        "summary": "<p>Bike shop and workshop. Ask us anything.</p>",
        "url": f"https://{HOME}/@{owner}",
        "published": "2022-11-05T00:00:00Z",
        "outbox": "outbox.json",
        "likes": "likes.json",
    }
