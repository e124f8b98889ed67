"""The read-only JSON API, version 1: /api/v1/…, described at /api/openapi.json.

A thin layer over the read rules the pages use (Event.objects.sourced().on_timeline(),
TimelineFilter, Article.objects.for_listing()), so what is public is decided in one place:
an event no accepted evidence supports is not in the API either. The shapes it answers
with are in timeline/schemas.py.

Every answer carries an ETag (a hash of its body, so it changes with any edit that changes
what is shown) and answers 304 to a matching If-None-Match; any origin may read it (CORS,
no credentials).
"""

from datetime import date
from functools import wraps

from django.db.models import Count, Prefetch
from django.http import HttpResponse
from django.middleware.http import ConditionalGetMiddleware
from django.urls import URLPattern
from django.utils.decorators import decorator_from_middleware
from ninja import NinjaAPI, Query, Router
from ninja.errors import HttpError, ValidationError

from articles.models import Article, Outlet
from articles.search import MAX_SEARCH_CHARS, search_words

from .caching import cached
from .forms import TimelineFilter, shown
from .models import Event, Evidence
from .schemas import (
    EventOut,
    EventPage,
    EventStatus,
    OutletPage,
    Problem,
    ReportOut,
    ReportPage,
    SearchPage,
)
from .search import MAX_LIMIT as MAX_SEARCH_LIMIT
from .search import MAX_OFFSET as MAX_SEARCH_OFFSET
from .search import search as find

DEFAULT_LIMIT = 20
MAX_LIMIT = 100
# Far beyond any list the site holds, and inside what every database takes as an offset.
MAX_OFFSET = 1_000_000

# --- HTTP: revalidation and CORS for every answer ---------------------------------------------

revalidated = decorator_from_middleware(ConditionalGetMiddleware)

PREFLIGHT = {
    "Allow": "GET, OPTIONS",
    "Access-Control-Allow-Methods": "GET, OPTIONS",
    # What a browser script may send when it reads: revalidation and content negotiation.
    "Access-Control-Allow-Headers": "Accept, Accept-Language, If-None-Match, If-Modified-Since",
    "Access-Control-Max-Age": "86400",
}


def readable_from_anywhere(view):
    """Answer CORS preflights, let any origin read the answer (no cookies are ever needed),
    and give every GET an ETag, answering 304 when the client already has that body."""
    view_with_etag = revalidated(cached(view))

    @wraps(view_with_etag)  # its name, and its mark as cached (timeline/caching.py)
    def wrapper(request, *args, **kwargs):
        if request.method == "OPTIONS":
            response = HttpResponse(status=204)
            for header, value in PREFLIGHT.items():
                response[header] = value
        else:
            response = view_with_etag(request, *args, **kwargs)
            # A browser script may read the ETag to revalidate by hand.
            response["Access-Control-Expose-Headers"] = "ETag"
        response["Access-Control-Allow-Origin"] = "*"
        return response

    return wrapper


class ReadOnlyAPI(NinjaAPI):
    """A NinjaAPI whose every URL (operations and the OpenAPI document) is wrapped by
    readable_from_anywhere: ninja itself answers 405 to OPTIONS, before any operation."""

    @property
    def urls(self):
        patterns, app_name, namespace = super().urls
        wrapped = [
            URLPattern(p.pattern, readable_from_anywhere(p.callback), p.default_args, p.name)
            for p in patterns
        ]
        return wrapped, app_name, namespace

    def get_openapi_operation_id(self, operation) -> str:
        return operation.view_func.__name__


api = ReadOnlyAPI(
    title="TradeWatch API",
    version="1",
    description=(
        "A curated, source-linked timeline of the news coverage of the 2025 US–China trade "
        "talks: events with their dates, status history and the quotes behind them, the "
        "source reports, and search. Read-only; every answer has an ETag; any origin may read."
    ),
    urls_namespace="api",
    # The interactive docs page loads scripts the site's Content-Security-Policy refuses;
    # the OpenAPI document is the reference.
    docs_url=None,
)
v1 = Router(tags=["v1"])

