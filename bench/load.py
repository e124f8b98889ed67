"""Load test: readers, hostile searchers and ingestion at once, on 127.0.0.1 only.

    .venv/bin/python bench/load.py [--seconds 30] [--readers 4] [--hostile 2]
                                   [--workers 2] [--no-ingest] [--database-url URL]
                                   [--app-dir DIR] [--limit-request-line 8190]

Without --database-url it creates a fresh PostgreSQL database, tw_load_<pid>, on
127.0.0.1:5432 (user postgres; --pg-admin-url to change), migrates and seeds it, and drops
it at the end. A --database-url (loopback or SQLite only) is migrated, seeded and ingested
into, and kept: give it a scratch database.

It starts gunicorn on a free loopback port (DEBUG=true, so no collectstatic) and, for
--seconds:

- readers fetch the timeline, an event page, a report page, /articles/, /coverage/ and a
  normal search (/?q=Busan), round robin;
- hostile searchers send /?q= with 2,000 short words and with one 5,200-character word;
- a background loop ingests new report files (the seed reports with new titles and URLs
  and their paragraphs shuffled) with `manage.py ingest`.

It prints, per path and per group (readers, hostile), requests, errors (a status that is
not 2xx/3xx, or no answer), p50/p90/p99 latency and requests per second, then the ingest
count. Exit status 1 when a reader saw an error.

With --pages it measures instead what the page cache buys (docs/load.md, "Pages"):

    .venv/bin/python bench/load.py --pages [--seconds 15] [--readers 4] [--workers 2]
                                   [--database-url URL] [--redis-url redis://127.0.0.1:6379/7]
                                   [--accept-encoding "gzip, deflate, br"] [--wrk]

readers fetch only the timeline `/` with gunicorn started three times, uncached
(PAGE_CACHE_SECONDS=0), cached in each worker's memory (locmem) and cached in Redis
(REDIS_URL, a dedicated db number, emptied with FLUSHDB first), and then only the bare
view `/health/` (no database, no cache); each phase lasts --seconds (at most 30), after a
second of the same load that is not counted (WARM_UP). It checks
each mode by the X-Cache header of a repeated request (hit when cached, none when not) and
prints requests/s and p50/p90/p99 for each phase, and each as a share of the bare view's.
Last, bench/bytes_app.py (no framework, no database) serves under the same gunicorn command
the very bytes the cached `/` and `/health/` sent: what the transport alone (gunicorn, the
loopback, the load tool) lets a page of that size come to. The readers send the
Accept-Encoding of a browser (so cached pages come gzipped; --accept-encoding "" asks for
them as they are).
A --database-url is used as it is (only migrated, never seeded): e.g. a database
bench/pages.py built, 1,000 events. With --wrk the load comes from wrk (Debian's package
wrk, not installed by the project) instead of Python threads: --readers connections in
two threads. The Python readers take about a core of the two CPUs the server runs on;
wrk far less, so the bare view's rate rises most, and the cached page's ratio to it is
the stricter figure.

Everything is bounded: one address (127.0.0.1), a deadline for every loop, a cap on the
requests of every thread, a timeout on every request and every subprocess; it stops by
itself and cleans up (gunicorn, the database it made, its temporary files).
"""

import argparse
import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

from serving import (  # noqa: E402
    HOST,
    ROOT,
    database_for,
    drop_quietly,
    fetch,
    flush_quietly,
    flush_redis,
    free_port,
    gunicorn,
    log,
    manage,
    start_gunicorn,
    stop,
    wait_until_up,
)
from traffic import WRK, Stats, drive, pct, phase, row, wrk_phase, wrk_version  # noqa: E402

sys.path.insert(0, str(ROOT))
from articles.pipeline.clean import clean  # noqa: E402  (pure: no Django, no database)

APP = ROOT  # the tree served and ingested into (--app-dir); the venv is always ROOT's


MAX_SECONDS = 600  # --seconds is capped here
INGEST_TIMEOUT = 120.0  # seconds, per `manage.py ingest`
MAX_INGESTS = 500


def hostile_targets(rng):
    short = [
        "".join(rng.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(3)) for _ in range(2000)
    ]
    letters = [rng.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(2000)]
    long_word = "".join(rng.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(5200))

    def q(text):
        return "/?" + urllib.parse.urlencode({"q": text})

    paths = [
        ("/?q=<2,000 one-letter words>", q(" ".join(letters))),
        ("/?q=<2,000 three-letter words>", q(" ".join(short))),
        ("/?q=<one 5,200-letter word>", q(long_word)),
    ]
    return [(f"{label} {len(path) / 1000:.1f} KB", path) for label, path in paths]


