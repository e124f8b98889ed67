"""python manage.py ingest FILE... — add or update reports from text files.

It lives in timeline because it reports the whole flow (report → claims → suggested
events); the writing itself is articles.services.ingest_report, the same door the admin uses.
"""

import json
import logging
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from articles.reports import ReportError, decode, parse_report
from articles.services import ingest_report
from timeline.models import Evidence

logger = logging.getLogger(__name__)


class Command(BaseCommand):
    help = "Ingest report files (a header block, a blank line, then the body)."

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+", type=Path)
        parser.add_argument(
            "--json",
            action="store_true",
            dest="as_json",
            help="Print one JSON document instead of progress and a summary.",
        )

    def handle(self, *args, files, as_json: bool, **options):
        rows = []
        show_progress = not as_json and len(files) > 1 and sys.stderr.isatty()
        for n, path in enumerate(files, start=1):
            if show_progress:
                progress(n, len(files), path.name)
            rows.append(ingest_file(path))
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


def dumps(document) -> str:
    return json.dumps(document, indent=2, ensure_ascii=False)


def progress(n: int, total: int, name: str, width: int = 30) -> None:
    filled = width * n // total
    sys.stderr.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {n}/{total} {name[:40]:<40}")
    sys.stderr.flush()


def ingest_file(path: Path) -> dict:
    """Ingest one file; never raises for a bad report, returns a failed row that says why."""
    row = {"file": str(path), "status": "failed", "error": None, "slug": None, "url": None}
    try:
        data = path.read_bytes()
    except OSError as exc:
        row["error"] = f"cannot read file: {exc.strerror}"
        return row | {"claims": []}
    try:
        report = parse_report(decode(data), source_name=path.name)
        result = ingest_report(**report.fields())
    except ReportError as exc:
        row["error"] = str(exc)
        return row | {"claims": []}
    except Exception as exc:  # noqa: BLE001 — one bad file must not stop the batch
        # Nothing of this file was written (the door's transaction rolled back); the
        # message names the file and the error so the report can be fixed and re-run.
        logger.exception("ingest of %s failed", path)
        row["error"] = f"could not be ingested ({type(exc).__name__}: {exc})"
        return row | {"claims": []}
    article = result.article
    return row | {
        "status": result.status,
        "slug": article.slug,
        "url": article.url,
        "title": article.title,
        "outlet": article.outlet.name,
        "published": article.published.isoformat(),
        "published_estimated": article.published_estimated,
        "warnings": list(report.warnings),
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
