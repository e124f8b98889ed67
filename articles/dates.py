"""Date expressions in English news sentences, resolved against the report's publication date.

A pure module: no Django, no database. ``find_dates`` is called once per sentence, so the
words around a mention (its tense, read by articles.tense) can decide which way a bare
weekday points. The spans a mention can name and their wording are articles.periods'.

How it works: compiled regular expressions find the candidates (weekdays, month names with an
optional day or year, ISO dates, ranges, "this/next/last/earlier this/later this" + week, month,
quarter or year, weekends, quarters, "in 2024"...). Explicit calendar dates ("Oct. 9",
"9 October 2025", "2025-10-09") are parsed by ``dateparser.parse`` with the publication date
as ``RELATIVE_BASE`` (cached per candidate and publication date); everything relative is plain
datetime arithmetic, which is clearer than coaxing dateparser. We never run dateparser's
``search_dates`` over whole texts: it is slow and finds dates in "100%" or "H-6K".

The reading rules, chosen for newsroom English and kept deliberately simple:

* Month and day without a year ("November 10") take the publication year, or the adjacent
  year when that date is nearer to publication ("January 5" in a report of 20 December is
  next January; "December 28" in a report of 3 January is last December). Nearness only
  decides within about three months of publication: a day further off in every year follows
  the tense (past → the latest such day before publication, future → the next one after;
  "since" counts as past, "by/until/through" as future) and otherwise stays in the
  publication year ("announced on April 2" in an October report is this April, not next).
* A bare month ("since April", "in May") is a month in the publication year, except: "since"
  and "this past" mean the latest such month on or before the publication month; "last" the
  latest strictly before it; "next"/"coming" the first strictly after it. For the other
  prepositions the sentence's tense decides (past → on or before the publication month, future
  → on or after); with no tense cue, "in" reads as past (the common case in reports) and the
  rest take the publication year. "early/mid/late May" and "the start/end of May" narrow the
  span to the first/middle/last ten days, but the precision stays "month".
* Weekdays: "this Thursday" is the first Thursday on or after publication (or, in a past-tense
  sentence, the Thursday of the publication's week if it has already passed). "next Thursday"
  is the Thursday of the week (Monday–Sunday) after the publication's week: from a Monday that
  is ten days on, from a Friday or Saturday it is the coming Thursday. "last Thursday" is the
  most recent Thursday strictly before publication. A bare weekday ("on Sunday", "Thursday")
  follows the tense of the sentence: past → the most recent such day on or before publication,
  future → the first on or after it; with no cue, whichever of the two is nearer (ties: past).
* Weeks run Monday–Sunday (ISO 8601). A report published on a Saturday or Sunday means by
  "this week" the week that ends with it ("agreed this week" happened days before), unless
  the clause speaks of the future ("will meet this week") or says "later this week": then
  the coming week. "earlier this week" is always the week containing publication, from its
  Monday to the day before publication.
* "over the weekend" (and "the weekend") is the weekend before publication, or the one under
  way when the report appears on a Saturday or Sunday, unless its own clause is in the future
  tense ("talks will continue over the weekend"); "this weekend" follows the tense, and with no
  cue the nearer weekend; "last weekend" is the one strictly before publication; "next weekend"
  is the weekend of the following week.
* Ranges are one span: "from May 12 to August 12", "between April and June", "May 12-14",
  "Oct. 31–Nov. 1" — except after a verb of change ("extended from August 12 to November
  10" names two dates, found one by one). "Q3", "the third quarter (of 2024)", "the first
  half of 2026" and "H2" are quarters and half-years (a half-year has "year" precision); with
  no year they take the publication year, moved a year by a clear tense when that quarter or
  half lies on the wrong side of publication. "today", "yesterday", "tomorrow" and "three
  days/weeks/months/years ago" are relative to publication too.
* Durations are not dates: "for one year", "90 days", "the next year" (with "the": a span of
  time), "the past several years", "in the coming months", "recent weeks" are skipped, and so
  are "may"/"march" as verbs: "May" and "March" (like April, June and August, which are also
  names) count as months only in a date context (a preposition, a day or year, "the May truce",
  "May's").
* A date beyond the calendar ("last year" in a report of 5 January of year 1, "next month"
  in one of 20 December 9999) is left unresolved: the words are no mention, and no shorter
  date inside them ("January" of "January 5") is read instead.

>>> from datetime import date
>>> monday = date(2025, 10, 27)
>>> [(m.text, str(m.date_start)) for m in find_dates("Talks were held on Sunday.", monday)]
[('on Sunday', '2025-10-26')]
>>> [m.text for m in find_dates("The deal may be signed since tariffs rose 100%.", monday)]
[]
>>> explain(find_dates("Xi and Trump meet this Thursday.", monday)[0], monday)
'this Thursday → Thu 30 Oct 2025, relative to publication on Mon 27 Oct 2025'
>>> explain(find_dates("Tensions have simmered since April.", monday)[0], monday)
'since April → April 2025 (month), publication year'
>>> explain(find_dates("The talks over the weekend went well.", monday)[0], monday)
'over the weekend → Sat 25 – Sun 26 Oct 2025, the weekend before publication on Mon 27 Oct 2025'
>>> m = find_dates("The truce ran from May 12 to August 12.", monday)[0]
>>> m.text, str(m.date_start), str(m.date_end), m.precision
('from May 12 to August 12', '2025-05-12', '2025-08-12', 'day')
"""

