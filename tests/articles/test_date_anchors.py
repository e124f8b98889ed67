"""patterns.Anchor: a pattern tried only near its anchor finds what finditer finds.

Each anchor's `words` is the most words or numbers a match can hold before its anchor;
the longest prefixes below need every one of them, and random strings built from the
patterns' own words must come out the same either way.
"""

import random
import re

import pytest

from articles.pipeline.casefold import for_lowered, lowered
from articles.pipeline.dates import context, patterns
from articles.pipeline.dates.patterns import ANCHORS, Anchor

ANCHORED = [*ANCHORS.items(), (context.ANAPHORA, context._ANAPHORA_ANCHOR)]

# The longest run of words before each anchor, one example each.
LONGEST = {
    patterns.BARE_MONTH: ["this past the beginning of May"],
    patterns.EXPLICIT_DAY: ["since Tuesday, 10th of November"],
    patterns.DAY_RANGE: ["from May 12th to 14th", "between Nov. 13 and 14"],
    patterns.RELATIVE_PERIOD: ["from the beginning of the current week"],
    patterns.WEEKDAY: ["this coming Monday"],
    patterns.WEEKDAY_PAIR: ["on Friday and Saturday"],
    context.ANAPHORA: ["the next day", "that same day"],
}

WORDS = (
    "since through until by before after from this past coming in during last next earlier "
    "later early late mid the end of start beginning middle rest Tuesday Monday Sunday May "
    "March June Nov. Sept Dec 10 10th 1st 31 12 14 2025 and to of a said x "
    "supercalifragilisticexpialidocious Black THIS SINCE ſince İn thıs current previous week "
    "month quarter year year's year’s year-end weeks fiscal day days two same following that "
    "That The afterwards preceding"
).split()
SEPARATORS = [" ", "  ", "-", ", ", "–", " - ", "\n", "", ". ", "’s ", " the ", " of the "]


def _reads(pattern: re.Pattern, text: str):
    """The text as the pattern reads it, and as its lowered form when it can read that."""
    yield pattern, text, False
    low = lowered(text)
    if pattern.flags & re.IGNORECASE and low is not None:
        yield for_lowered(pattern), low, True


def _same(pattern: re.Pattern, anchor: Anchor, text: str) -> bool:
    return all(
        [(m.span(), m.groupdict()) for m in read.finditer(t)]
        == [(m.span(), m.groupdict()) for m in anchor.finditer(read, t, lowered=low)]
        for read, t, low in _reads(pattern, text)
    )


@pytest.mark.parametrize("pattern", LONGEST, ids=lambda p: p.pattern[:30])
def test_each_anchor_reaches_back_as_far_as_the_longest_prefix(pattern):
    anchor = dict(ANCHORED)[pattern]
    for example in LONGEST[pattern]:
        for before in ("", "Officials who spoke at length said ", "x" * 70 + " "):
            text = f"{before}{example} and more."
            assert pattern.search(text).group() == example
            assert _same(pattern, anchor, text)
            fewer = Anchor(anchor.pattern.pattern, anchor.words - 1, anchor.pattern.flags)
            assert not _same(pattern, fewer, text)  # else the count is more than it needs


def test_random_text_is_found_alike():
    rng = random.Random(5)
    for _ in range(3000):
        parts = [rng.choice(WORDS) + rng.choice(SEPARATORS) for _ in range(rng.randint(1, 14))]
        text = "y" * rng.randint(0, 80) + " " + "".join(parts)
        for pattern, anchor in ANCHORED:
            assert _same(pattern, anchor, text), text
