"""Parts of a year: quarters ("the third quarter", "Q3"), halves ("the first half", "H2"),
"the first six months", weeks of a month ("the third week of November"), holidays (Christmas,
New Year's, Thanksgiving) and seasons ("last summer")."""

from __future__ import annotations

import re
from datetime import date, timedelta

from ..match import DateMatch
from ..patterns import HOLIDAYS, SEASON_MONTHS, SMALL_NUMBERS
from ..periods import month_span, season_span
from ..rules import in_calendar_year, month_number, month_year, narrow, thanksgiving, yearly_day
from ..tense import Sentence
from .common import _bare_month_direction, _day_direction, _hit, _norm, _previous_word


def _match_ordinal_quarter(m: re.Match, s: Sentence) -> DateMatch | None:
    ordinal = m.group("ord").lower()
    has_of = m.group("year") or m.group("which")
    if ordinal == "last" and not has_of:
        return None  # "last quarter" is the previous quarter: the relative matcher's
    if ordinal == "final" and not (has_of or m.group("the")):
        return None
    quarter = {"first": 1, "1st": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3}.get(ordinal, 4)
    return _quarter_hit(m, s, quarter, m.group("year"), m.group("which"))


def _match_q_quarter(m: re.Match, s: Sentence) -> DateMatch | None:
    quarter = int(m.group("q") or m.group("q2"))
    return _quarter_hit(m, s, quarter, m.group("year") or m.group("year2"), None)


def _year_part(
    m: re.Match, s: Sentence, first_month: int, last_month: int, year: str | None, which: str | None
) -> tuple[date, date]:
    """Months first_month..last_month of a year: the year written, else the publication year
    (last/next year: the one before/after), moved a year by a clear tense when that part of
    the year (no year, or "of the year") lies on the wrong side of publication."""
    pub = s.published
    if year:
        base = int(year)
    else:
        base = pub.year + {"last": -1, "next": 1}.get(_norm(which), 0)
        tense = s.tense(m.start(), m.end()) if _norm(which) in ("", "the") else None
        if tense == "future" and month_span(base, last_month)[1] < pub:
            base += 1  # "expected in the first quarter", written in December
        elif tense == "past" and date(base, first_month, 1) > pub:
            base -= 1  # "grew in the fourth quarter", written in January
    return month_span(base, first_month)[0], month_span(base, last_month)[1]


def _quarter_hit(m, s: Sentence, quarter: int, year: str | None, which: str | None):
    start, end = _year_part(m, s, 3 * quarter - 2, 3 * quarter, year, which)
    return _hit(m, start, end, "quarter", "absolute")


def _match_half(m: re.Match, s: Sentence) -> DateMatch | None:
    """A half-year, at "year" precision (there is no finer one that fits)."""
    ordinal = m.group("ord") or m.group("ord2")
    half = int(m.group("h")) if m.group("h") else (1 if ordinal[0] in "f1F" else 2)
    year = m.group("year") or m.group("hyear")
    step = {"last": -1, "next": 1}.get(_norm(m.group("which")), 0)
    first, last = _year_part(m, s, 6 * half - 5, 6 * half, year, m.group("which"))
    return _hit(m, first, last, "year", "absolute" if year or not step else "relative")


def _match_first_months(m: re.Match, s: Sentence) -> DateMatch | None:
    """ "the first six months of the year" (a half-year), "the last three months of 2024"."""
    word = m.group("n").lower()
    n = int(word) if word.isdigit() else SMALL_NUMBERS[word]
    first, last = (1, n) if m.group("side").lower() == "first" else (13 - n, 12)
    start, end = _year_part(m, s, first, last, m.group("year"), m.group("which"))
    return _hit(m, start, end, {3: "quarter", 6: "year"}.get(n, "month"), "absolute")


_WEEK_OF_MONTH = {"first": 0, "1st": 0, "second": 1, "2nd": 1, "third": 2, "3rd": 2}


