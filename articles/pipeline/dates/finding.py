"""find_dates: every matcher over a sentence, the longest disjoint matches kept, and the
relative dates of a reported statement counted from the day it was made."""

from __future__ import annotations

import bisect
import re
from dataclasses import replace
from datetime import date, datetime

from ..casefold import AS_ASCII, FOLDS_TO_ASCII, Words, folds_to_ascii, for_lowered, lowered
from ..memo import ByWord
from .context import Context, counted_from_a_day, in_context
from .match import MAX_MENTION_CHARS, DateMatch
from .matchers import MATCHERS
from .patterns import ANCHORS, GATES, Anchor, Gate
from .rules import BeyondCalendar, near_calendar_edge
from .tense import Sentence

_UNRESOLVED = "beyond the calendar"  # what _resolve returns for such a candidate


def _resolve(matcher, m: re.Match, s: Sentence) -> DateMatch | str | None:
    """One candidate resolved; _UNRESOLVED if it falls outside years 1-9999.

    A report dated 5 January of year 1 that says "last year", or one of 20 December 9999
    that says "next month", names a date ``datetime.date`` cannot hold. Near either end of
    the calendar that is what an OverflowError or ValueError of the date arithmetic means;
    anywhere else such an error is a bug, and raises.
    """
    try:
        return matcher(m, s)
    except (OverflowError, ValueError) as error:
        if isinstance(error, BeyondCalendar) or near_calendar_edge(s.published):
            return _UNRESOLVED
        raise


# Letters the patterns' IGNORECASE takes for plain ones, but the words looked up do not: the
# long s ("thiſ week"), the dotless and the dotted i ("thıs", "THİS"), the Kelvin sign.
LOOKALIKES = str.maketrans(FOLDS_TO_ASCII, AS_ASCII)


def find_dates(text: str, published: date, context: Context | None = None) -> list[DateMatch]:
    """The date expressions of one sentence, resolved against the publication date, or
    against the day a statement was made when the sentence reports one.

    Words counted from another day ("a day later") count from the last day named before
    them; with a `context` (the report read so far, and the timeline's events) that day may
    lie in an earlier sentence, and the dated things the sentence names may move "this
    month" across a month's edge or narrow a season to a month (see ``context``).

    Sorted by position and non-overlapping: where candidates overlap, the longest wins
    ("through November 10" over "November 10", "from May 12 to August 12" over both days).

    >>> from datetime import date
    >>> [(m.text, str(m.date_start), m.method)
    ...  for m in find_dates("They are expected to meet Thursday.", date(2025, 10, 27))]
    [('Thursday', '2025-10-30', 'tense')]
    >>> monday = date(2025, 11, 3)
    >>> [(m.text, str(m.date_start), str(m.anchor)) for m in find_dates(
    ...     "The minister said on Thursday that talks would resume next month.", monday)]
    [('on Thursday', '2025-10-30', 'None'), ('next month', '2025-11-01', '2025-10-30')]
    """
    if isinstance(published, datetime):
        published = published.date()
    # Tested first: translate reads the sentence a character at a time through the table,
    # many times slower, and nearly no sentence holds a lookalike.
    if folds_to_ascii(text):
        plain = text.translate(LOOKALIKES)
        # Read as the plain letters, one for one, so the offsets hold; each mention keeps
        # the words as written.
        return [
            replace(m, text=text[m.start : m.end]) for m in find_dates(plain, published, context)
        ]
    found = _find_dates(text, published)
    spoken = _statement_day(text, found, published)
    if spoken is None and context is not None:
        # A quotation that runs on from a statement with its own day ("…,” the minister
        # told reporters on Friday. “Last month, …”) still speaks from that day.
        spoken = context.quote_goes_on(text)
    if spoken is not None:
        found = _from_the_day_spoken(text, found, *spoken)
    if context is not None:
        context.heard(text, spoken)
    found = counted_from_a_day(text, found, context)
    return in_context(text, found, published, context or Context())


def _from_the_day_spoken(text: str, found: list[DateMatch], day: date, start: int, end: int):
    """What a statement itself dates relatively ("next month", "on Friday") counts from the
    day it was made; absolute dates and the rest of the sentence do not move."""
    again = {(m.start, m.end): m for m in _find_dates(text, day)}
    return [
        replace(again[m.start, m.end], anchor=day)
        if start <= m.start
        and m.end <= end
        and m.method != "absolute"
        and (m.start, m.end) in again
        else m
        for m in found
    ]


