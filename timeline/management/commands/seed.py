"""python manage.py seed — load the seed reports and the curated seed timeline.

Idempotent: running it again changes nothing. The seed is where the timeline starts, not
a state it is held to: once an outlet, a report, an event or a piece of curated evidence
is in, it is the editors'. A re-seed adds what is missing (after an edit to fixtures/: new
outlets by name, reports by URL, file or text, events by slug, evidence by quote) and
never overwrites, reverts or re-creates what editors changed, corrected or deleted.
"""

import json
from datetime import date
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.db.models import Q
from django.utils.text import slugify

from articles.models import Article, Claim, Outlet, Topic
from articles.pipeline.clean import clean
from articles.pipeline.vocabulary import TOPICS
from articles.reports import ReportError, decode, parse_report
from articles.services import add_claim, content_hash
from timeline.linking import decide
from timeline.models import Event, Evidence, StatusChange
from timeline.outcomes import record_change

FIXTURES = settings.BASE_DIR / "fixtures"


class Command(BaseCommand):
    help = "Load the seed reports and the curated seed timeline (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument("--fixtures", type=Path, default=FIXTURES)

    def handle(self, *args, fixtures: Path, **options):
        data = json.loads((fixtures / "timeline.json").read_text(encoding="utf-8"))
        with transaction.atomic():
            load_topics()
            load_outlets(data["outlets"])
            events = load_events(data["events"])
        # Events first, so ingesting the reports suggests evidence for them as it would
        # for any new report; then the curated decisions are applied on top.
        reports = sorted((fixtures / "reports").glob("*.txt"))
        new = [str(path) for path in reports if not already_in(path)]
        if new:
            call_command("ingest", *new, stdout=self.stdout, stderr=self.stderr)
        with transaction.atomic():
            accepted, skipped = load_evidence(data["events"], events)
            skipped += load_history(data["events"], events)
        for note in skipped:
            self.stderr.write(f"curated evidence not applied: {note}")
        self.stdout.write(
            f"{len(events)} events, {len(reports) - len(new)} reports already in, "
            f"{accepted} evidence newly accepted"
        )


def already_in(path: Path) -> bool:
    """Whether a seed report is stored already (then it is the editors', corrections and
    all): found by its URL, its file name or its text."""
    try:
        report = parse_report(decode(path.read_bytes()), source_name=path.name)
    except (OSError, ReportError):
        return False  # ingest names the problem
    found = Q(source_name=path.name) | Q(content_hash=content_hash(clean(report.body).text))
    if report.url:
        found |= Q(url=report.url)
    return Article.objects.filter(found).exists()


def load_topics():
    for slug, name, keywords in TOPICS:
        Topic.objects.get_or_create(slug=slug, defaults={"name": name, "keywords": keywords})


def load_outlets(rows):
    """Add the seed's outlets that are missing; an outlet an editor has edited stays so."""
    for row in rows:
        slug = row.get("slug") or slugify(row["name"])
        if Outlet.objects.filter(Q(name__iexact=row["name"]) | Q(slug=slug)).exists():
            continue
        Outlet.objects.create(
            name=row["name"], slug=slug, kind=row["kind"], homepage=row.get("homepage", "")
        )


def load_events(rows) -> dict[str, Event]:
    """Create the curated events that are missing; events already there are the editors'
    now, and a re-seed never overwrites their edits."""
    events = {}
    fields = ["title", "start", "end", "precision", "status", "kind", "place", "summary"]
    for row in rows:
        event = Event.objects.filter(slug=row["slug"]).first()
        if event is None:
            event = Event(slug=row["slug"], keywords=row.get("keywords", []))
            for name in fields:
                if name in row:
                    setattr(event, name, row[name])
            event.full_clean()
            event.save()
            event.topics.set(Topic.objects.filter(slug__in=row.get("topics", [])))
        events[row["slug"]] = event
    return events


