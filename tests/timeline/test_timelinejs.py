"""The TimelineJS export: /timeline.json, and the real TimelineJS3 library reading it.

The data is only right if TimelineJS3 (vendored in static/vendor/timelinejs/) turns it into
one slide per public event: the browser tests load /timeline/embed/ in Debian's Chromium,
as test_browser.py does. Run those alone with
``pytest -m browser tests/timeline/test_timelinejs.py``.
"""

import html
import re
from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.browser import PHONE, WIDE
from timeline.models import Event
from timeline.outcomes import record_change

from .factories import grow, make_event

# --- the data ---------------------------------------------------------------------------------


def timeline_json(client):
    response = client.get("/timeline.json")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    return response.json()


def slides(data):
    return {slide["unique_id"]: slide for slide in data["events"]}


def test_it_has_a_title_slide_and_one_slide_per_public_event_in_date_order(seeded, client):
    make_event("unsourced", date(2025, 6, 1), title="No report supports this")
    data = timeline_json(client)
    assert data["title"]["text"]["headline"].startswith("TradeWatch")
    assert "start_date" not in data["title"]
    public = list(Event.objects.sourced().on_timeline().values_list("slug", flat=True))
    assert len(public) == 7
    assert [slide["unique_id"] for slide in data["events"]] == public


def test_each_date_says_only_what_its_precision_allows(seeded, client):
    Event.objects.filter(slug="geneva-truce").update(precision="quarter", start=date(2025, 4, 1))
    Event.objects.filter(slug="rare-earth-export-controls").update(
        precision="year", start=date(2025, 1, 1)
    )
    by_slug = slides(timeline_json(client))

    month = by_slug["april-2025-tariff-escalation"]
    assert month["start_date"] == {"year": 2025, "month": 4}
    assert month["display_date"] == "April 2025"
    assert "end_date" not in month

    quarter = by_slug["geneva-truce"]
    assert quarter["start_date"] == {"year": 2025, "month": 4}
    assert quarter["end_date"] == {"year": 2025, "month": 6}
    assert quarter["display_date"] == "Q2 2025"

    assert by_slug["rare-earth-export-controls"]["start_date"] == {"year": 2025}
    assert by_slug["rare-earth-export-controls"]["display_date"] == "2025"

    span = by_slug["kuala-lumpur-talks"]
    assert span["start_date"] == {"year": 2025, "month": 10, "day": 25}
    assert span["end_date"] == {"year": 2025, "month": 10, "day": 26}
    assert "display_date" not in span  # TimelineJS words a day itself


def test_each_slide_quotes_its_sources_and_links_to_their_sentences(seeded, client):
    by_slug = slides(timeline_json(client))
    for event in Event.objects.sourced().on_timeline():
        slide = by_slug[event.slug]
        assert slide["group"] == event.get_kind_display()
        assert slide["text"]["headline"] == html.escape(event.title)
        text = slide["text"]["text"]
        links = re.findall(r'href="([^"]+)"', text)
        claims = [ev.claim for ev in event.evidence.all() if ev.stance != "contradicts"]
        assert links == [f"http://testserver{c.get_absolute_url()}" for c in claims]
        for claim in claims:
            assert html.escape(claim.sentence) in text


def test_titles_and_quotes_are_escaped(seeded, client):
    Event.objects.filter(slug="geneva-truce").update(
        title="<img src=x onerror=alert(1)> & co", summary="<b>bold</b>"
    )
    slide = slides(timeline_json(client))["geneva-truce"]
    assert slide["text"]["headline"] == "&lt;img src=x onerror=alert(1)&gt; &amp; co"
    assert "<b>" not in slide["text"]["text"]
    assert "&lt;b&gt;bold&lt;/b&gt;" in slide["text"]["text"]


def test_a_span_is_an_era_that_runs_to_its_extension(seeded, client):
    truce = Event.objects.get(slug="geneva-truce")
    truce.end = date(2025, 8, 12)
    truce.save()
    record_change(
        event=truce, status="extended", effective=date(2025, 8, 11), new_date=date(2025, 11, 10)
    )
    eras = {era["text"]["headline"]: era for era in timeline_json(client)["eras"]}
    assert eras[truce.title]["start_date"] == {"year": 2025, "month": 5, "day": 12}
    assert eras[truce.title]["end_date"] == {"year": 2025, "month": 11, "day": 10}
    talks = eras["Trade talks in Kuala Lumpur on the ASEAN sidelines"]
    assert talks["end_date"] == {"year": 2025, "month": 10, "day": 26}
    assert len(eras) == 2  # only events with an end


