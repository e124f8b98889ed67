"""Speakers tied across a report: "Bessent said" is the report's "U.S. Treasury Secretary
Scott Bessent", named in full a few passages before.

Pure: no Django, no database. articles.pipeline.sentences finds each sentence's speaker as written;
this step, run over a whole report, replaces a short form with the fullest form the report
has used for the same person or body up to that sentence.

    >>> tie_speakers(["U.S. Treasury Secretary Scott Bessent", "", "Bessent"])
    ('U.S. Treasury Secretary Scott Bessent', '', 'U.S. Treasury Secretary Scott Bessent')
    >>> name_mentions("Reuters reports that Jamieson Greer and Secretary Scott Bessent met.")
    ('Reuters', 'Jamieson Greer', 'Secretary Scott Bessent')
"""

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import replace

from .sentences import _DISCOURSE, _LINKS, _PROPER, _ROLES, _bare, _phrase


def _words(name: str) -> list[str]:
    """A name's words without "the": "the White House" and "White House" are one body."""
    return [word for word in name.split() if word.lower() != "the"]


def _surname_first(short_words: list[str], full_words: list[str]) -> bool:
    """A Chinese name puts the surname first: "Xi" is "President Xi Jinping", "Wang" is
    "Foreign Minister Wang Yi". Only after a title, so "Trump" is never "Trump Tower"."""
    return (
        len(short_words) == 1
        and len(full_words) >= 3
        and full_words[-2] == short_words[0]
        and any(word.lower() in _ROLES for word in full_words[:-2])
    )


def _names_same(short: str, full: str) -> bool:
    """Whether `full` names whom `short` names: the same last word (the surname, or the
    body's head noun), and every word of `short` in it, in order ("Treasury Secretary
    Bessent" is "U.S. Treasury Secretary Scott Bessent"; "the Blue House" is not "the
    White House")."""
    short_words, full_words = _words(short), _words(full)
    if not short_words or not full_words:
        return False
    if short_words[-1] != full_words[-1]:
        return _surname_first(short_words, full_words)
    rest = iter(full_words)
    return all(word in rest for word in short_words)


class _Known:
    """The names a report has used so far, by surname: a long report mentions thousands."""

    def __init__(self) -> None:
        self._by_key: dict[str, list[str]] = {}

    def add(self, names: Iterable[str]) -> None:
        for name in names:
            words = _words(name)
            # Filed under the last word, and under the one before it for "Xi Jinping".
            for key in set(words[-2:]):
                same = self._by_key.setdefault(key, [])
                if name not in same:
                    same.append(name)

    def fullest(self, name: str) -> str:
        """The known name with the most words that names the same speaker as `name`; ties
        go to the earliest. `name` itself when none is fuller."""
        words = _words(name)
        best = name
        for candidate in self._by_key.get(words[-1], ()) if words else ():
            if len(_words(candidate)) > len(_words(best)) and _names_same(name, candidate):
                best = candidate
        return best


def tie_speakers(
    attributions: Sequence[str], mentions: Sequence[Iterable[str]] | None = None
) -> tuple[str, ...]:
    """Each attribution resolved to the fullest earlier mention of the same surname or
    body within the report.

    attributions: the speaker of each sentence, in report order, as written ("" for none).
    mentions: for each of those sentences, the names it mentions (name_mentions), so that a
    speaker introduced where they say nothing ("Reuters reports that U.S. Trade
    Representative Jamieson Greer met…") is known when they speak ("Greer said"). Without
    it only the attributions themselves are mentions.

    A pronoun stays "": "he said" is never guessed.

    >>> tie_speakers(["Alex Gray", "", "Gray"], [[], ["Former White House official Alex Gray"], []])
    ('Alex Gray', '', 'Former White House official Alex Gray')
    >>> tie_speakers(["the White House", "Blue House"])
    ('the White House', 'Blue House')
    >>> tie_speakers(["Chinese President Xi Jinping", "Xi", "Trump"], [[], [], ["Trump Tower"]])
    ('Chinese President Xi Jinping', 'Chinese President Xi Jinping', 'Trump')
    """
    known = _Known()
    resolved = []
    for index, attribution in enumerate(attributions):
        known.add(mentions[index] if mentions is not None else ())
        known.add([attribution] if attribution else [])
        resolved.append(known.fullest(attribution) if attribution else "")
    return tuple(resolved)


def tie_claim_speakers(drafts: Iterable) -> Iterator:
    """tie_speakers over a report's drafted sentences (articles.pipeline.analysis.ClaimDraft), in
    order, all of them, so that names in sentences that are not claims count as mentions;
    each draft comes back with its resolved speaker as signals.attribution."""
    known = _Known()
    for draft in drafts:
        known.add(name_mentions(draft.sentence))
        attribution = draft.signals.attribution
        if attribution:
            known.add([attribution])
            fullest = known.fullest(attribution)
            if fullest != attribution:
                draft = replace(draft, signals=replace(draft.signals, attribution=fullest))
        yield draft


def _is_plural_role(word: str) -> bool:
    """A title shared by a list: "Presidents" in "Presidents Donald Trump and Xi Jinping"."""
    lower = word.lower()
    return lower.endswith("s") and (lower in _ROLES or lower[:-1] in _ROLES)


_OPENING = "“\"‘'(["


def _mention(words: list[str]) -> str | None:
    while words and (
        _is_plural_role(words[0])
        or words[0].lower() in _DISCOURSE
        or words[0].lower() in _LINKS
        or words[0] == "The"
    ):
        words = words[1:]
    return _phrase(words) or None


def name_mentions(sentence: str) -> tuple[str, ...]:
    """The names a sentence mentions, with their titles: runs of capitalised words and
    titles ending in a name, split at "and" and at punctuation; possessives lose their
    "’s" ("U.S. President Donald Trump’s threat" mentions "U.S. President Donald Trump").

    >>> name_mentions("It was a meeting of Presidents Donald Trump and Xi Jinping, the U.S. said.")
    ('Donald Trump', 'Xi Jinping', 'U.S.')
    >>> name_mentions("U.S. Secretary of State Marco Rubio’s visit went ahead.")
    ('U.S. Secretary of State Marco Rubio',)
    """
    found: list[str] = []
    run: list[str] = []

    def close() -> None:
        while run and run[-1] in _LINKS:
            run.pop()
        name = _mention(run)
        if name:
            found.append(name)
        run.clear()

    words = sentence.split()
    first = _bare(words[0].lstrip(_OPENING))[0] if words else ""
    for word in words:
        if word[:1] in _OPENING:
            close()  # a quotation or a bracket starts a new run
        bare, closed = _bare(word.lstrip(_OPENING))
        possessive = bare.endswith(("’s", "'s"))
        if possessive:
            bare = bare[:-2]
        if bare == "and":
            close()
            continue
        if _PROPER.fullmatch(bare) or bare.lower() in _ROLES:
            run.append(bare)
        elif bare in _LINKS and run and run != [first]:
            # "Secretary of State", but not "According to Bessent" or "One of Trump": a
            # sentence's first word is capitalised whatever it is.
            run.append(bare)
        else:
            close()
            continue
        if closed or possessive:
            close()
    close()
    return tuple(found)