def _match_week_of_month(m: re.Match, s: Sentence) -> DateMatch | None:
    """ "the third week of November": days 15-21; "the last week of May": its last 7 days."""
    month = month_number(m.group("mon"))
    if m.group("year"):
        year = int(m.group("year"))
    else:
        year = month_year(month, s.published, _bare_month_direction(m.group("prep"), s, m, month))
    first, last = month_span(year, month)
    ordinal = m.group("ord").lower()
    if ordinal in ("last", "final"):
        start = last - timedelta(days=6)
    else:
        start = first + timedelta(days=7 * _WEEK_OF_MONTH.get(ordinal, 3))
    return _hit(m, start, start + timedelta(days=6), "week", "absolute")


_HOLIDAY_CONTEXT = {
    "on", "at", "over", "for", "around", "during", "of", "ahead", "near", "past", "until",
    "till", "by", "before", "after", "since", "through", "from",
}  # fmt: skip


def _match_holiday(m: re.Match, s: Sentence) -> DateMatch | None:
    """Christmas (Eve, Day), New Year's Day and Eve, Thanksgiving: placed like a yearless day,
    or in the year written; "last/next/this Christmas" like "last/next/this" with a weekday."""
    name = _norm(m.group("name")).replace("’", "'")
    which = _norm(m.group("which"))
    if name in ("christmas", "thanksgiving") and not (m.group("prep") or which or m.group("year")):
        if _previous_word(s.text, m.start()).lower() not in _HOLIDAY_CONTEXT:
            return None  # "Christmas sales", "the Thanksgiving holiday"
    if name.startswith("thanksgiving"):
        day_of = thanksgiving
    else:
        month, day_number = HOLIDAYS[name]

        def day_of(year: int) -> date:
            return date(year, month, day_number)

    pub = s.published
    if m.group("year"):
        day = day_of(int(m.group("year")))
    elif which == "this":
        day = day_of(pub.year)
    elif which == "last":
        day = day_of(pub.year) if day_of(pub.year) < pub else day_of(in_calendar_year(pub.year - 1))
    elif which == "next":
        day = day_of(pub.year) if day_of(pub.year) > pub else day_of(in_calendar_year(pub.year + 1))
    else:
        day = yearly_day(day_of, pub, _day_direction(m.group("prep"), s, m))
    return _hit(m, day, day, "day", "relative" if which else "absolute")


def _match_season(m: re.Match, s: Sentence) -> DateMatch | None:
    """ "last summer", "this past spring", "by autumn", "the winter of 2024", "in the fall".

    last/this past: the latest such season over before publication; next/coming: the first
    to begin after it; this: the one under way, else by the sentence's tense, else this
    year's; a bare season ("by autumn", "in the spring") follows the tense the same way.
    """
    season = m.group("season").lower()
    which = _norm(m.group("which"))
    if season == "fall" and not (which or m.group("year")):
        return None  # "exports fall", "prices fall in spring"
    if not (which or m.group("prep") or m.group("year")):
        return None  # a bare "spring" or "summer" is as often a word as a date
    first_month = SEASON_MONTHS[season]
    pub = s.published
    if m.group("year"):
        start, end = season_span(int(m.group("year")), first_month)
        start, end = narrow(start, end, m.group("part"), pub, "quarter")
        return _hit(m, start, end, "season", "absolute")
    spans = [season_span(pub.year + k, first_month) for k in (-2, -1, 0, 1)]
    over = [span for span in spans if span[1] < pub]
    ahead = [span for span in spans if span[0] > pub]
    current = next((span for span in spans if span[0] <= pub <= span[1]), None)
    if which in ("last", "past", "this past"):
        start, end = over[-1]
    elif which in ("next", "coming", "this coming"):
        start, end = ahead[0]
    else:
        tense = s.tense(m.start(), m.end())
        if current is not None:
            start, end = current
        elif tense == "past" or (tense is None and m.group("prep") in ("since", "after")):
            start, end = over[-1]
        elif tense == "future" or m.group("prep") in ("by", "until", "till", "before"):
            start, end = ahead[0]
        else:  # no cue: the nearer of the two
            last, coming = over[-1], ahead[0]
            start, end = last if (pub - last[1]) <= (coming[0] - pub) else coming
    part = (m.group("part") or m.group("part0") or "").lower()
    if part == "earlier":  # "earlier this autumn": the part of it before publication
        end = min(end, pub - timedelta(days=1))
    elif part == "later":
        start = max(start, pub + timedelta(days=1))
    else:
        start, end = narrow(start, end, part or None, pub, "quarter")
    return _hit(m, start, end, "season", "relative")
