"""Suggesting events for dated claims.

A claim's date mention is compared with the events around it: the dates must overlap (a
day-precision mention gets a day of slack either side, since outlets disagree by a day
more often than they invent a new event), and the words must match: the event's
keywords in the sentence count double, in the rest of the passage once, shared topics
half; any match at all will do, since the dates already had to agree. The best-scoring
events for each mention are suggested; an editor decides.
Linking a report reads only the events whose days can reach the time it covers
(events_near), and finds each mention's among them through an index by day
(EventIndex), so its cost does not grow with the length of the timeline.
Pure functions over plain objects; link_article() is the only one that writes.
"""

from bisect import bisect_left, bisect_right
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache, lru_cache

from django.db import connection, transaction
from django.utils import timezone
from simple_history.utils import bulk_update_with_history

from articles.analysis_rows import remember
from articles.models import Claim
from articles.pipeline.dates import Known
from articles.pipeline.outcomes import outcome_cues
from articles.signals import content_changed
from tradewatch import statements
from tradewatch.history import bulk_create_with_history

from .models import Event, Evidence, StatusChange
from .outcomes import Outcome, outcome_for

SLACK_DAYS = {"day": 1}
VAGUE_PRECISIONS = ("month", "quarter", "season", "year")
# How many days past its first an event with no end date can last, by precision: the
# longest period of that precision (articles.pipeline.dates.periods.period_end); a day,
# or any other precision, lasts its first day only.
PERIOD_REACH = {"week": 6, "month": 30, "quarter": 91, "season": 91, "year": 365}
# What link_article may change on a piece of evidence it keeps.
LINKED_FIELDS = [
    "mention",
    "stance",
    "score",
    "outcome",
    "outcome_date",
    "outcome_state",
    "updated",
]


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


class EventIndex:
    """Events by the day they start, so that the events a span of days overlaps are found
    without looking at the others. Lookups give them in the order they were given.

    An event can reach back into a span from before it (a truce that began a month ago),
    so a lookup starts as far before the span as the longest event lasts.
    """

    def __init__(self, events: Iterable[Event]):
        self.events = list(events)
        self._by_start = sorted(range(len(self.events)), key=lambda i: self.events[i].start)
        self._starts = [self.events[i].start for i in self._by_start]
        self._longest = max((e.last_day - e.start for e in self.events), default=timedelta(0))
        self._due = {}
        # Each event's keywords in lower case, as ClaimWords compares them, and the day it is
        # due: worked out once for the index, not again for every claim that asks.
        self._keywords = {id(e): tuple(word.lower() for word in e.keywords) for e in self.events}
        self._dues = {}

    def _starting(self, first: date | None, last: date) -> list[Event]:
        """The events starting from `first` (None: any day) to `last`, in the given order."""
        low = 0 if first is None else bisect_left(self._starts, first)
        high = bisect_right(self._starts, last)
        return [self.events[i] for i in sorted(self._by_start[low:high])]

    def overlapping(self, days: tuple[date, date]) -> list[Event]:
        """The events whose own days (event_range) overlap `days`."""
        candidates = self._starting(days[0] - self._longest, days[1])
        return [e for e in candidates if overlaps(days, event_range(e))]

    def due_within(self, window: tuple[date, date]) -> list[Event]:
        """The events whose days up to their due day overlap `window`, as by_name() asks:
        worked out once per window (a report's), however many claims ask."""
        if window not in self._due:
            candidates = self._starting(None, window[1])
            self._due[window] = [e for e in candidates if overlaps(window, (e.start, self.due(e)))]
        return self._due[window]

    def keywords(self, event: Event) -> tuple[str, ...]:
        """One of the index's events' keywords, in lower case."""
        return self._keywords[id(event)]

    def due(self, event: Event) -> date:
        """One of the index's events' Event.due, read from its story once."""
        key = id(event)
        if key not in self._dues:
            self._dues[key] = event.due
        return self._dues[key]


