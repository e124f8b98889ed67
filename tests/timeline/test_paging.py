"""A long timeline is shown a period at a time, never all at once.

The page holds TRADEWATCH_TIMELINE_PAGE_EVENTS events; these tests make it hold five, so
the seven seed events (April to November 2025) are already a long timeline.
"""

from datetime import date

import pytest

from timeline import paging

from .factories import grow
from .test_views import event_cards, page

SEED_Q4 = [
    "rare-earth-export-controls",
    "kuala-lumpur-talks",
    "trump-xi-busan-meeting",
    "100-percent-tariff-threat",
    "truce-expiry-november-10",
]


@pytest.fixture
def five_a_page(settings, pinned_today):
    settings.TRADEWATCH_TIMELINE_PAGE_EVENTS = 5


def link(doc, rel):
    found = doc.find("a", rel=rel)
    return found and found.attrs["href"]


def test_a_timeline_that_fits_is_shown_whole(seeded, client, pinned_today):
    doc = page(client, "/")
    assert len(event_cards(doc)) == 7
    assert doc.find("nav", cls="periods") is None
    assert doc.find("nav", cls="period-links") is None
    assert "7 events." in doc.find("p", cls="count").words()


def test_a_long_timeline_opens_on_the_newest_months_that_fit_on_a_page(seeded, client, five_a_page):
    doc = page(client, "/")
    # November 2025 holds two events and October three: the page's five. May would not fit.
    assert event_cards(doc) == SEED_Q4
    assert doc.find("p", cls="count").words() == (
        "5 events in October – November 2025, of 7 on the timeline."
    )
    assert link(doc, "next") is None
    earlier = link(doc, "prev")
    assert earlier == "?period=2025-04..2025-05"
    assert "April – May 2025 (2 events)" in doc.find("a", rel="prev").words()

    before = page(client, "/" + earlier)
    assert event_cards(before) == ["april-2025-tariff-escalation", "geneva-truce"]
    assert link(before, "next") == "?period=2025-10..2025-11"


def test_years_and_quarters_lead_to_their_neighbours(seeded, client, five_a_page):
    doc = page(client, "/?period=2025-Q4")
    assert event_cards(doc) == SEED_Q4
    assert doc.find("p", cls="count").words() == (
        "5 events in October–December 2025, of 7 on the timeline."
    )
    assert link(doc, "prev") == "?period=2025-Q2"
    assert "April–June 2025 (2 events)" in doc.find("a", rel="prev").words()
    assert link(page(client, "/?period=2025-Q2"), "next") == "?period=2025-Q4"
    heading = doc.find("h2", id="periods-title").words()
    assert "the part of the timeline you chose" in heading
    assert "is long" in page(client, "/").find("h2", id="periods-title").words()


def test_the_overview_links_every_month_with_its_number_of_events(seeded, client, five_a_page):
    overview = page(client, "/").find("nav", cls="periods")
    months = {a.attrs["href"]: a.words() for a in overview.find_all("a") if "-" in a.attrs["href"]}
    assert months == {
        "?period=2025-04": "Apr 1",
        "?period=2025-05": "May 1",
        "?period=2025-10": "Oct 3",
        "?period=2025-11": "Nov 2",
    }
    october = page(client, "/?period=2025-10")
    assert event_cards(october) == SEED_Q4[:3]
    assert (october.find("a", rel="prev").words(), october.find("a", rel="next").words()) == (
        "← May 2025 (1 event)",
        "November 2025 (2 events) →",
    )


def test_a_period_longer_than_a_page_is_shown_a_page_at_a_time(seeded, client, five_a_page):
    first = page(client, "/?period=2025")
    assert len(event_cards(first)) == 5
    assert "7 events in 2025 (showing 1–5), of 7" in first.find("p", cls="count").words()
    assert link(first, "next") == "?period=2025&page=2"
    second = page(client, "/?period=2025&page=2")
    assert event_cards(second) == SEED_Q4[-2:]
    assert link(second, "prev") == "?period=2025&page=1"
    # Every event once, in order, over the two pages.
    assert event_cards(first) + event_cards(second) == [
        "april-2025-tariff-escalation",
        "geneva-truce",
        *SEED_Q4,
    ]


def test_filters_and_periods_go_together(seeded, client, five_a_page):
    doc = page(client, "/?topic=tariffs&period=2025-Q4")
    cards = event_cards(doc)
    assert cards and set(cards) <= set(SEED_Q4)
    for rel in ("prev", "next"):
        href = link(doc, rel)
        assert href is None or "topic=tariffs" in href


