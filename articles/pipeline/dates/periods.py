"""Calendar periods and how they are said: the spans a date mention can name (a week,
a month, a quarter, a season, a year) and their wording at a precision ("May 2025",
"Q3 2025", "summer 2025", "Sat 25 – Sun 26 Oct 2025").

Shared by the date pipeline (articles.pipeline.dates) and the pages that show dates (timeline):
one vocabulary, written once. Pure: no Django, no database.
"""

import calendar
from datetime import date, timedelta


def week_start(day: date) -> date:
    """The Monday of the day's week: weeks run Monday to Sunday (ISO 8601)."""
    return day - timedelta(days=day.weekday())


def month_span(year: int, month: int) -> tuple[date, date]:
    return date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])


def add_months(year: int, month: int, delta: int) -> tuple[int, int]:
    index = year * 12 + (month - 1) + delta
    return index // 12, index % 12 + 1


def quarter_span(year: int, quarter: int) -> tuple[date, date]:
    first, _ = month_span(year, 3 * quarter - 2)
    _, last = month_span(year, 3 * quarter)
    return first, last


def year_span(year: int) -> tuple[date, date]:
    return date(year, 1, 1), date(year, 12, 31)


def season_span(year: int, first_month: int) -> tuple[date, date]:
    """The three whole months from `first_month` of `year` (winter runs into the next)."""
    start = date(year, first_month, 1)
    end_year, end_month = add_months(year, first_month, 2)
    return start, month_span(end_year, end_month)[1]


# The names strftime's %a and %b give in the C locale, which explanations are written in
# whatever the process's locale; looked up, they cost a tenth of strftime.
WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
# And %A's and %B's, for the same reasons.
WEEKDAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
MONTH_NAMES = (
    "January", "February", "March", "April", "May", "June", "July", "August", "September",
    "October", "November", "December",
)  # fmt: skip


def month_name(d: date) -> str:
    """'October'."""
    return MONTH_NAMES[d.month - 1]


def format_day(d: date) -> str:
    """'Thu 30 Oct 2025'."""
    return f"{WEEKDAYS[d.weekday()]} {d.day} {MONTHS[d.month - 1]} {d.year}"


def format_span(start: date, end: date) -> str:
    """'Thu 30 Oct 2025', 'Sat 25 – Sun 26 Oct 2025', 'Tue 28 Oct – Sun 2 Nov 2025'."""
    if start == end:
        return format_day(start)
    if start.year != end.year:
        return f"{format_day(start)} – {format_day(end)}"
    first = f"{WEEKDAYS[start.weekday()]} {start.day}"
    if start.month != end.month:
        return f"{first} {MONTHS[start.month - 1]} – {format_day(end)}"
    return f"{first} – {format_day(end)}"


def whole_months(start: date, end: date) -> bool:
    return start.day == 1 and end == month_span(end.year, end.month)[1]


COARSE = ("month", "quarter", "season", "year")


def describe_range(start: date, end: date, precision: str) -> str:
    """Dates in words at their precision, never finer than the source gives them.

    >>> describe_range(date(2025, 5, 1), date(2025, 5, 31), "month")
    'May 2025'
    >>> describe_range(date(2025, 10, 25), date(2025, 10, 26), "day")
    'Sat 25 – Sun 26 Oct 2025'
    """
    if precision == "year" and (start.month, start.day, end.month, end.day) == (1, 1, 12, 31):
        return str(start.year) if start.year == end.year else f"{start.year} – {end.year}"
    if precision == "quarter" and whole_months(start, end) and (end.month - start.month) == 2:
        return f"Q{(start.month + 2) // 3} {start.year}"
    if precision == "season" and whole_months(start, end) and start.month in SEASON_NAMES:
        months = (end.year - start.year) * 12 + end.month - start.month
        if months == 2:
            name = SEASON_NAMES[start.month]
            if start.month == 12:
                return f"{name} {start.year}–{str(end.year)[2:]}"
            return f"{name} {start.year}"
    if precision in COARSE and whole_months(start, end):
        if (start.year, start.month) == (end.year, end.month):
            return f"{month_name(start)} {start.year}"
        first = month_name(start) if start.year == end.year else f"{month_name(start)} {start.year}"
        return f"{first} – {month_name(end)} {end.year}"
    return format_span(start, end)


def describe_period(start: date, precision: str) -> str:
    """The period of `precision` that begins at `start`, in words.

    >>> describe_period(date(2025, 10, 1), "quarter")
    'Q4 2025'
    """
    return describe_range(start, period_end(start, precision), precision)


def period_end(start: date, precision: str) -> date:
    """The last day of the period of `precision` that begins at `start`.

    >>> period_end(date(2025, 5, 1), "month")
    datetime.date(2025, 5, 31)
    """
    if precision == "week":
        return start + timedelta(days=6)
    if precision == "month":
        return month_span(start.year, start.month)[1]
    if precision == "quarter":
        return quarter_span(start.year, (start.month - 1) // 3 + 1)[1]
    if precision == "season":
        return season_span(start.year, start.month)[1]
    if precision == "year":
        return year_span(start.year)[1]
    return start


PRECISIONS = ("day", "week", "month", "quarter", "season", "year")  # finest to coarsest


SEASON_NAMES = {3: "spring", 6: "summer", 9: "autumn", 12: "winter"}