from __future__ import annotations

import bisect
import calendar
import functools
import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta

import dateparser

from .periods import (
    COARSE,
    PRECISIONS,
    add_months,
    describe_range,
    format_day,
    month_span,
    quarter_span,
    season_span,
    week_start,
    year_span,
)
from .tense import Sentence

__all__ = ["DateMatch", "find_dates", "explain"]


@dataclass(frozen=True)
class DateMatch:
    text: str  # the words as written, e.g. "this Thursday", "since April", "this week’s"
    start: int  # offsets of `text` in the string passed to find_dates: s[start:end] == text
    end: int
    date_start: date  # resolved first day
    date_end: date  # resolved last day (== date_start for a single day); never before it
    precision: str  # "day", "week", "month", "quarter", "season" or "year"
    method: str  # "absolute", "relative" (to publication) or "tense" (bare weekday)
    # The day a reported statement was made, when the words are relative to it rather than
    # to publication: "said on Thursday that talks would resume next month".
    anchor: date | None = None


# The longest words a mention may take (DateMention.text holds this many). The longest real
# ones ("from the 10th of November, 2025 to the 12th of December, 2025") are half of it; a
# longer match has only stretched over a run of blank space between its words.
MAX_MENTION_CHARS = 120

# --------------------------------------------------------------------------- vocabulary

WEEKDAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
MONTH_NAMES = tuple(calendar.month_name[1:])  # "January" ... "December"
MONTH_NUMBERS = {name.lower(): n for n, name in enumerate(MONTH_NAMES, 1)} | {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7,
    "aug": 8, "sep": 9, "sept": 9, "oct": 10, "nov": 11, "dec": 12,
}  # fmt: skip
# Month names that are also ordinary words or first names: need a date context to count.
AMBIGUOUS_MONTHS = {"May", "March", "April", "June", "August"}
SMALL_NUMBERS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
}  # fmt: skip

# --------------------------------------------------------------------------- pattern pieces
# Month and weekday names are matched case-sensitively ("may" the verb never counts); the
# words around them are case-insensitive through (?i:...) groups.

_APOS = "['’]"
_WEEKDAY = "(?:" + "|".join(WEEKDAY_NAMES) + ")"
_MONTH_FULL = "(?:" + "|".join(MONTH_NAMES) + ")"
_MONTH_ABBR = r"(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\b\.?"
_MONTH = rf"(?:{_MONTH_FULL}\b|{_MONTH_ABBR})"
# A day of the month, not part of a larger number, a percentage or a decimal.
_DAY_NUMBER = (
    r"(?:3[01]|[12]\d|0?[1-9])(?:st|nd|rd|th)?\b(?![.,]\d|\s*(?:%|(?i:percent|per\s+cent)))"
)
_DAY = rf"(?<![\d.,$€£%-]){_DAY_NUMBER}"
_YEAR = r"(?<![\d$€£.,-])(?:19|20)\d{2}\b(?![.,]\d|%|\s*(?i:percent|per\s+cent))"
_ISO = r"(?<![\d-])(?:19|20)\d{2}[-/](?:0[1-9]|1[0-2])[-/](?:0[1-9]|[12]\d|3[01])(?![\d-])"

# An explicit day: "November 10", "Nov. 1, 2025", "9 October 2025", "10th of November".
_MONTH_DAY = rf"{_MONTH}\s+{_DAY}(?:\s*,?\s*{_YEAR})?"
_DAY_MONTH = rf"{_DAY}\s+(?:of\s+)?{_MONTH}(?:\s*,?\s*{_YEAR})?"
_MONTH_YEAR = rf"{_MONTH}\s*,?\s+(?:of\s+)?{_YEAR}"

