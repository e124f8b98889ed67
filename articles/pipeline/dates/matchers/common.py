"""What the matchers of every kind share: the DateMatch of a regex match (``_hit``), words
normalised for lookup (``_norm``), the word before a mention, and which way a yearless day or a
bare month points when no year is written."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date

from ..match import DateMatch
from ..tense import Sentence


def _hit(m: re.Match, start: date, end: date, precision: str, method: str) -> DateMatch | None:
    if end < start:
        return None
    return DateMatch(m.group(), m.start(), m.end(), start, end, precision, method)


def _norm(words: str | None) -> str:
    return " ".join(words.lower().split()) if words else ""


def _day_direction(prep: str | None, s: Sentence, m: re.Match) -> Callable[[], str | None]:
    """Which way a far-off yearless day points: the tense, else its preposition. Asked only
    of such a day (rules.yearly_day): most days are near publication, and a sentence's
    tense is dear to read."""

    def direction() -> str | None:
        tense = s.tense(m.start(), m.end())
        if tense:
            return tense
        word = _norm(prep)
        if word == "since":
            return "past"
        return "future" if word in ("by", "until", "till", "through", "thru", "before") else None

    return direction


_PREVIOUS_WORD = re.compile(r"(\S+)\s+$")


def _previous_word(text: str, at: int, reach: int = 100) -> str:
    """The word before the blank space that ends at ``at`` ("" if there is none)."""
    lo = max(0, at - reach)
    previous = _PREVIOUS_WORD.search(text, lo, at)
    if previous and previous.start() == lo > 0 and not text[lo - 1].isspace():
        previous = _PREVIOUS_WORD.search(text, 0, at)  # a word longer than the reach
    return previous.group(1) if previous else ""


def _bare_month_direction(
    prep: str | None, s: Sentence, m: re.Match, month: int | None = None
) -> str | None:
    """Which way a bare month points (rules.month_year); `month`, if known, may spare reading
    the tense."""
    prep = _norm(prep)
    fixed = {
        "since": "past", "this past": "past", "last": "strict_past",
        "next": "strict_future", "coming": "strict_future", "this coming": "strict_future",
        "this": None,
    }  # fmt: skip
    if prep in fixed:
        return fixed[prep]
    if month == s.published.month:
        return None  # the publication's month is this year's, whichever way the words point
    tense = s.tense(m.start(), m.end())
    if tense:
        return tense
    # No cue: "in" reads as past (the common case in reports); a month with no preposition
    # ("the October flare-up", "January soybean futures") is the one nearest publication.
    return "past" if prep == "in" else "nearest" if not prep else None
