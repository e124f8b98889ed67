"""The words of dates: vocabulary and the regular expressions that find candidates."""

from __future__ import annotations

import calendar
import re

from ..casefold import Words, for_lowered

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
# A hyphen may join a year to a word ("mid-2025", "end-2025"), not to a number ("2018-2020").
_YEAR = (
    r"(?<![\d$€£.,])(?<![^A-Za-z]-)(?<!^-)(?:19|20)\d{2}\b(?![.,]\d|%|\s*(?i:percent|per\s+cent))"
)
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
_PREP_YEAR = (
    r"(?i:since|in|by|until|till|through|thru|from|before|after|during"
    r"|(?:much|most|all|part|rest|half|some)\s+of)"  # "much of 2025"
)
# Parts of a period: "early May", "mid-2025", "the end of this year".
_PART = (
    r"(?i:earlier\s+in|later\s+in|early|late|mid|the\s+end\s+of|end\s+of|the\s+start\s+of"
    r"|start\s+of|the\s+beginning\s+of|beginning\s+of|the\s+middle\s+of|middle\s+of"
    r"|end(?=-)|start(?=-))"  # "end-October", "end-2025"
)
_RANGE_JOIN = r"(?:\s*[-–—]\s*|\s+(?i:to|until|till|through|thru|and)\s+)"

# --------------------------------------------------------------------------- compiled patterns

