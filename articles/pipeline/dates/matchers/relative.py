"""Dates read against the publication day: weekdays ("last Thursday", "Friday week", "on Friday
and Saturday"), weekends, this/next/last week, month, quarter or year, "three days ago", "in two
weeks' time", "two weeks from Monday", "two days before the Nov. 10 deadline", "the day after
tomorrow", today/yesterday/tomorrow, and "the week of Nov. 24"."""

from __future__ import annotations

import re
from datetime import date, timedelta

from ..match import DateMatch
from ..patterns import EXPLICIT_DAY, HOLIDAY, SMALL_NUMBERS, WEEKDAY_NAMES
from ..periods import add_months, month_span, quarter_span, week_start, year_span
from ..rules import explicit_day, narrow
from ..tense import Sentence
from .calendar import _match_explicit_day
from .common import _day_direction, _hit, _norm
from .year_parts import _match_holiday


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
    # Only a weekend paper's week turns on the tense (_period), and it is dear to read.
    on_a_weekend = unit == "week" and s.published.weekday() >= 5
    tense = s.tense(m.start(), m.end()) if on_a_weekend else None
    start, end = _period(unit, which, s.published, part, tense)
    start, end = narrow(start, end, part, s.published, unit)
    return _hit(m, start, end, unit, "relative")


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


def _match_deictic_day(m: re.Match, s: Sentence) -> DateMatch | None:
    word = _norm(m.group("word"))
    offset = {"yesterday": -1, "last night": -1, "tomorrow": 1}.get(word, 0)
    day = s.published + timedelta(days=offset)
    return _hit(m, day, day, "day", "relative")
