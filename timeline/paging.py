"""The timeline a period at a time: whole months, a year, a quarter or a month.

A timeline that fits on one page (TRADEWATCH_TIMELINE_PAGE_EVENTS events) is shown whole.
A longer one opens on a run of whole months up to today holding as many events as a page
does (the newest month, and the months before it while they fit), so its first screen
costs about the same whatever the size of the timeline; links lead to the runs before and
after it, and an overview lists every month with its number of events. Any year, quarter or
month is one address away (?period=2025, 2025-Q4, 2025-10, 2025-08..2025-10); a period
with more events than a page holds is shown a page at a time. What a page costs depends on
the page, never on the size of the timeline: the overview is one grouped query, the page's
events one bounded query and its prefetches.
"""

import re
from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.db.models import Count
from django.db.models.functions import TruncMonth

from articles.pipeline.dates.periods import period_end

MONTH = r"(?P<{}>\d{{4}}-(?:0[1-9]|1[0-2]))"
PERIOD = re.compile(
    r"^(?:(?P<year>\d{4})(?:-Q(?P<quarter>[1-4]))?|"
    + MONTH.format("first")
    + r"(?:\.\."
    + MONTH.format("last")
    + r")?)$"
)
QUARTER_NAMES = {1: "January–March", 2: "April–June", 3: "July–September", 4: "October–December"}
SHOWN_AS = {
    "year": "a year at a time",
    "quarter": "a quarter at a time",
    "month": "a month at a time",
    "months": "a few months at a time",
}


def page_size() -> int:
    return settings.TRADEWATCH_TIMELINE_PAGE_EVENTS


@dataclass(frozen=True)
class Period:
    kind: str  # "year", "quarter", "month", or "months" (a run of whole months)
    start: date
    last_month: date | None = None  # the run's last month (its first day), for "months"

    @property
    def end(self) -> date:
        if self.kind == "months":
            return period_end(self.last_month, "month")
        if self.kind == "quarter":
            return period_end(self.start.replace(month=self.start.month + 2), "month")
        return period_end(self.start, self.kind)

    @property
    def slug(self) -> str:
        if self.kind == "year":
            return f"{self.start.year}"
        if self.kind == "quarter":
            return f"{self.start.year}-Q{(self.start.month - 1) // 3 + 1}"
        if self.kind == "months":
            return f"{self.start:%Y-%m}..{self.last_month:%Y-%m}"
        return f"{self.start:%Y-%m}"

    @property
    def label(self) -> str:
        if self.kind == "year":
            return f"{self.start.year}"
        if self.kind == "quarter":
            quarter = (self.start.month - 1) // 3 + 1
            return f"{QUARTER_NAMES[quarter]} {self.start.year}"
        if self.kind == "months":
            if self.start.year == self.last_month.year:
                return f"{self.start:%B} – {self.last_month:%B %Y}"
            return f"{self.start:%B %Y} – {self.last_month:%B %Y}"
        return f"{self.start:%B %Y}"

    @property
    def shown_as(self) -> str:
        return SHOWN_AS[self.kind]

    def contains(self, day: date) -> bool:
        return self.start <= day <= self.end

    def __str__(self):
        return self.slug


def containing(day: date, kind: str) -> Period:
    if kind == "year":
        return Period(kind, date(day.year, 1, 1))
    if kind == "quarter":
        return Period(kind, date(day.year, (day.month - 1) // 3 * 3 + 1, 1))
    return Period("month", day.replace(day=1))


def months_from(first: date, last: date) -> Period:
    return Period("month", first) if first == last else Period("months", first, last)


def parse(value: str) -> Period:
    """'2025', '2025-Q4', '2025-10' or '2025-08..2025-10'; ValueError with a reader's
    message otherwise."""
    found = PERIOD.match(value.strip())
    if not found:
        raise not_a_period(value)
    if found["first"]:
        first = date.fromisoformat(found["first"] + "-01")
        last = date.fromisoformat(found["last"] + "-01") if found["last"] else first
        if last < first or first.year < 1:
            raise not_a_period(value)
        return months_from(first, last)
    year = int(found["year"])
    if year < 1:
        raise not_a_period(value)
    if found["quarter"]:
        return Period("quarter", date(year, (int(found["quarter"]) - 1) * 3 + 1, 1))
    return Period("year", date(year, 1, 1))


def not_a_period(value: str) -> ValueError:
    return ValueError(
        f"“{value[:40]}” is not a period; use a year (2025), a quarter (2025-Q4), a month "
        "(2025-10) or months (2025-08..2025-10)."
    )


def month_counts(events) -> list[tuple[date, int]]:
    """Every month with events among `events` (a filtered queryset), in order, with how
    many start in it: one grouped query."""
    rows = (
        events.model.objects.filter(pk__in=events.order_by().values("pk"))
        .annotate(month=TruncMonth("start"))
        .values("month")
        .annotate(n=Count("pk"))
        .order_by("month")
    )
    return [(row["month"], row["n"]) for row in rows]


def count_in(months: list[tuple[date, int]], period: Period) -> int:
    return sum(n for month, n in months if period.contains(month))


def run(months, index: int, step: int) -> Period:
    """Whole months from months[index] on, going back (step -1) or forward (+1), while
    they fit on a page; always at least that one month."""
    total, far = months[index][1], index
    while 0 <= far + step < len(months) and total + months[far + step][1] <= page_size():
        far += step
        total += months[far][1]
    first, last = sorted((months[index][0], months[far][0]))
    return months_from(first, last)


def opening(months: list[tuple[date, int]], today: date) -> Period | None:
    """The period a long timeline opens on: the newest month with events up to today (or
    the first, when all lie ahead) and the months before it that fit on the page. None
    when the whole timeline fits."""
    if sum(n for _, n in months) <= page_size():
        return None
    past = [i for i, (month, _) in enumerate(months) if month <= today]
    return run(months, past[-1] if past else 0, -1)


def chosen(value: str, months, today: date) -> tuple[Period | None, str]:
    """The period asked for (?period=2025-Q4), or the one a long timeline opens on; with a
    note when the one asked for was not understood."""
    if value:
        try:
            return parse(value), ""
        except ValueError as error:
            return opening(months, today), str(error)
    return opening(months, today), ""


def neighbours(months, period: Period) -> tuple[Period | None, Period | None]:
    """The periods just before and after, that have events: of the same kind, or for a
    run of months, the runs that fit on a page."""
    before = [i for i, (m, _) in enumerate(months) if m < period.start]
    after = [i for i, (m, _) in enumerate(months) if m > period.end]
    if period.kind == "months":
        return (
            run(months, before[-1], -1) if before else None,
            run(months, after[0], +1) if after else None,
        )
    return (
        containing(months[before[-1]][0], period.kind) if before else None,
        containing(months[after[0]][0], period.kind) if after else None,
    )


@dataclass
class Overview:
    """The years and months of the timeline, each with its events, for the navigation."""

    years: list  # [(Period, count, [(Period, count), ...]), ...]
    biggest: int

    @classmethod
    def of(cls, months):
        years = {}
        for month, n in months:
            years.setdefault(month.year, []).append((Period("month", month), n))
        rows = [
            (Period("year", date(year, 1, 1)), sum(n for _, n in cells), cells)
            for year, cells in years.items()
        ]
        return cls(rows, max((n for _, n in months), default=0))
