"""Events and reports built in code for the timeline tests, and a way to grow the seed data.

Reports go in through articles.services.ingest_report, the same door as the ingest
command and the admin, so the linker suggests evidence for them as it would in use.
"""

from datetime import date, timedelta

from articles.models import Claim, Topic
from articles.services import ingest_report
from timeline.linking import decide
from timeline.models import Event, Evidence
from timeline.outcomes import record_change

# The gold file's event keys and the seed events they stand for.
EVENT_SLUGS = {
    "april_2025_escalation": "april-2025-tariff-escalation",
    "geneva_truce": "geneva-truce",
    "rare_earth_controls_oct9": "rare-earth-export-controls",
    "kl_talks": "kuala-lumpur-talks",
    "busan_meeting": "trump-xi-busan-meeting",
    "tariff_100_nov1": "100-percent-tariff-threat",
    "truce_expiry_nov10": "truce-expiry-november-10",
}


def make_event(slug, start, *, end=None, keywords=(), topics=(), **fields) -> Event:
    """An event as an editor would add it; topics are slugs, created when missing."""
    fields.setdefault("title", slug.replace("-", " ").capitalize())
    event = Event(slug=slug, start=start, end=end, keywords=list(keywords), **fields)
    event.full_clean()
    event.save()
    event.topics.set(
        Topic.objects.get_or_create(slug=t, defaults={"name": t.capitalize()})[0] for t in topics
    )
    return event


def add_report(body, *, published, title=None, outlet="Test Wire", url=""):
    """Ingest a report; returns the IngestResult (article, status, claims)."""
    return ingest_report(
        title=title or body.split(".")[0][:80],
        outlet=outlet,
        published=published,
        body=body,
        url=url,
    )


def claim_with(text: str, article=None) -> Claim:
    """The one claim whose sentence contains the text."""
    claims = Claim.objects.filter(sentence__contains=text)
    if article is not None:
        claims = claims.filter(article=article)
    return claims.get()


def grow(events=20, outlets=6):
    """Many more events, reports, outlets and accepted evidence than the seed has.

    Each extra event is a follow-up protocol signed on a day of December 2025; one long
    report quotes them all, and each extra outlet reports a handful of them plus the Busan
    meeting, so the seed's events gain evidence too. Every suggestion for these reports is
    then accepted.
    """
    first = date(2025, 12, 1)
    new_events = [
        make_event(
            f"protocol-{n:02d}",
            first + timedelta(days=n - 1),
            title=f"Follow-up protocol {n:02d} signed",
            keywords=[f"protocol {n:02d}"],
            topics=["tariffs", "diplomacy"],
            kind=Event.Kind.AGREEMENT,
            status=Event.Status.SCHEDULED if n % 2 else Event.Status.HAPPENED,
            place="Geneva" if n % 3 else "",
            summary=f"The {n}th technical protocol of the framework.",
        )
        for n in range(1, events + 1)
    ]

    def line(n):
        day = first + timedelta(days=n - 1)
        return f"Negotiators signed protocol {n:02d} on December {day.day} in Geneva."

    articles = []
    articles.append(
        add_report(
            "\n\n".join(line(n) for n in range(1, events + 1)),
            published=date(2025, 12, 28),
            title="Every protocol of December",
            outlet="Extra Wire",
            url="https://extra.example/every-protocol",
        ).article
    )
    for k in range(outlets):
        picked = range(1 + k, events + 1, outlets)
        body = "\n\n".join(
            [
                "Trump and Xi met on October 30 in Busan, agreeing to pause the tariff threat.",
                *(line(n) for n in picked),
            ]
        )
        result = add_report(
            body,
            published=date(2026, 1, 2 + k),
            title=f"December in review, part {k + 1}",
            outlet=f"Extra Outlet {k + 1}",
            url=f"https://outlet{k + 1}.example/review" if k % 2 else "",
        )
        articles.append(result.article)
    # Only what these reports brought: the seed's own pending suggestions stay pending.
    decide(
        list(Evidence.objects.suggested().filter(claim__article__in=articles)),
        Evidence.State.ACCEPTED,
    )
    # Each protocol's story: its status, on the quote that reports it.
    for event in new_events:
        record_change(
            event=event,
            status=event.status,
            effective=event.start,
            claims=[ev.claim for ev in event.evidence.all()[:1]],
        )
    return new_events
