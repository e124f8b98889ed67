"""The calendar (/events.ics), read back by icalendar as a calendar app would."""

from datetime import date, datetime

import pytest
from icalendar import Calendar

from articles.models import Claim
from timeline.models import Event, Evidence
from timeline.outcomes import record_change

from .factories import grow, make_event

AHEAD = ["trump-xi-busan-meeting", "100-percent-tariff-threat", "truce-expiry-november-10"]


def read(client):
    response = client.get("/events.ics")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    cal = Calendar.from_ical(response.content)
    return {str(e["UID"]).removesuffix("@testserver"): e for e in cal.walk("VEVENT")}, cal


def day(prop) -> date:
    """A DATE value, refusing a date-time: all-day events carry dates only."""
    value = prop.dt
    assert isinstance(value, date) and not isinstance(value, datetime), value
    return value


def sourced(event: Event) -> Event:
    """Make an event public: a quote that supports it, accepted."""
    Evidence.objects.create(
        event=event, claim=Claim.objects.order_by("pk").first(), state="accepted"
    )
    return event


@pytest.fixture
def events(seeded, client):
    return read(client)[0]


def test_it_has_the_meetings_threats_and_deadlines_ahead(events):
    assert list(events) == AHEAD


def test_the_calendar_names_itself_and_says_how_often_to_refresh(seeded, client):
    _, cal = read(client)
    assert cal["VERSION"] == "2.0"
    assert str(cal["X-WR-CALNAME"]) == "TradeWatch: US–China trade talks"
    assert cal["METHOD"] == "PUBLISH"
    assert cal["REFRESH-INTERVAL"].dt.total_seconds() == 6 * 3600


def test_a_day_event_is_all_day_with_an_exclusive_end(events):
    busan = events["trump-xi-busan-meeting"]
    assert day(busan["DTSTART"]) == date(2025, 10, 30)
    assert day(busan["DTEND"]) == date(2025, 10, 31)
    assert str(busan["SUMMARY"]) == "Trump and Xi meet in Busan — scheduled"
    assert str(busan["LOCATION"]) == "Busan"


def test_each_event_links_back_to_its_page_with_its_sources(events, client):
    for slug, vevent in events.items():
        url = f"http://testserver/events/{slug}/"
        assert str(vevent["URL"]) == url
        assert url in str(vevent["DESCRIPTION"])
        assert "Sources: " in str(vevent["DESCRIPTION"])
        assert client.get(url).status_code == 200
        assert vevent["DTSTAMP"].dt.tzinfo is not None
        assert vevent["TRANSP"] == "TRANSPARENT"


def test_the_status_says_whether_it_will_take_place(events):
    assert {slug: str(e["STATUS"]) for slug, e in events.items()} == {
        "trump-xi-busan-meeting": "CONFIRMED",
        "100-percent-tariff-threat": "TENTATIVE",
        "truce-expiry-november-10": "CONFIRMED",
    }


def test_the_file_is_the_same_until_something_changes(seeded, client):
    assert client.get("/events.ics").content == client.get("/events.ics").content


def test_an_extended_deadline_moves_to_its_new_day_under_the_same_uid(seeded, client):
    truce = Event.objects.get(slug="truce-expiry-november-10")
    record_change(
        event=truce,
        status=Event.Status.EXTENDED,
        effective=date(2025, 11, 10),
        new_date=date(2026, 11, 10),
    )
    expiry = read(client)[0]["truce-expiry-november-10"]
    assert day(expiry["DTSTART"]) == date(2026, 11, 10)
    assert day(expiry["DTEND"]) == date(2026, 11, 11)
    assert str(expiry["SUMMARY"]) == "The tariff truce expires — extended"
    assert expiry["SEQUENCE"] == 2
    assert "extended to Tue 10 Nov 2026" in str(expiry["DESCRIPTION"])


def test_an_extended_deadline_that_then_expired_stays_on_its_new_day(seeded, client):
    truce = Event.objects.get(slug="truce-expiry-november-10")
    record_change(
        event=truce, status="extended", effective=date(2025, 11, 10), new_date=date(2026, 11, 10)
    )
    record_change(event=truce, status="expired", effective=date(2026, 11, 10))
    expiry = read(client)[0]["truce-expiry-november-10"]
    assert day(expiry["DTSTART"]) == date(2026, 11, 10)
    assert str(expiry["STATUS"]) == "CONFIRMED"
    assert expiry["SEQUENCE"] == 3


