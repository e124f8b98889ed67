"""Dates that need more than their own words: what the report or the timeline already dates.

Three readings depend on something outside the date expression itself:

* **Counted from another date.** "China announced the controls Oct. 9, and Trump responded
  a day later": "a day later", "two days later", "the next day", "the same day", "that
  day", "the previous day", "a week later", "the following week/month" count from the last
  day named before them: earlier in the sentence, else in the sentences just before it (the
  same passage or the one before). With no such day they are no mention.
* **"this month" near a month's edge.** A report of Sunday 2 November that says "the Busan
  meeting this month" was written about October: when the sentence names something dated
  (an event on the timeline, or a place an earlier sentence of the report gave a day) that
  lies in the month next to the one the words resolve to, within a week of the edge between
  them, the words mean that month.
* **Vague periods narrowed.** "Earlier in the year, negotiators met in Geneva" is not the
  whole year when Geneva is dated: a season or a part of a year that lies before
  publication and whose clause names exactly one dated thing inside it (or one month or day
  written there) is that thing's month. What a source expects ("later this year", "by
  autumn") stays as vague as it said it: that vagueness is what the conflicts show.

``Context`` carries what a report has dated so far; ``analysis.analyse`` threads one through
a report's sentences in order, and the caller may give it what the timeline knows
(``Known`` events). Nothing here touches a database.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date, timedelta

from .match import DateMatch
from .patterns import SMALL_NUMBERS, Anchor
from .periods import add_months, format_day, month_span, week_start
from .tense import Sentence


def _month(day: date, delta: int = 0) -> date:
    """The first day of the month `delta` months from the day's."""
    year, month = add_months(day.year, day.month, delta)
    return date(year, month, 1)


def _month_beside(day: date, delta: int) -> date | None:
    """_month(day, delta), or None where that month lies beyond the calendar: a report
    dated in January of year 1 has no month before it, one of December 9999 none after."""
    try:
        return _month(day, delta)
    except ValueError:
        return None


def _span(first: date) -> tuple[date, date]:
    return month_span(first.year, first.month)


# How near the edge of a month publication must be for "this month" to mean the other one.
EDGE_DAYS = 7
# How many passages back the last named day may lie for "a day later" to count from it.
ANCHOR_PASSAGES = 1


_OPENING_QUOTES = '“"‘'
_QUOTE = re.compile(r"[“”\"]")
_CLOSING_QUOTE = re.compile(r"[”\"]")


def _quote_left_open(text: str, was_open: bool) -> bool:
    """Whether a quotation is still open at the end of the text: curly quotes by which
    comes last, straight ones by their count."""
    opening, closing = text.rfind("“"), text.rfind("”")
    if opening != -1 or closing != -1:
        return opening > closing
    return was_open != (text.count('"') % 2 == 1)


@dataclass(frozen=True)
class Known:
    """Something dated outside the sentence: an event on the timeline, or a place an
    earlier sentence of the report gave a day. `names` are matched as whole words."""

    label: str
    names: tuple[str, ...]
    start: date
    end: date

    def named_in(self, text: str) -> bool:
        return any(_named(name, text) for name in self.names)


@functools.lru_cache(maxsize=1024)
def _name_pattern(name: str) -> tuple[re.Pattern, bool]:
    """The name as a whole word, and whether it is matched case-sensitively: a name with a
    capital must be written so ("Busan"), one without may be written any way ("truce")."""
    cased = any(c.isupper() for c in name)
    flags = 0 if cased else re.IGNORECASE
    return re.compile(rf"(?<!\w){re.escape(name)}(?!\w)", flags), cased


def _named(name: str, text: str) -> bool:
    pattern, cased = _name_pattern(name)
    if cased and name not in text:
        return False  # no need to look for the whole word
    return pattern.search(text) is not None


