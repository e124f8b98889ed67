"""Explicit calendar dates and their ranges: ISO dates, days ("Oct. 9", "Nov. 10 of this year"),
day ranges ("May 12-14"), month ranges ("from May 12 to August 12", "between April and June"),
bare months ("since April"), months of a year ("May of last year"), years ("in 2024") and year
ranges ("2026 through 2028")."""

from __future__ import annotations

import re
from datetime import date

from ..match import DateMatch
from ..patterns import _DAY_NUMBER, _MONTH, _YEAR, AMBIGUOUS_MONTHS, CHANGE_REACH, CHANGE_VERB
from ..periods import PRECISIONS, month_span, year_span
from ..rules import (
    HAS_YEAR,
    BeyondCalendar,
    day_in_year,
    explicit_day,
    in_calendar_year,
    month_number,
    month_year,
    narrow,
    parse_explicit,
)
from ..tense import Sentence
from .common import _bare_month_direction, _day_direction, _hit, _norm, _previous_word


def _match_iso(m: re.Match, s: Sentence) -> DateMatch | None:
    day = parse_explicit(m.group().replace("/", "-"), s.published)
    return _hit(m, day, day, "day", "absolute") if day else None


_YEAR_STEP = {"this": 0, "last": -1, "next": 1}


def _match_explicit_day(m: re.Match, s: Sentence) -> DateMatch | None:
    day = explicit_day(m.group("d"), s.published, _day_direction(m.group("prep"), s, m))
    if day and m.group("which") and not HAS_YEAR.search(m.group("d")):  # "Nov. 10 of this year"
        year = in_calendar_year(s.published.year + _YEAR_STEP[_norm(m.group("which"))])
        try:
            day = day.replace(year=year)
        except ValueError:  # 29 February
            return None
    return _hit(m, day, day, "day", "absolute") if day else None


def _match_day_range(m: re.Match, s: Sentence) -> DateMatch | None:
    month = month_number(m.group("mon") or m.group("monb"))
    d1 = int(re.match(r"\d+", m.group("d1") or m.group("d1b")).group())
    d2 = int(re.match(r"\d+", m.group("d2") or m.group("d2b")).group())
    if d2 <= d1:
        return None
    try:
        if m.group("year"):
            first = date(int(m.group("year")), month, d1)
        else:
            first = day_in_year(month, d1, s.published, _day_direction(None, s, m))
        last = first.replace(day=d2)
    except BeyondCalendar:
        raise
    except (ValueError, AttributeError):
        return None
    return _hit(m, first, last, "day", "absolute")


def _atom(fragment: str, s: Sentence, direction: str | None):
    """One end of a range: (start, end, precision, year_written) or None."""
    fragment = " ".join(fragment.split())
    if re.fullmatch(_YEAR, fragment):
        return (*year_span(int(fragment)), "year", True)
    month_only = re.fullmatch(rf"({_MONTH})\s*,?\s*(?:of\s+)?({_YEAR})?", fragment)
    if month_only:
        month = month_number(month_only.group(1))
        year = month_only.group(2)
        year = int(year) if year else month_year(month, s.published, direction)
        return (*month_span(year, month), "month", bool(month_only.group(2)))
    day = explicit_day(fragment, s.published, lambda: direction)
    if day is None:
        return None
    return day, day, "day", bool(HAS_YEAR.search(fragment))


