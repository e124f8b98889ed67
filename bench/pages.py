"""Benchmark: what the public pages cost on timelines of 100, 1,000 and 10,000 events.

    .venv/bin/python bench/pages.py [--sizes 100,1000,10000] [--engines sqlite,postgresql]
                                    [--database-url postgres://…@127.0.0.1:5432/tw_bench_pages_{n}]
                                    [--requests 5] [--rebuild] [--explain] [--measured]
                                    [--build-only]

Prints figures; asserts nothing. What it does:

1. Builds, once per size and engine, a scratch database through the documented door,
   `manage.py seed --fixtures DIR` (bench/timelines.py makes DIR: N events copied from the
   curated seed with their dates moved over eight years, each with the seed's accepted
   quotes and history, and the shuffled, re-dated copies of the seed reports they quote).
   SQLite: /tmp/tw_bench_pages/pages_<n>.sqlite3; PostgreSQL:
   postgres://postgres@127.0.0.1:5432/tw_bench_pages_<n> (created from template0). The
   build is kept: a rerun measures what is there; --rebuild builds it again. It refuses
   the project's db.sqlite3, a PostgreSQL host other than 127.0.0.1 and a database whose
   name does not start tw_bench. On this 2-core machine the door builds 1,000 events in
   about a minute on SQLite and a minute and a half on PostgreSQL, 10,000 events in about
   7 and 9 minutes.
2. Measures each database in a fresh Python process, in process with django.test.Client
   (DEBUG off, as in production): for the timeline `/` as a reader gets it, the timeline
   of its busiest month (`/?period=YYYY-MM`), the busiest event's page, the report page
   with the most evidence, the API's event list (`/api/v1/events`), `/timeline.json`, a
   search (`/search/?q=tariffs`), the tariff chart (`/tariffs/`), the coverage grid
   (`/coverage/`), the calendar (`/events.ics`) and the bare view `/health/` (no database):
   - first: the first request of the process (templates compiled, caches empty);
   - cold: the page cache emptied before each request (django.core.cache.cache.clear()),
     the median over --requests requests;
   - cached: the same request again, the median over --requests requests;
   and the SQL queries of each (django.test.utils.CaptureQueriesContext, counted on the
   first request and on one more cached one), and the X-Cache header the page cache
   answers with (hit/miss; "-" when there is none). Cold requests stop after 10 s of them
   (at least one).
3. Prints a table per database and how each figure grows from 100 to 1,000 to 10,000.
4. At 1,000 events: the timeline page's view time, uncached, against rendering the same
   template with the same context already in memory (render_to_string on the captured
   context, whose rows are prefetched: it runs no query, which is counted).
5. With --explain, at the largest size: EXPLAIN (ANALYZE, BUFFERS) on PostgreSQL, EXPLAIN
   QUERY PLAN on SQLite, of the four slowest queries of `/`, of the busiest month and of the
   search, and which tables they scan sequentially and which indexes they use.

Times are time.perf_counter around Client.get (the whole Django stack, middleware
included, no network); the machine and its load are printed first.
"""

import argparse
import json
import os
import platform
import re
import statistics
import sys
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path.insert(0, str(BENCH))

from scratch import check_target, log, run  # noqa: E402
from timelines import URLS, WORK, database_url, ensure_built  # noqa: E402

SIZES = (100, 1_000, 10_000)
ENGINES = ("sqlite", "postgresql")
SLOW = 10.0  # seconds: a page slower than this is requested fewer times
EXPLAIN_TOP = 4  # queries explained per page
DECLARE = re.compile(r"^DECLARE \S+ NO SCROLL CURSOR WITH(?:OUT)? HOLD FOR ")


