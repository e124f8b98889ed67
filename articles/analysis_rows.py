"""The rows an analysis becomes: passages, claims with their date mentions and topics.

articles.services.ingest_report (the one door) calls store_analysis inside its
transaction, and add_claim stores an editor's claim with store_claim and store_details.
What editors made survives a new analysis: their claims, and the claims they reviewed or
linked to an event, are kept and re-anchored in the corrected text.
"""

from django.core.exceptions import ImproperlyConfigured
from django.db import models
from django.db.models import prefetch_related_objects
from simple_history.utils import bulk_update_with_history

from tradewatch import statements
from tradewatch.history import bulk_create_with_history

from .models import Article, Claim, DateMention, Passage, Topic
from .pipeline.analysis import Analysis, ClaimDraft, draft_claim
from .pipeline.anchoring import QuoteSelector, quote_selector, relocate, sentence_hash


def topics_by_slug() -> dict[str, Topic]:
    return {t.slug: t for t in Topic.objects.all()}


def topic_keywords(topics: dict[str, Topic] | None = None) -> dict[str, list[str]]:
    """The topics' keywords by slug (of `topics`, when read already)."""
    topics = topics if topics is not None else topics_by_slug()
    return {slug: t.keywords for slug, t in topics.items()}


# A report's passages (a score or so) are built from their values in column order, as a
# read builds rows (Model.from_db): keywords, and the article set through its descriptor,
# cost about 1 M instructions a report more (passage_rows). The order is checked here, at
# import, so that a changed model fails loudly instead of mixing columns.
PASSAGE_COLUMNS = ("id", "article_id", "position", "kind", "text", "start", "end")
if tuple(field.attname for field in Passage._meta.concrete_fields) != PASSAGE_COLUMNS:
    raise ImproperlyConfigured(f"Passage's columns are no longer {PASSAGE_COLUMNS}")
ARTICLE_OF_PASSAGE = Passage._meta.get_field("article")


# What store_analysis() may change on a claim it keeps: all that save() would write but
# the claim's article, origin and review, which are never derived.
CLAIM_FIELDS = [
    "passage",
    "sentence",
    "start",
    "end",
    "previous_sentence",
    "selector_prefix",
    "selector_suffix",
    "sentence_hash",
    "kind",
    "attribution",
    "figures",
    "places",
    "anchor_state",
]


