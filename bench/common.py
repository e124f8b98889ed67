"""What the page benchmarks share: a seed directory of N events, built into a scratch
database through `manage.py seed --fixtures DIR`.

A timeline of N events is made from the curated seed (fixtures/timeline.json, seven events)
and the five seed reports (fixtures/reports), in copies:

- copy c of the seven events is the seed's events with every date (start, end, the days
  of their history) shifted by k_c weeks, k_c spread evenly from +56 weeks (late 2026)
  back to -364 weeks (late 2018), so the timeline spans eight years and grows denser, not
  longer, with N; each copy has slugs and titles of its own;
- the reports come in sets of five, one shuffled copy of each seed report (made by
  bench/ingest.py's make_reports: paragraphs shuffled, a title, outlet and URL of its
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
"""

import json
import math
import os
import random
import subprocess
import sys
import time
from datetime import date, timedelta
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(BENCH))

from ingest import OUTLETS, check_target, ensure_postgres_database, load_seeds, make_reports  # noqa: E402

PYTHON = ROOT / ".venv" / "bin" / "python"
SEED_EVENTS = 7
NEWEST_SHIFT = 56  # weeks after the seed: copy 0's events end in December 2026
SPAN_WEEKS = 420  # back to late 2018
MAX_SETS = 208  # report sets over the span: one every two weeks at most

__all__ = [
    "ROOT",
    "PYTHON",
    "build_database",
    "check_target",
    "ensure_postgres_database",
    "write_fixtures",
]


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


def report_file(report: dict) -> str:
    """A report (make_reports' keyword arguments) as a file articles.reports reads."""
    published = report["published"].isoformat()
    if report["published_estimated"]:
        published += " (estimated)"
    header = [
        f"Title: {report['title']}",
        f"Outlet: {report['outlet']}",
        f"URL: {report['url']}" if report["url"] else "",
        f"Published: {published}",
        f"Byline: {report['byline']}" if report["byline"] else "",
        f"Published-Note: {report['published_note']}" if report["published_note"] else "",
    ]
    return "\n".join(line for line in header if line) + "\n\n" + report["body"]


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


def manage(database_url: str, *args: str, timeout: float = 3600.0) -> subprocess.CompletedProcess:
    """Run one manage.py command on the given database; raise with its output if it fails."""
    env = os.environ | {"DATABASE_URL": database_url, "LOG_LEVEL": "ERROR"}
    env.pop("REDIS_URL", None)
    done = subprocess.run(
        [str(PYTHON), "manage.py", *args],
        cwd=ROOT,
        env=env,
        timeout=timeout,
        capture_output=True,
        text=True,
    )
    if done.returncode:
        raise SystemExit(f"manage.py {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")
    return done


def build_database(database_url: str, directory: Path) -> dict:
    """Migrate the database and seed it from `directory` (archive first, then the
    timeline): seconds per step, and what the seed could not apply."""
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
    skipped = [line for line in done.stderr.splitlines() if "not applied" in line]
    return {"seconds": times, "skipped": skipped, "said": done.stdout.strip().splitlines()[-1:]}
