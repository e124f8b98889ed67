"""Step 1 of the pipeline: raw report body → cleaned body, and a record of what went.

Pure: no Django, no database.

Cleaning only ever removes whole lines and whitespace. The words, punctuation and curly
quotes of the lines that stay are not touched, so a claim quoted from the cleaned text is
a quotation of the source. What a line loses besides whole-line removals:

  * a UTF-8 BOM (U+FEFF), wherever it is;
  * the line ending (\\r\\n and a lone \\r both become \\n);
  * no-break spaces (U+00A0, U+2007, U+202F), which become plain spaces;
  * leading and trailing whitespace, so "  • Fentanyl…" becomes "• Fentanyl…".

Blank lines collapse to one and none are left at either end. Every non-blank line that is
dropped is recorded as a Removal naming its rule (articles.pipeline.boilerplate.RULES) and its
1-based line number in the raw body.

    >>> cleaned = clean("First.\\r\\n\\r\\n\\r\\nAdvertisement\\r\\nSecond.\\r\\n")
    >>> cleaned.text
    'First.\\n\\nSecond.'
    >>> cleaned.removed
    (Removal(rule='advertising', text='Advertisement', line=4),)
"""

import re
from dataclasses import dataclass

from .boilerplate import RULES, Rule

_LINE_BREAK = re.compile(r"\r\n?")
# No-break spaces of every width: they only ever stand for a space in scraped text.
_NO_BREAK_SPACES = "\u00a0\u2007\u202f"
_NO_BREAK_SPACE = re.compile(f"[{_NO_BREAK_SPACES}]")
_BOM = "\ufeff"
# Spelled with three newlines, not \n{3,}: a pattern that starts with a literal is looked
# for by a fast scan of the text; one that starts with a repeat is tried at every character
# (on a report's body, a third of this step's instructions).
_BLANK_RUN = re.compile(r"\n\n\n+")


@dataclass(frozen=True)
class Removal:
    rule: str  # rule name, e.g. "advertising", "also-read", "comment-form"
    text: str  # the dropped line as normalised (see normalise_line), without its newline
    line: int  # 1-based line number in the raw body


@dataclass(frozen=True)
class Cleaned:
    text: str
    removed: tuple[Removal, ...]


def normalise_line(line: str) -> str:
    """One raw line (no line ending) as it is compared and kept: no BOM, no no-break
    spaces, no surrounding whitespace."""
    return _NO_BREAK_SPACE.sub(" ", line.replace(_BOM, "")).strip()


def raw_lines(raw: str) -> list[str]:
    """The raw body's lines, whatever their line endings; index i is line i + 1."""
    return _LINE_BREAK.sub("\n", raw).split("\n")


def normalised_lines(raw: str) -> list[str]:
    """normalise_line of each of raw_lines(raw), done to the whole body at once: neither a
    BOM nor a no-break space is part of a line ending, so where a line starts and ends is
    the same either way, and one scan of the body costs less than a regex call a line."""
    text = _LINE_BREAK.sub("\n", raw).replace(_BOM, "")
    if any(space in text for space in _NO_BREAK_SPACES):
        text = _NO_BREAK_SPACE.sub(" ", text)
    return [line.strip() for line in text.split("\n")]


def _one_pattern(rules: tuple[Rule, ...]) -> re.Pattern[str]:
    """The rules as one pattern of alternatives, each in a group of its own, with its own
    flags, in order. Every rule is anchored at the line's start (boilerplate's rules are
    ^…), so the alternative that matches is the first rule that does: one match tries
    them all, where asking each in turn cost a search apiece for every line kept."""
    if not all(rule.pattern.pattern.startswith("^") for rule in rules):
        raise ValueError("every boilerplate rule must be anchored at the line's start (^)")
    return re.compile(
        "|".join(
            f"(?P<rule{i}>(?{'i' if rule.pattern.flags & re.IGNORECASE else '-i'}:"
            f"{rule.pattern.pattern}))"
            for i, rule in enumerate(rules)
        )
    )


_RULES = _one_pattern(RULES)


def _first_rule(line: str) -> Rule | None:
    found = _RULES.match(line)
    return None if found is None else RULES[int(found.lastgroup.removeprefix("rule"))]


def clean(raw: str) -> Cleaned:
    """Normalise whitespace, drop boilerplate lines, collapse blank lines."""
    kept: list[str] = []
    removed: list[Removal] = []
    dropping_rest: Rule | None = None  # set once a "rest" rule fires
    for number, line in enumerate(normalised_lines(raw), start=1):
        if not line:
            kept.append("")
            continue
        rule = dropping_rest or _first_rule(line)
        if rule is None:
            kept.append(line)
            continue
        removed.append(Removal(rule=rule.name, text=line, line=number))
        if rule.scope == "rest":
            dropping_rest = rule
    text = _BLANK_RUN.sub("\n\n", "\n".join(kept)).strip("\n")
    return Cleaned(text=text, removed=tuple(removed))
