"""Synthetic demo data: a bike shop with a small community inside a big audience.

`generate` writes the generic CSV format (docs/formats.md) with every behaviour METRICS.md measures
planted on purpose: a core that talks among itself, customers who only talk to the shop, bought and
giveaway follower spikes, a sale posted over and over, a Facebook page nobody answers, newcomers,
and core members slipping away. The demo and the `scale`d benchmark data share one code path.
"""

from __future__ import annotations

import csv
import random
import re
import unicodedata
from collections import Counter
from collections.abc import Iterator, Sequence
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field, fields
from datetime import UTC, datetime, timedelta
from pathlib import Path


@dataclass(frozen=True)
class DemoTeam:
    """The business the demo data is about."""

    name: str
    brand: tuple[str, ...]
    staff: tuple[str, ...]
    timezone: str
    hours: str


@dataclass(frozen=True)
class DemoData:
    """What `generate` wrote, and the class planted for each host message (give, ask or other,
    METRICS.md "Host behaviour"), by (platform, message id)."""

    team: DemoTeam
    files: tuple[Path, ...]
    events: int
    planted: dict[tuple[str, str], str]


BRAND = "spokesbikes"
STAFF = {"twitter": "anna_spokes", "mastodon": "tom_wrench"}
PLATFORMS = ("twitter", "mastodon", "facebook")
TEAM = DemoTeam(
    name="Spokes & Sprockets",
    brand=tuple(f"{platform}:{BRAND}" for platform in PLATFORMS),
    staff=tuple(f"{platform}:{handle}" for platform, handle in STAFF.items()),
    timezone="Europe/Amsterdam",
    hours="Mon-Fri 09:00-18:00, Sat 10:00-16:00",
)
SIGNATURES = ("\n-Anna", " ^TW")
SHOP = "https://spokes-sprockets.example"

# A fixed calendar, so a seed always gives the same bytes: 180 days ending on 2026-09-30.
DAYS = 180
END = datetime(2026, 10, 1, tzinfo=UTC)
START = END - timedelta(days=DAYS)
UTC_OFFSET_HOURS = 2  # Europe/Amsterdam keeps summer time over the whole calendar
OPENING = {0: (9, 18), 1: (9, 18), 2: (9, 18), 3: (9, 18), 4: (9, 18), 5: (10, 16)}
BOUGHT_DAY = 98  # 2026-07-11
GIVEAWAY_DAY = 124  # 2026-08-06
SLIP_DAY = DAYS - 36  # slipping core members say nothing from this day on
NEWCOMERS_FROM = 92  # newcomers' first messages fall in the last 90 days
CAMPAIGNS = ((55, 85), (140, 176))  # days of the summer sale and the autumn service week

CIRCLE_SIZE = 7  # core members who talk among themselves, on one platform
SLIPPING_PER_CIRCLE = 1
THREADS_PER_WEEK = 2  # member threads per circle
UNANSWERED = 0.2
DEFLECTED = 0.2  # of problems
DEFAULT_EVENTS = 6_500  # about the events of the default demo; `scale` multiplies its sizes

COLUMNS = {
    "accounts": (
        "platform",
        "account_id",
        "handle",
        "display_name",
        "bio",
        "avatar_url",
        "default_avatar",
        "verified",
        "followers",
        "following",
        "posts",
        "created_at",
        "last_post_at",
    ),
    "messages": (
        "platform",
        "message_id",
        "author_id",
        "created_at",
        "text",
        "kind",
        "parent_id",
        "root_id",
        "likes",
        "shares",
        "replies",
        "mentions",
    ),
    "follows": ("platform", "follower_id", "followed_id", "followed_at"),
    "interactions": ("platform", "actor_id", "target_id", "kind", "created_at", "message_id"),
}
ID_FORMATS = {"twitter": "18{:017d}", "mastodon": "113{:015d}", "facebook": "104857600_{:d}"}
DEFAULT_AVATAR = "https://img.example/default_profile.png"
MENTION = re.compile(r"(?<![\w@])@(\w+)")

FIRST_NAMES = (
    "Sanne", "Daan", "Lotte", "Bram", "Eva", "Jesse", "Fleur", "Thijs", "Noor", "Ruben", "Anouk",
    "Lars", "Maud", "Sem", "Iris", "Timo", "Femke", "Joris", "Emma", "Lucas", "Zoë", "Milan",
    "Julia", "Finn", "Lieke", "Koen", "Mila", "Stijn", "Yara", "Hugo", "Amira", "Mehmet", "Priya",
    "Carlos", "Olga", "Kenji", "Fatima", "Sören", "Hannah", "Pieter",
)  # fmt: skip
LAST_NAMES = (
    "de Vries", "Jansen", "Bakker", "Visser", "Smit", "Meijer", "de Boer", "Mulder", "de Groot",
    "Bos", "Vos", "Peters", "Hendriks", "van Dijk", "Dekker", "Brouwer", "Kaya", "Novák", "Okafor",
    "Silva", "O'Neill",
)  # fmt: skip
HANDLE_WORDS = ("rides", "cycles", "bikes", "nl", "onwheels", "pedals", "020")
RIDER_BIOS = (
    "Commuter, coffee drinker, occasional gravel rider.",
    "Cargo bike dad of two 🚲👧👦",
    "Ride slow, stop for cake.",
    'Steel is real. Engineer by day, "mechanic" by night.',
    "Amsterdam ⇄ Haarlem every day, rain or shine",
    "Randonneur. 200 km is a warm-up.",
    "Bikes, books, bad puns.",
)
OTHER_BIOS = (
    "Foodie | Traveller | Dog mum 🐶",
    "Always entering contests 🍀",
    "Marketing, music, Amsterdam.",
    "Living my best life ✨",
    "Student. Coffee. Memes.",
    "Photographer, mostly of my cat.",
    "",
)