# Prepositions that change the meaning and so belong to the mention ("since April").
_PREP_DAY = r"(?i:since|through|thru|until|till|by|before|after|from)"
_PREP_MONTH = (
    r"(?i:this\s+past|this\s+coming|since|in|by|until|till|through|thru|from|before|after"
    r"|during|last|this|next|coming)"
)
_PREP_YEAR = r"(?i:since|in|by|until|till|through|thru|from|before|after|during)"
# Parts of a period: "early May", "mid-2025", "the end of this year".
_PART = (
    r"(?i:earlier\s+in|later\s+in|early|late|mid|the\s+end\s+of|end\s+of|the\s+start\s+of"
    r"|start\s+of|the\s+beginning\s+of|beginning\s+of|the\s+middle\s+of|middle\s+of)"
)
_RANGE_JOIN = r"(?:\s*[-–—]\s*|\s+(?i:to|until|till|through|thru|and)\s+)"

# --------------------------------------------------------------------------- compiled patterns

ISO_DATE = re.compile(_ISO)
EXPLICIT_DAY = re.compile(
    rf"(?:\b(?P<prep>{_PREP_DAY})\s+)?(?:\b(?P<wd>{_WEEKDAY}),?\s+)?(?P<d>{_MONTH_DAY}|{_DAY_MONTH})"
)
# "from May 12 to August 12", "between April and June", "from 2018 to 2020".
_ATOM = rf"(?:{_ISO}|{_MONTH_DAY}|{_DAY_MONTH}|{_MONTH_YEAR}|{_MONTH_FULL}\b|{_YEAR})"
RANGE = re.compile(
    rf"\b(?P<prep>(?i:from|between))\s+(?P<a>{_ATOM}){_RANGE_JOIN}(?P<b>{_ATOM}|{_DAY_NUMBER})"
)
# "Oct. 30–Nov. 1": two explicit days joined by a dash need no "from".
DASH_RANGE = re.compile(
    rf"(?P<a>{_MONTH_DAY}|{_DAY_MONTH})\s*[-–—]\s*(?P<b>{_MONTH_DAY}|{_DAY_MONTH})"
)
# "May 12-14", "Oct. 30 and 31", "12–14 May".
DAY_RANGE = re.compile(
    rf"(?:\b(?P<prep>(?i:from|between))\s+)?"
    rf"(?:(?P<mon>{_MONTH})\s+(?P<d1>{_DAY}){_RANGE_JOIN}(?P<d2>{_DAY_NUMBER})"
    rf"|(?P<d1b>{_DAY}){_RANGE_JOIN}(?P<d2b>{_DAY_NUMBER})\s+(?:of\s+)?(?P<monb>{_MONTH}))"
    rf"(?:\s*,?\s*(?P<year>{_YEAR}))?"
)
MONTH_YEAR = re.compile(
    rf"(?:\b(?P<prep>{_PREP_MONTH})\s+)?(?:\b(?P<part>{_PART})(?:\s+|-))?"
    rf"(?P<mon>{_MONTH})\s*,?\s+(?:of\s+)?(?P<year>{_YEAR})"
)
BARE_MONTH = re.compile(
    rf"(?:\b(?P<prep>{_PREP_MONTH})\s+)?(?:\b(?P<part>{_PART})(?:\s+|-))?"
    rf"\b(?P<mon>{_MONTH_FULL})(?P<poss>{_APOS}s)?\b"
)
YEAR = re.compile(
    rf"(?:\b(?P<prep>{_PREP_YEAR})\s+)?(?:\b(?P<part>{_PART})(?:\s+|-))?(?P<year>{_YEAR})"
)
WEEKDAY = re.compile(
    r"(?:\b(?P<prep>(?i:this\s+coming|this\s+past|this|next|last|past|coming|on|since"
    r"|until|till|by|before|after|from|through))\s+)?"
    rf"(?<!Black )(?<!Good )(?<!Cyber )(?<!Super )\b(?P<wd>{_WEEKDAY})"
    rf"(?P<poss>{_APOS}s)?(?:\s+(?P<tod>(?i:morning|afternoon|evening|night)))?\b"
)
WEEKEND = re.compile(
    r"\b(?:(?P<prep>over|during|at|on|for|through|until|by|since)\s+)?"
    r"(?P<which>this\s+past|this\s+coming|the\s+past|the\s+coming|the|this|last|next|past|coming)"
    rf"\s+weekend(?P<poss>{_APOS}s)?\b",
    re.IGNORECASE,
)
_UNIT = r"week|month|quarter|year"
RELATIVE_PERIOD = re.compile(
    rf"""\b(?:(?P<prep>since|until|till|by|through|thru|before|after|from)\s+)?
    (?:
        (?:(?P<part>earlier|later|early|late|mid|the\s+end\s+of|end\s+of|the\s+start\s+of
            |start\s+of|the\s+beginning\s+of|beginning\s+of|the\s+middle\s+of|the\s+rest\s+of
            |rest\s+of)(?:\s+|-))?
        (?P<which>this|next|last|the\s+current|the\s+previous)\s+(?P<unit>{_UNIT})
      | (?P<part2>earlier|later|early|late)\s+in\s+the\s+(?P<unit2>{_UNIT})
      | (?P<part3>the\s+end|the\s+start|the\s+beginning|the\s+middle|the\s+rest)
            \s+of\s+the\s+(?P<unit3>{_UNIT})
    )(?P<poss>{_APOS}s)?\b""",
    re.IGNORECASE | re.VERBOSE,
)
# Seasons, northern-hemisphere and meteorological (whole months): spring is March–May,
# summer June–August, autumn (fall) September–November, winter December–February.
# "fall" is a season only after a determiner or before a year: "exports fall" is a verb.
SEASON = re.compile(
    rf"""\b(?:(?P<prep>since|until|till|by|through|before|after|from|in|during|over)\s+)?
    (?:(?P<part0>early|late|mid)\s+(?=(?:last|next|this)\b))?
    (?:(?P<which>this\s+past|this\s+coming|this|last|next|past|coming|the)\s+)?
    (?:(?P<part>early|late|mid)(?:\s+|-))?
    (?P<season>spring|summer|autumn|winter|fall)
    (?:\s+(?:of\s+)?(?P<year>(?:19|20)\d{{2}}))?(?P<poss>{_APOS}s)?\b""",
    re.IGNORECASE | re.VERBOSE,
)
SEASON_MONTHS = {"spring": 3, "summer": 6, "autumn": 9, "fall": 9, "winter": 12}
ORDINAL_QUARTER = re.compile(
    rf"\b(?:(?P<prep>{_PREP_YEAR})\s+)?(?P<the>(?i:the)\s+)?"
    r"(?P<ord>(?i:first|second|third|fourth|final|last|1st|2nd|3rd|4th))[\s-]+(?i:quarter)"
    rf"(?:\s+(?i:of)\s+(?:(?P<year>{_YEAR})|(?P<which>(?i:this|last|next|the))\s+(?i:year)))?"
    rf"(?P<poss>{_APOS}s)?\b"
)
Q_QUARTER = re.compile(
    rf"\b(?:Q(?P<q>[1-4])(?:\s+(?:of\s+)?(?P<year>{_YEAR}))?|(?P<year2>{_YEAR})\s+Q(?P<q2>[1-4]))\b"
)
# Half-years: "the first half of 2026", "the second half of the year", "H2 2025".
HALF = re.compile(
    rf"\b(?:(?P<prep>{_PREP_YEAR})\s+)?(?P<the>(?i:the)\s+)?(?P<ord>(?i:first|second|1st|2nd))"
    rf"\s+(?i:half)\s+(?i:of)\s+(?:(?P<year>{_YEAR})|(?P<which>(?i:this|last|next|the))\s+(?i:year))"
    rf"(?P<poss>{_APOS}s)?\b"
    rf"|\bH(?P<h>[12])\b(?!-)(?:\s+(?P<hyear>{_YEAR}))?"
)
AGO = re.compile(
    r"\b(?P<n>a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|\d{1,2})"
    r"\s+(?P<unit>day|week|month|year)s?\s+ago\b",
    re.IGNORECASE,
)
DEICTIC_DAY = re.compile(
    r"\b(?:(?:earlier|later)\s+)?(?P<word>today|yesterday|tomorrow|tonight|last\s+night"
    rf"|this\s+morning|this\s+afternoon|this\s+evening)(?P<poss>{_APOS}s)?\b",
    re.IGNORECASE,
)

