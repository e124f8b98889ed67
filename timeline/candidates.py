"""New events from what the reports mention: grouping the dated claims no event takes.

A candidate is a dated claim the linker tied to no event (linking.unlinked_claims). Two
candidates say the same thing when their dates overlap, within the precision each gives
(the linker's own mention ranges), and their sentences share words: at least two content
words, or one place. A group is a set of candidates every two of which say the same
thing, so a group never chains one story into another through a sentence in between.

The grouping and what a group proposes for its event (title, dates, place, topics,
keywords) are pure functions over claims with their mentions, places and topics
prefetched; only unique_slug() and create_event() touch the database.
"""

import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from django.db import transaction
from django.utils.text import slugify

from articles.pipeline.dates.periods import PRECISIONS, describe_range, period_end
from articles.pipeline.vocabulary import METONYMS

from .conflicts import venue
from .linking import decide, mention_range, overlaps
from .models import Event, Evidence
from .outcomes import record_change

# Two sentences sharing this many content words (or one place) and a date say the same thing.
MIN_SHARED_WORDS = 2
# A proposed title is the stretch of a sentence between the words the group shares, when
# it is this short; else the start of the first sentence.
TITLE_WORDS = 12
MAX_KEYWORDS = 8

# Words that tie no two sentences together: function words, reporting verbs, and the
# words of dates (the dates are compared as dates, not as words).
STOPWORDS = frozenset(
    """
    a about above after again against all also am an and any are around as at be because
    been before being below between both but by can could did do does doing down during
    each few for from further had has have having he her here hers him his how i if in
    into is it its itself just may me might more most much must my no nor not now of off
    on once only or other our ours out over own same she should so some such than that the
    their theirs them then there these they this those through to too under until up upon
    very was we were what when where which while who whom why will with would you your
    said says say saying told tell according reported reportedly added amid among
    one two three new set expected likely per cent percent mr ms
    """.split()
)
DATE_WORDS = frozenset(
    """
    monday tuesday wednesday thursday friday saturday sunday weekend week weeks month months
    year years quarter today tomorrow yesterday tonight day days later earlier next last
    ago since early late mid
    january february march april june july august september october november december
    jan feb mar apr jun jul aug sep sept oct nov dec
    """.split()
)
# Words nearly every report on the talks carries: sharing them says nothing about sharing
# a story. They still count towards a title ("Trump to visit China"), never as a keyword.
COMMON = frozenset(
    ["us", "usa", "china", "chinese", "america", "american", "united", "states", "beijing"]
    + ["washington", "trade", "economic", "economy", "country", "countries", "official"]
)

TOKEN = re.compile(r"[^\W_]+(?:['’.\-][^\W_]+)*")


def normalize(word: str) -> str:
    """A word as groups compare it; "" for a word that ties nothing together.

    >>> [normalize(w) for w in ["Tariffs", "Trump’s", "U.S.", "Thursday", "the", "2026", "100"]]
    ['tariff', 'trump', 'us', '', '', '', '100']
    """
    w = word.lower().replace("’", "'").removesuffix(".")
    w = w.removesuffix("'s").replace(".", "")
    if w in STOPWORDS or w in DATE_WORDS or len(w) < 2:
        return ""
    if w.isdigit() and (len(w) < 3 or 1900 <= int(w) <= 2100):
        return ""  # days of the month and years are dates
    if len(w) > 4 and w.endswith("s") and not w.endswith("ss"):
        w = w[:-1]  # plural as singular: "tariffs", "tariff"
    return w


@dataclass(frozen=True)
class Token:
    word: str  # normalized
    text: str  # as written
    start: int
    end: int


def tokens(sentence: str, skip=()) -> list[Token]:
    """The content words of a sentence, outside the spans in `skip` (its date mentions)."""
    found = []
    for m in TOKEN.finditer(sentence):
        if any(s < m.end() and m.start() < e for s, e in skip):
            continue
        word = normalize(m.group())
        if word:
            found.append(Token(word, m.group(), m.start(), m.end()))
    return found


def places_of(claim) -> frozenset[str]:
    """The places a sentence names, but not capitals standing for their governments."""
    return frozenset(p["name"] for p in claim.places if p["name"] not in METONYMS)


@dataclass
class Member:
    """One candidate claim in a group, with the date mention that dates it there."""

    claim: object  # articles.models.Claim, its article, outlet, mentions and topics prefetched
    mentions: list  # its date mentions (articles.models.DateMention)
    ranges: list  # their dates, widened by their precision's slack (linking.mention_range)
    mention: object  # the one that dates it in its group
    tokens: list[Token]
    words: frozenset[str]
    places: frozenset[str]

    @property
    def range(self):
        return self.ranges[self.mentions.index(self.mention)]


def member(claim) -> Member | None:
    """A claim as groups compare it; None for a claim with no date."""
    mentions = list(claim.mentions.all())
    if not mentions:
        return None
    found = tokens(claim.sentence, [(m.start, m.end) for m in mentions])
    return Member(
        claim,
        mentions,
        [mention_range(m) for m in mentions],
        mentions[0],
        found,
        frozenset(t.word for t in found),
        places_of(claim),
    )


