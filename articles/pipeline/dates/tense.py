"""The tense of a sentence around a date mention: does "on Sunday" look back or ahead?

A bare weekday takes its direction from the nearest tense cue. The cues of a sentence are
found once (articles.pipeline.dates builds one Sentence per sentence it reads), so each mention's
tense is a few binary searches. Pure: no Django, no database.
"""

import bisect
import math
import re
from dataclasses import dataclass
from datetime import date

from ..casefold import by_first_letter, for_lowered, lowered

# A bare weekday takes its direction from the nearest tense cue: first the cues of its own
# clause, then those of the stretch between punctuation (commas, colons, dashes, brackets and
# quotes), then the sentence's. Its own clause ends before a clause that follows it ("held a
# call on Tuesday | to prepare for ...", "posted on Wednesday | that the meeting would ...")
# and begins at the last clause word before it ("talks resumed | after officials met on
# Monday"), so the reported or purpose clause next to a weekday does not date it.
# Strong cues (auxiliaries, modals, common irregular pasts) outrank weak ones (any -ed word).
# A modal with a perfect ("would have lapsed", "could have been signed") looks back.

# The cues' words as alternations grouped by their first letter (casefold.by_first_letter):
# a regex tries them at every word of a sentence, one group instead of every word.
_FUTURE_WORDS = (
    "will", "won['’]t", "shall", "would", r"could(?!\s+not\b)", "might", "should", "can",
    "must", r"going\s+to", "expected", "expects?", "expecting", r"set\s+(?:to|for)",
    "slated", "scheduled", r"is\s+due", r"are\s+due", r"be\s+due", r"due\s+(?:on|for)",
    r"plans?\s+(?:to|a|an|another)", "planned", r"planning\s+to", r"intends?\s+to",
    r"aims?\s+to", r"hopes?\s+to", "upcoming", "forthcoming", r"ahead\s+of",
    r"prepar(?:e|es|ing)\s+(?:for|to)", "poised", "awaits?", "awaiting", r"is\s+to",
    r"are\s+to", r"am\s+to", r"to\s+(?:be|meet|sign|visit|travel|attend|host|reconvene)",
)  # fmt: skip
_FUTURE_WORD = rf"\b(?:{by_first_letter(_FUTURE_WORDS)})\b"
# "we’ll": a word taken whole (\w++), as no shorter part of it is followed by an apostrophe.
FUTURE_CUE = re.compile(rf"{_FUTURE_WORD}|\b\w++['’]ll\b", re.IGNORECASE)
# FUTURE_CUE where no "'ll" stands: reading every word through for an apostrophe after it
# cost a third of its scan, and few sentences hold one.
_FUTURE_WORD_LOWERED = for_lowered(re.compile(_FUTURE_WORD, re.IGNORECASE))
MODAL_MAY = re.compile(r"\bmay\b")  # lowercase only: "May" is the month
MODAL_PERFECT = re.compile(
    r"\b(?:(?:would|could|should|might|must)(?:n['’]t)?|may)(?:\s+not)?\s+have\s+"
    r"(?:been|\w+ed|\w+en|held|met|made|said|told|led|sent|spent|left|kept|brought|bought"
    r"|fought|sought|thought|struck|found|begun|won|lost|paid|laid|set|cut|put|hit|come|gone"
    r"|run|become)\b",
    re.IGNORECASE,
)
PROGRESSIVE_CUE = re.compile(r"\b(?:is|are|am)\s+(?!being\b)\w+ing\b", re.IGNORECASE)
_PERFECT = (
    r"\s+(?:(?:not|already|also|now|just|recently|since|previously|reportedly)\s+)?"
    r"(?:been|\w+ed|\w+en|held|met|made|said|told|led|sent|spent|left|kept|brought|bought"
    r"|fought|sought|thought|struck|found|begun|won|lost|paid|laid|set|cut|put|hit)"
)
_PAST_AUXILIARIES = (
    "was", "were", "had", "did", "didn['’]t", "wasn['’]t", "weren['’]t", "hadn['’]t",
    f"has{_PERFECT}", f"have{_PERFECT}",
)  # fmt: skip
PAST_AUXILIARY = re.compile(rf"\b(?:{by_first_letter(_PAST_AUXILIARIES)})\b", re.IGNORECASE)
_PAST_VERBS = (
    "said", "told", "held", "met", "began", "came", "went", "took", "gave", "made", "saw",
    "spoke", "wrote", "rose", "fell", "won", "lost", "led", "ran", "brought", "bought",
    "sought", "thought", "fought", "found", "kept", "struck", "drew", "grew", "threw", "knew",
    "flew", "chose", "broke", "spent", "paid", "laid", "stood", "sat", "heard", "meant", "felt",
    "became", "withdrew", "sent", "left", "convened", "reported", "announced", "agreed",
    "signed", "stated", "confirmed", "added", "noted", "unveiled", "imposed", "launched",
    "vowed", "threatened", "warned", "called", "urged", "ended", "concluded", "attended",
    "visited", "discussed", "traveled", "travelled", "arrived", "returned", "released",
    "issued", "published", "declared", "started", "opened", "closed", "resumed", "revealed",
    "hosted", "rejected", "insisted", "indicated", "predicted",
)  # fmt: skip
PAST_VERB = re.compile(rf"\b(?:{by_first_letter(_PAST_VERBS)})\b", re.IGNORECASE)
WEAK_PAST = re.compile(r"\b[a-z]{3,}ed\b")
NOT_A_PAST_VERB = {
    "need", "speed", "proceed", "exceed", "succeed", "feed", "seed", "breed", "greed", "heed",
    "bleed", "indeed", "deed", "weed", "steed", "embed", "hundred", "kindred", "sacred", "naked",
    "wicked", "rugged", "beloved", "based", "related", "limited", "united", "advanced",
    "detailed", "skilled", "expected", "scheduled", "planned", "slated", "interested",
    "concerned", "supposed", "alleged", "tired", "aged", "crooked", "jagged", "dogged",
    "wretched", "blessed", "learned", "talented", "sophisticated", "complicated", "dedicated",
    "experienced", "varied", "mixed", "renewed", "heightened", "unprecedented", "shed", "bed",
}  # fmt: skip
# A participle after these is passive or adjectival: the auxiliary (or nothing) carries tense.
PARTICIPLE_GUARD = re.compile(
    r"\b(?:be|been|being|is|are|am|the|a|an|its|their|his|her|our|this|that|these|those|new"
    r"|more|most|newly|recently)\s+$",
    re.IGNORECASE,
)
CLAUSE_BREAK = re.compile(r"[,;:()\[\]“”\"—–]|\s-\s")
# Words that open a clause of their own. One after a mention ends the mention's clause (and
# so does "to", which opens an infinitive or a phrase, and a subject pronoun); the last one
# before it begins it.
_CLAUSE_WORDS = (
    r"that|which|who|whom|whose|when|where|while|whereas|because|although|though|unless"
    r"|whether|if|once|and|but|after|before|since|until"
)
# Both kinds in one scan: every word that closes the clause, the ones that also open one in
# group 1 (tests compare it with looking for each kind on its own).
_CLAUSE_EITHER = re.compile(rf"\b(?:({_CLAUSE_WORDS})|to|he|she|they|we|it)\b", re.IGNORECASE)
_CLAUSE_EITHER_LOWERED = for_lowered(_CLAUSE_EITHER)  # for the lowered text (casefold)
# A weekday's possessive naming an event ("Thursday's deal") with no tense cue to go by.
EVENT_POSSESSIVE = re.compile(
    r"(?:(?<=Monday)|(?<=Tuesday)|(?<=Wednesday)|(?<=Thursday)|(?<=Friday)|(?<=Saturday)"
    r"|(?<=Sunday))['’]s\s+(?:[\w-]+\s+)?"
    r"(?:deal|meeting|meetings|summit|talks|call|agreement|announcement|statement|decision"
    r"|session|round|vote|speech|remarks|briefing|visit|signing|ceremony"
    r"|truce|move|rally|selloff|sell-off|decline|drop|gains?|losses|close|data|report|news"
    r"|conference|discussions?|negotiations|framework|accord|sanctions|tariffs?|measures)\b",
    re.IGNORECASE,
)
# How far back from a word the cue and context checks look: patterns that end at a given
# point are searched from this far before it, never from the start of a long sentence.
_GUARD_REACH = 64


