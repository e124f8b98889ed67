"""Charts drawn on the server as inline SVG: the tariff levels over time (/tariffs/).

The tariff chart has one panel per imposer and, in each, one series per basis: an
additional duty, a total and an average rate measure different things, so they are never
joined by one line (nor is a rate whose basis the source does not state joined to
anything). In-force levels form a step line (a level holds until the next point);
threatened levels are a dashed line of their own. Several sources giving one level on one
day make one point; sources that disagree make one point each. The geometry is worked out
here, in SVG user units, at two sizes (a wide screen's and a phone's), so the template
only places it; the points come from the read rule in timeline/tariffs.py.
"""

import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from django.core.paginator import Paginator
from django.shortcuts import render

from articles.pipeline.dates.periods import PRECISIONS, describe_period, period_end

from .models import TariffPoint
from .paging import containing
from .tariffs import LEVELS, THREATS, Reading, percent, readings

# Rows of the table under the chart per page: the chart draws every point, the table
# lists its sources a page at a time, so the page's HTML stays the same size however many
# reports give rates.
TABLE_ROWS = 100


def tariffs(request):
    """The duty rates each side imposes, by basis, with every point linked to its quote,
    and a table of the same data a page at a time (?page=N). Two queries, whatever the
    number of points."""
    chart = build_chart(TariffPoint.objects.drawn())
    table = Paginator(chart.rows, TABLE_ROWS).get_page(request.GET.get("page"))
    return render(request, "timeline/tariffs.html", {"chart": chart, "table": table})


# --- The chart --------------------------------------------------------------------------

PANEL_TITLES = {"US": "US duties on Chinese goods", "China": "China’s duties on US goods"}
PANEL_ORDER = ["US", "China"]
BASIS_ORDER = [choice.value for choice in TariffPoint.Basis]
# One marker shape per basis, so that no series is told apart by its colour alone.
SHAPES = {
    "additional": "circle",
    "total": "square",
    "average": "diamond",
    "reciprocal": "triangle",
    "fentanyl": "triangle-down",
    "section_301": "cross",
    "": "ring",
}


@dataclass(frozen=True)
class Frame:
    """A chart's drawing area in SVG user units."""

    width: int
    height: int
    left: int = 46
    right: int = 14
    top: int = 14
    bottom: int = 34
    y_ticks: int = 6  # at most

    @property
    def plot_width(self) -> int:
        return self.width - self.left - self.right

    @property
    def plot_height(self) -> int:
        return self.height - self.top - self.bottom

    @property
    def right_edge(self) -> int:
        return self.width - self.right

    @property
    def baseline(self) -> int:
        return self.height - self.bottom

    @property
    def label_line(self) -> int:
        return self.height - self.bottom + 18


WIDE = Frame(560, 320)
NARROW = Frame(360, 300, left=40, right=10, y_ticks=5)
LABEL_GAP = 58  # SVG units between two month labels ("Apr 2025" is about 50)
# Marks closer than this in SVG units are hard to tell apart (a marker is 9 across). A series
# with more marks than its panel's width allows is drawn a month to a mark, else a quarter,
# else a year, instead of a day: the chart's size is bounded by its width, not by the
# number of days the reports name; the table keeps each source's own date.
MARK_GAP = 6
FOLDS = ("month", "quarter", "year")


@dataclass
class Mark:
    """One point of the chart: one level on one day, from one or more sources."""

    day: date
    precision: str
    value: Decimal
    status: str
    sources: list[Reading]
    disputed: bool = False
    x: float = 0
    y: float = 0
    x_end: float = 0  # where the period of a date vaguer than a day ends
    glyph: str = ""  # the SVG path of its marker

    @property
    def first(self) -> Reading:
        return self.sources[0]

    @property
    def href(self) -> str:
        return self.first.url

    @property
    def status_label(self) -> str:
        return TariffPoint.Status(self.status).label

    @property
    def rate(self) -> str:
        return percent(self.value)

    @property
    def when(self) -> str:
        return describe_period(self.day, self.precision)

    @property
    def tooltip(self) -> str:
        outlets = ", ".join(dict.fromkeys(r.outlet for r in self.sources))
        line = f"{self.rate}, {self.status_label}, {self.when} · {outlets}"
        if len(self.sources) > 1:
            line += f" ({len(self.sources)} sources)"
        if self.disputed:
            line += " · sources disagree on this day"
        return line

    @property
    def vague(self) -> bool:
        return self.x_end - self.x > 1