def child(*args: str, database: str) -> dict:
    """This script's measuring step in a fresh process on `database`: its JSON answer."""
    return json.loads(run(Path(__file__), *args, database=database).stdout)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--sizes", default=",".join(map(str, SIZES)), help="events, comma-separated"
    )
    parser.add_argument("--engines", default=",".join(ENGINES), help="sqlite, postgresql or both")
    parser.add_argument("--requests", type=int, default=5, help="R: requests per median")
    parser.add_argument("--rebuild", action="store_true", help="build the databases again")
    parser.add_argument("--build-only", action="store_true", help="build, measure nothing")
    parser.add_argument(
        "--explain",
        action="store_true",
        help="plans of the slowest queries at the largest size (EXPLAIN ANALYZE on "
        "PostgreSQL, EXPLAIN QUERY PLAN on SQLite)",
    )
    parser.add_argument(
        "--measured",
        action="store_true",
        help="print the figures kept from an earlier run where there are some (each "
        "measurement is kept in /tmp/tw_bench_pages/measured-<engine>-<n>.json)",
    )
    parser.add_argument(
        "--database-url",
        metavar="URL",
        help="where one engine's databases go, {n} standing for the size, e.g. "
        "postgres://postgres@127.0.0.1:5432/tw_bench_pages_{n} (the default) or "
        "sqlite:////tmp/pages_{n}.sqlite3; 127.0.0.1 and names starting tw_bench only",
    )
    args = parser.parse_args(argv)
    if args.database_url:
        if "{n}" not in args.database_url:
            parser.error("--database-url needs {n} where the size goes")
        engine = "sqlite" if args.database_url.startswith("sqlite") else "postgresql"
        check_target(args.database_url.format(n=100))
        URLS[engine] = args.database_url
    sizes = [int(s) for s in args.sizes.split(",")]
    engines = [e for e in args.engines.split(",") if e]
    if not set(engines) <= set(ENGINES) or not all(10 <= n <= 20_000 for n in sizes):
        parser.error("engines: sqlite, postgresql; sizes: 10 to 20,000 events")
    WORK.mkdir(exist_ok=True)
    records = {(e, n): ensure_built(e, n, args.rebuild) for e in engines for n in sizes}
    if args.build_only:
        for (engine, events), record in records.items():
            print(f"{engine} {events}: {json.dumps(record)}")
        return 0

    load = os.getloadavg()[0]
    print(
        f"# {time.strftime('%Y-%m-%d %H:%M %Z')}; {os.cpu_count()} CPUs; Python "
        f"{platform.python_version()}; load average {load:.2f} (1 min) at the start"
    )
    results = {}
    for (engine, events), record in records.items():
        plain = events == 1_000 and engine == engines[0]
        explain = args.explain and events == max(sizes)
        kept = WORK / f"measured-{engine}-{events}.json"
        if args.measured and kept.exists():
            result = json.loads(kept.read_text())
            log(f"{engine} with {events:,} events: figures measured at {result['at']}")
        else:
            log(f"measuring {engine} with {events:,} events ...")
            mode = ["plain" if plain else "-", "explain" if explain else "-"]
            url = database_url(engine, events)
            result = child("measure", str(args.requests), *mode, database=url)
            result["at"] = time.strftime("%Y-%m-%d %H:%M %Z")
            kept.write_text(json.dumps(result))
        results[engine, events] = result
        print_size(engine, events, record, result, args.requests)
    for engine in engines:
        print_growth(engine, sizes, results)
    for (engine, events), result in results.items():
        if result["plain"]:
            print_plain(engine, events, result["plain"])
        if result["explain"]:
            print_explain(engine, events, result["explain"])
    print(f"# load average {os.getloadavg()[0]:.2f} (1 min) at the end")
    return 0


# --- printing --------------------------------------------------------------------------------


def ms(seconds: float) -> str:
    return f"{1000 * seconds:,.1f}" if seconds < 1 else f"{1000 * seconds:,.0f}"


def print_size(engine: str, events: int, record: dict, result: dict, requests: int) -> None:
    counts = ", ".join(f"{n:,} {what}" for what, n in result["counts"].items())
    how = record.get("method", "manage.py seed --fixtures DIR")
    print(f"\n## {engine}, {events:,} events: {counts}")
    print(f"built by {how} in {record['total']:.0f} s ({record['reports']} reports)\n")
    print(
        "| page | status | KB | first ms | cold ms (n) | cached ms "
        "| queries cold / cached | X-Cache cold / repeat |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---|")
    for label, row in result["rows"].items():
        print(
            f"| {label} | {row['status']} | {row['bytes'] / 1024:,.0f} | {ms(row['first'])} "
            f"| {ms(row['cold'])} ({row['cold_n']}) | {ms(row['cached'])} "
            f"| {row['q_cold']} / {row['q_cached']} | {row['x_cache']} |"
        )