def events_near(window: tuple[date, date]) -> list[Event]:
    """The events whose days can overlap `window`: from their start to their last day, or
    to the new day a postponement or an extension moved them to, in timeline order.

    A little more than suggest() and by_name() accept (they check again). Each condition
    is a range of days on an indexed date (the start; the end; a change's new date), so
    the database reads the events around the window, never the whole timeline. The
    events moved into it come in a second select of a union: a subquery among the
    conditions would have it read every event.

    Each event comes with `has_story`: whether it has status changes to read.
    One statement, written out once: the ORM spent some 3 ms building and compiling it
    for every report linked, thirty times what the database takes to run it.
    """
    first, last = window
    params = [first, last, first, last]
    for precision, days in PERIOD_REACH.items():
        params += [precision, first - timedelta(days=days), last]
    params += [first, last]
    ops = connection.ops
    return list(
        Event.objects.raw(
            _near_sql(connection.vendor),
            [ops.adapt_datefield_value(p) if isinstance(p, date) else p for p in params],
        )
    )


@cache
def _near_sql(vendor: str) -> str:
    """events_near's statement (one per database vendor: the quoting may differ)."""
    table, changes = _table(Event), _table(StatusChange)
    pk, start, end, precision, title = _columns(Event, "pk", "start", "end", "precision", "title")
    event, new_date = _columns(StatusChange, "event", "new_date")
    # Whether the event has a story at all: most have none, and need no read of it.
    story = f"EXISTS (SELECT 1 FROM {changes} WHERE {event} = {table}.{pk})"
    columns = ", ".join([*_columns(Event), f"{story} AS has_story"])
    open_ended = " OR ".join(
        f"({precision} = %s AND {start} BETWEEN %s AND %s)" for _ in PERIOD_REACH
    )
    return (
        f"SELECT {columns} FROM {table} WHERE {start} BETWEEN %s AND %s"
        f" OR ({end} >= %s AND {start} <= %s)"
        f" OR ({end} IS NULL AND ({open_ended}))"
        f" UNION SELECT {columns} FROM {table} WHERE {pk} IN"
        f" (SELECT {event} FROM {changes} WHERE {new_date} >= %s) AND {start} <= %s"
        f" ORDER BY {start}, {title}, {pk}"
    )


def event_indexes(windows) -> dict[tuple[date, date], tuple[EventIndex, dict[int, set[str]]]]:
    """For each window of days, an index of the events near it and their topics' slugs.

    Windows that overlap share one read of the events near them all (an index answers
    for each window what an index of its own events would: its lookups are by day), so a
    batch of reports about the same weeks reads them once.
    """
    spans: list[list] = []  # [first, last, windows] of overlapping windows, by first day
    for window in sorted(set(windows)):
        if spans and window[0] <= spans[-1][1]:
            spans[-1][1] = max(spans[-1][1], window[1])
            spans[-1][2].append(window)
        else:
            spans.append([window[0], window[1], [window]])
    indexes = {}
    for first, last, members in spans:
        events = events_near((first, last))
        found = (EventIndex(events), read_stories_and_topics(events))
        indexes.update(dict.fromkeys(members, found))
    return indexes


def read_stories_and_topics(events: list[Event]) -> dict[int, set[str]]:
    """Give each event its story (an event's story says the day it is now due, Event.due),
    read only for those that have one (events_near's `has_story`); and the slugs of each
    event's topics, by event. Two statements written out once, for the reason
    events_near's is."""
    topics = {event.pk: set() for event in events}
    if not events:
        return topics
    told = [event for event in events if event.has_story]
    stories = {event.pk: [] for event in told}
    if told:
        for change in StatusChange.objects.raw(
            _stories_sql(connection.vendor, len(told)), list(stories)
        ):
            stories[change.event_id].append(change)
    for event in events:
        remember(event, "changes", stories.get(event.pk, []))
    with connection.cursor() as cursor:
        cursor.execute(_topics_sql(connection.vendor, len(events)), list(topics))
        for pk, slug in cursor.fetchall():
            topics[pk].add(slug)
    return topics


def _table(model) -> str:
    return statements.table(connection, model)


def _columns(model, *names: str) -> list[str]:
    return statements.columns(connection, model, *names)