@dataclass
class Series:
    imposed_by: str
    basis: str
    marks: list[Mark] = field(default_factory=list)
    line: str = ""  # SVG path of the in-force step line
    threat: str = ""  # SVG path of the dashed threatened level
    folded: str = ""  # "month", "quarter", "year": one mark per that, not per day

    @property
    def label(self) -> str:
        return TariffPoint.Basis(self.basis).label

    @property
    def css(self) -> str:
        return f"basis-{self.basis or 'unstated'}"

    @property
    def shape(self) -> str:
        return SHAPES[self.basis]

    @property
    def key_glyph(self) -> str:
        """The marker in the legend's key (a 40 × 14 box)."""
        return glyph(self.shape, 20, 7, 4)

    @property
    def has_threats(self) -> bool:
        return any(m.status in THREATS for m in self.marks)

    @property
    def has_levels(self) -> bool:
        return any(m.status not in THREATS for m in self.marks)

    @property
    def joined(self) -> bool:
        return bool(self.basis)


@dataclass
class Tick:
    position: float
    label: str


@dataclass
class Panel:
    imposed_by: str
    series: list[Series]
    x_ticks: list[Tick]
    y_ticks: list[Tick]
    frame: Frame

    @property
    def title(self) -> str:
        return PANEL_TITLES[self.imposed_by]

    @property
    def folded(self) -> str:
        """The coarsest period a series of the panel is drawn a mark to ("" for a day)."""
        folds = [s.folded for s in self.series if s.folded]
        return max(folds, key=FOLDS.index, default="")

    @property
    def drawing_order(self) -> list[Series]:
        """The series bottom to top: the named bases over the unstated one, the additional
        duty (the headline rate) on top."""
        return list(reversed(self.series))

    @property
    def summary(self) -> str:
        """What the chart shows, in words, for its accessible name."""
        parts = []
        for series in self.series:
            said = []
            levels = [m.rate for m in series.marks if m.status == TariffPoint.Status.IN_FORCE]
            if levels:
                steps = [rate for i, rate in enumerate(levels) if i == 0 or rate != levels[i - 1]]
                said.append("in force " + " → ".join(steps))
            threats = [m.rate for m in series.marks if m.status == TariffPoint.Status.THREATENED]
            if threats:
                said.append("threatened " + ", ".join(dict.fromkeys(threats)))
            parts.append(f"{series.label}: {'; '.join(said) or 'no level in force or threatened'}")
        return f"{self.title}, by basis. " + ". ".join(parts) + ". Every point is in the table."


@dataclass
class Chart:
    wide: list[Panel]
    narrow: list[Panel]
    rows: list[Reading]  # the table: every source, in the chart's order

    @property
    def empty(self) -> bool:
        return not self.rows

    @property
    def layouts(self) -> list[tuple[str, list[Panel]]]:
        """The panels at each size; the page shows the one that fits the screen."""
        return [("wide", self.wide), ("narrow", self.narrow)]


def build_chart(points) -> Chart:
    """The chart of the drawn points (the queryset TariffPoint.objects.drawn()), at two
    sizes, and the table of every source behind it."""
    rows = readings(points)
    rows.sort(
        key=lambda r: (
            PANEL_ORDER.index(r.panel_key),
            BASIS_ORDER.index(r.point.basis),
            r.day,
            r.point.value,
            r.published,
            r.outlet,
            r.point.pk,
        )
    )
    if not rows:
        return Chart([], [], [])
    first = min(r.day for r in rows).replace(day=1)
    last = _next_month(max(r.day for r in rows))
    top = max(r.point.value for r in rows)
    return Chart(
        wide=_panels(rows, WIDE, first, last, top),
        narrow=_panels(rows, NARROW, first, last, top),
        rows=rows,
    )


