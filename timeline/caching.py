"""The public pages and the API, cached and never stale.

Every committed change to what the site shows (a report, a passage, a claim, a date
mention, an outlet, a topic, an event, a piece of evidence, a status change) bumps one
number, the content version, kept in the database (ContentVersion). Cached answers are
keyed by that number, so after a change no server finds an old copy: nothing has to be
found and deleted, and servers that share the database but not a cache (local memory in
each process) agree at once.

The bump runs when the change's transaction commits (an UPDATE of one row, in its own
short transaction), so a long ingest never holds a lock every other writer waits for,
and a page rendered from data that was not yet committed is stored under a number that
is already dead. Model signals see single saves and deletes; the bulk paths send
articles.signals.content_changed or call content_changed() themselves.

With a shared cache (Redis), each process also keeps the pages it served lately in its
own memory (CACHES["pages"]): the keys carry the version, so those copies are never stale
either, and a popular page costs no round trip to Redis.

Only anonymous GET and HEAD requests use the cache (an editor sees the admin link and
always the newest state); only 200 answers are stored. Every answer cached or not gets
an ETag and a Last-Modified, so a client revalidates with a 304 and no body.

A stored page is answered by PageCacheMiddleware, high in the stack, before sessions,
the user, the policy headers and the URL's view run: it stores each answer once the whole
stack has given it its headers, and serves them again with it. That halved what a cached
page costs the server (docs/performance.md, "Cached pages answered before the stack").

A stored answer is kept compressed as well (gzip, once, when it is stored), under a key
of its own, and served so to every client that accepts it, as browsers do: the 50
events of a timeline page are 330 KB of HTML and 22 KB gzipped, and sending the kept
copy costs nothing more.
Public pages hold no secret (no CSRF token, no session), so compressing them gives a
BREACH attack nothing to find.
"""

import hashlib
import time
from datetime import UTC, datetime
from functools import cache as cache_for_process
from functools import wraps
from urllib.parse import unquote_plus

from django.apps import apps
from django.conf import settings
from django.core.cache import cache, caches
from django.db import connection, connections, router, transaction
from django.db.models import F
from django.db.models.functions import Now
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver
from django.http import HttpResponse
from django.middleware.gzip import re_accepts_gzip
from django.urls import Resolver404, get_resolver
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_vary_headers
from django.utils.dateparse import parse_datetime
from django.utils.http import http_date, parse_http_date_safe
from django.utils.text import compress_string
from psycopg import pq

from articles.clock import today
from articles.signals import content_changed as bulk_content_changed
from tradewatch import routers, statements

from .models import ContentVersion

WATCHED_APPS = {"articles", "timeline"}
KEY_PREFIX = "tradewatch:page"
# Below this, gzip's own header and trailer outweigh what it saves.
SMALLEST_COMPRESSED = 512


def seconds() -> int:
    """How long a cached answer is kept (0: nothing is cached); any change ends it sooner."""
    return settings.TRADEWATCH_PAGE_CACHE_SECONDS


def current() -> tuple[int, datetime]:
    """The content version and when it last changed (one query).

    A cached page costs this query and little else, so it is written out once
    (version_sql) and, on PostgreSQL, sent by the driver's own connection (read_version).
    Read where the ORM would read it (the router: a replica, for an anonymous page)."""
    db = connections[router.db_for_read(ContentVersion)]
    row = read_version(db)
    if row is None:
        # A database just migrated or flushed: start counting.
        version, _ = ContentVersion.objects.get_or_create(pk=1)
        row = (version.number, version.changed)
    number, changed = row
    if isinstance(changed, str):  # SQLite hands back the text it stores
        changed = parse_datetime(changed)
    if timezone.is_naive(changed):  # stored in UTC (USE_TZ)
        changed = timezone.make_aware(changed, UTC)
    return number, changed