# A verb of saying before a day, and the clause it reports right after it: "said on
# Thursday that …", "told reporters Thursday he …", "reported on Wednesday." A few words may
# come between verb and day, but no clause: an object of "told" ("told a briefing on
# Thursday", "told reporters at the White House on Friday"), or a phrase that opens with a
# preposition ("said in an interview on Friday", "said at a news conference Thursday").
_PHRASE_WORD = (
    r"\s+(?!(?:that|which|who|whom|whose|when|where|while|and|but|or|because|if|whether"
    r"|than|he|she|they|we|it|I|would|will|could|can|may|might|should|must|shall|was|were"
    r"|is|are|be|been|had|has|have|did|do|does|not|said|told)\b)[\w'’.&-]+"
)
_PHRASE = (
    r"\s+(?:in|at|on|to|during|via|aboard|with|from|after|outside|inside|over|through)"
    rf"(?:{_PHRASE_WORD}){{1,5}}"
)
_STATEMENT_VERB = re.compile(
    r"\b(?:(?:told|briefed|informed|assured|reminded)(?:" + _PHRASE_WORD + r"){1,6}"
    r"|(?:said|stated|announced|declared|confirmed|warned|added|noted|reported|wrote|posted"
    r"|tweeted|insisted|argued|explained|stressed|acknowledged|reiterated|disclosed|claimed"
    r"|cautioned|replied|responded|commented)(?:" + _PHRASE + r")?)\s*$"
)
_STATEMENT_REACH = 80  # how far before a day _STATEMENT_VERB is looked for
# What the statement says follows its day, perhaps after a short phrase ("said on Friday in
# a statement that …"): "that", a quote, or a new subject ("said Friday he would …") ...
_REPORTED = re.compile(rf"(?:{_PHRASE})?\s*,?\s*(?:that\b|[“\"]|(?:he|she|they|we|it|I)\b)")
# ... or comes before it, and the sentence ends after the day and perhaps a short phrase
# ("…, Xinhua reported on Wednesday, citing officials.").
_SENTENCE_END = re.compile(
    rf"(?:{_PHRASE})?(?:\s*,\s*(?:citing|according\s+to)\b[^,;:“”\"]{{0,80}})?"
    r"\s*[.!?]?[”\"’']?\s*$"
)


def _statement_day(text: str, found: list[DateMatch], published: date):
    """The day a reported statement was made (before publication), and the part of the
    sentence it governs: (day, start, end) of the reported words, or None.

    "X said on Thursday that …" (or "… he …", "… “…") governs what follows; "…, officials
    said on Thursday." (or "… said in a statement on Thursday.") governs what comes before
    the comma.
    """
    for m in found:
        if m.precision != "day" or not m.date_start < published:
            continue
        before = text[max(0, m.start - _STATEMENT_REACH) : m.start]
        if _STATEMENT_VERB.search(before) is None:
            continue
        if _REPORTED.match(text, m.end):
            return m.date_start, m.end, len(text)
        if _SENTENCE_END.match(text, m.end):
            comma = text.rfind(",", 0, m.start)
            if comma > 0:
                return m.date_start, 0, comma
    return None


class _Plan:
    """The matchers with their gates (patterns.GATES) as bits of a mask: the gates a
    sentence holds are looked for once, then each pattern runs if it holds all of its own
    (and one of each tuple of them)."""

    def __init__(self, matchers):
        self.matchers = matchers
        self.gates: list[Gate] = []
        self.steps = []
        for pattern, matcher in matchers:
            need, any_of = 0, []
            for required in GATES.get(pattern, ()):
                if isinstance(required, tuple):
                    any_of.append(sum(self._bit(gate) for gate in required))
                else:
                    need |= self._bit(required)
            fast, anchor = _on_lowered(pattern), ANCHORS.get(pattern)
            self.steps.append((pattern, matcher, need, tuple(any_of), fast, anchor))
        # The words of all the Words gates, each with the bits of the gates that hold it:
        # one pass over them tells every such gate. The other gates are asked one by one.
        self.word_gates = [
            (1 << bit, g) for bit, g in enumerate(self.gates) if isinstance(g, Words)
        ]
        self.other_gates = [
            (1 << bit, g) for bit, g in enumerate(self.gates) if not isinstance(g, Words)
        ]
        bits: dict[str, int] = {}
        for bit, gate in self.word_gates:
            for word in gate.words:
                bits[word] = bits.get(word, 0) | bit
        self.words = tuple(bits.items())
        # The gates of each word (held): no lookalike in a text read word by word.
        self._word_held = ByWord(lambda word: self._held(word, word.lower()))
        # The steps to run for each mask of held gates, worked out the first time a mask is
        # seen: sentences hold few distinct masks (42 in the benchmark's 7,240 sentences),
        # and testing every pattern's gates in every sentence cost more than most scans.
        self._runs: dict[int, tuple] = {}

    def runs(self, held: int) -> tuple:
        """The steps whose gates the mask `held` (of held()) holds, in MATCHERS' order."""
        steps = self._runs.get(held)
        if steps is None:
            steps = self._runs[held] = tuple(
                (pattern, matcher, fast, anchor)
                for pattern, matcher, need, any_of, fast, anchor in self.steps
                # Else the sentence lacks words that every match of the pattern has.
                if need & held == need and all(held & either for either in any_of)
            )
        return steps

    def _bit(self, gate: Gate) -> int:
        if gate not in self.gates:
            self.gates.append(gate)
        return 1 << self.gates.index(gate)

    def held(self, text: str, low: str | None) -> int:
        """The mask of the gates the text holds; `low` is casefold.lowered(text).

        No gate spans a blank (patterns.GATES): the text holds what its words hold. And a
        sentence is mostly words that reports use again and again, so the gates of each
        distinct word are looked for once: a few times faster than in every sentence.
        """
        if low is None:  # a lookalike letter: only the gates' own regexes can tell
            return self._held(text, low)
        mask = 0
        for bits in map(self._word_held.__getitem__, text.split()):
            mask |= bits
        return mask

    def _held(self, text: str, low: str | None) -> int:
        mask = 0
        if low is None:
            for bit, gate in self.word_gates:
                if gate.held(text, low):
                    mask |= bit
        else:  # what Words.held does, for all of them at once
            for word, bits in self.words:
                if word in low:
                    mask |= bits
        for bit, gate in self.other_gates:
            if gate.held(text, low):
                mask |= bit
        return mask


