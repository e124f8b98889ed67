"""The ingestion pipeline, composed: raw text → cleaned body → passages → claims → dates.

Each step is a pure function in its own module (clean, split, sentences, dates); this
module only strings them together. No database here: articles.services writes the result.
"""

import re
import time
from dataclasses import dataclass, field
from datetime import date

from .clean import Cleaned, clean
from .dates import Context, DateMatch, Known, explain, find_dates
from .figures import Figure, typed_figures
from .outcomes import Cue, outcome_cues
from .sentences import Signals, read_signals, split_sentences
from .speakers import tie_claim_speakers
from .split import Block, split_passages
from .vocabulary import PLACES

# Each place as a whole word. The place's letters come first and the lookbehind after them
# stands for a "\b" before them (a place opens with a word character): a pattern that opens
# with "\b" is tried at every character of the sentence, one that opens with letters skips
# to where they stand.
PLACE_PATTERNS = tuple(
    (place, re.compile(rf"{re.escape(place)}(?<!\w{re.escape(place)})\b")) for place in PLACES
)


# Not frozen: a frozen dataclass sets each of its fields through object.__setattr__, which
# made building the draft of every sentence (and remaking the kept ones with their places)
# cost nearly as much as reading the sentence's signals. Only _placed changes a draft, the
# one it is handed, to fill in its places and topics; anything else makes another
# (dataclasses.replace).
@dataclass(slots=True)
class ClaimDraft:
    passage: int | None  # index into Analysis.passages; None outside a whole analysis
    start: int  # offsets into the cleaned body
    end: int
    sentence: str
    kind: str
    signals: Signals
    dates: tuple[DateMatch, ...]
    explanations: tuple[str, ...]
    places: tuple[dict, ...]
    topics: tuple[str, ...] = field(default=())
    outcomes: tuple[Cue, ...] = field(default=())
    figures: tuple[Figure, ...] = field(default=())  # signals.figures, typed
    heading: bool = False  # a subheading ("What to watch this month"), not a sentence

    @property
    def worth_citing(self) -> bool:
        """A claim dates something, gives a figure, quotes or names a speaker, or reports
        what became of something ("the threat was called off"). A heading is cited only for
        the date it gives: its words are a label, not a statement."""
        sig = self.signals
        if self.heading:
            return bool(self.dates)
        return bool(
            self.dates or sig.figures or sig.attribution or sig.is_quotation or self.outcomes
        )


@dataclass(frozen=True)
class Analysis:
    cleaned: Cleaned
    passages: tuple[Block, ...]
    claims: tuple[ClaimDraft, ...]

    @property
    def body(self) -> str:
        return self.cleaned.text


def places_in(sentence: str) -> tuple[dict, ...]:
    """The gazetteer places a sentence names, with where they stand in it.

    >>> places_in("They met in Busan, South Korea.")
    ({'name': 'Busan', 'start': 12, 'end': 17}, {'name': 'South Korea', 'start': 19, 'end': 30})
    """
    found = [
        {"name": place, "start": m.start(), "end": m.end()}
        for place, rx in PLACE_PATTERNS
        if place in sentence  # the whole-word pattern only where the words stand
        for m in rx.finditer(sentence)
    ]
    return tuple(sorted(found, key=lambda p: p["start"]))


def topics_in(sentence: str, topics: dict[str, list[str]]) -> tuple[str, ...]:
    """Slugs of the topics whose keywords occur in the sentence (case-insensitive)."""
    return _topics_named(sentence.lower(), _lowered_topics(topics))


def _lowered_topics(topics: dict[str, list[str]]) -> dict[str, list[str]]:
    return {slug: [word.lower() for word in words] for slug, words in topics.items()}


def _topics_named(lowered: str, lowered_topics: dict[str, list[str]]) -> tuple[str, ...]:
    """topics_in over a lowered sentence, with the topics' keywords lowered beforehand."""
    return tuple(slug for slug, words in lowered_topics.items() if _holds_any(words, lowered))


def _holds_any(words: list[str], lowered: str) -> bool:
    for word in words:
        if word in lowered:
            return True
    return False


def claim_kind(dates, sig: Signals, outcomes=()) -> str:
    """One kind per claim, the most useful to the timeline first."""
    if dates:
        return "dated"
    if sig.is_quotation:
        return "quotation"
    if sig.figures:
        return "figure"
    if outcomes and not sig.attribution:
        return "outcome"
    return "attributed"


# The steps analyse can time (its `timings`), in the order they first run on a report:
# cleaning; passages; sentences and what marks a claim (signals, outcome cues; and the
# places and topics of the claims kept); dates (found, resolved, remembered, explained);
# figures typed and speakers tied.
STEPS = ("clean", "split", "sentences", "dates", "figures")