# Compound expressions: a length counted from a day ("two weeks from Monday", "a fortnight
# from today"), "Friday week" (a week after the coming Friday) and "the day after
# Thursday's meeting".
_COUNT = r"(?P<n>a|an|one|two|three|four|five|six|seven|eight|nine|ten|\d{1,2})"
COMPOUND = re.compile(
    rf"\b(?:{_COUNT}\s+(?P<unit>days?|weeks?)|(?P<fortnight>a\s+fortnight))\s+"
    rf"(?P<rel>from|after|before)\s+(?:(?P<deictic>today|tomorrow|yesterday)\b|"
    rf"(?P<wd>{_WEEKDAY})(?:{_APOS}s)?\b)",
    re.IGNORECASE,
)
WEEKDAY_WEEK = re.compile(rf"\b(?P<wd>{_WEEKDAY})\s+week\b(?!\s*(?:of|'s|’s))")
DAY_AFTER = re.compile(
    rf"\bthe\s+day\s+(?P<rel>after|before)\s+(?P<wd>{_WEEKDAY})(?:{_APOS}s)?\b",
    re.IGNORECASE,
)

# A "from X to Y" after these verbs names two dates (a change), not one span; they are
# looked for this far before it.
_CHANGE_REACH = 200
CHANGE_VERB = re.compile(
    r"\b(?:extend|postpon|delay|push|pushed\s+back|mov|shift|reschedul|brought\s+forward"
    r"|bring\s+forward|advanc)\w*\b[^.;]{0,40}$",
    re.IGNORECASE,
)