def shared(a: Member, b: Member) -> tuple[set[str], set[str]]:
    """The content words (common ones aside) and the places two candidates share."""
    return (a.words & b.words) - COMMON, set(a.places & b.places)


def alike(a: Member, b: Member) -> bool:
    """Their words say the same thing: two shared content words, or one shared place."""
    words, places = shared(a, b)
    return len(words) >= MIN_SHARED_WORDS or bool(places)


@dataclass
class Group:
    members: list[Member] = field(default_factory=list)
    # The days every member's (widened) date takes in. Dates on a line that overlap two by
    # two all share these days, so a newcomer's date meets every member's if it meets them.
    window: tuple[date, date] | None = None

    # --- building -------------------------------------------------------------------------

    def admits(self, new: Member):
        """The mention of `new` that dates it with every member, if its words match them all.

        Dates are compared first: most groups are about other days, and that is cheap.
        """
        if len(self.members) == 1:
            # The first member's mention was only a guess: any pair of dates will do.
            first = self.members[0]
            pairs = [
                (mine, theirs)
                for mine, a in zip(first.mentions, first.ranges, strict=True)
                for theirs, b in zip(new.mentions, new.ranges, strict=True)
                if overlaps(a, b)
            ]
            if not pairs or not alike(new, first):
                return None
            first.mention = pairs[0][0]
            return pairs[0][1]
        mention = next(
            (m for m, r in zip(new.mentions, new.ranges, strict=True) if overlaps(r, self.window)),
            None,
        )
        if mention is None or not all(alike(new, m) for m in self.members):
            return None
        return mention

    def add(self, new: Member, mention):
        new.mention = mention
        self.members.append(new)
        ranges = [m.range for m in self.members]
        self.window = (max(r[0] for r in ranges), min(r[1] for r in ranges))

    # --- what it says ----------------------------------------------------------------------

    @property
    def claims(self) -> list:
        return [m.claim for m in self.members]

    @property
    def ids(self) -> str:
        """The claims' ids as a form value: "12,15,19"."""
        return ",".join(str(c.pk) for c in self.claims)

    @property
    def reports(self) -> int:
        return len({c.article_id for c in self.claims})

    @property
    def outlets(self) -> list[str]:
        return sorted({c.article.outlet.name for c in self.claims})

    def _counted(self, values_per_member) -> Counter:
        """How many members carry each value (once per member), in order of first sight."""
        counts = Counter()
        for values in values_per_member:
            counts.update(list(dict.fromkeys(values)))
        return counts

    @property
    def shared_places(self) -> list[str]:
        if len(self.members) < 2:
            return []
        counts = self._counted(sorted(m.places) for m in self.members)
        return [p for p, n in counts.items() if n >= 2]

    @property
    def shared_words(self) -> list[str]:
        """The words at least two members carry, as first written, most shared first."""
        if len(self.members) < 2:
            return []
        written = {}
        for m in self.members:
            for t in m.tokens:
                written.setdefault(t.word, t.text)
        counts = self._counted([t.word for t in m.tokens] for m in self.members)
        ranked = sorted(
            (w for w, n in counts.items() if n >= 2), key=lambda w: -counts[w]
        )  # a stable sort: ties keep their order of first sight
        return [written[w] for w in ranked]

    @property
    def keywords(self) -> list[str]:
        """What will tie later reports to the event: its shared places and words."""
        places = self.shared_places
        words = [w for w in self.shared_words if normalize(w) not in COMMON]
        taken = {p.lower() for p in places}
        return [*places, *(w for w in words if w.lower() not in taken)][:MAX_KEYWORDS]

    @property
    def reason(self) -> str:
        """Why these sentences are one group, in an editor's words."""
        if len(self.members) < 2:
            return "No other report's sentence shares its date and words."
        parts = []
        if self.shared_places:
            parts.append("the place " + ", ".join(self.shared_places))
        words = [w for w in self.shared_words if normalize(w) not in COMMON]
        if words:
            parts.append("the words " + ", ".join(f"“{w}”" for w in words))
        return f"Their dates meet ({self.when}) and they share " + " and ".join(parts) + "."

    @property
    def span(self) -> tuple[date, date | None, str]:
        """(start, end or None, precision) for the event, from the members' mentions.

        The days every mention agrees on, at the finest precision among them: "April"
        and "April 15" give Wed 15 Apr. Mentions that overlap only by the slack of a day
        ("Friday" and "Saturday") give the days of the finest ones, from first to last.
        """
        mentions = [m.mention for m in self.members]
        precision = min((m.precision for m in mentions), key=PRECISIONS.index)
        start = max(m.date_start for m in mentions)
        end = min(m.date_end for m in mentions)
        if start > end:
            finest = [m for m in mentions if m.precision == precision]
            start = min(m.date_start for m in finest)
            end = max(m.date_end for m in finest)
        return start, (None if end == period_end(start, precision) else end), precision

    @property
    def when(self) -> str:
        start, end, precision = self.span
        return describe_range(start, end or period_end(start, precision), precision)

    @property
    def title(self) -> str:
        """A title from the sentences: the shortest stretch of one that runs from the first
        word the group shares to the last ("Trump will visit China"); for a lone sentence,
        or when no stretch is short, the start of the first sentence, its dates left out.
        """
        shared = {normalize(w) for w in self.shared_words} | {
            normalize(w) for place in self.shared_places for w in place.split()
        }
        stretches = []
        for m in self.members:
            hits = [t for t in m.tokens if t.word in shared]
            if len(hits) >= 2:
                text = m.claim.sentence[hits[0].start : hits[-1].end]
                if len(text.split()) <= TITLE_WORDS:
                    stretches.append(text)
        if stretches:
            return _capitalized(min(stretches, key=lambda s: (len(s.split()), len(s))))
        first = self.members[0]
        sentence = first.claim.sentence
        for mention in sorted(first.mentions, key=lambda x: -x.start):
            sentence = sentence[: mention.start] + sentence[mention.end :]
        words = sentence.split()
        text = " ".join(words[:TITLE_WORDS])
        text = re.sub(r"\s+([,.;:!?])", r"\1", text).strip(" ,;:.“”\"'")
        return _capitalized(text + ("…" if len(words) > TITLE_WORDS else ""))

    @property
    def label(self) -> str:
        """What the group is, when, and how many reports say so:
        "Trump to visit China · April 2026 · 3 reports"."""
        n = self.reports
        return f"{self.title} · {self.when} · {n} report{'s' if n != 1 else ''}"

    @property
    def place(self) -> str:
        """The place most of the sentences put it in (next to its date), if any."""
        places = Counter(p for p in (venue(m.claim, m.mention) for m in self.members) if p)
        return places.most_common(1)[0][0] if places else ""

    @property
    def topics(self) -> list:
        """The topics of its sentences, once each."""
        seen = {}
        for claim in self.claims:
            for topic in claim.topics.all():
                seen.setdefault(topic.pk, topic)
        return list(seen.values())

    @property
    def status(self) -> str:
        """Scheduled when every report speaks of it ahead of its day, else happened."""
        ahead = all(m.mention.date_start > m.claim.article.published for m in self.members)
        return Event.Status.SCHEDULED if ahead else Event.Status.HAPPENED

    def proposal(self) -> dict:
        """The event form's starting values; the editor changes what they like."""
        start, end, precision = self.span
        return {
            "title": self.title[:200],
            "start": start,
            "end": end,
            "precision": precision,
            "status": self.status,
            "place": self.place,
            "topics": [t.pk for t in self.topics],
            "keywords": self.keywords,
        }


