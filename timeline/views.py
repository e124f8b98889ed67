"""The reader-facing pages: timeline, event, reports, coverage.

They live in timeline because each shows articles and events together; every page runs
a fixed number of queries whatever the number of events, claims and reports. They only
read: GET and HEAD, nothing else.
"""

from collections import defaultdict
from datetime import timedelta
from itertools import groupby

from django.core.paginator import Paginator
from django.db.models import Count, Prefetch
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_safe

from articles.clock import today
from articles.models import Article, Outlet
from articles.pipeline.anchoring import text_fragment

from . import overview, paging
from . import search as site_search
from .conflicts import find_conflicts
from .forms import TimelineFilter
from .models import Event, Evidence, StatusChange


def decorate(event, now):
    """Attach what the templates show of an event, computed once from prefetched rows."""
    evidence = list(event.evidence.all())
    event.shown_evidence = evidence
    event.outlets = sorted({ev.claim.article.outlet.name for ev in evidence})
    # Outlets that print the same wire copy are one independent report, not several.
    articles = {ev.claim.article.pk: ev.claim.article for ev in evidence}
    event.independent = len({article.source_key for article in articles.values()})
    event.wire_copies = len(articles) - event.independent
    event.conflicts = find_conflicts(event, evidence)
    event.is_upcoming = event.is_forward_looking and event.due >= now
    # A deadline or meeting whose day has passed with no source saying what happened.
    event.awaits_outcome = event.is_forward_looking and event.due < now
    return event


@require_safe
def timeline(request):
    """The timeline, whole when it fits on a page, else a period at a time (paging.py)."""
    now = today()
    filters = TimelineFilter(request.GET or None)
    matching = filters.filter(Event.objects.sourced())
    months = paging.month_counts(matching)
    total = sum(n for _, n in months)
    period, period_note = paging.chosen(request.GET.get("period", ""), months, now)
    in_period = paging.count_in(months, period) if period else total
    page = Paginator(range(in_period), paging.page_size()).get_page(request.GET.get("page"))
    events = matching.on_timeline()
    if period is not None:
        events = events.filter(start__gte=period.start, start__lte=period.end)
    first = max(page.start_index() - 1, 0)  # 0 when nothing matches
    events = [decorate(e, now) for e in events[first : page.end_index()]]
    # The "today" marker goes before the first event that ends today or later; after the
    # last one only when no later event is on a later page.
    marker = next((e.pk for e in events if e.last_day >= now), None)
    earlier, later = paging.neighbours(months, period) if period else (None, None)
    shown = {e.slug for e in events}
    chosen = getattr(filters, "cleaned_data", {})
    return render(
        request,
        "timeline/timeline.html",
        {
            "filters": filters,
            "months": [
                (month, list(group))
                for month, group in groupby(events, key=lambda e: e.start.replace(day=1))
            ],
            "events": events,
            "total": total,
            "in_period": in_period,
            "period": period,
            "period_note": period_note,
            "period_chosen": bool(request.GET.get("period")) and not period_note,
            "earlier": earlier and (earlier, paging.count_in(months, earlier)),
            "later": later and (later, paging.count_in(months, later)),
            "page": page,
            "overview": paging.Overview.of(months) if period else None,
            "overview_axis": overview.build(
                filters.filter(Event.objects.sourced(), dates=False),
                today=now,
                shown=shown,
                chosen=(chosen.get("start"), chosen.get("end")),
                # Without a date range the overview's events are the page's: counted once.
                months=None if chosen.get("start") or chosen.get("end") else months,
            ),
            "shown": shown,
            "today": now,
            "today_before": marker,
            # After the last one when today falls before whatever the next page holds.
            "today_after": bool(events)
            and marker is None
            and not page.has_next()
            and (later is None or later.start > now),
            "upcoming": coming_up(matching, now),
            "latest": latest_developments(matching),
            "filtered": any(key not in ("period", "page") for key in request.GET),
        },
    )


UPCOMING = 8
# How far back an event may start and still look ahead (a postponed one, to its new day).
UPCOMING_LOOKBACK = timedelta(days=366)
UPCOMING_CANDIDATES = 200


def coming_up(events, now):
    """The next forward-looking events, soonest first: a bounded query whatever the size
    of the timeline."""
    candidates = (
        events.filter(status__in=Event.FORWARD_LOOKING, start__gte=now - UPCOMING_LOOKBACK)
        .order_by("start", "pk")
        .prefetch_related("changes")[:UPCOMING_CANDIDATES]
    )
    ahead = [e for e in candidates if e.is_forward_looking and e.due >= now]
    return sorted(ahead, key=lambda e: e.due)[:UPCOMING]


LATEST = 5


def latest_developments(events):
    """The newest steps of the events' stories, newest first: one bounded query."""
    return list(
        StatusChange.objects.filter(event__in=events.order_by().values("pk"))
        .select_related("event")
        .order_by("-effective", "-decided", "-pk")[:LATEST]
    )


@require_safe
def event_detail(request, slug):
    # An event no accepted evidence supports is not on the timeline, nor public here.
    event = get_object_or_404(Event.objects.sourced().on_timeline(), slug=slug)
    decorate(event, today())
    by_outlet = defaultdict(list)
    for ev in event.shown_evidence:
        by_outlet[ev.claim.article.outlet].append(ev)
    outlets_total = Outlet.objects.filter(articles__isnull=False).distinct().count()
    return render(
        request,
        "timeline/event.html",
        {
            "event": event,
            "by_outlet": sorted(by_outlet.items(), key=lambda kv: kv[0].name),
            "outlets_total": outlets_total,
            # The event's own edits and the decisions on the evidence shown with it.
            "last_corrected": max([event.updated, *(ev.updated for ev in event.shown_evidence)]),
        },
    )


