"""The one door for writes: every report enters through ingest_report().

The ingest command, the admin and the tests all call it, so a report is cleaned,
split, mined for claims and linked the same way whichever way it came in.
"""

import hashlib
from dataclasses import dataclass, field
from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.db.models import prefetch_related_objects
from django.utils.module_loading import import_string
from django.utils.text import slugify
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from . import wire_groups
from .clock import today
from .models import Article, Claim, DateMention, Outlet, Passage, Topic
from .pipeline.analysis import Analysis, ClaimDraft, analyse, draft_claim
from .pipeline.anchoring import QuoteSelector, quote_selector, relocate, sentence_hash
from .pipeline.dates import Known, find_dates
from .reports import (
    EARLIEST_PUBLISHED,
    ReportError,
    check_header,
    check_passages,
    check_text,
)
from .signals import report_ingested

CREATED, UPDATED, UNCHANGED = "created", "updated", "unchanged"


@dataclass
class IngestResult:
    article: Article
    status: str
    claims: list[Claim] = field(default_factory=list)


def content_hash(body: str) -> str:
    """Identity of a report without a URL: its cleaned text, whitespace folded."""
    return hashlib.sha256(" ".join(body.split()).encode()).hexdigest()


def unique_slug(model, text: str, max_length=80) -> str:
    base = slugify(text)[:max_length].strip("-") or "report"
    slug, n = base, 2
    while model.objects.filter(slug=slug).exists():
        slug = f"{base[: max_length - 4]}-{n}"
        n += 1
    return slug


def outlet_named(name: str) -> Outlet:
    outlet = Outlet.objects.filter(name__iexact=name.strip()).first()
    if outlet is None:
        outlet = Outlet.objects.create(name=name.strip(), slug=unique_slug(Outlet, name))
    return outlet


def topics_by_slug() -> dict[str, Topic]:
    return {t.slug: t for t in Topic.objects.all()}


def topic_keywords(topics: dict[str, Topic] | None = None) -> dict[str, list[str]]:
    """The topics' keywords by slug (of `topics`, when read already)."""
    topics = topics if topics is not None else topics_by_slug()
    return {slug: t.keywords for slug, t in topics.items()}


class EditConflict(ReportError):
    """The report changed since the editor opened it: saving would overwrite that change."""

    def __init__(self, stored: Article):
        self.stored = stored
        super().__init__(
            f"the report was changed by someone else (now version {stored.version}, "
            f"updated {stored.updated:%Y-%m-%d %H:%M} UTC) since it was opened"
        )


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

# Two ingests racing on one outlet, slug, URL or text: the loser's insert fails on a unique
# constraint; it starts again in a fresh savepoint and finds what the winner stored.
ATTEMPTS = 3


def known_dates(published: date) -> tuple[Known, ...]:
    """What the timeline already dates around `published` (settings.TRADEWATCH_KNOWN_DATES,
    a dotted path to a callable, so that this app never imports the timeline)."""
    path = settings.TRADEWATCH_KNOWN_DATES
    return tuple(import_string(path)(published)) if path else ()


def ingest_report(
    *,
    title: str,
    outlet: str,
    published: date,
    body: str,
    url: str = "",
    byline: str = "",
    published_estimated: bool = False,
    published_note: str = "",
    source_name: str = "",
    raw_html: str = "",
    user=None,
    article: Article | None = None,
    expected_version: int | None = None,
) -> IngestResult:
    """Store a report and everything derived from it, in one transaction.

    Idempotent: a report is found again by its URL, else by the hash of its cleaned text.
    The same report twice is UNCHANGED; a changed text or header UPDATES it, re-running the
    pipeline while keeping editors' claims (re-anchored by their quote selector).
    Pass `article` to update that one explicitly (the admin's change form does), and
    `expected_version` to refuse (EditConflict) if someone saved it since it was read.
    `raw_html`: the saved web page the body was read from (articles/saved_pages.py), kept
    with the report as its raw input.
    Raises ReportError for a report that cannot go in.
    """
    url = (url or "").strip()
    check_text(body)
    check_header(
        title=title,
        outlet=outlet,
        url=url,
        byline=byline,
        published=published,
        published_note=published_note,
        today=today(),
    )
    topics = topics_by_slug()  # read once: the analysis and the stored claims both want them
    keywords = topic_keywords(topics)
    analysis = analyse(body, published, keywords, known_dates(published))
    dated = dateline(analysis, published) if published_estimated else None
    if dated is not None and EARLIEST_PUBLISHED <= dated[0] <= today():
        # The page's own dateline says when it was published: it confirms or corrects the
        # estimate, and relative dates are read again against it.
        day, line = dated
        published_note = f"from the dateline “{line}” (estimated {published.isoformat()})"
        if day != published:
            published = day
            analysis = analyse(body, published, keywords, known_dates(published))
        published_estimated = False
    if not analysis.body.strip():
        raise ReportError("empty body: nothing is left once boilerplate is removed")
    check_passages(len(analysis.passages))
    arguments = dict(
        title=title.strip(),
        outlet=outlet.strip(),
        published=published,
        url=url or None,
        byline=byline.strip(),
        published_estimated=published_estimated,
        published_note=published_note.strip(),
        body=body,
        source_name=source_name,
        raw_html=raw_html,
        user=user,
        pk=article.pk if article is not None else None,
        expected_version=expected_version,
        topics=topics,
    )
    for attempt in range(1, ATTEMPTS + 1):
        try:
            with transaction.atomic():
                return store_report(analysis, **arguments)
        except IntegrityError:
            if attempt == ATTEMPTS:
                raise ReportError(
                    "another ingest stored a report with the same URL, text or title at the "
                    "same moment, and this one could not be reconciled; run it again"
                ) from None


