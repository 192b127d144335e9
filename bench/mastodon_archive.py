"""Benchmark: importing a Mastodon account archive of 100,000 statuses.

The archive: `convivial.synth_archives.mastodon_archive` (outbox.json in ActivityPub with posts,
replies, boosts, mentions on the owner's server and others; actor.json; likes.json), zipped, made
once under bench/out/. Timed in one process with perf_counter: `convivial import
mastodon-archive` into a new workspace (streamed parse, the store's writes, labelling), against
the baseline of reading the same outbox.json whole with the standard library's `json.load`
(parse only, nothing kept) in the same run.
Prints the time against the target (<= 20 s) and the ratio to the baseline.
Usage: python bench/mastodon_archive.py [--statuses 100000]
"""

from __future__ import annotations

import argparse
import json
import shutil
import time
import zipfile

from analyse import verdict
from common import OUT

from convivial.importer import import_files
from convivial.synth_archives import mastodon_archive
from convivial.workspace import Workspace

SECONDS = 20.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--statuses", type=int, default=100_000)
    args = parser.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    archive = OUT / f"mastodon_archive_{args.statuses}.zip"
    if not archive.exists():
        mastodon_archive(archive, args.statuses)
    start = time.perf_counter()
    with zipfile.ZipFile(archive) as z, z.open("outbox.json") as outbox:
        parsed = len(json.load(outbox)["orderedItems"])
    baseline = time.perf_counter() - start
    root = OUT / "mastodon_archive_ws"
    shutil.rmtree(root, ignore_errors=True)
    ws = Workspace(root)
    ws.init([])
    start = time.perf_counter()
    with ws.open_store() as store:
        [result] = import_files(store, "mastodon-archive", [archive])
    took = time.perf_counter() - start
    r = result.record
    print(
        f"{parsed:,} activities ({archive.stat().st_size / 2**20:.0f} MiB zipped):"
        f" import {took:.1f} s ({r.messages_added:,} messages, {r.interactions_added:,}"
        f" interactions, {r.rejects:,} rejects); json.load baseline {baseline:.1f} s;"
        f" import / json.load = {took / baseline:.1f}x;"
        f" target <= {SECONDS:.0f} s: {verdict(took <= SECONDS)}"
    )


if __name__ == "__main__":
    main()
