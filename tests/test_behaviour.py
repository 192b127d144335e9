"""Host behaviour: the demo's planted behaviour is found, MinHash agrees with exact Jaccard, odd
texts do not break the classifiers, and give/ask is scored on hand-labelled real messages."""

from __future__ import annotations

import csv
import random
from datetime import datetime
from pathlib import Path
from typing import Any

import pyarrow as pa
import pytest
from conftest import SHARED

from convivial import synth
from convivial.importer import import_files
from convivial.metrics import build_reports
from convivial.metrics.behaviour import host_classes
from convivial.metrics.scope import scope_of
from convivial.metrics.window import Window
from convivial.report.model import TeamReport
from convivial.store import Store
from convivial.text.asks import asks, is_ask
from convivial.text.duplicates import THRESHOLD, earlier_duplicates, jaccard, shingles
from convivial.text.giving import giving_signals
from convivial.text.labels import CLASSIFIERS
from convivial.workspace import TeamConfig, Workspace

LABELS = Path(__file__).parent / "data" / "labels"


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> tuple[synth.DemoData, TeamReport, Path]:
    root = tmp_path_factory.mktemp("behaviour")
    data = synth.generate(root / "data", seed=7)
    ws = Workspace(root)
    t = data.team
    ws.init([TeamConfig(t.name, t.brand, t.staff, t.timezone, t.hours)])
    with ws.open_store() as store:
        import_files(store, "csv", data.files)
        store.refresh_labels(CLASSIFIERS)  # what the report command does first
        (report,) = build_reports(store)
    return data, report, root


def _host_messages(root: Path, report: TeamReport) -> list[dict[str, str]]:
    """The generated host messages in the report's window, read from the CSV."""
    hosts = {"spokesbikes", "anna_spokes", "tom_wrench"}
    with (root / "data" / "messages.csv").open(encoding="utf-8", newline="") as f:
        rows = [r for r in csv.DictReader(f) if r["author_id"] in hosts]
    start, end = report.window.start, report.window.end
    return [r for r in rows if start <= _utc(r["created_at"]) < end]


