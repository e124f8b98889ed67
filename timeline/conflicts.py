"""Where the sources behind one event disagree: on the day, on the place, on the period.

Pure functions over an event and its (prefetched) evidence; nothing is queried here, so a
page can show the conflicts of every event without extra queries.
"""

from dataclasses import dataclass, field

from articles.dates import describe_range
from articles.vocabulary import METONYMS, PLACE_PARENTS

from .linking import event_range, overlaps

# A mention coarser than this many days, for an event known to the day, says the
# sources disagree on how near it is ("later this year" against "this Thursday").
VAGUE_DAYS = 31
# How far (in characters) from the date a place may stand and still be its venue.
VENUE_DISTANCE = 40


@dataclass
class Side:
    label: str  # what these sources say, e.g. "Fri 24 Oct 2025" or "Gyeongju"
    evidence: list = field(default_factory=list)

    @property
    def sources(self):
        """One entry per outlet (its first quote), so an outlet quoted twice is named once."""
        first = {}
        for ev in self.evidence:
            first.setdefault(ev.claim.article.outlet.name, ev)
        return sorted(first.items())


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


def find_conflicts(event, evidence) -> list[Conflict]:
    """Disagreements among the evidence (supporting or mentioning) of one event."""
    conflicts = []
    span = event_range(event)
    agree, off_day, vague = Side(describe_range(*span, event.precision)), {}, {}
    for ev in evidence:
        mention = mention_of(ev)
        if mention is None:
            continue
        own = (mention.date_start, mention.date_end)
        if not overlaps(own, span):
            label = f"{mention.text} → {describe_range(*own, mention.precision)}"
            off_day.setdefault(label, Side(label)).evidence.append(ev)
        elif vaguer(mention, event, ev.claim.article.published):
            label = f"{mention.text} → {describe_range(*own, mention.precision)}"
            vague.setdefault(label, Side(label)).evidence.append(ev)
        else:
            agree.evidence.append(ev)
    if off_day:
        conflicts.append(
            Conflict(
                "date",
                "Sources disagree on the date",
                [agree, *off_day.values()],
            )
        )
    if vague:
        conflicts.append(
            Conflict(
                "period",
                "Sources differ on timing: some name the day, others only a far wider period",
                [agree, *vague.values()],
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