REPORTS_PER_PAGE = 50


@require_safe
def article_list(request):
    articles = Article.objects.for_listing()
    outlet = None
    if request.GET.get("outlet"):
        outlet = get_object_or_404(Outlet, slug=request.GET["outlet"])
        articles = articles.filter(outlet=outlet)
    # A bad or out-of-range page number shows the nearest page, never an error.
    page = Paginator(articles, REPORTS_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "articles/article_list.html",
        {"articles": page, "page": page, "outlet": outlet},
    )


@require_safe
def article_detail(request, slug):
    article = get_object_or_404(Article.objects.with_outlet().with_text_corrected(), slug=slug)
    claims = list(
        article.claims.select_related("passage")
        .prefetch_related(
            "mentions",
            Prefetch(
                "evidence",
                queryset=Evidence.objects.shown().select_related("event"),
            ),
        )
        .order_by("start", "pk")
    )
    passages = list(article.passages.all())
    by_passage = defaultdict(list)
    for claim in claims:
        if claim.passage_id:
            by_passage[claim.passage_id].append(claim)
    for passage in passages:
        passage.claim_list = by_passage[passage.pk]
        passage.segments = segments(passage, passage.claim_list)
        # One link a passage to the same words on the original page: the browser
        # highlights the passage there, its claims among it.
        cited = passage.claim_list and article.url and passage.text.strip()
        passage.fragment = text_fragment(passage.text) if cited else ""
    # A corrected report says when: the day its text last changed, or, when only its
    # header was corrected (a title, the publication date), the day of that version.
    corrected = (article.text_corrected or article.updated) if article.version > 1 else None
    return render(
        request,
        "articles/article_detail.html",
        {
            "article": article,
            "passages": passages,
            "claims": claims,
            "orphans": [c for c in claims if c.passage_id is None],
            "corrected": corrected,
            "reworded": sum(1 for c in claims if c.previous_sentence),
        },
    )


def segments(passage, claims):
    """A passage's text cut into plain runs and claims, each claim into plain runs and dates."""
    out, pos = [], 0
    for claim in sorted(claims, key=lambda c: c.start):
        start, end = claim.passage_offsets
        if start < pos:
            # It overlaps the claim before it (an editor quoted part of a sentence the
            # pipeline took): one highlight is shown, and an anchor at its start makes
            # links to this claim land on that sentence.
            out.insert(len(out) - 1, {"anchor": claim})
            continue
        out.append({"text": passage.text[pos:start]})
        parts, cursor = [], 0
        for mention in claim.mentions.all():
            parts.append({"text": claim.sentence[cursor : mention.start]})
            parts.append({"text": mention.text, "mention": mention})
            cursor = mention.end
        parts.append({"text": claim.sentence[cursor:]})
        out.append({"claim": claim, "parts": parts})
        pos = end
    out.append({"text": passage.text[pos:]})
    return [s for s in out if s.get("text") or s.get("claim") or s.get("anchor")]


# Events (rows) of the coverage table per page: its cells are events × outlets, so a
# table of every event would grow with the timeline.
COVERAGE_EVENTS_PER_PAGE = 100


@require_safe
def coverage(request):
    """Which outlet reported which event, COVERAGE_EVENTS_PER_PAGE events a page in
    timeline order (?page=N). Four queries, whatever the number of events."""
    events = Event.objects.sourced().order_by("start", "title", "pk")
    page = Paginator(events, COVERAGE_EVENTS_PER_PAGE).get_page(request.GET.get("page"))
    events = list(page)
    outlets = list(Outlet.objects.filter(articles__isnull=False).distinct().order_by("name"))
    counts = defaultdict(int)
    sources = defaultdict(set)  # independent reports: a wire group counts once
    for row in (
        Evidence.objects.shown()
        .filter(event__in=[event.pk for event in events])
        .values("event", "claim__article__outlet", "claim__article", "claim__article__wire_group")
        .annotate(n=Count("id"))
    ):
        counts[row["event"], row["claim__article__outlet"]] += row["n"]
        sources[row["event"]].add(
            row["claim__article__wire_group"] or f"article-{row['claim__article']}"
        )
    rows = []
    for event in events:
        # Each cell links to that outlet's quotes on the event's page (#outlet-<slug>).
        cells = [(o, counts.get((event.pk, o.pk), 0)) for o in outlets]
        rows.append(
            {
                "event": event,
                "cells": cells,
                "reported": sum(1 for _, n in cells if n),
                "independent": len(sources[event.pk]),
            }
        )
    return render(
        request,
        "timeline/coverage.html",
        {"rows": rows, "outlets": outlets, "page": page},
    )


SEARCH_RESULTS_PER_PAGE = 20


@require_safe
def search(request):
    """Events, quotes and reports matching the words, best first, a page at a time.

    One count, one ranked page, then the page's rows: a fixed number of queries whatever
    the query or the data (timeline/search.py).
    """
    q = request.GET.get("q", "")
    try:
        offset = int(request.GET.get("offset", 0))
    except ValueError:
        offset = 0  # a bad offset shows the first page, never an error
    results = site_search.search(q, limit=SEARCH_RESULTS_PER_PAGE, offset=offset)
    return render(
        request,
        "timeline/search.html",
        {
            "q": q,
            "results": results,
            "first": results.offset + 1,
            "last": results.offset + len(results.hits),
        },
    )