def ratio(a: float, b: float) -> str:
    return f"{b / a:.1f}x" if a else "-"


def print_growth(engine: str, sizes: list[int], results: dict) -> None:
    have = [n for n in sizes if (engine, n) in results]
    if len(have) < 2:
        return
    heads = " / ".join(f"{n:,}" for n in have)
    steps = " | ".join(f"x {a:,}→{b:,}" for a, b in zip(have, have[1:], strict=False))
    print(f"\n## {engine}: growth with the number of events ({heads})")
    print(f"| page | cold ms | {steps} | cached ms | queries cold |")
    print("|---|---:|" + "---:|" * (len(have) - 1) + "---:|---:|")
    for label in results[engine, have[0]]["rows"]:
        rows = [results[engine, n]["rows"][label] for n in have]
        cold = [r["cold"] for r in rows]
        grow = " | ".join(ratio(a, b) for a, b in zip(cold, cold[1:], strict=False))
        print(
            f"| {label} | {' / '.join(ms(c) for c in cold)} | {grow} "
            f"| {' / '.join(ms(r['cached']) for r in rows)} "
            f"| {' / '.join(str(r['q_cold']) for r in rows)} |"
        )


def print_plain(engine: str, events: int, plain: dict) -> None:
    print(f"\n## {engine}, {events:,} events: the timeline page against its template alone")
    print(
        f"view, uncached (median): {ms(plain['view'])} ms; render_to_string of the same "
        f"template with the view's context already in memory ({plain['events']} events, "
        f"{plain['render_queries']} queries while rendering): {ms(plain['render'])} ms; "
        f"the view takes {plain['view'] / plain['render']:.1f}x the rendering alone"
    )


SEQ_SCAN = re.compile(
    r"Seq Scan on (\w+)(?: \"?\w+\"?)?\s+\(cost=.*?rows=(\d+).*?"
    r"\(actual time=[\d.]+\.\.([\d.]+) rows=(\d+) loops=(\d+)"
)
INDEX_SCAN = re.compile(r"(Index(?: Only)? Scan|Bitmap Index Scan) (?:using|on) (\w+)")
SQLITE_SCAN = re.compile(r"^\s*SCAN (\w+)(?: AS \w+)?\s*$", re.M)
SQLITE_INDEX = re.compile(r"(?:SCAN|SEARCH) (\w+)(?: AS \w+)? USING (?:COVERING )?INDEX (\w+)")


def print_explain(engine: str, events: int, plans: list[dict]) -> None:
    how = "EXPLAIN (ANALYZE, BUFFERS)" if engine == "postgresql" else "EXPLAIN QUERY PLAN"
    print(f"\n## {engine}, {events:,} events: {how}, the slowest queries of each page")
    for item in plans:
        sql = " ".join(item["sql"].split())
        alone = f"; {item['alone']:.1f} ms run alone" if item.get("alone") is not None else ""
        print(f"\n### {item['page']}: {item['ms']:.1f} ms in the request{alone}")
        print(f"SQL: {sql[:400]}{' …' if len(sql) > 400 else ''}")
        text = "\n".join(item["plan"])
        if engine == "postgresql":
            scans = [
                f"{table} ({int(rows) * int(loops):,} rows out, {float(last):.1f} ms, "
                f"{loops} loop(s))"
                for table, _, last, rows, loops in SEQ_SCAN.findall(text)
            ]
            indexes = sorted({name for _, name in INDEX_SCAN.findall(text)})
        else:
            scans = SQLITE_SCAN.findall(text)
            indexes = sorted({f"{table}.{name}" for table, name in SQLITE_INDEX.findall(text)})
        print("sequential scans: " + (", ".join(scans) or "none"))
        print("indexes used: " + (", ".join(indexes) or "none"))
        print("```")
        for line in item["plan"]:
            print(line)
        print("```")