def store_analysis(
    article: Article, analysis: Analysis, *, new: bool = False, topics=None
) -> list[Claim]:
    """Replace the article's derived rows with the analysis, keeping what editors made.

    Passages and date mentions are derived and rebuilt. A pipeline claim whose sentence is
    still there keeps its row (and so its evidence); one whose sentence is gone is deleted
    unless an editor reviewed it or linked it to an event, in which case it is re-anchored
    and flagged. Editors' claims are always kept, re-anchored by their quote selector.
    One sentence, one claim: a kept claim found again exactly on a sentence the pipeline
    drafted is that sentence's claim, and no second row is made for it.
    `new`: the article was created in this transaction, so it has no derived rows yet;
    `topics`: the topics by slug, when the caller has read them already.
    """
    topics = topics if topics is not None else topics_by_slug()
    body = analysis.body
    if not new:
        article.passages.all().delete()
    passages = passage_rows(article, analysis.passages)
    statements.insert(Passage, passages)
    claims = [] if new else list(article.claims.all())
    # Decided before anything changes: whose kind, attribution and topics are the editors'.
    edited = {claim.pk for claim in claims if keeps_edits(claim)}
    previous = {}
    for claim in claims:
        if claim.origin == Claim.Origin.PIPELINE:
            previous.setdefault(claim.sentence_hash, []).append(claim)

    if claims:
        DateMention.objects.filter(claim__article=article).delete()
    # Each span of the body that will be a claim: [its claim (None: a new row), its draft].
    spans: dict[tuple[int, int], list] = {}
    for draft in analysis.claims:
        same = previous.get(sentence_hash(draft.sentence)) if previous else None
        claim = same.pop(0) if same else None
        if claim is not None:
            # Same words: exact, unless it still waits for an editor's look.
            if claim.anchor_state != Claim.AnchorState.NEEDS_REVIEW:
                claim.anchor_state = Claim.AnchorState.EXACT
        spans[draft.start, draft.end] = [claim, draft]
    drafted = set(spans)

    # An unreviewed pipeline claim is derived data: if its sentence is gone, so is it.
    # A reviewed one carries an editor's decision (accepting evidence marks it reviewed).
    matched = {id(claim) for claim, _ in spans.values() if claim is not None}
    kept, gone = [], []
    for claim in claims:
        if id(claim) in matched:
            continue
        if claim.origin == Claim.Origin.PIPELINE and not claim.reviewed:
            gone.append(claim.pk)
        else:
            kept.append(claim)
    if gone:
        # Deleted through the model's signals: the history records each claim and evidence.
        Claim.objects.filter(pk__in=gone).delete()
    # Editors' and reviewed claims are found again; their dates are read anew from the
    # words they now quote (or, orphaned, from the words they quoted).
    keywords = topic_keywords(topics)
    orphans = []
    for claim in kept:
        reanchor(claim, body, passages)
        if claim.start is None:
            orphans.append(claim)
            continue
        place = spans.setdefault((claim.start, claim.end), [None, None])
        if place[0] is None:
            place[0] = claim
        else:
            survivor, other = sorted((claim, place[0]), key=lambda c: (not keeps_edits(c), c.pk))
            merge_claim(survivor, other)
            place[0] = survivor

    stored = []
    for span, (claim, draft) in spans.items():
        if span in drafted:
            claim = claim if claim is not None else Claim(article=article)
            fill_claim(claim, draft, body, passages[draft.passage])
        else:
            # Placed by reanchor(); no sentence of the pipeline's here.
            draft = redraft(claim, article, keywords)
        stored.append((claim, draft))
    for claim in orphans:
        stored.append((claim, redraft(claim, article, keywords)))
    # New rows in one statement and kept ones in another, each with its version in the
    # history, as save() would record it.
    new_rows = [claim for claim, _ in stored if claim.pk is None]
    kept_rows = [claim for claim, _ in stored if claim.pk is not None]
    bulk_create_with_history(new_rows, Claim)
    if kept_rows:  # a new report has none
        bulk_update_with_history(kept_rows, Claim, CLAIM_FIELDS)
    store_details(stored, topics, keep_topics=edited, new={claim.pk for claim in new_rows})
    claims = [claim for claim, _ in stored]
    # The editors' topics of kept claims were not rewritten, so not remembered: one read.
    prefetch_related_objects([claim for claim in claims if claim.pk in edited], "topics")
    # By their place in the body, as article.claims orders them (orphans, placeless, last).
    return sorted(claims, key=lambda claim: (claim.start is None, claim.start or 0, claim.pk))


def passage_rows(article: Article, blocks) -> list[Passage]:
    """The article's passages, numbered from 1, not saved: as Passage(article=article,
    position=…, kind=…, text=…, start=…, end=…) makes them, built in column order."""
    passages = [
        Passage(None, article.pk, i, block.kind, block.text, block.start, block.end)
        for i, block in enumerate(blocks, start=1)
    ]
    for passage in passages:  # held as a passage made with its article holds it
        ARTICLE_OF_PASSAGE.set_cached_value(passage, article)
    return passages


def keeps_edits(claim: Claim) -> bool:
    """An editor's claim, or one an editor reviewed: its kind, attribution and topics are
    the editor's, and a correction of the report keeps them. (A claim not yet stored has
    no editor's choices to keep: add_claim passes them in.)"""
    return claim.pk is not None and (claim.origin == Claim.Origin.EDITOR or claim.reviewed)


def redraft(claim: Claim, article: Article, keywords) -> ClaimDraft:
    """What the pipeline finds in a kept claim's words, wherever they now stand."""
    return draft_claim(
        claim.sentence, start=claim.start or 0, published=article.published, topics=keywords
    )


