"""One matcher per kind of expression: a regex match in a sentence → a resolved DateMatch.

Split by kind of expression; ``MATCHERS`` below is the table ``finding`` runs, in its order:

* ``calendar``: explicit calendar dates and ranges: ISO dates, explicit days, day ranges,
  month ranges, bare months, months of a year, years and year ranges.
* ``relative``: dates read against the publication day: weekdays and weekday pairs, "Friday
  week", weekends, this/next/last week, month, quarter or year, "ago", "in N days' time",
  lengths counted from a day ("two weeks from Monday", "two days before the Nov. 10
  deadline"), "the day after", today/yesterday/tomorrow, and "the week of".
* ``year_parts``: parts of the year: quarters, halves, the first/last N months, weeks of a
  month, holidays and seasons.
* ``common``: what they share: ``_hit``, ``_norm``, the word before a mention, and which way
  a yearless day or a bare month points.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from ..match import DateMatch
from ..patterns import (
    AGO,
    BARE_MONTH,
    COMPOUND,
    COMPOUND_DATE,
    DASH_RANGE,
    DAY_AFTER,
    DAY_RANGE,
    DEICTIC_DAY,
    EXPLICIT_DAY,
    FIRST_MONTHS,
    HALF,
    HOLIDAY,
    IN_TIME,
    ISO_DATE,
    MONTH_YEAR,
    ORDINAL_QUARTER,
    Q_QUARTER,
    RANGE,
    RELATIVE_PERIOD,
    SEASON,
    WEEK_OF,
    WEEK_OF_MONTH,
    WEEKDAY,
    WEEKDAY_PAIR,
    WEEKDAY_WEEK,
    WEEKEND,
    YEAR,
    YEAR_RANGE,
)
from ..tense import Sentence
from .calendar import (
    _match_bare_month,
    _match_day_range,
    _match_explicit_day,
    _match_iso,
    _match_month_year,
    _match_range,
    _match_year,
    _match_year_range,
)
from .relative import (
    _match_ago,
    _match_compound,
    _match_compound_date,
    _match_day_after,
    _match_deictic_day,
    _match_in_time,
    _match_relative_period,
    _match_week_of,
    _match_weekday,
    _match_weekday_pair,
    _match_weekday_week,
    _match_weekend,
)
from .year_parts import (
    _match_first_months,
    _match_half,
    _match_holiday,
    _match_ordinal_quarter,
    _match_q_quarter,
    _match_season,
    _match_week_of_month,
)

# --------------------------------------------------------------------------- matchers
# Each matcher turns one regex match into a DateMatch, or None when the context says it is no
# date. find_dates runs them all and keeps the longest non-overlapping matches.

MATCHERS: tuple[tuple[re.Pattern, Callable[[re.Match, Sentence], DateMatch | None]], ...] = (
    (RANGE, _match_range),
    (DASH_RANGE, _match_range),
    (DAY_RANGE, _match_day_range),
    (ISO_DATE, _match_iso),
    (EXPLICIT_DAY, _match_explicit_day),
    (MONTH_YEAR, _match_month_year),
    (BARE_MONTH, _match_bare_month),
    (YEAR, _match_year),
    (YEAR_RANGE, _match_year_range),
    (WEEK_OF, _match_week_of),
    (ORDINAL_QUARTER, _match_ordinal_quarter),
    (Q_QUARTER, _match_q_quarter),
    (HALF, _match_half),
    (WEEKEND, _match_weekend),
    (RELATIVE_PERIOD, _match_relative_period),
    (WEEKDAY, _match_weekday),
    (AGO, _match_ago),
    (DEICTIC_DAY, _match_deictic_day),
    (COMPOUND, _match_compound),
    (SEASON, _match_season),
    (WEEKDAY_WEEK, _match_weekday_week),
    (DAY_AFTER, _match_day_after),
    (COMPOUND_DATE, _match_compound_date),
    (IN_TIME, _match_in_time),
    (FIRST_MONTHS, _match_first_months),
    (WEEK_OF_MONTH, _match_week_of_month),
    (WEEKDAY_PAIR, _match_weekday_pair),
    (HOLIDAY, _match_holiday),
)
