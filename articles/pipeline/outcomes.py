"""Does a sentence report what became of something? Cues of outcomes, read with care.

A report that the talks "were held", the threat "was called off" or the truce "will now last
until next autumn" moves the timeline forward; "could be extended", "did not extend" and
"is due to expire" do not. This module finds the words that say a change happened and
throws out those under a hedge or a negation in the same clause. It names the kind of
change (the timeline's statuses); which event it is about, and whether that kind of change
fits that event, is the timeline's business (timeline.outcomes).

Pure: a sentence in, cues out.

>>> [c.status for c in outcome_cues("The two leaders talked for nearly two hours on Thursday.")]
['happened']
>>> [c.status for c in outcome_cues("Trump said the 100% tariff threat was off the table.")]
['cancelled']
>>> outcome_cues("The truce could be extended if talks go well.")
()
>>> outcome_cues("Washington did not extend the deadline.")
()
>>> [c.status for c in outcome_cues("The pause will now last until next autumn.")]
['extended']
"""

import re
from dataclasses import dataclass

from .casefold import Words, by_first_letter, for_lowered, lowered

# Each status with the words that report it. Past tense, or a present that states a new
# state of affairs ("will now last", "will not take effect"): a plan is not an outcome.
CUES: dict[str, tuple[str, ...]] = {
    "cancelled": (
        r"called off",
        r"calls? off",
        r"(?:was|were|has been|have been|is|are) (?:dropped|scrapped|shelved|withdrawn|"
        r"averted|cancell?ed|abandoned|lifted|removed|rescinded|revoked)",
        r"(?:dropped|scrapped|shelved|withdrew|abandoned|averted|rescinded|revoked|"
        r"cancell?ed) (?:the|its|his|their|a|plans?)",
        r"backed (?:off|down|away)",
        r"(?:off|no longer on) the table",
        r"(?:will|would) not (?:take effect|go ahead|be imposed|come into (?:force|effect))",
        r"(?:will|would) not (?:impose|go ahead with|proceed with|move forward with)",
        r"won't (?:take effect|go ahead|be imposed)",
        r"no longer (?:take effect|go ahead|be imposed|planned)",
    ),
    "extended": (
        r"(?:was|were|has been|have been|is|are|got) extended",
        r"(?:extended|extends|prolonged|renewed) (?:the|its|their|a)\b",
        r"agreed to extend",
        r"(?:will|would) now (?:last|run|remain in (?:place|force)|expire)",
        r"now (?:runs|lasts|expires)",
        r"(?:extension|renewal) of the (?:truce|pause|deal|agreement|deadline)",
    ),
    "postponed": (
        r"(?:was|were|has been|have been) (?:postponed|delayed|rescheduled|pushed back|put off)",
        r"(?:postponed|rescheduled|pushed back) (?:the|its|their)",
        r"agreed to (?:postpone|put off|push back)",
    ),
    "suspended": (
        r"(?:was|were|has been|have been|are|is) "
        r"(?:suspended|paused|put on hold|on hold|halted|frozen)",
        r"(?:suspended|paused|halted|froze|freezes|suspends|pauses) (?:the|its|their|for)\b",
        r"agreed to (?:suspend|pause|delay|halt)",
        r"will (?:suspend|pause|halt) (?:the|its|their)\b",
        r"put (?:the|its|their)? ?\w* ?(?:controls|measures|rules|tariffs|duties|curbs)? ?on hold",
    ),
    "in_force": (
        r"took effect",
        r"came into (?:force|effect)",
        r"went into effect",
        r"kicked in",
        r"(?:is|are) now in (?:force|effect)",
        r"(?:was|were|has been|have been) (?:imposed|implemented|enacted)",
    ),
    "expired": (
        r"(?:has|have|had) (?:expired|lapsed|run out)",
        r"\b(?:expired|lapsed|ran out)\b",
    ),
    "happened": (
        r"\bmet\b",
        r"held (?:talks|a meeting|a summit|their|two days)",
        r"(?:talked|spoke|sat down) (?:for|with|on|in|at)",
        r"shook hands",
        r"(?:concluded|wrapped up|ended) (?:their|the|two|with)",
        r"(?:was|were) held",
        r"took place",
        r"(?:signed|reached|struck|sealed|announced) (?:a|an|the) "
        r"(?:deal|agreement|framework|truce|consensus)",
        r"(?:agreed|agreed on|agreed to) (?:a|an|the)\b",
        r"(?:hailed|described) the (?:meeting|talks|summit)",
    ),
}