def read_version(db) -> tuple | None:
    """(number, changed) of the version row, or None when there is none.

    On PostgreSQL the statement goes through libpq as it is (psycopg.pq): a psycopg
    cursor's own work around one statement (its parameters, its result's loaders) cost
    three times the round trip's CPU, and Django's wrapper as much again: some 150 µs of
    a cached page's 800 (docs/performance.md, "The cached page's one query, and a load
    from wrk"). It is still one query as Django counts them: logged where Django would
    log it (DEBUG, a test's assertNumQueries). A result that is not a row or none (a
    transaction already failed, a connection the server ended) sends the statement again
    through Django's cursor, which reports the error as it would for any query."""
    sql = version_sql(db.alias)
    if db.vendor == "postgresql":
        # Django's error wrapper, as around any query: a driver's error comes out as
        # Django's, and one that leaves the connection unusable has it closed when the
        # request ends.
        with db.wrap_database_errors:
            db.ensure_connection()
            started = time.monotonic()
            result = db.connection.pgconn.exec_(sql.encode())
        if result.status == pq.ExecStatus.TUPLES_OK:
            if db.queries_logged:
                db.queries_log.append({"sql": sql, "time": f"{time.monotonic() - started:.3f}"})
            if not result.ntuples:
                return None
            return int(result.get_value(0, 0)), result.get_value(0, 1).decode()
    with db.cursor() as cursor:
        cursor.execute(sql)
        return cursor.fetchone()


@cache_for_process
def version_sql(alias: str) -> str:
    """The version row's number and change, read by its constant key (pk 1): no parameter
    for the driver to bind."""
    db = connections[alias]
    number, changed, pk = statements.columns(db, ContentVersion, "number", "changed", "pk")
    return f"SELECT {number}, {changed} FROM {statements.table(db, ContentVersion)} WHERE {pk} = 1"


def bump() -> None:
    if not ContentVersion.objects.filter(pk=1).update(number=F("number") + 1, changed=Now()):
        ContentVersion.objects.get_or_create(pk=1, defaults={"number": 1})


def content_changed(**kwargs) -> None:
    """Record that what the site shows changed: the version is bumped once the current
    transaction commits (at once outside a transaction), however many rows it changed."""
    pending = any(callback is bump for _, callback, _ in connection.run_on_commit)
    if not pending:
        transaction.on_commit(bump)


@receiver(post_save, dispatch_uid="timeline.caching.saved")
@receiver(post_delete, dispatch_uid="timeline.caching.deleted")
@receiver(m2m_changed, dispatch_uid="timeline.caching.m2m")
def model_changed(sender, **kwargs):
    # A migration's models (another registry) change a schema the cache never saw.
    if sender._meta.apps is apps and sender in watched_models():
        if kwargs.get("action", "post_").startswith("post_"):
            content_changed()


def bulk_changed(sender, **kwargs):
    if sender._meta.apps is apps:  # not a migration's models
        content_changed()


bulk_content_changed.connect(bulk_changed, dispatch_uid="timeline.caching.bulk")


def cache_key(request, version: int) -> str:
    # The day is part of the key: pages mark today and what is coming up after it; the
    # host and scheme too, for the feeds and the sitemap give absolute addresses.
    address = (
        f"{request.scheme}://{request.get_host()}{request.path}"
        f"?{request.META.get('QUERY_STRING', '')}"
    )
    digest = hashlib.sha256(address.encode("utf-8", "surrogateescape")).hexdigest()
    return f"{KEY_PREFIX}:{version}:{today().isoformat()}:{digest}"


def front_cache():
    """The process's own cache in front of a shared one (settings.CACHES["pages"], set with
    REDIS_URL): a page it served lately costs no round trip to Redis."""
    return caches["pages"] if "pages" in settings.CACHES else None


