"""Benchmark: grouping one new report as wire copy, with K other reports in its days.

    .venv/bin/python bench/wire.py --database-url sqlite:////tmp/tw_bench_wire.sqlite3
        [--reset] [--sizes 100,1000,5000] [--copies 3] [--rounds 20]

(PostgreSQL: --database-url postgres://postgres@127.0.0.1:5432/tw_bench_wire, created if
missing.) Prints figures; asserts nothing. What it does:

1. Migrates a scratch database (bench/scratch.py's rules: it refuses one that is not empty
   unless --reset, refuses db.sqlite3, writes to PostgreSQL only on 127.0.0.1 into a
   database named tw_bench*), and stores reports published within the same two weeks, up
   to the largest size: each one's own text (words drawn at random from the seed reports'
   vocabulary, a seeded RNG), with its signature and its bands as the door leaves them
   (articles.pipeline.wire.signature, band_keys) and no group; --copies of them print the
   same story as the new report. They are written in bulk, not through the door: what is
   measured is grouping, not ingesting them.
2. For each size K, with K reports stored, times articles.wire_groups.group for one new
   report (the story, a paragraph moved), rolled back each time, two ways in the same run:
   as the door does it (the candidates are the reports sharing one of its LSH bands) and
   as it was done before the bands were stored (every signature of the window read and
   put in an LSH index: group(..., bands=None), the path a migration from before the
   bands still takes). Medians of --rounds runs, and the SQL queries.
3. Checks both ways find the same copies.
"""

import argparse
import random
import statistics
import sys
import time
from datetime import date, timedelta
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH.parent))
sys.path.insert(0, str(BENCH))

from reports import load_seeds  # noqa: E402
from scratch import empty, machine, open_database  # noqa: E402

DEFAULT_URL = "sqlite:////tmp/tw_bench_wire.sqlite3"
DAY = date(2025, 10, 27)


def paragraphs(rng, vocabulary, count=4, words=70) -> list[str]:
    return [" ".join(rng.choices(vocabulary, k=words)) + "." for _ in range(count)]


def store(count: int, story: list[str], copies: int, vocabulary, rng, outlet, first: int):
    """`count` reports of the window, the first `copies` of them printing `story`."""
    from articles.models import Article, WireBand
    from articles.pipeline.wire import band_keys, signature

    articles, bands = [], []
    for n in range(first, first + count):
        texts = story if n < copies else paragraphs(rng, vocabulary)
        stored = signature(texts)
        body = "\n\n".join(texts)
        articles.append(
            Article(
                outlet=outlet,
                title=f"Report {n}",
                slug=f"report-{n}",
                published=DAY + timedelta(days=rng.randrange(-13, 14)),
                body=body,
                raw_body=body,
                content_hash=f"{n:064d}",
                wire_signature=stored,
            )
        )
        bands.append(band_keys(stored))
    Article.objects.bulk_create(articles, batch_size=500)
    WireBand.objects.bulk_create(
        (
            WireBand(article=a, key=key, published=a.published)
            for a, keys in zip(articles, bands, strict=True)
            for key in keys
        ),
        batch_size=2000,
    )
    return [a.pk for a in articles[:copies]]


def time_group(article, texts, *, banded: bool, rounds: int):
    from django.db import connection, transaction
    from django.test.utils import CaptureQueriesContext

    from articles import wire_groups
    from articles.models import Article, WireBand

    seconds, queries, groups = [], 0, None
    for _ in range(rounds):
        with transaction.atomic():
            with CaptureQueriesContext(connection) as ctx:
                started = time.perf_counter()
                wire_groups.group(article, texts, model=Article, bands=WireBand if banded else None)
                seconds.append(time.perf_counter() - started)
            queries = len(ctx.captured_queries)
            grouped = Article.objects.filter(wire_group=article.wire_group).exclude(pk=article.pk)
            groups = sorted(grouped.values_list("pk", flat=True)) if article.wire_group else []
            transaction.set_rollback(True)
        article.wire_group, article.wire_signature = "", None
    return statistics.median(seconds), queries, groups


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=DEFAULT_URL)
    parser.add_argument("--reset", action="store_true")
    parser.add_argument("--sizes", default="100,1000,5000")
    parser.add_argument("--copies", type=int, default=3)
    parser.add_argument("--rounds", type=int, default=20)
    args = parser.parse_args(argv)
    sizes = sorted(int(s) for s in args.sizes.split(","))
    if not sizes or sizes[0] <= args.copies or sizes[-1] > 50_000:
        parser.error("--sizes run from more than --copies to 50,000")

    config = open_database(args.database_url)
    from django.core.management import call_command
    from django.db import connection

    empty(config, args.reset)
    call_command("migrate", verbosity=0)
    print(f"# {machine(connection.vendor)}", flush=True)

    from articles.models import Article, Outlet

    seeds = load_seeds()
    vocabulary = [w for s in seeds for w in s.report.body.split()]
    rng = random.Random(1)
    story = paragraphs(rng, vocabulary, count=5)
    new_text = [story[0], story[2], story[1], *story[3:]]
    outlet = Outlet.objects.create(name="Bench Desk", slug="bench-desk")
    new = Article.objects.create(
        outlet=outlet,
        title="New",
        slug="new",
        published=DAY,
        body="\n\n".join(new_text),
        raw_body="\n\n".join(new_text),
        content_hash="f" * 64,
    )
    new = Article.objects.select_related("outlet").get(pk=new.pk)

    print(
        f"Grouping one new report ({connection.vendor}): {args.copies} copies of its story "
        f"among K reports of the same two weeks; median of {args.rounds} runs"
    )
    print(
        f"{'K':>7} {'bands ms':>9} {'queries':>8} {'scan ms':>9} {'queries':>8} {'scan/bands':>11}"
    )
    stored, copies = 0, []
    for size in sizes:
        copies += store(
            size - stored, story, args.copies - len(copies), vocabulary, rng, outlet, stored
        )
        stored = size
        banded, banded_q, banded_groups = time_group(new, new_text, banded=True, rounds=args.rounds)
        scan, scan_q, scan_groups = time_group(new, new_text, banded=False, rounds=args.rounds)
        same = "" if banded_groups == scan_groups == sorted(copies) else "  (groups DIFFER)"
        print(
            f"{size:>7,} {1000 * banded:>9.2f} {banded_q:>8} {1000 * scan:>9.2f} {scan_q:>8}"
            f" {scan / banded:>10.1f}x{same}",
            flush=True,
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
