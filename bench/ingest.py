"""Benchmark: N reports through the one door into a database, stage by stage, against
dateparser's search_dates over the same whole texts.

    .venv/bin/python bench/ingest.py --reports 100 --database-url sqlite:////tmp/tw_bench_ingest.sqlite3
        [--reset] [--rounds 1] [--seed 1]

(PostgreSQL: --database-url postgres://postgres@127.0.0.1:5432/tw_bench_ingest, created if
missing.) Prints figures; asserts nothing. What it does:

1. Makes N reports from the five seeds (fixtures/reports) with bench/reports.py's
   make_reports: shifted dates, shuffled paragraphs, no two alike.
2. Migrates and seeds the database (manage.py migrate, manage.py seed), then times
   articles.services.ingest_report for each report, linking included (the
   report_ingested signal runs timeline.linking.link_article): reports/s, ms per report.
   Inside the door it times the analysis, the linking, the wire grouping and the reads, by
   wrapping those functions for this run only: the database writes are the door less the
   analysis and the linking. Then the database is migrated and seeded again and the same
   reports go through articles.services.ingest_reports, the batch door manage.py ingest
   sends files through: reports/s and queries per report, its wall time only; and once
   more with one analyst process (articles.analysts) analysing the reports ahead while
   the door writes, as manage.py ingest --jobs 2 does on SQLite. These two batch passes,
   the pipeline alone (3.) and search_dates (4.) run --rounds times, side by side: each
   round runs the four one straight after the other (in reverse order every other round),
   and the ratios to search_dates are taken within each round, so a shared machine that
   slows down for a minute slows both sides of a ratio alike. The batch passes' CPU time
   is printed too, the writer's and its analyst's.
3. Runs the same texts through the pipeline alone, with no database (analyse, with the
   topics and known dates read beforehand), and then through analyse again with its
   per-step timing hook (analyse(..., timings=...)), which adds up inside that one call the
   time of each step: clean, split, sentences and claims (split_sentences, signals,
   outcome_cues, places_in, topics_in), dates (find_dates with the report's context,
   explain), figures and speakers (typed_figures, tie_claim_speakers). It checks that the
   timed run gives the same claims as the untimed one.
4. Runs dateparser's search_dates over the same whole texts and scores both on the seeds'
   gold date mentions (bench/baseline.py: how search_dates is called, and the scoring
   rule, that of tests/articles/test_dates.py).

Every pass is warmed up once (the five seeds, and one ingest rolled back); the date
parser's cache is emptied before each pass, so each starts as a fresh process would. Times
are time.perf_counter; per report, the median over --rounds passes (the door runs once);
the batch door's wall time and the ratios, the median of the rounds, each round printed.

Safety: it refuses a database that is not empty unless --reset is given (which deletes the
SQLite file, or drops the PostgreSQL database's public schema), refuses the project's
db.sqlite3, and writes to PostgreSQL only on 127.0.0.1 into a database named tw_bench*.
"""

import argparse
import contextlib
import io
import random
import resource
import statistics
import sys
import time
from pathlib import Path
from types import SimpleNamespace

sys.path.insert(0, str(Path(__file__).resolve().parent))

from baseline import gold_recall, search_dates_pass  # noqa: E402
from reports import load_seeds, make_reports  # noqa: E402
from scratch import empty, machine, open_database  # noqa: E402

DEFAULT_URL = "sqlite:////tmp/tw_bench_ingest.sqlite3"
STAGES = ("clean", "split", "sentences", "dates", "figures")  # analysis.STEPS
STAGE_LABELS = {
    "clean": "clean",
    "split": "split (passages)",
    "sentences": "sentences & claims",
    "dates": "dates (find, resolve, explain)",
    "figures": "figures & speakers",
}


# --- the database: which one, and only an empty one -----------------------------------


def prepare_database(config: dict, reset: bool) -> None:
    """Refuse a database that has tables, unless reset; then migrate and seed it."""
    from django.core.management import call_command

    empty(config, reset)
    quiet = io.StringIO()
    call_command("migrate", verbosity=0, stdout=quiet)
    call_command("seed", stdout=quiet, stderr=quiet)


# --- the reports ---------------------------------------------------------------------------


def words(text: str) -> int:
    return len(text.split())


# --- timing --------------------------------------------------------------------------------