@pytest.mark.parametrize(
    "value", ["banana", "2025-13", "2025-Q5", "0000", "2025-11..2025-10", "2025-10" * 500]
)
def test_a_period_not_understood_is_said_and_the_opening_period_shown(
    seeded, client, five_a_page, value
):
    doc = page(client, f"/?period={value}")
    assert event_cards(doc) == SEED_Q4
    note = doc.find("p", cls="warning", role="status").words()
    assert "is not a period; use a year (2025), a quarter (2025-Q4), a month (2025-10)" in note
    assert len(note) < 300


def test_an_empty_period_says_so(seeded, client, five_a_page):
    doc = page(client, "/?period=2031-01")
    assert event_cards(doc) == []
    assert "0 events in January 2031, of 7" in doc.find("p", cls="count").words()
    assert link(doc, "prev") == "?period=2025-11"


def test_the_first_screen_stays_bounded_and_its_queries_constant_as_the_timeline_grows(
    seeded, client, five_a_page, settings, django_assert_num_queries
):
    # Counted on a day before the Busan meeting, so that something is coming up at both
    # sizes; the reports that grow the data are ingested a year later.
    settings.TRADEWATCH_TODAY = "2025-10-20"
    # The page's 12, and the overview's 2 (timeline/overview.py).
    with django_assert_num_queries(14):
        assert len(event_cards(page(client, "/"))) == 5
    settings.TRADEWATCH_TODAY = "2026-11-21"
    grow(events=25, outlets=4)

    settings.TRADEWATCH_TODAY = "2025-10-20"
    with django_assert_num_queries(14):
        doc = page(client, "/")
    # October and the months before it: December's 25 new events lie after today.
    assert event_cards(doc) == ["april-2025-tariff-escalation", "geneva-truce", *SEED_Q4[:3]]
    settings.TRADEWATCH_TODAY = "2026-11-21"
    doc = page(client, "/")
    # December 2025 holds the 25 new events: the timeline opens on its first page.
    cards = event_cards(doc)
    assert len(cards) == 5 and all(slug.startswith("protocol-") for slug in cards)
    assert "25 events in December 2025 (showing 1–5), of 32" in doc.find("p", cls="count").words()


def test_periods_parse_and_name_themselves():
    assert paging.parse("2025").label == "2025"
    assert paging.parse("2025-Q4").end == date(2025, 12, 31)
    assert paging.parse("2024-02").end == date(2024, 2, 29)
    assert paging.parse(" 2025-10 ").slug == "2025-10"
    assert paging.containing(date(2025, 8, 9), "quarter").label == "July–September 2025"
    assert paging.parse("2024-11..2025-01").label == "November 2024 – January 2025"
    assert paging.parse("2025-08..2025-10").end == date(2025, 10, 31)
    assert paging.parse("2025-10..2025-10") == paging.parse("2025-10")


def test_the_timelinejs_data_of_a_long_timeline_is_one_period(seeded, client, five_a_page):
    slides = [e["unique_id"] for e in client.get("/timeline.json").json()["events"]]
    assert slides == SEED_Q4
    spring = client.get("/timeline.json?period=2025-Q2").json()
    assert [e["unique_id"] for e in spring["events"]] == [
        "april-2025-tariff-escalation",
        "geneva-truce",
    ]
    assert "This part: April–June 2025." in spring["title"]["text"]["text"]
    embed = page(client, "/timeline/embed/?period=2025-Q2")
    assert embed.by_id("timeline-embed").attrs["data-source"] == "/timeline.json?period=2025-Q2"


def test_today_is_marked_after_the_page_when_the_next_page_lies_ahead(
    seeded, client, five_a_page, settings
):
    settings.TRADEWATCH_TODAY = "2025-10-31"  # the day after Busan, before November's events
    doc = page(client, "/")
    assert event_cards(doc)[-1] == "trump-xi-busan-meeting"
    assert link(doc, "next") == "?period=2025-11"
    marker = doc.find("li", cls="today")
    assert marker is not None and "Today · Fri 31 Oct 2025" in marker.words()
    # Not when today lies beyond the next page too.
    settings.TRADEWATCH_TODAY = "2026-11-21"
    assert page(client, "/?period=2025-04..2025-05").find("li", cls="today") is None
