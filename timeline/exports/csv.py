"""The evidence for spreadsheets: /evidence.csv, one row per accepted quote of a public event.

Streamed in one query (select_related, no prefetch) read in chunks of CHUNK rows, so the
export's size costs neither memory nor queries. It takes the timeline page's filters
(?topic=, ?outlet=, ?status=, ?q=, ?start=, ?end=) through the same form; a filter it does
not understand answers 400 rather than a silently different file.

The file starts with a UTF-8 byte order mark: without it Excel reads a CSV as the
Windows code page and turns "US–China" or a Chinese name into mojibake, while LibreOffice,
Google Sheets, pandas and Python's csv module with encoding="utf-8-sig" skip it.

A cell that starts with = + - @ (or a tab or carriage return) is prefixed with an
apostrophe, so a quote cannot run as a formula in the spreadsheet that opens it (CSV
injection, OWASP).
"""

import csv

from django.http import HttpResponseBadRequest, StreamingHttpResponse
from django.views.decorators.http import require_safe

from articles.models import without_article_texts

from ..forms import TimelineFilter
from ..models import Event, Evidence

CHUNK = 500
BOM = "\ufeff"
HEADER = [
    "event",
    "date",
    "start",
    "end",
    "status",
    "stance",
    "outlet",
    "report",
    "published",
    "quote",
    "link",
    "event_link",
    "source_url",
]
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def cell(value) -> str:
    """A value as a spreadsheet may show it but never run: '=1+1' → "'=1+1"."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_START) else text


class Echo:
    """A file-like object that hands back what is written, for csv.writer to stream."""

    def write(self, value):
        return value


def rows(filters: TimelineFilter):
    """Accepted evidence of the public events the filters pick, in the timeline's order."""
    events = filters.filter(Event.objects.sourced())
    evidence = Evidence.objects.shown().filter(event__in=events)
    outlet = filters.cleaned_data.get("outlet") if filters.is_bound else None
    if outlet:
        evidence = evidence.filter(claim__article__outlet=outlet)
    return (
        evidence.select_related("event", "claim__article__outlet")
        .defer(*without_article_texts("claim__article"))
        .order_by(
            "event__start",
            "event__end",
            "event__title",
            "event",
            "claim__article__published",
            "claim__article__title",
            "claim__start",
            "pk",
        )
    )


def lines(request, evidence):
    writer = csv.writer(Echo())
    site = request.build_absolute_uri("/").removesuffix("/")
    yield BOM + writer.writerow(HEADER)
    for ev in evidence.iterator(chunk_size=CHUNK):
        event, claim = ev.event, ev.claim
        article = claim.article
        yield writer.writerow(
            [
                cell(event.title),
                cell(event.when),
                event.start.isoformat(),
                event.last_day.isoformat(),
                cell(event.get_status_display()),
                cell(ev.get_stance_display()),
                cell(article.outlet.name),
                cell(article.title),
                article.published.isoformat(),
                cell(claim.sentence),
                site + claim.get_absolute_url(),
                site + event.get_absolute_url(),
                cell(article.url),
            ]
        )


@require_safe
def evidence(request):
    filters = TimelineFilter(request.GET or None)
    filters.is_valid()
    problems = [*filters.problems, *([filters.range_note] if filters.range_note else [])]
    if problems:
        return HttpResponseBadRequest(
            "Some filters were not understood: " + " ".join(problems) + "\n",
            content_type="text/plain; charset=utf-8",
        )
    return StreamingHttpResponse(
        lines(request, rows(filters)),
        content_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="tradewatch-evidence.csv"'},
    )