def _utc(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00")).replace(tzinfo=None)


def test_the_give_ask_ratio_is_what_the_demo_planted(
    demo: tuple[synth.DemoData, TeamReport, Path],
) -> None:
    data, report, root = demo
    planted = [data.planted[r["platform"], r["message_id"]] for r in _host_messages(root, report)]
    gives, asked = planted.count("give"), planted.count("ask")
    assert gives > 50 and asked > 50
    expected = gives / max(asked, 1)
    assert report.metrics["give_ask_ratio"] == pytest.approx(expected, rel=0.05)
    assert report.metrics["host_gives"] == pytest.approx(gives, rel=0.05)
    assert report.metrics["host_asks"] == pytest.approx(asked, rel=0.05)


def test_every_demo_host_message_is_classified_as_planted(
    demo: tuple[synth.DemoData, TeamReport, Path],
) -> None:
    data, _, root = demo
    with Workspace(root).open_store() as store:
        teams = [t for t, *_ in store.teams()]
        everything = Window(datetime(2000, 1, 1), datetime(2100, 1, 1))
        scope = scope_of(store.ibis(), teams, everything)
        rows = host_classes(scope).select("message_key", "behaviour").to_pyarrow().to_pylist()
        scope.release()
    found = {tuple(r["message_key"].split(":", 1)): r["behaviour"] for r in rows}
    assert found == data.planted


def test_only_the_repeated_promotions_are_flagged(
    demo: tuple[synth.DemoData, TeamReport, Path],
) -> None:
    data, report, root = demo
    posts = [r for r in _host_messages(root, report) if r["kind"] == "post"]
    posts.sort(key=lambda r: (r["created_at"], f"{r['platform']}:{r['message_id']}"))
    sets = [shingles(r["text"]) for r in posts]
    repeats = {  # exact Jaccard, every earlier post
        f"{r['platform']}:{r['message_id']}"
        for i, r in enumerate(posts)
        if sets[i] and any(jaccard(sets[i], sets[j]) >= THRESHOLD for j in range(i))
    }
    flagged = {key for group in report.lists["repeated"] for key in group["message_keys"][1:]}
    kinds = {
        f"{r['platform']}:{r['message_id']}": data.planted[r["platform"], r["message_id"]]
        for r in posts
    }
    assert len(flagged) > 30
    assert {kinds[k] for k in flagged} == {"ask"}  # nothing but promotions
    assert len(flagged & repeats) >= 0.95 * len(repeats)  # MinHash estimates: see below
    assert report.metrics["repetition_share"] == pytest.approx(len(flagged) / len(posts))


def test_the_over_posted_channel_is_flagged(
    demo: tuple[synth.DemoData, TeamReport, Path],
) -> None:
    _, report, _ = demo
    flags = {c["platform"]: c["flag"] for c in report.lists["channel_fit"]}
    assert flags == {"facebook": "over-posted", "mastodon": None, "twitter": None}


def test_minhash_finds_what_exact_jaccard_finds() -> None:
    """On 2,000 real brand tweets and variations of them (a word changed, dropped or added),
    post-level recall of near-duplicates against exact Jaccard is at least 0.95."""
    rng = random.Random(5)
    with (SHARED / "twcs" / "twcs_random5000.csv").open(newline="") as f:
        brand = [r["text"] for r in csv.DictReader(f) if r["inbound"] == "False"]
    texts = rng.sample(brand, 1500)
    for base in rng.sample(texts, 500):
        words = base.split()
        i = rng.randrange(len(words))
        words[i : i + rng.choice((0, 1))] = rng.choice(([], ["really"], ["today"]))
        texts.append(" ".join(words))
    rng.shuffle(texts)
    sets = [shingles(t) for t in texts]
    exact = [
        bool(sets[i]) and any(jaccard(sets[i], sets[j]) >= THRESHOLD for j in range(i))
        for i in range(len(texts))
    ]
    found = [j is not None for j in earlier_duplicates(texts)]
    both = sum(a and b for a, b in zip(exact, found, strict=True))
    assert sum(exact) > 150
    assert both / sum(exact) >= 0.95
    assert both / sum(found) >= 0.95


@pytest.mark.parametrize(
    "text",
    [
        "",
        "🚲🚲🚲",
        "https://t.co/abc https://t.co/d",
        "@a @b @c",
        "これは テスト です",
        "¿¡",
        None,
    ],
)
def test_odd_texts_are_no_asks_and_no_duplicates(text: str | None) -> None:
    assert not asks(pa.array([text], pa.string())).any()
    # a text with no words is nobody's duplicate; one with words (the Japanese) is its copy's
    expected = [None, 0] if shingles(text) else [None, None]
    assert earlier_duplicates([text, text]) == expected


@pytest.mark.parametrize(
    ("text", "chatter", "addressed"),
    [
        ("@123 Please provide your order number so we can check.", False, True),
        ("Tip: a drop of oil on the chain after a wet ride saves a new one.", False, False),
        ("#chifoo I'm on my way to the talk", True, False),
        ("Good morning! Lucy here until 16:00", True, False),
        ("https://t.co/x #chifoo cool", True, False),
        ("https://t.co/x @anna thanks", True, True),
        ("Off to Portland for the whole weekend.", True, False),
        ("#chifoo Howdy folks! Nobody has shown up yet.", True, False),
        ("Walking the dog in the rain. Thinking about my friend.", True, False),  # a diary
        ("Notes from the talk, with my slides: https://t.co/x", False, False),  # to read
        (None, True, False),
    ],
)
def test_what_a_text_says_about_giving(text: str | None, chatter: bool, addressed: bool) -> None:
    found = giving_signals(pa.array([text], pa.string()))
    assert (found.chatter[0], found.addressed[0]) == (chatter, addressed)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Use code SPOKES10 for your next order", True),
        ("Shoppers scan a QR code about quinoa", False),  # a code is written in capitals
        ("20% off all helmets", True),
        ("Does anybody know when the new app is out?", False),  # information, nothing sold
        ("Swing by and we'll have a look", False),
        ("Summer sale: everything must go", True),  # a promotion named in a post
        ("@123 We turned off online ordering tonight for our annual promo.", False),  # answers
        ("@123 Please check out our help page: https://t.co/x", False),
        ("@123 Sign up here to be the first to hear: https://t.co/x", True),  # a call, anywhere
        ("@123 Use code SPOKES10 at the till", True),
        ("Coming up next week, let me know if interested in being a panelist", True),
        ("There are still plenty of seats: https://t.co/x", True),
        ("I missed the keynote. Any chance to replay it?", False),  # a favour, nothing sold
        ("@123 Does your grandma have the receipt by any chance?", False),  # details
        ("What do you recommend instead of Twemes? Has Twitter an alternative?", False),
        ("Pls help me find that story about Excel and reproducible research", False),
        ("Join us for an online event on communities: http://example.com/event", True),
        ("Please take a few moments and respond to this survey: https://t.co/x", True),
        ("@123 There is a FURN20 code running at the moment", True),
        ("Save 20% on every helmet this week", True),
        ("Anybody else going to the meetup tonight?", False),  # a question to the audience
        ("@123 Did you manage to speak with anybody in store?", False),
        ("Recruiting mentors for the autumn workshop.", True),
        ("The new edition is finally out: http://example.com/buy !", True),  # a link into a shop
        ("@123 Join us in DM with your order number: https://t.co/x", False),  # a deflection
    ],
)
def test_asks(text: str, expected: bool) -> None:
    assert is_ask(text) is expected