@lru_cache(maxsize=256)
def _stories_sql(vendor: str, count: int) -> str:
    """The status changes of `count` events, in the order Event.changes gives them."""
    event, effective, decided, pk = _columns(StatusChange, "event", "effective", "decided", "pk")
    events = statements.placeholders(count)
    return (
        f"SELECT {', '.join(_columns(StatusChange))} FROM {_table(StatusChange)}"
        f" WHERE {event} IN ({events}) ORDER BY {event}, {effective}, {decided}, {pk}"
    )


@lru_cache(maxsize=256)
def _topics_sql(vendor: str, count: int) -> str:
    """(event pk, topic slug) of the topics of `count` events."""
    through, topic = Event.topics.through, Event.topics.field.related_model
    event, tagged = _columns(through, "event", "topic")
    slug, pk = _columns(topic, "slug", "pk")
    events = statements.placeholders(count)
    return (
        f"SELECT t.{event}, o.{slug} FROM {_table(through)} t"
        f" JOIN {_table(topic)} o ON o.{pk} = t.{tagged} WHERE t.{event} IN ({events})"
    )


class ClaimWords:
    """A claim's words as the linker scores them, lowered once for all the events it is
    compared with (a report's claims meet dozens each): its sentence; the rest of its
    passage; its topics' slugs and its outcome cues, read when first asked for. The
    events' keywords come lowered from their EventIndex. How many of an event's keywords
    a text holds is counted whatever their case (tests/timeline/test_linking_words.py
    holds this to the plain spelling, reading the texts afresh for every event)."""

    def __init__(self, claim: Claim):
        self.claim = claim
        self.sentence = claim.sentence.lower()
        self._rest = self._topics = self._cues = None

    def hits(self, keywords: tuple[str, ...]) -> int:
        """How many of the keywords (in lower case) the claim's sentence holds."""
        sentence = self.sentence
        return sum(1 for word in keywords if word in sentence)

    def score(self, keywords: tuple[str, ...], event_topics: set) -> float:
        """How well the claim's words point at an event, dates aside: the event's keywords
        (in lower case) in its sentence count double, in the rest of its passage once,
        shared topics half."""
        if self._rest is None:
            claim = self.claim
            passage = claim.passage.text if claim.passage else claim.sentence
            self._rest = passage.replace(claim.sentence, " ").lower()
            self._topics = {t.slug for t in claim.topics.all()}
        rest = self._rest
        return (
            2 * self.hits(keywords)
            + sum(1 for word in keywords if word in rest)
            + 0.5 * len(self._topics & event_topics)
        )

    def outcome(self, event: Event) -> Outcome | None:
        """outcome_for(claim, event), the sentence's cues read once."""
        if self._cues is None:
            self._cues = outcome_cues(self.claim.sentence)
        return outcome_for(self.claim, event, self._cues)


def suggest(
    claim: Claim,
    events: "EventIndex | list[Event]",
    event_topics: dict,
    window: tuple[date, date] | None = None,
    mentions: list | None = None,
) -> list[Suggestion]:
    """The events a claim's date mentions point at, best first; one suggestion per event.

    When no event's words match, a month-or-coarser mention whose dates overlap exactly
    one event still suggests it, as a "mentions" stance, so a vague "since May" is not
    lost. A day or week mention gets no such benefit of the doubt: something else
    happening that weekend is likelier than an oblique reference to the event.
    `events` is a list, or an EventIndex of them to share between a report's claims;
    `mentions`: the claim's, when read already.
    """
    index = events if isinstance(events, EventIndex) else EventIndex(events)
    words = ClaimWords(claim)
    best: dict[int, Suggestion] = {}
    for mention in claim.mentions.all() if mentions is None else mentions:
        dated = index.overlapping(mention_range(mention))
        scored = [(words.score(index.keywords(e), event_topics[e.pk]), e) for e in dated]
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
            words.outcome(s.event) if words.hits(index.keywords(s.event)) else None,
        )
        for s in best.values()
    ]
    if window is not None:
        named = [e for e in index.due_within(window) if e.pk not in best]
        suggestions += by_name(words, named, window, index)
    return sorted(suggestions, key=lambda x: -x.score)


