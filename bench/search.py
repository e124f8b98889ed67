"""Search on 10,000 claims: timings on each database, and the plan of the claim query.

    .venv/bin/python bench/search.py \\
        --database-url sqlite:////tmp/tw_bench_search.sqlite3 \\
        --database-url postgres://postgres@127.0.0.1:5432/tw_search

Every --database-url is a scratch database (SQLite, or PostgreSQL on 127.0.0.1): it is
migrated, EMPTIED (flush) and filled by bulk inserts with --claims claims (10,000 by
default: 500 reports of 20 quoted sentences and 10 other paragraphs, 20 outlets, 100
events on the timeline with 10 accepted quotes each). Then, for "a", "t", "soybeans",
"rare earth", a 200-character query and a 10,000-character one, it prints the time of
timeline.search.search() (best, median, worst of --repeat runs), its SQL queries and its
total, the time of the /search/ page, and the EXPLAIN ANALYZE of the claim query (on
SQLite, EXPLAIN QUERY PLAN). Not part of the test suite: performance is measured here,
never asserted with wall-clock limits in tests.
"""

import argparse
import hashlib
import os
import random
import statistics
import subprocess
import sys
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
LOOPBACK = {"127.0.0.1", "localhost", "::1"}
CHILD_TIMEOUT = 900  # seconds, per database

LONG_QUERY = (
    "China agreed to resume purchases of soybeans and to pause rare earth export controls "
    "after talks in Kuala Lumpur, while Washington suspended port fees and the hundred "
    "percent tariff threat for one year."
)[:200]
QUERIES = ["a", "t", "soybeans", "rare earth", LONG_QUERY, "x" * 10_000]

SUBJECTS = [
    "Beijing",
    "Washington",
    "Negotiators",
    "The commerce ministry",
    "Treasury Secretary Scott Bessent",
    "Vice Premier He Lifeng",
    "Trade representative Jamieson Greer",
    "Officials in Geneva",
    "Analysts in Singapore",
    "Farm groups",
]
VERBS = [
    "said on October {d}",
    "announced on November {d}",
    "agreed on Sunday",
    "warned on Friday",
    "confirmed on September {d}",
    "expected by December {d}",
]
OBJECTS = [
    "that purchases of U.S. soybeans would resume within weeks",
    "new export controls on rare earth magnets and processing equipment",
    "tariffs of {n}% on electric vehicles and batteries",
    "a one-year pause of the port fees on Chinese ships",
    "a further round of talks in Kuala Lumpur",
    "the removal of fentanyl-related duties of {n}%",
    "a 90-day extension of the truce",
    "licences for advanced chip exports",
    "a framework for sorghum and timber purchases",
    "a review of the entity list affiliates rule",
]
FILLER = (
    "markets currency exporters shipping container freight inflation growth forecast "
    "manufacturers suppliers retailers consumers factories investment securities bond yields "
    "semiconductors magnets lithium graphite gallium germanium antimony tungsten harbour "
    "cargo vessel logistics warehouse customs clearance quota licence exemption"
).split()


