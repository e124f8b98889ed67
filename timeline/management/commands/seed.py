"""python manage.py seed — load the seed reports and the curated seed timeline.

Idempotent: running it again changes nothing. After an edit to fixtures/ it adds the new
events (by slug), brings reports in line (by URL or text) and adds new curated evidence
(by quote). What editors changed since (an event's text, a decision on evidence) stays.
"""

import json
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.text import slugify

from articles.models import Article, Claim, Outlet, Topic
from articles.reports import ReportError
from articles.services import add_claim
from articles.vocabulary import TOPICS
from timeline.linking import decide
from timeline.models import Event, Evidence

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
        reports = sorted(str(p) for p in (fixtures / "reports").glob("*.txt"))
        call_command("ingest", *reports, stdout=self.stdout, stderr=self.stderr)
        with transaction.atomic():
            accepted = load_evidence(data["events"], events)
        self.stdout.write(f"{len(events)} events, {accepted} evidence newly accepted")


def load_topics():
    for slug, name, keywords in TOPICS:
        Topic.objects.get_or_create(slug=slug, defaults={"name": name, "keywords": keywords})


def load_outlets(rows):
    for row in rows:
        Outlet.objects.update_or_create(
            name=row["name"],
            defaults={
                "slug": row.get("slug") or slugify(row["name"]),
                "kind": row["kind"],
                "homepage": row.get("homepage", ""),
            },
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


def find_claim(article_key: str, quote: str, editor_claim: bool = False) -> Claim:
    """The claim of the named report whose sentence contains the quote.

    With editor_claim, a sentence the pipeline did not pick is added as an editor's claim
    (once: the next run finds it).
    """
    article = (
        Article.objects.filter(url=article_key).first()
        or Article.objects.filter(title=article_key).first()
    )
    if article is None:
        raise CommandError(f"fixture evidence names an unknown report: {article_key!r}")
    matches = list(article.claims.filter(sentence__contains=quote))
    if not matches and editor_claim:
        try:
            return add_claim(article=article, sentence=quote)
        except ReportError as exc:
            raise CommandError(f"fixture editor claim {quote[:60]!r}: {exc}") from None
    if len(matches) != 1:
        raise CommandError(
            f"fixture evidence quote {quote!r} matches {len(matches)} claims of "
            f"{article.title!r}; it must match exactly one"
        )
    return matches[0]


def load_evidence(rows, events) -> int:
    """Accept the curated evidence, leaving alone any an editor has since decided on.

    A row the linker merely suggested is accepted; a row an editor accepted, rejected or
    annotated keeps the editor's decision and note.
    """
    to_accept = []
    for row in rows:
        event = events[row["slug"]]
        for item in row.get("evidence", []):
            claim = find_claim(item["article"], item["quote"], item.get("editor_claim", False))
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
    return decide(to_accept, Evidence.State.ACCEPTED)
