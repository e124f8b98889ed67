"""Storing and linking a report costs the same whatever the length of the timeline and
however many claims the report has: the linker reads the events around the report's
dates (through the indexes on dates), finds each mention's among them through an index
by day, and rows are written in bulk, their history with them."""

import random
import re
from datetime import date, timedelta

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from articles.models import Claim, Outlet
from articles.pipeline.dates.periods import PRECISIONS, period_end
from timeline.linking import (
    PERIOD_REACH,
    EventIndex,
    event_range,
    events_near,
    overlaps,
    report_window,
)
from timeline.models import Event, Evidence
from timeline.outcomes import record_change

from .factories import add_report, make_event

FIRST = date(2025, 12, 1)
OUTLET = "Scale Wire"


def protocol_line(n: int, first: date = FIRST) -> str:
    day = first + timedelta(days=n - 1)
    return f"Negotiators signed tariff protocol {n:02d} on {day:%B} {day.day} in Geneva."


def protocol_report(claims: int, first: date = FIRST) -> str:
    return "\n\n".join(protocol_line(n, first) for n in range(1, claims + 1))


def make_protocols(count: int, first: date = FIRST) -> list[Event]:
    return [
        make_event(
            f"protocol-{first:%Y-%m}-{n:02d}",
            first + timedelta(days=n - 1),
            title=f"Tariff protocol {n:02d} signed",
            keywords=[f"protocol {n:02d}"],
            kind=Event.Kind.AGREEMENT,
        )
        for n in range(1, count + 1)
    ]


def make_far_events(count: int) -> list[Event]:
    """Events years before and after December 2025, named by words the reports use."""
    rng = random.Random(count)
    return [
        make_event(
            f"far-{n:03d}",
            rng.choice([date(2016, 1, 4), date(2031, 1, 6)]) + timedelta(days=rng.randrange(900)),
            title=f"Far event {n:03d}",
            keywords=["tariff protocol", "Geneva"],
            precision=rng.choice(["day", "day", "week", "month"]),
        )
        for n in range(count)
    ]


def queries_to_ingest(body: str, published: date, *, setup=None):
    """How many queries the door runs for one report; what it stored (claims, evidence,
    and the versions in the history of the article, the claims and the evidence); and the
    queries. Rolled back, with whatever `setup` made first."""
    with transaction.atomic():
        if setup is not None:
            setup()
        with CaptureQueriesContext(connection) as ctx:
            result = add_report(body, published=published, title="Protocols", outlet=OUTLET)
        facts = (
            len(result.claims),
            Evidence.objects.filter(claim__article=result.article).count(),
            result.article.history.count(),
            Claim.history.filter(article_id=result.article.pk).count(),
            Evidence.history.filter(claim__article=result.article).count(),
        )
        transaction.set_rollback(True)
    return len(ctx.captured_queries), facts, [q["sql"] for q in ctx.captured_queries]


@pytest.fixture
def outlet(db):
    # The outlet exists already, so that neither ingest is the one that creates it.
    return Outlet.objects.create(name=OUTLET, slug="scale-wire")


def test_ingesting_runs_as_many_queries_with_10_events_as_with_300(outlet):
    make_protocols(10)
    body = protocol_report(10)
    published = date(2025, 12, 28)

    few, few_facts, few_sql = queries_to_ingest(body, published)
    many, many_facts, many_sql = queries_to_ingest(
        body, published, setup=lambda: make_far_events(290)
    )

    assert Event.objects.count() == 10  # the far events were rolled back
    # Ten claims, each the evidence of its protocol, each row with its version.
    assert few_facts == many_facts == (10, 10, 1, 10, 10)
    assert many == few, "\n".join(many_sql)


def test_ingesting_runs_as_many_queries_for_30_claims_as_for_5(outlet):
    make_protocols(30)
    make_protocols(30, first=date(2026, 3, 1))

    five, five_facts, _ = queries_to_ingest(protocol_report(5), date(2025, 12, 28))
    thirty, thirty_facts, thirty_sql = queries_to_ingest(
        protocol_report(30, first=date(2026, 3, 1)), date(2026, 3, 31)
    )

    assert five_facts == (5, 5, 1, 5, 5)
    assert thirty_facts == (30, 30, 1, 30, 30)
    assert thirty == five, "\n".join(thirty_sql)


def test_a_new_report_is_linked_without_reading_back_what_the_door_wrote(outlet):
    make_protocols(5)

    count, facts, sql = queries_to_ingest(protocol_report(5), date(2025, 12, 28))

    assert facts == (5, 5, 1, 5, 5)
    written = ("articles_passage", "articles_claim", "articles_datemention", "timeline_evidence")
    read_back = [
        q for q in sql if q.startswith("SELECT") and any(f'FROM "{t}"' in q for t in written)
    ]
    assert read_back == []
    # Events with no status changes (these have none) have no story to read.
    stories = re.compile(
        r'FROM "timeline_statuschange" WHERE ("timeline_statuschange"\.)?"event_id" IN'
    )
    assert not [q for q in sql if stories.search(q)]
    # The door's budget for a new report: the reads it needs (topics, the events that help
    # read its dates, the report by URL or text, its outlet, its slug, the signatures of its
    # likely copies, the events near its dates and their topics), its writes with their
    # history, its wire bands, the savepoint, and on PostgreSQL the lock that wire
    # grouping takes.
    assert count <= 21 + (connection.vendor == "postgresql"), "\n".join(sql)


