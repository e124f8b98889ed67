"""The overview above the timeline: the whole period on one axis, each event a link to its
card, zoom links that set the date range (timeline/overview.py)."""

from datetime import date
from urllib.parse import parse_qs, urlsplit

from django.db import connection
from django.test.utils import CaptureQueriesContext

from timeline import overview
from timeline.models import Event
from timeline.outcomes import record_change

from .factories import EVENT_SLUGS, grow
from .test_views import event_cards, page


def axis(doc):
    return doc.find("svg", cls="overview-axis")


def marks(doc):
    """Each mark's link and the name a screen reader gives it, in axis order."""
    return [
        (a.attrs["href"], a.attrs["aria-label"]) for a in axis(doc).find_all("a", cls="ov-mark")
    ]


def zoom_links(doc):
    nav = doc.find("nav", cls="overview-zoom")
    return {a.words(): a for a in nav.find_all("a")}


def query(href):
    return {k: v[0] for k, v in parse_qs(urlsplit(href).query).items()}


def test_every_event_of_the_period_is_a_mark_linked_to_its_card(seeded, client, pinned_today):
    doc = page(client, "/")
    cards = event_cards(doc)
    drawn = marks(doc)
    assert [href for href, _ in drawn] == [f"#event-{slug}" for slug in cards]
    assert len(drawn) == 7
    # Each link names its event, status and days, not only its colour.
    names = dict(drawn)
    assert names["#event-kuala-lumpur-talks"] == (
        "Trade talks in Kuala Lumpur on the ASEAN sidelines: happened, Sat 25 – Sun 26 Oct 2025"
    )
    assert "threatened" in names["#event-100-percent-tariff-threat"]
    # Statuses are named in the legend beside their colours.
    legend = doc.find("p", cls="overview-legend").words()
    assert {"happened", "scheduled", "threatened"} <= set(legend.split())


def test_a_span_is_a_bar_a_day_is_a_dot_and_today_is_marked(seeded, client, pinned_today):
    doc = page(client, "/")
    by_href = {a.attrs["href"]: a for a in axis(doc).find_all("a", cls="ov-mark")}
    talks = by_href["#event-kuala-lumpur-talks"]
    assert talks.find("rect", cls="ov-bar") and not talks.find("circle")
    busan = by_href["#event-trump-xi-busan-meeting"]
    assert busan.find("circle", cls="ov-dot") and not busan.find("rect")
    # April's escalation is known to the month: a bar across April.
    assert by_href["#event-april-2025-tariff-escalation"].find("rect", cls="ov-bar")
    assert axis(doc).find("text", cls="ov-today-label").words() == "Today"
    # The axis runs from the first event to today (21 Nov 2026).
    assert axis(doc).attrs["data-first"] == "2025-04-01"
    assert axis(doc).attrs["data-last"] == "2026-11-21"


def test_an_extended_truce_is_drawn_on_to_its_new_date(seeded, client, pinned_today):
    expiry = Event.objects.get(slug=EVENT_SLUGS["truce_expiry_nov10"])
    record_change(
        event=expiry, status="extended", effective=date(2025, 11, 4), new_date=date(2026, 11, 10)
    )
    doc = page(client, "/")
    mark = next(
        a for a in axis(doc).find_all("a", cls="ov-mark") if a.attrs["href"].endswith(expiry.slug)
    )
    extension = mark.find("rect", cls="ov-extension")
    assert extension is not None
    # From the old day to the new one, a year on: most of the axis's width past November.
    assert float(extension.attrs["width"]) > 500
    assert mark.attrs["aria-label"].endswith("now Tue 10 Nov 2026")
    assert "moved later" in doc.find("p", cls="overview-legend").words()


def test_the_zoom_links_set_the_date_range_and_the_axis_keeps_the_whole_period(
    seeded, client, pinned_today
):
    links = zoom_links(page(client, "/"))
    assert list(links) == ["All", "2025", "Q2 2025", "Q4 2025"]
    assert links["All"].attrs.get("aria-current") == "true"
    q4 = links["Q4 2025"].attrs["href"]
    assert query(q4) == {"start": "2025-10-01", "end": "2025-12-31"}

    doc = page(client, q4)
    assert event_cards(doc) == [
        "rare-earth-export-controls",
        "kuala-lumpur-talks",
        "trump-xi-busan-meeting",
        "100-percent-tariff-threat",
        "truce-expiry-november-10",
    ]
    # The axis still shows the whole period, the chosen quarter as its selection; the
    # events outside it link to their own pages, since their cards are not on this one.
    drawn = dict(marks(doc))
    assert len(drawn) == 7
    assert "/events/geneva-truce/" in drawn
    assert "#event-kuala-lumpur-talks" in drawn
    assert axis(doc).find("rect", cls="ov-selection")
    assert zoom_links(doc)["Q4 2025"].attrs.get("aria-current") == "true"
    assert "start" not in query(zoom_links(doc)["All"].attrs["href"])