def merge_claim(survivor: Claim, other: Claim) -> None:
    """Make two rows for one sentence one: `other`'s links move to `survivor`, then it goes.

    What points at a claim from outside articles (timeline's evidence and status changes,
    which articles does not import) is moved row by row, saved, so the history shows it.
    Where the survivor already has the same row (evidence for the same event), the
    survivor's stands and `other`'s is deleted with it, which the history records too.
    Date mentions are not moved: they are rebuilt from the sentence.
    """
    for relation in Claim._meta.related_objects:
        model, name = relation.related_model, relation.field.name
        if model is DateMention:
            continue
        rows = model._base_manager.filter(**{name: other})
        if relation.many_to_many:
            for row in rows:
                getattr(row, name).add(survivor)
            continue
        for row in rows:
            if any(
                model._base_manager.filter(
                    **{name: survivor}, **{f: getattr(row, f) for f in together}
                ).exists()
                for together in unique_with(model, name)
            ):
                continue
            setattr(row, name, survivor)
            row.save()
    other.delete()


def unique_with(model, name: str) -> list[list[str]]:
    """For each unique constraint of `model` over the field `name`: its other columns."""
    sets = [
        c.fields
        for c in model._meta.constraints
        if isinstance(c, models.UniqueConstraint) and c.condition is None and name in c.fields
    ]
    sets += [fields for fields in model._meta.unique_together if name in fields]
    return [[model._meta.get_field(f).attname for f in fields if f != name] for fields in sets]


def store_claim(claim: Claim, draft: ClaimDraft, body: str, passage: Passage) -> Claim:
    """Write what the pipeline found in a sentence onto a claim row (new or kept), and save it."""
    fill_claim(claim, draft, body, passage)
    claim.save()
    return claim


def fill_claim(claim: Claim, draft: ClaimDraft, body: str, passage: Passage) -> None:
    """Put what the pipeline found in a sentence on a claim (not saved).

    The kind, attribution and topics of an editor's or a reviewed claim are the editor's
    and stay; an unreviewed pipeline claim's are derived again. Its anchor state is the
    caller's to set.
    """
    selector = quote_selector(body, draft.start, draft.end)
    claim.passage = passage
    claim.sentence = draft.sentence
    claim.start, claim.end = draft.start, draft.end
    claim.selector_prefix, claim.selector_suffix = selector.prefix, selector.suffix
    claim.sentence_hash = sentence_hash(draft.sentence)
    if not keeps_edits(claim):
        claim.kind = claim.kind if claim.origin == Claim.Origin.EDITOR else draft.kind
        claim.attribution = claim.attribution or draft.signals.attribution
    claim.figures = [figure.as_dict() for figure in draft.figures]
    claim.places = list(draft.places)


def store_details(
    stored: list[tuple[Claim, ClaimDraft]],
    topics: dict[str, Topic],
    keep_topics=frozenset(),
    new=frozenset(),
) -> None:
    """The date mentions and topics of freshly stored claims, in one write each.

    Topics are derived again except for the claims in `keep_topics` (pks): editors chose them.
    The claims in `new` (pks) were just created: they have no topics yet to clear.
    """
    # Each claim's rows are built once, kept for its cache and written from the same lists.
    mentions = [
        [
            DateMention(
                claim=claim,
                text=match.text,
                start=match.start,
                end=match.end,
                date_start=match.date_start,
                date_end=match.date_end,
                precision=match.precision,
                method=match.method,
                explanation=why,
            )
            for match, why in zip(draft.dates, draft.explanations, strict=True)
        ]
        for claim, draft in stored
    ]
    statements.insert(DateMention, [mention for rows in mentions for mention in rows])
    for (claim, _), rows in zip(stored, mentions, strict=True):
        remember(claim, "mentions", rows)
    derived = [(claim, draft) for claim, draft in stored if claim.pk not in keep_topics]
    tagged = Claim.topics.through
    retagged = [claim for claim, _ in derived if claim.pk not in new]
    if retagged:
        tagged.objects.filter(claim__in=retagged).delete()
    chosen = [[topics[slug] for slug in draft.topics if slug in topics] for _, draft in derived]
    statements.link(
        tagged,
        [
            (claim.pk, topic.pk)
            for (claim, _), rows in zip(derived, chosen, strict=True)
            for topic in rows
        ],
    )
    for (claim, _), rows in zip(derived, chosen, strict=True):
        remember(claim, "topics", rows)


