"""Where the sources behind one event disagree: on the day, on the place, on the period.

Pure functions over an event and its (prefetched) evidence; nothing is queried here, so a
page can show the conflicts of every event without extra queries.
"""

from dataclasses import dataclass, field

from articles.pipeline.dates.periods import describe_range
from articles.pipeline.vocabulary import METONYMS, PLACE_PARENTS

from .linking import event_range, overlaps

# A mention coarser than this many days, for an event known to the day, says the
# sources disagree on how near it is ("later this year" against "this Thursday").
VAGUE_DAYS = 31
# How far (in characters) from the date a place may stand and still be its venue.
VENUE_DISTANCE = 40
# Mentions counted from the publication date ("on Friday", "later this week"), whose
# dates are only as good as that date.
RELATIVE_METHODS = ("relative", "tense")


@dataclass
class Side:
    label: str  # what these sources say, e.g. "Fri 24 Oct 2025" or "Gyeongju"
    evidence: list = field(default_factory=list)
    # The side's date is not the timeline's: a quote resting on an estimated publication
    # date says so, since the date it disagrees on may only be that estimate's.
    disagrees: bool = False

    @property
    def sources(self):
        """One entry per outlet (its first quote), so an outlet quoted twice is named once."""
        first = {}
        for ev in self.evidence:
            first.setdefault(ev.claim.article.outlet.name, ev)
        return sorted(first.items())

    @property
    def estimated(self) -> set[str]:
        """The outlets whose date on this side was worked out from a publication date that
        was itself estimated ("on Friday", "later this year" in an undated report)."""
        if not self.disagrees:
            return set()
        return {
            ev.claim.article.outlet.name
            for ev in self.evidence
            if ev.claim.article.published_estimated and rests_on_publication(mention_of(ev))
        }


@dataclass
class Conflict:
    kind: str  # "date", "place" or "period"
    summary: str
    sides: list[Side]


def mention_of(evidence):
    """The date mention an evidence row rests on (prefetched claim mentions, no query)."""
    mentions = list(evidence.claim.mentions.all())
    if evidence.mention_id:
        for mention in mentions:
            if mention.pk == evidence.mention_id:
                return mention
    return mentions[0] if mentions else None


def venue(claim, mention) -> str:
    """The place a sentence gives for its dated event: the one named next to the date.

    "expected to meet Thursday at the APEC Summit in Gyeongju" gives Gyeongju; a place
    further off ("talks in Malaysia, setting the stage for a summit later this week") is
    about something else, and a capital standing for its government says nothing.
    """
    best, best_gap = "", VENUE_DISTANCE + 1
    for place in claim.places:
        if place["name"] in METONYMS:
            continue
        if mention is None:  # an undated claim about the event: its first place will do
            return place["name"]
        gap = max(place["start"] - mention.end, mention.start - place["end"])
        if gap < best_gap:
            best, best_gap = place["name"], gap
    return best


def within(place: str, region: str) -> bool:
    """Busan lies within South Korea; Gimhae within Busan; Gyeongju not within Busan."""
    while place:
        if place == region:
            return True
        place = PLACE_PARENTS.get(place, "")
    return False


def vaguer(mention, event, published) -> bool:
    """A far wider period than the event's day, said BEFORE the event: a different view of
    when it will happen ("later this year" while others say "this Thursday"). Looking
    back, a vague "earlier in the year" is just a passing reference, not a disagreement.
    """
    wide = (mention.date_end - mention.date_start).days > VAGUE_DAYS
    return event.precision == "day" and wide and published < event.start


def rests_on_publication(mention) -> bool:
    """Whether a mention's dates were counted from the report's publication date."""
    return mention is not None and mention.method in RELATIVE_METHODS


def said(mention) -> str:
    """What a source said, at its own precision: "later this week → Tue 28 Oct – Sun 2 Nov 2025"."""
    own = describe_range(mention.date_start, mention.date_end, mention.precision)
    return f"{mention.text} → {own}"


def find_conflicts(event, evidence) -> list[Conflict]:
    """Disagreements among the evidence (supporting or mentioning) of one event.

    Sources are grouped by what they said: the timeline's side holds only the quotes whose
    dates lie within the event's; a wider one that still takes it in ("later this week"
    for a Thursday) is no disagreement, but is shown under its own words, never as if it
    had named the day.
    """
    conflicts = []
    span = event_range(event)
    agree = Side(describe_range(*span, event.precision))
    wider, off_day, vague = {}, {}, {}
    for ev in evidence:
        mention = mention_of(ev)
        if mention is None:
            continue
        own = (mention.date_start, mention.date_end)
        if not overlaps(own, span):
            sides = off_day
        elif vaguer(mention, event, ev.claim.article.published):
            sides = vague
        elif own[0] < span[0] or own[1] > span[1]:
            sides = wider
        else:
            agree.evidence.append(ev)
            continue
        label = said(mention)
        key = (mention.text.lower(), own, mention.precision)
        side = sides.setdefault(key, Side(label, disagrees=sides is not wider))
        side.evidence.append(ev)
    if off_day:
        conflicts.append(
            Conflict(
                "date",
                "Sources disagree on the date",
                [agree, *wider.values(), *off_day.values()],
            )
        )
    if vague:
        conflicts.append(
            Conflict(
                "period",
                "Sources differ on timing: some name the day, others only a far wider period",
                [agree, *wider.values(), *vague.values()],
            )
        )
    if event.place:
        here, elsewhere = Side(event.place), {}
        for ev in evidence:
            place = venue(ev.claim, mention_of(ev))
            if not place:
                continue
            if within(place, event.place):
                here.evidence.append(ev)
            elif not within(event.place, place):  # a wider region containing it agrees
                elsewhere.setdefault(place, Side(place)).evidence.append(ev)
        if elsewhere:
            conflicts.append(
                Conflict("place", "Sources disagree on the place", [here, *elsewhere.values()])
            )
    return conflicts