def _on_lowered(pattern: re.Pattern) -> re.Pattern | None:
    """The case-insensitive pattern made case-sensitive, to find its matches in the lowered
    sentence (casefold.for_lowered), or None when it is not one that can be."""
    if not pattern.flags & re.IGNORECASE:
        return None
    try:
        return for_lowered(pattern)
    except ValueError:  # a weekday's capital, say: the pattern reads the sentence itself
        return None


_plan = _Plan(MATCHERS)


def _plan_of(matchers) -> _Plan:
    """The plan of MATCHERS as it stands (a test may put others in its place)."""
    global _plan
    if _plan.matchers is not matchers:
        _plan = _Plan(matchers)
    return _plan


def _scan(
    pattern: re.Pattern,
    matcher,
    sentence: Sentence,
    found: list,
    fast=None,
    low=None,
    anchor: Anchor | None = None,
):
    """The pattern's candidates in the sentence, resolved by the matcher, added to `found`.

    `fast` is the pattern made case-sensitive (_on_lowered) and `low` the lowered sentence:
    where both are given, the candidates are found in `low`, each then matched again in the
    sentence at the same place for the words as written. `anchor`, if given
    (patterns.ANCHORS), says where they may begin.
    """
    text = sentence.text
    if fast is not None and low is not None:
        if anchor is None:
            in_low = fast.finditer(low)
        else:
            in_low = anchor.finditer(fast, low, lowered=True)
        candidates = (pattern.match(text, m.start()) for m in in_low)
    elif anchor is not None:
        candidates = anchor.finditer(pattern, text)
    else:
        candidates = pattern.finditer(text)
    for m in candidates:
        if m.end() - m.start() > MAX_MENTION_CHARS:
            continue
        hit = _resolve(matcher, m, sentence)
        if hit is _UNRESOLVED:
            # Not resolved, and not half-resolved either: it still takes its words, so
            # "January 5" of year 10000 does not become "January" of 9999.
            found.append((m.start(), m.end(), None))
        elif hit is not None:
            found.append((hit.start, hit.end, hit))


def _find_dates(text: str, published: date) -> list[DateMatch]:
    """The date expressions of one sentence, resolved against `published` alone.

    Sorted by position and non-overlapping: where candidates overlap, the longest wins
    ("through November 10" over "November 10", "from May 12 to August 12" over both days).

    """
    if isinstance(published, datetime):
        published = published.date()
    plan = _plan_of(MATCHERS)
    low = lowered(text)
    steps = plan.runs(plan.held(text, low))
    if not steps:
        return []  # three sentences in four: no pattern can match
    sentence = Sentence(text, published)
    found: list[tuple[int, int, DateMatch | None]] = []
    for pattern, matcher, fast, anchor in steps:
        _scan(pattern, matcher, sentence, found, fast, low, anchor)
    kept: list[tuple[int, int, DateMatch | None]] = []  # disjoint, sorted by start
    for start, end, hit in sorted(found, key=lambda f: (f[0] - f[1], f[0])):  # longest first
        k = bisect.bisect_left(kept, (end,))  # kept[:k] start before this one ends
        if k == 0 or kept[k - 1][1] <= start:  # ... and the last of them ends before it
            kept.insert(k, (start, end, hit))
    return [hit for _, _, hit in kept if hit is not None]
