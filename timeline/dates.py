"""Dates as readers see them: at the precision the sources support, never more.

>>> from datetime import date
>>> describe_range(date(2025, 10, 30), date(2025, 10, 30), "day")
'Thu 30 Oct 2025'
>>> describe_range(date(2025, 5, 1), date(2025, 5, 31), "month")
'May 2025'
>>> describe_range(date(2025, 10, 25), date(2025, 10, 26), "day")
'Sat 25 – Sun 26 Oct 2025'
"""

import calendar
from datetime import date

from articles.dates import format_span


def describe_range(start: date, end: date, precision: str) -> str:
    if precision == "year" and (start.month, start.day, end.month, end.day) == (1, 1, 12, 31):
        return str(start.year)
    whole_month = start.day == 1 and end == date(
        start.year, start.month, calendar.monthrange(start.year, start.month)[1]
    )
    if precision == "month" and whole_month:
        return f"{start:%B %Y}"
    if precision == "quarter" and start.day == 1:
        return f"Q{(start.month - 1) // 3 + 1} {start.year}"
    return format_span(start, end)


def describe_event(event) -> str:
    """'Thu 30 Oct 2025', 'May 2025', 'Sat 25 – Sun 26 Oct 2025'."""
    return describe_range(event.start, event.last_day, event.precision)
