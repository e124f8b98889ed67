"""The whole period at a glance: a time axis above the timeline, drawn as SVG on the server.

From the first event to the last day any event looks ahead to, and to today: each event a
mark (a day) or a bar (a span, such as talks over two days or a truce), its extension or
postponement drawn on past its own last day, coloured by its status, labelled with its
title, and a link to its card. Labels that would collide go on the next lane down.

A timeline with more events than OVERVIEW_MARKS shows how many events each month holds
instead, each month a link that zooms to it: the overview costs a bounded number of
queries and a bounded amount of SVG whatever the size of the timeline.

Zooming sets the timeline's date-range filter (?start=…&end=…): the links under the axis
(all, a year, a quarter) work without JavaScript; static/js/timeline.js adds dragging
across the axis to choose any range.
"""

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.conf import settings
from django.db.models import prefetch_related_objects

from articles.pipeline.dates.periods import format_day, period_end

from . import paging
from .models import Event

WIDTH = 1000  # the SVG's own units; it scales to the width of the page
MARGIN = 14
LANE = 24  # height of one lane of marks and labels
AXIS = 30  # room for the month ticks and their names under the lanes
MAX_LANES = 7
LABEL_CHARS = 30  # a longer title is cut in the label (whole in its tooltip and link name)
CHAR_WIDTH = 6.4  # an average character of the 11-unit label font, in SVG units
MIN_SPAN = 3  # the shortest bar drawn, so that a two-day event still reads as a span


def marks_limit() -> int:
    return settings.TRADEWATCH_OVERVIEW_MARKS


@dataclass(frozen=True)
class Axis:
    """Days onto the SVG's x axis, from `first` to `last`."""

    first: date
    last: date

    @property
    def days(self) -> int:
        return max((self.last - self.first).days, 1)

    def x(self, day: date) -> float:
        inner = WIDTH - 2 * MARGIN
        return round(MARGIN + inner * (day - self.first).days / self.days, 1)

    def ticks(self) -> list[dict]:
        """Month ticks (every quarter on an axis longer than two years), each with its
        name; January's with its year (the first year is in the overview's title)."""
        step = 1 if self.days <= 731 else 3
        month = self.first.replace(day=1)
        if month < self.first:
            month = _add_months(month, 1)
        ticks = []
        while month <= self.last:
            if (month.month - 1) % step == 0:
                label = f"{month:%b}"
                if month.month == 1:
                    label = f"{month:%b %Y}"
                x = self.x(month)
                # A name at the very edge is drawn inwards from its tick, not cut off.
                anchor = (
                    "start" if x < MARGIN + 24 else "end" if x > WIDTH - MARGIN - 24 else "middle"
                )
                ticks.append({"x": x, "label": label, "anchor": anchor})
            month = _add_months(month, 1)
        # Names closer than a label's width would overprint: keep every other one.
        if len(ticks) > 1 and ticks[1]["x"] - ticks[0]["x"] < 44:
            ticks = [dict(t, label=t["label"] if i % 2 == 0 else "") for i, t in enumerate(ticks)]
        return ticks


