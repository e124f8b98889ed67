"""Timelines of N events for the page benchmarks: a seed directory of N events, built into
a scratch database through `manage.py seed --fixtures DIR` (ensure_built, once per size and
engine, kept under /tmp/tw_bench_pages for the next run).

A timeline of N events is made from the curated seed (fixtures/timeline.json, seven events)
and the five seed reports (fixtures/reports), in copies:

- copy c of the seven events is the seed's events with every date (start, end, the days
  of their history) shifted by k_c weeks, k_c spread evenly from +56 weeks (late 2026)
  back to -364 weeks (late 2018), so the timeline spans eight years and grows denser, not
  longer, with N; each copy has slugs and titles of its own;
- the reports come in sets of five, one shuffled copy of each seed report (made by
  bench/reports.py's make_reports: paragraphs shuffled, a title, outlet and URL of its
  own), published at the set's shift (never after today); a set serves up to
  ceil(copies / 208) neighbouring copies of the events (about two weeks of them), so
  100 events have 75 reports, 1,000 have 715 and 10,000 have 1,025;
- each event's curated evidence and history quote the same sentences as the seed's,
  in its set's copies of the reports: 24 quotes for every seven events, each accepted by
  the seed.

The database is built with the commands an administrator would run: `manage.py migrate`,
then `manage.py seed --fixtures DIR/archive` (the outlets and the reports, no events: an
archive loaded first), then `manage.py seed --fixtures DIR` (the events, their accepted
evidence and history; the reports are already in). Loading the reports before the events
keeps the build linear: ingesting a report links it against every event there is, so
ingesting 1,025 reports into a timeline of 10,000 events would cost minutes more and
leave suggestions the pages never show.

Where the door is too slow for the time there is, two other ways are offered and said so
in the build record: a PostgreSQL database filled from the SQLite build of its size
(copy_from_sqlite: every table copied row for row), and a large timeline made from a
smaller one, its events, evidence and history copied in SQL (amplify).
"""

import json
import math
import os
import random
import re
import shutil
import sys
import time
import urllib.parse
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from reports import OUTLETS, load_seeds, make_reports, report_file  # noqa: E402
from scratch import ROOT, check_target, drop, ensure_postgres_database, log, run  # noqa: E402

SEED_EVENTS = 7
NEWEST_SHIFT = 56  # weeks after the seed: copy 0's events end in December 2026
SPAN_WEEKS = 420  # back to late 2018
MAX_SETS = 208  # report sets over the span: one every two weeks at most


def today() -> date:
    """Today as the project sees it (TRADEWATCH_TODAY, when pinned)."""
    pinned = os.environ.get("TRADEWATCH_TODAY", "")
    return date.fromisoformat(pinned) if pinned else date.today()


def shift_of(copy: int, copies: int) -> int:
    """Weeks by which copy `copy` of the events is moved: +56 for the first, -364 for the
    last, evenly between."""
    return NEWEST_SHIFT - round(copy * SPAN_WEEKS / max(copies - 1, 1))


def moved(day: str | None, weeks: int) -> str | None:
    return (date.fromisoformat(day) + timedelta(weeks=weeks)).isoformat() if day else None


def key_of(report) -> str:
    """How curated evidence names a report: its URL, or its title when it has none."""
    return report.url or report.title


def copy_event(row: dict, copy: int, weeks: int, reports: dict[str, dict]) -> dict:
    """One seed event moved by `weeks`, quoting its report set's copies (`reports`, by the
    seed report's key)."""
    start = date.fromisoformat(row["start"]) + timedelta(weeks=weeks)
    event = dict(row)
    event["slug"] = f"{row['slug']}-{copy + 1}"
    event["title"] = f"{row['title']} ({start:%b %Y}, #{copy + 1})"
    event["start"] = start.isoformat()
    if row.get("end"):
        event["end"] = moved(row["end"], weeks)

    def quote(item: dict) -> dict:
        copied = dict(item)
        new = reports[item["article"]]
        copied["article"] = new["url"] or new["title"]
        return copied

    event["evidence"] = [quote(item) for item in row.get("evidence", [])]
    event["history"] = [
        step
        | {
            "effective": moved(step["effective"], weeks),
            "quotes": list(map(quote, step.get("quotes", []))),
        }
        | ({"new_date": moved(step["new_date"], weeks)} if step.get("new_date") else {})
        for step in row.get("history", [])
    ]
    return event