def cached(view):
    """Serve a read-only view from the cache while the content version stands; give its
    answers an ETag and a Last-Modified and answer 304 to a client that has them.

    Below PageCacheMiddleware (settings.MIDDLEWARE), the view leaves its answer for the
    middleware to store, with every header the stack gave it, and the middleware answers
    the next reader with it before the rest of the stack runs. Without the middleware (a
    request made by hand in a test), the view stores and serves its answers itself."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.method not in ("GET", "HEAD") or request.user.is_authenticated:
            return view(request, *args, **kwargs)
        if not seconds():
            return revalidate(request, rendered(view(request, *args, **kwargs)), changed=None)
        key, encoding, changed, stored = lookup(request)
        pending = None
        if stored is not None:
            response = HttpResponse(stored["body"], content_type=stored["type"])
            for header, value in stored["headers"].items():
                response[header] = value
            response["X-Cache"] = "hit"
        else:
            response = rendered(view(request, *args, **kwargs))
            response["X-Cache"] = "miss"
            if cacheable(response):
                tag(response, changed)
                copies = kept(response)
                if getattr(request, "page_cache_stores", False):
                    pending = (key, copies)
                else:
                    store({f"{key}:{name}": copy for name, copy in copies.items()})
                stored = copies[encoding]
                response.content = stored["body"]
        if stored is not None:
            patch_vary_headers(response, ["Accept-Encoding"])
            if stored["gzip"]:
                compressed(response)
        answer = revalidate(request, response, changed)
        answer.page_cache_pending = pending
        return answer

    wrapper.page_cached = True  # what PageCacheMiddleware looks for
    return wrapper


class PageCacheMiddleware:
    """Answers a reader's request for a page the cache holds before the rest of the stack
    runs (sessions, CSRF, the user, messages, the history, the policy headers, the URL's
    view): a cached page then costs the content version's query and little more. It sits
    below the middleware that answers every request alike (security headers, static
    files), which run around its answers too.

    It stores what the cached views leave it (cached, above) once the stack has finished
    with them: the body of each encoding with every header the stack gave the answer, so
    that its own answers carry the same headers (the security policy, Vary, CORS) as the
    view's. An answer that sets a cookie is never stored. A request with a session cookie
    goes down the stack: it may be an editor's, whom only the view can tell from a reader
    (an editor is never served a reader's copy). First of all, it drops the tracking
    parameters from the address (drop_tracking), for the cache and the views alike."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        drop_tracking(request)
        if request.method in ("GET", "HEAD") and seconds():
            stored = self.stored_for(request)
            if stored is not None:
                return replayed(request, stored)
        request.page_cache_stores = True
        response = self.get_response(request)
        pending = getattr(response, "page_cache_pending", None)
        if pending is not None and response.status_code == 200 and not response.cookies:
            store(served(response, *pending))
        return response

    @staticmethod
    def stored_for(request):
        """The stored answer this request may be given here, or None."""
        if settings.SESSION_COOKIE_NAME in request.COOKIES:
            return None
        try:
            match = get_resolver().resolve(request.path_info)
        except Resolver404:
            return None
        if not getattr(match.func, "page_cached", False):
            return None  # not a cached view (/health/, the admin): no query for it
        # Read as the view reads it: from a replica, if there is one, for a reader.
        with routers.reads(replica=True):
            *_, stored = lookup(request)
        # A copy the view stored itself (no middleware then) has not every header.
        return stored if stored is not None and "served" in stored else None


# Parameters that sites and mailers add to a link to say where a reader came from: nothing
# here reads them, and some (fbclid, gclid) differ for every reader.
TRACKING_PREFIXES = ("utm_",)
TRACKING = frozenset(
    {"fbclid", "gclid", "dclid", "gbraid", "wbraid", "msclkid", "twclid", "ttclid", "yclid",
     "igshid", "mc_cid", "mc_eid", "_hsenc", "_hsmi", "mkt_tok"}
)  # fmt: skip


def drop_tracking(request) -> None:
    """The request without the tracking parameters of its address. A link shared when news
    breaks reaches readers with a click id of each reader's own: kept, it would make every
    reader's page a new address, rendered and stored for that reader alone, and the pages
    would carry one reader's id in their links to the next."""
    query = request.META.get("QUERY_STRING", "")
    if not query:
        return
    pairs = query.split("&")
    kept = [pair for pair in pairs if not tracking(pair.partition("=")[0])]
    if len(kept) < len(pairs):
        request.META["QUERY_STRING"] = "&".join(kept)
        request.__dict__.pop("GET", None)  # read again from the query string kept


def tracking(name: str) -> bool:
    name = unquote_plus(name).lower()
    return name in TRACKING or name.startswith(TRACKING_PREFIXES)


# Headers that describe a body, which a 304 has not.
BODY_HEADERS = frozenset(
    f"content-{name}" for name in ("type", "length", "encoding", "language", "disposition")
)
# Headers of one answer, not of the page: each stored encoding has its own.
OWN_HEADERS = frozenset({"content-length", "content-encoding", "etag", "x-cache"})


def served(response, key: str, copies: dict[str, dict]) -> dict[str, dict]:
    """The entries to store for an answer the whole stack has finished with: each copy
    (kept) with every header of the answer but those of its own encoding."""
    common = tuple((h, v) for h, v in response.items() if h.lower() not in OWN_HEADERS)
    entries = {}
    for name, copy in copies.items():
        etag = copy["headers"]["ETag"]
        if copy["gzip"]:
            own = (("ETag", weak(etag)), ("Content-Encoding", "gzip"))
        else:
            own = (("ETag", etag),)
        entries[f"{key}:{name}"] = {**copy, "served": common + own}
    return entries


def replayed(request, stored: dict):
    """A stored answer served again, or a 304 to a client that already has it."""
    body = stored["body"]
    response = HttpResponse(body)
    for header, value in stored["served"]:
        response[header] = value
    response["Content-Length"] = str(len(body))  # as CommonMiddleware, below, gives it
    response["X-Cache"] = "hit"
    meta = request.META
    if "HTTP_IF_NONE_MATCH" in meta or "HTTP_IF_MODIFIED_SINCE" in meta:
        answer = get_conditional_response(
            request,
            etag=response["ETag"],
            last_modified=parse_http_date_safe(response.get("Last-Modified", "")),
            response=response,
        )
        if answer.status_code == 304:  # with the headers the stack gives a 304 too
            for header, value in stored["served"]:
                if header not in answer and header.lower() not in BODY_HEADERS:
                    answer[header] = value
            answer["X-Cache"] = "hit"
        return answer
    return response


def lookup(request) -> tuple[str, str, datetime, dict | None]:
    """Where this request's answer is kept (its key and the encoding the client takes),
    when the content last changed, and the answer stored there, if any."""
    version, changed = current()
    key, encoding = cache_key(request, version), encoding_for(request)
    return key, encoding, changed, looked_up(f"{key}:{encoding}", front_cache())


def encoding_for(request) -> str:
    """The stored copy a client gets: gzipped if it accepts gzip, else as it is."""
    accepts = re_accepts_gzip.search(request.META.get("HTTP_ACCEPT_ENCODING", ""))
    return "gzip" if accepts else "identity"


def store(entries: dict[str, dict]) -> None:
    cache.set_many(entries, seconds())
    front = front_cache()
    if front is not None:
        front.set_many(entries, seconds())


def looked_up(key: str, front):
    """A stored answer: from the process's own cache in front, else from the shared one
    (and then kept in front too)."""
    stored = front.get(key) if front is not None else None
    if stored is None:
        stored = cache.get(key)
        if stored is not None and front is not None:
            front.set(key, stored, seconds())
    return stored


# Headers a cached answer is served again with (CORS is added around the cache).
KEPT_HEADERS = ("ETag", "Last-Modified", "Content-Disposition", "Content-Language")


def kept(response) -> dict[str, dict]:
    """What the cache keeps of a 200 answer, by the encoding a client accepts: its body
    ("identity"), and gzipped when that is worth it ("gzip"; else the body again), each
    with its type and the headers it is served again with. Each is kept under a key of
    its own, so that a hit reads only the copy it sends: the plain copy of a timeline page
    is 330 KB, which a browser's hit used to read with its 22 KB gzipped copy."""
    body = response.content
    packed = compress_string(body) if len(body) >= SMALLEST_COMPRESSED else None
    headers = {h: response[h] for h in KEPT_HEADERS if response.has_header(h)}
    plain = {"body": body, "gzip": False, "type": response["Content-Type"], "headers": headers}
    if packed is None or len(packed) >= len(body):
        return {"identity": plain, "gzip": plain}
    return {"identity": plain, "gzip": {**plain, "body": packed, "gzip": True}}


def compressed(response) -> None:
    """The answer marked as the gzipped copy it now carries, as GZipMiddleware would mark
    it: the same representation, so its ETag turns weak and a client's copy still
    revalidates."""
    response["Content-Encoding"] = "gzip"
    response["ETag"] = weak(response["ETag"])


def weak(etag: str) -> str:
    return "W/" + etag if etag.startswith('"') else etag


def rendered(response):
    """A TemplateResponse (the sitemap's) rendered now: its body is hashed and kept."""
    if not getattr(response, "is_rendered", True):
        response.render()
    return response


def cacheable(response) -> bool:
    return response.status_code == 200 and not response.streaming and not response.cookies


def tag(response, changed) -> None:
    if not response.has_header("ETag"):
        response["ETag"] = f'"{hashlib.sha256(response.content).hexdigest()[:32]}"'
    if changed is not None and not response.has_header("Last-Modified"):
        response["Last-Modified"] = http_date(changed.timestamp())


def revalidate(request, response, changed):
    """A 304 with no body when the client already has this answer."""
    patch_vary_headers(response, ["Cookie"])
    if response.status_code != 200 or response.streaming:
        return response
    tag(response, changed)
    return get_conditional_response(
        request,
        etag=response["ETag"],
        # Whole seconds, as Last-Modified and If-Modified-Since carry them.
        last_modified=int(changed.timestamp()) if changed is not None else None,
        response=response,
    )


@cache_for_process
def watched_models() -> frozenset:
    """The models whose changes bump the version."""
    return frozenset(
        model
        for model in apps.get_models()
        if model._meta.app_label in WATCHED_APPS and model is not ContentVersion
    )