@dataclass
class Context:
    """What a report has dated so far, read in order, and what the timeline knows."""

    known: tuple[Known, ...] = ()
    places: tuple[str, ...] = ()  # the gazetteer: names an earlier sentence can date
    passage: int = 0  # the passage of the sentence being read
    last_day: tuple[int, date] | None = None  # (passage, day) of the last day named
    named: list[Known] = field(default_factory=list)
    speech: tuple[int, date] | None = None  # (passage, day) of the statement being quoted
    quote_open: bool = False  # a quotation runs on past the end of the last sentence

    def at(self, passage: int | None) -> Context:
        """Move to the passage of the next sentence."""
        if passage is not None:
            self.passage = passage
        return self

    def anchor(self) -> date | None:
        if self.last_day is None:
            return None
        passage, day = self.last_day
        return day if self.passage - passage <= ANCHOR_PASSAGES else None

    def quote_goes_on(self, text: str) -> tuple[date, int, int] | None:
        """(day, start, end) of the part of this sentence that goes on quoting a statement
        made on `day` in the sentence before it (same passage), or None."""
        if self.speech is None or self.speech[0] != self.passage:
            return None
        opens = text.lstrip()[:1] in _OPENING_QUOTES
        if not (self.quote_open or opens):
            return None
        start = text.index(text.lstrip()[:1]) + 1 if opens else 0
        close = _CLOSING_QUOTE.search(text, start)
        return self.speech[1], start, close.start() if close else len(text)

    def heard(self, text: str, spoken: tuple[date, int, int] | None) -> None:
        """After a sentence: the day its quotation speaks from, and whether it is still open."""
        self.speech = (self.passage, spoken[0]) if spoken and _QUOTE.search(text) else None
        self.quote_open = _quote_left_open(text, self.quote_open)

    def remember(self, text: str, matches: list[DateMatch]) -> None:
        """After a sentence: its last day, and the places it gave a single day."""
        days = [m for m in matches if m.precision == "day" and m.date_start == m.date_end]
        if not days:
            return
        self.last_day = (self.passage, days[-1].date_start)
        if len(days) == 1:
            day = days[0].date_start
            for place in self.places:
                if _named(place, text):
                    self.named.append(Known(place, (place,), day, day))

    def dated_in(self, text: str) -> list[Known]:
        """The dated things a sentence names: timeline events, then the report's places."""
        return [k for k in (*self.known, *self.named) if k.named_in(text)]


# --------------------------------------------------------------------------- counted from a day

_COUNT = r"(?P<n>(?i:a|an|one|two|three|four|five|six|seven|eight|nine|ten)|\d{1,2})"
ANAPHORA = re.compile(
    rf"\b{_COUNT}\s+(?P<unit>day|week)s?\s+(?P<dir>later|earlier|afterwards?|before)"
    r"(?![\w-]|\s+(?:the|a|an|his|her|its|their|this|that|[A-Z0-9]))"
    r"|\b(?i:the)\s+(?P<rel>next|following|previous|preceding|same)\s+day\b"
    r"|\b(?i:the)\s+(?P<rel2>following|previous|preceding)\s+(?P<unit2>week|month)\b"
    r"|\b(?i:that)\s+(?P<same>same\s+)?day\b"
    r"|\b(?i:the)\s+day\s+(?P<side>after|before)(?=\s*[,.;:!?)]|\s+(?:and|but|when|as|with)\b)",
)
# Every match of ANAPHORA holds "day", "week" or "month", as written (its units are lower
# case). It is looked for only where a blank comes before a day, or before the words around a week
# or a month that say which ("the following week", "two weeks later"), and at most two
# words before that ("the next| day", "that same| day"). The units alone are no anchor:
# "this week" and "for months" are everywhere; and this one opens with a blank, which a
# regex skips to at once.
_ANAPHORA_ANCHOR = Anchor(
    r"\s(?:days?\b|(?:following|previous|preceding)\s+(?:week|month)\b"
    r"|weeks?\s+(?:later|earlier|afterward|before))",
    words=2,
)
_STEP = {"next": 1, "following": 1, "previous": -1, "preceding": -1, "same": 0}


def counted_from_a_day(text: str, found: list[DateMatch], context: Context | None):
    """The words counted from the last day named before them, added to `found`."""
    extra = []
    # A substring test each, spelled out: any() over them costs several times this.
    if "day" not in text and "week" not in text and "month" not in text:
        return sorted(found, key=lambda f: f.start)
    for m in _ANAPHORA_ANCHOR.finditer(ANAPHORA, text):
        if any(f.start < m.end() and m.start() < f.end for f in found):
            continue
        earlier = [
            f.date_start
            for f in found
            if f.end <= m.start() and f.precision == "day" and f.date_start == f.date_end
        ]
        anchor = earlier[-1] if earlier else (context.anchor() if context else None)
        if anchor is None:
            continue
        span = _counted(m, anchor)
        if span is None:
            continue
        start, end, precision = span
        why = f"counted from {format_day(anchor)}, the day named before it"
        extra.append(
            DateMatch(m.group(), m.start(), m.end(), start, end, precision, "context", basis=why)
        )
    return sorted([*found, *extra], key=lambda f: f.start)


def _counted(m: re.Match, anchor: date):
    if m.group("n"):
        word = m.group("n").lower()
        n = 1 if word in ("a", "an") else SMALL_NUMBERS.get(word) or int(word)
        days = n * (7 if m.group("unit") == "week" else 1)
        sign = -1 if m.group("dir") in ("earlier", "before") else 1
        day = anchor + timedelta(days=sign * days)
        return day, day, "day"
    if m.group("rel"):
        day = anchor + timedelta(days=_STEP[m.group("rel")])
        return day, day, "day"
    if m.group("rel2"):
        step = _STEP[m.group("rel2")]
        if m.group("unit2") == "week":
            monday = week_start(anchor) + timedelta(weeks=step)
            return monday, monday + timedelta(days=6), "week"
        return (*_span(_month(anchor, step)), "month")
    if m.group("side"):
        day = anchor + timedelta(days=1 if m.group("side") == "after" else -1)
        return day, day, "day"
    return anchor, anchor, "day"  # "that day", "that same day"