# Template placeholders, drawn only when a template uses them.
WORDS = {
    "shop": (f"@{BRAND}",),
    "size": ("28mm", "700x32c", "26 inch", "29er", "20 inch", "700x25c"),
    "bike": ("Gazelle", "cargo bike", "Batavus", "Cortina", "VanMoof", "Trek"),
    "part": (
        "saddle", "gravel tyres", "bar tape", "tubeless setup", "dynamo light", "chain",
        "brake pads", "clip-in pedals", "bottom bracket",
    ),
    "place": (
        "the dunes", "Haarlem", "Zandvoort", "the Vecht", "Ouderkerk", "the Amsterdamse Bos",
        "Waterland", "Marken", "Muiden", "Abcoude",
    ),
    "weekday": ("Saturday", "Sunday", "Thursday", "Wednesday"),
    "job": (
        "a new chain", "a wheel true", "brake pads", "a full service", "new bearings",
        "a gear tune", "a puncture", "new cables",
    ),
    "product": (
        "Brooks saddle", "Ortlieb pannier", "Abus lock", "LED light set", "rain cape",
        "kids' helmet",
    ),
}  # fmt: skip
NUMBERS = {
    "order": (10_000, 99_999),
    "km": (25, 140),
    "days": (4, 16),
    "price": (9, 149),
    "count": (8, 30),
    "year": (1975, 2022),
}