# Words that keep what follows in the same clause from being a fact: a plan, a wish, a
# possibility, a question or a schedule.
HEDGES = re.compile(
    r"\b(?:could|can|may|might|would|should|must|if|unless|whether|hopes?|hoping|plans?|"
    r"planning|aims?|aiming|expects?|expected|likely|possibly|perhaps|probably|"
    r"considering|weighing|seeks?|seeking|wants?|wanted|intends?|due to|set to|slated to|"
    r"scheduled to|poised to|ready to|threatens? to|threatened to|asked to|urged|calls? for|"
    r"in case|before|until)\b",
    re.IGNORECASE,
)
NEGATIONS = re.compile(
    r"\b(?:not|never|no|didn't|don't|doesn't|hasn't|haven't|wasn't|weren't|won't|isn't|"
    r"aren't|without|failed to|refused to|denied|deny|denies|rejected)\b",
    re.IGNORECASE,
)
# Where a clause starts: what stands before these does not govern what follows.
CLAUSE_BREAK = re.compile(r"[,;:()\u2014\u2013]| - |\b(?:and|but|while|after|as|which|who)\b")
# Cues that are negative in form ("will not take effect"): negation is their meaning.
NEGATIVE_FORM = re.compile(r"\b(?:not|won't|no longer|off the table)\b", re.IGNORECASE)


def _at_word_start(alternatives: str) -> str:
    r"""A pattern of alternatives that start with a letter, found where one starts a word, as
    its group 1, in the text read with a space before it (_spans). The character before the
    word is no word character (\W), and the pattern takes it too: it asks first for a
    character that is no letter ([^a-z]), which sre finds by a fast scan of the text, where a
    pattern that starts with \b is tried at every character."""
    return rf"[^a-z](?<=\W)({alternatives})"


# Each status's cues as one pattern.
_PATTERNS = tuple(
    (status, re.compile(_at_word_start("|".join(words)), re.IGNORECASE))
    for status, words in CUES.items()
)
# For each status, words one of which every cue of it holds (in lower case): a sentence
# with none of them is not read for that status (articles.pipeline.casefold).
CUE_WORDS: dict[str, Words] = {
    "cancelled": Words(
        "call", "dropped", "scrapped", "shelved", "withdrawn", "withdrew", "averted",
        "cancel", "abandoned", "lifted", "removed", "rescinded", "revoked", "backed",
        "table", "will not", "would not", "won't", "no longer",
    ),
    "extended": Words("extend", "prolonged", "renewed", "now", "extension", "renewal"),
    "postponed": Words("postpone", "delayed", "rescheduled", "pushed back", "put off", "push back"),
    "suspended": Words("suspend", "paus", "halt", "frozen", "froze", "freezes", "hold", "delay"),
    "in_force": Words(
        "took effect", "came into", "went into", "kicked in", "now in", "imposed",
        "implemented", "enacted",
    ),
    "expired": Words("expired", "lapsed", "run out", "ran out"),
    "happened": Words(
        "met", "held", "talked", "spoke", "sat down", "shook hands", "concluded",
        "wrapped up", "ended", "took place", "signed", "reached", "struck", "sealed",
        "announced", "agreed", "hailed", "described",
    ),
}  # fmt: skip


# Every status's words as one pattern over the lowered sentence, grouped by first letter:
# three sentences in four hold none of them, and one scan says so. A word counts only where
# it starts a word: every cue starts a word, and so does the status's word in it ("was
# extended", "off the table"), so "known" or "unheld" make no cue, and a status is read only
# where one of its words starts a word. The pattern asks for a character that is no letter
# before the word (the sentence is given a space before its first): sre finds one by a fast
# scan, where a pattern that starts with \b is tried at every character. A word after a digit
# or an underscore passes too, and only costs its statuses' patterns a look.
_ALL_CUE_WORDS = tuple(
    sorted(dict.fromkeys(word for cue in CUE_WORDS.values() for word in cue.words), key=len)[::-1]
)
_ALTERNATIVES = by_first_letter(tuple(map(re.escape, _ALL_CUE_WORDS)))
_ANY_CUE_WORD = re.compile(f"[^a-z](?:{_ALTERNATIVES})")
# The same words where each starts, overlaps and all ("pushed backed off"). Longest first, so
# the word found at a place is the longest there, and every other word there is its prefix.
_CUE_WORD_AT = re.compile(f"[^a-z](?=({_ALTERNATIVES}))")
# The statuses a word found at a place stands for: its own and those of its prefixes.
_STATUSES_AT: dict[str, frozenset[str]] = {
    found: frozenset(
        status for status, cue in CUE_WORDS.items() for word in cue.words if found.startswith(word)
    )
    for found in _ALL_CUE_WORDS
}


