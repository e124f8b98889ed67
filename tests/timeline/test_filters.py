"""The timeline's filters as a journalist meets them: what is offered, what a bad value
says, and the searched words marked in the results."""

from datetime import date
from urllib.parse import urlencode

import pytest

from timeline.templatetags.tradewatch import highlight

from .factories import make_event
from .test_views import SLUGS, event_cards, page


def warnings(doc):
    """The warnings about the filters (not those of the events' cards)."""
    main = doc.find("main")
    return [
        p.words() for p in main.children if getattr(p, "tag", "") == "p" and "warning" in p.classes
    ]


def options(doc, name):
    return [o.words() for o in doc.find("select", name=name).find_all("option")]


# --- what is offered ------------------------------------------------------------------------


def test_only_topics_with_events_on_the_timeline_are_offered_with_their_counts(
    seeded, client, pinned_today
):
    assert options(page(client, "/"), "topic") == [
        "All topics",
        "Export controls (1)",
        "Rare earths (2)",
        "Talks and summits (3)",
        "Tariffs (4)",
    ]


def test_a_topic_only_an_unsourced_event_carries_is_not_offered(seeded, client, pinned_today):
    # An event no accepted quote supports is not on the timeline, and neither is its topic.
    make_event("taiwan-drills", date(2025, 10, 25), topics=["taiwan"])
    assert not any(o.startswith("Taiwan") for o in options(page(client, "/"), "topic"))


# --- what a bad value says ------------------------------------------------------------------

MESSAGES = {
    "topic=nope": "There is no topic “nope”.",
    "topic=taiwan": "No event on the timeline has the topic “taiwan”.",
    "outlet=nobody": "There is no outlet “nobody”.",
    "status=bogus": "There is no status “bogus”.",
    "start=next+tuesday": "“next tuesday” is not a date; use YYYY-MM-DD.",
    "end=2025-13-45": "“2025-13-45” is not a date; use YYYY-MM-DD.",
}


@pytest.mark.parametrize("query", MESSAGES)
def test_a_value_that_is_not_understood_is_said_in_words(seeded, client, pinned_today, query):
    doc = page(client, f"/?{query}")
    assert warnings(doc) == [f"Some filters were not understood: {MESSAGES[query]}"]
    assert event_cards(doc) == SLUGS
    field = query.partition("=")[0]
    box = doc.find("div", cls=f"field--{field}")
    assert "field--invalid" in box.classes
    # A screen reader hears the message with the field.
    control = box.find(name=field)
    assert control.attrs["aria-invalid"] == "true"
    assert doc.by_id(control.attrs["aria-describedby"]).words() == MESSAGES[query]


def test_every_value_not_understood_is_named_in_the_order_of_the_form(seeded, client, pinned_today):
    doc = page(client, "/?end=soon&topic=nope&status=threatened")
    assert warnings(doc) == [
        "Some filters were not understood: There is no topic “nope”. "
        "“soon” is not a date; use YYYY-MM-DD."
    ]
    assert event_cards(doc) == ["100-percent-tariff-threat"]


def test_a_pasted_page_is_not_repeated_back_whole(seeded, client, pinned_today):
    doc = page(client, "/?" + urlencode({"topic": "x" * 5_000, "start": "y" * 5_000}))
    [warning] = warnings(doc)
    assert len(warning) < 200
    assert "“" + "x" * 39 + "…”" in warning


def test_a_reversed_date_range_is_said_and_leaves_the_dates_out(seeded, client, pinned_today):
    doc = page(client, "/?start=2025-11-30&end=2025-10-01")
    assert warnings(doc) == [
        "“From” (Sun 30 Nov 2025) is after “To” (Wed 1 Oct 2025), so no date range was "
        "applied; swap them to see the events in between."
    ]
    assert event_cards(doc) == SLUGS


def test_a_reversed_date_range_keeps_the_other_filters(seeded, client, pinned_today):
    doc = page(client, "/?status=scheduled&start=2025-11-30&end=2025-10-01")
    assert event_cards(doc) == ["trump-xi-busan-meeting", "truce-expiry-november-10"]


def test_a_range_of_one_day_is_not_reversed(seeded, client, pinned_today):
    doc = page(client, "/?start=2025-10-30&end=2025-10-30")
    assert warnings(doc) == []
    assert event_cards(doc) == ["trump-xi-busan-meeting"]


# --- the searched words, marked ---------------------------------------------------------------


def marks(element):
    return [m.words() for m in element.find_all("mark", cls="match")]


def test_the_searched_words_are_marked_in_titles_and_quotes(seeded, client, pinned_today):
    doc = page(client, "/?q=busan")
    [card] = doc.find_all("article", cls="event")
    assert marks(card.find("h3")) == ["Busan"]  # "Trump and Xi meet in Busan", any case
    quoted = [marks(q) for q in card.find_all("a", cls="quote-text")]
    assert ["Busan"] in quoted
    assert all(m == "Busan" for found in quoted for m in found)


def test_only_the_searched_words_are_marked(seeded, client, pinned_today):
    doc = page(client, "/?q=Gyeongju")
    [card] = doc.find_all("article", cls="event")
    assert marks(card.find("h3")) == []
    assert [m for q in card.find_all("a", cls="quote-text") for m in marks(q)] == ["Gyeongju"]


def test_nothing_is_marked_without_a_search(seeded, client, pinned_today):
    assert page(client, "/?status=scheduled").find("mark", cls="match") is None
    assert page(client, "/events/trump-xi-busan-meeting/?q=Busan").find("mark") is None


def test_marking_escapes_the_text_first_and_never_cuts_an_entity():
    assert highlight("AT&T <b>tariffs</b>", ["tariff", "amp"]) == (
        'AT&amp;T &lt;b&gt;<mark class="match">tariff</mark>s&lt;/b&gt;'
    )
    # The searched words are text too.
    assert highlight("say <b>", ["<b>"]) == 'say <mark class="match">&lt;b&gt;</mark>'


def test_marking_is_case_insensitive_and_prefers_the_longer_word():
    assert highlight("Tariffs and TARIFF talks", ["tariff", "tariffs"]) == (
        '<mark class="match">Tariffs</mark> and <mark class="match">TARIFF</mark> talks'
    )


def test_without_words_the_text_is_left_to_the_template_to_escape():
    assert highlight("<b>", ()) == "<b>"
