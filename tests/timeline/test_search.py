"""Search: events, quotes and reports, with snippets that link to the passage (/search/)."""

import re
from datetime import date
from urllib.parse import urlencode

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from articles.models import Article, Outlet
from articles.reports import MAX_REPORT_CHARS
from timeline.search import MAX_LIMIT, search

from .factories import add_report, claim_with, grow
from .pages import parse

postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="full-text search runs on PostgreSQL"
)
SOYBEANS = "China agreed on October 30 to resume purchases of U.S. soybeans, officials said."
# A search page: one count, one ranked page, and the rows of at most three kinds.
MAX_QUERIES = 5


def marked(snippet) -> list[str]:
    return [m.lower() for m in re.findall(r"<mark>(.*?)</mark>", str(snippet))]


@pytest.fixture
def soybeans(seeded):
    return add_report(
        SOYBEANS + "\n\nThe talks went on.",
        published=date(2025, 10, 31),
        title="Beijing to buy American farm goods again",
        outlet="Farm Wire",
    ).article


def test_soybeans_finds_the_quote_with_its_word_marked_and_a_link_to_its_passage(soybeans, client):
    claim = claim_with("soybeans", article=soybeans)
    hits = [h for h in search("soybeans").hits if h.kind == "claim"]
    hit = next(h for h in hits if h.url.endswith(f"#claim-{claim.pk}"))
    assert hit.url == f"/articles/{soybeans.slug}/#claim-{claim.pk}"
    assert "soybeans" in marked(hit.snippet)
    assert hit.title == soybeans.title
    assert hit.outlet == "Farm Wire" and hit.published == date(2025, 10, 31)
    report = parse(client.get(hit.url.partition("#")[0]))
    assert report.by_id(f"claim-{claim.pk}") is not None


def test_rare_earth_finds_quotes_with_both_words_marked_each_on_its_report_page(seeded, client):
    claims = [h for h in search("rare earth", limit=MAX_LIMIT).hits if h.kind == "claim"]
    assert claims
    for hit in claims:
        assert {"rare", "earth"} <= set(marked(hit.snippet)), hit.snippet
        page, anchor = hit.url.split("#")
        assert re.fullmatch(r"/articles/[\w-]+/", page) and re.fullmatch(r"claim-\d+", anchor)
        assert parse(client.get(page)).by_id(anchor) is not None


def test_an_event_is_found_by_its_title(seeded):
    hit = search("Busan").hits[0]
    assert (hit.kind, hit.url, hit.title) == (
        "event",
        "/events/trump-xi-busan-meeting/",
        "Trump and Xi meet in Busan",
    )
    assert hit.when == "Thu 30 Oct 2025"


def test_a_report_is_found_by_its_title(seeded):
    reports = [h for h in search("Trade Deal").hits if h.kind == "report"]
    assert "/articles/us-china-trade-deal/" in [h.url for h in reports]


def test_only_events_on_the_timeline_are_found(seeded):
    from .factories import make_event

    make_event("unsourced", date(2025, 6, 1), title="Zanzibar side meeting")
    assert search("Zanzibar").total == 0


def test_a_title_match_ranks_above_a_body_only_match(seeded):
    body_only = add_report(
        "Sorghum prices rose. Sorghum exports fell. Sorghum growers waited for news.",
        published=date(2025, 11, 2),
        title="Grain markets in a week of talks",
    ).article
    titled = add_report(
        "Growers of the grain waited for news from the talks.",
        published=date(2025, 11, 3),
        title="Sorghum growers hope for a deal",
    ).article
    reports = [h.url for h in search("sorghum").hits if h.kind == "report"]
    assert reports.index(titled.get_absolute_url()) < reports.index(body_only.get_absolute_url())


def test_snippets_escape_the_html_of_the_source_text(seeded, client):
    add_report(
        'Officials said <script>alert("x")</script> & <b>soybeans</b> shipments resume.',
        published=date(2025, 11, 4),
        title="<i>Scripted</i> soybeans report",
    )
    results = search("soybeans")
    for hit in results.hits:
        html = str(hit.snippet)
        assert "<script" not in html and "<b>" not in html and "<i>" not in html, html
        assert set(re.findall(r"</?(\w+)", html)) <= {"mark"}, html
    page = client.get("/search/?q=soybeans").content.decode()
    assert "<script>alert" not in page and "<i>Scripted" not in page
    assert "&lt;i&gt;Scripted" in page


@pytest.mark.parametrize("q", ["a", "t", "x" * 10_000, "soy " * 3_000, "'\\:*&|!()<>"])
def test_one_letter_and_hostile_queries_answer_with_a_bounded_number_of_queries(seeded, client, q):
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/search/?" + urlencode({"q": q}))
    assert response.status_code == 200
    assert len(queries) <= MAX_QUERIES
    assert max(len(x["sql"]) for x in queries.captured_queries or [{"sql": ""}]) < 20_000