# --------------------------------------------------------------------------- calendar helpers


# Relative arithmetic never reaches further than this from publication ("99 years ago",
# "from December 20 to January 5" of next year...); explicit years are 1900-2099.
_REACH_YEARS = 100


class _BeyondCalendar(ValueError):
    """A mention names a day before 1 January of year 1 or after 31 December 9999."""


def _near_calendar_edge(published: date) -> bool:
    return not (date.min.year + _REACH_YEARS < published.year < date.max.year - _REACH_YEARS)


_CYCLE_YEARS = 400  # the Gregorian calendar repeats itself, weekdays and leap days, every 400 years
NEAR_DAYS = 92  # about three months: how far from publication a yearless date "belongs"


def _day_in_year(month: int, day: int, published: date, direction: str | None) -> date | None:
    """The year of a month-day written without one ("November 10", "Jan. 5").

    The publication year or an adjacent one, whichever puts the day nearer to publication
    ("January 5" in a report of 20 December is next January). That only holds near
    publication: a day more than about three months away in every year follows the tense
    (past: the latest such day on or before publication; future: the first on or after),
    and with no tense it stays in the publication year ("April 2" in an October report).

    In the first or last year of the calendar the adjacent year may not exist: the choice
    is made 400 years (one whole Gregorian cycle) away, and a day that falls outside the
    calendar raises _BeyondCalendar rather than become some other year's day.
    """
    if not date.min.year < published.year < date.max.year:
        shift = _CYCLE_YEARS if published.year == date.min.year else -_CYCLE_YEARS
        chosen = _day_in_year(month, day, published.replace(year=published.year + shift), direction)
        if chosen is None:
            return None
        if not date.min.year <= chosen.year - shift <= date.max.year:
            raise _BeyondCalendar(f"{chosen:%B} {chosen.day} of year {chosen.year - shift}")
        return chosen.replace(year=chosen.year - shift)
    options = []
    for year in (published.year, published.year - 1, published.year + 1):  # ties: pub year
        try:
            options.append(date(year, month, day))
        except ValueError:  # 29 February
            continue
    if not options:
        return None
    nearest = min(options, key=lambda d: abs((d - published).days))
    if abs((nearest - published).days) <= NEAR_DAYS:
        return nearest
    if direction in ("past", "future"):
        side = [d for d in options if (d <= published if direction == "past" else d >= published)]
        if side:
            return (max if direction == "past" else min)(side)
    return options[0] if options[0].year == published.year else nearest


def _month_year(month: int, published: date, direction: str | None) -> int:
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
    return published.year


def _narrow(start: date, end: date, part: str | None, published: date, unit: str):
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


@functools.lru_cache(maxsize=4096)
def _parse_explicit(candidate: str, published: date) -> date | None:
    """An explicit calendar date ("Oct. 9", "9 October 2025", "2025-10-09") via dateparser.

    A missing year comes back as the publication year; the caller then picks the nearest.
    """
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


_HAS_YEAR = re.compile(r"(?:19|20)\d{2}")


def _explicit_day(candidate: str, published: date, direction: str | None) -> date | None:
    """Parse an explicit day; a day written without a year gets one from _day_in_year."""
    candidate = " ".join(candidate.split())
    parsed = _parse_explicit(candidate, published)
    if parsed is None or _HAS_YEAR.search(candidate):
        return parsed
    return _day_in_year(parsed.month, parsed.day, published, direction)


def _month_number(word: str) -> int:
    return MONTH_NUMBERS[word.rstrip(".").lower()]


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
    day = _parse_explicit(m.group().replace("/", "-"), s.published)
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


def _match_explicit_day(m: re.Match, s: Sentence) -> DateMatch | None:
    day = _explicit_day(m.group("d"), s.published, _day_direction(m.group("prep"), s, m))
    return _hit(m, day, day, "day", "absolute") if day else None


def _match_day_range(m: re.Match, s: Sentence) -> DateMatch | None:
    month = _month_number(m.group("mon") or m.group("monb"))
    d1 = int(re.match(r"\d+", m.group("d1") or m.group("d1b")).group())
    d2 = int(re.match(r"\d+", m.group("d2") or m.group("d2b")).group())
    if d2 <= d1:
        return None
    try:
        if m.group("year"):
            first = date(int(m.group("year")), month, d1)
        else:
            first = _day_in_year(month, d1, s.published, _day_direction(None, s, m))
        last = first.replace(day=d2)
    except _BeyondCalendar:
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
        month = _month_number(month_only.group(1))
        year = month_only.group(2)
        year = int(year) if year else _month_year(month, s.published, direction)
        return (*month_span(year, month), "month", bool(month_only.group(2)))
    day = _explicit_day(fragment, s.published, direction)
    if day is None:
        return None
    return day, day, "day", bool(_HAS_YEAR.search(fragment))