def store_report(
    analysis: Analysis,
    *,
    pk,
    expected_version,
    body,
    source_name,
    user,
    outlet,
    raw_html="",
    topics=None,
    **header,
) -> IngestResult:
    """ingest_report's writes, in its transaction; the stored rows are read locked, so what
    is compared is what is in the database, not what a form has already put on an object."""
    digest = content_hash(analysis.body)
    url = header["url"]
    articles = Article.objects.select_for_update()
    article = articles.filter(pk=pk).first() if pk is not None else None
    if pk is not None and article is None:
        raise ReportError("the report was deleted by someone else since it was opened")
    if article is not None and expected_version is not None:
        if article.version != expected_version:
            raise EditConflict(article)
    if article is None and url:
        article = articles.filter(url=url).first()
    elif url and Article.objects.filter(url=url).exclude(pk=article.pk).exists():
        raise ReportError(f"another report already has the URL {url}")
    same_text = Article.objects.filter(content_hash=digest).first()
    if article is None and same_text and not (url and same_text.url):
        # Same text, and no URL on one side or the other: the same report.
        article = articles.get(pk=same_text.pk)
    if same_text and same_text != article:
        raise ReportError(
            f"duplicate report: same text as '{same_text.title}' "
            f"({same_text.url or same_text.slug})"
        )

    fields = {**header, "outlet": outlet_named(outlet)}
    if article is None:
        article = Article(
            **fields,
            slug=unique_slug(Article, header["title"]),
            body=analysis.body,
            raw_body=body,
            removed=removals(analysis),
            content_hash=digest,
            source_name=source_name,
            raw_html=raw_html,
            added_by=user,
        )
        full_clean(article)
        article.save()
        status = CREATED
    else:
        same_text = article.content_hash == digest and article.raw_body == body
        same_header = all(getattr(article, k) == v for k, v in fields.items())
        if same_text and same_header:
            if raw_html and not article.raw_html:
                # The same report, now with the page it came from: kept, nothing else changes.
                article.raw_html = raw_html
                article.save(update_fields=["raw_html"])
            return IngestResult(article, UNCHANGED, list(article.claims.with_context()))
        for name, value in fields.items():
            setattr(article, name, value)
        if not same_text:
            article.body, article.raw_body = analysis.body, body
            article.removed, article.content_hash = removals(analysis), digest
        article.version += 1
        if source_name:
            article.source_name = source_name
        if raw_html:
            article.raw_html = raw_html
        full_clean(article)
        article.save()
        status = UPDATED

    claims = store_analysis(article, analysis, new=status == CREATED, topics=topics)
    # Which reports print the same copy: from the passages, against stored signatures.
    wire_groups.group(
        article, [p.text for p in analysis.passages if p.kind != Passage.Kind.HEADING]
    )
    report_ingested.send(sender=Article, article=article, status=status, claims=claims)
    return IngestResult(article, status, claims)


def dateline(analysis: Analysis, published: date) -> tuple[date, str] | None:
    """The publication day a removed dateline gives ("AP Updated 3:15 PM EDT, June 2,
    2025"), and the line; None when the page had none."""
    for removal in analysis.cleaned.removed:
        if removal.rule != "dateline":
            continue
        days = [
            m.date_start
            for m in find_dates(removal.text, published)
            if m.precision == "day" and m.method == "absolute"
        ]
        if days:
            return days[0], removal.text[:200]
    return None