# --- measuring, in a fresh process on one database ------------------------------------------


def targets() -> list[tuple[str, str]]:
    """(label, path) of the pages measured, the busiest of each kind; /health/ first, so
    that the process's own warm-up (URL resolver, middleware) falls on the bare view."""
    from django.db.models import Count, Q
    from django.db.models.functions import TruncMonth

    from articles.models import Article
    from timeline.models import Event

    accepted = Q(evidence__state="accepted")
    sourced = Event.objects.sourced()
    month = (
        sourced.annotate(month=TruncMonth("start"))
        .values("month")
        .annotate(n=Count("id"))
        .order_by("-n", "month")
        .first()
    )
    event = sourced.annotate(n=Count("evidence", filter=accepted)).order_by("-n", "pk").first()
    report = (
        Article.objects.annotate(
            n=Count("claims__evidence", filter=Q(claims__evidence__state="accepted"))
        )
        .order_by("-n", "pk")
        .only("slug")
        .first()
    )
    busy = f"{month['month']:%Y-%m}"
    return [
        ("/health/ (bare view)", "/health/"),
        ("/ (timeline)", "/"),
        ("/?period=<busiest month>", f"/?period={busy}"),
        ("/events/<busiest>/", event.get_absolute_url()),
        ("/articles/<busiest>/", report.get_absolute_url()),
        ("/api/v1/events", "/api/v1/events"),
        ("/timeline.json", "/timeline.json"),
        ("/search/?q=tariffs", "/search/?q=tariffs"),
        ("/tariffs/ (chart, first rows)", "/tariffs/"),
        ("/coverage/ (first events)", "/coverage/"),
        ("/events.ics (calendar)", "/events.ics"),
    ]


def timed_get(client, path: str):
    start = time.perf_counter()
    response = client.get(path)
    return time.perf_counter() - start, response


def counted_get(client, path: str):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    return len(queries), response, queries.captured_queries


def measure_path(client, path: str, requests: int) -> dict:
    """First, cold (page cache emptied) and cached times and queries of one path.

    The first request's queries are counted (and its time taken with them counted); the
    cold and cached requests are timed without counting. A slow page is requested cold
    fewer times: until `requests` requests or SLOW seconds, at least once.
    """
    from django.core.cache import cache

    cache.clear()
    start = time.perf_counter()
    q_cold, response, _ = counted_get(client, path)
    first = time.perf_counter() - start
    row = {"status": response.status_code, "bytes": len(response.content), "first": first}
    cold = []
    while len(cold) < requests and (not cold or sum(cold) < SLOW):
        cache.clear()
        seconds, response = timed_get(client, path)
        cold.append(seconds)
    cold_cache = response.get("X-Cache", "-")
    cached = [timed_get(client, path)[0] for _ in range(requests)]
    q_cached, response, _ = counted_get(client, path)
    return row | {
        "q_cold": q_cold,
        "q_cached": q_cached,
        "cold": statistics.median(cold),
        "cold_n": len(cold),
        "cached": statistics.median(cached),
        "x_cache": f"{cold_cache}/{response.get('X-Cache', '-')}",
    }


def materialised(context: dict) -> dict:
    """The context with nothing left to query: querysets made lists, and the filter form's
    choices (which a ModelChoiceField reads from the database at every rendering) fixed."""
    from django.db.models import QuerySet

    plain = {}
    for name, value in context.items():
        if isinstance(value, QuerySet):
            value = list(value)
        plain[name] = value
    form = context.get("filters")
    for field in getattr(form, "fields", {}).values():
        if hasattr(field, "queryset"):
            field.choices = list(field.choices)
    return plain