RIDE_POSTS = (
    "Sunday loop to {place} was glorious. {km} km, one flat, zero regrets 🚴",
    "Who's up for an early ride to {place} on {weekday}? Leaving 7:30 from the shop, coffee "
    "stop on the way.",
    "New {part} fitted, and wow, what a difference.\nShould have done this years ago.",
    'Question for the group: {part} recommendations for long rides? Mine is "fine" until km 60.',
    "Headwind all the way to {place}, headwind all the way back. How, Netherlands, how?! 😤",
    "Photos from {weekday}'s ride are up. {friend} thanks for waiting at the top of the dyke "
    "(yes, it counts as a climb).",
    "{friend} still up for {place} on {weekday}? I'll bring the spare tube this time, promise.",
    "Rain, wind, {km} km. Cake at the end made it all worth it ☕🍰",
    "Anyone else's {part} creaking after the wet week? Asking for a friend (me).",
    'Tried the "shortcut" through {place}. It was not a shortcut.',
)
RIDE_REPLIES = (
    "Count me in! 🙌",
    "Same here, the new {part} changed everything.",
    "Ha, I felt that headwind from my sofa.",
    "Try the one {shop} had in the window, I've done 3,000 km on mine.",
    "Great photos! Is that the bridge near {place}?",
    "I'll bring coffee ☕",
    "Next time wait for me at the windmill, deal?",
    "Jealous, I was stuck at work all day.",
    "Mine too. A drop of oil and it was gone, for a week 😅",
    "Route please! Looks lovely.",
)
BACK_REPLIES = (
    "Deal 😄",
    "Thanks, good tip!",
    "See you there!",
    "Haha, exactly.",
    "Sent you the route.",
    "Next time for sure 👍",
    "You're a star ⭐",
)
SHOP_CHEERS = (
    "Love this! See you at the shop for the post-ride coffee ☕",
    "Great ride! If that {part} gives you trouble, swing by and we'll have a look.",
    "Beautiful photos 😍",
    "That's the spirit 💪",
)
SHOP_QUOTES = (
    "This is what it's all about 😍 Thanks for riding with us!",
    "Look at this view from our Sunday crew 👇",
)
RIDE_ANNOUNCEMENTS = (
    "Sunday group ride: {km} km to {place}, leaving 9:00 from the shop. All speeds welcome, we "
    "regroup at every turn. Who's in?",
    "This week's ride goes to {place} ({km} km, flat, coffee stop included). Sunday 9:00 at the "
    "shop.",
    "Thursday evening loop: an easy {km} km along the river, lights on. Meet at the shop at 19:00.",
)
SIGN_UPS = (
    "I'm in!",
    "Count me in 🙋",
    "In, if the rain holds off.",
    "Wouldn't miss it",
    "Can we make it 9:30? Asking for my legs 😅",
)
SEE_YOU = (
    "See you there!",
    "Great, see you Sunday 🚲",
    "Noted, we'll wait for you!",
    "Perfect, bring a rain jacket just in case.",
)
# Customer requests, each with the answers that help.
QUESTIONS = (
    (
        "{shop} do you have {size} tubes in stock?",
        (
            "Yes, plenty of {size} tubes in stock, see you soon!",
            "We do, about a dozen left. We're open until 18:00.",
        ),
    ),
    (
        "{shop} how much is a full service for an e-bike?",
        ("A full e-bike service is €139, battery check included. Just drop by.",),
    ),
    (
        "{shop} are you open on {weekday}?",
        ("We're open Mon-Fri 9-18 and Sat 10-16. See you soon!",),
    ),
    (
        "{shop} can you fit a child seat on a {bike}?",
        ("Yes, on most of them we can. Takes about 30 minutes, no appointment needed.",),
    ),
    (
        "{shop} do you rent out cargo bikes for a weekend?",
        ("We do! €45 for the weekend, just reserve one at the counter.",),
    ),
    (
        "{shop} any chance you stock {part} for a 2015 {bike}?",
        ("We can order it in, usually 2-3 days. Shall we reserve one for you?",),
    ),
)
PROBLEMS = (  # these the shop sometimes pushes off the public channel
    (
        "Hi {shop}, my order #{order} hasn't arrived yet and it's been {days} days. Any news?",
        (
            "Sorry about the wait! Order #{order} left us yesterday, you should have it tomorrow.",
            "So sorry, the courier lost track of it. We've sent a new one today, on us.",
        ),
    ),
    (
        "{shop} my brakes are squealing again after last week's service. Not happy 😠",
        ("That shouldn't happen, sorry! Bring it in and we'll fix it right away, free of charge.",),
    ),
    (
        'The "waterproof" bag I bought at {shop} leaks. Soaked laptop, great. What now?',
        ("That's not good enough, sorry. Bring it back and we'll swap it or refund you.",),
    ),
    (
        "{shop} waited 40 minutes at the workshop today and nobody helped me. Terrible.",
        ("We're really sorry, it was chaos today. Your next service is on us.",),
    ),
)
DEFLECTIONS = (
    "Sorry to hear that! Please send us a DM with your order number and we'll sort it out.",
    "Could you email us at hello@spokes-sprockets.example? We'll look into it right away.",
    "Easier by phone: give us a call on 020 555 0123 and ask for the workshop.",
)
THANKS = (
    "Picked up my bike from {shop} today, rides like new. Thank you!",
    "Shout-out to {shop} for fixing my flat in ten minutes 🙏",
    "{shop} so happy with the new {part}, thanks for the advice!",
    "Best bike shop in town, no contest. Thanks {shop} ❤️",
)
THANKS_REPLIES = ("Glad to hear it! 🙌", "Thanks, that made our day 😊", "Enjoy the ride!")
THANKS_BACK = ("Thanks!", "Great, thank you 🙏", "Perfect, see you tomorrow.", "That was quick!")
HELLOS = (
    "Hi all! Just moved to Amsterdam with my bike and no riding buddies yet. Any group rides "
    "around here? {shop}",
    "First post 👋 Looking for a friendly group for weekend rides, nothing too fast. {shop} any "
    "tips?",
    "New to cycling, just bought a second-hand {bike}. Where do I start? {shop}",
)
WELCOMES = (
    "Welcome! Join the Sunday ride, we leave at 9:00 from the shop 🚲",
    "Welcome aboard! The Thursday evening loop is a nice easy start.",
    "Welcome 👋 Come by the shop, we'll show you the routes.",
)
RETURNS = (
    "{shop} did my first group ride on Sunday, lovely bunch. See you next week!",
    "Back again 👋 {km} km this weekend, legs are complaining. Thanks for the tips {shop}!",
)
TIPS = (  # each posted once: the demo's only repeated posts are its promotions
    "Tip of the week: check your tyre pressure every week. Most flats we fix start as a soft tyre.",
    "Tip: a drop of oil on the chain after a wet ride saves you a new one next spring.",
    "Fresh in the workshop: a 1982 steel frame getting a full rebuild. Photos soon!",
    "Lights on, everyone: it's getting dark earlier. Be seen, be safe 💡",
    "Squeaky brakes? Nine times out of ten it's dirt on the rim. A wipe with a damp cloth helps.",
    "Winter storage: keep the bike dry, tyres pumped, and hang it up if you can.",
    "Quick release or thru-axle? Always check it's closed before you ride. Yes, every time.",
    "Saddle height rule of thumb: heel on the pedal, leg straight at the bottom of the stroke.",
    "Cleaning day: warm water, a soft brush, no pressure washer near the bearings, please.",
    "Carrying a spare tube, tyre levers and a mini pump weighs less than the walk home.",
    "Gear cable stretching after a few weeks is normal. One turn of the barrel adjuster fixes it.",
    "Rim tape matters: a shifted strip is the mystery flat that keeps coming back.",
)
DIARY = (  # small talk: each opens the way chatter does (text/data/chatter_openers.txt)
    "Busy day in the workshop: {count} bikes in, {count} bikes out. Star of the day: a {year} "
    "{bike} in for {job}.",
    "What a day at the bench: {count} repairs, the oldest a {year} {bike} that needed {job}.",
)
FACEBOOK_NEWS = (
    "The coffee is on! 🚲",
    "Workshop open for walk-in repairs.",
    "Test rides all day in front of the shop.",
    "Rainy? Our rain capes are on the rack by the door.",
    "Ask us about cargo bike rental by the day.",
)
HOST_ASKS = (
    f"Use code SPOKES10 for 10% off your next order 👉 {SHOP}/shop",
    f"New e-bikes just landed. Shop now: {SHOP}/e-bikes",
    "Happy with our service? Review us on Google, it really helps a small shop ❤️",
    f"Sign up for our newsletter and never miss a group ride or a sale: {SHOP}/news",
)
SALES = (
    "Summer sale at Spokes & Sprockets: 20% off all helmets, lights and locks, in store and "
    f"online at {SHOP}/sale. Ends Sunday, so don't wait too long",
    "Autumn service week: book a full service before October and get a free chain check plus 15% "
    f"off parts with code AUTUMN15. Book now at {SHOP}/service",
)
SALE_PREFIXES = ("", "Reminder: ", "Last chance! ", "Don't miss it: ")
SALE_SUFFIXES = ("!", " 🚲", " 🚴‍♀️", "! 🔥", " 👉")
FACEBOOK_ASKS = (
    f"Product of the day: {{product}}, now €{{price}}. Shop now: {SHOP}/shop",
    f"Our workshop has slots free this week. Book your service: {SHOP}/service",
    "{product} back in stock! Limited numbers, order online today.",
)
FACEBOOK_COMMENTS = ("Are you open on Sunday?", "Nice 👍", "What's the price of the {product}?")
GIVEAWAY = (
    "🎉 GIVEAWAY 🎉 Win a new bike! Follow us and tag a friend below.\n"
    f"Winner announced next Friday, good luck! Rules: {SHOP}/win"
)
ENTRIES = (
    "Done! 🤞",
    "Me please!! 🚲",
    "Entered, fingers crossed 🍀",
    "Would love this, mine got stolen 😭",
)


@dataclass(frozen=True)
class _Sizes:
    """How much of each planted behaviour to write; the default is the demo."""

    circles: int = 3  # core circles of CIRCLE_SIZE members
    talkers: int = 150  # members who only talk to the shop
    newcomers: int = 24
    organic: int = 1300  # followers who never write
    bought: int = 300
    giveaway: int = 250
    host_posts: int = 90  # tips and asks on twitter and mastodon
    promotions: int = 12  # repeats of each sale per platform
    facebook_posts: int = 250

    @classmethod
    def for_events(cls, events: int | None) -> _Sizes:
        """The demo's sizes, each multiplied to give about `events` events."""
        if events is None:
            return cls()
        factor = events / DEFAULT_EVENTS
        demo = cls()
        return cls(**{f.name: max(1, round(getattr(demo, f.name) * factor)) for f in fields(cls)})