@dataclass(frozen=True)
class Cue:
    start: int
    end: int
    tense: str  # "past" or "future"
    strong: bool


class Sentence:
    """The text being searched, its publication date, and what its tense cues say.

    The cues and clause breaks are found once per sentence and kept sorted, so that each
    mention's tense is a few binary searches, not a pass over a sentence that may be a
    whole pasted page long.
    """

    def __init__(self, text: str, published: date):
        self.text = text
        self.published = published
        self._cues: list[Cue] | None = None
        self._by_strength: tuple[CueIndex, CueIndex] | None = None
        self._breaks: tuple[list[int], list[int]] | None = None
        # The clause words of each clause looked in, by its (start, end): see own_clause.
        self._openers: dict[tuple[int, int], tuple[list[int], list[int], list[int]]] = {}

    @property
    def cues(self) -> list[Cue]:
        if self._cues is None:
            self._cues = tense_cues(self.text)
        return self._cues

    def clause(self, start: int, end: int) -> tuple[int, int]:
        """Offsets of the clause that holds text[start:end]: from the end of the last break
        before it to the start of the first break after it (breaks never overlap)."""
        if self._breaks is None:
            spans = [m.span() for m in CLAUSE_BREAK.finditer(self.text)]
            self._breaks = [s for s, _ in spans], [e for _, e in spans]
        starts, ends = self._breaks
        k = bisect.bisect_right(ends, start)
        left = ends[k - 1] if k else 0
        k = bisect.bisect_left(starts, end)
        if k and ends[k - 1] > end:  # a " - " across the mention's end: look again from it
            after = CLAUSE_BREAK.search(self.text, end)
            return left, after.start() if after else len(self.text)
        return left, starts[k] if k < len(starts) else len(self.text)

    def own_clause(self, start: int, end: int) -> tuple[int, int]:
        """Offsets of the clause of text[start:end] within its stretch between punctuation:
        from the last clause word that ends before it to the first clause word (or "to", or
        a subject pronoun) that starts after it."""
        left, right = self.clause(start, end)
        # Only the clause's own words count, and a clause begins and ends at punctuation or
        # a blank: its words are found reading the clause alone, not the whole sentence.
        openers = self._openers.get((left, right))
        if openers is None:
            low = lowered(self.text)  # the clause words' offsets, found the faster way
            read, either = (
                (self.text, _CLAUSE_EITHER) if low is None else (low, _CLAUSE_EITHER_LOWERED)
            )
            words = [(m.span(), m.lastindex) for m in either.finditer(read, left, right)]
            spans = [span for span, before in words if before]
            after = [start for (start, _), _ in words]
            openers = [s for s, _ in spans], [e for _, e in spans], after
            self._openers[left, right] = openers
        before_starts, before_ends, after = openers
        k = bisect.bisect_right(before_ends, start)
        if k and before_starts[k - 1] > left:
            left = before_starts[k - 1]
        k = bisect.bisect_left(after, end)
        if k < len(after) and after[k] < right:
            right = after[k]
        return left, right

    def tense(self, start: int, end: int, *, clause_only: bool = False) -> str | None:
        """'past', 'future' or None: the nearest cue, own clause first, then the stretch
        between punctuation around it, then the sentence; strong before weak in each.

        Cues starting inside the mention do not count; "nearest" is _distance, and of two
        cues as near the one found first (in tense_cues' order) wins. A weekday's possessive
        naming an event ("Thursday's deal") with no cue at all is the past one.
        """
        if self._by_strength is None:
            indexed = list(enumerate(self.cues))
            self._by_strength = (
                CueIndex([(i, c) for i, c in indexed if c.strong]),
                CueIndex([(i, c) for i, c in indexed if not c.strong]),
            )
        strong, weak = self._by_strength
        own_left, own_right = self.own_clause(start, end)
        left, right = self.clause(start, end)
        tiers = [(strong, own_left, own_right), (weak, own_left, own_right)]
        tiers += [(strong, left, right), (weak, left, right)]
        if not clause_only:
            tiers += [(strong, 0, math.inf), (weak, 0, math.inf)]
        for cues, lo, hi in tiers:
            cue = cues.nearest(start, end, lo, hi)
            if cue is not None:
                return cue.tense
        if not clause_only and EVENT_POSSESSIVE.match(self.text, max(start, end - 2)):
            return "past"
        return None


