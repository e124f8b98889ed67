"""The linker reads a claim's words once for all the events it is compared with
(ClaimWords, with the events' keywords lowered once by their EventIndex): it must count
exactly what hits() and score() below count, reading the texts afresh for every event."""

from datetime import date
from types import SimpleNamespace

from hypothesis import example, given
from hypothesis import strategies as st

from tests.strategies import run_together
from timeline.linking import ClaimWords, EventIndex


def hits(text: str, keywords) -> int:
    """How many of the keywords the text holds, whatever their case: the plain spelling."""
    lowered = text.lower()
    return sum(1 for word in keywords if word.lower() in lowered)


def score(sentence: str, passage: str, claim_topics: set, event, event_topics: set):
    """How well a sentence's words point at an event (dates aside): the plain spelling."""
    rest = passage.replace(sentence, " ")
    return (
        2 * hits(sentence, event.keywords)
        + hits(rest, event.keywords)
        + 0.5 * len(claim_topics & event_topics)
    )


# Words, their cases, and letters whose lower case depends on what stands around them
# (a final sigma) or is longer than they are (a dotted capital I).
PIECES = ["tariff", "Tariff", "TARIFF", "rare earth", "Rare", " ", ".", "Busan", "busan"]
PIECES += ["İ", "i", "ß", "SS", "Σ", "σ", "ς", "ΟΔΟΣ", "truce"]
TOPICS = st.sets(st.sampled_from(["tariffs", "soybeans", "rare-earths"]))


def topic_rows(slugs):
    return SimpleNamespace(all=lambda: [SimpleNamespace(slug=slug) for slug in slugs])


@given(
    before=run_together(PIECES),
    sentence=run_together(PIECES),
    after=run_together(PIECES),
    keywords=st.lists(run_together(PIECES, max_size=3), max_size=6),
    claim_topics=TOPICS,
    event_topics=TOPICS,
    in_passage=st.booleans(),
)
# A capital sigma is lowered to a final sigma after a letter: the passage is lowered once
# the sentence is out of it, or its words would not be the ones score() counts.
@example(
    before="",
    sentence="i",
    after="Σ",
    keywords=["Σ"],
    claim_topics=set(),
    event_topics=set(),
    in_passage=True,
)
def test_a_claims_words_count_what_hits_and_score_count(
    before, sentence, after, keywords, claim_topics, event_topics, in_passage
):
    day = date(2025, 11, 10)
    event = SimpleNamespace(start=day, last_day=day, keywords=keywords)
    passage = SimpleNamespace(text=before + sentence + after) if in_passage else None
    claim = SimpleNamespace(sentence=sentence, passage=passage, topics=topic_rows(claim_topics))
    index = EventIndex([event])
    words = ClaimWords(claim)

    assert words.hits(index.keywords(event)) == hits(sentence, keywords)
    text = passage.text if passage else sentence
    expected = score(sentence, text, claim_topics, event, event_topics)
    assert words.score(index.keywords(event), event_topics) == expected
