"""The evidence export (/evidence.csv), read back by Python's csv module as a spreadsheet would."""

import csv
import io
from datetime import date

import pytest
from django.db.models import F

from articles.models import Article, Claim
from timeline.exports.csv import HEADER
from timeline.models import Event, Evidence

from .factories import grow, make_event


def download(client, url="/evidence.csv"):
    response = client.get(url)
    assert response.status_code == 200, url
    assert response.streaming
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="tradewatch-evidence.csv"'
    body = b"".join(response.streaming_content)
    # A byte order mark, so that Excel reads it as UTF-8.
    assert body.startswith(b"\xef\xbb\xbf")
    reader = csv.reader(io.StringIO(body.decode("utf-8-sig"), newline=""))
    header, *rows = list(reader)
    assert header == HEADER
    return [dict(zip(header, row, strict=True)) for row in rows]


def public_evidence():
    return Evidence.objects.shown().filter(event__in=Event.objects.sourced())


def set_sentence(claim: Claim, sentence: str):
    """Give a claim other words (its offsets follow, as the database requires)."""
    Claim.objects.filter(pk=claim.pk).update(sentence=sentence, end=F("start") + len(sentence))


@pytest.fixture
def rows(seeded, client):
    return download(client)


def test_it_has_a_row_for_each_accepted_quote_of_a_public_event(rows):
    assert len(rows) == public_evidence().count() == 24
    assert Evidence.objects.exclude(state="accepted").exists()  # and those are left out


def test_a_row_names_the_event_the_report_and_links_to_the_quote(rows, client):
    row = next(
        r
        for r in rows
        if r["event"] == "Trump and Xi meet in Busan" and r["outlet"] == "The Saurashtra"
    )
    assert row["date"] == "Thu 30 Oct 2025"
    assert (row["start"], row["end"]) == ("2025-10-30", "2025-10-30")
    assert row["status"] == "scheduled"
    assert row["stance"] in {"supports", "mentions", "contradicts"}
    assert row["event_link"] == "http://testserver/events/trump-xi-busan-meeting/"
    path = row["link"].removeprefix("http://testserver")
    claim = Claim.objects.get(pk=path.rsplit("-", 1)[1])
    assert claim.sentence == row["quote"]
    assert claim.article.title == row["report"]
    assert row["published"] == claim.article.published.isoformat()
    assert client.get(path.split("#")[0]).status_code == 200


def test_rows_follow_the_timeline_order(rows):
    starts = [row["start"] for row in rows]
    assert starts == sorted(starts)


def test_a_quote_with_commas_quotes_and_line_breaks_round_trips(seeded, client):
    awkward = 'He said, "no deal",\nthen: "maybe, later";\r\nand left.'
    set_sentence(public_evidence().first().claim, awkward)
    rows = download(client)
    assert awkward in [row["quote"] for row in rows]
    assert len(rows) == 24


@pytest.mark.parametrize("start", ["=", "+", "-", "@"])
def test_a_cell_that_would_run_as_a_formula_is_neutralised(seeded, client, start):
    formula = f'{start}HYPERLINK("https://evil.example","click")'
    evidence = public_evidence().first()
    set_sentence(evidence.claim, formula)
    Article.objects.filter(pk=evidence.claim.article_id).update(title=f"{start}1+1")
    rows = download(client)
    quotes = [row["quote"] for row in rows]
    assert "'" + formula in quotes
    assert formula not in quotes
    assert "'" + f"{start}1+1" in {row["report"] for row in rows}
    assert not any(value.startswith(("=", "+", "-", "@")) for row in rows for value in row.values())


def test_it_leaves_out_events_no_accepted_evidence_supports(seeded, client):
    hidden = make_event("secret-summit", date(2025, 12, 1))
    Evidence.objects.create(
        event=hidden, claim=Claim.objects.first(), state="accepted", stance="contradicts"
    )
    rows = download(client)
    assert "Secret summit" not in {row["event"] for row in rows}
    assert len(rows) == 24


def test_it_takes_the_timelines_filters(seeded, client):
    by_topic = download(client, "/evidence.csv?topic=rare-earths")
    assert {row["event"] for row in by_topic} == set(
        Event.objects.filter(topics__slug="rare-earths").values_list("title", flat=True)
    )
    by_outlet = download(client, "/evidence.csv?outlet=the-saurashtra")
    assert by_outlet and {row["outlet"] for row in by_outlet} == {"The Saurashtra"}
    by_status = download(client, "/evidence.csv?status=threatened")
    assert {row["status"] for row in by_status} == {"threatened"}


def test_a_filter_it_does_not_understand_is_400_not_another_file(seeded, client):
    response = client.get("/evidence.csv?topic=nonsense")
    assert response.status_code == 400
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert "There is no topic “nonsense”." in response.content.decode()


def test_the_export_only_reads(seeded, client):
    assert client.post("/evidence.csv").status_code == 405


def test_its_queries_do_not_grow(seeded, client, django_assert_num_queries):
    with django_assert_num_queries(1):
        download(client)
    grow(events=20, outlets=6)
    with django_assert_num_queries(1):
        rows = download(client)
    assert len(rows) == public_evidence().count() > 24