def test_the_other_filters_narrow_the_overview_and_zooming_keeps_them(seeded, client, pinned_today):
    doc = page(client, "/?status=threatened")
    assert [href for href, _ in marks(doc)] == ["#event-100-percent-tariff-threat"]
    assert query(zoom_links(doc)["2025"].attrs["href"]) == {
        "status": "threatened",
        "start": "2025-01-01",
        "end": "2025-12-31",
    }


def test_no_overview_when_nothing_matches(seeded, client, pinned_today):
    doc = page(client, "/?q=nothingmatchesthisword")
    assert axis(doc) is None


def queries_of(client, url):
    with CaptureQueriesContext(connection) as queries:
        doc = page(client, url)
    return len(queries), doc


def test_past_its_limit_the_overview_counts_events_by_month_at_no_cost_of_its_own(
    seeded, client, settings
):
    # A day before the Busan meeting, so that something is coming up at both sizes (the
    # page's own queries, as in test_views); the reports that grow the data come later.
    settings.TRADEWATCH_TODAY = "2025-10-20"
    drawn_one_by_one, _ = queries_of(client, "/")
    settings.TRADEWATCH_OVERVIEW_MARKS = 5
    by_month, doc = queries_of(client, "/")
    # The page counted its events by month already: the overview reads those counts, not
    # the events and their changes (the two queries of drawing them one by one).
    assert by_month == drawn_one_by_one - 2
    assert not axis(doc).find_all("a", cls="ov-mark")
    months = {
        a.attrs["aria-label"]: a.attrs["href"] for a in axis(doc).find_all("a", cls="ov-month")
    }
    assert set(months) == {
        "April 2025: 1 event",
        "May 2025: 1 event",
        "October 2025: 3 events",
        "November 2025: 2 events",
    }
    assert query(months["October 2025: 3 events"]) == {"start": "2025-10-01", "end": "2025-10-31"}
    assert "each bar is a month" in doc.find("p", cls="overview-note").words()

    settings.TRADEWATCH_TODAY = "2026-11-21"
    grow(events=30, outlets=3)
    settings.TRADEWATCH_TODAY = "2025-10-20"
    grown, doc = queries_of(client, "/")
    assert grown == by_month
    months = {a.attrs["aria-label"] for a in axis(doc).find_all("a", cls="ov-month")}
    assert "December 2025: 30 events" in months


def test_under_a_date_range_the_overview_still_counts_the_whole_timeline(seeded, client, settings):
    settings.TRADEWATCH_TODAY = "2025-10-20"
    settings.TRADEWATCH_OVERVIEW_MARKS = 2
    doc = page(client, "/?start=2025-10-01&end=2025-10-31")
    months = {a.attrs["aria-label"] for a in axis(doc).find_all("a", cls="ov-month")}
    # The page holds October's three events, more than the overview draws one by one; the
    # overview counts every month, October selected.
    assert months == {
        "April 2025: 1 event",
        "May 2025: 1 event",
        "October 2025: 3 events",
        "November 2025: 2 events",
    }


def event(pk, start, title):
    """An event as the overview reads it, with no change to its story."""
    made = Event(pk=pk, slug=f"e{pk}", title=title, start=start, precision="day")
    made._prefetched_objects_cache = {"changes": Event.objects.none()}
    return made


def test_labels_that_would_collide_go_on_the_next_lane():
    days = overview.Axis(date(2025, 1, 1), date(2025, 12, 31))
    events = [
        event(1, date(2025, 3, 1), "Talks in Geneva"),
        event(2, date(2025, 3, 3), "Tariffs cut to 30 per cent"),
        event(3, date(2025, 9, 1), "Later talks"),
    ]
    drawn, lanes = overview._marks(events, days, shown=set())
    assert [m.lane for m in drawn] == [0, 1, 0]
    assert lanes == 2
    for upper, lower in zip(drawn, drawn[1:], strict=False):
        if upper.lane == lower.lane:
            assert upper.extent[1] <= lower.extent[0]


def test_when_every_lane_is_taken_a_mark_keeps_its_link_and_loses_its_label():
    days = overview.Axis(date(2025, 1, 1), date(2025, 1, 31))
    events = [event(i, date(2025, 1, 10), f"Event number {i}") for i in range(10)]
    drawn, lanes = overview._marks(events, days, shown={"e0"})
    assert lanes == overview.MAX_LANES
    assert [m.label for m in drawn[: overview.MAX_LANES]] == [
        f"Event number {i}" for i in range(overview.MAX_LANES)
    ]
    assert all(m.label == "" for m in drawn[overview.MAX_LANES :])
    assert drawn[0].href == "#event-e0" and drawn[9].href == "/events/e9/"
    assert drawn[9].name.startswith("Event number 9: happened")
