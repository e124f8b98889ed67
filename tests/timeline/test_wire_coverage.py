"""Coverage counts independent reports as well as outlets: wire copies are one source."""

from datetime import date

from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.articles.test_wire import EDITED, STORY, report
from timeline.linking import decide
from timeline.models import Evidence

from .factories import claim_with, make_event
from .pages import parse

OWN_STORY = [
    "Officials from both governments said on Sunday that the talks in Kuala Lumpur had "
    "ended after two days, with a joint text still to be agreed by the leaders.",
    "A person briefed on the discussions said the American side had pressed for firm "
    "commitments on soybean purchases before any of its tariffs came down.",
]


def page(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return parse(response)


def accept(event, *claims):
    rows = [Evidence.objects.get_or_create(event=event, claim=claim)[0] for claim in claims]
    decide(rows, Evidence.State.ACCEPTED)


def talks():
    return make_event("kuala-lumpur-consensus", date(2025, 10, 26), title="Kuala Lumpur talks")


def own_report(event):
    """One outlet's own reporting of the talks."""
    article = report(OWN_STORY, outlet="Own Desk", published=date(2025, 10, 27), title="Own")
    accept(event, claim_with("ended after two days", article.article))


def copies(event):
    """Three outlets print the same wire story, one with a paragraph moved and a sentence
    reworded."""
    articles = [
        report(STORY, outlet="Daily Global Reports", published=date(2025, 10, 27), title="A"),
        report(STORY, outlet="The Saurashtra", published=date(2025, 10, 26), title="B"),
        report(EDITED, outlet="Mint Wire", published=date(2025, 10, 28), title="C"),
    ]
    accept(event, *(claim_with("wrapped up two days", a.article) for a in articles))


def test_the_event_page_counts_wire_copies_as_one_independent_report(db, client, pinned_today):
    event = talks()
    copies(event)
    own_report(event)
    line = page(client, event.get_absolute_url()).find("p", cls="coverage-line").words()
    assert line == (
        "Reported by 4 of 4 outlets in TradeWatch, in 4 quotes. "
        "4 outlets, 2 independent reports: the others print the same wire copy."
    )


def test_the_card_counts_independent_reports_beside_outlets(db, client, pinned_today):
    event = talks()
    copies(event)
    own_report(event)
    card = page(client, "/").by_id(f"event-{event.slug}")
    assert "4 sources · 4 outlets, 2 independent reports" in card.words()


def test_reports_that_are_all_independent_say_nothing_more(db, client, pinned_today):
    event = talks()
    own_report(event)
    line = page(client, event.get_absolute_url()).find("p", cls="coverage-line").words()
    assert line == "Reported by 1 of 1 outlet in TradeWatch, in 1 quote."
    card = page(client, "/").by_id(f"event-{event.slug}")
    assert "independent" not in card.words()


def test_two_rewrites_of_one_agency_are_one_independent_report(db, client, pinned_today):
    event = talks()
    for outlet, first in [("Asia Trade", "SINGAPORE (AFP) - "), ("Gulf Daily", "")]:
        article = report(
            [f"{first}{OWN_STORY[0]}", f"{OWN_STORY[1]} ({outlet} reporting.)", "AFP"],
            outlet=outlet,
            published=date(2025, 10, 27),
            title=outlet,
        ).article
        accept(event, claim_with("ended after two days", article))
    line = page(client, event.get_absolute_url()).find("p", cls="coverage-line").words()
    assert "2 outlets, 1 independent report:" in line


def test_wire_copies_add_no_query_to_the_event_page(db, client, pinned_today):
    event = talks()
    own_report(event)
    with CaptureQueriesContext(connection) as alone:
        client.get(event.get_absolute_url())
    copies(event)
    with CaptureQueriesContext(connection) as grouped:
        assert b"independent reports" in client.get(event.get_absolute_url()).content
    assert len(grouped) == len(alone)


def test_the_coverage_grid_counts_independent_reports_per_event(db, client, pinned_today):
    event = talks()
    copies(event)
    own_report(event)
    doc = page(client, "/coverage/")
    [row] = [tr for tr in doc.find_all("tr") if tr.find("th", scope="row")]
    cells = [td.words() for td in row.find_all("td", cls="total")]
    assert cells == ["4 / 4", "2"]
