"""schema.org JSON-LD in the event and report pages, read back as a JSON-LD processor would.

Each page's `<script type="application/ld+json">` block is parsed from the rendered HTML and
expanded with pyld against a minimal local schema.org context (tests/data/schemaorg-minimal
.jsonld: the vocabulary, and which properties are links; no network), then checked against
the models.
"""

import json
from datetime import date
from pathlib import Path

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from pyld import jsonld

from articles.models import Article
from timeline.models import Event
from timeline.outcomes import record_change

from .factories import grow
from .pages import parse

SCHEMA = "https://schema.org/"
CONTEXT_FILE = Path(__file__).parent.parent / "data" / "schemaorg-minimal.jsonld"


def local_documents(url, options=None):
    if url.rstrip("/") != SCHEMA.rstrip("/"):
        raise AssertionError(f"the test tried to load {url}")
    document = json.loads(CONTEXT_FILE.read_text(encoding="utf-8"))
    return {"contextUrl": None, "documentUrl": url, "document": document}


def data_blocks(client, url):
    """The page's JSON-LD blocks, parsed, and the page's HTML."""
    response = client.get(url)
    assert response.status_code == 200, url
    doc = parse(response)
    blocks = [el for el in doc.find_all("script") if not el.attrs.get("src")]
    assert all(el.attrs.get("type") == "application/ld+json" for el in blocks)
    assert all(el.parent.tag == "head" for el in blocks)
    return [json.loads(el.text()) for el in blocks], response.content.decode()


def expanded(client, url) -> dict:
    [block], _ = data_blocks(client, url)
    [node] = jsonld.expand(block, {"documentLoader": local_documents})
    return node


def value(node, name):
    [item] = node[SCHEMA + name]
    return item.get("@value", item.get("@id", item))


def maybe(node, name):
    return value(node, name) if SCHEMA + name in node else None


def event_ld(client, slug):
    return expanded(client, f"/events/{slug}/")


# --- events -----------------------------------------------------------------------------------


def test_an_event_page_describes_the_event(seeded, client):
    for event in Event.objects.sourced():
        node = event_ld(client, event.slug)
        assert node["@type"] == [SCHEMA + "Event"]
        assert value(node, "name") == event.title
        assert value(node, "url") == f"http://testserver{event.get_absolute_url()}"
        if event.place:
            place = value(node, "location")
            assert place["@type"] == [SCHEMA + "Place"]
            assert value(place, "name") == event.place
        else:
            assert maybe(node, "location") is None


@pytest.mark.parametrize(
    "slug, start, end",
    [
        ("april-2025-tariff-escalation", "2025-04", None),  # a month: no day is made up
        ("geneva-truce", "2025-05-12", None),
        ("kuala-lumpur-talks", "2025-10-25", "2025-10-26"),
    ],
)
def test_dates_are_written_at_their_precision(seeded, client, slug, start, end):
    node = event_ld(client, slug)
    assert value(node, "startDate") == start
    assert maybe(node, "endDate") == end


def test_a_quarter_is_given_by_its_first_and_last_month(seeded, client):
    Event.objects.filter(slug="geneva-truce").update(precision="quarter", start=date(2025, 4, 1))
    node = event_ld(client, "geneva-truce")
    assert (value(node, "startDate"), value(node, "endDate")) == ("2025-04", "2025-06")


def status_of(client, slug):
    return value(event_ld(client, slug), "eventStatus")


def test_events_that_still_stand_are_scheduled(seeded, client):
    # Scheduled, happened and threatened alike: nothing in their story moved or ended them.
    for event in Event.objects.sourced():
        assert status_of(client, event.slug) == SCHEMA + "EventScheduled", event.status


def test_a_postponed_event_is_event_postponed(seeded, client):
    busan = Event.objects.get(slug="trump-xi-busan-meeting")
    record_change(event=busan, status="postponed", effective=date(2025, 10, 28))
    node = event_ld(client, busan.slug)
    assert value(node, "eventStatus") == SCHEMA + "EventPostponed"
    assert value(node, "previousStartDate") == "2025-10-30"


def test_an_extended_deadline_is_event_rescheduled_to_its_new_day(seeded, client):
    expiry = Event.objects.get(slug="truce-expiry-november-10")
    record_change(
        event=expiry, status="extended", effective=date(2025, 11, 1), new_date=date(2026, 11, 10)
    )
    node = event_ld(client, expiry.slug)
    assert value(node, "eventStatus") == SCHEMA + "EventRescheduled"
    assert value(node, "startDate") == "2026-11-10"
    assert value(node, "previousStartDate") == "2025-11-10"


def test_a_postponement_to_a_known_day_is_event_rescheduled(seeded, client):
    busan = Event.objects.get(slug="trump-xi-busan-meeting")
    record_change(
        event=busan, status="postponed", effective=date(2025, 10, 28), new_date=date(2025, 11, 3)
    )
    assert status_of(client, busan.slug) == SCHEMA + "EventRescheduled"


def test_a_called_off_event_is_event_cancelled(seeded, client):
    threat = Event.objects.get(slug="100-percent-tariff-threat")
    record_change(event=threat, status="cancelled", effective=date(2025, 10, 30))
    assert status_of(client, threat.slug) == SCHEMA + "EventCancelled"


def test_the_latest_step_of_the_story_decides(seeded, client):
    busan = Event.objects.get(slug="trump-xi-busan-meeting")
    record_change(event=busan, status="postponed", effective=date(2025, 10, 28))
    record_change(event=busan, status="happened", effective=date(2025, 10, 30))
    assert status_of(client, busan.slug) == SCHEMA + "EventScheduled"


# --- reports ----------------------------------------------------------------------------------


def test_a_report_page_describes_the_news_article(seeded, client):
    articles = list(Article.objects.select_related("outlet"))
    assert any(a.url for a in articles) and not all(a.url for a in articles)
    for article in articles:
        node = expanded(client, article.get_absolute_url())
        assert node["@type"] == [SCHEMA + "NewsArticle"]
        assert value(node, "headline") == article.title
        assert value(node, "datePublished") == article.published.isoformat()
        assert value(node, "url") == f"http://testserver{article.get_absolute_url()}"
        publisher = value(node, "publisher")
        assert publisher["@type"] == [SCHEMA + "Organization"]
        assert value(publisher, "name") == article.outlet.name
        # What the report is based on: the original page, when there is one.
        assert maybe(node, "isBasedOn") == (article.url or None)


# --- safety and cost --------------------------------------------------------------------------


def test_text_cannot_close_the_data_block(seeded, client):
    hostile = '</script><script>alert(1)</script><!-- & "quotes"'
    Event.objects.filter(slug="geneva-truce").update(title=hostile, place="<b>Geneva</b>")
    [block], page = data_blocks(client, "/events/geneva-truce/")
    assert block["name"] == hostile
    assert block["location"]["name"] == "<b>Geneva</b>"
    assert "<script>alert(1)" not in page
    assert "\\u003C/script\\u003E" in page


@pytest.mark.parametrize(
    "url",
    ["/events/trump-xi-busan-meeting/", "/articles/us-china-trade-deal/"],
)
def test_the_pages_queries_do_not_grow(seeded, client, url):
    def queries():
        with CaptureQueriesContext(connection) as ctx:
            data_blocks(client, url)
        return len(ctx.captured_queries)

    small = queries()
    grow()
    assert queries() == small