# --- errors: always JSON, naming the parameter --------------------------------------------------


def bad(parameter: str, message: str) -> ValidationError:
    return ValidationError([{"loc": ("query", parameter), "msg": message}])


@api.exception_handler(ValidationError)
def parameters_not_understood(request, exc):
    errors = [
        {"parameter": str(error.get("loc", ["?"])[-1]), "message": error.get("msg", "invalid")}
        for error in exc.errors
    ]
    detail = "; ".join(f"{e['parameter']}: {e['message']}" for e in errors)
    return api.create_response(request, {"detail": detail, "errors": errors}, status=422)


def not_found(what: str, slug: str) -> HttpError:
    return HttpError(404, f"There is no public {what} “{shown(slug)}”.")


# --- shared parameters ------------------------------------------------------------------------

Limit = Query(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT, description=f"Page size, 1 to {MAX_LIMIT}.")
Offset = Query(0, ge=0, le=MAX_OFFSET, description="How many items to skip.")
Slug = Query(
    "",
    max_length=200,
    description="A slug, as listed by /api/v1/outlets (or the events' topics).",
)

StatusFilter = Query(None, description="Only events with this status.")
FromDay = Query(
    None, alias="from", description="Only events ending on or after this day (YYYY-MM-DD)."
)
ToDay = Query(None, description="Only events starting on or before this day (YYYY-MM-DD).")


def page(request, items, *, count: int, limit: int, offset: int, last=MAX_OFFSET) -> dict:
    """The envelope of every list: its total, the page asked for, and links to its neighbours."""

    def link(at):
        params = request.GET.copy()
        params["offset"], params["limit"] = at, limit
        return request.build_absolute_uri(f"{request.path}?{params.urlencode()}")

    return {
        "count": count,
        "limit": limit,
        "offset": offset,
        # No link to a page beyond the offsets the endpoint accepts (`last`).
        "next": link(offset + limit) if offset + limit < min(count, last + 1) else None,
        "previous": link(max(offset - limit, 0)) if offset else None,
        "items": items,
    }


def paged(request, rows, item, *, limit: int, offset: int) -> dict:
    """A queryset as a list's page: counted once, sliced, each row made an item."""
    items = [item(row) for row in rows[offset : offset + limit]]
    return page(request, items, count=rows.count(), limit=limit, offset=offset)


# --- what an event, a quote and a report look like ----------------------------------------------


def report_ref(article, link) -> dict:
    return {
        "slug": article.slug,
        "title": article.title,
        "published": article.published,
        "url": link(article.get_absolute_url()),
        "source_url": article.url,
    }


def evidence_data(evidence, link) -> dict:
    claim = evidence.claim
    article = claim.article
    report_url = link(article.get_absolute_url())
    passage = claim.passage
    return {
        "claim_id": claim.pk,
        "sentence": claim.sentence,
        "quote": claim.selector,
        "attribution": claim.attribution,
        "stance": evidence.stance,
        "state": evidence.state,
        "mention": evidence.mention,
        "outlet": article.outlet,
        "report": report_ref(article, link),
        "link": f"{report_url}#{claim.anchor}",
        "passage_anchor": passage.anchor if passage else None,
        # Built from the claim's report: the passage's own would fetch the report again.
        "passage_link": f"{report_url}#{passage.anchor}" if passage else None,
    }


def event_data(event, link) -> dict:
    """An event from Event.objects.on_timeline(): every part below is prefetched."""
    return {
        "slug": event.slug,
        "title": event.title,
        "url": link(event.get_absolute_url()),
        "kind": event.kind,
        "status": event.status,
        "status_label": event.get_status_display(),
        "start": event.start,
        "end": event.end,
        "precision": event.precision,
        "when": event.when,
        "place": event.place,
        "summary": event.summary,
        "topics": list(event.topics.all()),
        "history": [
            {
                "status": change.status,
                "effective": change.effective,
                "precision": change.precision,
                "new_date": change.new_date,
                "phrase": change.phrase,
                "sources": [link(claim.get_absolute_url()) for claim in change.claims.all()],
            }
            for change in event.story
        ],
        "evidence": [evidence_data(ev, link) for ev in event.evidence.all()],
    }