# --- ingestion --------------------------------------------------------------------------


def variant(source: Path, n: int, rng: random.Random) -> str:
    """The report with a new title and URL and its paragraphs shuffled."""
    head, _, body = source.read_text(encoding="utf-8").partition("\n\n")
    lines = []
    for line in head.splitlines():
        key, _, value = line.partition(":")
        if key == "Title":
            line = f"Title: {value.strip()} (load copy {n})"
        elif key == "URL":
            line = f"URL: https://load-test.invalid/{os.getpid()}/{n}/{source.stem}"
        lines.append(line)
    # The kept paragraphs shuffled, then what cleaning drops, in its order: shuffled in
    # with the rest, a "Leave a Reply" line would take everything after it along.
    cleaned = clean(body)
    paragraphs = [p for p in cleaned.text.split("\n") if p.strip()]
    rng.shuffle(paragraphs)
    dropped = [r.text for r in cleaned.removed]
    return "\n".join(lines) + "\n\n" + "\n\n".join(paragraphs + dropped) + "\n"


def ingest_loop(env, workdir: Path, deadline, result, seed):
    rng = random.Random(seed)
    sources = sorted((APP / "fixtures" / "reports").glob("*.txt"))
    for n in range(1, MAX_INGESTS + 1):
        if time.monotonic() >= deadline:
            return
        path = workdir / f"load_{n:04d}.txt"
        path.write_text(variant(sources[n % len(sources)], n, rng), encoding="utf-8")
        started = time.perf_counter()
        try:
            done = manage(
                env,
                "ingest",
                str(path),
                timeout=min(INGEST_TIMEOUT, max(5.0, deadline - time.monotonic() + 30)),
                check=False,
                app=APP,
            )
            ok = done.returncode == 0 and "1 created" in done.stdout
            if not ok:
                said = [line for line in done.stderr.splitlines() if path.name in line]
                why = said[0] if said else (done.stderr or done.stdout).strip()[-300:]
                result["failures"].append((path.name, why.replace(str(path), path.name)[:300]))
        except subprocess.TimeoutExpired:
            ok = False
            result["failures"].append((path.name, "timed out"))
        result["seconds"].append(time.perf_counter() - started)
        result["ok" if ok else "failed"] += 1


# --- report -----------------------------------------------------------------------------


def report(stats: Stats, elapsed: float, groups) -> None:
    header = (
        f"  {'path':<44} {'reqs':>6} {'errors':>6} {'p50 ms':>8} {'p90 ms':>8} "
        f"{'p99 ms':>8} {'req/s':>7}"
    )
    for group, labels in groups:
        if not any(stats.samples.get((group, label)) for label in labels):
            continue
        print(f"\n{group}")
        print(header)
        everything, errs = [], 0
        for label in labels:
            values = stats.samples.get((group, label), [])
            everything += values
            errs += stats.errors[group, label]
            print(row(label, values, stats.errors[group, label], elapsed))
        print(row("all", everything, errs, elapsed))
        for label in labels:
            odd = {
                s: n
                for s, n in stats.statuses[group, label].items()
                if not (isinstance(s, int) and 200 <= s < 400)
            }
            if odd:
                print(
                    f"    {label}: "
                    + ", ".join(f"{s}×{n}" for s, n in sorted(odd.items(), key=str))
                )


# --- pages: the page cache against no cache, beside the bare view -----------------------------

MAX_PAGES_PHASE = 30.0  # seconds: the --pages phases are capped here
# Seconds of load before each --pages phase, not counted. A new worker's first requests
# render and store the page and set its long-lived objects aside (gunicorn.conf.py); wrk
# counted a phase that began with them with latencies that add up to more time than its
# connections had (a p99 of 110-250 ms for a cached page whose slowest request, warm, is
# under 6 ms).
WARM_UP = 1.0
CACHE_MODES = (
    # (label, PAGE_CACHE_SECONDS, uses Redis)
    ("uncached (PAGE_CACHE_SECONDS=0)", "0", False),
    ("cached, locmem (each worker its own)", "600", False),
    ("cached, Redis (shared)", "600", True),
)