def _shift_year(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def _match_range(m: re.Match, s: Sentence) -> DateMatch | None:
    if CHANGE_VERB.search(s.text, max(0, m.start() - _CHANGE_REACH), m.start()):
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
    return "past" if prep == "in" else None


def _match_bare_month(m: re.Match, s: Sentence) -> DateMatch | None:
    if not _month_context_ok(m, s):
        return None
    month = _month_number(m.group("mon"))
    year = _month_year(month, s.published, _bare_month_direction(m.group("prep"), s, m))
    start, end = _narrow(*month_span(year, month), m.group("part"), s.published, "month")
    relative = _norm(m.group("prep")) in ("last", "next", "coming", "this past", "this coming")
    return _hit(m, start, end, "month", "relative" if relative else "absolute")


def _match_month_year(m: re.Match, s: Sentence) -> DateMatch | None:
    span = month_span(int(m.group("year")), _month_number(m.group("mon")))
    start, end = _narrow(*span, m.group("part"), s.published, "month")
    return _hit(m, start, end, "month", "absolute")


def _match_year(m: re.Match, s: Sentence) -> DateMatch | None:
    if not (m.group("prep") or m.group("part")):
        return None  # a bare number like 2025 may be anything: "2025 models"
    start, end = _narrow(*year_span(int(m.group("year"))), m.group("part"), s.published, "year")
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
    unit = (m.group("unit") or m.group("unit2") or m.group("unit3")).lower()
    part = m.group("part") or m.group("part2") or m.group("part3")
    which = _norm(m.group("which")) or "this"
    before = s.text[max(0, m.start("which") - 8) : m.start("which")]
    if m.group("which") and not part and before.lower().endswith("the "):
        return None  # "across the next year", "over the last month": a stretch of time
    tense = s.tense(m.start(), m.end()) if unit == "week" else None
    start, end = _period(unit, which, s.published, part, tense)
    start, end = _narrow(start, end, part, s.published, unit)
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


def _quarter_hit(m, s: Sentence, quarter: int, year: str | None, which: str | None):
    pub = s.published
    if year:
        start, end = quarter_span(int(year), quarter)
        return _hit(m, start, end, "quarter", "absolute")
    step = {"last": -1, "next": 1}.get(_norm(which), 0)
    start, end = quarter_span(pub.year + step, quarter)
    tense = s.tense(m.start(), m.end()) if not which else None
    if tense == "future" and end < pub:  # "expected in the first quarter", written in December
        start, end = quarter_span(pub.year + 1, quarter)
    elif tense == "past" and start > pub:  # "grew in the fourth quarter", written in January
        start, end = quarter_span(pub.year - 1, quarter)
    return _hit(m, start, end, "quarter", "absolute")


def _match_half(m: re.Match, s: Sentence) -> DateMatch | None:
    """A half-year, at "year" precision (there is no finer one that fits)."""
    half = int(m.group("h")) if m.group("h") else (1 if m.group("ord")[0] in "f1F" else 2)
    year = m.group("year") or m.group("hyear")
    step = {"last": -1, "next": 1}.get(_norm(m.group("which")), 0)
    if year:
        base = int(year)
    else:
        base = s.published.year + step
        start = date(base, 6 * half - 5, 1)
        tense = s.tense(m.start(), m.end()) if not m.group("which") else None
        if tense == "future" and month_span(base, 6 * half)[1] < s.published:
            base += 1  # "expected in H1", written in the second half
        elif tense == "past" and start > s.published:
            base -= 1
    first, _ = month_span(base, 6 * half - 5)
    _, last = month_span(base, 6 * half)
    return _hit(m, first, last, "year", "absolute" if year or not step else "relative")


def _match_ago(m: re.Match, s: Sentence) -> DateMatch | None:
    count = m.group("n").lower()
    n = int(count) if count.isdigit() else SMALL_NUMBERS[count]
    unit, pub = m.group("unit").lower(), s.published
    if unit == "day":
        day = pub - timedelta(days=n)
        return _hit(m, day, day, "day", "relative")
    if unit == "week":
        monday = week_start(pub - timedelta(weeks=n))
        return _hit(m, monday, monday + timedelta(days=6), "week", "relative")
    if unit == "month":
        return _hit(m, *month_span(*add_months(pub.year, pub.month, -n)), "month", "relative")
    return _hit(m, *year_span(pub.year - n), "year", "relative")


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


def _match_compound(m: re.Match, s: Sentence) -> DateMatch | None:
    """ "two weeks from Monday" → 14 days after that Monday; "a fortnight from today"."""
    if m.group("fortnight"):
        days = 14
    else:
        word = m.group("n").lower()
        n = int(word) if word.isdigit() else SMALL_NUMBERS.get(word, 1)
        days = n * (7 if m.group("unit").lower().startswith("week") else 1)
    deictic = (m.group("deictic") or "").lower()
    if deictic:
        anchor = s.published + timedelta(days={"tomorrow": 1, "yesterday": -1}.get(deictic, 0))
    else:
        # A length counted from a weekday looks ahead unless the sentence is past:
        # "talks resume two weeks from Monday", said on a Wednesday, is the coming Monday's.
        anchor = _weekday_by_tense(m, s, m.group("wd"), default="future")
    day = anchor + timedelta(days=-days if m.group("rel").lower() == "before" else days)
    return _hit(m, day, day, "day", "relative")


def _match_weekday_week(m: re.Match, s: Sentence) -> DateMatch | None:
    """ "Friday week": a week after the coming Friday (said on a Friday: two weeks on)."""
    ahead = (WEEKDAY_NAMES.index(m.group("wd")) - s.published.weekday()) % 7 or 7
    day = s.published + timedelta(days=ahead + 7)
    return _hit(m, day, day, "day", "relative")


def _match_day_after(m: re.Match, s: Sentence) -> DateMatch | None:
    """ "the day after Thursday's meeting": that Thursday, placed by tense, plus a day."""
    anchor = _weekday_by_tense(m, s, m.group("wd"))
    day = anchor + timedelta(days=1 if m.group("rel").lower() == "after" else -1)
    return _hit(m, day, day, "day", "relative")


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
        start, end = _narrow(start, end, m.group("part"), pub, "quarter")
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
    start, end = _narrow(start, end, m.group("part") or m.group("part0"), pub, "quarter")
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
)