def plain_python(client, requests: int) -> dict:
    """The timeline page uncached against its template rendered from the same context
    already in memory (what the view passed to render, prefetched rows and all, with any
    query left in it run beforehand); the two are timed in turn, so both see the same load
    on a shared machine."""
    from django.core.cache import cache
    from django.db import connection
    from django.template.loader import render_to_string
    from django.test.utils import CaptureQueriesContext

    import timeline.views as views

    captured = {}
    real_render = views.render

    def capture(request, template, context=None, *args, **kwargs):
        captured.update(request=request, template=template, context=context)
        return real_render(request, template, context, *args, **kwargs)

    views.render = capture
    try:
        cache.clear()
        client.get("/")
    finally:
        views.render = real_render
    template, request = captured["template"], captured["request"]
    context = materialised(captured["context"])
    render_to_string(template, context, request)  # as warm as the view's templates
    view, rendered, queries = [], [], 0
    for _ in range(requests):
        cache.clear()
        view.append(timed_get(client, "/")[0])
        with CaptureQueriesContext(connection) as captured_queries:
            start = time.perf_counter()
            render_to_string(template, context, request)
            rendered.append(time.perf_counter() - start)
        queries += len(captured_queries)
    return {
        "view": statistics.median(view),
        "render": statistics.median(rendered),
        "render_queries": queries,
        "events": len(context["events"]),
    }


def explain(client, paths: list[tuple[str, str]]) -> list[dict]:
    """The plans of the slowest queries of each page, uncached: EXPLAIN (ANALYZE, BUFFERS)
    on PostgreSQL, EXPLAIN QUERY PLAN on SQLite (with the query's own time, run alone)."""
    from django.core.cache import cache
    from django.db import connection

    postgresql = connection.vendor == "postgresql"
    plans = []
    for label, path in paths:
        cache.clear()
        _, _, queries = counted_get(client, path)
        if postgresql:
            with connection.cursor() as cursor:
                cursor.execute("SET statement_timeout = 0")  # the web's cap is not for this
        slowest = sorted(queries, key=lambda q: -float(q["time"]))[:EXPLAIN_TOP]
        for q in slowest:
            sql = DECLARE.sub("", q["sql"])  # a server-side cursor's query, as a plain one
            with connection.cursor() as cursor:
                if postgresql:
                    cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql)
                    plan = [row[0] for row in cursor.fetchall()]
                    alone = None
                else:
                    cursor.execute("EXPLAIN QUERY PLAN " + sql)
                    depth = {0: -1}
                    plan = []
                    for node, parent, _, detail in cursor.fetchall():
                        depth[node] = depth.get(parent, -1) + 1
                        plan.append("  " * depth[node] + detail)
                    start = time.perf_counter()
                    cursor.execute(sql)
                    cursor.fetchall()
                    alone = 1000 * (time.perf_counter() - start)
            plans.append(
                {"page": label, "sql": sql, "ms": 1000 * float(q["time"]), "alone": alone}
                | {"plan": plan}
            )
    return plans


def measure(requests: int, plain: bool, with_explain: bool) -> dict:
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from articles.models import Article, Claim
    from timeline.models import Event, Evidence

    call_command("migrate", verbosity=0)  # a build older than the code gets its migrations
    settings.DEBUG = False  # as in production: no query log kept in memory
    paths = targets()
    client = Client()
    rows = {label: {"path": path} | measure_path(client, path, requests) for label, path in paths}
    return {
        "vendor": connection.vendor,
        "counts": {
            "events": Event.objects.count(),
            "on timeline": Event.objects.sourced().count(),
            "reports": Article.objects.count(),
            "claims": Claim.objects.count(),
            "accepted evidence": Evidence.objects.shown().count(),
        },
        "rows": rows,
        "plain": plain_python(client, requests) if plain else None,
        "explain": explain(client, [paths[1], paths[2], paths[-1]]) if with_explain else [],
    }


def inner(argv: list[str]) -> int:
    """The measuring step, run in a child process on DATABASE_URL; it prints JSON."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tradewatch.settings")
    import django

    django.setup()
    step, *rest = argv
    if step != "measure":
        raise SystemExit(f"unknown step {step!r}")
    requests, plain, with_explain = int(rest[0]), rest[1] == "plain", rest[2] == "explain"
    print(json.dumps(measure(requests, plain, with_explain), default=str))
    return 0


if __name__ == "__main__":
    if len(sys.argv) > 1 and not sys.argv[1].startswith("-"):
        sys.exit(inner(sys.argv[1:]))
    sys.exit(main())