class NotApplied(Exception):
    """Curated evidence that cannot be applied as it stands; said, not fatal."""


def find_claim(article_key: str, quote: str, editor_claim: bool = False) -> Claim:
    """The claim of the named report whose sentence contains the quote.

    With editor_claim, the quote is the whole sentence of an editor's claim: it is added
    once, and found again by its exact words. A claim an editor added later that quotes
    part of a curated sentence does not make the quote ambiguous: the pipeline's claim,
    or the one that is exactly the quote, is the curated one.
    """
    article = (
        Article.objects.filter(url=article_key).first()
        or Article.objects.filter(title=article_key).first()
    )
    if article is None:
        raise CommandError(f"fixture evidence names an unknown report: {article_key!r}")
    matches = list(article.claims.anchored().filter(sentence__contains=quote))
    exact = [c for c in matches if c.sentence == quote]
    pipeline = [c for c in matches if c.origin == Claim.Origin.PIPELINE]
    if editor_claim and not exact:
        try:
            return add_claim(article=article, sentence=quote)
        except ReportError as exc:
            raise NotApplied(f"editor claim {quote[:60]!r} of {article.title!r}: {exc}") from None
    for group in (matches, exact) if editor_claim else (matches, pipeline):
        if len(group) == 1:
            return group[0]
    raise NotApplied(
        f"quote {quote[:60]!r} matches {len(matches)} claims of {article.title!r} "
        "(was the report corrected?); it must match exactly one"
    )


def load_history(rows, events) -> list[str]:
    """Give each curated event its curated story, once: an event that has any status
    change already (an editor's, or the seed's of an earlier run) is left as it is."""
    skipped = []
    for row in rows:
        event = events[row["slug"]]
        if not row.get("history") or event.changes.exists():
            continue
        if StatusChange.history.filter(event_id=event.pk).exists():
            continue  # its story was seeded once and an administrator deleted it
        for step in row["history"]:
            claims = []
            for quote in step.get("quotes", []):
                try:
                    claims.append(find_claim(quote["article"], quote["quote"]))
                except NotApplied as exc:
                    skipped.append(f"{event.slug} history: {exc}")
            record_change(
                event=event,
                status=step["status"],
                effective=date.fromisoformat(step["effective"]),
                precision=step.get("precision", "day"),
                new_date=date.fromisoformat(step["new_date"]) if step.get("new_date") else None,
                claims=claims,
                note=step.get("note", ""),
            )
    return skipped


def load_evidence(rows, events) -> tuple[int, list[str]]:
    """Accept the curated evidence, leaving alone any an editor has since decided on.

    A row the linker merely suggested is accepted; a row an editor accepted, rejected or
    annotated keeps the editor's decision and note; a row an administrator deleted stays
    deleted (its history says it existed). Returns how many were accepted, and what could
    not be applied, and why.
    """
    to_accept, skipped = [], []
    for row in rows:
        event = events[row["slug"]]
        for item in row.get("evidence", []):
            try:
                claim = find_claim(item["article"], item["quote"], item.get("editor_claim", False))
            except NotApplied as exc:
                skipped.append(f"{event.slug}: {exc}")
                continue
            pair = {"event_id": event.pk, "claim_id": claim.pk}
            if (
                not Evidence.objects.filter(**pair).exists()
                and Evidence.history.filter(**pair).exists()
            ):
                continue  # deleted since it was seeded: an administrator's decision
            evidence, created = Evidence.objects.get_or_create(
                event=event,
                claim=claim,
                defaults={"stance": item.get("stance", "supports"), "note": item.get("note", "")},
            )
            if not created and evidence.state != Evidence.State.SUGGESTED:
                continue
            evidence.stance = item.get("stance", "supports")
            evidence.note = evidence.note or item.get("note", "")
            evidence.mention = evidence.mention or claim.mentions.first()
            evidence.save()
            to_accept.append(evidence)
    return decide(to_accept, Evidence.State.ACCEPTED), skipped
