"""The JSON API (timeline/api.py): its answers, filters, pages, revalidation, CORS and errors,
its OpenAPI document, a fuzz run of every operation, and its queries as the data grows."""

import re
from urllib.parse import urlencode

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode
from schemathesis.specs.openapi.checks import positive_data_acceptance

from articles.models import Article, Claim
from timeline.linking import decide
from timeline.models import Event, Evidence
from tradewatch.wsgi import application

from .factories import grow, make_event
from .test_search_limits import HOSTILE, sqls
from .test_views import OUTLETS, SLUGS, event_cards, page

API = "/api/v1"
ABSOLUTE_CLAIM_LINK = re.compile(r"^http://testserver/articles/[\w-]+/#claim-\d+$")
ABSOLUTE_PASSAGE_LINK = re.compile(r"^http://testserver/articles/[\w-]+/#p-\d+$")


def get(client, url, status=200, **headers):
    response = client.get(url, **headers)
    assert response.status_code == status, (url, response.content[:500])
    assert response["Content-Type"].startswith("application/json"), url
    return response.json()


def slugs(answer):
    return [item["slug"] for item in answer["items"]]


def every_page(client, url, limit):
    """The items of a list, page by page through its `next` links."""
    items, next_url = [], f"{url}{'&' if '?' in url else '?'}limit={limit}"
    while next_url:
        answer = get(client, next_url)
        assert len(answer["items"]) <= limit
        items += answer["items"]
        next_url = answer["next"]
    return items


# --- events -----------------------------------------------------------------------------------


def test_events_lists_the_seven_sourced_events_in_timeline_order(seeded, client):
    answer = get(client, f"{API}/events")
    assert answer["count"] == 7
    assert slugs(answer) == SLUGS
    assert answer["next"] is None and answer["previous"] is None
    keys = [(e["start"], e["end"] or "", e["title"]) for e in answer["items"]]
    assert keys == sorted(keys)


def test_an_event_gives_its_dates_at_their_precision_status_history_and_evidence(seeded, client):
    event = get(client, f"{API}/events/geneva-truce")
    assert event["url"] == "http://testserver/events/geneva-truce/"
    assert (event["start"], event["end"], event["precision"], event["when"]) == (
        "2025-05-12",
        None,
        "day",
        "Mon 12 May 2025",
    )
    assert event["status"] == "happened"
    assert [step["phrase"] for step in event["history"]] == ["happened, Mon 12 May 2025"]
    assert all(ABSOLUTE_CLAIM_LINK.match(s) for step in event["history"] for s in step["sources"])
    assert {t["slug"] for t in event["topics"]} == {"diplomacy", "tariffs"}

    shown = Evidence.objects.shown().filter(event__slug="geneva-truce")
    assert [ev["claim_id"] for ev in event["evidence"]] == [ev.claim_id for ev in shown]
    for ev in event["evidence"]:
        claim = Claim.objects.select_related("article__outlet", "passage").get(pk=ev["claim_id"])
        assert ev["sentence"] == claim.sentence == ev["quote"]["exact"]
        assert ev["quote"]["type"] == "TextQuoteSelector"
        assert ev["state"] == "accepted"
        assert ev["outlet"] == {
            "slug": claim.article.outlet.slug,
            "name": claim.article.outlet.name,
        }
        assert ev["report"]["url"] == f"http://testserver{claim.article.get_absolute_url()}"
        assert ev["link"] == f"{ev['report']['url']}#claim-{claim.pk}"
        assert ABSOLUTE_CLAIM_LINK.match(ev["link"])
        assert ev["passage_anchor"] == claim.passage.anchor
        assert ABSOLUTE_PASSAGE_LINK.match(ev["passage_link"])