def _panels(rows, frame: Frame, first: date, last: date, top: Decimal) -> list[Panel]:
    step, high = _y_scale(top, frame.y_ticks)
    span = (last - first).days or 1

    def x(day: date) -> float:
        return round(frame.left + frame.plot_width * (day - first).days / span, 1)

    def y(value) -> float:
        return round(frame.top + frame.plot_height * (1 - float(value) / high), 1)

    months = []
    month = first
    while month <= last:
        months.append(month)
        month = _next_month(month)
    # Labels at least LABEL_GAP apart: every month, or every second, third…; past a year
    # between labels, the years instead, at their Januaries. A month line is drawn where a
    # label is (and at the last, which closes the last month): over years, a line a month
    # would grey the whole plot.
    every = max(1, -(-LABEL_GAP * (len(months) - 1) // frame.plot_width))
    x_ticks, year = [], None
    for i, m in enumerate(months):
        if m == last:
            x_ticks.append(Tick(x(m), ""))
        elif every >= 12:
            if m.month == 1 and (m.year - first.year) % -(-every // 12) == 0:
                x_ticks.append(Tick(x(m), str(m.year)))
        elif i % every == 0:
            x_ticks.append(Tick(x(m), _month_label(m, m.year != year)))
            year = m.year
    y_ticks = [Tick(y(v), f"{v}%") for v in range(0, high + 1, step)]

    by_series = defaultdict(list)
    for reading in rows:
        by_series[reading.series_key].append(reading)
    panels = []
    for imposed_by in PANEL_ORDER:
        series = []
        for basis in BASIS_ORDER:
            found = by_series.get((imposed_by, basis))
            if not found:
                continue
            marks, folded = _marks(found, limit=frame.plot_width // MARK_GAP)
            one = Series(imposed_by, basis, marks=marks, folded=folded)
            for mark in one.marks:
                mark.x, mark.y = x(mark.day), y(mark.value)
                end = min(period_end(mark.day, mark.precision) + timedelta(days=1), last)
                mark.x_end = x(end)
                mark.glyph = glyph(one.shape, mark.x, mark.y)
            if basis:  # a rate of unstated basis may be any kind: joined to none
                one.line = _step_line(one.marks, LEVELS)
                one.threat = _step_line(one.marks, THREATS)
            series.append(one)
        if series:
            panels.append(Panel(imposed_by, series, x_ticks, y_ticks, frame))
    return panels


def _marks(readings_: list[Reading], limit: int | None = None) -> tuple[list[Mark], str]:
    """One mark per level, status and day; the sources that give it, earliest report first.
    Marks of one day and status that differ in level are flagged as disputed.

    Past `limit` marks, one per level, status and month instead (or quarter, or year: the
    finest that fits); a level that changed within a month is then no dispute. Returns the
    marks and the period they were folded to ("" for none)."""
    marks, folded = _grouped(readings_, ""), ""
    for fold in FOLDS:
        if limit is None or len(marks) <= limit:
            break
        marks, folded = _grouped(readings_, fold), fold
    if not folded:
        levels = Counter((m.day, m.status) for m in marks)
        for mark in marks:
            mark.disputed = levels[mark.day, mark.status] > 1
    return marks, folded


def _grouped(readings_: list[Reading], fold: str) -> list[Mark]:
    grouped: dict[tuple, list[Reading]] = {}
    for r in readings_:
        day, precision = r.day, r.precision
        if fold and PRECISIONS.index(fold) > PRECISIONS.index(precision):
            day, precision = containing(day, fold).start, fold
        key = (day, precision, r.point.status, r.point.value)
        grouped.setdefault(key, []).append(r)
    marks = []
    for (day, precision, status, value), sources in grouped.items():
        sources.sort(key=lambda r: (r.published, r.outlet, r.point.pk))
        marks.append(Mark(day, precision, value, status, sources))
    marks.sort(key=lambda m: (m.day, m.status != TariffPoint.Status.CUT, m.value))
    return marks


def _step_line(marks: list[Mark], statuses) -> str:
    """The SVG path of a step line through the marks of these statuses: each level holds
    until the next day's, and the line ends at the last day a source speaks of (what came
    after, no source here says). On a day whose sources disagree the line takes the level
    most sources give (then the latest report's); the other levels stay marks off the
    line. A cut (or a threat called off) of the level the line holds ends the line there;
    a cut of another level ends it at its last point, since the level it held changed
    on a day no source gives."""
    days: dict[date, list[Mark]] = defaultdict(list)
    for mark in marks:
        if mark.status in statuses:
            days[mark.day].append(mark)
    path, level = [], None
    for day in sorted(days):
        today_ = days[day]
        holding = [m for m in today_ if m.status == statuses[0]]
        if not holding:
            ended = [m for m in today_ if level is not None and m.value == level.value]
            if ended:
                path.append(f"H{ended[0].x}")
            level = None
            continue
        new = max(
            holding,
            key=lambda m: (len(m.sources), max(r.published for r in m.sources)),
        )
        if level is None:
            path.append(f"M{new.x} {new.y}")
        else:
            path.append(f"H{new.x}V{new.y}")
        level = new
    text = "".join(path)
    # A single move draws nothing.
    return text if re.search(r"[HV]", text) else ""


def glyph(shape: str, x: float, y: float, r: float = 4.5) -> str:
    """The SVG path of a marker of this shape centred on (x, y).

    >>> glyph("square", 10, 10, 2)
    'M8.2 8.2h3.6v3.6h-3.6Z'
    """

    def n(v: float) -> str:
        return f"{round(v, 1):g}"

    if shape == "square":
        s = r * 0.9
        return f"M{n(x - s)} {n(y - s)}h{n(2 * s)}v{n(2 * s)}h{n(-2 * s)}Z"
    if shape == "diamond":
        d = r * 1.3
        return f"M{n(x)} {n(y - d)}L{n(x + d)} {n(y)}L{n(x)} {n(y + d)}L{n(x - d)} {n(y)}Z"
    if shape in ("triangle", "triangle-down"):
        d = r * 1.3 if shape == "triangle" else -r * 1.3
        base = n(y + d * 0.7)
        return f"M{n(x)} {n(y - d)}L{n(x + r * 1.2)} {base}L{n(x - r * 1.2)} {base}Z"
    if shape == "cross":
        top, bottom, left, right = n(y - r), n(y + r), n(x - r), n(x + r)
        return f"M{left} {top}L{right} {bottom}M{right} {top}L{left} {bottom}"
    # A circle (and a ring, drawn hollow by its class): two arcs.
    return f"M{n(x - r)} {n(y)}a{n(r)} {n(r)} 0 1 0 {n(2 * r)} 0a{n(r)} {n(r)} 0 1 0 {n(-2 * r)} 0Z"


def _y_scale(top: Decimal, most: int) -> tuple[int, int]:
    """The % axis: a round step and a top at or above the highest value.

    >>> _y_scale(Decimal(145), 6), _y_scale(Decimal(12), 6), _y_scale(Decimal(0), 5)
    ((25, 150), (2, 12), (1, 1))
    """
    for step in (1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500):
        high = max(step, -(-int(top.to_integral_value(rounding="ROUND_CEILING")) // step) * step)
        if high // step <= most:
            return step, high
    return 1000, max(1000, int(top))


def _next_month(day: date) -> date:
    return date(day.year + day.month // 12, day.month % 12 + 1, 1)


def _month_label(month: date, new_year: bool) -> str:
    """'Apr 2025' on the first label of a year, 'May' on the others."""
    return f"{month:%b %Y}" if new_year else f"{month:%b}"