def write_fixtures(events: int, directory: Path, seed: int = 1) -> dict:
    """Write DIR/timeline.json (N events), DIR/reports/*.txt and DIR/archive/ (the same
    outlets and reports, no events); returns counts for the record."""
    curated = json.loads((ROOT / "fixtures" / "timeline.json").read_text(encoding="utf-8"))
    seeds = load_seeds()
    copies = math.ceil(events / SEED_EVENTS)
    per_set = math.ceil(copies / MAX_SETS)
    sets = math.ceil(copies / per_set)
    rng = random.Random(seed)
    newest = today()
    reports = make_reports(seeds, len(seeds) * sets, rng, newest)
    # make_reports numbers report n from seed n % 5, so each run of five is one set.
    by_set = []
    for s in range(sets):
        weeks = shift_of(min(s * per_set + per_set // 2, copies - 1), copies)
        chunk = {}
        for report in reports[s * len(seeds) : (s + 1) * len(seeds)]:
            base = next(seed for seed in seeds if report["source_name"].endswith(seed.path.name))
            published = base.report.published + timedelta(weeks=weeks)
            report["published"] = min(published, newest)
            report["published_note"] = f"the seed's date shifted {weeks:+d} weeks"
            chunk[key_of(base.report)] = report
        by_set.append(chunk)

    rows = []
    for c in range(copies):
        weeks = shift_of(c, copies)
        for row in curated["events"]:
            if len(rows) < events:
                rows.append(copy_event(row, c, weeks, by_set[c // per_set]))

    outlets = curated["outlets"] + [
        {"name": name, "kind": "newspaper", "homepage": ""} for name in OUTLETS
    ]
    (directory / "reports").mkdir(parents=True, exist_ok=True)
    for n, report in enumerate(reports, start=1):
        text = report_file(report)
        (directory / "reports" / f"{n:05d}_{report['source_name']}").write_text(text, "utf-8")
    about = f"{events} events in {copies} copies of the seed's, {len(reports)} reports"
    timeline = {"about": about, "outlets": outlets, "events": rows}
    (directory / "timeline.json").write_text(json.dumps(timeline, indent=1), encoding="utf-8")
    archive = directory / "archive"
    archive.mkdir(exist_ok=True)
    (archive / "timeline.json").write_text(
        json.dumps({"about": "the outlets only", "outlets": outlets, "events": []}), "utf-8"
    )
    if not (archive / "reports").exists():
        (archive / "reports").symlink_to(directory / "reports")
    quotes = sum(len(r["evidence"]) for r in rows)
    return {"events": len(rows), "reports": len(reports), "quotes": quotes, "copies": copies}


def manage(database_url: str, *args: str, timeout: float = 3600.0):
    """Run one manage.py command on the given database; raise with its output if it fails."""
    return run(ROOT / "manage.py", *args, database=database_url, timeout=timeout)


def child(step: str, *args: str, database: str) -> dict:
    """One of this module's steps (below) in a fresh process on `database`: its JSON answer."""
    return json.loads(run(Path(__file__), step, *args, database=database).stdout)


def build_database(database_url: str, directory: Path) -> dict:
    """Migrate the database and seed it from `directory` (archive first, then the
    timeline), and on PostgreSQL analyse it: seconds per step, and what the seed could not
    apply."""
    times = {}
    start = time.perf_counter()
    manage(database_url, "migrate", "--noinput")
    times["migrate"] = time.perf_counter() - start
    start = time.perf_counter()
    manage(database_url, "seed", "--fixtures", str(directory / "archive"))
    times["seed reports"] = time.perf_counter() - start
    start = time.perf_counter()
    done = manage(database_url, "seed", "--fixtures", str(directory))
    times["seed events"] = time.perf_counter() - start
    if database_url.startswith("postgres"):
        # The planner's statistics, as autovacuum leaves them once it has caught up with
        # the build (the seed accepts the curated evidence in one transaction at its end).
        import psycopg

        with psycopg.connect(database_url, autocommit=True) as conn:
            conn.execute("ANALYZE")
    skipped = [line for line in done.stderr.splitlines() if "not applied" in line]
    return {"seconds": times, "skipped": skipped, "said": done.stdout.strip().splitlines()[-1:]}


# --- building, once ---------------------------------------------------------------------


WORK = Path("/tmp/tw_bench_pages")


# Where each engine's database of n events is; --database-url replaces one of them.
URLS = {
    "sqlite": f"sqlite:///{WORK}/pages_{{n}}.sqlite3",
    "postgresql": "postgres://postgres@127.0.0.1:5432/tw_bench_pages_{n}",
}


def database_url(engine: str, events: int) -> str:
    return URLS[engine].format(n=events)


def copy_from_sqlite(url: str, events: int) -> dict:
    """Fill a PostgreSQL database with the rows of the SQLite build of the same size:
    `manage.py migrate`, then every table of articles and timeline copied as it is (the
    copy step below)."""
    record = json.loads((WORK / f"built-sqlite-{events}.json").read_text())
    times = {}
    start = time.perf_counter()
    manage(url, "migrate", "--noinput")
    times["migrate"] = time.perf_counter() - start
    start = time.perf_counter()
    source = check_target(database_url("sqlite", events))["NAME"]
    copied = child("copy", str(source), database=url)
    times["copy"] = time.perf_counter() - start
    return {k: record[k] for k in ("events", "reports", "quotes", "copies")} | {
        "seconds": times,
        "skipped": record["skipped"],
        "rows copied": copied["rows"],
        "method": "a copy of the SQLite build, table by table (COPY)",
    }


def copy_tables(source: Path) -> dict:
    """Copy every table of articles and timeline (historical and many-to-many tables too)
    from a SQLite file into the empty, migrated PostgreSQL database of this process, in one
    transaction (Django's foreign keys are deferred to its end), then reset the id
    sequences and ANALYZE. The search columns are generated by PostgreSQL as the rows go
    in."""
    import sqlite3

    from django.apps import apps
    from django.core.management.color import no_style
    from django.db import connection, transaction

    models = [
        model
        for label in ("articles", "timeline")
        for model in apps.get_app_config(label).get_models(include_auto_created=True)
        if not model._meta.proxy
    ]
    tables = [model._meta.db_table for model in models]
    rows = 0
    with sqlite3.connect(f"file:{source}?mode=ro", uri=True) as lite, transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET TIME ZONE 'UTC'")  # SQLite keeps UTC times without a zone
            cursor.execute(f"TRUNCATE {', '.join(tables)} CASCADE")  # the migrations' rows
            for model, table in zip(models, tables, strict=True):
                columns = [f.column for f in model._meta.local_concrete_fields]
                names = ", ".join(f'"{c}"' for c in columns)
                with cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                    for row in lite.execute(f"SELECT {names} FROM {table}"):
                        copy.write_row(row)
                        rows += 1
            for sql in connection.ops.sequence_reset_sql(no_style(), models):
                cursor.execute(sql)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")  # the planner's statistics, as autovacuum would leave them
    return {"rows": rows, "tables": len(tables)}


AMPLIFIED = {
    # table: (columns copied as they are, {column: expression for copy k})
    "timeline_event": (
        ["precision", "status", "kind", "place", "summary", "keywords", "created", "updated"],
        {
            "id": "id + {k} * {n_timeline_event}",
            "title": "title || ' [' || {k} || ']'",
            "slug": "slug || '-x{k}'",
            "start": "SHIFT(start)",
            '"end"': 'SHIFT("end")',
        },
    ),
    "timeline_event_topics": (
        ["topic_id"],
        {
            "id": "id + {k} * {n_timeline_event_topics}",
            "event_id": "event_id + {k} * {n_timeline_event}",
        },
    ),
    "timeline_evidence": (
        ["stance", "state", "score", "note", "created", "updated", "claim_id", "mention_id"]
        + ["outcome", "outcome_state"],
        {
            "id": "id + {k} * {n_timeline_evidence}",
            "event_id": "event_id + {k} * {n_timeline_event}",
            "outcome_date": "SHIFT(outcome_date)",
        },
    ),
    "timeline_statuschange": (
        ["status", "precision", "note", "decided", "decided_by_id"],
        {
            "id": "id + {k} * {n_timeline_statuschange}",
            "event_id": "event_id + {k} * {n_timeline_event}",
            "effective": "SHIFT(effective)",
            "new_date": "SHIFT(new_date)",
        },
    ),
    "timeline_statuschange_claims": (
        ["claim_id"],
        {
            "id": "id + {k} * {n_timeline_statuschange_claims}",
            "statuschange_id": "statuschange_id + {k} * {n_timeline_statuschange}",
        },
    ),
}


SHIFT = re.compile(r"SHIFT\(([^)]+)\)")


def amplify(engine: str, events: int, source: int) -> dict:
    """A database of `events` events made from the one of `source` events (a copy of it:
    the SQLite file, or CREATE DATABASE ... TEMPLATE), its timeline copied events // source
    times at the SQL level: events (new slugs, a bracketed number in the title, dates 2k
    days later for copy k), their topics, evidence, status changes and their claims. The
    reports and claims are not copied: each claim is quoted by that many times more events,
    and months are that much denser. Not the door: for a size the door cannot build in the
    time there is."""
    url, origin = database_url(engine, events), database_url(engine, source)
    config, origin_config = check_target(url), check_target(origin)
    factor = events // source
    started = time.perf_counter()
    if engine == "sqlite":
        import sqlite3

        shutil.copyfile(origin_config["NAME"], config["NAME"])
        conn = sqlite3.connect(config["NAME"])
        shift = r"date(\1, '+{days} days')"
    else:
        import psycopg

        admin = urllib.parse.urlunsplit(urllib.parse.urlsplit(url)._replace(path="/template1"))
        with psycopg.connect(admin, autocommit=True, connect_timeout=10) as server:
            server.execute(f'CREATE DATABASE "{config["NAME"]}" TEMPLATE "{origin_config["NAME"]}"')
        conn = psycopg.connect(url, connect_timeout=10)
        shift = r"\1 + {days}"
    try:
        size = {
            f"n_{table}": conn.execute(f"SELECT COALESCE(MAX(id), 0) FROM {table}").fetchone()[0]
            for table in AMPLIFIED
        }
        for k in range(1, factor):
            for table, (same, changed) in AMPLIFIED.items():
                values = {
                    name: SHIFT.sub(shift, expr).format(k=k, days=2 * k, **size)
                    for name, expr in changed.items()
                }
                columns = [f'"{c}"' for c in same] + list(values)
                chosen = [f'"{c}"' for c in same] + list(values.values())
                conn.execute(
                    f"INSERT INTO {table} ({', '.join(columns)}) "
                    f"SELECT {', '.join(chosen)} FROM {table} WHERE id <= {size['n_' + table]}"
                )
        if engine == "postgresql":
            for table in AMPLIFIED:
                conn.execute(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                    f"(SELECT MAX(id) FROM {table}))"
                )
        conn.commit()
        if engine == "postgresql":
            conn.autocommit = True
        conn.execute("ANALYZE")
    finally:
        conn.close()
    record = json.loads((WORK / f"built-{engine}-{source}.json").read_text())
    return {
        "events": events,
        "reports": record["reports"],
        "quotes": record["quotes"] * factor,
        "seconds": {"amplify": time.perf_counter() - started},
        "skipped": record["skipped"],
        "method": f"the {source:,}-event build's timeline copied {factor} times in SQL "
        "(not the door)",
    }


def ensure_built(
    engine: str, events: int, rebuild: bool, copy: bool = False, amplify_from: int = 0
) -> dict:
    """The build record of this size and engine, building the database first when there is
    none (or with --rebuild); with `copy`, a PostgreSQL database is filled from the SQLite
    build of the same size instead."""
    url = database_url(engine, events)
    config = check_target(url)
    record_path = WORK / f"built-{engine}-{events}.json"
    if record_path.exists() and not rebuild:
        record = json.loads(record_path.read_text())
        if record["url"] == url:
            return record
    lock = WORK / f"building-{engine}-{events}.pid"
    if lock.exists() and Path(f"/proc/{lock.read_text().strip()}").exists():
        raise SystemExit(
            f"{engine} with {events} events is being built by process {lock.read_text()}"
        )
    lock.write_text(str(os.getpid()))
    record_path.unlink(missing_ok=True)
    drop(url, config)
    if engine == "postgresql":
        ensure_postgres_database(url, config["NAME"])
    if amplify_from and events > amplify_from:
        log(f"amplifying the {amplify_from:,}-event build into {events:,} events ...")
        drop(url, config)
        started = time.perf_counter()
        record = amplify(engine, events, amplify_from)
        record |= {"engine": engine, "url": url, "total": time.perf_counter() - started}
        record_path.write_text(json.dumps(record, indent=1))
        lock.unlink()
        log(f"  made in {record['total']:.0f} s")
        return record
    if copy and engine == "postgresql":
        log(f"copying the SQLite build with {events:,} events into {config['NAME']} ...")
        started = time.perf_counter()
        record = copy_from_sqlite(url, events)
        record |= {"engine": engine, "url": url, "total": time.perf_counter() - started}
        record_path.write_text(json.dumps(record, indent=1))
        lock.unlink()
        log(f"  copied in {record['total']:.0f} s: {record['seconds']}")
        return record
    fixtures = WORK / f"fixtures-{events}"
    if rebuild or not (fixtures / "timeline.json").exists():
        shutil.rmtree(fixtures, ignore_errors=True)
        fixtures.mkdir(parents=True)
        made = child("fixtures", str(events), str(fixtures), database=url)
        (fixtures / "made.json").write_text(json.dumps(made))
    made = json.loads((fixtures / "made.json").read_text())
    log(f"building {engine} with {events:,} events, {made['reports']:,} reports ...")
    started = time.perf_counter()
    built = build_database(url, fixtures)
    record = made | built | {"engine": engine, "url": url, "total": time.perf_counter() - started}
    if built["skipped"]:
        log(f"  {len(built['skipped'])} curated quotes not applied, e.g. {built['skipped'][0]}")
    record_path.write_text(json.dumps(record, indent=1))
    lock.unlink()
    log(f"  built in {record['total']:.0f} s: {built['seconds']}")
    return record


def step(argv: list[str]) -> int:
    """The steps run in a child process, on DATABASE_URL; they print JSON."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tradewatch.settings")
    import django

    django.setup()
    name, *rest = argv
    if name == "fixtures":
        print(json.dumps(write_fixtures(int(rest[0]), Path(rest[1]))))
    elif name == "copy":
        print(json.dumps(copy_tables(Path(rest[0]))))
    else:
        raise SystemExit(f"unknown step {name!r}")
    return 0


if __name__ == "__main__":
    sys.exit(step(sys.argv[1:]))
