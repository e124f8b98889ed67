"""python manage.py ingest [--jobs N] FILE... — add or update reports from text files and
saved web pages (.html, .htm: the text and header are read from the page, the page is kept).

It lives in timeline because it reports the whole flow (report → claims → suggested
events); the writing itself is articles.services.ingest_report, the same door the admin uses.
"""

import json
import logging
import multiprocessing
import os
import sys
from concurrent.futures import ProcessPoolExecutor, as_completed
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import connections

from articles.analysts import Analysts, ready_to_ingest
from articles.reports import ReportError, check_text, decode, parse_report
from articles.saved_pages import read_page
from articles.services import BATCH_SIZE, ingest_reports
from timeline.models import Evidence

logger = logging.getLogger(__name__)


class Command(BaseCommand):
    help = (
        "Ingest report files (a header block, a blank line, then the body) and saved web "
        "pages (.html, .htm)."
    )

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+", type=Path)
        parser.add_argument(
            "--json",
            action="store_true",
            dest="as_json",
            help="Print one JSON document instead of progress and a summary.",
        )
        parser.add_argument(
            "--jobs",
            type=int,
            default=None,
            help="Processes at work at once. PostgreSQL: N reports ingested at once, each in "
            "a process of its own; files that name the same URL still go in the order "
            "given. SQLite, one writer at a time: one process writes while N-1 analyse the "
            "reports ahead of it. Default: 2 on SQLite for more files than one batch "
            f"({BATCH_SIZE}) on a machine with two CPUs or more, else 1.",
        )

    def handle(self, *args, files, as_json: bool, jobs: int | None, **options):
        most = 2 * (os.cpu_count() or 1)
        if jobs is None:
            jobs = default_jobs(len(files))
        if not 1 <= jobs <= most:
            # More processes than cores only hold more database connections.
            raise CommandError(f"--jobs is at least 1 and at most {most} (twice the CPUs)")
        show_progress = not as_json and len(files) > 1 and sys.stderr.isatty()
        shown = (lambda n, path: progress(n, len(files), path.name)) if show_progress else None
        ready_to_ingest()
        if jobs == 1 or len(files) == 1:
            rows = ingest_files(files, shown)
        elif connections["default"].vendor == "sqlite":
            # One writer at a time (SQLite's one write lock: processes that each wrote would
            # only wait for each other, docs/performance.md): the others analyse ahead.
            with Analysts(jobs - 1) as analysts:
                rows = ingest_files(files, shown, analysts)
        else:
            rows = ingest_at_once(files, jobs, shown)
        if show_progress:
            sys.stderr.write("\n")

        if as_json:
            self.stdout.write(dumps({"articles": rows}))
        else:
            for row in rows:
                if row["status"] == "failed":
                    self.stderr.write(f"{row['file']}: {row['error']}")
                else:
                    for warning in row.get("warnings", []):
                        self.stderr.write(f"{row['file']}: warning: {warning}")
            counts = {s: sum(r["status"] == s for r in rows) for s in STATUSES}
            self.stdout.write(", ".join(f"{counts[s]} {s}" for s in STATUSES))
        failed = [r for r in rows if r["status"] == "failed"]
        if failed:
            raise CommandError(f"{len(failed)} of {len(rows)} file(s) failed", returncode=1)


STATUSES = ("created", "updated", "unchanged", "failed")


def default_jobs(files: int) -> int:
    """--jobs when none is given. On SQLite, with a second CPU and more than one batch of
    files, one analyst beside the writer: it takes the analysis, some 45 % of a report's
    time, off the writer (docs/performance.md), for the cost of starting one process.
    PostgreSQL's --jobs runs whole ingests side by side, which an editor asks for
    knowingly: 1 there."""
    sqlite = connections["default"].vendor == "sqlite"
    return 2 if sqlite and (os.cpu_count() or 1) >= 2 and files > BATCH_SIZE else 1


def dumps(document) -> str:
    return json.dumps(document, indent=2, ensure_ascii=False)


def progress(n: int, total: int, name: str, width: int = 30) -> None:
    filled = width * n // total
    sys.stderr.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {n}/{total} {name[:40]:<40}")
    sys.stderr.flush()


def ingest_at_once(files: list[Path], jobs: int, shown=None) -> list[dict]:
    """ingest_files for each chain of files, `jobs` at a time in processes of their own;
    the rows in the order of the files.

    Each chain's reports go through the door in batches, as they would in one process; the
    door already settles two ingests that meet (the same report, the same outlet or slug)
    and wire grouping waits its turn. What parallel processes would get wrong is order: a
    corrected version must not be overtaken by the one it corrects, so the files that name
    the same URL form one chain, ingested in order by one process.
    """
    chains = chains_by_url(files)
    rows: list[dict | None] = [None] * len(files)
    # Each process opens its own connections; none may share the parent's.
    connections.close_all()
    context = multiprocessing.get_context("fork")
    done = 0
    with ProcessPoolExecutor(max_workers=min(jobs, len(chains)), mp_context=context) as pool:
        running = {pool.submit(ingest_files, [files[i] for i in chain]): chain for chain in chains}
        for future in as_completed(running):
            chain = running[future]
            try:
                found = future.result()
            except Exception as exc:  # noqa: BLE001 — the process died (killed, out of memory)
                found = [
                    {
                        "file": str(files[i]),
                        "status": "failed",
                        "error": f"could not be ingested: its process stopped ({exc!r}); "
                        "run it again (a report it had stored already comes back unchanged)",
                        "slug": None,
                        "url": None,
                        "claims": [],
                    }
                    for i in chain
                ]
            for i, row in zip(chain, found, strict=True):
                rows[i] = row
                done += 1
                if shown:
                    shown(done, files[i])
    return rows


