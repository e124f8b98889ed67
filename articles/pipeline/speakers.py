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

import functools
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import replace

from .memo import ByWord
from .sentences import (
    _BODY_HEADS,
    _DISCOURSE,
    _LINKS,
    _PROPER,
    _ROLES,
    _bare,
    _phrase,
    speaking_pronoun,
)

# Honorifics name nobody on their own: "Mr Trump" is the report's "Donald Trump".
_HONORIFICS = frozenset("mr mr. mrs mrs. ms ms. dr dr.".split())
_ARTICLES = frozenset("the a an".split())
# "the ministry", "the commission": a body named by its head noun alone.
_BARE_BODY = re.compile(rf"(?:the\s+)?({_BODY_HEADS})", re.IGNORECASE)


_NOT_NAMES = _ARTICLES | _HONORIFICS


@functools.lru_cache(maxsize=4096)
def _words(name: str) -> tuple[str, ...]:
    """A name's words without "the" or an honorific: "the White House" and "A White House"
    are one body, "Mr Trump" and "Trump" one person."""
    return tuple(word for word in name.split() if word.lower() not in _NOT_NAMES)


def _surname_first(short_words: tuple[str, ...], full_words: tuple[str, ...]) -> bool:
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


@functools.lru_cache(maxsize=4096)
def _holds_a_body(name: str) -> bool:
    """Whether one of the name's words is a body's head noun ("the Commerce Ministry")."""
    return any(_BARE_BODY.fullmatch(word) for word in name.split())


class _Known:
    """The names a report has used so far, by surname: a long report mentions thousands."""

    def __init__(self) -> None:
        self._by_key: dict[str, list[str]] = {}
        self._bodies: list[str] = []  # names holding a body's head noun, latest last
        # Each name filed so far, and whether it holds a body's head noun: a report names
        # the same few again and again, and each is filed once.
        self._filed: dict[str, bool] = {}

    def add(self, names: Iterable[str]) -> None:
        for name in names:
            body = self._filed.get(name)
            if body is None:
                body = self._filed[name] = _holds_a_body(name)
                words = _words(name)
                # Filed under the last word, and under the one before it for "Xi Jinping".
                for key in set(words[-2:]):
                    self._by_key.setdefault(key, []).append(name)
            if body:
                self._bodies.append(name)

    def fullest(self, name: str) -> str:
        """The known name with the most words that names the same speaker as `name`; ties
        go to the earliest. `name` itself when none is fuller."""
        bare = _BARE_BODY.fullmatch(name)
        if bare:  # "the ministry said": the ministry last named, "the Ministry of Commerce"
            head = bare.group(1).lower()
            for candidate in reversed(self._bodies):
                if candidate != name and head in candidate.lower().split():
                    return candidate
            return name
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


def tie_claim_speakers(drafts: Iterable, pronouns: Sequence[int | None] | None = None) -> Iterator:
    """tie_speakers over a report's drafted sentences (articles.pipeline.analysis.ClaimDraft), in
    order, all of them, so that names in sentences that are not claims count as mentions;
    each draft comes back with its resolved speaker as signals.attribution. `pronouns`, when
    given, is speaking_pronoun of each draft's sentence, read already."""
    known = _Known()
    # The sentence before, outside quotations, and its name_mentions when it quotes nobody:
    # whom it names is looked up only when a pronoun speaks next.
    before: tuple[str, tuple[str, ...] | None] = ("", ())
    last_passage = None
    for index, draft in enumerate(drafts):
        if draft.passage is not None and last_passage is not None:
            if draft.passage > last_passage + 1:
                before = ("", ())  # a heading between: "he" may be anyone it named
        last_passage = draft.passage
        attribution = draft.signals.attribution
        at = None
        if not attribution:
            at = speaking_pronoun(draft.sentence) if pronouns is None else pronouns[index]
        # The people the sentence before named, at the fullest the report had named them by
        # its end: so read here, before this sentence's names are known. Only a pronoun
        # that speaks needs them, and few sentences have one.
        previous = _people(before[0], known, before[1]) if at is not None else []
        mentions = name_mentions(draft.sentence)
        known.add(mentions)
        if attribution:
            known.add([attribution])
            fullest = known.fullest(attribution)
        else:
            fullest = _pronoun_speaker(draft.sentence, at, previous, known)
        if fullest != attribution:
            draft = replace(draft, signals=replace(draft.signals, attribution=fullest))
        unquoted = _unquoted(draft.sentence)
        before = (unquoted, mentions if unquoted == draft.sentence else None)
        yield draft


_QUOTATION = re.compile(r"“[^”]*”?|\"[^\"]*\"?")


def _unquoted(text: str) -> str:
    """The text with its quotations blanked: names a speaker quotes are not the speaker."""
    if "“" not in text and '"' not in text:
        return text  # no quotation opens in it
    return _QUOTATION.sub(lambda m: " " * len(m.group()), text)


# Titles only a person holds: a mention with one of them names a person.
_PERSON_TITLES = (
    frozenset(
        """president premier secretary minister representative ambassador envoy adviser advisor
    spokesperson spokesman spokeswoman chairman chairwoman governor senator economist analyst
    researcher professor negotiator official director chief ceo leader""".split()
    )
    | _HONORIFICS
)


