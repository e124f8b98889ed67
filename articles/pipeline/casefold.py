"""Words that patterns read case-insensitively, looked for in the lowered text instead.

A case-insensitive regex reads a few characters outside ASCII as ASCII letters: "ı" and "İ"
as i, "ſ" as s, the Kelvin sign as k. They are the only ones it reads so, and the only ones
whose lower case holds an ASCII letter. In a text without them, a case-insensitive pattern
finds a lowercase ASCII word exactly where text.lower() holds it, and a case-sensitive scan
of the lowered text is many times faster than the case-insensitive one. The steps use that
to skip a pattern over a sentence that lacks the words every match of the pattern has.
"""

import re

FOLDS_TO_ASCII = "\u0130\u0131\u017f\u212a"
AS_ASCII = "IisK"  # the letter a case-insensitive regex reads each of them as
_DOTTED_I, _DOTLESS_I, _LONG_S, _KELVIN = FOLDS_TO_ASCII


def folds_to_ascii(text: str) -> bool:
    """Whether the text holds a character of FOLDS_TO_ASCII (nearly no text does)."""
    # A substring test each, spelled out: faster than a regex of them, a translate of the
    # text, or any() over them (ten times this, and the steps ask it of every sentence).
    return _DOTTED_I in text or _DOTLESS_I in text or _LONG_S in text or _KELVIN in text


def lowered(text: str) -> str | None:
    """text.lower(), or None when the text holds a character of FOLDS_TO_ASCII: then only
    a case-insensitive regex can say what it holds."""
    return None if folds_to_ascii(text) else text.lower()


def by_first_letter(words: tuple[str, ...]) -> str:
    """The words as one alternation, grouped by their first letter, in order within each
    group: it matches what the plain alternation matches (two words that start with
    different letters never match at the same place), but at each place the regex tries
    one group instead of every word."""
    groups: dict[str, list[str]] = {}
    for word in words:
        groups.setdefault(word[0], []).append(word[1:])
    return "|".join(f"{first}(?:{'|'.join(rests)})" for first, rests in groups.items())


class Words:
    """Lowercase ASCII words, one of which a pattern's every match holds, read as the
    pattern reads them: case-insensitively."""

    def __init__(self, *words: str):
        self.words = words
        self._in_text = re.compile("(?i:" + "|".join(re.escape(word) for word in words) + ")")

    def held(self, text: str, low: str | None) -> bool:
        """Whether the text holds one of the words; `low` is lowered(text)."""
        if low is None:
            return self._in_text.search(text) is not None
        for word in self.words:  # a substring test each: faster than one regex of them all
            if word in low:
                return True
        return False

    def __repr__(self) -> str:
        return f"Words{self.words!r}"


_ESCAPE = re.compile(r"\\.")
_GROUP_NAME = re.compile(r"\(\?P(?:<\w+>|=\w+\))")


def for_lowered(pattern: re.Pattern) -> re.Pattern:
    """A case-insensitive pattern made case-sensitive, to run over lowered(text): it finds
    the matches the pattern finds in the text, at the same offsets (lower case keeps every
    other character one character long, and a word character or a space what it was).

    Only for a pattern whose letters are all lowercase ASCII; its matches' offsets are what
    to read, not their words, which come out in lower case.
    """
    literal = _GROUP_NAME.sub("", _ESCAPE.sub("", pattern.pattern))
    if not pattern.flags & re.IGNORECASE or "(?-i" in literal:
        raise ValueError(f"not a case-insensitive pattern: {pattern.pattern[:40]!r}")
    if any(c.isalpha() and not "a" <= c <= "z" for c in literal):
        raise ValueError(f"letters other than a-z: {pattern.pattern[:40]!r}")
    return re.compile(pattern.pattern, pattern.flags & ~re.IGNORECASE)
