"""A search costs the same whatever it is given: bounded words, one query, said on the page."""

import re
from urllib.parse import urlencode

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from .test_views import event_cards, page

HOSTILE = " ".join(f"w{n}" for n in range(2_000))


def sqls(captured):
    """The statements run, without PostgreSQL's per-call cursor names."""
    return [re.sub(r"_django_curs_\w+", "cursor", q["sql"]) for q in captured.captured_queries]


def test_a_search_of_thousands_of_words_runs_as_many_queries_as_one_word(
    seeded, client, pinned_today
):
    # Neither finds an event, so both pages run the same queries but for the search.
    with CaptureQueriesContext(connection) as one:
        client.get("/?" + urlencode({"q": "w0"}))
    with CaptureQueriesContext(connection) as many:
        client.get("/?" + urlencode({"q": HOSTILE}))
    with CaptureQueriesContext(connection) as eight:
        client.get("/?" + urlencode({"q": "w0 w1 w2 w3 w4 w5 w6 w7"}))
    assert len(many) == len(one)
    # Each word adds conditions to the one search query: only the first eight are used.
    assert sqls(many) == sqls(eight)


def test_the_page_says_which_words_were_searched(seeded, client, pinned_today):
    doc = page(client, "/?" + urlencode({"q": "Busan " + HOSTILE}))
    warnings = [p.words() for p in doc.find_all("p", cls="warning")]
    assert any(
        w.startswith("Searches use at most 8 words") and "“Busan w0 w1 w2 w3 w4 w5 w6”" in w
        for w in warnings
    ), warnings
    assert event_cards(doc) == []  # no event contains all eight words


def test_a_long_search_still_finds_with_its_first_words(seeded, client, pinned_today):
    doc = page(client, "/?" + urlencode({"q": "Busan Busan " + "x" * 5_000}))
    assert "trump-xi-busan-meeting" in event_cards(doc)


def test_a_short_search_carries_no_note(seeded, client, pinned_today):
    doc = page(client, "/?q=Busan")
    assert not [p for p in doc.find_all("p", cls="warning") if "Searches use" in p.words()]


def test_the_admin_search_uses_at_most_eight_words_and_says_so(seeded, admin_client):
    url = reverse("admin:timeline_eventcandidate_changelist")
    with CaptureQueriesContext(connection) as one:
        admin_client.get(url + "?" + urlencode({"q": "tariffs"}))
    with CaptureQueriesContext(connection) as many:
        response = admin_client.get(url + "?" + urlencode({"q": HOSTILE}))
    assert response.status_code == 200
    longest = max(len(q["sql"]) for q in many.captured_queries)
    assert longest < 10 * max(len(q["sql"]) for q in one.captured_queries)
    assert "Searches use at most 8 words" in response.content.decode()


def test_every_admin_list_bounds_its_search(seeded, admin_client):
    for name in [
        "articles_article",
        "articles_claim",
        "articles_outlet",
        "articles_topic",
        "timeline_event",
        "timeline_evidence",
        "timeline_eventcandidate",
    ]:
        url = reverse(f"admin:{name}_changelist") + "?" + urlencode({"q": HOSTILE})
        with CaptureQueriesContext(connection) as queries:
            assert admin_client.get(url).status_code == 200, name
        assert max(len(q["sql"]) for q in queries.captured_queries) < 20_000, name


def test_a_search_of_only_overlong_words_finds_nothing_and_says_why(seeded, client, pinned_today):
    doc = page(client, "/?" + urlencode({"q": "x" * 5_000}))
    assert event_cards(doc) == []
    notes = [p.words() for p in doc.find_all("p", cls="warning")]
    assert any(n.startswith("Nothing was searched") for n in notes), notes