def report_summary(article, link) -> dict:
    return {
        **report_ref(article, link),
        "outlet": article.outlet,
        "byline": article.byline,
        "published_estimated": article.published_estimated,
    }


def figures(claim) -> list[dict]:
    # Figures typed before a field was added lack it: the schema's default (null) stands in.
    return [f if isinstance(f, dict) else {"text": str(f)} for f in claim.figures or []]


# --- events -----------------------------------------------------------------------------------


@v1.get(
    "/events",
    response={200: EventPage, 422: Problem},
    summary="Events on the timeline, filtered",
    url_name="events",
)
def list_events(
    request,
    topic: str = Slug,
    outlet: str = Slug,
    status: EventStatus | None = StatusFilter,
    from_: date | None = FromDay,
    to: date | None = ToDay,
    q: str = Query(
        "",
        description="Words the title, summary, place or a quote must all contain; at most "
        f"8 words and {MAX_SEARCH_CHARS} characters are used.",
    ),
    limit: int = Limit,
    offset: int = Offset,
):
    """Events with at least one accepted source, by start, end, title and id. An unknown
    topic, outlet or status, a bad date or a reversed range answers 422 naming it."""
    if from_ and to and from_ > to:
        raise bad("from", f"“from” ({from_}) is after “to” ({to}); swap them.")
    filters = TimelineFilter(
        {
            "q": q,
            "topic": topic,
            "outlet": outlet,
            "status": status or "",
            "start": from_ or "",
            "end": to or "",
        }
    )
    if not filters.is_valid():
        names = {"start": "from", "end": "to"}
        raise ValidationError(
            [
                {"loc": ("query", names.get(name, name)), "msg": message}
                for name, messages in filters.errors.items()
                for message in messages
            ]
        )
    events = filters.filter(Event.objects.sourced().on_timeline())
    link = request.build_absolute_uri
    return {
        **paged(request, events, lambda e: event_data(e, link), limit=limit, offset=offset),
        "search_note": filters.search_note,
    }


@v1.get(
    "/events/{slug}",
    response={200: EventOut, 404: Problem},
    summary="One event, with its history and evidence",
    url_name="event",
)
def get_event(request, slug: str):
    """404 for an unknown event, and for one no accepted evidence supports yet."""
    event = Event.objects.sourced().on_timeline().filter(slug=slug).first()
    if event is None:
        raise not_found("event", slug)
    return event_data(event, request.build_absolute_uri)


# --- reports and outlets ----------------------------------------------------------------------


@v1.get(
    "/reports",
    response={200: ReportPage, 422: Problem},
    summary="Source reports, newest first",
    url_name="reports",
)
def list_reports(request, outlet: str = Slug, limit: int = Limit, offset: int = Offset):
    """Reports by publication day (newest first), then title and id."""
    articles = Article.objects.for_listing()
    if outlet:
        found = Outlet.objects.filter(slug=outlet).first()
        if found is None:
            raise bad("outlet", f"There is no outlet “{shown(outlet)}”.")
        articles = articles.filter(outlet=found)
    link = request.build_absolute_uri

    def item(a):
        return {**report_summary(a, link), "claim_count": a.claim_count}

    return paged(request, articles, item, limit=limit, offset=offset)