@dataclass(frozen=True)
class _Person:
    """A member, active on one platform from day `since` until before day `until`."""

    platform: str
    handle: str
    since: int = 0
    until: int = DAYS


@dataclass(frozen=True)
class _Cast:
    """The members who write, and per platform the followers who only like."""

    circles: dict[str, list[list[_Person]]]
    talkers: list[_Person]
    newcomers: list[_Person]
    fans: dict[str, list[str]]

    def some_circle(self, rng: random.Random, platform: str, day: int) -> list[str]:
        """The members of one core circle on `platform` active on `day`."""
        circles = self.circles.get(platform)
        if not circles:
            return []
        return [p.handle for p in rng.choice(circles) if p.until > day]


@dataclass(frozen=True)
class _Profile:
    """One row of accounts.csv."""

    platform: str
    handle: str
    name: str
    bio: str
    followers: int
    following: int
    posts: int
    created: datetime
    last_post: datetime | None
    default_avatar: bool = False

    def row(self) -> list[str]:
        """The CSV cells, in COLUMNS["accounts"] order."""
        avatar = (
            DEFAULT_AVATAR
            if self.default_avatar
            else f"https://img.example/{self.platform}/{self.handle}.jpg"
        )
        last_post = _iso(self.last_post) if self.last_post else ""
        flag = "true" if self.default_avatar else "false"
        counts = [str(self.followers), str(self.following), str(self.posts)]
        profile = [self.platform, self.handle, self.handle, self.name, self.bio, avatar, flag]
        return [*profile, "false", *counts, _iso(self.created), last_post]


@dataclass(slots=True)
class _Msg:
    """A message being planted, with the likes it will get."""

    id: str
    author: str
    at: datetime
    text: str
    kind: str = "post"
    parent: _Msg | None = None
    likes: list[tuple[str, datetime]] = field(default_factory=list)
    planted: str = ""
    """A host message's planted class when the call site knows it (ask, or other for a
    deflection); else a reply, share or quote of someone else's message is give."""

    def liked_by(self, actor: str, at: datetime) -> None:
        """Record a like, unless it would be the author's own."""
        if actor != self.author:
            self.likes.append((actor, at))


class _Thread:
    """A root message and everything under it, written together when the thread is done."""

    def __init__(self, platform: str, ids: Counter[str]) -> None:
        self.platform = platform
        self.messages: list[_Msg] = []
        self._ids = ids

    def _add(self, msg: _Msg) -> _Msg:
        self.messages.append(msg)
        return msg

    def _new_id(self) -> str:
        self._ids[self.platform] += 1
        return ID_FORMATS[self.platform].format(self._ids[self.platform])

    def post(self, author: str, at: datetime, text: str) -> _Msg:
        """A top-level message."""
        return self._add(_Msg(self._new_id(), author, at, text))

    def reply(self, author: str, parent: _Msg, at: datetime, text: str) -> _Msg:
        """A reply; on twitter and mastodon it starts with the parent author's @handle."""
        if self.platform != "facebook" and parent.author != author:
            text = f"@{parent.author} {text}"
        return self._add(_Msg(self._new_id(), author, at, text, "reply", parent))

    def share(self, author: str, parent: _Msg, at: datetime, text: str = "") -> _Msg:
        """A share of `parent`, or a quote when it has text of its own."""
        kind = "quote" if text else "share"
        return self._add(_Msg(self._new_id(), author, at, text, kind, parent))


class _Writer:
    """The four CSV files, written a row at a time while the behaviours are planted."""

    def __init__(self, out_dir: Path, files: ExitStack) -> None:
        self.paths = tuple(out_dir / f"{name}.csv" for name in COLUMNS)
        writers = []
        for path, columns in zip(self.paths, COLUMNS.values(), strict=True):
            file = path.open("w", encoding="utf-8", newline="", buffering=1 << 20)
            writer = csv.writer(files.enter_context(file))
            writer.writerow(columns)
            writers.append(writer)
        self._accounts, self._messages, self._follows, self._interactions = writers
        self.events = 0
        self.followers: Counter[tuple[str, str]] = Counter()
        self.host_posts: Counter[tuple[str, str]] = Counter()
        self.planted: dict[tuple[str, str], str] = {}
        self._ids: Counter[str] = Counter()

    def account(self, profile: _Profile) -> None:
        """Write a profile."""
        self._accounts.writerow(profile.row())

    def follow(self, platform: str, follower: str, followed: str, at: datetime | None) -> None:
        """Write a follow; `at` None when the platform does not tell when."""
        self._follows.writerow([platform, follower, followed, _iso(at) if at else ""])
        self.followers[platform, followed] += 1
        self.events += 1

    @contextmanager
    def thread(self, platform: str) -> Iterator[_Thread]:
        """Collect a thread, then write its messages and likes up to the end of the calendar."""
        thread = _Thread(platform, self._ids)
        yield thread
        messages = [m for m in thread.messages if m.at < END]
        children = Counter((m.parent.id, m.kind == "reply") for m in messages if m.parent)
        for m in messages:
            self._message(platform, m, messages[0].id, children)

    def _message(
        self, platform: str, m: _Msg, root: str, children: Counter[tuple[str, bool]]
    ) -> None:
        likes = [(actor, at) for actor, at in m.likes if at < END]
        parent, root = (m.parent.id, root) if m.parent else ("", "")
        counts = [len(likes), children[m.id, False], children[m.id, True]]
        mentions = " ".join(MENTION.findall(m.text))
        cells = [platform, m.id, m.author, _iso(m.at), m.text, m.kind, parent, root]
        self._messages.writerow([*cells, *counts, mentions])
        for actor, at in likes:
            self._interactions.writerow([platform, actor, m.author, "like", _iso(at), m.id])
        if _is_host(platform, m.author):
            self.host_posts[platform, m.author] += 1
            given = m.parent is not None and not _is_host(platform, m.parent.author)
            self.planted[platform, m.id] = m.planted or ("give" if given else "other")
        self.events += 1 + len(likes)


