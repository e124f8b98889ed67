"""Where the sources behind one event disagree: on the day, on the place, on the period.

Pure functions over an event and its (prefetched) evidence; nothing is queried here, so a
page can show the conflicts of every event without extra queries.
"""

from dataclasses import dataclass, field

from articles.vocabulary import METONYMS, PLACE_PARENTS

from .dates import describe_range
from .linking import event_range, overlaps

# A mention coarser than this many days, for an event known to the day, says the
# sources disagree on how near it is ("later this year" against "this Thursday").
VAGUE_DAYS = 31


@dataclass
class Side:
    label: str  # what these sources say, e.g. "Fri 24 Oct 2025" or "Gyeongju"
    evidence: list = field(default_factory=list)

    @property
    def outlets(self):
        return sorted({ev.claim.article.outlet.name for ev in self.evidence})


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


def places_of(claim, event_place: str) -> list[str]:
    """Venue-level places a claim names, leaving out metonyms and the event's own region."""
    allowed = {event_place}
    place = event_place
    while place in PLACE_PARENTS:
        place = PLACE_PARENTS[place]
        allowed.add(place)
    return [p for p in claim.places if p not in METONYMS and p not in allowed]


def find_conflicts(event, evidence) -> list[Conflict]:
    """Disagreements among the evidence (supporting or mentioning) of one event."""
    evidence = [ev for ev in evidence if ev.stance != "contradicts"] + [
        ev for ev in evidence if ev.stance == "contradicts"
    ]
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
        elif event.precision == "day" and (own[1] - own[0]).days > VAGUE_DAYS:
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
                "Sources disagree on when: some name the day, some only a far wider period",
                [agree, *vague.values()],
            )
        )
    if event.place:
        here, elsewhere = Side(event.place), {}
        for ev in evidence:
            others = places_of(ev.claim, event.place)
            if others:
                label = " / ".join(others)
                elsewhere.setdefault(label, Side(label)).evidence.append(ev)
            elif event.place in ev.claim.places:
                here.evidence.append(ev)
        if elsewhere:
            conflicts.append(
                Conflict(
                    "place",
                    "Sources disagree on the place",
                    [here, *elsewhere.values()],
                )
            )
    return conflicts