def test_a_span_and_a_month_are_worded_as_the_timeline_words_them(seeded, client):
    events = {e["slug"]: e for e in get(client, f"{API}/events")["items"]}
    talks = events["kuala-lumpur-talks"]
    assert (talks["start"], talks["end"], talks["when"]) == (
        "2025-10-25",
        "2025-10-26",
        "Sat 25 – Sun 26 Oct 2025",
    )
    assert (events["april-2025-tariff-escalation"]["precision"], "April 2025") == (
        "month",
        events["april-2025-tariff-escalation"]["when"],
    )


def test_an_event_in_the_list_is_the_event_on_its_own(seeded, client):
    listed = get(client, f"{API}/events?limit=100")["items"]
    for event in listed:
        assert get(client, f"{API}/events/{event['slug']}") == event


FILTERS = [
    "topic=tariffs",
    "status=threatened",
    "outlet=the-saurashtra",
    "from=2025-10-01",
    "to=2025-10-26",
    "from=2025-10-26&to=2025-10-30",
    "q=Busan",
    "topic=tariffs&status=scheduled&q=truce&from=2025-01-01",
]


def test_each_filter_narrows_the_events_as_the_timeline_page_does(seeded, client):
    for query in FILTERS:
        page_query = query.replace("from=", "start=").replace("to=", "end=")
        expected = event_cards(page(client, f"/?{page_query}"))
        answer = get(client, f"{API}/events?{query}")
        assert slugs(answer) == expected, query
        assert answer["count"] == len(expected) < 7, query


def test_an_event_without_accepted_evidence_is_not_public(seeded, client):
    from datetime import date

    make_event("unsourced", date(2025, 11, 5), title="An event nobody reported")
    assert "unsourced" not in slugs(get(client, f"{API}/events?limit=100"))
    answer = get(client, f"{API}/events/unsourced", status=404)
    assert answer["detail"] == "There is no public event “unsourced”."


def test_unknown_events_and_reports_answer_404_in_json(seeded, client):
    assert get(client, f"{API}/events/no-such-event", status=404)["detail"]
    assert get(client, f"{API}/reports/no-such-report", status=404)["detail"]
    long = get(client, f"{API}/events/{'x' * 5000}", status=404)
    assert len(long["detail"]) < 100  # a pasted page is not repeated back


# --- pages ------------------------------------------------------------------------------------


def test_paging_through_events_gives_each_once_in_the_same_order(seeded, client):
    whole = slugs(get(client, f"{API}/events?topic=tariffs"))
    for limit in (1, 2, 3):
        walked = every_page(client, f"{API}/events?topic=tariffs", limit)
        assert [e["slug"] for e in walked] == whole, limit


def test_pages_link_to_their_neighbours_keeping_the_filters(seeded, client):
    second = get(client, f"{API}/events?status=happened&limit=1&offset=1")
    assert second["previous"] == "http://testserver/api/v1/events?status=happened&limit=1&offset=0"
    assert second["next"] == "http://testserver/api/v1/events?status=happened&limit=1&offset=2"
    last = get(client, f"{API}/events?limit=5&offset=5")
    assert slugs(last) == SLUGS[5:] and last["next"] is None
    assert get(client, f"{API}/events?offset=500")["items"] == []


def test_reports_are_newest_first_then_by_title_and_page_stably(seeded, client):
    answer = get(client, f"{API}/reports")
    assert answer["count"] == 5
    expected = list(Article.objects.order_by("-published", "title", "pk").values_list("slug"))
    assert [(r["slug"],) for r in answer["items"]] == expected
    assert [r["slug"] for r in every_page(client, f"{API}/reports", 2)] == slugs(answer)
    report = answer["items"][0]
    assert report["claim_count"] == Claim.objects.filter(article__slug=report["slug"]).count()


def test_reports_filter_by_outlet(seeded, client):
    answer = get(client, f"{API}/reports?outlet=the-saurashtra")
    assert answer["count"] == 1
    assert answer["items"][0]["outlet"]["slug"] == "the-saurashtra"