def test_a_page_of_results_is_bounded_and_pages_on(seeded, client):
    results = search("a", limit=1_000)
    assert results.total > MAX_LIMIT or len(results.hits) <= MAX_LIMIT
    assert len(results.hits) <= MAX_LIMIT
    first = parse(client.get("/search/?q=a"))
    hits = first.find_all("li", cls="hit")
    assert 0 < len(hits) <= 20
    pager = first.find("nav", cls="pager")
    following = pager.find("a", rel="next").attrs["href"]
    assert following == "?q=a&offset=20"
    second = parse(client.get("/search/" + following))
    assert second.find("ol", cls="hits").attrs["start"] == "21"
    assert second.find("nav", cls="pager").find("a", rel="prev").attrs["href"] == "?q=a&offset=0"
    # Past the end, or a bad offset: a page all the same.
    for offset in ["99999", "-3", "abc", "1" + "0" * 40]:
        assert client.get(f"/search/?q=a&offset={offset}").status_code == 200


def test_the_page_labels_each_result_with_its_kind_and_links_it(soybeans, client):
    doc = parse(client.get("/search/?q=soybeans"))
    count = doc.find("p", cls="count").words()
    assert count.startswith(f"{search('soybeans').total} results for “soybeans”")
    kinds = {h.find("span", cls="hit-kind").words() for h in doc.find_all("li", cls="hit")}
    assert {"Quote", "Report"} <= kinds
    quote = next(h for h in doc.find_all("li", cls="hit--claim"))
    assert re.fullmatch(r"/articles/[\w-]+/#claim-\d+", quote.find("a").attrs["href"])
    assert quote.find("blockquote", cls="hit-snippet").find("mark") is not None


def test_an_empty_search_explains_itself_and_a_fruitless_one_says_so(seeded, client):
    empty = parse(client.get("/search/"))
    assert "Search every event on the timeline" in empty.find(cls="search-empty").words()
    assert empty.find("li", cls="hit") is None
    none = parse(client.get("/search/?q=zyxwvut"))
    assert none.find("p", cls="search-none").words().startswith("Nothing matches “zyxwvut”")


def test_every_page_has_a_search_box_in_its_header(seeded, client):
    for url in ["/", "/articles/", "/coverage/", "/search/?q=Busan"]:
        form = parse(client.get(url)).find("header").find("form", role="search")
        assert form.attrs["action"] == "/search/" and form.attrs["method"] == "get", url
        field = form.find("input", name="q")
        assert form.find("label", **{"for": field.id}) is not None


def test_the_search_page_runs_as_many_queries_as_the_data_grows(
    seeded, client, django_assert_num_queries
):
    urls = ["/search/?q=Busan", "/search/?q=a", "/search/?q=zyxwvut", "/search/"]
    before = {}
    for url in urls:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        before[url] = len(queries)
    assert before["/search/?q=Busan"] <= MAX_QUERIES
    grow(events=20, outlets=6)
    assert search("Busan").total > 3
    for url in urls:
        with django_assert_num_queries(before[url], info=url):
            assert client.get(url).status_code == 200


@postgres_only
def test_the_search_documents_have_gin_indexes_after_migrate(db):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT tablename, indexname, indexdef FROM pg_indexes WHERE indexname LIKE 'search_%'"
        )
        rows = {name: (table, definition) for table, name, definition in cursor.fetchall()}
    assert {name: table for name, (table, _) in rows.items()} == {
        "search_event_document": "timeline_event",
        "search_claim_document": "articles_claim",
        "search_report_document": "articles_article",
    }
    assert all("USING gin (search_document)" in d for _, d in rows.values())


@postgres_only
def test_the_claim_query_can_use_its_index(seeded):
    from articles.search import search_words
    from timeline.search import backend_for

    backend = backend_for(search_words("soybeans").words)
    claims = backend.branches()[1]
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        plan = claims.values("pk").explain()
    assert "search_claim_document" in plan, plan


@postgres_only
def test_words_match_as_prefixes_and_stems(soybeans):
    assert search("soy").counts["claim"] >= 1
    assert search("soybean").counts["claim"] >= 1
    # "a" is a stop word in English; alone, it still finds the words it begins.
    assert search("a").total > 0


def test_a_report_at_the_size_limit_made_of_distinct_words_is_stored_and_found(db):
    # A tsvector holds at most 1 MB; a body of a million characters of distinct words would
    # not fit, and its INSERT would fail on PostgreSQL. Only its first part is searched.
    words = [f"w{n:07d}x" for n in range(MAX_REPORT_CHARS // 10)]
    body = " ".join(words)[:MAX_REPORT_CHARS]
    outlet = Outlet.objects.create(name="Long Copy", slug="long-copy")
    article = Article.objects.create(
        outlet=outlet,
        title="A very long report",
        slug="a-very-long-report",
        published=date(2025, 11, 3),
        body=body,
        raw_body=body,
    )
    assert Article.objects.filter(pk=article.pk).exists()
    [hit] = [h for h in search(words[0]).hits if h.kind == "report"]
    assert hit.url == article.get_absolute_url()
