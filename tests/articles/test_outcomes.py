"""Outcome cues: a sentence that reports what became of something, read with its tense,
negation and hedging. Table-driven: each sentence with the outcomes it reports."""

import doctest
import re

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

import articles.pipeline.outcomes
from articles.pipeline.outcomes import (
    CUE_WORDS,
    CUES,
    HEDGES,
    NEGATIONS,
    NEGATIVE_FORM,
    Cue,
    _at_word_start,
    _spans,
    clause_before,
    outcome_cues,
)


def test_the_docstring_examples_hold():
    assert doctest.testmod(articles.pipeline.outcomes).failed == 0


REPORTS_AN_OUTCOME = [
    ("The two leaders talked for nearly two hours on Thursday.", "happened"),
    ("Trump and Xi met at Gimhae Air Base in Busan.", "happened"),
    ("Bessent and He Lifeng held talks in Kuala Lumpur on Sunday.", "happened"),
    ("The summit took place on the sidelines of APEC.", "happened"),
    ("The two sides reached a framework agreement after two days.", "happened"),
    ("Trump said the threatened 100% tariff was off the table.", "cancelled"),
    ("The White House called off the additional duties due on November 1.", "cancelled"),
    ("The agreement means the threatened duties will not take effect.", "cancelled"),
    ("The 100% tariff threat has been dropped.", "cancelled"),
    ("Washington backed down from its threat of new levies.", "cancelled"),
    ("The pause will now last until next autumn.", "extended"),
    ("The truce has been extended by a year, to November 10, 2026.", "extended"),
    ("The tariff truce was extended on Monday.", "extended"),
    ("Beijing agreed to suspend the rare-earth controls for twelve months.", "suspended"),
    ("China's new export controls were put on hold for a year.", "suspended"),
    ("The meeting was postponed to next month.", "postponed"),
    ("The new duties took effect at midnight.", "in_force"),
    ("The controls came into force on December 1.", "in_force"),
    ("The 90-day pause expired on Monday without a deal.", "expired"),
    ("Trump and Xi wrapped up their meeting in Busan after about 100 minutes.", "happened"),
    ("Trump hailed the meeting as a great success.", "happened"),
    ("Both sides agreed to extend the truce by one year.", "extended"),
    ("Beijing said it will pause the rare-earth export controls for a year.", "suspended"),
    ("Trump said he would not impose the additional 100% tariffs.", "cancelled"),
    ("The summit ended with a handshake and no joint statement.", "happened"),
]


@pytest.mark.parametrize("sentence, status", REPORTS_AN_OUTCOME)
def test_a_sentence_that_reports_an_outcome_gives_its_status(sentence, status):
    assert status in [c.status for c in outcome_cues(sentence)], outcome_cues(sentence)


REPORTS_NONE = [
    "The truce could be extended if talks go well.",
    "Officials said the deadline may be extended.",
    "Washington did not extend the deadline.",
    "The truce is due to expire on November 10.",
    "Trump threatened to impose 100% tariffs from November 1.",
    "The two leaders are expected to meet on Thursday in Busan.",
    "Trump and Xi will meet on Thursday.",
    "Analysts wonder whether the threat will be dropped.",
    "The controls have not been suspended.",
    "Beijing wants the tariffs lifted before any deal.",
    "The talks are scheduled to take place in Kuala Lumpur.",
    "Markets hope the deal will be signed soon.",
    "China refused to suspend the controls.",
]


@pytest.mark.parametrize("sentence", REPORTS_NONE)
def test_a_plan_a_hedge_or_a_negation_is_not_an_outcome(sentence):
    assert outcome_cues(sentence) == (), outcome_cues(sentence)


def test_a_hedged_clause_does_not_hide_a_fact_in_the_next_one():
    cues = outcome_cues(
        "The truce, which was due to expire on November 10, has been extended by a year."
    )
    assert [c.status for c in cues] == ["extended"]


