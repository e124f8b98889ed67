"""The page cache: readers get cached pages, and any change shows at once.

These tests commit for real (transaction=True), as the site does: the content version is
bumped when a change's transaction commits, never before.
"""

import gzip
from datetime import date

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from articles.models import Article, Claim, Outlet
from timeline.caching import current, watched_models
from timeline.linking import decide
from timeline.models import Event, Evidence

from .factories import add_report, make_event
from .test_admin import form_data

pytestmark = [pytest.mark.page_cache, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def reader():
    return Client()


@pytest.fixture
def busan(db):
    event = make_event(
        "busan-summit",
        date(2025, 10, 30),
        title="Trump and Xi meet in Busan",
        keywords=["Busan", "Trump and Xi"],
    )
    add_report(
        "Trump and Xi will meet in Busan on October 30, officials said.",
        published=date(2025, 10, 27),
        title="Leaders to meet in Busan",
        outlet="Test Wire",
        url="https://wire.example/busan",
    )
    decide(Evidence.objects.filter(event=event), Evidence.State.ACCEPTED)
    return event


def test_a_second_reader_gets_the_cached_page_with_one_query(
    busan, reader, django_assert_num_queries
):
    first = reader.get("/")
    assert first["X-Cache"] == "miss"
    assert "Trump and Xi meet in Busan" in first.content.decode()
    with django_assert_num_queries(1):  # the content version, nothing else
        second = Client().get("/")
    assert second["X-Cache"] == "hit"
    assert second.content == first.content
    assert second["ETag"] == first["ETag"]


# --- answered before the rest of the stack (PageCacheMiddleware) ----------------------------


class Below:
    """A middleware put last in the stack, to see which requests reach it."""

    reached = []

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        Below.reached.append(request.get_full_path())
        return self.get_response(request)


@pytest.fixture
def below(settings):
    settings.MIDDLEWARE = [*settings.MIDDLEWARE, f"{__name__}.Below"]
    Below.reached = []
    return Below.reached


def answer_headers(response) -> dict:
    return {h: v for h, v in response.items() if h not in ("X-Cache", "Content-Length")}


def test_a_readers_cached_page_is_answered_before_the_rest_of_the_stack(busan, reader, below):
    first = reader.get("/?status=held")
    assert below == ["/?status=held"]
    second = Client().get("/?status=held")
    assert (first["X-Cache"], second["X-Cache"]) == ("miss", "hit")
    assert below == ["/?status=held"]  # the hit ran nothing below the page cache
    assert second.content == first.content
    # Still every header the view's answer had: the security policy, framing, Vary.
    assert answer_headers(second) == answer_headers(first)
    assert "frame-ancestors 'none'" in second["Content-Security-Policy"]
    assert second["X-Frame-Options"] == "DENY"
    assert "Cookie" in second["Vary"] and "Accept-Encoding" in second["Vary"]
    # A client that has it is told so with the same headers, as the view's 304 has them.
    unchanged = Client().get("/?status=held", headers={"If-None-Match": first["ETag"]})
    assert (unchanged.status_code, unchanged["X-Cache"], below) == (304, "hit", ["/?status=held"])
    assert unchanged.content == b"" and "Content-Type" not in unchanged
    for header in ("Content-Security-Policy", "X-Frame-Options", "Vary", "ETag"):
        assert unchanged[header] == first[header], header


@pytest.mark.parametrize("encoding", ["", "gzip, deflate, br"])
def test_each_encoding_of_a_page_is_answered_with_its_own_headers(busan, encoding):
    asked = {"Accept-Encoding": encoding} if encoding else {}
    other = {} if encoding else {"Accept-Encoding": "gzip"}
    viewed = Client().get("/", headers=other)  # the miss stores both encodings
    first = Client().get("/", headers=asked)
    assert first["X-Cache"] == "hit"
    assert Client().get("/", headers=asked)["X-Cache"] == "hit"
    assert ("Content-Encoding" in first) == bool(encoding)
    assert first["ETag"] == (viewed["ETag"][2:] if encoding == "" else "W/" + viewed["ETag"])
    body = gzip.decompress(first.content) if encoding else first.content
    assert body == (gzip.decompress(viewed.content) if not encoding else viewed.content)
    assert int(first["Content-Length"]) == len(first.content)
    again = Client().get("/", headers={**asked, "If-None-Match": first["ETag"]})
    assert again.status_code == 304 and again.content == b""


def test_the_api_keeps_its_cross_origin_headers_when_cached(busan, below):
    first = Client().get("/api/v1/events")
    second = Client().get("/api/v1/events")
    assert (first["X-Cache"], second["X-Cache"], len(below)) == ("miss", "hit", 1)
    assert second["Access-Control-Allow-Origin"] == "*"
    assert answer_headers(second) == answer_headers(first)
    assert second.json() == first.json()


def test_readers_of_a_shared_link_are_served_one_page_without_its_tracking(busan, below):
    shared = "/?fbclid=IwAR0reader1&status=held&utm_source=newsletter&UTM_Medium=email"
    first = Client().get(shared)
    assert first["X-Cache"] == "miss"
    page = first.content.decode()
    assert "?status=held" in page  # the page's own links keep what it shows
    assert "IwAR0reader1" not in page and "utm_" not in page and "newsletter" not in page
    # Another reader of the same link (a click id of their own), and one without it.
    for address in (shared.replace("reader1", "reader2"), "/?status=held"):
        again = Client().get(address)
        assert again["X-Cache"] == "hit"
        assert again.content == first.content
    assert below == ["/?status=held"]
    # Filters are kept: the same link without its filter is another page.
    assert Client().get("/?fbclid=IwAR0reader3")["X-Cache"] == "miss"


def test_a_page_that_is_not_cached_costs_no_query_for_the_cache(busan, reader):
    with CaptureQueriesContext(connection) as queries:
        assert reader.get("/health/").status_code == 200
        assert reader.get("/no-such-page/").status_code == 404
    assert [q["sql"] for q in queries.captured_queries] == []


def test_a_request_with_a_session_cookie_is_answered_by_the_view(busan, reader, below):
    reader.get("/")
    stranger = Client()
    stranger.cookies["sessionid"] = "expired-or-forged"
    page = stranger.get("/")
    assert below == ["/", "/"]  # down the stack: only the view can tell an editor
    assert page["X-Cache"] == "hit"  # a reader all the same, served the reader's copy
    assert page.content == reader.get("/").content


def test_a_copy_the_view_stored_without_the_middleware_is_not_answered_early(
    busan, reader, settings
):
    stack = settings.MIDDLEWARE
    settings.MIDDLEWARE = [m for m in stack if not m.endswith("PageCacheMiddleware")]
    bare = reader.get("/")
    assert bare["X-Cache"] == "miss"
    settings.MIDDLEWARE = stack
    page = Client().get("/")
    # The view's own copy is served by the view, through the stack and its headers.
    assert page["X-Cache"] == "hit"
    assert "Content-Security-Policy" in page and page["X-Frame-Options"] == "DENY"


def test_an_editors_change_in_the_admin_shows_at_once(busan, reader, editor_client):
    page = reverse("event", args=[busan.slug])
    for url in ("/", page, "/api/v1/events", "/timeline.json", "/feed/"):
        reader.get(url)
        assert reader.get(url)["X-Cache"] == "hit", url

    change = reverse("admin:timeline_event_change", args=[busan.pk])
    data = form_data(editor_client.get(change))
    data["title"] = "Trump and Xi meet in Gyeongju"
    assert editor_client.post(change, data).status_code == 302

    for url in ("/", page, "/api/v1/events", "/timeline.json", "/feed/"):
        response = reader.get(url)
        assert response["X-Cache"] == "miss", url
        assert "Trump and Xi meet in Gyeongju" in response.content.decode(), url
        assert "Trump and Xi meet in Busan" not in response.content.decode(), url


def test_a_new_report_shows_at_once(busan, reader):
    assert "Truce talks resume" not in reader.get("/articles/").content.decode()
    add_report(
        "Negotiators said on November 3 that the truce talks would resume.",
        published=date(2025, 11, 4),
        title="Truce talks resume",
        url="https://wire.example/resume",
    )
    assert "Truce talks resume" in reader.get("/articles/").content.decode()


def test_a_bulk_decision_on_evidence_shows_at_once(busan, reader):
    report = add_report(
        "Trump and Xi met in Busan on October 30 and agreed a one-year truce.",
        published=date(2025, 10, 31),
        title="Leaders agree truce in Busan",
        outlet="Other Daily",
        url="https://daily.example/truce",
    ).article
    page = reverse("event", args=[busan.slug])
    assert "Other Daily" not in reader.get(page).content.decode()
    # Accepted in bulk (one UPDATE, no model signal), as the admin's action does.
    decide(Evidence.objects.filter(claim__article=report), Evidence.State.ACCEPTED)
    assert "Other Daily" in reader.get(page).content.decode()


def test_every_kind_of_row_bumps_the_version_when_saved_or_deleted(busan):
    kinds = {model._meta.label for model in watched_models()}
    for label in ("articles.Article", "articles.Claim", "timeline.Event", "timeline.Evidence"):
        assert label in kinds
    for row in (Article.objects.get(), Claim.objects.first(), busan, Evidence.objects.first()):
        before, _ = current()
        row.save()
        assert current()[0] > before, type(row).__name__
    before, _ = current()
    outlet = Outlet.objects.create(name="A New Outlet", slug="a-new-outlet")
    created, _ = current()
    outlet.delete()
    assert current()[0] > created > before


def test_the_version_is_the_row_the_orm_reads(busan):
    """current() reads the row by hand (on PostgreSQL through libpq itself): the same
    number and time the ORM gives, the time aware, in UTC."""
    from timeline.models import ContentVersion

    busan.save()
    number, changed = current()
    row = ContentVersion.objects.get(pk=1)
    assert (number, changed) == (row.number, row.changed)
    assert changed.utcoffset().total_seconds() == 0


def test_a_failed_transaction_fails_the_version_read_as_any_query_would(busan):
    """A cached page's one query, sent by libpq itself, in a transaction PostgreSQL has
    already failed: refused as Django refuses any query there, with the database's
    reason; no number made up, no error swallowed."""
    from django.db import DatabaseError, connection, transaction

    if connection.vendor != "postgresql":
        pytest.skip("read through libpq on PostgreSQL only")
    with pytest.raises(DatabaseError, match="current transaction is aborted"):
        with transaction.atomic(), connection.cursor() as cursor:
            with pytest.raises(DatabaseError):
                cursor.execute("SELECT 1 / 0")
            current()


@pytest.mark.parametrize("lost", ["ended by the server", "closed under the driver"])
def test_a_lost_connection_fails_the_version_read_as_any_query_would(busan, lost):
    """The connection lost under a worker (PostgreSQL restarted; libpq's own connection
    gone): the version read fails with Django's error, and the connection is marked for
    closing at the request's end, so the next request opens a new one."""
    from django.db import OperationalError, connection

    if connection.vendor != "postgresql":
        pytest.skip("read through libpq on PostgreSQL only")
    import psycopg

    connection.ensure_connection()
    if lost == "ended by the server":
        pid = connection.connection.info.backend_pid
        with psycopg.connect(connection.connection.info.dsn, autocommit=True) as admin:
            admin.execute("SELECT pg_terminate_backend(%s)", [pid])
    else:
        connection.connection.pgconn.finish()
    try:
        with pytest.raises(OperationalError):
            current()
        assert connection.errors_occurred
        connection.close_if_unusable_or_obsolete()  # what the end of a request does
        assert connection.connection is None
        assert current()[0] >= 1  # a new connection
    finally:
        connection.close()


def test_a_change_that_is_rolled_back_leaves_the_cache_alone(busan, reader):
    from django.db import transaction

    reader.get("/")
    before, _ = current()
    with pytest.raises(RuntimeError), transaction.atomic():
        Event.objects.filter(pk=busan.pk).update(title="Never committed")
        busan.refresh_from_db()
        busan.save()
        raise RuntimeError("the editor's save failed")
    assert current()[0] == before
    assert reader.get("/")["X-Cache"] == "hit"


def test_a_client_with_the_page_revalidates_with_a_304(busan, reader):
    first = reader.get("/")
    same = reader.get("/", headers={"If-None-Match": first["ETag"]})
    assert same.status_code == 304
    assert same.content == b""
    since = reader.get("/", headers={"If-Modified-Since": first["Last-Modified"]})
    assert since.status_code == 304

    busan.title = "Trump and Xi meet in Gyeongju"
    busan.save()
    changed = reader.get("/", headers={"If-None-Match": first["ETag"]})
    assert changed.status_code == 200
    assert "Gyeongju" in changed.content.decode()
    assert changed["ETag"] != first["ETag"]


def test_a_browser_that_accepts_gzip_gets_the_same_page_compressed(busan, reader):
    browser = {"Accept-Encoding": "gzip, deflate, br"}
    plain = reader.get("/")
    for expected in ("miss", "hit"):
        packed = Client().get("/?status=held", headers=browser)
        assert packed["X-Cache"] == expected
        assert packed["Content-Encoding"] == "gzip"
        assert gzip.decompress(packed.content) == reader.get("/?status=held").content
    # The plain reader's miss kept both copies: the browser's first request is a hit.
    packed = Client().get("/", headers=browser)
    assert packed["X-Cache"] == "hit"
    assert gzip.decompress(packed.content) == plain.content
    assert len(packed.content) < len(plain.content) / 3
    # Caches between the site and its readers keep the two apart.
    assert "Accept-Encoding" in packed["Vary"] and "Accept-Encoding" in plain["Vary"]
    assert "Content-Encoding" not in plain
    # Either copy revalidates the other: the same page, so the same (weak) ETag.
    assert packed["ETag"] == "W/" + plain["ETag"]
    again = Client().get("/", headers={**browser, "If-None-Match": packed["ETag"]})
    assert again.status_code == 304 and again.content == b""

    busan.title = "Trump and Xi meet in Gyeongju"
    busan.save()
    fresh = Client().get("/", headers={**browser, "If-None-Match": packed["ETag"]})
    assert fresh.status_code == 200
    assert "Gyeongju" in gzip.decompress(fresh.content).decode()


def test_an_answer_too_small_to_gain_is_sent_as_it_is(busan, reader):
    for _ in ("miss", "hit"):
        empty = reader.get("/api/v1/events?status=cancelled", headers={"Accept-Encoding": "gzip"})
        assert empty.json()["items"] == []
        assert "Content-Encoding" not in empty


def test_editors_are_never_served_a_readers_copy(busan, reader, editor_client):
    reader.get("/")
    page = editor_client.get("/")
    assert "X-Cache" not in page
    assert "Editors" in page.content.decode()  # the link to the admin, for staff only
    assert "Editors" not in reader.get("/").content.decode()


def test_pages_are_not_cached_when_the_cache_is_off(busan, reader, settings):
    settings.TRADEWATCH_PAGE_CACHE_SECONDS = 0
    reader.get("/")
    second = reader.get("/")
    assert "X-Cache" not in second
    assert reader.get("/", headers={"If-None-Match": second["ETag"]}).status_code == 304


def test_the_cache_keeps_each_query_string_apart(busan, reader):
    busan.topics.create(slug="summits", name="Summits")
    everything = reader.get("/")
    nothing = reader.get("/?status=cancelled")
    assert "Trump and Xi meet in Busan" in everything.content.decode()
    assert "No event matches these filters" in nothing.content.decode()
    assert reader.get("/?status=cancelled")["X-Cache"] == "hit"
    assert "No event matches" in reader.get("/?status=cancelled").content.decode()


def redis_url() -> str | None:
    """A Redis of our own (database 13 on the local server), emptied; None if none runs."""
    import redis

    url = "redis://127.0.0.1:6379/13"
    try:
        redis.Redis.from_url(url, socket_connect_timeout=1).flushdb()
    except redis.ConnectionError:
        return None
    return url


@pytest.fixture
def shared_cache(settings):
    """The caches as REDIS_URL sets them: Redis shared, each process's pages in front."""
    url = redis_url()
    if url is None:
        pytest.skip("no Redis on 127.0.0.1:6379")
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": url},
        "pages": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "t"},
    }
    from django.core.cache import caches

    yield caches
    caches["default"].clear()


def test_with_redis_a_process_serves_its_own_copy_and_a_change_still_shows_at_once(
    busan, reader, shared_cache
):
    assert reader.get("/")["X-Cache"] == "miss"
    # Gone from Redis (another server's eviction, say): this process's copy still serves.
    shared_cache["default"].clear()
    assert reader.get("/")["X-Cache"] == "hit"

    busan.title = "Trump and Xi meet in Gyeongju"
    busan.save()  # another server's edit: only the database and Redis are shared

    page = reader.get("/")
    assert page["X-Cache"] == "miss"
    assert "Trump and Xi meet in Gyeongju" in page.content.decode()
    # What one process stored, another (with nothing of its own yet) finds in Redis.
    shared_cache["pages"].clear()
    assert reader.get("/")["X-Cache"] == "hit"
