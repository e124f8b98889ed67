"""The timeline for TimelineJS3 (https://timeline.knightlab.com/docs/json-format.html).

`timeline_json` is the data: one slide per public event, dated no finer than its precision,
its text the quotes behind it, each linking back to its sentence in the report; spans (an
event with an end, such as a truce) are also eras. `embed` is a page that shows it with the
TimelineJS3 library, served from our own static files (static/vendor/timelinejs/).
"""

from django.http import JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.html import escape, format_html, format_html_join
from django.views.decorators.http import require_safe

from articles.clock import today
from articles.pipeline.dates.periods import format_day

from .. import paging
from ..models import Event, Evidence
from .jsonld import date_parts, event_span

TITLE = "TradeWatch: the 2025 US–China trade talks"
INTRO = (
    "Every event on the timeline, with the reports behind it: each quote links to its "
    "sentence in the report."
)


def tl_date(day, precision) -> dict:
    """A TimelineJS date object with only the parts the precision allows."""
    return dict(zip(("year", "month", "day"), date_parts(day, precision), strict=False))


def slide_text(event, request) -> str:
    """The slide's HTML: the summary, then each supporting quote linking to its sentence.

    Everything from the database is escaped (TimelineJS also runs DOMPurify over it).
    """
    quotes = [ev for ev in event.evidence.all() if ev.stance != Evidence.Stance.CONTRADICTS]
    summary = format_html("<p>{}</p>", event.summary) if event.summary else ""
    items = format_html_join(
        "",
        '<p>“{}” <a href="{}">{}, {}</a></p>',
        (
            (
                ev.claim.sentence,
                request.build_absolute_uri(ev.claim.get_absolute_url()),
                ev.claim.article.outlet.name,
                format_day(ev.claim.article.published),
            )
            for ev in quotes
        ),
    )
    return summary + items


def slide(event, request) -> dict:
    start, end = event_span(event)
    data = {
        "unique_id": event.slug,
        "start_date": tl_date(start, event.precision),
        "text": {"headline": escape(event.title), "text": slide_text(event, request)},
        "group": event.get_kind_display(),
        # TimelineJS words a date from its parts alone: a week, quarter or season would
        # read as a run of days or months, so coarse dates carry the timeline's own words.
        **({"display_date": event.when} if event.precision != "day" else {}),
    }
    if end:
        data["end_date"] = tl_date(end, event.precision)
    return data


def era(event) -> dict | None:
    """A band behind the slides for an event that runs from one day to another: from its
    start to its end, or to the new day a later extension moved it to."""
    if not event.end:
        return None
    latest = event.latest_change
    end = event.end
    if latest and latest.status == Event.Status.EXTENDED and latest.new_date:
        end = max(end, latest.new_date)
    return {
        "start_date": tl_date(event.start, event.precision),
        "end_date": tl_date(end, "day" if end != event.end else event.precision),
        "text": {"headline": escape(event.title)},
    }


@require_safe
def timeline_json(request):
    # The same read rule as the timeline page: public (sourced) events, in a fixed number
    # of queries with their evidence prefetched; a long timeline a period at a time
    # (?period=2025-Q4), never more than a page of events.
    events = Event.objects.sourced()
    period, _ = paging.chosen(request.GET.get("period", ""), paging.month_counts(events), today())
    events = events.on_timeline()
    if period is not None:
        events = events.filter(start__gte=period.start, start__lte=period.end)
    events = list(events[: paging.page_size()])
    data = {
        "title": {
            "text": {
                "headline": escape(TITLE),
                "text": format_html(
                    '<p>{}{}</p><p><a href="{}">{}</a></p>',
                    INTRO,
                    f" This part: {period.label}." if period else "",
                    request.build_absolute_uri(reverse("timeline")),
                    "The timeline on TradeWatch",
                ),
            }
        },
        "events": [slide(event, request) for event in events],
        "eras": [e for e in map(era, events) if e],
        "scale": "human",
    }
    return JsonResponse(data, json_dumps_params={"ensure_ascii": False})


# No Content-Security-Policy override: TimelineJS3 3.9.11 sizes and places its slides
# through element.style (the CSSOM, which style-src 'self' allows), not with inline style
# attributes or <style> elements, and with `font: null` (timelinejs-embed.js) it loads no
# Google Fonts; its icon font comes from our static files. So this page keeps the site's
# strict policy, and tests/timeline/test_timelinejs.py fails if the library ever needs more.
@require_safe
def embed(request):
    return render(request, "timeline/timelinejs.html")