class Clock:
    """Seconds spent in named functions, for the report being ingested."""

    def __init__(self):
        self.spent: dict[str, float] = {}

    def wrap(self, name: str, fn):
        def timed(*args, **kwargs):
            start = time.perf_counter()
            try:
                return fn(*args, **kwargs)
            finally:
                self.spent[name] = self.spent.get(name, 0.0) + time.perf_counter() - start

        return timed

    def take(self) -> dict[str, float]:
        spent, self.spent = self.spent, {}
        return spent


class Queries:
    """The SQL statements run on a connection while it is installed (execute_wrapper)."""

    def __init__(self):
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


@contextlib.contextmanager
def patched(targets):
    """Replace module attributes for the length of a pass: [(module, name, replacement)]."""
    saved = [(module, name, getattr(module, name)) for module, name, _ in targets]
    for module, name, value in targets:
        setattr(module, name, value)
    try:
        yield
    finally:
        for module, name, value in saved:
            setattr(module, name, value)


def empty_caches() -> None:
    from articles.pipeline.dates import rules

    rules.parse_explicit.cache_clear()


def run_door(reports: list[dict], warmup: dict) -> tuple[list[dict], float]:
    """Each report through ingest_report, with the time of each part of it; and the wall
    time of them all, the warm-up left out."""
    from django.db import connection, transaction

    import articles.services as services
    import articles.wire_groups as wire_groups
    import timeline.receivers as receivers

    clock_ = Clock()
    queries = Queries()
    targets = [
        (services, "analyse", clock_.wrap("analyse", services.analyse)),
        (services, "known_dates", clock_.wrap("reads", services.known_dates)),
        (services, "topics_by_slug", clock_.wrap("reads", services.topics_by_slug)),
        (services, "store_report", clock_.wrap("store", services.store_report)),
        (wire_groups, "group", clock_.wrap("wire", wire_groups.group)),
        (receivers, "link_article", clock_.wrap("link", receivers.link_article)),
    ]
    rows = []
    with patched(targets), connection.execute_wrapper(queries):
        with transaction.atomic():  # the warm-up leaves nothing behind
            services.ingest_report(**warmup)
            transaction.set_rollback(True)
        clock_.take()
        empty_caches()
        wall = time.perf_counter()
        for report in reports:
            queries.count = 0
            start = time.perf_counter()
            result = services.ingest_report(**report)
            door = time.perf_counter() - start
            parts = clock_.take()
            if "link" not in parts:
                raise SystemExit("the linking did not run: is timeline's receiver connected?")
            rows.append(
                {"door": door, "queries": queries.count, "status": result.status}
                | {name: parts.get(name, 0.0) for name in ("analyse", "reads", "store", "wire")}
                | {"link": parts["link"]}
            )
        wall = time.perf_counter() - wall
    return rows, wall


def run_batch(reports: list[dict], warmup: dict, analysts: int = 0) -> SimpleNamespace:
    """The reports through ingest_reports, the batch door `manage.py ingest` uses: the wall
    time, the CPU time of this process (the writer) and of its analysts, the queries, and
    what became of each report. `analysts`: processes analysing the reports ahead
    (articles.analysts), as `manage.py ingest --jobs N` has N-1 of on SQLite; their start
    is timed with the rest."""
    from django.db import connection, transaction

    from articles.analysts import Analysts
    from articles.services import ingest_report, ingest_reports

    with transaction.atomic():  # the warm-up leaves nothing behind
        ingest_report(**warmup)
        transaction.set_rollback(True)

    queries = Queries()
    empty_caches()
    children = children_cpu()
    with connection.execute_wrapper(queries):
        start, cpu = time.perf_counter(), time.process_time()
        if analysts:
            with Analysts(analysts) as ahead:  # its processes are joined when it closes
                results = ingest_reports(reports, analysts=ahead)
        else:
            results = ingest_reports(reports)
        wall, cpu = time.perf_counter() - start, time.process_time() - cpu
    return SimpleNamespace(
        wall=wall,
        cpu=cpu,
        analysts_cpu=children_cpu() - children,
        queries=queries.count,
        statuses=[getattr(r, "status", type(r).__name__) for r in results],
    )


def children_cpu() -> float:
    """CPU seconds of this process's children that have ended (the analysts, once joined)."""
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    return used.ru_utime + used.ru_stime