def full_clean(article: Article) -> None:
    """Model validation, as a ReportError that names the field and the problem.

    Field by field only. Its outlet and editor were just read in this transaction, and the
    table's constraints (a URL is null or not empty, a body is not empty) are what the door
    has checked already: validating them again would cost a query each, for every report.
    Uniqueness is store_report's to decide (and the database's, when two ingests race).
    """
    try:
        article.full_clean(
            exclude=["outlet", "added_by"], validate_unique=False, validate_constraints=False
        )
    except ValidationError as exc:
        problems = "; ".join(
            f"{name}: {' '.join(messages)}" for name, messages in exc.message_dict.items()
        )
        raise ReportError(f"the report cannot be stored: {problems}") from None


def removals(analysis: Analysis) -> list[dict]:
    return [{"rule": r.rule, "line": r.line, "text": r.text} for r in analysis.cleaned.removed]


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
    passages = Passage.objects.bulk_create(
        Passage(
            article=article,
            position=i,
            kind=block.kind,
            text=block.text,
            start=block.start,
            end=block.end,
        )
        for i, block in enumerate(analysis.passages, start=1)
    )
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
        same = previous.get(sentence_hash(draft.sentence))
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
    bulk_update_with_history(kept_rows, Claim, CLAIM_FIELDS)
    store_details(stored, topics, keep_topics=edited, new={claim.pk for claim in new_rows})
    claims = [claim for claim, _ in stored]
    # The editors' topics of kept claims were not rewritten, so not remembered: one read.
    prefetch_related_objects([claim for claim in claims if claim.pk in edited], "topics")
    # By their place in the body, as article.claims orders them (orphans, placeless, last).
    return sorted(claims, key=lambda claim: (claim.start is None, claim.start or 0, claim.pk))


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
    for claim, draft in stored:
        remember(
            claim,
            "mentions",
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
            ],
        )
    DateMention.objects.bulk_create(
        mention for claim, _ in stored for mention in claim.mentions.all()
    )
    derived = [(claim, draft) for claim, draft in stored if claim.pk not in keep_topics]
    tagged = Claim.topics.through
    retagged = [claim for claim, _ in derived if claim.pk not in new]
    if retagged:
        tagged.objects.filter(claim__in=retagged).delete()
    for claim, draft in derived:
        remember(claim, "topics", [topics[slug] for slug in draft.topics if slug in topics])
    tagged.objects.bulk_create(
        tagged(claim_id=claim.pk, topic_id=topic.pk)
        for claim, _ in derived
        for topic in claim.topics.all()
    )


def remember(instance, name: str, rows: list) -> None:
    """Let `instance.<name>.all()` answer `rows` with no query, as prefetch_related leaves
    it. The door has just written them: reading them back for the linking and the
    caller would cost more than writing them did."""
    queryset = getattr(instance, name).get_queryset()
    queryset._result_cache, queryset._prefetch_done = list(rows), True
    instance.__dict__.setdefault("_prefetched_objects_cache", {})[name] = queryset


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


@transaction.atomic
def add_claim(*, article: Article, sentence: str, kind: str = "", attribution: str = "") -> Claim:
    """An editor's own claim: a sentence of the body the pipeline did not pick.

    It must quote the body exactly and lie within one passage; its dates are resolved
    like any other, and it is kept through later corrections of the report.
    """
    sentence = sentence.strip()
    start = article.body.find(sentence) if sentence else -1
    if start < 0:
        raise ReportError("the claim must quote the report's text exactly")
    end = start + len(sentence)
    passage = article.passages.filter(start__lte=start, end__gte=end).first()
    if passage is None:
        raise ReportError("the claim must lie within one passage of the report")
    if article.claims.filter(start=start, end=end).exists():
        raise ReportError("this sentence is already a claim")
    topics = topics_by_slug()
    draft = draft_claim(
        sentence,
        start=start,
        published=article.published,
        topics=topic_keywords(topics),
    )
    claim = Claim(
        article=article,
        origin=Claim.Origin.EDITOR,
        reviewed=True,
        kind=kind or draft.kind,
        attribution=attribution,
    )
    store_claim(claim, draft, article.body, passage)
    store_details([(claim, draft)], topics)
    report_ingested.send(sender=Article, article=article, status="claim-added")
    return claim