def _is_host(platform: str, handle: str) -> bool:
    return handle == BRAND or handle == STAFF.get(platform)


class _Fill(dict[str, str]):
    """Placeholder values for one text, drawn when the template first asks for them."""

    def __init__(self, rng: random.Random, **known: str) -> None:
        super().__init__(known)
        self._rng = rng

    def __missing__(self, key: str) -> str:
        if key in NUMBERS:
            value = str(self._rng.randint(*NUMBERS[key]))
        else:
            value = self._rng.choice(WORDS[key])
        self[key] = value
        return value


class _Names:
    """Plausible handles, unique per platform, with display names."""

    def __init__(self, rng: random.Random) -> None:
        self._rng = rng
        self._used: dict[str, set[str]] = {p: {BRAND, *STAFF.values()} for p in PLATFORMS}

    def person(self, platform: str) -> tuple[str, str]:
        """A real-looking account: handle and display name."""
        rng = self._rng
        first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        style = rng.randrange(4)
        if style == 0:
            base = first + last
        elif style == 1:
            base = f"{first}_{rng.choice(HANDLE_WORDS)}"
        elif style == 2:
            base = f"{first}{last[0]}{rng.randrange(10, 100)}"
        else:
            base = f"{last}{first[0]}"
        return self._unique(platform, _ascii(base)), f"{first} {last}"

    def fake(self, platform: str) -> tuple[str, str]:
        """A bought account: a first name and a long number."""
        first = self._rng.choice(FIRST_NAMES)
        handle = f"{_ascii(first)}{self._rng.randrange(10**6, 10**9)}"
        return self._unique(platform, handle), f"{first} {self._rng.choice(LAST_NAMES)}"

    def _unique(self, platform: str, base: str) -> str:
        used = self._used[platform]
        handle = base
        while handle in used:
            handle = f"{base}{self._rng.randrange(10, 10_000)}"
        used.add(handle)
        return handle


def generate(out_dir: Path, seed: int = 7, scale: int | None = None) -> DemoData:
    """Write the demo as generic CSV files into `out_dir`; `scale` asks for about that many events.

    The same seed gives the same bytes. Files are returned in import order, accounts first.
    """
    rng = random.Random(seed)
    sizes = _Sizes.for_events(scale)
    names = _Names(rng)
    out_dir.mkdir(parents=True, exist_ok=True)
    with ExitStack() as files:
        w = _Writer(out_dir, files)
        cast = _cast(w, rng, names, sizes)
        _bought_followers(w, rng, names, sizes)
        _giveaway(w, rng, names, sizes)
        every = [c for circles in cast.circles.values() for c in circles]
        for number, circle in enumerate(every):
            _ride_announcements(w, rng, circle, cast, number)
            _core_threads(w, rng, circle, cast)
        for person in cast.talkers:
            _customer(w, rng, person, cast)
        for person in cast.newcomers:
            _newcomer(w, rng, person, cast)
        _host_posts(w, rng, sizes, cast)
        _promotions(w, rng, sizes, cast)
        _facebook_page(w, rng, sizes, cast)
        _host_profiles(w, rng)
    return DemoData(TEAM, w.paths, w.events, w.planted)


# Time


def _iso(at: datetime) -> str:
    return at.strftime("%Y-%m-%dT%H:%M:%SZ")


def _local(day: int, hour: float) -> datetime:
    """`hour` o'clock in the shop's time zone on calendar day `day`, in UTC."""
    return START + timedelta(days=day, seconds=round((hour - UTC_OFFSET_HOURS) * 3600))


def _date(day: int) -> str:
    """Calendar day `day` as the shop writes it: "Thursday 14 November"."""
    return f"{(START + timedelta(days=day)):%A %-d %B}"


def _moment(rng: random.Random, day: int, peak: float = 20.0) -> datetime:
    """A time on `day` when people are online, most around `peak` o'clock (the evening)."""
    return _local(day, rng.triangular(7.0, 23.5, peak))


def _later(rng: random.Random, at: datetime, low_minutes: int, high_minutes: int) -> datetime:
    return at + timedelta(seconds=rng.randrange(low_minutes * 60, high_minutes * 60))


def _joined(rng: random.Random) -> datetime:
    """When a long-standing account was created."""
    return START - timedelta(days=rng.randint(200, 4500), seconds=rng.randrange(86_400))


def _next_open(at: datetime) -> datetime:
    """`at` itself during opening hours, else when the shop next opens."""
    local = at + timedelta(hours=UTC_OFFSET_HOURS)
    day = local.replace(hour=0, minute=0, second=0)
    while True:
        hours = OPENING.get(day.weekday())
        if hours is not None and local < day.replace(hour=hours[1]):
            opens = max(local, day.replace(hour=hours[0]))
            return opens - timedelta(hours=UTC_OFFSET_HOURS)
        day += timedelta(days=1)


def _host_reply_at(rng: random.Random, asked: datetime) -> datetime:
    """Within hours when the shop is open, else soon after it opens."""
    return _later(rng, _next_open(asked), 5, 240)


# Text


def _fill(rng: random.Random, template: str, **known: str) -> str:
    return template.format_map(_Fill(rng, **known))


def _ascii(text: str) -> str:
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "".join(c for c in plain.lower() if c.isalnum() or c == "_")


def _host_voice(rng: random.Random, platform: str) -> tuple[str, str]:
    """Who replies for the shop and how it signs: staff personally, the brand signed, or not."""
    roll = rng.random()
    if platform in STAFF and roll < 0.25:
        return STAFF[platform], ""
    if roll < 0.45:
        return BRAND, rng.choice(SIGNATURES)
    return BRAND, ""