def _shift_year(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def _match_range(m: re.Match, s: Sentence) -> DateMatch | None:
    if CHANGE_VERB.search(s.text, max(0, m.start() - CHANGE_REACH), m.start()):
        return None  # "extended from August 12 to November 10": two dates, found one by one
    a = _atom(m.group("a"), s, _bare_month_direction("from", s, m))
    if a is None:
        return None
    b_text = m.group("b")
    if re.fullmatch(_DAY_NUMBER, b_text):  # "from May 12 to 14": the day borrows month and year
        if a[2] != "day":
            return None
        try:
            day = a[0].replace(day=int(re.match(r"\d+", b_text).group()))
        except ValueError:
            return None
        b = (day, day, "day", a[3])
    else:
        b = _atom(b_text, s, None)
        if b is None:
            return None
    (a_start, a_end, a_prec, a_year), (b_start, b_end, b_prec, b_year) = a, b
    # A year written on one end only carries over to the other ("from May 12 to August 12,
    # 2024"); an end before the start is in the following year ("from December 20 to January 5").
    if b_year and not a_year and a_prec != "year":
        shift = b_start.year - a_start.year
        a_start, a_end = _shift_year(a_start, shift), _shift_year(a_end, shift)
        if a_start > b_start:
            a_start, a_end = _shift_year(a_start, -1), _shift_year(a_end, -1)
    elif not b_year and b_prec != "year":
        shift = a_start.year - b_start.year
        b_start, b_end = _shift_year(b_start, shift), _shift_year(b_end, shift)
        if b_end < a_start:
            b_start, b_end = _shift_year(b_start, 1), _shift_year(b_end, 1)
    precision = max(a_prec, b_prec, key=PRECISIONS.index)
    return _hit(m, a_start, b_end, precision, "absolute")


def _month_context_ok(m: re.Match, s: Sentence) -> bool:
    """Whether a bare month name is a month here, not "may"/"March" or someone's name."""
    if m.group("prep") or m.group("part") or m.group("mon") not in AMBIGUOUS_MONTHS:
        return True
    previous_word = _previous_word(s.text, m.start())
    if m.group("poss"):  # "May's truce", unless a name comes first ("Theresa May's")
        opens = _NOT_OPENING.search(s.text, 0, m.start()) is None  # only quotes before it
        return not previous_word[:1].isupper() or opens
    if previous_word.lower() == "of":  # "the truce of May"
        return True
    # "the May truce": a determiner before, a lowercase word after.
    follows = _LOWERCASE_NEXT.match(s.text, m.end())
    return previous_word.lower() == "the" and follows is not None


_NOT_OPENING = re.compile(r"[^ “\"']")
_LOWERCASE_NEXT = re.compile(r"\s+[a-z]")


def _match_bare_month(m: re.Match, s: Sentence) -> DateMatch | None:
    if not _month_context_ok(m, s):
        return None
    month = month_number(m.group("mon"))
    year = month_year(month, s.published, _bare_month_direction(m.group("prep"), s, m, month))
    start, end = narrow(*month_span(year, month), m.group("part"), s.published, "month")
    relative = _norm(m.group("prep")) in ("last", "next", "coming", "this past", "this coming")
    return _hit(m, start, end, "month", "relative" if relative else "absolute")


def _match_month_year(m: re.Match, s: Sentence) -> DateMatch | None:
    if m.group("year"):
        year = int(m.group("year"))
    else:  # "May of last year" (but not "Theresa May last year")
        if not (m.group("prep") or m.group("part")) and m.group("mon") in AMBIGUOUS_MONTHS:
            if _previous_word(s.text, m.start())[:1].isupper():
                return None
        year = in_calendar_year(s.published.year + _YEAR_STEP[_norm(m.group("which"))])
    span = month_span(year, month_number(m.group("mon")))
    start, end = narrow(*span, m.group("part"), s.published, "month")
    return _hit(m, start, end, "month", "absolute")


def _match_year(m: re.Match, s: Sentence) -> DateMatch | None:
    if not (m.group("prep") or m.group("part")):
        return None  # a bare number like 2025 may be anything: "2025 models"
    start, end = narrow(*year_span(int(m.group("year"))), m.group("part"), s.published, "year")
    return _hit(m, start, end, "year", "absolute")


_MAX_YEAR_RANGE = 20  # "2026 through 2028"; "1990-2025" is a period of history, not a date


def _match_year_range(m: re.Match, s: Sentence) -> DateMatch | None:
    """ "2026 through 2028", "2026-2028": whole years, the first to the last."""
    a, b = int(m.group("a")), int(m.group("b"))
    if not a < b <= a + _MAX_YEAR_RANGE:
        return None
    return _hit(m, year_span(a)[0], year_span(b)[1], "year", "absolute")