def test_a_cue_gives_the_words_it_rests_on():
    sentence = "The tariff truce was extended on Monday."
    [cue] = outcome_cues(sentence)
    assert sentence[cue.start : cue.end] == cue.words == "was extended"


# --- Read as first written -------------------------------------------------------------------
# outcome_cues reads a status's pattern only where one of the status's words starts a word,
# over the lowered sentence where it can, with patterns that find a non-letter before each
# cue. It must find what the plain reading finds: every status's cues as one
# case-insensitive pattern that starts with \b, over the whole sentence.

PLAIN_PATTERNS = tuple(
    (status, re.compile(rf"\b(?:{'|'.join(cues)})", re.IGNORECASE)) for status, cues in CUES.items()
)


def plain_outcome_cues(sentence: str) -> tuple[Cue, ...]:
    found = []
    taken = bytearray(len(sentence))
    for status, pattern in PLAIN_PATTERNS:
        for match in pattern.finditer(sentence):
            start, end = match.span()
            if any(taken[start:end]):
                continue
            clause = clause_before(sentence, start)
            if HEDGES.search(clause):
                continue
            if NEGATIONS.search(clause) and not NEGATIVE_FORM.search(match.group()):
                continue
            taken[start:end] = b"\x01" * (end - start)
            found.append(Cue(status, start, end, match.group()))
    return tuple(sorted(found, key=lambda c: c.start))


# The words of every cue, hedge and negation, and what sits next to a word: punctuation, a
# digit, an underscore, a letter that makes a longer word, letters a case-insensitive regex
# reads as ASCII (ı, ſ, K), capitals.
CUE_PIECES = sorted(
    {word for _, words in CUES.items() for cue in words for word in re.findall(r"[a-z']+", cue)}
    | {word for cue in CUE_WORDS.values() for word in cue.words}
    | {"could", "not", "never", "if", "due to", "before", "and", "which", "the talks", "truce"}
)
GLUE = st.sampled_from(
    [" ", " ", " ", "", ", ", "-", "—", "(", "“", "’", "'", "1", "_", "é", "un", "re", "s",
     "ed", "ı", "ſ", "\u212a", ". ", "; "]
)  # fmt: skip
PIECE = st.sampled_from(CUE_PIECES).flatmap(
    lambda word: st.sampled_from([word, word.upper(), word.capitalize()])
)
sentence_of_cues = st.lists(st.tuples(GLUE, PIECE), max_size=14).map(
    lambda parts: "".join(glue + word for glue, word in parts)
)


@settings(max_examples=1500, deadline=None)
@given(sentence_of_cues)
@example("Officials pushed backed off the threat.")  # one cue word overlaps another
@example("It was known the truce unheld now lasts.")  # cue words inside other words
@example("The 90-day pause expired.")  # after a hyphen
@example("Talks_held on Sunday; met (met) 1met.")
@example("Met on Sunday, they did.")  # at the sentence's start
@example("They agreed to delayed talks.")  # a word of one status starts one of another's
def test_outcome_cues_finds_what_the_plain_reading_finds(sentence):
    assert outcome_cues(sentence) == plain_outcome_cues(sentence)


# Alternatives that end on a non-word character ("ab.") or sit inside one another: the next
# may start right where one ends.
SPELLED_ALTERNATIVES = r"ab\.|cd|b|a b"


@settings(max_examples=500)
@given(st.text(st.sampled_from(list("ab.cd ,_1éK")), max_size=30))
@example("ab.cd ab.b")
def test_spans_are_where_finditer_finds_the_alternatives_spelled_with_b(text):
    ours = re.compile(_at_word_start(SPELLED_ALTERNATIVES))
    plain = re.compile(rf"\b(?:{SPELLED_ALTERNATIVES})")
    assert list(_spans(ours, " " + text)) == [m.span() for m in plain.finditer(text)]