def chains_by_url(files: list[Path]) -> list[list[int]]:
    """The files' positions in chains to ingest in order: each file alone, except files
    naming the same URL (a report and its corrections), which are one chain."""
    chains, by_url = [], {}
    for i, path in enumerate(files):
        url = url_of(path)
        if url and url in by_url:
            chains[by_url[url]].append(i)
            continue
        if url:
            by_url[url] = len(chains)
        chains.append([i])
    return chains


# Files read as saved web pages rather than as text reports with a header.
PAGE_SUFFIXES = (".html", ".htm")


def is_page(path: Path) -> bool:
    return path.suffix.lower() in PAGE_SUFFIXES


def url_of(path: Path) -> str:
    """The URL a report file's header (or a saved page) gives; "" for a file that cannot be
    read or parsed (read_file will say why)."""
    try:
        if is_page(path):
            return read_page(path.read_bytes()).url
        return parse_report(decode(path.read_bytes())).url.strip()
    except (OSError, ReportError):
        return ""


def ingest_files(paths: list[Path], shown=None, analysts: Analysts | None = None) -> list[dict]:
    """Each file's row, in order: the reports go through the door in batches
    (articles.services.ingest_reports), so a bad file fails alone and the rest go in;
    `analysts` analyse each batch's reports while this process writes them."""
    rows = []
    for start in range(0, len(paths), BATCH_SIZE):
        chunk = paths[start : start + BATCH_SIZE]
        read = [read_file(path) for path in chunk]
        reports = [fields for fields, _ in read if fields is not None]
        results = iter(ingest_reports(reports, analysts=analysts))
        for path, (fields, row) in zip(chunk, read, strict=True):
            rows.append(row if fields is None else row_of(path, next(results), row))
            if shown:
                shown(len(rows), path)
    return rows


def read_file(path: Path) -> tuple[dict | None, dict]:
    """A file's report as ingest_report's arguments and its row so far (the warnings its
    reading gave); or None and a failed row that says why it cannot be read."""
    row = {"file": str(path), "status": "failed", "error": None, "slug": None, "url": None}
    try:
        data = path.read_bytes()
    except OSError as exc:
        return None, row | {"error": f"cannot read file: {exc.strerror}", "claims": []}
    try:
        if is_page(path):
            # A page without its title, site name or date is refused here with what it
            # lacks: completing it takes the admin's form, which a command cannot show.
            page = read_page(data, source_name=path.name)
            report = page.report()
            fields = report.fields() | {"raw_html": page.html}
        else:
            report = parse_report(decode(data), source_name=path.name)
            # Refused now, not when its batch goes in: a batch holds its reports' texts.
            check_text(report.body)
            fields = report.fields()
    except ReportError as exc:
        return None, row | {"error": str(exc), "claims": []}
    except Exception as exc:  # noqa: BLE001 — one bad file must not stop the others
        return None, row_of(path, exc, row)
    return fields, row | {"warnings": list(report.warnings)}


def row_of(path: Path, result, read: dict) -> dict:
    """The file's row, from what the door did with its report."""
    row = {name: value for name, value in read.items() if name != "warnings"}
    if isinstance(result, ReportError):
        return row | {"error": str(result), "claims": []}
    if isinstance(result, Exception):
        # Nothing of this file was written (its savepoint, or its transaction, rolled
        # back); the message names the file and the error so it can be fixed and re-run.
        logger.error("ingest of %s failed", path, exc_info=result)
        error = f"could not be ingested ({type(result).__name__}: {result})"
        return row | {"error": error, "claims": []}
    article = result.article
    return row | {
        "status": result.status,
        "slug": article.slug,
        "url": article.url,
        "title": article.title,
        "outlet": article.outlet.name,
        "published": article.published.isoformat(),
        "published_estimated": article.published_estimated,
        "warnings": read["warnings"],
        "claims": claims_json(result.claims),
    }


def claims_json(claims) -> list[dict]:
    evidence = {}
    for ev in Evidence.objects.filter(claim__in=claims).select_related("event"):
        evidence.setdefault(ev.claim_id, []).append(
            {
                "slug": ev.event.slug,
                "stance": ev.stance,
                "state": ev.state,
                # What the claim says became of the event (a suggestion until an editor
                # accepts it), and the new date it gives, if any.
                "outcome": ev.outcome or None,
                "outcome_date": ev.outcome_date.isoformat() if ev.outcome_date else None,
            }
        )
    return [
        {
            "id": claim.pk,
            "sentence": claim.sentence,
            "passage": claim.passage.anchor if claim.passage else None,
            "link": claim.get_absolute_url(),
            "kind": claim.kind,
            "attribution": claim.attribution,
            "figures": claim.figures,
            "offsets": {"body": [claim.start, claim.end], "passage": claim.passage_offsets},
            "mentions": [
                {
                    "text": m.text,
                    "start": m.date_start.isoformat(),
                    "end": m.date_end.isoformat(),
                    "precision": m.precision,
                    "method": m.method,
                }
                for m in claim.mentions.all()
            ],
            "events": evidence.get(claim.pk, []),
        }
        for claim in claims
    ]
