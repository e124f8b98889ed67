"""Suggesting events for dated claims.

A claim's date mention is compared with every event: the dates must overlap (a
day-precision mention gets a day of slack either side, since outlets disagree by a day
more often than they invent a new event), and the words must match: the event's
keywords in the sentence count double, in the rest of the passage once, shared topics
half; any match at all will do, since the dates already had to agree. The best-scoring
events for each mention are suggested; an editor decides.
Pure functions over plain objects; link_article() is the only one that writes.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_update_with_history

from articles.models import Claim

from .models import Event, Evidence

SLACK_DAYS = {"day": 1}
VAGUE_PRECISIONS = ("month", "quarter", "year")


@dataclass(frozen=True)
class Suggestion:
    event: Event
    mention: object  # articles.models.DateMention
    score: float
    stance: str


def overlaps(a: tuple[date, date], b: tuple[date, date]) -> bool:
    return a[0] <= b[1] and b[0] <= a[1]


def mention_range(mention) -> tuple[date, date]:
    """A mention's dates, widened by the slack its precision allows."""
    days = timedelta(days=SLACK_DAYS.get(mention.precision, 0))
    return mention.date_start - days, mention.date_end + days


def event_range(event: Event) -> tuple[date, date]:
    return event.start, event.last_day


def hits(text: str, keywords) -> int:
    lowered = text.lower()
    return sum(1 for word in keywords if word.lower() in lowered)


def score(sentence: str, passage: str, claim_topics: set, event: Event, event_topics: set):
    """How well a sentence's words point at an event (dates aside)."""
    rest = passage.replace(sentence, " ")
    return (
        2 * hits(sentence, event.keywords)
        + hits(rest, event.keywords)
        + 0.5 * len(claim_topics & event_topics)
    )


def suggest(claim: Claim, events: list[Event], event_topics: dict) -> list[Suggestion]:
    """The events a claim's date mentions point at, best first; one suggestion per event.

    When no event's words match, a month-or-coarser mention whose dates overlap exactly
    one event still suggests it, as a "mentions" stance, so a vague "since May" is not
    lost. A day or week mention gets no such benefit of the doubt: something else
    happening that weekend is likelier than an oblique reference to the event.
    """
    passage = claim.passage.text if claim.passage else claim.sentence
    topics = {t.slug for t in claim.topics.all()}
    best: dict[int, Suggestion] = {}
    for mention in claim.mentions.all():
        dated = [e for e in events if overlaps(mention_range(mention), event_range(e))]
        scored = [(score(claim.sentence, passage, topics, e, event_topics[e.pk]), e) for e in dated]
        top = max((s for s, _ in scored), default=0)
        if top > 0:
            chosen = [(s, e, Evidence.Stance.SUPPORTS) for s, e in scored if s == top]
        elif len(dated) == 1 and mention.precision in VAGUE_PRECISIONS:
            chosen = [(0.0, dated[0], Evidence.Stance.MENTIONS)]
        else:
            chosen = []
        for s, event, stance in chosen:
            if event.pk not in best or best[event.pk].score < s:
                best[event.pk] = Suggestion(event, mention, s, stance)
    return sorted(best.values(), key=lambda x: -x.score)


def unlinked_claims(queryset=None):
    """Dated claims that no event accepts or suggests: candidates for new events."""
    queryset = queryset if queryset is not None else Claim.objects.all()
    return (
        queryset.dated()
        .exclude(evidence__state__in=[Evidence.State.SUGGESTED, Evidence.State.ACCEPTED])
        .with_context()
        .order_by("-article__published", "article", "start", "pk")
    )


@transaction.atomic
def link_article(article) -> list[Evidence]:
    """Refresh the suggested evidence of one article's claims.

    Editors' decisions (accepted or rejected rows) are never touched; suggestions that
    no longer hold are removed, new ones are added.
    """
    events = list(Event.objects.prefetch_related("topics"))
    event_topics = {e.pk: {t.slug for t in e.topics.all()} for e in events}
    claims = (
        article.claims.anchored().select_related("passage").prefetch_related("mentions", "topics")
    )
    existing = {
        (ev.event_id, ev.claim_id): ev for ev in Evidence.objects.filter(claim__article=article)
    }
    wanted = {}
    for claim in claims:
        for s in suggest(claim, events, event_topics):
            wanted[(s.event.pk, claim.pk)] = (claim, s)

    touched = []
    for key, ev in existing.items():
        if ev.state == Evidence.State.SUGGESTED and key not in wanted:
            ev.delete()
    for key, (claim, s) in wanted.items():
        ev = existing.get(key)
        if ev is None:
            ev = Evidence(event=s.event, claim=claim, state=Evidence.State.SUGGESTED)
        elif ev.state != Evidence.State.SUGGESTED:
            if ev.mention_id is None:
                ev.mention = s.mention
                ev.save(update_fields=["mention", "updated"])
            continue
        ev.mention, ev.stance, ev.score = s.mention, s.stance, s.score
        ev.save()
        touched.append(ev)
    return touched


@transaction.atomic
def decide(evidence_rows, state: str) -> int:
    """An editor accepts or rejects evidence; the claims behind it become reviewed.

    A reviewed claim is kept (re-anchored, flagged) if a later correction removes its
    sentence, so an editor's decision is never lost with it. Both changes are written to
    the history with who made them (the signed-in editor of the request).
    """
    now = timezone.now()
    rows = list(Evidence.objects.select_for_update().filter(pk__in=[ev.pk for ev in evidence_rows]))
    for ev in rows:
        ev.state, ev.updated = state, now
    bulk_update_with_history(rows, Evidence, ["state", "updated"], batch_size=500)
    claims = list(Claim.objects.filter(evidence__in=rows, reviewed=False).distinct().order_by("pk"))
    for claim in claims:
        claim.reviewed = True
    bulk_update_with_history(claims, Claim, ["reviewed"], batch_size=500)
    return len(rows)