def test_a_meeting_postponed_to_no_known_day_is_tentative(seeded, client):
    busan = Event.objects.get(slug="trump-xi-busan-meeting")
    record_change(event=busan, status="postponed", effective=date(2025, 10, 28))
    meeting = read(client)[0]["trump-xi-busan-meeting"]
    assert str(meeting["STATUS"]) == "TENTATIVE"
    assert day(meeting["DTSTART"]) == date(2025, 10, 30)


def test_a_threat_called_off_stays_in_the_calendar_as_cancelled(seeded, client):
    threat = Event.objects.get(slug="100-percent-tariff-threat")
    record_change(event=threat, status=Event.Status.CANCELLED, effective=date(2025, 10, 30))
    events = read(client)[0]
    assert str(events["100-percent-tariff-threat"]["STATUS"]) == "CANCELLED"


def test_a_span_covers_every_day_of_it(seeded, client):
    sourced(
        make_event(
            "round-of-talks",
            date(2025, 12, 1),
            end=date(2025, 12, 3),
            status=Event.Status.SCHEDULED,
            kind=Event.Kind.TALKS,
        )
    )
    talks = read(client)[0]["round-of-talks"]
    assert (day(talks["DTSTART"]), day(talks["DTEND"])) == (date(2025, 12, 1), date(2025, 12, 4))


def test_a_month_event_spans_the_month_and_says_the_day_is_not_known(seeded, client):
    sourced(
        make_event(
            "spring-visit",
            date(2026, 4, 1),
            precision="month",
            title="Trump visits Beijing",
            status=Event.Status.SCHEDULED,
        )
    )
    sourced(make_event("some-year", date(2026, 1, 1), precision="year", status="scheduled"))
    events = read(client)[0]
    visit = events["spring-visit"]
    assert (day(visit["DTSTART"]), day(visit["DTEND"])) == (date(2026, 4, 1), date(2026, 5, 1))
    assert str(visit["SUMMARY"]) == "Trump visits Beijing — scheduled (April 2026; day not known)"
    assert "some-year" not in events


def test_it_leaves_out_events_without_accepted_evidence_and_past_events_never_ahead(seeded, client):
    make_event("secret-summit", date(2025, 12, 1), status=Event.Status.SCHEDULED)
    events = read(client)[0]
    assert "secret-summit" not in events
    assert "kuala-lumpur-talks" not in events  # only ever reported once it had happened


def test_a_long_timeline_gives_the_events_nearest_today_those_ahead_first(
    seeded, client, settings, monkeypatch
):
    import timeline.exports.ical

    settings.TRADEWATCH_TODAY = "2025-10-31"  # Busan behind, the threat and the expiry ahead
    sourced(make_event("june-talks", date(2025, 6, 5), status=Event.Status.SCHEDULED))
    whole, cal = read(client)
    assert set(AHEAD) | {"june-talks"} == set(whole)
    assert "nearest today" not in str(cal["X-WR-CALDESC"])
    monkeypatch.setattr(timeline.exports.ical, "CALENDAR_EVENTS", 2)
    kept, cal = read(client)
    assert set(kept) == {"100-percent-tariff-threat", "truce-expiry-november-10"}
    assert "The 2 nearest today, those ahead first" in str(cal["X-WR-CALDESC"])
    monkeypatch.setattr(timeline.exports.ical, "CALENDAR_EVENTS", 3)
    # One more: the latest behind today (Busan, October 30), not the earliest (June).
    assert set(read(client)[0]) == set(AHEAD)


def test_the_calendar_only_reads(seeded, client):
    assert client.post("/events.ics").status_code == 405
    assert client.head("/events.ics").status_code == 200


def test_its_queries_do_not_grow(seeded, client, django_assert_num_queries):
    with django_assert_num_queries(QUERIES):
        read(client)
    grow(events=20, outlets=6)
    with django_assert_num_queries(QUERIES):
        events = read(client)[0]
    assert len(events) == 3 + 10  # the odd protocols are scheduled


# events, then their topics, their story and the outlets of their evidence: not the quotes'
# passages and date mentions a page shows.
QUERIES = 4
