"""The ingestion pipeline, composed: raw text → cleaned body → passages → claims → dates.

Each step is a pure function in its own module (clean, split, sentences, dates); this
module only strings them together. No database here: articles.services writes the result.
"""

import re
from dataclasses import dataclass, field
from datetime import date

from .clean import Cleaned, clean
from .dates import Context, DateMatch, Known, explain, find_dates
from .figures import Figure, typed_figures
from .outcomes import Cue, outcome_cues
from .sentences import Signals, signals, split_sentences
from .speakers import tie_claim_speakers
from .split import Block, split_passages
from .vocabulary import PLACES

PLACE_PATTERNS = tuple((place, re.compile(rf"\b{re.escape(place)}\b")) for place in PLACES)


@dataclass(frozen=True)
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
        for m in rx.finditer(sentence)
    ]
    return tuple(sorted(found, key=lambda p: p["start"]))


def topics_in(sentence: str, topics: dict[str, list[str]]) -> tuple[str, ...]:
    """Slugs of the topics whose keywords occur in the sentence (case-insensitive)."""
    lowered = sentence.lower()
    return tuple(
        slug for slug, words in topics.items() if any(word.lower() in lowered for word in words)
    )


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


def draft_claim(
    sentence: str,
    *,
    start: int,
    published: date,
    topics: dict[str, list[str]],
    passage: int | None = None,
    context: Context | None = None,
    heading: bool = False,
) -> ClaimDraft:
    """Everything the pipeline finds in one sentence that starts at `start` in the body.

    `context` is the report read so far (its sentences in order) with what the timeline
    knows; the sentence's dates are remembered in it for the sentences that follow.
    """
    found = find_dates(sentence, published, context.at(passage) if context else None)
    if context is not None:
        context.remember(sentence, found)
    dates = tuple(found)
    sig = signals(sentence)
    outcomes = outcome_cues(sentence)
    return ClaimDraft(
        passage=passage,
        start=start,
        end=start + len(sentence),
        sentence=sentence,
        kind=claim_kind(dates, sig, outcomes),
        signals=sig,
        dates=dates,
        explanations=tuple(explain(d, published) for d in dates),
        places=places_in(sentence),
        topics=topics_in(sentence, topics),
        outcomes=outcomes,
        figures=typed_figures(sentence, sig.figures),
        heading=heading,
    )


def analyse(
    raw_body: str,
    published: date,
    topics: dict[str, list[str]] | None = None,
    known: tuple[Known, ...] = (),
):
    """Run every step over one report body; returns an Analysis, touches no database.

    `known` are the dated events the timeline already holds: a sentence that names one may
    show which month "this month" means, or which month a season does.
    """
    cleaned = clean(raw_body)
    context = Context(known=known, places=PLACES)
    passages = tuple(split_passages(cleaned.text))
    drafts = (
        draft_claim(
            block.text[s:e],
            passage=index,
            start=block.start + s,
            published=published,
            topics=topics or {},
            context=context,
            heading=block.kind == "heading",
        )
        for index, block in enumerate(passages)
        for s, e in split_sentences(block.text)
    )
    # Speakers are tied across the whole report ("Bessent said" → the "U.S. Treasury
    # Secretary Scott Bessent" named earlier), so every sentence passes through, claim or not.
    claims = tuple(d for d in tie_claim_speakers(drafts) if d.worth_citing)
    return Analysis(cleaned=cleaned, passages=passages, claims=claims)
