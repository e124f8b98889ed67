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

Through the door, on this 2-core machine, 10,000 events take about 7 minutes on SQLite and
9 on PostgreSQL (docs/performance.md, "Pages").
"""

import json
import math
import os
import random
import shutil
import sys
import time
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


def ensure_built(engine: str, events: int, rebuild: bool) -> dict:
    """The build record of this size and engine, building the database first when there is
    none (or with --rebuild)."""
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
    else:
        raise SystemExit(f"unknown step {name!r}")
    return 0


if __name__ == "__main__":
    sys.exit(step(sys.argv[1:]))
