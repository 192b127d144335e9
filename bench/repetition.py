"""Benchmark: near-duplicate detection on 200,000 host posts, against exact all-pairs Jaccard.

Posts: the brands' tweets of the tiled TWCS file (bench/common.py `tiled`; the tiling rewrites the
@ids, so the brands' templated answers are near-duplicates of each other, as real repeated posts
are), the first N in file order. In one process, timed with perf_counter:
- `text.duplicates.earlier_duplicates` (MinHash LSH candidates, confirmed exactly) on all N;
- the baseline: exact Jaccard of every pair of a 5,000-post sample, in plain Python, and
  `earlier_duplicates` on the same sample (the ratio of the two, and their agreement).
Prints the N-post time against the target (<= 30 s), the sample ratio, and what the baseline
would take on all N (pairs grow with N squared). Most tiled posts are copies, which the exact
shingle-set check settles before MinHash; so the same is then timed on texts that are nearly
all distinct: the 33,308 Reddit posts and comments of ../shared/data/reddit cut to a post's
length (280 characters), repeated with a running number appended until there are N.
Usage: python bench/repetition.py [--posts 200000] [--sample 5000] [--copies 560]
"""

from __future__ import annotations

import argparse
import csv
import gzip
import random
import sys
import time
from itertools import islice

from analyse import verdict
from common import SHARED, tiled

from convivial.text.duplicates import THRESHOLD, earlier_duplicates, jaccard, shingles

SECONDS = 30.0


def brand_posts(copies: int, n: int) -> list[str]:
    csv.field_size_limit(sys.maxsize)
    with tiled(copies).open(newline="", encoding="utf-8") as f:
        rows = (r["text"] for r in csv.DictReader(f) if r["inbound"] == "False")
        return list(islice(rows, n))


def distinct_posts(n: int) -> list[str]:
    path = SHARED / "data" / "reddit" / "reddit_college_3subs.csv.gz"
    with gzip.open(path, "rt", newline="", encoding="utf-8") as f:
        texts = [f"{r['title']} {r['text']}"[:280] for r in csv.DictReader(f)]
    return [f"{texts[i % len(texts)]} {i}" for i in range(n)]


def exact_earlier(texts: list[str]) -> list[bool]:
    """Whether each text has an earlier one at Jaccard >= THRESHOLD, comparing every pair."""
    sets = [shingles(t) for t in texts]
    return [
        bool(sets[i]) and any(jaccard(sets[i], sets[j]) >= THRESHOLD for j in range(i))
        for i in range(len(texts))
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=200_000)
    parser.add_argument("--sample", type=int, default=5_000)
    parser.add_argument("--copies", type=int, default=560)
    args = parser.parse_args()
    posts = brand_posts(args.copies, args.posts)
    sample = random.Random(1).sample(posts, args.sample)
    print(f"{len(posts):,} brand posts; sample of {len(sample):,}", flush=True)

    start = time.perf_counter()
    exact = exact_earlier(sample)
    exact_s = time.perf_counter() - start
    start = time.perf_counter()
    ours = [j is not None for j in earlier_duplicates(sample)]
    ours_sample_s = time.perf_counter() - start
    both = sum(a and b for a, b in zip(exact, ours, strict=True))
    print(
        f"sample: exact all pairs {exact_s:.1f} s, MinHash LSH {ours_sample_s:.1f} s,"
        f" exact / MinHash = {exact_s / ours_sample_s:.1f}x; {sum(exact):,} repeats by exact,"
        f" recall {both / max(sum(exact), 1):.3f}, precision {both / max(sum(ours), 1):.3f}",
        flush=True,
    )
    start = time.perf_counter()
    found = sum(j is not None for j in earlier_duplicates(posts))
    took = time.perf_counter() - start
    scale = (len(posts) / len(sample)) ** 2
    print(
        f"all {len(posts):,}: MinHash LSH {took:.1f} s, {found:,} repeats"
        f" (target <= {SECONDS:.0f} s: {verdict(took <= SECONDS)}); exact all pairs would take"
        f" about {exact_s * scale / 3600:.1f} h ({exact_s * scale / took:,.0f}x)"
    )
    distinct = distinct_posts(args.posts)
    start = time.perf_counter()
    found = sum(j is not None for j in earlier_duplicates(distinct))
    took = time.perf_counter() - start
    print(
        f"{len(distinct):,} nearly distinct posts (Reddit): MinHash LSH {took:.1f} s,"
        f" {found:,} repeats (target <= {SECONDS:.0f} s: {verdict(took <= SECONDS)})"
    )


if __name__ == "__main__":
    main()