def pipeline_pass(inputs) -> tuple[list[float], list]:
    """analyse over each text once, no database: the seconds of each, and its claims."""
    from articles.pipeline.analysis import analyse

    times, claims = [], []
    for raw, published, keywords, known in inputs:
        start = time.perf_counter()
        analysis = analyse(raw, published, keywords, known)
        times.append(time.perf_counter() - start)
        claims.append(analysis.claims)
    return times, claims


def stages_of(raw, published, keywords, known) -> tuple[dict[str, float], tuple]:
    """One report through analyse with its per-step timing hook: the seconds of each step
    inside that one call, and the claims it gave."""
    from articles.pipeline.analysis import analyse

    spent: dict[str, float] = {}
    analysis = analyse(raw, published, keywords, known, timings=spent)
    return {name: spent.get(name, 0.0) for name in STAGES}, analysis.claims


def run_stages(inputs, rounds: int) -> tuple[dict[str, list[float]], list]:
    samples = {name: [[] for _ in inputs] for name in STAGES}
    claims = [None] * len(inputs)
    for args in inputs[:5]:
        stages_of(*args)
    for _ in range(rounds):
        empty_caches()
        for i, args in enumerate(inputs):
            spent, claims[i] = stages_of(*args)
            for name in STAGES:
                samples[name][i].append(spent[name])
    return {n: [statistics.median(s) for s in per] for n, per in samples.items()}, claims


def paired_rounds(config, reports, warmup, inputs, rounds: int) -> list[dict]:
    """The batch door (in one process, and with one analyst), the pipeline alone and
    search_dates over the same texts, each once a round, one straight after the other, the
    order reversed every other round: a machine that slows down or speeds up between
    minutes (a shared host does) slows both sides of a round's ratio alike. The batch door
    starts each time from the database migrated and seeded again."""
    pipeline_pass(inputs[:5])  # the warm-ups
    search_dates_pass(inputs[:5])
    done = []
    for number in range(rounds):
        order = ["batch", "ahead", "pipeline", "search"]
        found = {}
        for step in order if number % 2 == 0 else reversed(order):
            if step in ("pipeline", "search"):
                empty_caches()
                found[step] = (pipeline_pass if step == "pipeline" else search_dates_pass)(inputs)
            else:
                prepare_database(config, True)
                found[step] = run_batch(reports, warmup, analysts=int(step == "ahead"))
        searched, piped = sum(found["search"]), sum(found["pipeline"][0])
        batch, ahead = found["batch"].wall, found["ahead"].wall
        print(
            f"# round {number + 1}: search_dates {searched:.1f} s; pipeline {piped:.2f} s"
            f" ({searched / piped:.2f}x), batch door {batch:.1f} s ({searched / batch:.2f}x),"
            f" with an analyst {ahead:.1f} s ({searched / ahead:.2f}x)",
            flush=True,
        )
        done.append(found)
    return done


# --- the report ----------------------------------------------------------------------------


def median(values) -> float:
    return statistics.median(values) if values else 0.0