class CueIndex:
    """Cues sorted by where they start, to find the one nearest a mention."""

    def __init__(self, cues: list[tuple[int, Cue]]):  # (order found, cue)
        self.items = sorted(cues, key=lambda item: (item[1].start, item[0]))
        self.starts = [cue.start for _, cue in self.items]
        self.longest = max((cue.end - cue.start for _, cue in self.items), default=0)

    def nearest(self, start: int, end: int, lo: float, hi: float) -> Cue | None:
        """The cue nearest text[start:end] that lies within [lo, hi) and does not start
        inside the mention; of equally near ones, the first found."""
        best, best_key = None, None
        # Cues starting before the mention, nearest first; none further back can be nearer
        # once even the longest cue starting there would end too far away.
        i = bisect.bisect_left(self.starts, start) - 1
        while i >= 0:
            order, cue = self.items[i]
            if cue.start < lo:
                break
            if best_key and (max(0, start - cue.start - self.longest), 0) > best_key[0]:
                break
            key = (_distance(cue, start, end), order)
            if cue.end <= hi and (best_key is None or key < best_key):
                best, best_key = cue, key
            i -= 1
        # Cues starting at or after the mention's end: the first ones are the nearest.
        for order, cue in self.items[bisect.bisect_left(self.starts, end) :]:
            key = ((cue.start - end, 1), order)
            if cue.start >= hi or (best_key and key[0] > best_key[0]):
                break
            if cue.end <= hi and (best_key is None or key < best_key):
                best, best_key = cue, key
        return best