def _capitalized(text: str) -> str:
    return text[:1].upper() + text[1:]


def group_candidates(claims) -> list[Group]:
    """Candidates grouped: each joins the first group whose every member it matches.

    The largest groups (most reports) come first, then the newest, as the claims came.
    """
    groups: list[Group] = []
    for claim in claims:
        new = member(claim)
        if new is None:
            continue
        for group in groups:
            mention = group.admits(new)
            if mention is not None:
                group.add(new, mention)
                break
        else:
            group = Group()
            group.add(new, new.mention)
            groups.append(group)
    order = {id(g): n for n, g in enumerate(groups)}
    return sorted(groups, key=lambda g: (-g.reports, -len(g.members), order[id(g)]))


def as_group(claims) -> Group:
    """The claims an editor chose, as one group whatever their words: each dated by the
    mention that overlaps most of the others' chosen ones."""
    group = Group()
    for claim in claims:
        new = member(claim)
        if new is None:
            continue
        chosen = [m.mention for m in group.members]
        best = max(
            new.mentions,
            key=lambda x: sum(overlaps(mention_range(x), mention_range(o)) for o in chosen),
        )
        group.add(new, best)
    return group


def unique_slug(title: str) -> str:
    """A slug from the title no event has yet: "trump-visit", else "trump-visit-2", …"""
    base = slugify(title)[:110].strip("-") or "event"
    taken = set(Event.objects.filter(slug__startswith=base).values_list("slug", flat=True))
    slug, n = base, 1
    while slug in taken:
        n += 1
        slug = f"{base}-{n}"
    return slug


@transaction.atomic
def create_event(event: Event, *, topics, group: Group, user=None) -> Event:
    """Save a new event and accept the group's claims as its evidence, each dated by the
    mention that put it in the group, and start its story with its status, resting on the
    same claims; all of it, or nothing."""
    event.full_clean()
    event.save()
    event.topics.set(topics)
    rows = []
    for m in group.members:
        # A report ingested meanwhile may already have been linked to the new event.
        ev, _ = Evidence.objects.get_or_create(
            event=event,
            claim=m.claim,
            defaults={"mention": m.mention, "stance": Evidence.Stance.SUPPORTS},
        )
        rows.append(ev)
    decide(rows, Evidence.State.ACCEPTED)
    earliest = min(m.claim.article.published for m in group.members)
    record_change(
        event=event,
        status=event.status,
        effective=event.start if event.status == Event.Status.HAPPENED else earliest,
        precision=event.precision if event.status == Event.Status.HAPPENED else "day",
        claims=[m.claim for m in group.members],
        user=user,
    )
    return event
