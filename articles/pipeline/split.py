"""Step 2 of the pipeline: cleaned body → passages (headings, paragraphs, list items).

Pure: no Django, no database.

One passage per non-blank line: the collected reports carry one paragraph per line, with
or without blank lines between. Offsets point into the body given, so
body[block.start:block.end] == block.text always holds; a list item's text (and offsets)
leave out its bullet marker.

    >>> body = "Other Issues\\n\\nThe talks also included:\\n• Port fees\\nThat was all."
    >>> [(b.kind, b.text) for b in split_passages(body)]  # doctest: +NORMALIZE_WHITESPACE
    [('heading', 'Other Issues'), ('paragraph', 'The talks also included:'),
     ('list_item', 'Port fees'), ('paragraph', 'That was all.')]
"""

import re
from dataclasses import dataclass

from .sentences import split_sentences

# A bullet or a list number, then at least one space: "• ", "- ", "* ", "– ", "1. ", "1) ".
# The space is required so "-20°C" or "1.5%" at a line start is not a list.
_BULLET = re.compile(r"(?:[•●▪◦‣·*\-–]|\d{1,3}[.)])[ \t]+(?=\S)")

HEADING_MAX_WORDS = 12
HEADING_MAX_CHARS = 90
# A heading never ends like a sentence, a clause or a quotation.
_SENTENCE_FINAL = tuple(".!?:;,”\"’'…")
# Nor on a word that needs a continuation: a line ending "… talks with the" was cut.
_DANGLING = frozenset(
    "a an the and or but of to in on at for with by from that which who as is are was were".split()
)
# A dateline or timestamp line ("October 27, 2025") is not a heading.
_DATE = re.compile(r"\b\d{1,2},\s+\d{4}\b")


# Not frozen, like analysis.ClaimDraft: every line of a report gets one, and a frozen
# dataclass sets each field through object.__setattr__, four times the cost of the plain
# one. Nothing changes a block once made.
@dataclass(slots=True)
class Block:
    kind: str  # "heading" | "paragraph" | "list_item"
    text: str
    start: int  # offsets into the cleaned body: body[start:end] == text
    end: int


def looks_like_heading(text: str) -> bool:
    """A short line that does not read as a sentence: "Tariff Pause Nears Agreement".

    >>> looks_like_heading("Soybean Trade"), looks_like_heading("The talks also included:")
    (True, False)
    """
    if len(text) > HEADING_MAX_CHARS:
        return False  # asked first: most lines are paragraphs, too long to split into words
    words = text.split()
    return (
        0 < len(words) <= HEADING_MAX_WORDS
        and (text[0].isupper() or text[0].isdigit())
        and not text.endswith(_SENTENCE_FINAL)
        and words[-1].lower() not in _DANGLING
        and not _DATE.search(text)
        and len(split_sentences(text)) == 1  # "Talks end. Markets rally" is two sentences
    )


def split_passages(body: str) -> list[Block]:
    """One Block per non-blank line of body; a heading must be followed by a passage."""
    lines = _lines(body)
    blocks = []
    for index, (start, end, text) in enumerate(lines):
        bullet = _BULLET.match(body, start, end)
        if bullet:
            kind, start = "list_item", bullet.end()
            text = body[start:end]
        elif index + 1 < len(lines) and looks_like_heading(text):
            kind = "heading"
        else:
            kind = "paragraph"
        blocks.append(Block(kind, text, start, end))
    return blocks


def _lines(body: str) -> list[tuple[int, int, str]]:
    """(start, end, text) of each non-blank line of body, stripped: body[start:end] == text.
    Split at line breaks, not by a regex of the lines between them: str.split finds them by a
    fast scan, where a regex's [^\n]+ steps through the body character by character."""
    lines = []
    line_start = 0
    for line in body.split("\n"):
        text = line.strip()  # the line itself when it has no space to lose, as in a cleaned body
        if text:
            start = line_start + len(line) - len(line.lstrip())
            lines.append((start, start + len(text), text))
        line_start += len(line) + 1
    return lines