@dataclass(frozen=True)
class Cue:
    status: str
    start: int
    end: int
    words: str


_INSENSITIVE = (_PATTERNS, HEDGES, NEGATIONS, NEGATIVE_FORM)
_ON_LOWERED = (
    tuple((status, for_lowered(pattern)) for status, pattern in _PATTERNS),
    for_lowered(HEDGES),
    for_lowered(NEGATIONS),
    for_lowered(NEGATIVE_FORM),
)


def governed(clause: str) -> bool:
    """Whether a hedge or a negation governs the end of this clause."""
    return bool(HEDGES.search(clause) or NEGATIONS.search(clause))


# How far back a cue's own clause is read: a clause is never longer, and reading from the
# sentence's start for every cue would make a long sentence cost its length squared.
CLAUSE_REACH = 200


def clause_before(sentence: str, start: int) -> str:
    """The words of the cue's own clause that come before it."""
    before = sentence[max(0, start - CLAUSE_REACH) : start]
    breaks = [m.end() for m in CLAUSE_BREAK.finditer(before)]
    return before[breaks[-1] :] if breaks else before


def outcome_cues(sentence: str) -> tuple[Cue, ...]:
    """The outcomes a sentence reports as facts, in the order they appear.

    >>> [c.words for c in outcome_cues("The controls were put on hold for a year.")]
    ['were put on hold']
    >>> outcome_cues("The truce is due to expire on November 10.")
    ()
    >>> [c.status for c in outcome_cues(
    ...     "The truce, which was due to expire on Nov 10, has been extended by a year.")]
    ['extended']
    >>> [c.status for c in outcome_cues(
    ...     "The agreement means the threatened duties will not take effect.")]
    ['cancelled']
    """
    low = lowered(sentence)
    if low is None:  # read case-insensitively, every status whose words the sentence holds
        held = [status for status, cue in CUE_WORDS.items() if cue.held(sentence, None)]
        return _cues(sentence, sentence, _INSENSITIVE, held)
    spaced = " " + low
    first = _ANY_CUE_WORD.search(spaced)
    if first is None:
        return ()  # no status's words: no cue (CUE_WORDS)
    at = _CUE_WORD_AT.findall(spaced, first.start())
    # Where it reads alike (articles.pipeline.casefold), the lowered sentence is read by the
    # same patterns made case-sensitive: the same offsets, a faster scan.
    return _cues(sentence, low, _ON_LOWERED, set().union(*map(_STATUSES_AT.__getitem__, at)))


def _cues(sentence: str, read: str, patterns, statuses) -> tuple[Cue, ...]:
    """The cues of the given statuses in the sentence, as `read` (the sentence, or its
    lower case) is read by `patterns` (_INSENSITIVE, or _ON_LOWERED)."""
    cues, hedges, negations, negative_form = patterns
    spaced = " " + read
    found = []
    taken = bytearray(len(sentence))  # characters already part of a cue
    for status, pattern in cues:
        if status not in statuses:
            continue
        for start, end in _spans(pattern, spaced):
            if any(taken[start:end]):
                continue
            words = sentence[start:end]
            clause = read[start - len(clause_before(sentence, start)) : start]
            if hedges.search(clause):
                continue
            if negations.search(clause) and not negative_form.search(read[start:end]):
                continue
            taken[start:end] = b"\x01" * (end - start)
            found.append(Cue(status, start, end, words))
    return tuple(sorted(found, key=lambda c: c.start))


def _spans(pattern: re.Pattern, spaced: str):
    r"""Where a pattern spelled by _at_word_start finds its alternatives in a text, read as
    " " + text: the offsets in the text that finditer gives for \b(?:alternatives)."""
    match = pattern.search(spaced)
    while match:
        start, end = match.start(1) - 1, match.end(1) - 1
        yield start, end
        # The next cue may start where this one ends: look from the character before it.
        match = pattern.search(spaced, end)