# --------------------------------------------------------------------------- named things

_EARLIER_THIS_MONTH = re.compile(r"^(?i:earlier\s+this\s+month)")
_MONTH_WORDS = re.compile(r"^(?i:(?:earlier|later|early|late)\s+)?(?i:this|last|next)\s+month")
# A part of a year ("earlier in the year", "late last year"), not a whole one ("this year"),
# nor a deadline ("by the end of the year", "by autumn"): those mean the whole period.
_PART_OF_YEAR = re.compile(r"^(?i:in\s+|since\s+)?(?i:earlier|later|early|late)\b")
_DEADLINE = re.compile(r"^(?i:by|until|till|through|before)\b")


def in_context(text: str, found: list[DateMatch], published: date, context: Context):
    """Each match, moved or narrowed by the dated things its sentence names."""
    if not found:
        return []
    named: list[list[Known]] = []  # looked for once, and only when a match needs it

    def dated() -> list[Known]:
        if not named:
            named.append(context.dated_in(text))
        return named[0]

    return [_with_named(m, text, found, dated, published) for m in found]


def _with_named(m, text, found, dated, published):
    if m.anchor is None and published.day == 1 and _EARLIER_THIS_MONTH.match(m.text):
        # On the 1st nothing of the month lies earlier: the report was written the day before.
        before = _month_beside(published, -1)
        if before is None:
            return m
        start, end = _span(before)
        return _moved(m, start, end, "the month before publication on the 1st")
    if m.anchor is None and m.method == "relative" and _MONTH_WORDS.match(m.text):
        return _month_at_the_edge(m, text, dated, published)
    if (
        m.method == "relative"
        and m.date_end < published  # what the source looks back on, not what it expects
        and not _DEADLINE.match(m.text)
        and (m.precision == "season" or (m.precision == "year" and _PART_OF_YEAR.match(m.text)))
    ):
        return _narrowed(m, text, found, dated, published)
    return m


def _month_at_the_edge(m: DateMatch, text: str, dated: Callable[[], list[Known]], published):
    first, last = _span(_month(published))
    near_start = (published - first).days < EDGE_DAYS
    near_end = (last - published).days < EDGE_DAYS
    if not (near_start or near_end):
        return m
    said = _month(m.date_start)
    other = _month_beside(first, -1 if near_start else 1)
    if other is None:
        return m
    # Back across the edge only for what has happened; forward only for what is to come.
    tense = Sentence(text, published).tense(m.start, m.end)
    if tense == ("future" if other < said else "past"):
        return m
    dated = dated()
    months = {_month(k.start) for k in dated if _month(k.start) == _month(k.end)}
    if said in months:
        return m
    # Only the month across the edge publication is near: the one before it, or after it.
    if months != {other} or abs((said.year - other.year) * 12 + said.month - other.month) != 1:
        return m
    label = next(k.label for k in dated if _month(k.start) == other)
    start, end = _span(other)
    why = f"the month of “{label}” ({format_day(_first_day(dated, other))}), named in the sentence"
    return _moved(m, start, end, why)


def _first_day(dated: list[Known], month: date) -> date:
    return min(k.start for k in dated if _month(k.start) == month)


def _narrowed(m, text, found, dated, published) -> DateMatch:
    """A season or part of a year narrowed to the one month its own clause names (or the
    clause after it, when it opens the sentence on its own: "Last summer, in August, …")."""
    sentence = Sentence(text, published)
    lo, hi = sentence.clause(m.start, m.end)
    if text[lo:hi].strip(" ,.").lower() == m.text.lower() and hi < len(text):
        hi = sentence.clause(hi + 1, hi + 1)[1]
    dated = [k for k in dated() if k.named_in(text[lo:hi])]
    found = [f for f in found if lo <= f.start and f.end <= hi]
    inside = {
        _month(k.start): k.label for k in dated if m.date_start <= k.start and k.end <= m.date_end
    }
    written = {
        _month(f.date_start): f.text
        for f in found
        if f is not m
        and f.precision in ("day", "month")
        and m.date_start <= f.date_start
        and f.date_end <= m.date_end
        and _month(f.date_start) == _month(f.date_end)
    }
    months = set(inside) | set(written)
    if len(months) != 1:
        return m
    (month,) = months
    start, end = _span(month)
    what = f"“{inside.get(month) or written[month]}”"
    return _moved(m, start, end, f"narrowed to the month of {what}, named in the sentence")


def _moved(m: DateMatch, start: date, end: date, why: str) -> DateMatch:
    """The match as one whole month, read from what the sentence names."""
    return replace(
        m, date_start=start, date_end=end, precision="month", method="context", basis=why
    )