def _likes(rng: random.Random, msg: _Msg, pool: Sequence[str], most: int) -> None:
    """Up to `most` likes from `pool` within a day."""
    for actor in rng.sample(pool, min(len(pool), rng.randint(0, most))):
        msg.liked_by(actor, _later(rng, msg.at, 2, 1440))


# The cast


def _cast(w: _Writer, rng: random.Random, names: _Names, sizes: _Sizes) -> _Cast:
    """Create the members who write and the followers who don't, with profiles and follows."""
    circles: dict[str, list[list[_Person]]] = {"twitter": [], "mastodon": []}
    for i in range(sizes.circles):
        platform = "twitter" if i % 2 == 0 else "mastodon"
        circles[platform].append(_circle(w, rng, names, platform))
    talkers = [
        _member(w, rng, names, rng.choice(("twitter", "twitter", "mastodon")), 0)
        for _ in range(sizes.talkers)
    ]
    newcomers = [
        _member(w, rng, names, rng.choice(("twitter", "mastodon")), NEWCOMERS_FROM)
        for _ in range(sizes.newcomers)
    ]
    fans: dict[str, list[str]] = {p: [] for p in PLATFORMS}
    for _ in range(sizes.organic):
        platform = rng.choices(PLATFORMS, (55, 25, 20))[0]
        handle, dormant = _organic_follower(w, rng, names, platform)
        if not dormant:
            fans[platform].append(handle)
    return _Cast(circles, talkers, newcomers, fans)


def _circle(w: _Writer, rng: random.Random, names: _Names, platform: str) -> list[_Person]:
    """Core members who have followed the shop for long (the platform does not say since when)."""
    circle = []
    for i in range(CIRCLE_SIZE):
        until = SLIP_DAY if i < SLIPPING_PER_CIRCLE else DAYS
        handle, name = names.person(platform)
        last_post = START + timedelta(days=until, hours=-rng.randint(3, 60))
        w.account(_rider(rng, platform, handle, name, last_post))
        w.follow(platform, handle, BRAND, None)
        circle.append(_Person(platform, handle, 0, until))
    return circle


def _member(
    w: _Writer, rng: random.Random, names: _Names, platform: str, first_day: int
) -> _Person:
    """A member who first writes on a day from `first_day` on, often following just before."""
    handle, name = names.person(platform)
    since = rng.randrange(first_day, DAYS - 8)
    w.account(_rider(rng, platform, handle, name, END - timedelta(hours=rng.randint(1, 400))))
    if rng.random() < 0.6:
        w.follow(platform, handle, BRAND, _moment(rng, since) - timedelta(hours=6))
    return _Person(platform, handle, since)


def _rider(
    rng: random.Random, platform: str, handle: str, name: str, last_post: datetime
) -> _Profile:
    return _Profile(
        platform,
        handle,
        name,
        bio=rng.choice(RIDER_BIOS),
        followers=int(rng.paretovariate(1.3) * 40),
        following=rng.randint(40, 900),
        posts=rng.randint(80, 6000),
        created=_joined(rng),
        last_post=last_post,
    )


def _organic_follower(
    w: _Writer, rng: random.Random, names: _Names, platform: str
) -> tuple[str, bool]:
    """A follower who found the shop on their own; about a third have gone dormant."""
    handle, name = names.person(platform)
    dormant = rng.random() < 0.35
    posts = 0 if dormant and rng.random() < 0.4 else rng.randint(5, 4000)
    if not posts:
        last_post = None
    elif dormant:
        last_post = END - timedelta(days=rng.randint(100, 900))
    else:
        last_post = END - timedelta(hours=rng.randint(1, 700))
    w.account(
        _Profile(
            platform,
            handle,
            name,
            bio=rng.choice(RIDER_BIOS + OTHER_BIOS),
            followers=int(rng.paretovariate(1.2) * 30),
            following=rng.randint(20, 300 if not posts else 1500),  # lurkers follow few
            posts=posts,
            created=_joined(rng),
            last_post=last_post,
        )
    )
    w.follow(platform, handle, BRAND, _moment(rng, rng.randrange(DAYS)))
    return handle, dormant


# Follower spikes


def _bought_followers(w: _Writer, rng: random.Random, names: _Names, sizes: _Sizes) -> None:
    """Fake accounts created days before, all following in the small hours of one day."""
    night = START + timedelta(days=BOUGHT_DAY)
    for _ in range(sizes.bought):
        handle, name = names.fake("twitter")
        created = night - timedelta(days=rng.randint(1, 6), seconds=rng.randrange(86_400))
        posts = rng.randint(0, 3)
        last_post = created + timedelta(hours=rng.randint(1, 20)) if posts else None
        w.account(
            _Profile(
                "twitter",
                handle,
                name,
                bio="",
                followers=rng.randint(0, 12),
                following=rng.randint(1500, 7500),
                posts=posts,
                created=created,
                last_post=last_post,
                default_avatar=True,
            )
        )
        w.follow("twitter", handle, BRAND, night + timedelta(seconds=rng.randrange(3600, 18_000)))


def _giveaway(w: _Writer, rng: random.Random, names: _Names, sizes: _Sizes) -> None:
    """Real-looking accounts follow on the giveaway day, enter once and are never heard of again."""
    entrants: list[str] = []
    with w.thread("twitter") as t:
        post = t.post(BRAND, _local(GIVEAWAY_DAY, 10.0), GIVEAWAY)
        post.planted = "ask"
        day_left = int((START + timedelta(days=GIVEAWAY_DAY + 1) - post.at).total_seconds())
        for _ in range(sizes.giveaway):
            handle, name = names.person("twitter")
            w.account(
                _Profile(
                    "twitter",
                    handle,
                    name,
                    bio=rng.choice(OTHER_BIOS),
                    followers=int(rng.paretovariate(1.1) * 60),
                    following=rng.randint(100, 2000),
                    posts=rng.randint(50, 3000),
                    created=_joined(rng),
                    last_post=END - timedelta(hours=rng.randint(1, 300)),
                )
            )
            followed = post.at + timedelta(seconds=rng.randrange(60, day_left))
            w.follow("twitter", handle, BRAND, followed)
            if rng.random() < 0.6:
                post.liked_by(handle, followed)
            if rng.random() < 0.4:
                _enter(rng, t, post, handle, followed, entrants)
            entrants.append(handle)


