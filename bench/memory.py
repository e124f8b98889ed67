"""Benchmark: peak memory to ingest the largest report TradeWatch accepts, and to show it.

    .venv/bin/python bench/memory.py [PARAGRAPHS]

Builds a report from the seeds' paragraphs, repeated with shifted wording until it nears
the limits (articles.reports.MAX_REPORT_CHARS characters, MAX_PASSAGES paragraphs),
ingests it into a fresh SQLite database in a temporary folder, accepts evidence for every
claim of it on one event, then renders the report page and the event page. Each step runs
in its own process, so each peak (the process's maximum resident set) is that step's own.
Prints figures; asserts nothing.
"""

import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

STEPS = ("baseline", "ingest", "accept", "report-page", "event-page")


def build_report(paragraphs: int) -> str:
    sys.path.insert(0, str(ROOT))
    from articles.reports import MAX_REPORT_CHARS, decode, parse_report

    seeds = [
        parse_report(decode(p.read_bytes()), p.name).body
        for p in sorted((ROOT / "fixtures" / "reports").glob("*.txt"))
    ]
    pool = [block.strip() for body in seeds for block in body.split("\n\n") if block.strip()]
    out, size, n = [], 0, 0
    while len(out) < paragraphs:
        # A number in each paragraph keeps every sentence distinct, as in a real long report.
        text = f"{pool[n % len(pool)]} (Update {n + 1}.)"
        if size + len(text) + 2 > MAX_REPORT_CHARS - 200:
            break
        out.append(text)
        size += len(text) + 2
        n += 1
    header = "Title: The longest report\nOutlet: Bench Wire\nPublished: 2025-10-30\n\n"
    return header + "\n\n".join(out) + "\n"


def step(name: str, path: str) -> dict:
    """Run one step in this process (called in a child) and return its figures."""
    import django

    django.setup()
    from django.core.management import call_command
    from django.test import Client

    from articles.models import Article, Claim
    from timeline.linking import decide
    from timeline.models import Event, Evidence

    started = time.perf_counter()
    detail = {}
    if name == "ingest":
        call_command("migrate", verbosity=0)
        call_command("ingest", path, stdout=open(os.devnull, "w"))
        detail["first_seconds"] = round(time.perf_counter() - started, 2)
        article = Article.objects.get()
        detail |= {
            "chars": len(article.raw_body),
            "passages": article.passages.count(),
            "claims": article.claims.count(),
        }
        started = time.perf_counter()
        # Ingesting it again (unchanged) must not cost more than the first time.
        call_command("ingest", path, stdout=open(os.devnull, "w"))
    elif name == "accept":
        event = Event.objects.create(
            title="Bench event", slug="bench-event", start="2025-10-30", kind="summit"
        )
        Evidence.objects.bulk_create(
            Evidence(event=event, claim_id=pk) for pk in Claim.objects.values_list("pk", flat=True)
        )
        detail["accepted"] = decide(list(event.evidence.all()), Evidence.State.ACCEPTED)
    elif name == "report-page":
        response = Client().get(Article.objects.get().get_absolute_url())
        detail = {"status": response.status_code, "bytes": len(response.content)}
    elif name == "event-page":
        response = Client().get("/events/bench-event/")
        detail = {"status": response.status_code, "bytes": len(response.content)}
    detail["seconds"] = round(time.perf_counter() - started, 2)
    # ru_maxrss is in KiB on Linux.
    detail["peak_mib"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
    return detail


def main(paragraphs: int = 5_000) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        report = Path(tmp) / "longest.txt"
        report.write_text(build_report(paragraphs), encoding="utf-8")
        env = {
            **os.environ,
            "DATABASE_URL": f"sqlite:///{tmp}/bench.sqlite3",
            "DJANGO_SETTINGS_MODULE": "tradewatch.settings",
            "ALLOWED_HOSTS": "testserver",
            "PYTHONPATH": str(ROOT),
        }
        print(f"report: {report.stat().st_size:,} bytes on disk")
        for name in STEPS:
            out = subprocess.run(
                [sys.executable, __file__, "--step", name, str(report)],
                env=env,
                capture_output=True,
                text=True,
                check=True,
            ).stdout
            figures = json.loads(out.strip().splitlines()[-1])
            print(f"{name:<12} " + "  ".join(f"{k}={v}" for k, v in figures.items()))


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "--step":
        sys.path.insert(0, str(ROOT))
        print(json.dumps(step(sys.argv[2], sys.argv[3])))
    else:
        main(int(sys.argv[1]) if len(sys.argv) > 1 else 5_000)