def _add_months(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


@dataclass
class Mark:
    event: Event
    href: str
    x1: float
    x2: float  # its own last day
    x3: float  # the day it now looks ahead to, after an extension or a postponement
    lane: int = 0
    label: str = ""

    @property
    def is_span(self) -> bool:
        return self.event.last_day > self.event.start

    @property
    def extended(self) -> bool:
        return self.x3 > self.x2

    @property
    def y(self) -> int:
        return 8 + self.lane * LANE

    @property
    def width(self) -> float:
        return max(self.x2 - self.x1, MIN_SPAN)

    @property
    def extension_width(self) -> float:
        return round(self.x3 - self.x2, 1)

    @property
    def label_x(self) -> float:
        """Labels read rightwards from the mark's end, or leftwards from its start near
        the right edge."""
        return self.x1 - 8 if self.label_leftwards else self.x3 + 8

    @property
    def label_leftwards(self) -> bool:
        return self.x3 + 8 + len(self.label) * CHAR_WIDTH > WIDTH - MARGIN

    @property
    def extent(self) -> tuple[float, float]:
        """From where to where the mark and its label reach across the axis."""
        words = len(self.label) * CHAR_WIDTH
        if self.label_leftwards:
            return self.x1 - 8 - words, self.x3
        return self.x1, self.x3 + 8 + words

    @property
    def name(self) -> str:
        """What a screen reader says of the link: the title, status and days in words."""
        event = self.event
        name = f"{event.title}: {event.get_status_display()}, {event.when}"
        if self.extended:
            name += f", now {format_day(event.due)}"
        return name


@dataclass
class Month:
    start: date
    count: int
    x: float
    width: float
    height: float
    top: float

    @property
    def end(self) -> date:
        return period_end(self.start, "month")


@dataclass
class Zoom:
    label: str
    start: date | None
    end: date | None
    current: bool = False

    @property
    def start_param(self) -> str | None:
        return self.start.isoformat() if self.start else None

    @property
    def end_param(self) -> str | None:
        return self.end.isoformat() if self.end else None


@dataclass
class Overview:
    axis: Axis
    today: date
    total: int
    marks: list[Mark] = field(default_factory=list)
    months: list[Month] = field(default_factory=list)  # instead of marks, past the limit
    lanes: int = 1
    selection: tuple[float, float] | None = None
    zooms: list[Zoom] = field(default_factory=list)

    @property
    def height(self) -> int:
        return 8 + self.lanes * LANE + AXIS

    @property
    def axis_y(self) -> int:
        return self.height - AXIS + 4

    @property
    def today_x(self) -> float:
        return self.axis.x(self.today)

    @property
    def ticks(self) -> list[dict]:
        return self.axis.ticks()

    @property
    def any_extended(self) -> bool:
        return any(mark.extended for mark in self.marks)

    @property
    def statuses(self) -> list[tuple[str, str]]:
        """The statuses drawn, for the legend: (value, label) in the model's order."""
        drawn = {mark.event.status for mark in self.marks}
        return [(value, label) for value, label in Event.Status.choices if value in drawn]


def build(
    whole,
    *,
    today: date,
    shown: set[str],
    chosen: tuple[date | None, date | None],
    months: list[tuple[date, int]] | None = None,
) -> Overview | None:
    """The overview of `whole` (the timeline's events under every filter but the date
    range); `shown`: slugs of the cards on this page, linked in place; `chosen`: the date
    range asked for, drawn as the selection; `months`: the month counts of `whole`
    (paging.month_counts) when the caller has them already. None when there is no event."""
    limit = marks_limit()
    # Two queries at most: the events and their changes (for the day each is now due), or
    # the number of events in each month (none when the caller counted them already).
    events = None
    if months is None or sum(n for _, n in months) <= limit:
        events = list(
            whole.order_by("start", "end", "title", "pk").only(
                "title", "slug", "start", "end", "precision", "status"
            )[: limit + 1]
        )
        if not events:
            return None
        if len(events) > limit:
            events, months = None, paging.month_counts(whole)
    if events is not None:
        prefetch_related_objects(events, "changes")
        first = min(e.start for e in events)
        last = max([today, *(max(e.due, e.last_day) for e in events)])
        overview = Overview(Axis(first, last), today, len(events))
        overview.marks, overview.lanes = _marks(events, overview.axis, shown)
        days = [e.start for e in events]
    else:
        first = months[0][0]
        last = max(today, period_end(months[-1][0], "month"))
        overview = Overview(Axis(first, last), today, sum(n for _, n in months))
        overview.lanes = 2
        overview.months = _months(months, overview.axis, overview.axis_y)
        days = [month for month, _ in months]
    overview.selection = _selection(chosen, overview.axis)
    overview.zooms = _zooms(overview.axis, chosen, days)
    return overview


def _marks(events: list[Event], axis: Axis, shown: set[str]) -> tuple[list[Mark], int]:
    """Each event's mark, on the first lane where its bar and label fit; when every lane
    is taken, on the least crowded one, unlabelled (its name stays in its link)."""
    lane_ends: list[float] = []
    marks = []
    for event in events:
        href = f"#event-{event.slug}" if event.slug in shown else event.get_absolute_url()
        mark = Mark(
            event,
            href,
            axis.x(event.start),
            axis.x(event.last_day),
            axis.x(max(event.due, event.last_day)),
        )
        mark.label = event.title if len(event.title) <= LABEL_CHARS else event.title[:29] + "…"
        left, right = mark.extent
        free = [i for i, end in enumerate(lane_ends) if end <= left]
        if free:
            mark.lane = free[0]
        elif len(lane_ends) < MAX_LANES:
            mark.lane = len(lane_ends)
            lane_ends.append(0)
        else:
            mark.lane, mark.label = min(range(len(lane_ends)), key=lambda i: lane_ends[i]), ""
            right = mark.x3
        lane_ends[mark.lane] = max(lane_ends[mark.lane], right + 10)
        marks.append(mark)
    return marks, max(len(lane_ends), 1)


def _months(months: list[tuple[date, int]], axis: Axis, base: int) -> list[Month]:
    """Each month a bar standing on the axis (at `base`), as tall as its events are many."""
    biggest = max(n for _, n in months)
    tall = 2 * LANE - 4
    rows = []
    for start, n in months:
        x = axis.x(start)
        width = max(axis.x(period_end(start, "month") + timedelta(days=1)) - x - 1, 1)
        height = round(max(tall * n / biggest, 2), 1)
        rows.append(Month(start, n, x, round(width, 1), height, base - height))
    return rows


def _selection(chosen, axis: Axis) -> tuple[float, float] | None:
    start, end = chosen
    if not start and not end:
        return None
    x1 = axis.x(max(start or axis.first, axis.first))
    x2 = axis.x(min(end or axis.last, axis.last))
    return (x1, round(max(x2 - x1, 2), 1)) if x2 >= x1 else None


def _zooms(axis: Axis, chosen, days: list[date]) -> list[Zoom]:
    """All, then each year and each quarter that has events (`days`, their first days):
    the date ranges one click away."""
    zooms = [Zoom("All", None, None)]
    years = sorted({day.year for day in days})
    zooms += [Zoom(str(year), date(year, 1, 1), date(year, 12, 31)) for year in years]
    if len(years) <= 3:
        for quarter in sorted({paging.containing(day, "quarter").start for day in days}):
            label = f"Q{(quarter.month - 1) // 3 + 1} {quarter.year}"
            zooms.append(Zoom(label, quarter, paging.Period("quarter", quarter).end))
    start, end = chosen
    for zoom in zooms:
        zoom.current = (zoom.start, zoom.end) == (start, end)
    return zooms