def by_name(
    words: ClaimWords, events: list[Event], window: tuple[date, date], index: EventIndex
) -> list[Suggestion]:
    """A claim that reports an outcome often gives no date of its own ("the agreement means
    the threatened duties will not take effect"), or only the new one ("until next autumn"):
    it is linked to the events its sentence names, within the time its report covers, when
    what it reports fits the event. `events`: some of the index's."""
    found = []
    for event in events:
        named = words.hits(index.keywords(event))
        if not named or not overlaps(window, (event.start, index.due(event))):
            continue
        outcome = words.outcome(event)
        if outcome is not None:
            found.append(Suggestion(event, None, 2.0 * named, Evidence.Stance.SUPPORTS, outcome))
    return found


def report_window(mentions, published: date) -> tuple[date, date]:
    """The time a report covers: from the earliest to the latest of its claims' date
    mentions (a list of them for each claim) and its publication date, a week either
    side."""
    days = [published]
    for dated in mentions:
        for mention in dated:
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


def link_article(article, claims=None, *, new=False) -> list[Evidence]:
    """Refresh the suggested evidence of one article's claims (link_articles, for one).

    `claims`: all the article's claims as the door just stored them, with their passage,
    mentions and topics (read from the database when not given); `new`: the article was
    created in this transaction, so no evidence can point at its claims yet.
    """
    return link_articles([(article, claims, new)])


@transaction.atomic(savepoint=False)
def link_articles(articles) -> list[Evidence]:
    """Refresh the suggested evidence of the claims of several articles:
    (article, claims or None, new) each, as link_article takes them.

    Editors' decisions (accepted or rejected rows) are never touched; suggestions that
    no longer hold are removed, new ones are added. Reads the events near the reports'
    dates only (once for reports whose dates overlap, as a batch of the door's mostly
    do), and writes in a few statements whatever the number of rows, each row's version
    in the history all the same. All or nothing: inside an ingest's transaction it takes
    no savepoint of its own, since a failure undoes the whole ingest.
    """
    reports = []
    for article, claims, new in articles:
        if claims is None:
            claims = article.claims.select_related("passage").prefetch_related("mentions", "topics")
        claims = [claim for claim in claims if claim.anchor_state != Claim.AnchorState.ORPHANED]
        # Read once for the window and the suggestions both.
        mentions = [list(claim.mentions.all()) for claim in claims]
        window = report_window(mentions, article.published)
        reports.append((article, list(zip(claims, mentions, strict=True)), new, window))
    indexes = event_indexes([window for *_, window in reports])
    old = [article for article, _, new, _ in reports if not new]
    existing = (
        {(ev.event_id, ev.claim_id): ev for ev in Evidence.objects.filter(claim__article__in=old)}
        if old
        else {}
    )
    wanted = {}
    for _, claims, _, window in reports:
        index, event_topics = indexes[window]
        for claim, mentions in claims:
            for s in suggest(claim, index, event_topics, window, mentions):
                wanted[(s.event.pk, claim.pk)] = (claim, s)

    stale = [
        ev.pk
        for key, ev in existing.items()
        if ev.state == Evidence.State.SUGGESTED and key not in wanted
    ]
    if stale:
        # Deleted through the model's signals: the history records each row.
        Evidence.objects.filter(pk__in=stale).delete()
    touched, added, changed = [], [], []
    for key, (claim, s) in wanted.items():
        ev = existing.get(key)
        if ev is None:
            ev = Evidence(event=s.event, claim=claim, state=Evidence.State.SUGGESTED)
            added.append(ev)
        elif ev.state == Evidence.State.SUGGESTED:
            changed.append(ev)
        else:
            # An editor's decision on the link stands; a newly reported outcome is still
            # suggested, unless the editor has already decided on one.
            news = False
            if ev.mention_id is None and s.mention is not None:
                ev.mention, news = s.mention, True
            if not ev.outcome_state and s.outcome:
                set_outcome(ev, s.outcome)
                news = True
            if news:
                changed.append(ev)
            continue
        ev.mention, ev.stance, ev.score = s.mention, s.stance, s.score
        if ev.outcome_state != Evidence.State.REJECTED:
            set_outcome(ev, s.outcome)
        touched.append(ev)
    bulk_create_with_history(added, Evidence)
    now = timezone.now()
    for ev in changed:
        ev.updated = now  # what save() would set; bulk_update leaves it to the caller
    bulk_update_with_history(changed, Evidence, LINKED_FIELDS)
    if added or changed:
        # Written without save(): tell whoever keeps copies of the pages.
        content_changed.send(sender=Evidence)
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
    mark_reviewed(Claim.objects.filter(evidence__in=rows))
    content_changed.send(sender=Evidence)  # bulk updates send no model signal
    return len(rows)


