"""What readers are told of a corrected report: when, and what a quote said before.

"needs review", "relocated" and "orphaned" are the editors' words for a claim's anchor;
public pages speak of corrections in readers' words.
"""

from datetime import UTC, date, datetime

import pytest

from articles.models import Article, Claim
from articles.services import add_claim, ingest_report
from tests.articles.test_review_flow import BODY, PUBLISHED, QUOTE
from timeline.linking import decide
from timeline.models import Evidence

from .factories import make_event
from .pages import parse

EDITORS_WORDS = ("needs review", "needs_review", "orphaned", "relocated")


def ingest(body=BODY, article=None, title="Talks resume", url="https://example.com/talks"):
    return ingest_report(
        title=title,
        outlet="Test Wire",
        published=PUBLISHED,
        body=body,
        url=url,
        article=article,
    ).article


def date_versions(article, *days):
    """Put the article's saved versions, oldest first, on these days (at noon UTC)."""
    versions = list(article.history.order_by("history_date", "history_id"))
    assert len(versions) == len(days)
    for version, day in zip(versions, days, strict=True):
        noon = datetime(day.year, day.month, day.day, 12, tzinfo=UTC)
        article.history.filter(history_id=version.history_id).update(history_date=noon)
    Article.objects.filter(pk=article.pk).update(
        updated=datetime(days[-1].year, days[-1].month, days[-1].day, 12, tzinfo=UTC)
    )


def page(client, article):
    response = client.get(article.get_absolute_url())
    assert response.status_code == 200
    return response.content.decode()


def test_a_report_never_corrected_says_nothing_of_corrections(db, client):
    html = page(client, ingest())
    assert parse(html).find("p", cls="report-corrected") is None
    assert "Corrected" not in html and "Earlier wording" not in html


def test_a_corrected_report_says_the_day_its_text_last_changed(db, client):
    article = ingest()
    article = ingest("A paragraph added in a correction.\n\n" + BODY, article=article)
    article = ingest(article.raw_body, article=article, title="Talks resume in Kuala Lumpur")
    assert article.version == 3
    date_versions(article, date(2025, 10, 27), date(2025, 10, 29), date(2025, 11, 2))
    notice = parse(page(client, article)).find("p", cls="report-corrected")
    # The text changed on the 29th; the title alone on 2 November.
    assert notice.words() == "Corrected on Wed 29 Oct 2025."
    assert notice.find("time").attrs["datetime"] == "2025-10-29"


def test_a_report_whose_text_came_back_is_dated_by_its_return(db, client):
    article = ingest()
    article = ingest("A paragraph added in a correction.\n\n" + BODY, article=article)
    article = ingest(BODY, article=article)
    date_versions(article, date(2025, 10, 27), date(2025, 10, 29), date(2025, 10, 31))
    notice = parse(page(client, article)).find("p", cls="report-corrected")
    assert notice.words() == "Corrected on Fri 31 Oct 2025."


def test_a_report_with_only_its_header_corrected_says_the_day_of_that_correction(db, client):
    article = ingest()
    article = ingest(BODY, article=article, title="Talks resume in Kuala Lumpur")
    date_versions(article, date(2025, 10, 27), date(2025, 10, 28))
    notice = parse(page(client, article)).find("p", cls="report-corrected")
    assert notice.words() == "Corrected on Tue 28 Oct 2025."


def test_a_reworded_quote_shows_its_earlier_wording_next_to_it(db, client):
    article = ingest()
    mine = add_claim(article=article, sentence="Analysts were cautious about the outcome")
    article = ingest(BODY.replace("were cautious", "were very cautious"), article=article)
    doc = parse(page(client, article))
    note = next(el for el in doc.find("a", href=f"#{mine.anchor}").ancestors() if el.tag == "li")
    details = note.find("details", cls="earlier-wording")
    assert details.find("summary").words() == "Reworded in a correction"
    earlier = details.find("p").words()
    assert earlier == "Earlier wording: “Analysts were cautious about the outcome”"
    assert details.find("a") is None, "nothing to follow: the earlier words are all there is"
    assert "1 quote was reworded" in doc.find("p", cls="report-corrected").words()


@pytest.fixture
def corrected_with_flags(db):
    """A report whose correction left quotes reworded, moved and gone, all on an event."""
    event = make_event("trump-xi-busan", date(2025, 10, 30), keywords=["Busan"], title="Busan")
    article = ingest(BODY.replace(QUOTE, f"{QUOTE} The summit is in Busan on Thursday."))
    add_claim(article=article, sentence="Analysts were cautious about the outcome")
    decide(list(Evidence.objects.filter(claim__article=article)), Evidence.State.ACCEPTED)
    Claim.objects.filter(article=article).update(reviewed=True)
    corrected = ("A paragraph added in a correction.\n\n" + BODY).replace(
        "meet Thursday", "meet on Thursday"
    )
    article = ingest(corrected.replace(f"{QUOTE}\n", ""), article=article)
    states = set(article.claims.values_list("anchor_state", flat=True))
    assert {"needs_review", "relocated", "orphaned"} <= states
    assert Evidence.objects.filter(event=event, claim__anchor_state="orphaned").exists()
    return article, event


def test_the_report_page_never_speaks_of_review_states(corrected_with_flags, client):
    article, _ = corrected_with_flags
    html = page(client, article)
    for word in EDITORS_WORDS:
        assert word not in html.lower(), word
    doc = parse(html)
    for gone in article.claims.filter(anchor_state="orphaned"):
        orphan = doc.by_id(gone.anchor).parent
        assert "This quote is no longer in the corrected report." in orphan.words()


def test_the_timeline_quotes_never_speak_of_review_states(
    corrected_with_flags, client, pinned_today
):
    _, event = corrected_with_flags
    for url in ("/", event.get_absolute_url()):
        response = client.get(url)
        assert response.status_code == 200, url
        html = response.content.decode().lower()
        for word in EDITORS_WORDS:
            assert word not in html, (url, word)


def test_a_corrected_report_page_runs_no_more_queries_than_an_uncorrected_one(
    db, client, django_assert_num_queries
):
    plain = ingest(BODY.replace("Talks in", "Talks held in"), url="https://example.com/b")
    corrected = ingest()
    for n in range(3):
        corrected = ingest(f"Correction {n}.\n\n" + BODY, article=corrected)
    for article in (plain, corrected):
        with django_assert_num_queries(5, info=article.slug):
            page(client, article)