def test_the_linker_reads_only_the_events_that_can_overlap_the_report(db):
    near = make_protocols(3)
    far = make_far_events(20)
    # A truce running through December, and a year that began eleven months before it.
    truce = make_event("truce", date(2025, 5, 14), end=date(2026, 8, 10))
    year = make_event("year-2025", date(2025, 1, 1), precision="year")
    # Postponed from June to December: its own days are long past, its new one is not.
    moved = make_event("moved-talks", date(2025, 6, 2), kind=Event.Kind.TALKS, keywords=["talks"])
    record_change(
        event=moved,
        status=Event.Status.POSTPONED,
        effective=date(2025, 5, 20),
        new_date=date(2025, 12, 3),
    )
    # Ended, or over, before the report's time.
    make_event("spring-truce", date(2025, 3, 1), end=date(2025, 9, 30))
    make_event("october", date(2025, 10, 1), precision="month")
    make_event("year-2024", date(2024, 1, 1), precision="year")

    article = add_report(protocol_report(3), published=date(2025, 12, 5)).article
    claims = list(article.claims.prefetch_related("mentions"))
    window = report_window([claim.mentions.all() for claim in claims], article.published)
    assert window == (date(2025, 11, 24), date(2025, 12, 12))

    found = list(events_near(window))
    assert {e.slug for e in found} == {e.slug for e in [*near, truce, year, moved]}
    assert not {e.pk for e in far} & {e.pk for e in found}
    # In timeline order, as Event.objects gives them.
    assert found == sorted(found, key=lambda e: (e.start, e.title, e.pk))
    # What the linker suggested from them: each protocol for its sentence.
    linked = Evidence.objects.filter(claim__article=article).values_list("event__slug", flat=True)
    assert sorted(linked) == sorted(e.slug for e in near)


def test_an_event_without_an_end_lasts_no_longer_than_its_precision_allows():
    # events_near counts on it: a period of each precision ends within its reach.
    days = [date(2023, 1, 1) + timedelta(days=n) for n in range(4 * 366)]
    for precision in PRECISIONS:
        longest = max(period_end(day, precision) - day for day in days)
        assert longest == timedelta(days=PERIOD_REACH.get(precision, 0)), precision


def test_the_events_near_a_window_are_all_those_its_dates_can_overlap(db):
    """Every event whose days (or whose days up to its new date) overlap the window is
    read: those that start on the earliest day whose period still reaches it, at each
    precision, and each side of every boundary."""
    first, last = date(2025, 11, 24), date(2025, 12, 12)
    events = []
    for precision in PRECISIONS:
        earliest = min(
            day
            for day in (first - timedelta(days=n) for n in range(400))
            if period_end(day, precision) >= first
        )
        starts = [earliest - timedelta(days=1), earliest, last, last + timedelta(days=1)]
        for n, start in enumerate(starts):
            events.append(make_event(f"{precision}-{n}", start, precision=precision))
    for n, end in enumerate([first - timedelta(days=1), first, last]):
        events.append(make_event(f"span-{n}", date(2025, 1, 6), end=end))
    for n, new_date in enumerate([first - timedelta(days=1), first, last + timedelta(days=30)]):
        event = make_event(f"moved-{n}", date(2025, 2, 3), kind=Event.Kind.DEADLINE)
        record_change(
            event=event,
            status=Event.Status.EXTENDED,
            effective=date(2025, 2, 1),
            new_date=new_date,
        )
        events.append(event)

    window = (first, last)
    found = {e.slug for e in events_near(window)}
    accepted = {
        e.slug
        for e in Event.objects.prefetch_related("changes")
        if overlaps(window, event_range(e)) or overlaps(window, (e.start, e.due))
    }
    assert accepted <= found
    # No more than that but, at a coarse precision, a period that ends just before it.
    assert found - accepted <= {f"{precision}-0" for precision in PRECISIONS}
    assert {"day-1", "year-1", "span-1", "moved-1", "moved-2"} <= accepted
    assert not {"day-3", "year-3", "span-0", "moved-0"} & found


def test_the_index_finds_what_a_scan_of_every_event_finds():
    rng = random.Random(7)
    events = []
    for n in range(400):
        start = date(2024, 1, 1) + timedelta(days=rng.randrange(900))
        end = start + timedelta(days=rng.randrange(200)) if n % 7 == 0 else None
        precision = rng.choice(PRECISIONS)
        events.append(Event(pk=n, title=f"Event {n}", start=start, end=end, precision=precision))
    rng.shuffle(events)
    index = EventIndex(events)
    for _ in range(300):
        first = date(2023, 11, 1) + timedelta(days=rng.randrange(1100))
        days = (first, first + timedelta(days=rng.randrange(40)))
        assert index.overlapping(days) == [e for e in events if overlaps(days, event_range(e))]
