"""What a date mention is: its words, offsets and resolved span."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class DateMatch:
    text: str  # the words as written, e.g. "this Thursday", "since April", "this week’s"
    start: int  # offsets of `text` in the string passed to find_dates: s[start:end] == text
    end: int
    date_start: date  # resolved first day
    date_end: date  # resolved last day (== date_start for a single day); never before it
    precision: str  # "day", "week", "month", "quarter", "season" or "year"
    # "absolute", "relative" (to publication), "tense" (bare weekday) or "context" (from
    # another date or a dated event the report names: articles.pipeline.dates.context)
    method: str
    # The day a reported statement was made, when the words are relative to it rather than
    # to publication: "said on Thursday that talks would resume next month".
    anchor: date | None = None
    # For method "context": why, in a reader's words ("counted from Tue 4 Nov 2025, ...").
    basis: str | None = None


# The longest words a mention may take (DateMention.text holds this many). The longest real
# ones ("from the 10th of November, 2025 to the 12th of December, 2025") are half of it; a
# longer match has only stretched over a run of blank space between its words.
MAX_MENTION_CHARS = 120