def test_outlets_lists_each_outlet_with_its_reports(seeded, client):
    answer = get(client, f"{API}/outlets")
    assert [o["name"] for o in answer["items"]] == OUTLETS
    assert all(o["reports"] == 1 for o in answer["items"])
    assert [o["name"] for o in every_page(client, f"{API}/outlets", 2)] == OUTLETS


# --- one report -------------------------------------------------------------------------------


def test_a_report_gives_its_passages_and_claims_with_dates_figures_and_events(seeded, client):
    article = Article.objects.get(slug="us-china-trade-deal")
    report = get(client, f"{API}/reports/{article.slug}")
    assert report["url"] == "http://testserver/articles/us-china-trade-deal/"
    passages = report["passages"]
    assert [p["position"] for p in passages] == list(range(1, len(passages) + 1))
    assert all(p["link"] == f"{report['url']}#p-{p['position']}" for p in passages)
    assert all(article.body[p["start"] : p["end"]] == p["text"] for p in passages)

    claims = report["claims"]
    assert len(claims) == report["claim_count"] == article.claims.count()
    for claim in claims:
        assert claim["link"] == f"{report['url']}#claim-{claim['id']}"
        if claim["start"] is not None:
            assert article.body[claim["start"] : claim["end"]] == claim["sentence"]
        for mention in claim["mentions"]:
            assert claim["sentence"][mention["start"] : mention["end"]] == mention["text"]
            assert mention["date_start"] <= mention["date_end"]
    assert any(c["mentions"] for c in claims)
    assert any(c["figures"] for c in claims)
    assert any(c["attribution"] for c in claims)
    # A claim's events are the public events it is accepted evidence for.
    linked = {e["slug"] for c in claims for e in c["events"]}
    assert linked and linked <= set(SLUGS)
    assert linked == set(
        Evidence.objects.shown()
        .filter(claim__article=article, event__slug__in=SLUGS)
        .values_list("event__slug", flat=True)
    )


# --- conditional GET --------------------------------------------------------------------------


REVALIDATED = [
    f"{API}/events",
    f"{API}/events/geneva-truce",
    f"{API}/reports",
    f"{API}/reports/us-china-trade-deal",
    f"{API}/outlets",
    f"{API}/search?q=Busan",
    "/api/openapi.json",
]


def test_every_answer_has_an_etag_and_a_revalidation_answers_304(seeded, client):
    for url in REVALIDATED:
        first = client.get(url)
        assert first.status_code == 200, url
        etag = first["ETag"]
        again = client.get(url, HTTP_IF_NONE_MATCH=etag)
        assert again.status_code == 304, url
        assert again.content == b""
        assert again["ETag"] == etag
        assert client.get(url, HTTP_IF_NONE_MATCH='"something-else"').status_code == 200


def test_an_edit_changes_the_etag_of_the_answers_that_show_it(seeded, client):
    urls = [f"{API}/events", f"{API}/events/geneva-truce", f"{API}/reports/us-china-trade-deal"]
    before = {url: client.get(url)["ETag"] for url in urls}

    Event.objects.filter(slug="geneva-truce").update(title="Geneva truce, renamed")
    event_urls = urls[:2]
    for url in event_urls:
        response = client.get(url, HTTP_IF_NONE_MATCH=before[url])
        assert response.status_code == 200, url
        assert response["ETag"] != before[url]
        assert "Geneva truce, renamed" in response.content.decode()

    # An edit to a claim (no `updated` column) changes its report's answer too.
    claim = Claim.objects.filter(article__slug="us-china-trade-deal").first()
    claim.attribution = "a spokesperson"
    claim.save()
    url = urls[2]
    response = client.get(url, HTTP_IF_NONE_MATCH=before[url])
    assert response.status_code == 200 and response["ETag"] != before[url]


