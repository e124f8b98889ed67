"""The timeline's dates for calendar apps: /events.ics (RFC 5545, built with icalendar).

Which events: those that look, or once looked, ahead to a day (scheduled, threatened,
postponed, extended, at any step of their story) and every deadline, so that a subscriber
who saw a meeting or a threat arrive also sees what became of it (CONFIRMED once it
happened, CANCELLED once called off) instead of having it silently vanish. Events only ever
reported after the fact are history, not dates to plan around, and stay on the timeline.
At most CALENDAR_EVENTS of them, those nearest today, so that the file stays the same size
however long the timeline grows.

Dates are all-day (DATE values, DTEND the day after the last, as RFC 5545 wants). An
event moved to a new day (extended, postponed) sits on that day, its `due`, and stays
there once a later step says what became of it. An event known
only to the week, month, quarter or season spans the whole period, and its summary says so
("(April 2025; day not known)"); one known only to the year is left out, since a year-long
bar tells a calendar nothing.

UIDs are `<slug>@<host>`; DTSTAMP and LAST-MODIFIED are the event's last edit and SEQUENCE
the number of steps in its story, so the file is the same on every request until an editor
changes something, and a calendar app sees a moved date as an update.
"""

from datetime import timedelta

from django.db.models import Case, F, IntegerField, Prefetch, Q, Value, When
from django.http import HttpResponse
from django.http.request import split_domain_port
from django.views.decorators.http import require_safe
from icalendar import Calendar, vDuration
from icalendar import Event as VEvent

from articles.clock import today

from ..models import Event, Evidence, StatusChange

S = Event.Status

# What a calendar app should make of each status: will it take place on that day?
ICAL_STATUS = {
    S.SCHEDULED: "CONFIRMED",
    S.HAPPENED: "CONFIRMED",
    S.IN_FORCE: "CONFIRMED",
    S.EXPIRED: "CONFIRMED",  # the deadline came and went: it did fall on that day
    S.EXTENDED: "CONFIRMED",  # on its new day; TENTATIVE while no source gives one
    S.POSTPONED: "CONFIRMED",
    S.THREATENED: "TENTATIVE",
    S.SUSPENDED: "TENTATIVE",  # paused, not withdrawn: it may yet come back
    S.CANCELLED: "CANCELLED",
}
LEFT_OUT = ("year",)
REFRESH = timedelta(hours=6)
# At most this many events, those nearest today: all that lie ahead first (from the
# earliest), then the latest behind. Every subscriber's app re-reads the file every few
# hours, and each change to the timeline makes it anew: its cost must not grow with the
# archive (4,280 calendar events of a 10,000-event timeline took 8.8 s and 3.4 MB).
CALENDAR_EVENTS = 500


def calendar_events():
    """Public events with a day to put in a calendar, with what the calendar says of each:
    its topics, its story and the outlets that report it. Not the quotes, their passages
    and date mentions that a page shows (Event.objects.on_timeline): building those took
    more than half of the calendar's time."""
    looked_ahead = StatusChange.objects.filter(status__in=Event.FORWARD_LOOKING).values("event")
    outlets = (
        Evidence.objects.shown()
        .exclude(stance=Evidence.Stance.CONTRADICTS)
        .select_related("claim__article__outlet")
        .only("event", "stance", "claim__article__outlet__name")
    )
    return (
        Event.objects.sourced()
        .filter(
            Q(status__in=Event.FORWARD_LOOKING)
            | Q(kind=Event.Kind.DEADLINE)
            | Q(pk__in=looked_ahead)
        )
        .exclude(precision__in=LEFT_OUT)
        .prefetch_related("topics", "changes", Prefetch("evidence", queryset=outlets))
    )


def nearest(events, day, limit: int) -> list[Event]:
    """The `limit` events nearest `day`, in date order: those starting on or after it
    first, then the latest before it. One query (and the prefetches of `events`)."""
    before = Q(start__lt=day)
    chosen = events.annotate(
        before=Case(When(before, then=Value(1)), default=Value(0), output_field=IntegerField()),
        ahead_start=Case(When(~before, then=F("start"))),
    ).order_by("before", F("ahead_start").asc(nulls_last=True), F("start").desc(), "pk")
    return sorted(chosen[:limit], key=lambda e: (e.start, e.end or e.start, e.title, e.pk))


def new_day(event: Event):
    """The day its latest move (extended, postponed to a known day) took it to, if any: it
    stays there when a later step says what became of it (the extended truce expired)."""
    moves = [c for c in event.story if c.status in Event.MOVED and c.new_date]
    return moves[-1].new_date if moves else None


def days(event: Event):
    """(first day, day after the last): its new day once moved, else its whole period."""
    moved = new_day(event)
    if moved:
        return moved, moved + timedelta(days=1)
    return event.start, event.last_day + timedelta(days=1)


def status(event: Event) -> str:
    latest = event.latest_change
    if event.status in Event.MOVED and not (latest and latest.new_date):
        return "TENTATIVE"  # moved off its day to a day no source gives yet
    return ICAL_STATUS[event.status]


def summary(event: Event) -> str:
    text = f"{event.title} — {event.get_status_display()}"
    if event.precision != "day":
        text += f" ({event.when}; day not known)"
    return text


def description(event: Event, url: str) -> str:
    outlets = sorted(
        {ev.claim.article.outlet.name for ev in event.evidence.all() if ev.stance != "contradicts"}
    )
    lines = [event.summary] if event.summary else []
    if event.story:
        lines.append(f"So far: {event.story_line}.")
    if outlets:
        lines.append(f"Sources: {', '.join(outlets)}.")
    lines.append(f"Quotes and links to each report: {url}")
    return "\n\n".join(lines)


def vevent(event: Event, request, host: str) -> VEvent:
    url = request.build_absolute_uri(event.get_absolute_url())
    start, end = days(event)
    return VEvent.new(
        uid=f"{event.slug}@{host}",
        stamp=event.updated,
        last_modified=event.updated,
        created=event.created,
        sequence=len(event.story),
        start=start,
        end=end,
        summary=summary(event),
        description=description(event, url),
        location=event.place or None,
        url=url,
        status=status(event),
        # Dates to know, not time the subscriber is busy.
        transparency="TRANSPARENT",
        categories=[topic.name for topic in event.topics.all()],
    )


@require_safe
def calendar(request):
    host = split_domain_port(request.get_host())[0] or "localhost"
    events = nearest(calendar_events(), today(), CALENDAR_EVENTS)
    description = (
        "Meetings, threats and deadlines of the US–China trade talks, each linked to the "
        "reports it rests on."
    )
    if len(events) == CALENDAR_EVENTS:
        description += (
            f" The {CALENDAR_EVENTS} nearest today, those ahead first; the timeline holds "
            "the earlier ones."
        )
    cal = Calendar.new(
        prodid="-//TradeWatch//US-China trade talks timeline//EN",
        uid=f"calendar@{host}",
        name="TradeWatch: US–China trade talks",
        description=description,
        url=request.build_absolute_uri("/"),
        method="PUBLISH",
        calscale="GREGORIAN",
        refresh_interval=REFRESH,
        subcomponents=[vevent(event, request, host) for event in events],
    )
    # Older clients (Outlook) read the refresh interval from this non-standard property.
    cal.add("X-PUBLISHED-TTL", vDuration(REFRESH))
    return HttpResponse(
        cal.to_ical(),
        content_type="text/calendar; charset=utf-8",
        headers={"Content-Disposition": 'inline; filename="tradewatch.ics"'},
    )