def per_kwords(seconds: list[float], counts: list[int]) -> float:
    """Median over reports of ms per 1,000 words."""
    return median([1e6 * s / w for s, w in zip(seconds, counts, strict=True) if w])


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--reports", type=int, default=100, help="N, 1 to 2,000 (default 100)")
    parser.add_argument("--database-url", default=DEFAULT_URL)
    parser.add_argument("--reset", action="store_true", help="empty a database that is not")
    parser.add_argument("--rounds", type=int, default=1, help="passes of the no-database runs")
    parser.add_argument("--seed", type=int, default=1, help="the shuffles' RNG seed")
    args = parser.parse_args(argv)
    if not 1 <= args.reports <= 2000:
        parser.error("--reports runs from 1 to 2,000")
    if args.rounds < 1:
        parser.error("--rounds is at least 1")

    config = open_database(args.database_url)
    from django.conf import settings
    from django.db import connection

    started = time.perf_counter()
    prepare_database(config, args.reset)
    print(f"# {machine(connection.vendor)}", flush=True)

    from articles import services
    from articles.analysts import ready_to_ingest
    from articles.clock import today
    from articles.services import known_dates, topic_keywords

    seeds = load_seeds()
    rng = random.Random(args.seed)
    [warmup] = make_reports(seeds, 1, rng, today(), first=10_000)
    reports = make_reports(seeds, args.reports, rng, today())
    counts = [words(r["body"]) for r in reports]
    total_words = sum(counts)
    print(
        f"# {len(reports)} reports from {len(seeds)} seeds, {total_words:,} words "
        f"({total_words / len(reports):.0f} per report), into {connection.vendor} "
        f"({settings.DATABASES['default']['NAME']})",
        flush=True,
    )

    # As manage.py ingest readies its process before its first report (and seed's ingest,
    # in every prepare_database, again): what the process holds for good set aside from the
    # garbage collector, for the door's passes and search_dates' alike.
    ready_to_ingest()
    door, wall = run_door(reports, warmup)
    refused = [row["status"] for row in door if row["status"] != "created"]
    print(f"# door done in {wall:.1f} s", flush=True)

    keywords = topic_keywords()
    known = {}
    for r in reports:
        if r["published"] not in known:
            known[r["published"]] = tuple(known_dates(r["published"]))
    inputs = [(r["body"], r["published"], keywords, known[r["published"]]) for r in reports]
    stages, staged = run_stages(inputs, args.rounds)
    print("# stages done", flush=True)
    # The same reports through the batch door, into the same database as the door began
    # with (migrated and seeded again), each round beside search_dates over the same texts.
    paired = paired_rounds(config, reports, warmup, inputs, args.rounds)
    by_report = zip(*(r["search"] for r in paired), strict=True)
    searched = [statistics.median(times) for times in by_report]
    by_report = zip(*(r["pipeline"][0] for r in paired), strict=True)
    pipeline = [statistics.median(times) for times in by_report]
    analysed = paired[-1]["pipeline"][1]
    same = sum(a == b for a, b in zip(analysed, staged, strict=True))
    batch_wall = median([r["batch"].wall for r in paired])
    ahead_wall = median([r["ahead"].wall for r in paired])
    batch_queries, batch_statuses = paired[-1]["batch"].queries, paired[-1]["batch"].statuses
    ahead_queries, ahead_statuses = paired[-1]["ahead"].queries, paired[-1]["ahead"].statuses
    ratios = {
        key: sorted(sum(r["search"]) / r[key].wall for r in paired) for key in ("batch", "ahead")
    }
    ratios["pipeline"] = sorted(sum(r["search"]) / sum(r["pipeline"][0]) for r in paired)
    # CPU ms a report: the writer alone, and the writer and its analyst side by side.
    cpu = {
        name: 1000 * median([pick(r) for r in paired]) / len(reports)
        for name, pick in (
            ("alone", lambda r: r["batch"].cpu),
            ("writer", lambda r: r["ahead"].cpu),
            ("analyst", lambda r: r["ahead"].analysts_cpu),
        )
    }
    recall = gold_recall(seeds, keywords)

    column = {name: [row[name] for row in door] for name in ("door", "analyse", "link")}
    column["writes"] = [row["door"] - row["analyse"] - row["link"] for row in door]
    column["reads"] = [row["reads"] for row in door]
    column["wire"] = [row["wire"] for row in door]
    column["store"] = [row["store"] - row["wire"] - row["link"] for row in door]
    column["rest"] = [row["door"] - row["analyse"] - row["reads"] - row["store"] for row in door]
    door_total = sum(column["door"])

    def line(label, seconds, share_of=door_total):
        share = f"{100 * sum(seconds) / share_of:5.1f} %" if share_of else ""
        return (
            f"{label:<44} {1000 * median(seconds):9.1f} {per_kwords(seconds, counts):12.1f}"
            f" {share:>9}"
        )

    rounds = f", median of {args.rounds} passes" if args.rounds > 1 else ""
    print()
    print(
        f"Door (ingest_report, linking through the signal), {connection.vendor}: "
        f"{len(reports)} reports in {wall:.1f} s = {len(reports) / wall:.2f} reports/s, "
        f"{1000 * wall / len(reports):.0f} ms per report, "
        f"{total_words / len(reports):.0f} words per report (median {median(counts):.0f}), "
        f"{median([row['queries'] for row in door]):.0f} SQL queries per report (median)"
        + (f"; NOT CREATED: {len(refused)} ({', '.join(set(refused))})" if refused else "")
    )
    print()
    batch_refused = [status for status in batch_statuses if status != "created"]
    batch_rate = len(reports) / batch_wall
    print(
        f"Batch door (ingest_reports, {services.BATCH_SIZE} reports a transaction, as "
        f"manage.py ingest sends them), the same {len(reports)} reports into the database "
        f"as it began{rounds}: {batch_wall:.1f} s = {batch_rate:.2f} reports/s, "
        f"{1000 / batch_rate:.1f} ms per report, "
        f"{batch_queries / len(reports):.1f} SQL queries per report"
        + (
            f"; NOT CREATED: {len(batch_refused)} ({', '.join(set(batch_refused))})"
            if batch_refused
            else ""
        )
    )
    ahead_rate = len(reports) / ahead_wall
    ahead_refused = [status for status in ahead_statuses if status != "created"]
    print(
        f"Batch door with one analyst process (articles.analysts; manage.py ingest --jobs 2 "
        f"on SQLite), the same reports into the database as it began{rounds}: "
        f"{ahead_wall:.1f} s = "
        f"{ahead_rate:.2f} reports/s, {1000 / ahead_rate:.1f} ms per report, "
        f"{ahead_queries / len(reports):.1f} SQL queries per report"
        + (
            f"; NOT CREATED: {len(ahead_refused)} ({', '.join(set(ahead_refused))})"
            if ahead_refused
            else ""
        )
    )
    print(
        f"  CPU ms a report (median of the rounds): {cpu['alone']:.1f} in one process; with an "
        f"analyst, {cpu['writer']:.1f} in the writer and {cpu['analyst']:.1f} in the analyst"
    )
    print()
    print(f"{'stage':<44} {'ms/report':>9} {'ms/1k words':>12} {'of door':>9}")
    print(f"{'':<44} {'(median)':>9} {'(median)':>12} {'(total)':>9}")
    print("-- pipeline steps inside analyse (its timing hook), no database" + rounds)
    for name in STAGES:
        print(line(f"  {STAGE_LABELS[name]}", stages[name]))
    steps = [sum(stage[i] for stage in stages.values()) for i in range(len(reports))]
    print(line("  sum of the steps", steps))
    print(line("  analyse (composed, no database)", pipeline))
    print("-- inside the door, same run")
    print(line("  analyse", column["analyse"]))
    print(line("  linking (link_article, via the signal)", column["link"]))
    print(line("  database writes (door - analyse - linking)", column["writes"]))
    print(line("    of which reads of topics, known dates", column["reads"]))
    print(line("    store rows (passages, claims, dates)", column["store"]))
    print(line("    wire grouping (wire_groups.group)", column["wire"]))
    print(line("    checks, transaction, commit", column["rest"]))
    print(line("  door (ingest_report)", column["door"]))
    print(
        f"The timed analyse gives the untimed one's claims for {same} of {len(reports)} reports; "
        f"{sum(len(c) for c in analysed) / len(reports):.1f} claims per report"
    )
    print()
    print(f"search_dates over the same whole texts{rounds}:")
    print(line("  search_dates (dateparser)", searched, share_of=0))
    ratio_door = sum(searched) / door_total

    def spread(values):
        return f"{median(values):.2f}x" + (
            f" (rounds: {', '.join(f'{v:.2f}' for v in values)})" if len(values) > 1 else ""
        )

    print(
        f"  search_dates over all the texts ÷ the pipeline's time (analyse, no database), round"
        f" by round: {spread(ratios['pipeline'])}; ÷ the door's, report by report (its run"
        f" came before the rounds): {ratio_door:.2f}x"
    )
    print(
        f"  search_dates over all the texts ÷ the batch door's wall time, round by round: "
        f"{spread(ratios['batch'])} in one process, {spread(ratios['ahead'])} with one analyst"
        " process beside it (search_dates runs in one)"
    )
    n = recall["mentions"]
    print(
        f"Gold recall on the {len(seeds)} seeds ({n} mentions; overlap the words in the gold "
        f"sentence and resolve right): pipeline {recall['pipeline']}/{n} = "
        f"{recall['pipeline'] / n:.0%}, search_dates {recall['search_dates']}/{n} = "
        f"{recall['search_dates'] / n:.0%}"
    )
    print(
        f"  matches returned on the seeds: pipeline {recall['pipeline_matches']} date mentions "
        f"in claims, search_dates {recall['search_dates_matches']} "
        f"({recall['unlocated']} not found again in the text)"
    )
    missed = [f"{who}: {words_!r} ({where})" for who, words_, where in recall["missed"]]
    pipeline_missed = [m for m in missed if m.startswith("pipeline")]
    if pipeline_missed:
        print("  pipeline missed: " + "; ".join(pipeline_missed))
    print(f"# whole run {time.perf_counter() - started:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