def _archive_and_twcs(tmp: Path) -> dict[tuple[str, str], str]:
    """The class of every host message of TWCS (both files) and the X archive, by the one
    implementation (`host_classes`), over all time."""
    out: dict[tuple[str, str], str] = {}
    twcs = [SHARED / "twcs" / n for n in ("twcs_head5000.csv", "twcs_random5000.csv")]
    sources: list[tuple[str, list[Path], str]] = [
        ("twcs", twcs, "twcs"),
        ("x-archive", [SHARED / "formats" / "twitter_archive"], "x-archive"),
    ]
    for name, paths, label in sources:
        with Store(tmp / f"{name}.duckdb") as store:
            import_files(store, name, paths, team="smithjd" if name == "x-archive" else None)
            store.refresh_labels(CLASSIFIERS)
            con = store.ibis()
            teams = [t for t, *_ in store.teams()]
            everything = Window(datetime(2000, 1, 1), datetime(2100, 1, 1))
            scope = scope_of(con, teams, everything)
            classes = host_classes(scope)
            rows: list[dict[str, Any]] = (
                classes.select("message_key", "behaviour").to_pyarrow().to_pylist()
            )
            scope.release()
        for r in rows:
            out[(label, r["message_key"].partition(":")[2])] = r["behaviour"]
    return out


BEHAVIOUR_SETS = {  # see the docs for which were read for the rules
    "behaviour_dev": "development",
    "behaviour_test": "test",
    "behaviour_final": "final",
    "behaviour_fourth": "fourth",
    "behaviour_fifth": "fifth",
    "behaviour_sixth": "sixth",  # read for rules version 8; unread it scored the figures below
    "behaviour_seventh": "seventh",  # never read for the rules: its figures are the ones to quote
}


def behaviour_scores(
    classes: dict[tuple[str, str], str],
) -> list[tuple[str, str, int, float, float]]:
    """(set, class, labelled, precision, recall) of give and ask on each labelled set."""
    out = []
    for name, shown in BEHAVIOUR_SETS.items():
        with (LABELS / f"{name}.csv").open(newline="", encoding="utf-8") as f:
            rows = list(csv.DictReader(f))
        for cls in ("give", "ask"):
            said = [classes[(r["source"], r["message_id"])] == cls for r in rows]
            truth = [r["behaviour"] == cls for r in rows]
            tp = sum(a and b for a, b in zip(said, truth, strict=True))
            precision = tp / sum(said) if any(said) else 0.0
            out.append((shown, cls, sum(truth), precision, tp / sum(truth)))
    return out


def behaviour_table(classes: dict[tuple[str, str], str]) -> str:
    lines = ["| set | class | labelled | precision | recall |", "|---|---|---|---|---|"]
    for shown, cls, n, p, r in behaviour_scores(classes):
        lines.append(f"| {shown} | {cls} | {n} | {p:.2f} | {r:.2f} |")
    return "\n".join(lines)


def test_give_and_ask_on_hand_labelled_host_messages(tmp_path: Path) -> None:
    """The scores docs/classifiers.md reports, from the one implementation of the classes."""
    classes = _archive_and_twcs(tmp_path)
    docs = (Path(__file__).resolve().parents[1] / "docs" / "classifiers.md").read_text("utf-8")
    assert behaviour_table(classes) in docs
    scores = {(s, c): (p, r) for s, c, _, p, r in behaviour_scores(classes)}
    floors = {  # (precision, recall) measured, rounded down; see the docs
        ("development", "give"): (0.92, 0.96),
        ("test", "give"): (0.89, 0.97),
        ("final", "give"): (0.88, 0.95),
        ("fourth", "give"): (0.88, 0.96),
        ("fifth", "give"): (0.88, 0.95),
        ("sixth", "give"): (0.82, 0.96),  # read; unread it scored 0.79 and 0.97 (old labels)
        ("seventh", "give"): (0.85, 0.93),  # read by nobody: the figures to quote
        ("development", "ask"): (0.8, 0.4),
        ("test", "ask"): (0.88, 0.72),
        ("final", "ask"): (0.6, 0.42),
        ("fourth", "ask"): (0.87, 0.77),
        ("fifth", "ask"): (0.75, 0.42),
        ("sixth", "ask"): (0.0, 0.0),  # none of its 6 asks found, nothing called ask
        ("seventh", "ask"): (0.0, 0.0),  # none of its 3 asks found, 1 called ask
    }
    for key, (precision, recall) in floors.items():
        assert scores[key][0] >= precision and scores[key][1] >= recall, key