def _distance(cue: Cue, start: int, end: int) -> tuple[int, int]:
    """Characters between a cue and a mention; a cue before the mention wins a tie."""
    if cue.end <= start:
        return start - cue.end, 0
    return max(cue.start - end, 0), 1


# The case-insensitive cues, and the same as case-sensitive patterns over the lowered text:
# where that reads alike (articles.pipeline.casefold), it is the faster scan.
_INSENSITIVE = (
    MODAL_PERFECT, FUTURE_CUE, PROGRESSIVE_CUE, PAST_AUXILIARY, PAST_VERB, PARTICIPLE_GUARD,
)  # fmt: skip
_ON_LOWERED = tuple(for_lowered(pattern) for pattern in _INSENSITIVE)
# Lowercase words one of which every match of a cue holds: a sentence that has none of them
# is not read through for it (a scan costs more than a few substring tests).
HELD = {
    MODAL_PERFECT: ("have",),
    PROGRESSIVE_CUE: ("ing",),
    PAST_AUXILIARY: ("was", "were", "had", "did", "has", "have"),
}


def tense_cues(text: str) -> list[Cue]:
    low = lowered(text)
    # Only the offsets of these matches are read: the same in the lowered text.
    read, patterns = (text, _INSENSITIVE) if low is None else (low, _ON_LOWERED)
    modal_perfect, future_cue, progressive_cue, past_auxiliary, past_verb, guard = patterns

    if low is not None and "'ll" not in low and "’ll" not in low:
        future_cue = _FUTURE_WORD_LOWERED  # what FUTURE_CUE finds there

    def found(pattern: re.Pattern, cue: re.Pattern):
        """The matches of `pattern` (the cue's, as it reads `read`); none, without reading
        the sentence through, when it lacks every word the cue's matches hold (HELD)."""
        if low is not None and not any(word in low for word in HELD[cue]):
            return ()
        return pattern.finditer(read)

    perfect = [Cue(m.start(), m.end(), "past", True) for m in found(modal_perfect, MODAL_PERFECT)]
    perfect_starts = [c.start for c in perfect]

    def not_perfect(m: re.Match) -> bool:  # "would" of "would have lapsed" is no future
        k = bisect.bisect_right(perfect_starts, m.start())
        return not (k and perfect[k - 1].end > m.start())

    may = MODAL_MAY.finditer(text) if "may" in text else ()
    modals = [*future_cue.finditer(read), *may]
    cues = [Cue(m.start(), m.end(), "future", True) for m in modals if not_perfect(m)]
    cues += perfect
    progressive = found(progressive_cue, PROGRESSIVE_CUE)
    cues += [Cue(m.start(), m.end(), "future", False) for m in progressive]
    auxiliaries = found(past_auxiliary, PAST_AUXILIARY)
    cues += [Cue(m.start(), m.end(), "past", True) for m in auxiliaries]
    taken = sorted((c.start, c.end) for c in cues)
    taken_starts = [s for s, _ in taken]
    furthest = [0] * len(taken)  # furthest end among taken[: k + 1]
    for k, (_, e) in enumerate(taken):
        furthest[k] = max(e, furthest[k - 1] if k else 0)

    def free(m: re.Match) -> bool:
        k = bisect.bisect_left(taken_starts, m.end())  # taken[:k] start before m ends
        if k > 0 and furthest[k - 1] > m.start():
            return False  # overlaps
        # The guard is the word just before (a run of blank space that long is no prose).
        return not guard.search(read, max(0, m.start() - _GUARD_REACH), m.start())

    cues += [Cue(m.start(), m.end(), "past", True) for m in past_verb.finditer(read) if free(m)]
    cues += [
        Cue(m.start(), m.end(), "past", False)
        for m in (WEAK_PAST.finditer(text) if "ed" in text else ())
        if m.group().lower() not in NOT_A_PAST_VERB and free(m)
    ]
    return cues