_TITLED = _PERSON_TITLES | {"mr", "mrs", "ms", "dr"}


def _is_person(name: str, fullest: str) -> bool:
    """A mention names a person if it, or the fullest name the report gave it, carries a
    person's title or an honorific ("Mr Trump", "Chinese President Xi Jinping")."""
    return _titled(name) or _titled(fullest)


@functools.lru_cache(maxsize=4096)
def _titled(name: str) -> bool:
    """Whether a word before the name's last is a person's title or an honorific."""
    return any(word.lower().rstrip(".") in _TITLED for word in name.split()[:-1])


def _people(text: str, known: "_Known", mentions: tuple[str, ...] | None = None) -> list[str]:
    """The distinct people a text names, each at the fullest the report has named them;
    `mentions` are its name_mentions when the caller has them already."""
    found: list[str] = []
    if mentions is None:
        mentions = name_mentions(text) if text.strip() else ()
    for mention in mentions:
        fullest = known.fullest(mention)
        if _is_person(mention, fullest):
            if fullest not in found:
                found.append(fullest)
    return found


def _pronoun_speaker(sentence: str, at: int | None, previous: list[str], known: "_Known") -> str:
    """Who "he said" or "she told reporters" means: the one person named before the pronoun
    (at `at`, speaking_pronoun's answer) in the sentence, or else in the sentence before; ""
    if nobody or more than one could be meant. Quotations are left out: a name a speaker
    quotes is not the speaker."""
    if at is None:
        return ""
    people = _people(_unquoted(sentence[:at]), known) or previous
    return people[0] if len(people) == 1 else ""


def _is_plural_role(word: str) -> bool:
    """A title shared by a list: "Presidents" in "Presidents Donald Trump and Xi Jinping"."""
    lower = word.lower()
    return lower.endswith("s") and (lower in _ROLES or lower[:-1] in _ROLES)


_OPENING = "“\"‘'(["


@functools.lru_cache(maxsize=1024)
def _mention(words: tuple[str, ...]) -> str | None:
    """The name a run of words mentions, if any. A report names the same few people and
    bodies again and again: each distinct run is read once."""
    while words and (
        _is_plural_role(words[0])
        or words[0].lower() in _DISCOURSE
        or words[0].lower() in _LINKS
        or words[0] in ("The", "A", "An")
    ):
        words = words[1:]
    return _phrase(list(words)) or None


# What a word is to name_mentions (_read).
_NAME = "name"  # a capitalised word or a title: part of a name
_LINK = "link"  # "of", "to", "&": inside a name, not at its start ("Secretary of State")
_OTHER = "other"  # anything else, "and" too: it ends the name before it


# _read's answer for a word that neither opens a quotation or a bracket nor is part of a
# name (_OTHER): most words of a sentence. name_mentions passes it over at once.
_PLAIN = (False, "", True, _OTHER)


def _read(word: str) -> tuple[bool, str, bool, str]:
    """How name_mentions reads a word of a sentence: whether it opens a quotation or a
    bracket (and so starts a new name), the word bare (without the quote or bracket, the
    punctuation after it and a possessive "’s"), whether it ends the name it is in
    (punctuation, a possessive), and what it is (_NAME, _LINK or _OTHER); _PLAIN for most
    words, _OTHER ones that open nothing."""
    opens = word[:1] in _OPENING
    bare, closed = _bare(word.lstrip(_OPENING))
    possessive = bare.endswith(("’s", "'s"))
    if possessive:
        bare = bare[:-2]
    if bare == "and":
        kind = _OTHER  # a list: "Presidents Donald Trump and Xi Jinping" names two
    elif ("A" <= bare[:1] <= "Z" and _PROPER.fullmatch(bare)) or bare.lower() in _ROLES:
        kind = _NAME
    elif bare in _LINKS:
        kind = _LINK
    else:
        kind = _OTHER
    if kind is _OTHER and not opens:
        return _PLAIN
    return opens, bare, closed or possessive, kind


# The words name_mentions has read (_read), each distinct word read once.
_READINGS = ByWord(_read)


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
    words = sentence.split()
    first = _bare(words[0].lstrip(_OPENING))[0] if words else ""
    for word in words:
        reading = _READINGS[word]
        if reading is _PLAIN:  # most words: they only end the run before them
            if run:
                _end_run(run, found)
            continue
        opens, bare, ends, kind = reading
        if opens and run:
            _end_run(run, found)  # a quotation or a bracket starts a new run
        if kind is _NAME or (kind is _LINK and run and run != [first]):
            # A link only inside a run: "Secretary of State", but not "According to
            # Bessent" or "One of Trump" (a sentence's first word is capitalised whatever
            # it is).
            run.append(bare)
            if ends:
                _end_run(run, found)
        elif run:
            _end_run(run, found)
    if run:
        _end_run(run, found)
    return tuple(found)


def _end_run(run: list[str], found: list[str]) -> None:
    """A run of name_mentions' words has ended: the name it mentions, if any, goes to
    `found`, and the run is emptied. Called only on a run that holds words: most words of
    a sentence end no run, and a call per word would cost more than the rest of their
    reading."""
    while run and run[-1] in _LINKS:
        run.pop()
    name = _mention(tuple(run))
    if name:
        found.append(name)
    run.clear()
