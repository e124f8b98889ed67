"""The shapes the JSON API answers with (timeline/api.py): typed, described, in the OpenAPI
document at /api/openapi.json."""

from datetime import date
from enum import StrEnum

from ninja import Field, Schema

from articles.models import Claim, DateMention, Outlet
from timeline.models import Event, Evidence


def choices(name: str, field_choices) -> type[StrEnum]:
    """A model field's choices as an enum with a name of its own: Event.Kind, Outlet.Kind and
    Claim.Kind would otherwise share one "Kind" schema in the OpenAPI document."""
    return StrEnum(name, [(value, value) for value in field_choices.values])


EventKind = choices("EventKind", Event.Kind)
EventStatus = choices("EventStatus", Event.Status)
OutletKind = choices("OutletKind", Outlet.Kind)
ClaimKind = choices("ClaimKind", Claim.Kind)
Precision = choices("Precision", DateMention.Precision)
MentionMethod = choices("MentionMethod", DateMention.Method)
Stance = choices("Stance", Evidence.Stance)
EvidenceState = choices("EvidenceState", Evidence.State)

# --- small parts ------------------------------------------------------------------------------


class Problem(Schema):
    """What every error answers: a sentence, and the parameters that were not understood."""

    detail: str = Field(description="What went wrong, in a sentence.")
    errors: list["ParameterError"] = Field(
        default=[], description="One entry per parameter that was not understood."
    )


class ParameterError(Schema):
    parameter: str = Field(description="The query or path parameter, as named in the URL.")
    message: str = Field(description="Why its value was not understood.")


Problem.model_rebuild()


class TopicRef(Schema):
    slug: str = Field(description="The topic's slug, as the `topic` filter takes it.")
    name: str = Field(description="The topic's name.")


class OutletRef(Schema):
    slug: str = Field(description="The outlet's slug, as the `outlet` filter takes it.")
    name: str = Field(description="The outlet's name.")


class ReportRef(Schema):
    slug: str = Field(description="The report's slug: /api/v1/reports/{slug}.")
    title: str = Field(description="The report's headline.")
    published: date = Field(description="Its publication day (YYYY-MM-DD).")
    url: str = Field(description="Absolute URL of the report's page on this site.")
    source_url: str | None = Field(description="Where the outlet published it, when known.")


class Quote(Schema):
    """A W3C Web Annotation TextQuoteSelector: finds the sentence again in a corrected text."""

    type: str = Field(description='Always "TextQuoteSelector".')
    exact: str = Field(description="The quoted sentence, exactly as in the report.")
    prefix: str = Field(description="The characters just before it.")
    suffix: str = Field(description="The characters just after it.")


class Mention(Schema):
    """Words of a sentence that name a date, and the days they were resolved to."""

    text: str = Field(description="The words as written (“next Thursday”).")
    start: int = Field(description="Offset of the words in the claim's sentence.")
    end: int = Field(description="Offset just after the words.")
    date_start: date = Field(description="First day of the resolved span (YYYY-MM-DD).")
    date_end: date = Field(description="Last day of the resolved span (YYYY-MM-DD).")
    precision: Precision = Field(description="How precise the date is.")
    method: MentionMethod = Field(description="How the words were resolved.")
    explanation: str = Field(description="The resolution in words, with its reason.")


class Figure(Schema):
    """A figure of a sentence as the pipeline typed it; null where the sentence does not say."""

    text: str = Field(description="As written: “145%”, “$1.2 billion”.")
    value: float | None = Field(default=None, description="The number, scaled; null for a range.")
    unit: str | None = Field(default=None, description="“%”, “USD”, “tonnes”…")
    basis: str | None = Field(default=None, description="A rate's kind, or the goods counted.")
    imposed_by: str | None = Field(default=None, description="A duty rate's imposing side.")
    imposed_on: str | None = Field(default=None, description="A duty rate's target side.")
    status: str | None = Field(default=None, description="A duty rate's status.")


# --- events -----------------------------------------------------------------------------------


class StatusStep(Schema):
    """One step of an event's story, in the order the steps took effect."""

    status: EventStatus = Field(description="What the event became.")
    effective: date = Field(description="The day it took effect (YYYY-MM-DD).")
    precision: Precision = Field(description="How precise `effective` is.")
    new_date: date | None = Field(description="Postponed or extended: the day it now falls on.")
    phrase: str = Field(description="The step in words: “called off, Thu 30 Oct 2025”.")
    sources: list[str] = Field(description="Absolute links to the quotes the step rests on.")


class EvidenceOut(Schema):
    """A quote from a report and how it bears on the event."""

    claim_id: int = Field(description="The claim's id; its anchor on the report page is #claim-N.")
    sentence: str = Field(description="The claim: the report's sentence, verbatim.")
    quote: Quote = Field(description="The sentence as a W3C TextQuoteSelector.")
    attribution: str = Field(description="Who the sentence quotes or credits, if anyone.")
    stance: Stance = Field(description="Whether the quote supports the event.")
    state: EvidenceState = Field(description="The editor's decision; always accepted here.")
    mention: Mention | None = Field(description="The date mention tying the quote to the event.")
    outlet: OutletRef = Field(description="Who published the report.")
    report: ReportRef = Field(description="The report the quote comes from.")
    link: str = Field(description="Absolute link to the quote on the report page (#claim-N).")
    passage_anchor: str | None = Field(description="The passage's anchor, “p-N”, if anchored.")
    passage_link: str | None = Field(description="Absolute link to the passage (#p-N).")