@v1.get(
    "/reports/{slug}",
    response={200: ReportOut, 404: Problem},
    summary="One report: its passages and claims",
    url_name="report",
)
def get_report(request, slug: str):
    """The report's passages with their anchors, and its claims with their date mentions
    resolved to spans, their figures, attribution and the events they are evidence for."""
    article = Article.objects.with_outlet().light().filter(slug=slug).first()
    if article is None:
        raise not_found("report", slug)
    public = Evidence.objects.shown().filter(event__in=Event.objects.sourced())
    claims = list(
        article.claims.select_related("passage")
        .prefetch_related(
            "mentions",
            Prefetch("evidence", queryset=public.select_related("event"), to_attr="public"),
        )
        .order_by("start", "pk")
    )
    link = request.build_absolute_uri
    report_url = link(article.get_absolute_url())
    return {
        **report_summary(article, link),
        "claim_count": len(claims),
        "passages": [
            {
                "position": p.position,
                "anchor": p.anchor,
                "link": f"{report_url}#{p.anchor}",
                "kind": p.kind,
                "text": p.text,
                "start": p.start,
                "end": p.end,
            }
            for p in article.passages.all()
        ],
        "claims": [
            {
                "id": c.pk,
                "anchor": c.anchor,
                "link": f"{report_url}#{c.anchor}",
                "passage_anchor": c.passage.anchor if c.passage else None,
                "sentence": c.sentence,
                "start": c.start,
                "end": c.end,
                "quote": c.selector,
                "kind": c.kind,
                "attribution": c.attribution,
                "figures": figures(c),
                "mentions": list(c.mentions.all()),
                "events": [
                    {
                        "slug": ev.event.slug,
                        "title": ev.event.title,
                        "url": link(ev.event.get_absolute_url()),
                        "stance": ev.stance,
                    }
                    for ev in c.public
                ],
            }
            for c in claims
        ],
    }


@v1.get(
    "/outlets",
    response={200: OutletPage, 422: Problem},
    summary="Outlets whose reports the site holds",
    url_name="outlets",
)
def list_outlets(request, limit: int = Limit, offset: int = Offset):
    """Outlets by name, each with how many reports it has here."""
    outlets = (
        Outlet.objects.annotate(report_count=Count("articles"))
        .filter(report_count__gt=0)
        .order_by("name", "pk")
    )
    link = request.build_absolute_uri

    def item(o):
        return {
            "slug": o.slug,
            "name": o.name,
            "kind": o.kind,
            "homepage": o.homepage,
            "url": link(o.get_absolute_url()),
            "reports": o.report_count,
        }

    return paged(request, outlets, item, limit=limit, offset=offset)


# --- search -----------------------------------------------------------------------------------


@v1.get(
    "/search",
    response={200: SearchPage, 422: Problem},
    summary="Search events, quotes and reports",
    url_name="search",
)
def search(
    request,
    q: str = Query(
        ...,
        min_length=1,
        description=f"The words to find; at most 8 words and {MAX_SEARCH_CHARS} characters "
        "are used, and words over 40 characters are ignored.",
    ),
    limit: int = Query(
        DEFAULT_LIMIT, ge=1, le=MAX_SEARCH_LIMIT, description=f"Page size, 1 to {MAX_SEARCH_LIMIT}."
    ),
    offset: int = Query(0, ge=0, le=MAX_SEARCH_OFFSET, description="How many hits to skip."),
):
    """Hits of every kind, most relevant first, each with a highlighted snippet."""
    if not search_words(q).words:
        raise bad("q", "Nothing to search: give at least one word of up to 40 characters.")
    results = find(q, limit=limit, offset=offset)
    link = request.build_absolute_uri
    items = [
        {
            "kind": hit.kind,
            "title": hit.title,
            "snippet": str(hit.snippet),
            "url": link(hit.url),
            "rank": hit.rank,
            "outlet": hit.outlet,
            "published": hit.published,
            "when": hit.when,
        }
        for hit in results.hits
    ]
    return {
        **page(
            request,
            items,
            count=results.total,
            limit=limit,
            offset=offset,
            last=MAX_SEARCH_OFFSET,
        ),
        "search_note": results.query.note,
        "counts": results.counts,
    }


api.add_router("/v1/", v1)