ISO_DATE = re.compile(_ISO)
# A year named relatively after a day or month: "Nov. 10 of this year", "May last year".
_WHICH_YEAR = r"\s+(?:(?i:of)\s+)?(?P<which>(?i:this|last|next))\s+(?i:year)\b"
EXPLICIT_DAY = re.compile(
    rf"(?:\b(?P<prep>{_PREP_DAY})\s+)?(?:\b(?P<wd>{_WEEKDAY}),?\s+)?(?P<d>{_MONTH_DAY}|{_DAY_MONTH})"
    rf"(?:{_WHICH_YEAR})?"
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
    rf"(?P<mon>{_MONTH})(?:\s*,?\s+(?:of\s+)?(?P<year>{_YEAR})|{_WHICH_YEAR})"
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
      | (?:(?P<which4>this|next|last)\s+)?(?<!fiscal\s)(?<!financial\s)
            (?P<year_end>(?:the\s+)?year{_APOS}s\s+end|year(?:-|\s+)end)  # "by year-end"
    )(?P<poss>{_APOS}s)?\b""",
    re.IGNORECASE | re.VERBOSE,
)
# Seasons, northern-hemisphere and meteorological (whole months): spring is March–May,
# summer June–August, autumn (fall) September–November, winter December–February.
# "fall" is a season only after a determiner or before a year: "exports fall" is a verb.
SEASON = re.compile(
    rf"""\b(?:(?P<prep>since|until|till|by|through|before|after|from|in|during|over)\s+)?
    (?:(?P<part0>earlier|later|early|late|mid)\s+(?=(?:last|next|this)\b))?
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
    # yearless, "(in) the first half": not "the second half of the match", nor "first-half"
    rf"|\b(?:(?P<prep2>{_PREP_YEAR})\s+)?(?i:the)\s+(?P<ord2>(?i:first|second|1st|2nd))"
    rf"\s+(?i:half)\b(?!\s+(?i:of)\b|-)"
)
# "the first six months of the year", "the last three months of 2024": from the year's start
# or to its end.
FIRST_MONTHS = re.compile(
    rf"\b(?:(?P<prep>{_PREP_YEAR})\s+)?(?i:the)\s+(?P<side>(?i:first|last|final))\s+"
    r"(?P<n>(?i:two|three|four|five|six|seven|eight|nine|ten|eleven|[2-9]|1[01]))\s+(?i:months)"
    rf"\s+(?i:of)\s+(?:(?P<year>{_YEAR})|(?P<which>(?i:this|last|next|the))\s+(?i:year))"
    rf"(?P<poss>{_APOS}s)?\b"
)
# "the third week of November": days 1-7, 8-14, 15-21, 22-28; the last week is the last 7.
WEEK_OF_MONTH = re.compile(
    rf"(?:\b(?P<prep>{_PREP_YEAR})\s+)?\b(?i:the)\s+"
    r"(?P<ord>(?i:first|second|third|fourth|last|final|1st|2nd|3rd|4th))\s+(?i:week)\s+(?i:of)\s+"
    rf"(?P<mon>{_MONTH})(?:\s*,?\s*(?P<year>{_YEAR}))?"
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
# from today", "three days from now", "two days before the Nov. 10 deadline", "in three
# days' time"), "Friday week" (a week after the coming Friday) and "the day after
# Thursday's meeting" or "the day after tomorrow".
_COUNT = r"(?P<n>a|an|one|two|three|four|five|six|seven|eight|nine|ten|\d{1,2})"
_LENGTH = rf"(?:{_COUNT}\s+(?P<unit>days?|weeks?)|(?P<fortnight>a\s+fortnight))"
COMPOUND = re.compile(
    rf"\b{_LENGTH}\s+(?P<rel>from|after|before)\s+(?:(?P<deictic>today|tomorrow|yesterday|now)\b|"
    rf"(?P<wd>{_WEEKDAY})(?:{_APOS}s)?\b)",
    re.IGNORECASE,
)
# Counted from an explicit day, with the event it names: "a week after the Oct. 30 summit".
_EVENT = (
    r"(?i:deadline|meeting|summit|vote|talks|election|visit|call|trip|truce|ceremony|signing"
    r"|hearing|announcement|expiry|expiration|session|conference|negotiations|round)s?"
)
COMPOUND_DATE = re.compile(
    rf"\b(?i:{_LENGTH}\s+(?P<rel>after|before|from))\s+(?:(?i:the)\s+)?"
    rf"(?P<d>{_MONTH_DAY}|{_DAY_MONTH})(?:\s+(?:[\w’'-]+\s+)?{_EVENT}\b)?"
)
IN_TIME = re.compile(rf"\bin\s+{_LENGTH}(?:{_APOS}s?)?\s+time\b", re.IGNORECASE)
WEEKDAY_WEEK = re.compile(rf"\b(?P<wd>{_WEEKDAY})\s+week\b(?!\s*(?:of|'s|’s))")
DAY_AFTER = re.compile(
    rf"\bthe\s+day\s+(?P<rel>after|before)\s+(?:(?P<deictic>tomorrow|yesterday)\b"
    rf"|(?P<wd>{_WEEKDAY})(?:{_APOS}s)?\b)",
    re.IGNORECASE,
)
# Two weekdays as one span: "on Friday and Saturday" (consecutive days only), "from Monday
# to Wednesday", "Thursday-Friday".
_WEEKDAY_JOIN = r"(?:\s*[-–—]\s*|\s+(?i:and|to|through|thru|until|till)\s+)"
WEEKDAY_PAIR = re.compile(
    r"(?:\b(?P<prep>(?i:on|from|between))\s+)?"
    rf"(?<!Black )(?<!Good )(?<!Cyber )(?<!Super )\b(?P<wd1>{_WEEKDAY})"
    rf"(?P<join>{_WEEKDAY_JOIN})(?P<wd2>{_WEEKDAY})(?P<poss>{_APOS}s)?\b"
)
# Holidays with a fixed day, and US Thanksgiving (the fourth Thursday of November). A bare
# "Christmas" or "Thanksgiving" needs a date context ("before Christmas"); "Black Friday"
# and the like are no date.
# "2026 through 2028", "2026-2028" (with "from"/"between" they are RANGE's).
YEAR_RANGE = re.compile(
    rf"(?<!(?i:from) )(?<!(?i:between) )(?P<a>{_YEAR})"
    rf"\s*(?:[-–—]|\s(?i:to|through|thru|until)\s)\s*(?P<b>{_YEAR})"
)
HOLIDAYS = {"christmas eve": (12, 24), "christmas": (12, 25), "christmas day": (12, 25),
            "new year's day": (1, 1), "new year's eve": (12, 31)}  # fmt: skip
HOLIDAY = re.compile(
    rf"(?:\b(?P<prep>{_PREP_DAY})\s+)?(?:\b(?P<which>(?i:last|next|this))\s+)?"
    rf"\b(?P<name>Christmas(?:\s+(?P<day>Eve|Day))?"
    rf"|New\s+Year{_APOS}s\s+(?P<nyday>Eve|Day)|Thanksgiving(?:\s+(?P<tday>Day))?)"
    rf"(?:\s*,?\s*(?P<year>{_YEAR}))?(?P<poss>{_APOS}s)?\b"
)

# A "from X to Y" after these verbs names two dates (a change), not one span; they are
# looked for this far before it.
CHANGE_REACH = 200
CHANGE_VERB = re.compile(
    r"\b(?:extend|postpon|delay|push|pushed\s+back|mov|shift|reschedul|brought\s+forward"
    r"|bring\s+forward|advanc)\w*\b[^.;]{0,40}$",
    re.IGNORECASE,
)
# "the week of Thanksgiving", "the week of Nov. 24": the week holding that day.
WEEK_OF = re.compile(
    rf"\b(?i:the\s+week\s+of)\s+(?P<inner>{_MONTH_DAY}|{_DAY_MONTH}"
    rf"|Thanksgiving|Christmas(?:\s+(?:Eve|Day))?|New\s+Year{_APOS}s\s+(?:Eve|Day))"
)

# --------------------------------------------------------------------------- gates
# What a sentence must hold for a pattern to match anywhere in it: words that every match of
# the pattern contains, under the same case rules. find_dates looks for these first, and
# runs a pattern only over a sentence that holds all of its gates: most sentences of a
# report name no month, no weekday, no year and no period. No gate spans a blank: it is
# looked for word by word (finding._Plan.held).


class Written:
    """Strings one of which every match of a pattern holds as written (a substring test
    each: faster than a regex of them all)."""

    def __init__(self, *strings: str):
        self.strings = strings

    def held(self, text: str, low: str | None) -> bool:
        """Whether the text holds one of the strings; `low` is not needed."""
        for string in self.strings:
            if string in text:
                return True
        return False


class Cased:
    """A pattern every match of a pattern holds, read case-sensitively; looked for only in
    a text that holds what every match of it holds in turn (`within`, if given)."""

    def __init__(self, pattern: str, within: Written | None = None):
        self.pattern = re.compile(pattern)
        self.within = within

    def held(self, text: str, low: str | None) -> bool:
        """Whether the text holds a match; `low` (the lowered text) is not needed."""
        if self.within is not None and not self.within.held(text, low):
            return False
        return self.pattern.search(text) is not None


Gate = Cased | Words | Written

# A day of the month (_DAY, _DAY_NUMBER) is written with an ASCII digit.
_HAS_DIGIT = Cased(r"[0-9]")
_HAS_YEAR = Cased(r"(?:19|20)\d{2}", within=Written("19", "20"))
_HAS_MONTH = Cased(r"Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec")  # name or abbr
_HAS_WEEKDAY = Cased(_WEEKDAY, within=Written("day"))
_HAS_WEEK = Words("week")
_HAS_AFTER = Words("from", "after", "before")
_HAS_DASH = Written("-", "–", "—")  # what joins the two ends of a DASH_RANGE
# Each pattern's gates: all must hold; a tuple of gates holds when one of them does.
GATES: dict[re.Pattern, tuple[Gate | tuple[Gate, ...], ...]] = {
    # Each end of a range is a month, a day with its month, an ISO date or a year.
    RANGE: (Words("from", "between"), (_HAS_MONTH, _HAS_YEAR)),
    DASH_RANGE: (_HAS_MONTH, _HAS_DIGIT, _HAS_DASH),
    DAY_RANGE: (_HAS_MONTH, _HAS_DIGIT),
    ISO_DATE: (_HAS_YEAR,),
    EXPLICIT_DAY: (_HAS_MONTH, _HAS_DIGIT),
    MONTH_YEAR: (_HAS_MONTH, (_HAS_YEAR, Words("year"))),
    BARE_MONTH: (_HAS_MONTH,),
    YEAR: (_HAS_YEAR,),
    YEAR_RANGE: (_HAS_YEAR,),
    WEEK_OF: (_HAS_WEEK,),
    ORDINAL_QUARTER: (Words("quarter"),),
    Q_QUARTER: (Written("Q1", "Q2", "Q3", "Q4"),),
    HALF: (Words("half", "h1", "h2"),),  # "H1" is cased: "h1" holds it
    WEEKEND: (Words("weekend"),),
    RELATIVE_PERIOD: (Words("week", "month", "quarter", "year"),),
    WEEKDAY: (_HAS_WEEKDAY,),
    AGO: (Words("ago"),),
    DEICTIC_DAY: (
        Words(
            "today", "yesterday", "tomorrow", "tonight", "night", "morning", "afternoon", "evening"
        ),
    ),
    # "two weeks from Monday", "a fortnight from today", "three days before tomorrow"
    COMPOUND: (_HAS_AFTER, Words("day", "week", "fortnight"), Words("day", "now", "tomorrow")),
    SEASON: (Words("spring", "summer", "autumn", "winter", "fall"),),
    WEEKDAY_WEEK: (_HAS_WEEKDAY,),
    DAY_AFTER: (Words("day"), _HAS_AFTER),
    # "two days after Nov. 10", "a fortnight before 12 December"
    COMPOUND_DATE: (_HAS_MONTH, _HAS_DIGIT, _HAS_AFTER, Words("day", "week", "fortnight")),
    IN_TIME: (Words("time"),),
    FIRST_MONTHS: (Words("months"), Words("first", "last", "final")),
    WEEK_OF_MONTH: (_HAS_WEEK, _HAS_MONTH),
    WEEKDAY_PAIR: (_HAS_WEEKDAY,),
    HOLIDAY: (Written("Christmas", "Year", "Thanksgiving"),),
}

# --------------------------------------------------------------------------- anchors
# Where a pattern's matches can begin. A pattern that opens with optional words ("since",
# "early", "the end of") is tried at every character of a sentence, each try dear: 20-50 µs
# a sentence as written, a few times less in the lowered one. Yet each of its matches holds
# a name or a phrase a plain regex finds fast (its anchor: a month's name, a weekday's, "this
# week"), and begins at it or at one of the few words or numbers before it. Such a pattern
# is tried only there (Anchor.finditer).


class Anchor:
    """What every match of a pattern holds (`pattern`, read as the pattern reads it), and
    how many words or numbers at most begin in a match before the place it holds it
    (`words`; a run of letters is a word, of digits a number: "10th" is two).

    A match begins at the start of a word or a number (a run of letters after a ``\\b``,
    digits after no digit), or where its anchor does ("Nov. 10" in "xNov. 10").
    """

    def __init__(self, pattern: str, words: int, flags: int = 0):
        self.pattern = re.compile(pattern, flags)
        self.words = words
        # For a case-insensitive pattern read in the lowered text (casefold.for_lowered).
        self.on_lowered = for_lowered(self.pattern) if flags & re.IGNORECASE else None

    def finditer(self, pattern: re.Pattern, text: str, *, lowered: bool = False):
        """What pattern.finditer(text) finds, each match tried for only where it can begin
        (`lowered`: the text is lowered, the pattern made to read it so).

        From `pos` on, a match holds an anchor at or after the first one, and so begins at
        or after where that one's first possible start is; one that begins after that
        anchor holds a later one. So the first anchor's starts are tried in turn, failing
        them the next anchor's; past the last anchor no match begins at all.
        """
        anchor = self.on_lowered if lowered else self.pattern
        pos = 0
        while (first := anchor.search(text, pos)) is not None:
            for start in self._starts(text, first.start(), pos):
                m = pattern.match(text, start)
                if m is not None:
                    yield m
                    pos = m.end()  # never empty: it holds an anchor
                    break
            else:
                pos = first.start() + 1

    def _starts(self, text: str, at: int, pos: int) -> list[int]:
        """Where a match that holds the anchor at `at` can begin, from `pos` on: where the
        last `words` words or numbers before `at` begin, and `at`."""
        lo = max(0, at - _NEAR_CHARS)
        starts = [m.start() for m in _WORD_OR_NUMBER.finditer(text, lo, at)]
        if lo > 0:
            del starts[:1]  # it may begin inside a word the window cuts
            if len(starts) < self.words:  # long words: read from the start of the text
                starts = [m.start() for m in _WORD_OR_NUMBER.finditer(text, 0, at)]
        near = [start for start in starts[max(0, len(starts) - self.words) :] if start >= pos]
        near.append(at)
        return near


_WORD_OR_NUMBER = re.compile(r"[^\W\d_]+|\d+")
_NEAR_CHARS = 60  # holds the words before an anchor but where they are very long
_MONTH_ANCHOR = r"Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec"  # a name's first letters
ANCHORS: dict[re.Pattern, Anchor] = {
    # "since" / "this past", then "early" / "the end of" (or "end-"): the month.
    BARE_MONTH: Anchor(_MONTH_FULL, words=2 + 3),
    # "from", "Tuesday,", "10", "th", "of": the month. (Its name first: only the first two.)
    EXPLICIT_DAY: Anchor(_MONTH_ANCHOR, words=5),
    # "from", "May", the "1" of "12", then 2th to 14th: the first day's last digit joined to
    # the second day ("from 12th to 14th of May": "from", "1"). Most sentences a report
    # dates name a month; few join two days.
    DAY_RANGE: Anchor(rf"\d(?:st|nd|rd|th)?{_RANGE_JOIN}\d", words=3),
    # "from the beginning of the" current week, "since earlier in" the year, "from the
    # middle of" the month, "by next the" year's end: a word that says which, and the unit.
    # (Each alternative opens with its own word, so a regex skips at once to where one of
    # their first letters is.)
    RELATIVE_PERIOD: Anchor(
        "|".join(
            rf"{which}\s+(?:{_UNIT})"
            for which in ("this", "next", "last", "current", "previous", "the")
        )
        + rf"|year(?:{_APOS}s\s+|-|\s+)end",
        words=5,
        flags=re.IGNORECASE,
    ),
    # "this coming" / "this past": the weekday.
    WEEKDAY: Anchor(_WEEKDAY, words=2),
    # "on", "from", "between": the two weekdays joined.
    WEEKDAY_PAIR: Anchor(rf"{_WEEKDAY}{_WEEKDAY_JOIN}{_WEEKDAY}", words=1),
}