class EventOut(Schema):
    slug: str = Field(description="The event's slug: /api/v1/events/{slug}.")
    title: str = Field(description="The event's title.")
    url: str = Field(description="Absolute URL of the event's page.")
    kind: EventKind = Field(description="What sort of event it is.")
    status: EventStatus = Field(description="Its status: the latest step of its story.")
    status_label: str = Field(description="The status in words (“called off”).")
    start: date = Field(description="First day, at `precision` (YYYY-MM-DD).")
    end: date | None = Field(description="Last day of a span, such as a truce; else null.")
    precision: Precision = Field(description="How precise the dates are.")
    when: str = Field(description="The dates in words at their precision: “May 2025”.")
    place: str = Field(description="Where it happened, if known.")
    summary: str = Field(description="The editors' summary.")
    topics: list[TopicRef] = Field(description="The event's topics.")
    history: list[StatusStep] = Field(description="Its status changes, oldest first.")
    evidence: list[EvidenceOut] = Field(description="The accepted quotes, by publication date.")


class Page(Schema):
    """What every list answers: where this page stands among all the matching items."""

    count: int = Field(description="How many items match, on all pages.")
    limit: int = Field(description="The page size used.")
    offset: int = Field(description="How many matching items come before this page.")
    next: str | None = Field(description="Absolute URL of the next page; null on the last.")
    previous: str | None = Field(description="Absolute URL of the previous page, if any.")


class EventPage(Page):
    search_note: str = Field(description="Said when `q` was cut to the search limits.")
    items: list[EventOut] = Field(description="Events by start, end, title, then id.")


# --- reports and outlets ----------------------------------------------------------------------


class OutletOut(Schema):
    slug: str = Field(description="The outlet's slug, as the `outlet` filters take it.")
    name: str = Field(description="The outlet's name.")
    kind: OutletKind = Field(description="What sort of outlet it is.")
    homepage: str = Field(description="Its homepage, if known.")
    url: str = Field(description="Absolute URL of its reports on this site.")
    reports: int = Field(description="How many of its reports the site holds.")


class OutletPage(Page):
    items: list[OutletOut] = Field(description="Outlets by name.")


class ReportSummary(ReportRef):
    outlet: OutletRef = Field(description="Who published it.")
    byline: str = Field(description="The byline, if any.")
    published_estimated: bool = Field(description="The outlet gave no date; it was estimated.")
    claim_count: int = Field(description="How many claims the pipeline and editors found in it.")


class ReportPage(Page):
    items: list[ReportSummary] = Field(description="Newest first, then by title and id.")


class PassageOut(Schema):
    position: int = Field(description="1-based position in the report.")
    anchor: str = Field(description="The passage's anchor on the report page: “p-N”.")
    link: str = Field(description="Absolute link to the passage.")
    kind: str = Field(description="heading, paragraph or list_item.")
    text: str = Field(description="The passage's cleaned text.")
    start: int = Field(description="Offset of the passage in the report's cleaned text.")
    end: int = Field(description="Offset just after it.")


class EventRef(Schema):
    slug: str = Field(description="The event's slug.")
    title: str = Field(description="The event's title.")
    url: str = Field(description="Absolute URL of the event's page.")
    stance: Stance = Field(description="How the claim bears on it.")


class ClaimOut(Schema):
    id: int = Field(description="The claim's id.")
    anchor: str = Field(description="The claim's anchor on the report page: “claim-N”.")
    link: str = Field(description="Absolute link to the claim on the report page.")
    passage_anchor: str | None = Field(description="Its passage's anchor, null if orphaned.")
    sentence: str = Field(description="The sentence, verbatim.")
    start: int | None = Field(description="Offset in the report's cleaned text; null if lost.")
    end: int | None = Field(description="Offset just after the sentence.")
    quote: Quote = Field(description="The sentence as a W3C TextQuoteSelector.")
    kind: ClaimKind = Field(description="Why the sentence is worth citing.")
    attribution: str = Field(description="Who the sentence quotes or credits, if anyone.")
    figures: list[Figure] = Field(description="The figures it gives, typed.")
    mentions: list[Mention] = Field(description="The dates it names, resolved to spans.")
    events: list[EventRef] = Field(description="The timeline events it is accepted evidence for.")


class ReportOut(ReportSummary):
    passages: list[PassageOut] = Field(description="The report's passages, in order.")
    claims: list[ClaimOut] = Field(description="Its claims, in the order of the text.")


# --- search -----------------------------------------------------------------------------------


class Hit(Schema):
    kind: str = Field(description="“event”, “claim” or “report”.")
    title: str = Field(description="The event's or report's title.")
    snippet: str = Field(description="HTML, escaped, with <mark> around the matched words.")
    url: str = Field(description="Absolute link to the event, report or passage.")
    rank: float = Field(description="Relevance; higher first.")
    outlet: str = Field(description="Claims and reports: the outlet's name; else empty.")
    published: date | None = Field(description="Claims and reports: the publication day.")
    when: str = Field(description="Events: the day or days they cover, in words; else empty.")


class HitCounts(Schema):
    event: int = Field(description="Matching events.")
    claim: int = Field(description="Matching quotes (claims).")
    report: int = Field(description="Matching reports.")


class SearchPage(Page):
    search_note: str = Field(description="Said when `q` was cut to the search limits.")
    counts: HitCounts = Field(description="How many hits of each kind, on all pages.")
    items: list[Hit] = Field(description="Hits, most relevant first.")