def _enter(
    rng: random.Random, t: _Thread, post: _Msg, handle: str, at: datetime, entrants: list[str]
) -> None:
    """A giveaway entry, tagging an earlier entrant one time in three."""
    text = rng.choice(ENTRIES)
    if entrants and rng.random() < 1 / 3:
        text = f"{text} @{rng.choice(entrants)}"
    t.reply(handle, post, at + timedelta(seconds=rng.randrange(5, 600)), text)


# The core: members who talk to each other


def _core_threads(w: _Writer, rng: random.Random, circle: list[_Person], cast: _Cast) -> None:
    """Members post about rides; others answer, and the poster answers back."""
    for _ in range(round(THREADS_PER_WEEK * DAYS / 7)):
        day = rng.randrange(DAYS)
        active = [p.handle for p in circle if p.until > day]
        starter, *others = rng.sample(active, rng.randint(2, 4))
        with w.thread(circle[0].platform) as t:
            text = _fill(rng, rng.choice(RIDE_POSTS), friend=f"@{others[0]}")
            root = t.post(starter, _moment(rng, day), text)
            for other in others:
                _conversation(rng, t, root, other)
            _shop_joins(rng, t, root)
            for msg in t.messages:
                _likes(rng, msg, active, 3)
            _likes(rng, root, cast.fans[circle[0].platform], 2)


def _conversation(rng: random.Random, t: _Thread, root: _Msg, other: str) -> None:
    """`other` replies to the root post, its author often answers, and sometimes `other` again."""
    reply = t.reply(other, root, _later(rng, root.at, 5, 360), _fill(rng, rng.choice(RIDE_REPLIES)))
    if rng.random() < 0.6:
        back = t.reply(root.author, reply, _later(rng, reply.at, 5, 240), rng.choice(BACK_REPLIES))
        if rng.random() < 0.3:
            t.reply(other, back, _later(rng, back.at, 5, 240), rng.choice(BACK_REPLIES))


def _shop_joins(rng: random.Random, t: _Thread, root: _Msg) -> None:
    """Gives: the shop cheers a member's post, likes it, shares it or quotes it."""
    roll = rng.random()
    author, signature = _host_voice(rng, t.platform)
    at = _later(rng, root.at, 20, 600)
    if roll < 0.2:
        t.reply(author, root, at, _fill(rng, rng.choice(SHOP_CHEERS)) + signature)
    elif roll < 0.28:
        t.share(BRAND, root, at)
    elif roll < 0.32:
        t.share(author, root, at, rng.choice(SHOP_QUOTES))
    elif roll < 0.5:
        root.liked_by(BRAND, at)