_UNRESOLVED = "beyond the calendar"  # what _resolve returns for such a candidate


def _resolve(matcher, m: re.Match, s: Sentence) -> DateMatch | str | None:
    """One candidate resolved; _UNRESOLVED if it falls outside years 1-9999.

    A report dated 5 January of year 1 that says "last year", or one of 20 December 9999
    that says "next month", names a date ``datetime.date`` cannot hold. Near either end of
    the calendar that is what an OverflowError or ValueError of the date arithmetic means;
    anywhere else such an error is a bug, and raises.
    """
    try:
        return matcher(m, s)
    except (OverflowError, ValueError) as error:
        if isinstance(error, _BeyondCalendar) or _near_calendar_edge(s.published):
            return _UNRESOLVED
        raise


def find_dates(text: str, published: date) -> list[DateMatch]:
    """The date expressions of one sentence, resolved against the publication date, or
    against the day a statement was made when the sentence reports one.

    Sorted by position and non-overlapping: where candidates overlap, the longest wins
    ("through November 10" over "November 10", "from May 12 to August 12" over both days).

    >>> from datetime import date
    >>> [(m.text, str(m.date_start), m.method)
    ...  for m in find_dates("They are expected to meet Thursday.", date(2025, 10, 27))]
    [('Thursday', '2025-10-30', 'tense')]
    >>> monday = date(2025, 11, 3)
    >>> [(m.text, str(m.date_start), str(m.anchor)) for m in find_dates(
    ...     "The minister said on Thursday that talks would resume next month.", monday)]
    [('on Thursday', '2025-10-30', 'None'), ('next month', '2025-11-01', '2025-10-30')]
    """
    if isinstance(published, datetime):
        published = published.date()
    found = _find_dates(text, published)
    spoken = _statement_day(text, found, published)
    if spoken is None:
        return found
    day, start, end = spoken
    # What the statement itself dates relatively ("next month", "on Friday") counts from
    # the day it was made; absolute dates and the rest of the sentence do not move.
    again = {(m.start, m.end): m for m in _find_dates(text, day)}
    return [
        replace(again[m.start, m.end], anchor=day)
        if start <= m.start
        and m.end <= end
        and m.method != "absolute"
        and (m.start, m.end) in again
        else m
        for m in found
    ]


# A verb of saying right before a day, and the clause it reports right after it:
# "said on Thursday that …", "told reporters Thursday that …".
_STATEMENT_VERB = re.compile(
    r"\b(?:said|told\s+\w+|announced|stated|declared|confirmed|warned|added|noted)\s*$"
)
_REPORTED = re.compile(r"^\s*,?\s*(?:that\b|[“\"])")
_SENTENCE_END = re.compile(r"^\s*[.!?]?[”\"’']?\s*$")