def test_rejecting_evidence_changes_the_event_etag(seeded, client):
    url = f"{API}/events/trump-xi-busan-meeting"
    before = client.get(url)
    evidence = Evidence.objects.shown().filter(event__slug="trump-xi-busan-meeting").first()
    decide([evidence], Evidence.State.REJECTED)
    after = client.get(url, HTTP_IF_NONE_MATCH=before["ETag"])
    assert after.status_code == 200
    assert len(after.json()["evidence"]) == len(before.json()["evidence"]) - 1


# --- CORS -------------------------------------------------------------------------------------


def test_any_origin_may_read_every_answer(seeded, client):
    # A list, a 404, a 422 and the OpenAPI document.
    for url in [
        f"{API}/events",
        f"{API}/events/nope",
        f"{API}/events?limit=0",
        "/api/openapi.json",
    ]:
        response = client.get(url, HTTP_ORIGIN="https://newsroom.example")
        assert response["Access-Control-Allow-Origin"] == "*", url
        assert response["Access-Control-Expose-Headers"] == "ETag", url
        assert "Access-Control-Allow-Credentials" not in response, url
        # The site's own headers stay.
        assert response["X-Content-Type-Options"] == "nosniff", url
        assert "Content-Security-Policy" in response, url


def test_a_304_still_carries_the_cors_header(seeded, client):
    etag = client.get(f"{API}/outlets")["ETag"]
    response = client.get(
        f"{API}/outlets", HTTP_IF_NONE_MATCH=etag, HTTP_ORIGIN="https://x.example"
    )
    assert response.status_code == 304
    assert response["Access-Control-Allow-Origin"] == "*"


def test_a_preflight_for_a_get_is_allowed_without_credentials(seeded, client):
    response = client.options(
        f"{API}/events?topic=tariffs",
        HTTP_ORIGIN="https://newsroom.example",
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET",
        HTTP_ACCESS_CONTROL_REQUEST_HEADERS="if-none-match",
    )
    assert response.status_code == 204
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "GET" in response["Access-Control-Allow-Methods"].split(", ")
    assert "POST" not in response["Access-Control-Allow-Methods"]
    assert "if-none-match" in response["Access-Control-Allow-Headers"].lower()
    assert int(response["Access-Control-Max-Age"]) > 0
    assert "Access-Control-Allow-Credentials" not in response


def test_the_api_only_reads(seeded, client):
    response = client.post(f"{API}/events", {})
    assert response.status_code in (403, 405)
    assert client.delete(f"{API}/events/geneva-truce").status_code == 405
    assert Event.objects.filter(slug="geneva-truce").exists()


# --- bad parameters ---------------------------------------------------------------------------

BAD = [
    ("events?topic=no-such-topic", "topic", "There is no topic “no-such-topic”."),
    ("events?outlet=no-such-outlet", "outlet", "There is no outlet “no-such-outlet”."),
    ("events?status=sleeping", "status", "Input should be"),
    ("events?from=2025-13-01", "from", "valid date"),
    ("events?to=yesterday", "to", "valid date"),
    ("events?from=2025-11-01&to=2025-10-01", "from", "is after “to”"),
    ("events?limit=0", "limit", "greater than or equal to 1"),
    ("events?limit=101", "limit", "less than or equal to 100"),
    ("events?limit=ten", "limit", "valid integer"),
    ("events?offset=-1", "offset", "greater than or equal to 0"),
    ("events?offset=99999999999999999999", "offset", "less than or equal to"),
    ("reports?outlet=no-such-outlet", "outlet", "There is no outlet “no-such-outlet”."),
    ("reports?limit=500", "limit", "less than or equal to 100"),
    ("outlets?offset=x", "offset", "valid integer"),
    ("search", "q", "required"),
    ("search?q=", "q", "at least 1 character"),
    (f"search?q={'x' * 41}", "q", "Nothing to search"),
    ("search?q=Busan&limit=51", "limit", "less than or equal to 50"),
]