def _ride_announcements(
    w: _Writer, rng: random.Random, circle: list[_Person], cast: _Cast, number: int
) -> None:
    """Each week the shop announces a ride for circle `number` (each its own distance, so no
    announcement repeats another); members sign up and the shop answers some of them."""
    platform = circle[0].platform
    for week in range(DAYS // 7):
        day = week * 7 + rng.randrange(3)
        active = [p.handle for p in circle if p.until > day]
        km = str(20 + (3 * number + 9 * week) % 100)
        text = f"{_date(day)}. " + _fill(rng, rng.choice(RIDE_ANNOUNCEMENTS), km=km)
        with w.thread(platform) as t:
            post = t.post(BRAND, _local(day, rng.uniform(9.5, 12.0)), text)
            post.planted = "give"  # a free ride for the community, nothing sold
            for member in rng.sample(active, rng.randint(2, 5)):
                sign_up = t.reply(member, post, _later(rng, post.at, 10, 900), rng.choice(SIGN_UPS))
                if rng.random() < 0.5:
                    author, signature = _host_voice(rng, platform)
                    text = rng.choice(SEE_YOU) + signature
                    t.reply(author, sign_up, _host_reply_at(rng, sign_up.at), text)
            _likes(rng, post, active, 4)
            _likes(rng, post, cast.fans[platform], 3)


# The audience that talks: customers who only talk to the shop


def _customer(w: _Writer, rng: random.Random, person: _Person, cast: _Cast) -> None:
    """A customer's one to three messages to the shop: mostly requests, some thanks."""
    later = [rng.randrange(person.since, DAYS) for _ in range(rng.choice((0, 0, 0, 1, 1, 2)))]
    for day in [person.since, *sorted(later)]:
        if rng.random() < 0.7:
            _request(w, rng, person, day, cast)
        else:
            _thanks(w, rng, person, day)


def _request(w: _Writer, rng: random.Random, person: _Person, day: int, cast: _Cast) -> None:
    """A question or complaint: mostly answered within hours, some never, some pushed to DM."""
    problem = rng.random() < 0.4
    question, answers = rng.choice(PROBLEMS if problem else QUESTIONS)
    fill = _Fill(rng)
    with w.thread(person.platform) as t:
        asked = t.post(person.handle, _moment(rng, day, peak=13.0), question.format_map(fill))
        _likes(rng, asked, cast.fans[person.platform], 2)
        roll = rng.random()
        if roll < UNANSWERED:
            return
        author, signature = _host_voice(rng, person.platform)
        deflect = problem and roll < UNANSWERED + DEFLECTED
        text = rng.choice(DEFLECTIONS if deflect else answers)
        answer = t.reply(
            author, asked, _host_reply_at(rng, asked.at), text.format_map(fill) + signature
        )
        answer.planted = "other" if deflect else ""
        if rng.random() < 0.3:
            answer.liked_by(person.handle, _later(rng, answer.at, 1, 120))
        if rng.random() < 0.35:
            t.reply(person.handle, answer, _later(rng, answer.at, 2, 180), rng.choice(THANKS_BACK))


def _thanks(w: _Writer, rng: random.Random, person: _Person, day: int) -> None:
    """Praise for the shop, which likes it and sometimes answers."""
    with w.thread(person.platform) as t:
        praise = t.post(person.handle, _moment(rng, day), _fill(rng, rng.choice(THANKS)))
        if rng.random() < 0.6:
            praise.liked_by(BRAND, _host_reply_at(rng, praise.at))
        if rng.random() < 0.4:
            author, signature = _host_voice(rng, person.platform)
            text = rng.choice(THANKS_REPLIES) + signature
            t.reply(author, praise, _host_reply_at(rng, praise.at), text)


def _newcomer(w: _Writer, rng: random.Random, person: _Person, cast: _Cast) -> None:
    """A first message in the last 90 days; some are welcomed within 48 h, they mostly return."""
    welcomed = rng.random() < 0.6
    with w.thread(person.platform) as t:
        hello = t.post(person.handle, _moment(rng, person.since), _fill(rng, rng.choice(HELLOS)))
        if welcomed:
            core = cast.some_circle(rng, person.platform, person.since + 2)
            greeter = rng.choice(core) if core and rng.random() < 0.5 else BRAND
            t.reply(greeter, hello, _later(rng, hello.at, 30, 40 * 60), rng.choice(WELCOMES))
    if rng.random() < (0.7 if welcomed else 0.15):
        day = person.since + rng.randint(8, 25)  # a later ISO week, within 30 days
        with w.thread(person.platform) as t:
            t.post(person.handle, _moment(rng, day), _fill(rng, rng.choice(RETURNS)))


# What the shop posts


def _host_posts(w: _Writer, rng: random.Random, sizes: _Sizes, cast: _Cast) -> None:
    """Tips and workshop news, a third of them asks, some written by staff personally. Each tip
    is posted once (a give: something the audience can use), then the workshop diary with the
    day's own details (small talk: other)."""
    tips = list(TIPS)
    rng.shuffle(tips)
    for _ in range(sizes.host_posts):
        platform = rng.choice(("twitter", "twitter", "mastodon"))
        day = rng.randrange(DAYS)
        ask = rng.random() < 1 / 3
        tip = not ask and bool(tips)
        if ask:
            author, text = BRAND, rng.choice(HOST_ASKS)
        else:
            author = STAFF[platform] if rng.random() < 0.25 else BRAND
            text = tips.pop() if tip else _fill(rng, rng.choice(DIARY)) + f" ({_date(day)})"
        with w.thread(platform) as t:
            post = t.post(author, _local(day, rng.uniform(8.0, 20.0)), text)
            post.planted = "ask" if ask else "give" if tip else "other"
            _likes(rng, post, cast.fans[platform], 4)
            _likes(rng, post, cast.some_circle(rng, platform, day), 3)


def _promotions(w: _Writer, rng: random.Random, sizes: _Sizes, cast: _Cast) -> None:
    """The same sale announcement again and again on every channel, with tiny variations."""
    for (first, last), sale in zip(CAMPAIGNS, SALES, strict=True):
        for platform in PLATFORMS:
            for i in range(sizes.promotions):
                day = first + i * (last - first) // sizes.promotions
                text = rng.choice(SALE_PREFIXES) + sale + rng.choice(SALE_SUFFIXES)
                with w.thread(platform) as t:
                    post = t.post(BRAND, _local(day, rng.uniform(9.0, 19.0)), text)
                    post.planted = "ask"
                    _likes(rng, post, cast.fans[platform], max(0, 5 - i // 2))


def _facebook_page(w: _Writer, rng: random.Random, sizes: _Sizes, cast: _Cast) -> None:
    """The shop posts to Facebook every day, up to the last; almost nobody answers."""
    fans = cast.fans["facebook"]
    for i in range(sizes.facebook_posts):
        day = i * DAYS // sizes.facebook_posts
        with w.thread("facebook") as t:
            ask = rng.random() < 0.6
            if ask:
                text = _fill(rng, rng.choice(FACEBOOK_ASKS))
            else:
                news = FACEBOOK_NEWS[i % len(FACEBOOK_NEWS)]
                text = f"Open today, {_date(day)}, until {18 if day % 7 < 5 else 16}:00. {news}"
            post = t.post(BRAND, _local(day, rng.uniform(8.0, 20.0)), text)
            post.planted = "ask" if ask else "give"  # opening hours and news people can use
            _likes(rng, post, fans, 1)
            if fans and rng.random() < 0.03:
                comment = _fill(rng, rng.choice(FACEBOOK_COMMENTS))
                asked = t.reply(rng.choice(fans), post, _later(rng, post.at, 30, 600), comment)
                t.reply(BRAND, asked, _host_reply_at(rng, asked.at), rng.choice(THANKS_REPLIES))


def _host_profiles(w: _Writer, rng: random.Random) -> None:
    """The brand and staff accounts, with the followers and posts written for them."""
    bios = {
        BRAND: "Bike shop & workshop in Amsterdam since 1987. Repairs, rentals, rides. "
        "Mon-Fri 9-18, Sat 10-16.",
        "anna_spokes": "Shop manager @spokesbikes. Gravel, coffee, more gravel.",
        "tom_wrench": "Head mechanic at Spokes & Sprockets. Ask me about bottom brackets 🔧",
    }
    people = {BRAND: TEAM.name, "anna_spokes": "Anna de Wit", "tom_wrench": "Tom Willems"}
    accounts = [(p, BRAND) for p in PLATFORMS] + list(STAFF.items())
    for platform, handle in accounts:
        w.account(
            _Profile(
                platform,
                handle,
                people[handle],
                bio=bios[handle],
                followers=w.followers[platform, handle] + 40,  # and some from before the data
                following=rng.randint(100, 400),
                posts=w.host_posts[platform, handle] + 1200,
                created=datetime(2011, 3, 14, 9, 30, tzinfo=UTC),
                last_post=END - timedelta(hours=6),
            )
        )
