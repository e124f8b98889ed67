"""Calendar rules: the year of a yearless day or month, the parts of a period, explicit days."""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from datetime import date, datetime, timedelta

import dateparser

from .patterns import MONTH_NUMBERS
from .periods import (
    month_span,
)

# --------------------------------------------------------------------------- calendar helpers


# Relative arithmetic never reaches further than this from publication ("99 years ago",
# "from December 20 to January 5" of next year...); explicit years are 1900-2099.
_REACH_YEARS = 100


class BeyondCalendar(ValueError):
    """A mention names a day before 1 January of year 1 or after 31 December 9999."""


def near_calendar_edge(published: date) -> bool:
    return not (date.min.year + _REACH_YEARS < published.year < date.max.year - _REACH_YEARS)


_CYCLE_YEARS = 400  # the Gregorian calendar repeats itself, weekdays and leap days, every 400 years
NEAR_DAYS = 92  # about three months: how far from publication a yearless date "belongs"


def in_calendar_year(year: int) -> int:
    """The year, if the calendar has it; else BeyondCalendar ("last year" in year 1)."""
    if not date.min.year <= year <= date.max.year:
        raise BeyondCalendar(f"year {year}")
    return year


def thanksgiving(year: int) -> date:
    """US Thanksgiving: the fourth Thursday of November."""
    first = date(year, 11, 1)
    return first + timedelta(days=(3 - first.weekday()) % 7 + 21)


def day_in_year(
    month: int, day: int, published: date, direction: Callable[[], str | None]
) -> date | None:
    """The year of a month-day written without one ("November 10", "Jan. 5"): yearly_day."""
    return yearly_day(lambda year: date(year, month, day), published, direction)


def yearly_day(day_of, published: date, direction: Callable[[], str | None]) -> date | None:
    """Which year's day a yearly day written without a year is ("November 10", "Christmas");
    ``day_of(year)`` is that day in a year (ValueError if it has none, like 29 February).
    ``direction()`` says which way the words point ("past", "future" or None): it is asked
    only of a day far off in every year, for it reads the sentence's tense, which is dear.

    The publication year or an adjacent one, whichever puts the day nearer to publication
    ("January 5" in a report of 20 December is next January). That only holds near
    publication: a day more than about three months away in every year follows the tense
    (past: the latest such day on or before publication; future: the first on or after),
    and with no tense it stays in the publication year ("April 2" in an October report).

    In the first or last year of the calendar the adjacent year may not exist: the choice
    is made 400 years (one whole Gregorian cycle) away, and a day that falls outside the
    calendar raises BeyondCalendar rather than become some other year's day.
    """
    if not date.min.year < published.year < date.max.year:
        shift = _CYCLE_YEARS if published.year == date.min.year else -_CYCLE_YEARS
        chosen = yearly_day(day_of, published.replace(year=published.year + shift), direction)
        if chosen is None:
            return None
        if not date.min.year <= chosen.year - shift <= date.max.year:
            raise BeyondCalendar(f"{chosen:%B} {chosen.day} of year {chosen.year - shift}")
        return chosen.replace(year=chosen.year - shift)
    options = []
    for year in (published.year, published.year - 1, published.year + 1):  # ties: pub year
        try:
            options.append(day_of(year))
        except ValueError:  # 29 February
            continue
    if not options:
        return None
    nearest = min(options, key=lambda d: abs((d - published).days))
    if abs((nearest - published).days) <= NEAR_DAYS:
        return nearest
    way = direction()
    if way in ("past", "future"):
        side = [d for d in options if (d <= published if way == "past" else d >= published)]
        if side:
            return (max if way == "past" else min)(side)
    return options[0] if options[0].year == published.year else nearest


def month_year(month: int, published: date, direction: str | None) -> int:
    """The year of a bare month: see the module docstring for the directions."""
    here = published.month
    if direction == "past":  # on or before the publication month
        return published.year if month <= here else published.year - 1
    if direction == "strict_past":
        return published.year if month < here else published.year - 1
    if direction == "future":  # on or after the publication month
        return published.year if month >= here else published.year + 1
    if direction == "strict_future":
        return published.year if month > here else published.year + 1
    if direction == "nearest":  # the occurrence nearest the publication month (ties: past)
        back, ahead = (here - month) % 12, (month - here) % 12
        direction = "past" if back <= ahead else "future"
        return month_year(month, published, direction)
    return published.year


