"""The Atom feeds (/feed/, /feed/<topic>/), read back by feedparser as a feed reader would."""

import calendar
from datetime import date

import feedparser
import pytest

from articles.models import Claim
from timeline.exports.feeds import MAX_ENTRIES
from timeline.models import Event, Evidence, StatusChange
from timeline.outcomes import record_change

from .factories import grow, make_event
from .pages import parse

SLUGS = {
    "april-2025-tariff-escalation",
    "geneva-truce",
    "rare-earth-export-controls",
    "kuala-lumpur-talks",
    "trump-xi-busan-meeting",
    "100-percent-tariff-threat",
    "truce-expiry-november-10",
}
RARE_EARTHS = {"rare-earth-export-controls", "100-percent-tariff-threat"}


def read(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    assert response["Content-Type"] == "application/atom+xml; charset=utf-8"
    feed = feedparser.parse(response.content)
    assert feed.bozo == 0, feed.get("bozo_exception")
    assert feed.version == "atom10"
    return feed


def slug_of(entry) -> str:
    path = entry.link.removeprefix("http://testserver/events/")
    assert path != entry.link, entry.link
    return path.split("/")[0]


def stamps(feed):
    return [calendar.timegm(entry.updated_parsed) for entry in feed.entries]


@pytest.fixture
def feed(seeded, client):
    return read(client, "/feed/")


def test_it_has_an_entry_for_each_event_and_each_status_change(feed):
    assert len(feed.entries) == Event.objects.count() + StatusChange.objects.count() == 14
    assert {slug_of(e) for e in feed.entries} == SLUGS
    kinds = [e.id.rsplit(":", 1)[1] for e in feed.entries]
    assert sum("/change-" in kind for kind in kinds) == 7


def test_every_entry_links_to_its_event_page_and_has_a_unique_tag_id(feed, client):
    ids = [entry.id for entry in feed.entries]
    assert len(set(ids)) == len(ids)
    assert all(i.startswith("tag:testserver,") for i in ids)
    for entry in feed.entries:
        assert client.get(entry.link).status_code == 200, entry.link
        assert entry.published_parsed and entry.updated_parsed


def test_the_ids_stay_the_same_from_one_request_to_the_next(feed, client):
    again = read(client, "/feed/")
    assert [e.id for e in again.entries] == [e.id for e in feed.entries]


def test_entries_come_newest_first_and_the_feed_is_as_new_as_its_newest_entry(feed):
    assert stamps(feed) == sorted(stamps(feed), reverse=True)
    assert feed.feed.updated_parsed == feed.entries[0].updated_parsed
    assert feed.feed.link == "http://testserver/"
    assert {link.rel: link.href for link in feed.feed.links}["self"] == "http://testserver/feed/"


def test_a_summary_names_the_sources(feed):
    busan = [e for e in feed.entries if slug_of(e) == "trump-xi-busan-meeting"]
    event, change = sorted(busan, key=lambda e: "/change-" in e.id)
    assert "Sources:" in event.summary
    for outlet in ["Daily Global Reports", "The Saurashtra", "Unidentified outlet"]:
        assert outlet in event.summary
    # A step of the story names the reports it rests on.
    assert change.title == "Trump and Xi meet in Busan: scheduled for Thu 30 Oct 2025"
    assert "The Saurashtra" in change.summary


def test_a_newly_recorded_change_comes_first(seeded, client):
    truce = Event.objects.get(slug="truce-expiry-november-10")
    record_change(
        event=truce,
        status=Event.Status.EXTENDED,
        effective=date(2025, 11, 10),
        new_date=date(2026, 11, 10),
        note="Extended by a year at Busan.",
    )
    feed = read(client, "/feed/")
    newest = feed.entries[:2]
    titles = {e.title for e in newest}
    assert "The tariff truce expires: extended to Tue 10 Nov 2026, Mon 10 Nov 2025" in titles
    assert {slug_of(e) for e in newest} == {"truce-expiry-november-10"}
    assert len(feed.entries) == 15


def test_it_leaves_out_events_no_accepted_evidence_supports(seeded, client):
    hidden = make_event("secret-summit", date(2025, 12, 1), status=Event.Status.SCHEDULED)
    record_change(event=hidden, status="scheduled", effective=date(2025, 11, 20))
    # Accepted, but it contradicts the event: that does not make it public.
    Evidence.objects.create(
        event=hidden, claim=Claim.objects.first(), state="accepted", stance="contradicts"
    )
    feed = read(client, "/feed/")
    assert "secret-summit" not in {slug_of(e) for e in feed.entries}
    assert len(feed.entries) == 14


def test_a_topic_feed_has_only_that_topics_events(seeded, client):
    feed = read(client, "/feed/rare-earths/")
    assert {slug_of(e) for e in feed.entries} == RARE_EARTHS
    assert len(feed.entries) == 4
    assert feed.feed.title == "TradeWatch: Rare earths"
    assert feed.feed.link == "http://testserver/?topic=rare-earths"
    assert stamps(feed) == sorted(stamps(feed), reverse=True)
    # Its own ids: the same entries, under the same ids as in the whole feed.
    whole = {e.id for e in read(client, "/feed/").entries}
    assert {e.id for e in feed.entries} <= whole


def test_an_unknown_topic_is_404(seeded, client):
    assert client.get("/feed/no-such-topic/").status_code == 404


def test_the_feed_only_reads(seeded, client):
    assert client.post("/feed/").status_code == 405
    assert client.head("/feed/").status_code == 200


def test_the_feed_is_bounded_and_its_queries_do_not_grow(seeded, client, django_assert_num_queries):
    # events (+ topics, changes, their claims, evidence, its dates) and steps (+ their
    # claims, their event's evidence and topics).
    for url in ["/feed/", "/feed/tariffs/"]:
        with django_assert_num_queries(QUERIES[url], info=url):
            read(client, url)
    grow(events=30, outlets=3)
    feed = read(client, "/feed/")
    assert len(feed.entries) == MAX_ENTRIES
    assert stamps(feed) == sorted(stamps(feed), reverse=True)
    for url in ["/feed/", "/feed/tariffs/"]:
        with django_assert_num_queries(QUERIES[url], info=url):
            read(client, url)


QUERIES = {"/feed/": 10, "/feed/tariffs/": 11}


def test_the_timeline_page_links_to_every_export(seeded, client, pinned_today):
    doc = parse(client.get("/?topic=rare-earths"))
    block = doc.by_id("elsewhere").parent
    hrefs = {a.attrs["href"] for a in block.find_all("a")}
    assert {
        "/feed/",
        "/feed/rare-earths/",
        "/events.ics",
        "/evidence.csv",
        "/evidence.csv?topic=rare-earths",
        "/timeline.json",
        "/api/openapi.json",
    } == hrefs
    for href in hrefs:
        assert client.get(href).status_code == 200, href
    calendars = doc.find_all("link", rel="alternate", type="text/calendar")
    assert [link.attrs["href"] for link in calendars] == ["/events.ics"]