def test_a_bad_parameter_answers_422_naming_it(seeded, client):
    for url, parameter, message in BAD:
        answer = get(client, f"{API}/{url}", status=422)
        assert [e["parameter"] for e in answer["errors"]] == [parameter], answer
        assert answer["detail"].startswith(f"{parameter}: "), answer
        assert message in answer["detail"], answer


def test_a_topic_no_event_carries_is_named_as_such(seeded, client):
    from articles.models import Topic

    Topic.objects.create(slug="shipping-lanes", name="Shipping lanes")
    answer = get(client, f"{API}/events?topic=shipping-lanes", status=422)
    assert answer["errors"] == [
        {
            "parameter": "topic",
            "message": "No event on the timeline has the topic “shipping-lanes”.",
        }
    ]


def test_a_search_of_thousands_of_words_costs_what_eight_words_cost(
    seeded, client, django_assert_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as eight:
        answer = get(client, f"{API}/events?" + urlencode({"q": "w0 w1 w2 w3 w4 w5 w6 w7"}))
    with CaptureQueriesContext(connection) as many:
        hostile = get(client, f"{API}/events?" + urlencode({"q": HOSTILE + "x" * 10_000}))
    assert sqls(many) == sqls(eight)
    assert answer["search_note"] == ""
    assert hostile["search_note"].startswith("Searches use at most 8 words")
    assert hostile["items"] == []


def test_a_search_of_a_long_q_finds_with_its_first_words(seeded, client):
    answer = get(client, f"{API}/events?" + urlencode({"q": "Busan " + "x" * 10_000}))
    assert "trump-xi-busan-meeting" in slugs(answer)


# --- search -----------------------------------------------------------------------------------


def test_search_finds_events_quotes_and_reports_with_marked_snippets(seeded, client):
    answer = get(client, f"{API}/search?q=Busan")
    assert answer["count"] == sum(answer["counts"].values()) > 0
    assert answer["counts"]["event"] >= 1 and answer["counts"]["claim"] >= 1
    kinds = {hit["kind"] for hit in answer["items"]}
    assert kinds <= {"event", "claim", "report"} and "event" in kinds
    for hit in answer["items"]:
        assert hit["url"].startswith("http://testserver/")
        assert "<mark>" in hit["snippet"]
    ranks = [hit["rank"] for hit in answer["items"]]
    assert ranks == sorted(ranks, reverse=True)
    walked = every_page(client, f"{API}/search?q=Busan", 3)
    assert [(h["kind"], h["url"]) for h in walked] == [
        (h["kind"], h["url"]) for h in get(client, f"{API}/search?q=Busan&limit=50")["items"]
    ]


def test_search_of_a_long_q_uses_the_search_limits(seeded, client):
    answer = get(client, f"{API}/search?" + urlencode({"q": "Busan " + "y" * 10_000}))
    assert answer["search_note"]
    assert answer["counts"]["event"] >= 1


# --- the OpenAPI document ---------------------------------------------------------------------


def test_the_openapi_document_is_valid_and_describes_every_operation(db, client):
    document = get(client, "/api/openapi.json")
    assert document["info"]["title"] == "TradeWatch API"
    assert document["info"]["version"] == "1"
    schema = schemathesis.openapi.from_dict(document)
    schema.validate()
    operations = {
        (op.method.upper(), op.path) for op in (r.ok() for r in schema.get_all_operations())
    }
    assert operations == {
        ("GET", "/api/v1/events"),
        ("GET", "/api/v1/events/{slug}"),
        ("GET", "/api/v1/reports"),
        ("GET", "/api/v1/reports/{slug}"),
        ("GET", "/api/v1/outlets"),
        ("GET", "/api/v1/search"),
    }
    # Every parameter and every field of every answer says what it is.
    for path in document["paths"].values():
        for parameter in path["get"].get("parameters", []):
            if parameter["in"] == "query":
                assert parameter.get("description"), parameter["name"]
    for name, component in document["components"]["schemas"].items():
        for field, spec in component.get("properties", {}).items():
            assert spec.get("description"), f"{name}.{field}"


# --- fuzzing every operation ------------------------------------------------------------------


# schemathesis.pytest.from_fixture cannot be used with pytest 9 (schemathesis 4.32.5 sets
# the private `request.node._nodeid`, gone in pytest 9), so the test draws each operation's
# cases itself, with the same strategies and checks, against the seeded test database.
FUZZ = settings(
    max_examples=25,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)


@pytest.fixture
def wsgi_keeps_the_test_connection():
    """The WSGI app closes a connection inside a transaction at the end of each request, and
    so would close the test's (on PostgreSQL); Django's test client unhooks this the same way."""
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    yield
    for signal in (request_started, request_finished):
        signal.connect(close_old_connections)


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
def test_every_operation_answers_per_its_schema_whatever_it_is_sent(
    seeded, wsgi_keeps_the_test_connection, mode
):
    schema = schemathesis.openapi.from_wsgi("/api/openapi.json", application)
    # PostgreSQL cannot take a NUL; the site refuses one in any URL with a plain-text 400
    # before the API is reached (tradewatch/middleware.py, tested in tests/test_security.py).
    schema.config.generation.update(allow_x00=False)
    operations = [result.ok() for result in schema.include(method="GET").get_all_operations()]
    assert len(operations) == 6
    if mode is GenerationMode.NEGATIVE:
        # Any string is a slug the API looks up (404 if unknown): there is no invalid one.
        operations = [op for op in operations if "{slug}" not in op.path]

    for operation in operations:

        @FUZZ
        @given(case=operation.as_strategy(mode))
        def answers_per_schema(case):
            # A topic, outlet or slug the schema allows may name nothing: 422 or 404 is the
            # right answer then, and the schema cannot list slugs, which change with the data.
            case.call_and_validate(excluded_checks=[positive_data_acceptance])

        answers_per_schema()


# --- queries ----------------------------------------------------------------------------------

# Queries each answer runs on the seed data; they must not grow with the data. Events: the
# count, the page, and the page's topics, status changes, their claims, evidence and its
# date mentions. A named topic or outlet adds one query to check it.
QUERIES = {
    f"{API}/events": 7,
    f"{API}/events?topic=tariffs&status=scheduled&q=truce&from=2025-01-01": 8,
    f"{API}/events?outlet=the-saurashtra": 8,
    f"{API}/events/trump-xi-busan-meeting": 6,
    f"{API}/reports": 2,
    f"{API}/reports?outlet=the-saurashtra": 3,
    f"{API}/reports/us-china-trade-deal": 5,
    f"{API}/outlets": 2,
    "/api/openapi.json": 0,
}
GROWN = {
    **QUERIES,
    f"{API}/events/protocol-07": QUERIES[f"{API}/events/trump-xi-busan-meeting"],
    f"{API}/events?limit=100": QUERIES[f"{API}/events"],
    f"{API}/reports/every-protocol-of-december": QUERIES[f"{API}/reports/us-china-trade-deal"],
    f"{API}/outlets?limit=100": QUERIES[f"{API}/outlets"],
}


def test_no_answer_runs_more_queries_as_the_data_grows(seeded, client, django_assert_num_queries):
    for url, n in QUERIES.items():
        with django_assert_num_queries(n, info=url):
            assert client.get(url).status_code == 200, url

    grow(events=20, outlets=6)
    assert get(client, f"{API}/events?limit=100")["count"] == 27
    assert get(client, f"{API}/outlets")["count"] == 12
    assert len(get(client, f"{API}/reports/every-protocol-of-december")["claims"]) == 20

    for url, n in GROWN.items():
        with django_assert_num_queries(n, info=url):
            assert client.get(url).status_code == 200, url
