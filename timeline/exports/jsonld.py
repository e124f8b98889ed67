"""schema.org in pages: a NewsArticle on each report page, an Event on each event page.

Search engines and link previews read these `<script type="application/ld+json">` data
blocks; the templates include them with the tags in timeline/templatetags/jsonld.py. Dates
are written at their precision and no finer (ISO 8601 partial dates: "2025", "2025-04",
"2025-10-30"), the same parts timelinejs.py gives TimelineJS.
"""

import json
from datetime import date

from articles.models import DateMention

from ..models import Event

P = DateMention.Precision

# How many of year, month, day a date of each precision may say. A week is a run of
# days, so it is given by its first and last day; a quarter or a season by its months.
PARTS = {P.DAY: 3, P.WEEK: 3, P.MONTH: 2, P.QUARTER: 2, P.SEASON: 2, P.YEAR: 1}
# Precisions whose period runs over more than one of the parts they may say: their end
# must be given too, or "Q2 2025" would read as April alone.
SPANNING = (P.WEEK, P.QUARTER, P.SEASON)


def date_parts(day: date, precision: str) -> list[int]:
    """[year], [year, month] or [year, month, day], as far as the precision allows.

    >>> date_parts(date(2025, 4, 1), "month")
    [2025, 4]
    """
    return [day.year, day.month, day.day][: PARTS[precision]]


def partial_date(day: date, precision: str) -> str:
    """An ISO 8601 date at the precision: '2025', '2025-04', '2025-10-30'.

    >>> partial_date(date(2025, 4, 1), "quarter")
    '2025-04'
    """
    year, *rest = date_parts(day, precision)
    return "-".join([f"{year:04d}", *(f"{part:02d}" for part in rest)])


def event_span(event: Event) -> tuple[date, date | None]:
    """The event's first day and, when it runs over more than its start says, its last."""
    if event.end:
        return event.start, event.end
    if event.precision in SPANNING:
        return event.start, event.last_day
    return event.start, None


SCHEMA = "https://schema.org/"


def event_status(event: Event) -> tuple[str, date | None]:
    """schema.org's eventStatus for the event's story, and the new day it now falls on.

    From the latest status change (prefetched by on_timeline): called off is
    EventCancelled; moved to a known new day is EventRescheduled; moved with no new day
    yet is EventPostponed (schema.org: "postponed and no new date has been set"); anything
    else still stands, EventScheduled.
    """
    latest = event.latest_change
    status = latest.status if latest else event.status
    if status == Event.Status.CANCELLED:
        return SCHEMA + "EventCancelled", None
    if status == Event.Status.EXTENDED or status == Event.Status.POSTPONED:
        if latest and latest.new_date:
            return SCHEMA + "EventRescheduled", latest.new_date
        # An extended deadline says it moved even when it does not say to when.
        if status == Event.Status.EXTENDED:
            return SCHEMA + "EventRescheduled", None
        return SCHEMA + "EventPostponed", None
    return SCHEMA + "EventScheduled", None


def event_data(event: Event, url: str) -> dict:
    """schema.org Event; `url` is the event page's absolute address."""
    start, end = event_span(event)
    status, moved_to = event_status(event)
    data = {
        "@context": SCHEMA,
        "@type": "Event",
        "name": event.title,
        "url": url,
        "eventStatus": status,
        "startDate": partial_date(start, event.precision),
    }
    if end:
        data["endDate"] = partial_date(end, event.precision)
    if moved_to:
        # schema.org: the new day is the startDate, the day it was planned for before it.
        data["previousStartDate"] = data["startDate"]
        data["startDate"] = partial_date(moved_to, P.DAY)
        data.pop("endDate", None)
    elif status == SCHEMA + "EventPostponed":
        data["previousStartDate"] = data["startDate"]
    if event.place:
        data["location"] = {"@type": "Place", "name": event.place}
    if event.summary:
        data["description"] = event.summary
    return data


def article_data(article, url: str) -> dict:
    """schema.org NewsArticle for a report; `url` is its TradeWatch page's absolute address."""
    publisher = {"@type": "Organization", "name": article.outlet.name}
    if article.outlet.homepage:
        publisher["url"] = article.outlet.homepage
    data = {
        "@context": SCHEMA,
        "@type": "NewsArticle",
        "headline": article.title,
        "datePublished": article.published.isoformat(),
        "publisher": publisher,
        "url": url,
    }
    if article.byline:
        data["author"] = {"@type": "Person", "name": article.byline}
    if article.url:
        data["isBasedOn"] = article.url
    return data


# What json_script escapes, for the same reason: inside <script>, "</script>" or "<!--"
# in a title would end the block or change how the HTML parser reads it; as \u escapes
# they are the same JSON and no markup at all.
_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


def dumps(data: dict) -> str:
    """JSON safe to put inside a <script> element."""
    return json.dumps(data, ensure_ascii=False, sort_keys=False).translate(_ESCAPES)