class _Clock:
    """Adds the seconds each step takes to `timings`, by step name; does nothing without."""

    def __init__(self, timings: dict[str, float] | None):
        self.timings = timings

    def run(self, step: str, fn, *args):
        if self.timings is None:
            return fn(*args)
        start = time.perf_counter()
        try:
            return fn(*args)
        finally:
            self.timings[step] = self.timings.get(step, 0.0) + time.perf_counter() - start


def _dates(sentence: str, published: date, passage: int | None, context: Context | None):
    """The sentence's dates, remembered in the context, and their explanations."""
    found = find_dates(sentence, published, context.at(passage) if context else None)
    if context is not None:
        context.remember(sentence, found)
    dates = tuple(found)
    return dates, tuple(explain(d, published) for d in dates)


def _marks(sentence: str):
    """What makes a sentence a claim: its signals (with where a pronoun speaks) and outcome
    cues."""
    sig, pronoun = read_signals(sentence)
    return sig, pronoun, outcome_cues(sentence)


def _placed(draft: ClaimDraft, topics: dict[str, list[str]]) -> ClaimDraft:
    """The draft, given its places and topics (`topics` with their keywords lowered). They
    make no sentence a claim, so analyse reads them only in the sentences it keeps (about
    a third of a report's). The draft is filled in, not copied: it is one just drafted,
    which nothing else holds (a copy by dataclasses.replace cost more than the places)."""
    sentence = draft.sentence
    draft.places = places_in(sentence)
    draft.topics = _topics_named(sentence.lower(), topics)
    return draft


def draft_claim(
    sentence: str,
    *,
    start: int,
    published: date,
    topics: dict[str, list[str]],
    passage: int | None = None,
    context: Context | None = None,
    heading: bool = False,
    timings: dict[str, float] | None = None,
) -> ClaimDraft:
    """Everything the pipeline finds in one sentence that starts at `start` in the body.

    `context` is the report read so far (its sentences in order) with what the timeline
    knows; the sentence's dates are remembered in it for the sentences that follow.
    `timings`, when given, gets the seconds each step took added to it (see analyse).
    """
    clock = _Clock(timings)
    draft, _ = _draft(sentence, start, published, passage, context, heading, clock)
    return clock.run("sentences", _placed, draft, _lowered_topics(topics))


def _draft(sentence, start, published, passage, context, heading, clock: _Clock):
    """draft_claim's draft, but for its places and topics (_placed), and where the pronoun
    that speaks stands in the sentence."""
    dates, explanations = clock.run("dates", _dates, sentence, published, passage, context)
    sig, pronoun, outcomes = clock.run("sentences", _marks, sentence)
    draft = ClaimDraft(
        passage=passage,
        start=start,
        end=start + len(sentence),
        sentence=sentence,
        kind=claim_kind(dates, sig, outcomes),
        signals=sig,
        dates=dates,
        explanations=explanations,
        places=(),
        topics=(),
        outcomes=outcomes,
        figures=clock.run("figures", typed_figures, sentence, sig.figures),
        heading=heading,
    )
    return draft, pronoun


def analyse(
    raw_body: str,
    published: date,
    topics: dict[str, list[str]] | None = None,
    known: tuple[Known, ...] = (),
    *,
    timings: dict[str, float] | None = None,
):
    """Run every step over one report body; returns an Analysis, touches no database.

    `known` are the dated events the timeline already holds: a sentence that names one may
    show which month "this month" means, or which month a season does.

    `timings`, when given, gets the seconds each step took added to it, by the names of
    STEPS: a benchmark can see where one analysis spends its time.
    """
    clock = _Clock(timings)
    cleaned = clock.run("clean", clean, raw_body)
    context = Context(known=known, places=PLACES)
    passages = tuple(clock.run("split", split_passages, cleaned.text))
    keywords = _lowered_topics(topics or {})
    drafted = [
        _draft(
            block.text[s:e],
            block.start + s,
            published,
            index,
            context,
            block.kind == "heading",
            clock,
        )
        for index, block in enumerate(passages)
        for s, e in clock.run("sentences", split_sentences, block.text)
    ]
    drafts = [draft for draft, _ in drafted]
    pronouns = [pronoun for _, pronoun in drafted]
    # Speakers are tied across the whole report ("Bessent said" → the "U.S. Treasury
    # Secretary Scott Bessent" named earlier), so every sentence passes through, claim or not.
    tied = clock.run("figures", list, tie_claim_speakers(drafts, pronouns))
    claims = tuple(clock.run("sentences", _placed, d, keywords) for d in tied if d.worth_citing)
    return Analysis(cleaned=cleaned, passages=passages, claims=claims)