def narrow(start: date, end: date, part: str | None, published: date, unit: str):
    """Cut a period to the part named: early/mid/late, start/end of, earlier/later."""
    if not part:
        return start, end
    part = " ".join(part.lower().split()).removeprefix("the ").removesuffix(" of")
    part = part.removesuffix(" in")  # "earlier in October" is "earlier" October
    if part == "later" and start > published:
        return start, end  # a weekend paper's "later this week" is all of the coming week
    if part in ("earlier", "later") and not start <= published <= end:
        part = "early" if part == "earlier" else "late"  # "earlier last year": its first part
    if part == "earlier":
        return start, max(start, published - timedelta(days=1))
    if part in ("later", "rest"):
        return min(published + timedelta(days=1), end), end
    which = {"early": 0, "start": 0, "beginning": 0, "mid": 1, "middle": 1, "late": 2, "end": 2}
    third = which.get(part)
    if third is None:
        return start, end
    if unit in ("year", "quarter"):  # by whole months: a year's Jan–Apr, May–Aug, Sep–Dec
        months = 4 if unit == "year" else 1
        first, _ = month_span(start.year, start.month + months * third)
        _, last = month_span(start.year, start.month + months * third + months - 1)
        return first, last
    if unit == "month":  # the 1st–10th, 11th–20th, 21st–last
        first = start + timedelta(days=10 * third)
        return first, end if third == 2 else first + timedelta(days=9)
    # a week (or a weekend): Mon–Wed, Wed–Fri, Fri–Sun
    first = start + timedelta(days=2 * third)
    return first, min(end, first + timedelta(days=2))


# --------------------------------------------------------------------------- dateparser


# The plain forms of the explicit days the patterns find: "November 10", "Nov. 10, 2025",
# "10th of November", "9 October 2025", "2025-10-09" (after blank space is made one space).
# dateparser reads each as that day, in the publication year when none is written; they are
# computed here, and anything else is left to dateparser, a day the month lacks included
# ("February 29" of a common year, which dateparser reads as the leap year's before).
_PLAIN_MONTH = (
    r"(?P<month>January|February|March|April|May|June|July|August|September|October|November"
    r"|December|(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\.?)"
)
_PLAIN_DAY = r"(?P<day>0?[1-9]|[12][0-9]|3[01])(?:st|nd|rd|th)?"
_PLAIN_YEAR = r"(?:(?: |,| ,|, | , )(?P<year>(?:19|20)[0-9]{2}))?"
_PLAIN_FORMS = (
    re.compile(rf"{_PLAIN_MONTH} {_PLAIN_DAY}{_PLAIN_YEAR}"),
    re.compile(rf"{_PLAIN_DAY} (?:of )?{_PLAIN_MONTH}{_PLAIN_YEAR}"),
    re.compile(
        r"(?P<year>(?:19|20)[0-9]{2})(?P<sep>[-/])(?P<month>0[1-9]|1[0-2])(?P=sep)"
        r"(?P<day>0[1-9]|[12][0-9]|3[01])"
    ),
)


def _plain_day(candidate: str, published: date) -> date | None:
    """The day a candidate in a plain form names, or None: not plain, or not a day."""
    for form in _PLAIN_FORMS:
        plain = form.fullmatch(candidate)
        if plain is None:
            continue
        month = plain.group("month")
        month = int(month) if month.isdigit() else month_number(month)
        year = int(plain.group("year")) if plain.group("year") else published.year
        try:
            return date(year, month, int(plain.group("day")))
        except ValueError:  # 31 September, 29 February of a common year
            return None
    return None


@functools.lru_cache(maxsize=4096)
def parse_explicit(candidate: str, published: date) -> date | None:
    """An explicit calendar date ("Oct. 9", "9 October 2025", "2025-10-09"): computed when it
    is written plainly, else via dateparser.

    A missing year comes back as the publication year; the caller then picks the nearest.
    """
    plain = _plain_day(candidate, published)
    if plain is not None:
        return plain
    parsed = dateparser.parse(
        candidate,
        languages=["en"],
        settings={
            "RELATIVE_BASE": datetime(published.year, published.month, published.day),
            "PREFER_DATES_FROM": "current_period",
            "PREFER_DAY_OF_MONTH": "first",
            "REQUIRE_PARTS": ["day", "month"],
            "RETURN_AS_TIMEZONE_AWARE": False,
        },
    )
    return parsed.date() if parsed else None


HAS_YEAR = re.compile(r"(?:19|20)\d{2}")


def explicit_day(
    candidate: str, published: date, direction: Callable[[], str | None]
) -> date | None:
    """Parse an explicit day; a day written without a year gets one from day_in_year."""
    candidate = " ".join(candidate.split())
    parsed = parse_explicit(candidate, published)
    if parsed is None or HAS_YEAR.search(candidate):
        return parsed
    return day_in_year(parsed.month, parsed.day, published, direction)


def month_number(word: str) -> int:
    return MONTH_NUMBERS[word.rstrip(".").lower()]