def check_url(url: str) -> None:
    parsed = urllib.parse.urlsplit(url)
    if parsed.scheme.startswith("sqlite"):
        return
    if not parsed.scheme.startswith("postgres") or (parsed.hostname or "") not in LOOPBACK:
        raise SystemExit(f"refusing {url!r}: SQLite, or PostgreSQL on 127.0.0.1, only")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", action="append", required=True)
    parser.add_argument("--claims", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    args.claims = max(20, min(args.claims, 200_000))
    args.repeat = max(1, min(args.repeat, 50))
    for url in args.database_url:
        check_url(url)
    if args.child:
        run(args.claims, args.repeat)
        return
    for url in args.database_url:
        # One process per database: Django reads DATABASE_URL once, at start-up.
        subprocess.run(
            [
                sys.executable,
                __file__,
                "--child",
                "--database-url",
                url,
                "--claims",
                str(args.claims),
                "--repeat",
                str(args.repeat),
            ],
            env={**os.environ, "DATABASE_URL": url, "DEBUG": "true"},
            check=True,
            timeout=CHILD_TIMEOUT,
        )


# --- in the child: one database ----------------------------------------------------------------


def run(claims: int, repeat: int) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tradewatch.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    print(f"\n=== {connection.vendor}: {connection.settings_dict['NAME']}", flush=True)
    call_command("migrate", verbosity=0)
    call_command("flush", interactive=False, verbosity=0)
    started = time.perf_counter()
    build(claims)
    print(f"built {claims} claims in {time.perf_counter() - started:.1f} s", flush=True)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    measure(repeat)
    explain()


def build(claims: int) -> None:
    from datetime import date, timedelta

    from django.db import transaction

    from articles.models import Article, Claim, Outlet, Passage
    from timeline.models import Event, Evidence

    rng = random.Random(2025)
    per_report, others = 20, 10
    reports = max(1, claims // per_report)

    def sentence() -> str:
        text = (
            f"{rng.choice(SUBJECTS)} {rng.choice(VERBS)} {rng.choice(OBJECTS)}, "
            f"citing shipment {rng.randrange(10**6)} and "
            f"{' '.join(rng.sample(FILLER, 3))}."
        )
        return text.format(d=rng.randrange(1, 29), n=rng.choice([10, 20, 34, 57, 100]))

    def filler() -> str:
        return " ".join(rng.choice(FILLER) for _ in range(60)).capitalize() + "."

    with transaction.atomic():
        outlets = Outlet.objects.bulk_create(
            Outlet(name=f"Bench Outlet {n}", slug=f"bench-outlet-{n}") for n in range(20)
        )
        bodies, articles = [], []
        for n in range(reports):
            paragraphs = [sentence() for _ in range(per_report)] + [filler() for _ in range(others)]
            rng.shuffle(paragraphs)
            body = "\n\n".join(paragraphs)
            bodies.append(paragraphs)
            articles.append(
                Article(
                    outlet=outlets[n % len(outlets)],
                    title=f"Trade talks, day {n}: {sentence()[:80]}",
                    slug=f"bench-report-{n}",
                    published=date(2025, 4, 1) + timedelta(days=n % 240),
                    body=body,
                    raw_body=body,
                    content_hash=hashlib.sha256(body.encode()).hexdigest(),
                )
            )
        articles = Article.objects.bulk_create(articles)
        passages = []
        for article, paragraphs in zip(articles, bodies, strict=True):
            pos = 0
            for position, text in enumerate(paragraphs, start=1):
                passages.append(
                    Passage(
                        article=article,
                        position=position,
                        text=text,
                        start=pos,
                        end=pos + len(text),
                    )
                )
                pos += len(text) + 2
        passages = Passage.objects.bulk_create(passages, batch_size=2000)
        quoted = [p for p in passages if "citing shipment" in p.text]
        claim_rows = Claim.objects.bulk_create(
            (
                Claim(
                    article_id=p.article_id,
                    passage=p,
                    sentence=p.text,
                    start=p.start,
                    end=p.end,
                    sentence_hash=hashlib.sha256(p.text.encode()).hexdigest(),
                )
                for p in quoted
            ),
            batch_size=2000,
        )
        events = Event.objects.bulk_create(
            Event(
                title=f"Bench event {n}: {rng.choice(OBJECTS).format(n=n)}",
                slug=f"bench-event-{n}",
                start=date(2025, 4, 1) + timedelta(days=2 * n),
                place=rng.choice(["Geneva", "Kuala Lumpur", "Busan", "London", ""]),
                summary=sentence(),
            )
            for n in range(100)
        )
        Evidence.objects.bulk_create(
            (
                Evidence(event=event, claim=claim, state=Evidence.State.ACCEPTED)
                for event in events
                for claim in rng.sample(claim_rows, 10)
            ),
            batch_size=2000,
            ignore_conflicts=True,
        )


def measure(repeat: int) -> None:
    from django.conf import settings
    from django.db import connection, reset_queries
    from django.test import Client

    from timeline.search import search

    settings.DEBUG = True  # keeps connection.queries, to count them
    client = Client()
    print(
        f"{'query':<24} {'best':>8} {'median':>8} {'worst':>8} {'page':>8} {'SQL':>4} {'total':>6}"
    )
    for q in QUERIES:
        times = []
        for _ in range(repeat):
            reset_queries()
            started = time.perf_counter()
            results = search(q)
            times.append((time.perf_counter() - started) * 1000)
        # The queries of the last run, less PostgreSQL's one-off type look-ups on connecting.
        queries = [x for x in connection.queries if "pg_type" not in x["sql"]]
        started = time.perf_counter()
        status = client.get("/search/", {"q": q}).status_code
        page = (time.perf_counter() - started) * 1000
        assert status == 200, status
        label = q if len(q) <= 22 else f"{q[:12]}… ({len(q)} ch)"
        print(
            f"{label:<24} {min(times):>6.1f}ms {statistics.median(times):>6.1f}ms "
            f"{max(times):>6.1f}ms {page:>6.1f}ms {len(queries):>4} {results.total:>6}",
            flush=True,
        )


def explain() -> None:
    from django.db import connection

    from articles.search import search_words
    from timeline.search import backend_for, count_query, page_query

    for q in ["soybeans", "a"]:
        backend = backend_for(search_words(q).words)
        claims, rank = backend.branches()[1], backend.ranks()[1]
        claim_page = claims.annotate(hit_rank=rank).order_by("-hit_rank", "pk")[:20]
        options = {"analyze": True, "buffers": True} if connection.vendor == "postgresql" else {}
        print(f"\n--- EXPLAIN of the claim query for {q!r} (ranked, first 20)")
        print(claim_page.values_list("pk", "hit_rank").explain(**options))
        if q == "soybeans":
            print(f"\n--- EXPLAIN of the count query for {q!r}")
            print(count_query(backend).explain(**options))
            print(f"\n--- EXPLAIN of the ranked page (all kinds) for {q!r}")
            print(page_query(backend)[:20].explain(**options))


if __name__ == "__main__":
    main()