def remember(instance, name: str, rows: list) -> None:
    """Let `instance.<name>.all()` answer `rows` with no query, as prefetch_related leaves
    it. The door has just written them: reading them back for the linking and the
    caller would cost more than writing them did."""
    instance.__dict__.setdefault("_prefetched_objects_cache", {})[name] = Remembered(
        instance, name, rows
    )


class Remembered:
    """The rows of `instance.<name>` just written, held where prefetch_related holds the
    QuerySet it fetched, and answering as that QuerySet does.

    What the door's readers do with them (iterate, take len(), test) is answered from the
    rows, as that QuerySet answers from its results. Anything else (all(), filter(),
    count(), indexing, …) goes to the QuerySet prefetch_related would have left, made on
    first use with the rows as its results: a read built on it is still filtered by the
    instance. Making that QuerySet for every claim of every report (a related manager, a
    filtered clone) cost the door more than writing the rows did, and its readers never
    need it.
    """

    __slots__ = ("instance", "name", "rows", "_queryset")

    def __init__(self, instance, name: str, rows):
        self.instance, self.name, self.rows = instance, name, list(rows)
        self._queryset = None

    def queryset(self):
        """The QuerySet prefetch_related leaves: the relation's own, with the rows as its
        results."""
        if self._queryset is None:
            cache = self.instance._prefetched_objects_cache
            del cache[self.name]  # so that the manager makes its QuerySet afresh
            try:
                queryset = getattr(self.instance, self.name).get_queryset()
            finally:
                cache[self.name] = self
            queryset._result_cache, queryset._prefetch_done = list(self.rows), True
            self._queryset = queryset
        return self._queryset

    def __iter__(self):
        return iter(self.rows)

    def __len__(self) -> int:
        return len(self.rows)

    def __bool__(self) -> bool:
        return bool(self.rows)

    def __getitem__(self, index):
        return self.queryset()[index]

    def __getattr__(self, name: str):
        if name in Remembered.__slots__:  # not set yet (while unpickling)
            raise AttributeError(name)
        return getattr(self.queryset(), name)

    def __repr__(self) -> str:
        return repr(self.queryset())

    def __getstate__(self):
        return {"instance": self.instance, "name": self.name, "rows": self.rows}

    def __setstate__(self, state):
        self.instance, self.name, self.rows = state["instance"], state["name"], state["rows"]
        self._queryset = None


def reanchor(claim: Claim, body: str, passages: list[Passage]) -> None:
    """Find a kept claim again in a changed body, and say how sure that is (not saved).

    A claim that needs review goes on needing it until an editor marks it reviewed, unless
    it is gone altogether: a correction elsewhere is not an editor's look.
    """
    selector = QuoteSelector(
        exact=claim.sentence, prefix=claim.selector_prefix, suffix=claim.selector_suffix
    )
    anchor = relocate(body, selector, hint_start=claim.start)
    waiting = claim.anchor_state == Claim.AnchorState.NEEDS_REVIEW
    claim.anchor_state = anchor.state
    if anchor.start is None:
        claim.start = claim.end = None
        claim.passage = None
        return
    if waiting:
        claim.anchor_state = Claim.AnchorState.NEEDS_REVIEW
    found = body[anchor.start : anchor.end]
    if found != claim.sentence:
        claim.previous_sentence = claim.sentence
    claim.start, claim.end, claim.sentence = anchor.start, anchor.end, found
    # The context moved with the sentence: the next correction must compare with it.
    fresh = quote_selector(body, anchor.start, anchor.end)
    claim.selector_prefix, claim.selector_suffix = fresh.prefix, fresh.suffix
    claim.sentence_hash = sentence_hash(found)
    claim.passage = next(
        (p for p in passages if p.start <= anchor.start and anchor.end <= p.end), None
    )