def _statement_day(text: str, found: list[DateMatch], published: date):
    """The day a reported statement was made (before publication), and the part of the
    sentence it governs: (day, start, end) of the reported words, or None.

    "X said on Thursday that …" governs what follows; "…, officials said on Thursday."
    governs what comes before the comma.
    """
    for m in found:
        if m.precision != "day" or not m.date_start < published:
            continue
        before = text[max(0, m.start - 40) : m.start]
        if _STATEMENT_VERB.search(before) is None:
            continue
        if _REPORTED.match(text[m.end : m.end + 20]):
            return m.date_start, m.end, len(text)
        if _SENTENCE_END.match(text[m.end :]):
            comma = text.rfind(",", 0, m.start)
            if comma > 0:
                return m.date_start, 0, comma
    return None


def _find_dates(text: str, published: date) -> list[DateMatch]:
    """The date expressions of one sentence, resolved against `published` alone.

    Sorted by position and non-overlapping: where candidates overlap, the longest wins
    ("through November 10" over "November 10", "from May 12 to August 12" over both days).

    """
    if isinstance(published, datetime):
        published = published.date()
    sentence = Sentence(text, published)
    found: list[tuple[int, int, DateMatch | None]] = []
    for pattern, matcher in MATCHERS:
        for m in pattern.finditer(text):
            if m.end() - m.start() > MAX_MENTION_CHARS:
                continue
            hit = _resolve(matcher, m, sentence)
            if hit is _UNRESOLVED:
                # Not resolved, and not half-resolved either: it still takes its words, so
                # "January 5" of year 10000 does not become "January" of 9999.
                found.append((m.start(), m.end(), None))
            elif hit is not None:
                found.append((hit.start, hit.end, hit))
    kept: list[tuple[int, int, DateMatch | None]] = []  # disjoint, sorted by start
    for start, end, hit in sorted(found, key=lambda f: (f[0] - f[1], f[0])):  # longest first
        k = bisect.bisect_left(kept, (end,))  # kept[:k] start before this one ends
        if k == 0 or kept[k - 1][1] <= start:  # ... and the last of them ends before it
            kept.insert(k, (start, end, hit))
    return [hit for _, _, hit in kept if hit is not None]


# --------------------------------------------------------------------------- explanations


def _resolved(m: DateMatch) -> str:
    """The resolved date(s) in words, at the match's precision, naming a coarse one."""
    words = describe_range(m.date_start, m.date_end, m.precision)
    return f"{words} ({m.precision})" if m.precision in COARSE else words


def _reason(m: DateMatch, published: date) -> str:
    """Why the match resolves as it does, in a reader's words."""
    pub = format_day(published)
    words = m.text.lower()
    if "weekend" in words:
        if m.date_end < published:
            where = "the weekend before publication"
        elif m.date_start > published:
            where = "the weekend after publication"
        else:
            where = "the weekend of publication"
        return f"{where} on {pub}"
    if m.method == "tense":
        name = f"{m.date_start:%A}"
        if m.date_start < published:
            return f"the {name} before publication on {pub} (past tense)"
        if m.date_start > published:
            return f"the {name} after publication on {pub} (future tense)"
        return f"the day of publication, {pub}"
    if m.anchor is not None:
        return f"relative to the statement made on {format_day(m.anchor)}"
    if m.method == "relative":
        return f"relative to publication on {pub}"
    if _HAS_YEAR.search(m.text):
        return "as written"
    if m.date_start.year == published.year:
        return "publication year"
    # The year was inferred and is not the publication's: say which way and why.
    earlier = m.date_start.year < published.year
    if m.precision == "day":
        which, side = ("the latest", "before") if earlier else ("the next", "after")
        return f"{which} {m.date_start.day} {m.date_start:%B} {side} publication on {pub}"
    if m.precision == "month":
        which = "the latest" if earlier else "the next"
        return f"{which} {m.date_start:%B} {'before' if earlier else 'after'} publication on {pub}"
    return f"the year {'before' if earlier else 'after'} publication on {pub}"


def explain(match: DateMatch, published: date) -> str:
    """A reader-facing sentence: the words, what they resolve to, and why.

    >>> from datetime import date
    >>> pub = date(2025, 10, 27)
    >>> explain(find_dates("The truce expires on November 10.", pub)[0], pub)
    'November 10 → Mon 10 Nov 2025, publication year'
    >>> explain(find_dates("Talks were held on Sunday.", pub)[0], pub)
    'on Sunday → Sun 26 Oct 2025, the Sunday before publication on Mon 27 Oct 2025 (past tense)'
    """
    if isinstance(published, datetime):
        published = published.date()
    return f"{match.text} → {_resolved(match)}, {_reason(match, published)}"
