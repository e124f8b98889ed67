"""The timeline's events help the pipeline read dates: "this month" near a month's edge.

A report of Sunday 2 November that says "the Busan meeting this month" was written about
October; the timeline knows the meeting was on 30 October, and the pipeline is given what
it knows through settings.TRADEWATCH_KNOWN_DATES (articles never imports timeline).
"""

from datetime import date, timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext

from articles.services import ingest_report
from timeline.linking import KNOWN_WITHIN, _distinctive, known_dates, known_dates_around
from timeline.models import Event

SENTENCE = "The Busan meeting this month eased fears of a wider trade war."


def mention_of(result):
    [claim] = result.claims
    [mention] = claim.mentions.all()
    return mention


def test_this_month_near_the_edge_is_the_month_of_the_event_the_sentence_names(seeded):
    mention = mention_of(
        ingest_report(
            title="Week", outlet="Harbour Wire", published=date(2025, 11, 2), body=SENTENCE
        )
    )
    assert (mention.date_start, mention.date_end) == (date(2025, 10, 1), date(2025, 10, 31))
    assert mention.method == "context"
    assert mention.explanation == (
        "this month → October 2025 (month), the month of “Trump and Xi meet in Busan” "
        "(Thu 30 Oct 2025), named in the sentence"
    )


def test_without_the_timeline_this_month_is_the_month_of_publication(seeded, settings):
    settings.TRADEWATCH_KNOWN_DATES = ""
    mention = mention_of(
        ingest_report(
            title="Week", outlet="Harbour Wire", published=date(2025, 11, 2), body=SENTENCE
        )
    )
    assert (mention.date_start, mention.date_end) == (date(2025, 11, 1), date(2025, 11, 30))


def test_the_timeline_names_its_events_by_their_distinctive_words_in_one_query(seeded):
    with CaptureQueriesContext(connection) as queries:
        known = {k.label: k for k in known_dates(date(2025, 11, 2))}
    assert len(queries) == 1
    busan = known["Trump and Xi meet in Busan"]
    assert "Busan" in busan.names and "APEC" in busan.names
    assert "summit" not in busan.names and "leaders" not in busan.names  # common words
    assert (busan.start, busan.end) == (date(2025, 10, 30), date(2025, 10, 30))
    # Events far from publication do not help read it.
    assert all(abs((k.start - date(2025, 11, 2)).days) <= 120 for k in known.values())


def test_days_near_each_other_share_one_read_and_each_knows_what_it_would_alone(seeded):
    near = [date(2025, 4, 1) + timedelta(days=23 * n) for n in range(12)]  # to February
    edges = [e.start + timedelta(days=d) for e in Event.objects.all() for d in (-121, 120)]
    days = [*near, near[3], *edges, date(2023, 3, 1), date(2028, 1, 1)]

    with CaptureQueriesContext(connection) as queries:
        around = known_dates_around(days)

    assert len(queries) == 3  # days a year or more from the others read their own
    for day in days:
        window = (day - KNOWN_WITHIN, day + KNOWN_WITHIN)
        events = Event.objects.filter(start__range=window).order_by("start", "title", "pk")
        alone = [(e.title, e.start) for e in events if _distinctive(e)]
        assert [(k.label, k.start) for k in around[day]] == alone, day
    assert any(around.values()) and not all(around.values())


def test_days_at_the_ends_of_the_calendar_know_nothing_and_spoil_no_other_day(seeded):
    day = date(2025, 11, 2)
    around = known_dates_around([date.min, day, date.max])
    assert around == {date.min: [], day: known_dates(day), date.max: []}
    assert around[day]