def x_cache(port: int, path: str) -> str:
    """The X-Cache header of one GET ("-" when there is none)."""
    response, _ = fetch(port, path)
    return response.getheader("X-Cache") or "-"


def keep_answers(port: int, headers: dict, folder: Path) -> None:
    """The bytes `/` and `/health/` answer a reader with, and their type and encoding, in
    `folder` for bench/bytes_app.py."""
    folder.mkdir(exist_ok=True)
    for name, path in (("page", "/"), ("bare", "/health/")):
        response, body = fetch(port, path, headers=headers)
        (folder / f"{name}.body").write_bytes(body)
        kept = ("Content-Type", "Content-Encoding")
        said = {h: response.getheader(h) for h in kept if response.getheader(h)}
        (folder / f"{name}.json").write_text(json.dumps(said))


def share(part: float, whole: float) -> str:
    ratio = part / whole
    return f"{ratio:.2f}" if ratio >= 0.1 else f"{ratio:.3f}"


def pages_main(args, workdir: Path) -> int:
    """The --pages mode: `/` uncached, cached (locmem), cached (Redis), then `/health/`."""
    seconds = max(1.0, min(args.seconds, MAX_PAGES_PHASE))
    readers = max(1, min(args.readers, 64))
    # What a browser sends; --accept-encoding "" for clients that take no compression.
    headers = {"Accept-Encoding": args.accept_encoding} if args.accept_encoding else {}
    created_db = None
    try:
        database_url, created_db = database_for(args)
        flush_redis(args.redis_url)
        base = os.environ | {
            "DATABASE_URL": database_url,
            # As in production: no query log, no debug pages; plain HTTP on loopback.
            "DEBUG": "false",
            "SECRET_KEY": "load-test-only-" + os.urandom(16).hex(),
            "SECURE_SSL_REDIRECT": "false",
            "SECURE_COOKIES": "false",
            "ALLOWED_HOSTS": HOST,
            "LOG_LEVEL": "ERROR",
        }
        base.pop("REDIS_URL", None)
        started = time.perf_counter()
        manage(base, "migrate", "--noinput", timeout=600, app=APP)
        if created_db:
            manage(base, "seed", timeout=600, app=APP)
        log(f"database ready in {time.perf_counter() - started:.1f} s")

        results = []
        load = wrk_phase if args.wrk else phase  # the same call, the load from either

        def measure(port, path, readers, seconds):
            """A phase on one path, after WARM_UP seconds of the same load not counted."""
            load(port, path, path, readers, WARM_UP, headers)
            return load(port, path, path, readers, seconds, headers)

        load_before = os.getloadavg()[0]
        for label, cache_seconds, redis in CACHE_MODES:
            env = base | {"PAGE_CACHE_SECONDS": cache_seconds}
            if redis:
                env["REDIS_URL"] = args.redis_url
            output = workdir / f"gunicorn-{cache_seconds}-{redis}.log"
            with gunicorn(env, args.workers, args.limit_request_line, output, app=APP) as port:
                seen = [x_cache(port, "/") for _ in range(2 * args.workers)]
                log(f"{label}: X-Cache of {len(seen)} requests: {' '.join(seen)}")
                results.append((f"/ {label}", measure(port, "/", readers, seconds), seen[-1]))
                if redis:
                    bare = measure(port, "/health/", readers, seconds)
                    results.append(("/health/ (bare view)", bare, "-"))
                    keep_answers(port, headers, workdir / "bytes")

        # The same bytes from an app that does nothing else (bench/bytes_app.py): how far
        # the transport alone lets a page of this size come to the bare view's answer.
        env = base | {"BENCH_BYTES_DIR": str(workdir / "bytes")}
        output = workdir / "gunicorn-bytes.log"
        with gunicorn(
            env, args.workers, args.limit_request_line, output, app=BENCH, module="bytes_app"
        ) as port:
            for label, path in (
                ("the same page, no Django", "/"),
                ("the same bare answer, no Django", "/health/"),
            ):
                results.append((label, measure(port, path, readers, seconds), "-"))

        print(
            f"{time.strftime('%Y-%m-%d %H:%M %Z')}, {os.cpu_count()} CPUs, load average "
            f"{load_before:.2f} before, {os.getloadavg()[0]:.2f} after (1 min)"
        )
        engine = "PostgreSQL" if "postgres" in database_url else "SQLite"
        print(
            f"TradeWatch pages: {seconds:.0f} s a phase, {readers} readers, gunicorn -w "
            f"{args.workers} (sync), DEBUG off, {engine}"
            + (f" ({args.database_url})" if args.database_url else ", the seed")
            + f"; readers send Accept-Encoding: {args.accept_encoding or '(none)'}"
            + (f"; load from {wrk_version()}" if args.wrk else "; load from Python threads")
        )
        print(
            f"\n  {'phase':<44} {'reqs':>6} {'errors':>6} {'p50 ms':>8} {'p90 ms':>8} "
            f"{'p99 ms':>8} {'req/s':>7}  X-Cache"
        )
        errors = 0
        for label, measured, seen in results:
            errors += measured.errors
            print(measured.row(label) + f"  {seen}")
            if measured.errors and measured.statuses:
                print(f"    statuses: {measured.statuses}")
        rates = {label: measured.rate for label, measured, _ in results}
        bare = rates["/health/ (bare view)"]
        page, small = rates["the same page, no Django"], rates["the same bare answer, no Django"]
        redis = f"/ {CACHE_MODES[-1][0]}"
        print("\n  requests/s as a share of the bare view's:")
        for label, _, _ in results[:3]:
            print(f"    {label}: {share(rates[label], bare)}")
        print(
            "  the same bytes without TradeWatch (bench/bytes_app.py):\n"
            f"    the page ÷ the bare answer: {share(page, small)} (what the transport "
            "allows a page of this size)\n"
            f"    TradeWatch ÷ the same bytes without it: the cached page (Redis) "
            f"{share(rates[redis], page)}, the bare view {share(bare, small)}"
        )
        print(f"\nreaders saw {errors} error(s)")
        return 1 if errors else 0
    finally:
        flush_quietly(args.redis_url)
        if created_db:
            drop_quietly(args.pg_admin_url, created_db)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--readers", type=int, default=4, help="reader threads")
    parser.add_argument("--hostile", type=int, default=2, help="hostile searcher threads")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    parser.add_argument("--no-ingest", action="store_true", help="no background ingestion")
    parser.add_argument(
        "--limit-request-line",
        type=int,
        default=8190,
        help="gunicorn's cap on the request line (its default is 4094; 8190 is its maximum "
        "short of unlimited) — 8190 lets the 8 KB hostile queries reach Django",
    )
    parser.add_argument("--database-url", help="use this (loopback) database as it is")
    parser.add_argument(
        "--app-dir",
        type=Path,
        default=ROOT,
        help="serve another copy of the project (e.g. `git archive HEAD` unpacked) with "
        "this one's .venv, to compare versions",
    )
    parser.add_argument(
        "--pg-admin-url",
        default="postgres://postgres@127.0.0.1:5432/postgres",
        help="where to create and drop tw_load_<pid>",
    )
    parser.add_argument(
        "--pages",
        action="store_true",
        help="the timeline uncached, cached (locmem) and cached (Redis), and /health/",
    )
    parser.add_argument(
        "--accept-encoding",
        default="gzip, deflate, br",
        help="--pages: the Accept-Encoding the readers send, as a browser does "
        '(default "%(default)s"; "" for none)',
    )
    parser.add_argument(
        "--wrk",
        action="store_true",
        help="--pages: load from wrk (Debian's package wrk), --readers connections in two "
        "threads, instead of Python reader threads, which take about a core of the two "
        "the server runs on",
    )
    parser.add_argument(
        "--redis-url",
        default="redis://127.0.0.1:6379/7",
        help="--pages: the Redis database to cache in (emptied first and last)",
    )
    args = parser.parse_args(argv)
    global APP
    APP = args.app_dir.resolve()
    if not (APP / "manage.py").is_file():
        raise SystemExit(f"{APP} has no manage.py")
    seconds = max(1.0, min(args.seconds, MAX_SECONDS))
    readers = max(1, min(args.readers, 64))
    hostile = max(0, min(args.hostile, 16))

    if args.wrk and not (args.pages and shutil.which(WRK)):
        parser.error("--wrk goes with --pages, and needs wrk on the PATH (apt-get install wrk)")
    if args.pages:
        workdir = Path(tempfile.mkdtemp(prefix="tw_load_"))
        try:
            return pages_main(args, workdir)
        finally:
            shutil.rmtree(workdir, ignore_errors=True)

    workdir = Path(tempfile.mkdtemp(prefix="tw_load_"))
    created_db = None
    try:
        database_url, created_db = database_for(args)
        env = os.environ | {
            "DATABASE_URL": database_url,
            "DEBUG": "true",
            "ALLOWED_HOSTS": HOST,
            "LOG_LEVEL": "ERROR",
        }
        env.pop("REDIS_URL", None)
        started = time.perf_counter()
        manage(env, "migrate", "--noinput", app=APP)
        manage(env, "seed", app=APP)
        log(f"migrated and seeded in {time.perf_counter() - started:.1f} s")

        port = free_port()
        server_log = (workdir / "gunicorn.log").open("w")
        server = start_gunicorn(
            env, port, args.workers, args.limit_request_line, server_log, app=APP
        )
        home = wait_until_up(port, server).decode()
        event = re.search(r'href="(/events/[\w-]+/)"', home)
        article = re.search(r'href="(/articles/[\w-]+/)', home)
        if not (event and article):
            raise SystemExit("the timeline links no event or no report: nothing to read")
        readers_targets = [
            ("/", "/"),
            ("/events/<slug>/", event.group(1)),
            ("/articles/<slug>/", article.group(1)),
            ("/articles/", "/articles/"),
            ("/coverage/", "/coverage/"),
            ("/?q=Busan", "/?q=Busan"),
        ]
        hostile_list = hostile_targets(random.Random(1))
        log(
            f"gunicorn -w {args.workers} on {HOST}:{port}; {readers} readers, {hostile} hostile "
            f"searchers, ingest {'off' if args.no_ingest else 'on'}, for {seconds:.0f} s"
        )

        load_before = os.getloadavg()[0]
        stats = Stats()
        ingest = {"ok": 0, "failed": 0, "seconds": [], "failures": []}
        begin = time.monotonic()
        deadline = begin + seconds
        threads = [
            threading.Thread(
                target=drive, args=(port, "readers", readers_targets, stats, deadline, i)
            )
            for i in range(readers)
        ] + [
            threading.Thread(
                target=drive, args=(port, "hostile", hostile_list, stats, deadline, 100 + i)
            )
            for i in range(hostile)
        ]
        if not args.no_ingest:
            threads.append(
                threading.Thread(target=ingest_loop, args=(env, workdir, deadline, ingest, 7))
            )
        for t in threads:
            t.daemon = True
            t.start()
        # An in-flight request or ingest may run past the deadline, never past its timeout.
        give_up = deadline + INGEST_TIMEOUT + 5
        for t in threads:
            t.join(timeout=max(0.0, give_up - time.monotonic()))
        elapsed = time.monotonic() - begin

        print(
            f"{time.strftime('%Y-%m-%d %H:%M %Z')}, {os.cpu_count()} CPUs, load average "
            f"{load_before:.2f} before, {os.getloadavg()[0]:.2f} after (1 min)"
        )
        print(
            f"TradeWatch load test: {seconds:.0f} s, {readers} readers, {hostile} hostile "
            f"searchers, gunicorn -w {args.workers} (sync), "
            f"{'PostgreSQL' if 'postgres' in database_url else 'SQLite'}; "
            f"measured over {elapsed:.1f} s"
        )
        report(
            stats,
            elapsed,
            [
                ("readers", [label for label, _ in readers_targets]),
                ("hostile", [label for label, _ in hostile_list]),
            ],
        )
        if not args.no_ingest:
            took = sorted(ingest["seconds"])
            print(
                f"\ningest: {ingest['ok']} reports ingested, {ingest['failed']} failed"
                + (
                    f"; per `manage.py ingest` run p50 {pct(took, 50):.2f} s, max {took[-1]:.2f} s"
                    if took
                    else ""
                )
            )
            for name, why in ingest["failures"][:5]:
                print(f"  {name}: {why}")
        server_log.flush()
        timeouts = (workdir / "gunicorn.log").read_text(errors="replace").count("WORKER TIMEOUT")
        print(f"gunicorn worker timeouts (worker killed after 30 s): {timeouts}")
        reader_errors = sum(n for (group, _), n in stats.errors.items() if group == "readers")
        print(f"\nreaders saw {reader_errors} error(s)")
        return 1 if reader_errors else 0
    finally:
        if server is not None:
            stop(server)
        if created_db:
            drop_quietly(args.pg_admin_url, created_db)
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