def mark_reviewed(claims) -> None:
    """The claims an editor decided on become reviewed, each change in their history: a
    later correction of the report keeps them, and with them the decision."""
    claims = list(claims.filter(reviewed=False).distinct().order_by("pk"))
    for claim in claims:
        claim.reviewed = True
    bulk_update_with_history(claims, Claim, ["reviewed"], batch_size=500)


# How far from a report's publication an event may lie to help read its dates.
KNOWN_WITHIN = timedelta(days=120)
# What the pipeline needs of them.
KNOWN_FIELDS = ("title", "start", "end", "place", "keywords")


def known_dates(published: date) -> list[Known]:
    """The events around `published`, as the pipeline's dated things: named by their place
    and their distinctive keywords, those with a capital, a digit or more than one word
    ("Busan", "100%", "rare earth"), not the common words that tie sentences to many
    events ("talks", "truce")."""
    return known_dates_around([published])[published]


def known_dates_around(days: Iterable[date]) -> dict[date, list[Known]]:
    """known_dates() of each of several days (settings.TRADEWATCH_KNOWN_DATES). Days whose
    windows overlap share one read of the events in them all: a batch of the door's
    reports, most published within weeks of each other, reads them once."""
    spans: list[list[date]] = []  # days whose windows overlap, in order
    for day in sorted(set(days)):
        if spans and day - spans[-1][-1] <= 2 * KNOWN_WITHIN:
            spans[-1].append(day)
        else:
            spans.append([day])
    ops = connection.ops
    found = {}
    for span in spans:
        bounds = [_within(span[0])[0], _within(span[-1])[1]]
        events = Event.objects.raw(
            _known_sql(connection.vendor), [ops.adapt_datefield_value(d) for d in bounds]
        )
        known = [
            Known(event.title, names, event.start, event.end or event.start)
            for event in events
            if (names := _distinctive(event))
        ]
        for day in span:
            first, last = _within(day)
            found[day] = [k for k in known if first <= k.start <= last]
    return found


def _within(day: date) -> tuple[date, date]:
    """The days within KNOWN_WITHIN of `day`, as far as the calendar goes (a batch may
    hold a report dated 9999-12-31, which the door refuses, but not before its reads)."""
    return (
        day - KNOWN_WITHIN if day - date.min >= KNOWN_WITHIN else date.min,
        day + KNOWN_WITHIN if date.max - day >= KNOWN_WITHIN else date.max,
    )


@cache
def _known_sql(vendor: str) -> str:
    """known_dates' read, written out once for the reason events_near's is: the events
    starting between two days, with what the pipeline needs of them."""
    pk, title, start = _columns(Event, "pk", "title", "start")
    return (
        f"SELECT {', '.join(_columns(Event, 'pk', *KNOWN_FIELDS))} FROM {_table(Event)}"
        f" WHERE {start} BETWEEN %s AND %s ORDER BY {start}, {title}, {pk}"
    )


def _distinctive(event: Event) -> tuple[str, ...]:
    words = [event.place, *event.keywords]
    return tuple(
        dict.fromkeys(
            w
            for w in words
            if w and (any(c.isupper() or c.isdigit() for c in w) or len(w.split()) > 1)
        )
    )
