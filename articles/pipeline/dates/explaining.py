"""Explanations: what a mention resolves to and why, in a reader's words."""

from __future__ import annotations

from datetime import date, datetime

from .match import DateMatch
from .periods import COARSE, WEEKDAY_NAMES, describe_range, format_day, month_name
from .rules import HAS_YEAR

# --------------------------------------------------------------------------- explanations


def _resolved(m: DateMatch) -> str:
    """The resolved date(s) in words, at the match's precision, naming a coarse one."""
    words = describe_range(m.date_start, m.date_end, m.precision)
    return f"{words} ({m.precision})" if m.precision in COARSE else words


def _reason(m: DateMatch, published: date) -> str:
    """Why the match resolves as it does, in a reader's words."""
    if m.basis:
        return m.basis
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
        name = WEEKDAY_NAMES[m.date_start.weekday()]
        if m.date_start < published:
            return f"the {name} before publication on {pub} (past tense)"
        if m.date_start > published:
            return f"the {name} after publication on {pub} (future tense)"
        return f"the day of publication, {pub}"
    if m.anchor is not None:
        return f"relative to the statement made on {format_day(m.anchor)}"
    if m.method == "relative":
        return f"relative to publication on {pub}"
    if HAS_YEAR.search(m.text):
        return "as written"
    if m.date_start.year == published.year:
        return "publication year"
    # The year was inferred and is not the publication's: say which way and why.
    earlier = m.date_start.year < published.year
    if m.precision == "day":
        which, side = ("the latest", "before") if earlier else ("the next", "after")
        return f"{which} {m.date_start.day} {month_name(m.date_start)} {side} publication on {pub}"
    if m.precision == "month":
        which, side = ("the latest", "before") if earlier else ("the next", "after")
        return f"{which} {month_name(m.date_start)} {side} publication on {pub}"
    return f"the year {'before' if earlier else 'after'} publication on {pub}"


def explain(match: DateMatch, published: date) -> str:
    """A reader-facing sentence: the words, what they resolve to, and why.

    >>> from datetime import date
    >>> from articles.pipeline.dates import find_dates
    >>> pub = date(2025, 10, 27)
    >>> explain(find_dates("The truce expires on November 10.", pub)[0], pub)
    'November 10 → Mon 10 Nov 2025, publication year'
    >>> explain(find_dates("Talks were held on Sunday.", pub)[0], pub)
    'on Sunday → Sun 26 Oct 2025, the Sunday before publication on Mon 27 Oct 2025 (past tense)'
    """
    if isinstance(published, datetime):
        published = published.date()
    return f"{match.text} → {_resolved(match)}, {_reason(match, published)}"
