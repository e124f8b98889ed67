"""One matcher per kind of expression: a regex match in a sentence → a resolved DateMatch."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, timedelta

from .match import DateMatch
from .patterns import (
    _DAY_NUMBER,
    _MONTH,
    _YEAR,
    AGO,
    AMBIGUOUS_MONTHS,
    BARE_MONTH,
    CHANGE_REACH,
    CHANGE_VERB,
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
    HOLIDAYS,
    IN_TIME,
    ISO_DATE,
    MONTH_YEAR,
    ORDINAL_QUARTER,
    Q_QUARTER,
    RANGE,
    RELATIVE_PERIOD,
    SEASON,
    SEASON_MONTHS,
    SMALL_NUMBERS,
    WEEK_OF,
    WEEK_OF_MONTH,
    WEEKDAY,
    WEEKDAY_NAMES,
    WEEKDAY_PAIR,
    WEEKDAY_WEEK,
    WEEKEND,
    YEAR,
    YEAR_RANGE,
)
from .periods import (
    PRECISIONS,
    add_months,
    month_span,
    quarter_span,
    season_span,
    week_start,
    year_span,
)
from .rules import (
    HAS_YEAR,
    BeyondCalendar,
    day_in_year,
    explicit_day,
    in_calendar_year,
    month_number,
    month_year,
    narrow,
    parse_explicit,
    thanksgiving,
    yearly_day,
)
from .tense import Sentence

# --------------------------------------------------------------------------- matchers
# Each matcher turns one regex match into a DateMatch, or None when the context says it is no
# date. find_dates runs them all and keeps the longest non-overlapping matches.


def _hit(m: re.Match, start: date, end: date, precision: str, method: str) -> DateMatch | None:
    if end < start:
        return None
    return DateMatch(m.group(), m.start(), m.end(), start, end, precision, method)


def _norm(words: str | None) -> str:
    return " ".join(words.lower().split()) if words else ""


def _match_iso(m: re.Match, s: Sentence) -> DateMatch | None:
    day = parse_explicit(m.group().replace("/", "-"), s.published)
    return _hit(m, day, day, "day", "absolute") if day else None


def _day_direction(prep: str | None, s: Sentence, m: re.Match) -> str | None:
    """Which way a far-off yearless day points: the tense, else its preposition."""
    tense = s.tense(m.start(), m.end())
    if tense:
        return tense
    prep = _norm(prep)
    if prep == "since":
        return "past"
    return "future" if prep in ("by", "until", "till", "through", "thru", "before") else None


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
    day = explicit_day(fragment, s.published, direction)
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


_PREVIOUS_WORD = re.compile(r"(\S+)\s+$")
_NOT_OPENING = re.compile(r"[^ “\"']")
_LOWERCASE_NEXT = re.compile(r"\s+[a-z]")


def _previous_word(text: str, at: int, reach: int = 100) -> str:
    """The word before the blank space that ends at ``at`` ("" if there is none)."""
    lo = max(0, at - reach)
    previous = _PREVIOUS_WORD.search(text, lo, at)
    if previous and previous.start() == lo > 0 and not text[lo - 1].isspace():
        previous = _PREVIOUS_WORD.search(text, 0, at)  # a word longer than the reach
    return previous.group(1) if previous else ""


def _bare_month_direction(prep: str | None, s: Sentence, m: re.Match) -> str | None:
    prep = _norm(prep)
    fixed = {
        "since": "past", "this past": "past", "last": "strict_past",
        "next": "strict_future", "coming": "strict_future", "this coming": "strict_future",
        "this": None,
    }  # fmt: skip
    if prep in fixed:
        return fixed[prep]
    tense = s.tense(m.start(), m.end())
    if tense:
        return tense
    # No cue: "in" reads as past (the common case in reports); a month with no preposition
    # ("the October flare-up", "January soybean futures") is the one nearest publication.
    return "past" if prep == "in" else "nearest" if not prep else None


def _match_bare_month(m: re.Match, s: Sentence) -> DateMatch | None:
    if not _month_context_ok(m, s):
        return None
    month = month_number(m.group("mon"))
    year = month_year(month, s.published, _bare_month_direction(m.group("prep"), s, m))
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


def _match_weekday(m: re.Match, s: Sentence) -> DateMatch | None:
    pub = s.published
    wd = WEEKDAY_NAMES.index(m.group("wd"))
    prep = _norm(m.group("prep"))
    # Days from publication back to the weekday on or before it, and on to the one after.
    # (Offsets, not dates: at either end of the calendar one of them does not exist.)
    behind = (pub.weekday() - wd) % 7
    ahead = (wd - pub.weekday()) % 7
    method = "relative"
    if prep == "this":
        this_week = week_start(pub) + timedelta(days=wd)
        past = this_week <= pub and s.tense(m.start(), m.end()) == "past"
        # "talks held this Monday" (of this week), else the first on or after publication
        day = this_week if past else pub + timedelta(days=ahead)
    elif prep in ("coming", "this coming"):
        day = pub + timedelta(days=ahead or 7)  # strictly after
    elif prep in ("last", "past", "this past"):
        day = pub - timedelta(days=behind or 7)  # strictly before
    elif prep == "next":  # the weekday of the following Monday–Sunday week
        day = week_start(pub) + timedelta(days=7 + wd)
    else:
        method = "tense"
        tense = s.tense(m.start(), m.end())
        if tense is None and prep == "since":
            tense = "past"
        elif tense is None and prep in ("until", "till", "by", "through", "before"):
            tense = "future"
        if tense is None:  # no cue: the nearer of the two, the past on a tie
            tense = "future" if ahead < behind else "past"
        day = pub - timedelta(days=behind) if tense == "past" else pub + timedelta(days=ahead)
    return _hit(m, day, day, "day", method)


def _weekend(saturday: date) -> tuple[date, date]:
    return saturday, saturday + timedelta(days=1)


def _match_weekend(m: re.Match, s: Sentence) -> DateMatch | None:
    pub = s.published
    which = _norm(m.group("which"))
    # Days back to the Saturday on or before publication, and on to the coming Saturday (the
    # current one on a weekend). Offsets, not dates: at either end of the calendar one of
    # those Saturdays does not exist, and only the one the words name may be computed.
    back = (pub.weekday() - 5) % 7
    ahead = (5 - pub.weekday()) % 7 if pub.weekday() < 5 else -back
    if which in ("last", "past", "the past"):
        saturday = pub - timedelta(days=back + 7 if pub.weekday() >= 5 else back)
    elif which == "this past":
        saturday = pub - timedelta(days=back)
    elif which in ("coming", "the coming", "this coming"):
        saturday = pub + timedelta(days=ahead)
    elif which == "next":
        saturday = week_start(pub) + timedelta(days=12)
    else:
        if which == "this":
            tense = s.tense(m.start(), m.end())
            if tense is None:  # the nearer weekend; a tie goes to the past
                tense = "future" if ahead < back - 1 else "past"
        else:  # "over the weekend": the one before, unless its own clause speaks of the future
            tense = s.tense(m.start(), m.end(), clause_only=True)
        saturday = pub + timedelta(days=ahead) if tense == "future" else pub - timedelta(days=back)
    return _hit(m, *_weekend(saturday), "week", "relative")


def _period(
    unit: str, which: str, pub: date, part: str | None, tense: str | None = None
) -> tuple[date, date]:
    """The week, month, quarter or year named by this/next/last, around publication."""
    step = {"this": 0, "the current": 0, "next": 1, "last": -1, "the previous": -1}[which]
    if unit == "week":
        monday = week_start(pub)
        # Weeks run Monday to Sunday (ISO 8601): a weekend paper's "this week" is the week
        # that ends with it ("agreed this week"), unless what it says is still to come
        # ("later this week", "talks will resume this week"): then the coming week.
        ahead = _norm(part) == "later" or (tense == "future" and _norm(part) != "earlier")
        weekend_paper = pub.weekday() >= 5 and step == 0 and ahead
        if weekend_paper:
            monday += timedelta(days=7)
        monday += timedelta(days=7 * step)
        return monday, monday + timedelta(days=6)
    if unit == "month":
        return month_span(*add_months(pub.year, pub.month, step))
    if unit == "quarter":
        index = pub.year * 4 + (pub.month - 1) // 3 + step
        return quarter_span(index // 4, index % 4 + 1)
    return year_span(pub.year + step)


def _match_relative_period(m: re.Match, s: Sentence) -> DateMatch | None:
    if m.group("year_end"):  # "by year-end" is "by the end of the year"
        start, end = _period("year", _norm(m.group("which4")) or "this", s.published, "end")
        return _hit(m, *narrow(start, end, "end", s.published, "year"), "year", "relative")
    unit = (m.group("unit") or m.group("unit2") or m.group("unit3")).lower()
    part = m.group("part") or m.group("part2") or m.group("part3")
    which = _norm(m.group("which")) or "this"
    before = s.text[max(0, m.start("which") - 8) : m.start("which")]
    if m.group("which") and not part and before.lower().endswith("the "):
        return None  # "across the next year", "over the last month": a stretch of time
    tense = s.tense(m.start(), m.end()) if unit == "week" else None
    start, end = _period(unit, which, s.published, part, tense)
    start, end = narrow(start, end, part, s.published, unit)
    return _hit(m, start, end, unit, "relative")


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
        year = month_year(month, s.published, _bare_month_direction(m.group("prep"), s, m))
    first, last = month_span(year, month)
    ordinal = m.group("ord").lower()
    if ordinal in ("last", "final"):
        start = last - timedelta(days=6)
    else:
        start = first + timedelta(days=7 * _WEEK_OF_MONTH.get(ordinal, 3))
    return _hit(m, start, start + timedelta(days=6), "week", "absolute")


def _match_ago(m: re.Match, s: Sentence) -> DateMatch | None:
    count = m.group("n").lower()
    n = int(count) if count.isdigit() else SMALL_NUMBERS[count]
    unit, pub = m.group("unit").lower(), s.published
    if unit == "day":
        day = pub - timedelta(days=n)
        return _hit(m, day, day, "day", "relative")
    if unit == "week":  # "a week ago": that day, not that week
        day = pub - timedelta(weeks=n)
        return _hit(m, day, day, "day", "relative")
    if unit == "month":
        return _hit(m, *month_span(*add_months(pub.year, pub.month, -n)), "month", "relative")
    # "a year ago": around the same month that many years back, not the whole year
    return _hit(m, *month_span(pub.year - n, pub.month), "month", "relative")


_MAX_YEAR_RANGE = 20  # "2026 through 2028"; "1990-2025" is a period of history, not a date


def _match_year_range(m: re.Match, s: Sentence) -> DateMatch | None:
    """ "2026 through 2028", "2026-2028": whole years, the first to the last."""
    a, b = int(m.group("a")), int(m.group("b"))
    if not a < b <= a + _MAX_YEAR_RANGE:
        return None
    return _hit(m, year_span(a)[0], year_span(b)[1], "year", "absolute")


def _match_week_of(m: re.Match, s: Sentence) -> DateMatch | None:
    """ "the week of Thanksgiving", "the week of Nov. 24": the Monday–Sunday week holding it."""
    lo, hi = m.span("inner")
    for pattern, matcher in ((EXPLICIT_DAY, _match_explicit_day), (HOLIDAY, _match_holiday)):
        inner = pattern.fullmatch(s.text, lo, hi)
        hit = matcher(inner, s) if inner else None
        if hit is not None and hit.precision == "day":
            monday = week_start(hit.date_start)
            return _hit(m, monday, monday + timedelta(days=6), "week", hit.method)
    return None


def _weekday_by_tense(
    m: re.Match, s: Sentence, weekday_name: str, default: str | None = None
) -> date:
    """A bare weekday placed as _match_weekday places it: by the sentence's tense, else by
    `default`, else whichever of the last and the coming one is nearer (past on a tie)."""
    pub = s.published
    wd = WEEKDAY_NAMES.index(weekday_name.capitalize())
    behind, ahead = (pub.weekday() - wd) % 7, (wd - pub.weekday()) % 7
    tense = s.tense(m.start(), m.end()) or default or ("future" if ahead < behind else "past")
    return pub - timedelta(days=behind) if tense == "past" else pub + timedelta(days=ahead)


def _length_days(m: re.Match) -> int:
    """The days of a length: "three days", "two weeks", "a fortnight"."""
    if m.group("fortnight"):
        return 14
    word = m.group("n").lower()
    n = int(word) if word.isdigit() else SMALL_NUMBERS.get(word, 1)
    return n * (7 if m.group("unit").lower().startswith("week") else 1)


def _match_compound(m: re.Match, s: Sentence) -> DateMatch | None:
    """ "two weeks from Monday" → 14 days after that Monday; "a fortnight from today"."""
    days = _length_days(m)
    deictic = (m.group("deictic") or "").lower()
    if deictic:
        anchor = s.published + timedelta(days={"tomorrow": 1, "yesterday": -1}.get(deictic, 0))
    else:
        # A length counted from a weekday looks ahead unless the sentence is past:
        # "talks resume two weeks from Monday", said on a Wednesday, is the coming Monday's.
        anchor = _weekday_by_tense(m, s, m.group("wd"), default="future")
    day = anchor + timedelta(days=-days if m.group("rel").lower() == "before" else days)
    return _hit(m, day, day, "day", "relative")


def _match_compound_date(m: re.Match, s: Sentence) -> DateMatch | None:
    """ "two days before the Nov. 10 deadline": that day, placed as a yearless day, ± the length."""
    anchor = explicit_day(m.group("d"), s.published, _day_direction(None, s, m))
    if anchor is None:
        return None
    days = _length_days(m)
    day = anchor + timedelta(days=-days if m.group("rel").lower() == "before" else days)
    return _hit(m, day, day, "day", "relative")


def _match_in_time(m: re.Match, s: Sentence) -> DateMatch | None:
    """ "in three days' time", "in two weeks' time": that many days after publication."""
    day = s.published + timedelta(days=_length_days(m))
    return _hit(m, day, day, "day", "relative")


def _match_weekday_week(m: re.Match, s: Sentence) -> DateMatch | None:
    """ "Friday week": a week after the coming Friday (said on a Friday: two weeks on)."""
    ahead = (WEEKDAY_NAMES.index(m.group("wd")) - s.published.weekday()) % 7 or 7
    day = s.published + timedelta(days=ahead + 7)
    return _hit(m, day, day, "day", "relative")


def _match_day_after(m: re.Match, s: Sentence) -> DateMatch | None:
    """ "the day after Thursday's meeting": that Thursday, placed by tense, plus a day;
    "the day after tomorrow", "the day before yesterday": two days from publication."""
    deictic = (m.group("deictic") or "").lower()
    if deictic:
        anchor = s.published + timedelta(days=1 if deictic == "tomorrow" else -1)
    else:
        anchor = _weekday_by_tense(m, s, m.group("wd"))
    day = anchor + timedelta(days=1 if m.group("rel").lower() == "after" else -1)
    return _hit(m, day, day, "day", "relative")


def _match_weekday_pair(m: re.Match, s: Sentence) -> DateMatch | None:
    """ "on Friday and Saturday": the first placed as a bare weekday, through the second.

    Joined by "and", only consecutive days are one span ("on Monday and Thursday" are two
    mentions); "to", "through" or a dash (or "between ... and") join any two."""
    first_wd = WEEKDAY_NAMES.index(m.group("wd1"))
    days = (WEEKDAY_NAMES.index(m.group("wd2")) - first_wd) % 7
    if days == 0:
        return None
    if _norm(m.group("join")) == "and" and days != 1 and _norm(m.group("prep")) != "between":
        return None
    first = _weekday_by_tense(m, s, m.group("wd1"))
    return _hit(m, first, first + timedelta(days=days), "day", "tense")


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


def _match_deictic_day(m: re.Match, s: Sentence) -> DateMatch | None:
    word = _norm(m.group("word"))
    offset = {"yesterday": -1, "last night": -1, "tomorrow": 1}.get(word, 0)
    day = s.published + timedelta(days=offset)
    return _hit(m, day, day, "day", "relative")


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