def test_its_queries_do_not_grow_with_the_timeline(seeded, client):
    def queries():
        with CaptureQueriesContext(connection) as ctx:
            data = timeline_json(client)
        return len(ctx.captured_queries), len(data["events"])

    small, small_events = queries()
    grow()
    large, large_events = queries()
    assert large_events > small_events
    assert large == small


def test_it_only_reads(seeded, client):
    assert client.head("/timeline.json").status_code == 200
    assert client.post("/timeline.json").status_code == 405
    assert client.head("/timeline/embed/").status_code == 200
    assert client.post("/timeline/embed/").status_code == 405


def test_the_embed_page_loads_timelinejs_from_our_own_static_files(seeded, client):
    page = client.get("/timeline/embed/").content.decode()
    scripts = re.findall(r'<script[^>]*src="([^"]+)"', page)
    styles = re.findall(r'<link rel="stylesheet" href="([^"]+)"', page)
    assert "/static/vendor/timelinejs/js/timeline.js" in scripts
    assert "/static/js/timelinejs-embed.js" in scripts
    assert "/static/vendor/timelinejs/css/timeline.css" in styles
    assert all(url.startswith("/static/") for url in scripts + styles)


# --- TimelineJS3 itself, in Chromium ------------------------------------------------------------

# TimelineJS has built the story slider and the time navigation once these all exist.
RENDERED = """
(expected) => window.timeline && window.timeline.config
  && document.querySelectorAll('.tl-slide').length === expected + 1
  && document.querySelectorAll('.tl-timemarker').length === expected
"""

SLIDES = """
() => [...document.querySelectorAll('.tl-slide:not(.tl-slide-titleslide)')].map(s => ({
  id: s.id,
  headline: (s.querySelector('.tl-headline') || {}).textContent || '',
  links: [...s.querySelectorAll('.tl-text-content a')].map(a => a.href),
}))
"""


@pytest.mark.browser
@pytest.mark.parametrize("viewport", [WIDE, PHONE], ids=["wide", "phone"])
def test_timelinejs_renders_every_public_event_as_a_slide(site, open_page, viewport):  # noqa: F811
    events = list(Event.objects.sourced().on_timeline())
    assert len(events) == 7
    page = open_page(viewport)
    requested = []
    page.on("request", lambda request: requested.append(request.url))
    response = page.goto(site + "/timeline/embed/")
    assert response.status == 200
    page.wait_for_function(RENDERED, arg=len(events))

    assert page.evaluate("window.timeline.config.events.length") == len(events)
    slides = page.evaluate(SLIDES)
    assert sorted(s["id"] for s in slides) == sorted(e.slug for e in events)
    by_id = {s["id"]: s for s in slides}
    for event in events:
        assert by_id[event.slug]["headline"] == event.title
        # Each quote links back to its sentence on the report page.
        claims = [ev.claim for ev in event.evidence.all() if ev.stance != "contradicts"]
        assert by_id[event.slug]["links"] == [site + c.get_absolute_url() for c in claims]
    assert page.locator(".tl-slide-titleslide .tl-headline").inner_text().startswith("TradeWatch")
    # One row of the time navigation per kind of event; one band per span.
    groups = page.eval_on_selector_all(
        ".tl-timegroup-message", "els => els.map(e => e.textContent)"
    )
    assert set(groups) == {e.get_kind_display() for e in events}
    assert page.locator(".tl-timeera").count() == sum(1 for e in events if e.end)

    # Moving to the next slide works, and shows the first event.
    page.keyboard.press("ArrowRight")
    page.wait_for_function(
        "(id) => document.getElementById(id).closest('.tl-slider-item-container') !== null"
        " && window.timeline.current_id === id",
        arg=events[0].slug,
    )

    # The library came from this server, never a CDN, and nothing was blocked or failed.
    assert requested and all(url.startswith(site) for url in requested), requested
    assert site + "/static/vendor/timelinejs/js/timeline.js" in requested
    assert page.console.check() == []


@pytest.mark.browser
def test_the_embed_page_keeps_the_sites_strict_policy(site, open_page):  # noqa: F811
    page = open_page(WIDE)
    embed = page.goto(site + "/timeline/embed/").headers["content-security-policy"]
    other = page.goto(site + "/").headers["content-security-policy"]
    assert embed == other
    assert "script-src 'self'" in embed and "style-src 'self'" in embed
    assert "unsafe-inline" not in embed and "unsafe-eval" not in embed
