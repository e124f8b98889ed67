"""What became of events: reading a claim's outcome cues against an event, and recording
an event's status changes.

articles.pipeline.outcomes finds the words that report a change ("was called off", "has been
extended"); here they are checked against the event they would change: the kind of change
must fit the kind of event (a threat is called off or comes into force, it never
"happens"; a deadline is extended or expires), it must be news (not the status the event
already has), and a change that can only be reported after the fact (it happened, it
expired) must come from a report published on or after the event's day.

record_change() is the one door for status changes: it writes the change with its claims,
who decided and when, and sets the event's status to its latest change.
"""

import re
from calendar import monthrange
from dataclasses import dataclass
from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone

from articles.pipeline.outcomes import outcome_cues

from .models import Event, Evidence, StatusChange

S = Event.Status
K = Event.Kind

# Which changes each kind of event can go through, most telling first: when a sentence
# reports two ("the talks ended and the threat was called off"), the first that fits wins.
FITS: dict[str, tuple[str, ...]] = {
    K.TALKS: (S.CANCELLED, S.POSTPONED, S.HAPPENED),
    K.SUMMIT: (S.CANCELLED, S.POSTPONED, S.HAPPENED),
    K.TARIFF: (S.CANCELLED, S.SUSPENDED, S.POSTPONED, S.IN_FORCE),
    K.EXPORT_CONTROL: (S.CANCELLED, S.SUSPENDED, S.POSTPONED, S.IN_FORCE),
    K.DEADLINE: (S.EXTENDED, S.CANCELLED, S.EXPIRED),
    K.AGREEMENT: (S.EXTENDED, S.SUSPENDED, S.CANCELLED, S.EXPIRED, S.IN_FORCE, S.HAPPENED),
    K.STATEMENT: (S.HAPPENED,),
}
# Changes a report can only tell once the day has come.
AFTER_THE_FACT = (S.HAPPENED, S.EXPIRED, S.IN_FORCE)


@dataclass(frozen=True)
class Outcome:
    status: str
    new_date: date | None
    words: str


def outcome_for(claim, event: Event, cues: tuple | None = None) -> Outcome | None:
    """The change this claim reports for this event, if it reports one that fits.

    `claim` needs .sentence, .mentions (date mentions with date_start/date_end) and
    .article.published; `cues`: outcome_cues(claim.sentence), when the caller has them
    already (a claim is read against many events).
    """
    if cues is None:
        cues = outcome_cues(claim.sentence)
    if not cues:
        return None
    published = claim.article.published
    for status in FITS.get(event.kind, ()):
        cue = next((c for c in cues if c.status == status), None)
        if cue is None or status == event.status:
            continue
        if status in AFTER_THE_FACT and published < event.start:
            continue
        new_date = None
        if status in Event.MOVED:
            later = [m.date_end for m in claim.mentions.all() if m.date_end > event.due]
            new_date = max(later, default=None) or moved_by(claim.sentence, event.due)
        return Outcome(status, new_date, cue.words)
    return None


NUMBERS = {"a": 1, "an": 1, "one": 1, "another": 1, "two": 2, "three": 3, "six": 6,
           "twelve": 12}  # fmt: skip
DURATION = re.compile(
    r"\b(?:by|for)\s+(?:an(?:other)?\s+additional\s+|another\s+)?"
    r"(?P<n>\d{1,3}|a|an|one|another|two|three|six|twelve)\s+(?:more\s+)?"
    r"(?P<unit>day|week|month|year)s?\b",
    re.IGNORECASE,
)


def moved_by(sentence: str, due: date) -> date | None:
    """The new date of a change said as a length: 'extended by another year' from `due`.

    >>> moved_by("The truce was extended by another year.", date(2025, 11, 10))
    datetime.date(2026, 11, 10)
    >>> moved_by("Talks were postponed for two weeks.", date(2025, 11, 10))
    datetime.date(2025, 11, 24)
    >>> moved_by("The truce was extended.", date(2025, 11, 10)) is None
    True
    """
    match = DURATION.search(sentence)
    if match is None:
        return None
    word = match["n"].lower()
    n = int(word) if word.isdigit() else NUMBERS[word]
    unit = match["unit"].lower()
    if unit in ("day", "week"):
        return due + timedelta(days=n * (7 if unit == "week" else 1))
    months = due.month - 1 + n * (12 if unit == "year" else 1)
    year, month = due.year + months // 12, months % 12 + 1
    return due.replace(year=year, month=month, day=min(due.day, monthrange(year, month)[1]))


@transaction.atomic
def record_change(
    *,
    event: Event,
    status: str,
    effective: date,
    precision: str = "day",
    new_date: date | None = None,
    claims=(),
    user=None,
    note: str = "",
) -> StatusChange:
    """Add a step to an event's story and make the event's status its latest step."""
    change = StatusChange(
        event=event,
        status=status,
        effective=effective,
        precision=precision,
        new_date=new_date if status in Event.MOVED else None,
        note=note,
        decided_by=user,
    )
    change.full_clean(exclude=["event"])
    change.save()
    if claims:
        change.claims.set(claims)
    sync_status(event)
    return change


def sync_status(event: Event) -> None:
    """The event's status is its latest change (by the day it took effect, then decided)."""
    latest = (
        StatusChange.objects.filter(event=event).order_by("-effective", "-decided", "-pk").first()
    )
    if latest and event.status != latest.status:
        event.status = latest.status
        event.save(update_fields=["status", "updated"])


def effective_day(claim, outcome: Outcome, event: Event) -> tuple[date, str]:
    """When a reported change took effect. What happens on the event's own day (it took
    place, came into force, ran out) took effect then, when the claim's dates agree;
    otherwise the day the claim dates the change, unless that is the new date itself;
    failing both, the report's publication date (a report tells what has happened)."""
    mentions = list(claim.mentions.all())
    if outcome.status in AFTER_THE_FACT and (
        not mentions
        or any(m.date_start <= event.last_day and event.start <= m.date_end for m in mentions)
    ):
        return event.start, event.precision
    for mention in mentions:
        if outcome.new_date and mention.date_end == outcome.new_date:
            continue
        if mention.date_start <= claim.article.published:
            return mention.date_start, mention.precision
    return claim.article.published, "day"


@transaction.atomic
def decide_outcome(evidence: Evidence, state: str, user=None) -> StatusChange | None:
    """An editor accepts or rejects the outcome a piece of evidence suggests.

    Accepting records the change (with the claim as its source), makes it the event's
    status and accepts the evidence itself; rejecting leaves the event as it was.
    """
    evidence = (
        Evidence.objects.select_for_update()
        .select_related("event", "claim__article")
        .get(pk=evidence.pk)
    )
    evidence.outcome_state = state
    evidence.updated = timezone.now()
    evidence.save(update_fields=["outcome_state", "updated"])
    if state != Evidence.State.ACCEPTED or not evidence.outcome:
        return None
    from .linking import decide  # linking imports this module for outcome_for

    decide([evidence], Evidence.State.ACCEPTED)
    claim = evidence.claim
    outcome = Outcome(evidence.outcome, evidence.outcome_date, "")
    effective, precision = effective_day(claim, outcome, evidence.event)
    return record_change(
        event=evidence.event,
        status=evidence.outcome,
        effective=effective,
        precision=precision,
        new_date=evidence.outcome_date,
        claims=[claim],
        user=user,
    )
