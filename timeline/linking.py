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
from articles.pipeline.dates import Known

from .models import Event, Evidence
from .outcomes import Outcome, outcome_for

SLACK_DAYS = {"day": 1}
VAGUE_PRECISIONS = ("month", "quarter", "season", "year")


@dataclass(frozen=True)
class Suggestion:
    event: Event
    mention: object  # articles.models.DateMention, or None for a claim linked by name
    score: float
    stance: str
    outcome: Outcome | None = None


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


def suggest(
    claim: Claim,
    events: list[Event],
    event_topics: dict,
    window: tuple[date, date] | None = None,
) -> list[Suggestion]:
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
    # An outcome is the news of the event the sentence itself names, not of one it merely
    # shares a day or a topic with.
    suggestions = [
        Suggestion(
            s.event,
            s.mention,
            s.score,
            s.stance,
            outcome_for(claim, s.event) if hits(claim.sentence, s.event.keywords) else None,
        )
        for s in best.values()
    ]
    if window is not None:
        suggestions += by_name(claim, [e for e in events if e.pk not in best], window)
    return sorted(suggestions, key=lambda x: -x.score)


def by_name(claim: Claim, events: list[Event], window: tuple[date, date]) -> list[Suggestion]:
    """A claim that reports an outcome often gives no date of its own ("the agreement means
    the threatened duties will not take effect"), or only the new one ("until next autumn"):
    it is linked to the events its sentence names, within the time its report covers, when
    what it reports fits the event."""
    found = []
    for event in events:
        named = hits(claim.sentence, event.keywords)
        if not named or not overlaps(window, (event.start, event.due)):
            continue
        outcome = outcome_for(claim, event)
        if outcome is not None:
            found.append(Suggestion(event, None, 2.0 * named, Evidence.Stance.SUPPORTS, outcome))
    return found


def report_window(claims, published: date) -> tuple[date, date]:
    """The time a report covers: from its earliest to its latest date mention and its
    publication date, a week either side."""
    days = [published]
    for claim in claims:
        for mention in claim.mentions.all():
            days += [mention.date_start, mention.date_end]
    week = timedelta(days=7)
    return min(days) - week, max(days) + week


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
    claims = list(
        article.claims.anchored().select_related("passage").prefetch_related("mentions", "topics")
    )
    window = report_window(claims, article.published)
    existing = {
        (ev.event_id, ev.claim_id): ev for ev in Evidence.objects.filter(claim__article=article)
    }
    wanted = {}
    for claim in claims:
        for s in suggest(claim, events, event_topics, window):
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
            # An editor's decision on the link stands; a newly reported outcome is still
            # suggested, unless the editor has already decided on one.
            changed = False
            if ev.mention_id is None and s.mention is not None:
                ev.mention, changed = s.mention, True
            if not ev.outcome_state and s.outcome:
                set_outcome(ev, s.outcome)
                changed = True
            if changed:
                ev.save()
            continue
        ev.mention, ev.stance, ev.score = s.mention, s.stance, s.score
        if ev.outcome_state != Evidence.State.REJECTED:
            set_outcome(ev, s.outcome)
        ev.save()
        touched.append(ev)
    return touched


def set_outcome(ev: Evidence, outcome: Outcome | None) -> None:
    if outcome is None:
        ev.outcome, ev.outcome_date, ev.outcome_state = "", None, ""
    else:
        ev.outcome, ev.outcome_date = outcome.status, outcome.new_date
        ev.outcome_state = Evidence.State.SUGGESTED


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


# How far from a report's publication an event may lie to help read its dates.
KNOWN_WITHIN = timedelta(days=120)


def known_dates(published: date) -> list[Known]:
    """The events around `published`, as the pipeline's dated things
    (settings.TRADEWATCH_KNOWN_DATES): named by their place and their distinctive
    keywords, those with a capital, a digit or more than one word ("Busan", "100%", "rare
    earth"), not the common words that tie sentences to many events ("talks", "truce")."""
    events = Event.objects.filter(
        start__gte=published - KNOWN_WITHIN, start__lte=published + KNOWN_WITHIN
    ).only("title", "start", "end", "place", "keywords")
    return [
        Known(event.title, names, event.start, event.end or event.start)
        for event in events
        if (names := _distinctive(event))
    ]


def _distinctive(event: Event) -> tuple[str, ...]:
    words = [event.place, *event.keywords]
    return tuple(
        dict.fromkeys(
            w
            for w in words
            if w and (any(c.isupper() or c.isdigit() for c in w) or len(w.split()) > 1)
        )
    )
