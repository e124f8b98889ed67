"""The one door for writes: every report enters through ingest_report().

The ingest command, the admin and the tests all call it, so a report is cleaned,
split, mined for claims and linked the same way whichever way it came in.
"""

import hashlib
from dataclasses import dataclass, field
from datetime import date

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.text import slugify

from .anchoring import QuoteSelector, quote_selector, relocate, sentence_hash
from .clock import today
from .models import Article, Claim, DateMention, Outlet, Passage, Topic
from .pipeline import Analysis, ClaimDraft, analyse, draft_claim
from .reports import ReportError, check_header, check_passages, check_text
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


def topic_keywords() -> dict[str, list[str]]:
    return {t.slug: t.keywords for t in Topic.objects.all()}


class EditConflict(ReportError):
    """The report changed since the editor opened it: saving would overwrite that change."""

    def __init__(self, stored: Article):
        self.stored = stored
        super().__init__(
            f"the report was changed by someone else (now version {stored.version}, "
            f"updated {stored.updated:%Y-%m-%d %H:%M} UTC) since it was opened"
        )


# Two ingests racing on one outlet, slug, URL or text: the loser's insert fails on a unique
# constraint; it starts again in a fresh savepoint and finds what the winner stored.
ATTEMPTS = 3


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
    analysis = analyse(body, published, topic_keywords())
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
        user=user,
        pk=article.pk if article is not None else None,
        expected_version=expected_version,
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
    analysis: Analysis, *, pk, expected_version, body, source_name, user, outlet, **header
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
            added_by=user,
        )
        full_clean(article)
        article.save()
        status = CREATED
    else:
        same_text = article.content_hash == digest and article.raw_body == body
        same_header = all(getattr(article, k) == v for k, v in fields.items())
        if same_text and same_header:
            return IngestResult(article, UNCHANGED, list(article.claims.with_context()))
        for name, value in fields.items():
            setattr(article, name, value)
        if not same_text:
            article.body, article.raw_body = analysis.body, body
            article.removed, article.content_hash = removals(analysis), digest
        article.version += 1
        if source_name:
            article.source_name = source_name
        full_clean(article)
        article.save()
        status = UPDATED

    claims = store_analysis(article, analysis)
    report_ingested.send(sender=Article, article=article, status=status)
    return IngestResult(article, status, claims)


def full_clean(article: Article) -> None:
    """Model validation, as a ReportError that names the field and the problem."""
    try:
        article.full_clean(validate_unique=False)
    except ValidationError as exc:
        problems = "; ".join(
            f"{name}: {' '.join(messages)}" for name, messages in exc.message_dict.items()
        )
        raise ReportError(f"the report cannot be stored: {problems}") from None


def removals(analysis: Analysis) -> list[dict]:
    return [{"rule": r.rule, "line": r.line, "text": r.text} for r in analysis.cleaned.removed]


def store_analysis(article: Article, analysis: Analysis) -> list[Claim]:
    """Replace the article's derived rows with the analysis, keeping what editors made.

    Passages and date mentions are derived and rebuilt. A pipeline claim whose sentence is
    still there keeps its row (and so its evidence); one whose sentence is gone is deleted
    unless an editor reviewed it or linked it to an event, in which case it is re-anchored
    and flagged. Editors' claims are always kept, re-anchored by their quote selector.
    """
    body = analysis.body
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
    previous = {}
    for claim in article.claims.filter(origin=Claim.Origin.PIPELINE):
        previous.setdefault(claim.sentence_hash, []).append(claim)

    DateMention.objects.filter(claim__article=article).delete()
    stored = []
    for draft in analysis.claims:
        same = previous.get(sentence_hash(draft.sentence))
        claim = same.pop(0) if same else Claim(article=article)
        stored.append((store_claim(claim, draft, body, passages[draft.passage]), draft))

    # An unreviewed pipeline claim is derived data: if its sentence is gone, so is it.
    # A reviewed one carries an editor's decision (accepting evidence marks it reviewed).
    for claim in (c for group in previous.values() for c in group):
        if not claim.reviewed:
            claim.delete()
    # Editors' and reviewed claims are found again; their dates are read anew from the
    # words they now quote (or, orphaned, from the words they quoted).
    keywords = topic_keywords()
    for claim in article.claims.exclude(pk__in=[c.pk for c, _ in stored]):
        reanchor(claim, body, passages)
        draft = draft_claim(
            claim.sentence,
            start=claim.start or 0,
            published=article.published,
            topics=keywords,
        )
        stored.append((claim, draft))
    store_details(stored)
    return list(article.claims.with_context())


def store_claim(claim: Claim, draft: ClaimDraft, body: str, passage: Passage) -> Claim:
    """Write what the pipeline found in a sentence onto a claim row (new or kept)."""
    selector = quote_selector(body, draft.start, draft.end)
    claim.passage = passage
    claim.sentence = draft.sentence
    claim.start, claim.end = draft.start, draft.end
    claim.selector_prefix, claim.selector_suffix = selector.prefix, selector.suffix
    claim.sentence_hash = sentence_hash(draft.sentence)
    claim.kind = claim.kind if claim.origin == Claim.Origin.EDITOR else draft.kind
    claim.attribution = claim.attribution or draft.signals.attribution
    claim.figures = list(draft.signals.figures)
    claim.places = list(draft.places)
    claim.anchor_state = Claim.AnchorState.EXACT
    claim.save()
    return claim


def store_details(stored: list[tuple[Claim, ClaimDraft]]) -> None:
    """The date mentions and topics of freshly stored claims, in one write each."""
    DateMention.objects.bulk_create(
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
        for claim, draft in stored
        for match, why in zip(draft.dates, draft.explanations, strict=True)
    )
    tagged = Claim.topics.through
    tagged.objects.filter(claim__in=[claim for claim, _ in stored]).delete()
    topics = dict(Topic.objects.values_list("slug", "pk"))
    tagged.objects.bulk_create(
        tagged(claim_id=claim.pk, topic_id=topics[slug])
        for claim, draft in stored
        for slug in draft.topics
        if slug in topics
    )


def reanchor(claim: Claim, body: str, passages: list[Passage]) -> None:
    """Find a kept claim again in a changed body, and say how sure that is."""
    selector = QuoteSelector(
        exact=claim.sentence, prefix=claim.selector_prefix, suffix=claim.selector_suffix
    )
    anchor = relocate(body, selector, hint_start=claim.start)
    claim.anchor_state = anchor.state
    if anchor.start is None:
        claim.start = claim.end = None
        claim.passage = None
    else:
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
    claim.save()


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
    draft = draft_claim(
        sentence,
        start=start,
        published=article.published,
        topics=topic_keywords(),
    )
    claim = Claim(
        article=article,
        origin=Claim.Origin.EDITOR,
        reviewed=True,
        kind=kind or draft.kind,
        attribution=attribution,
    )
    store_claim(claim, draft, article.body, passage)
    store_details([(claim, draft)])
    report_ingested.send(sender=Article, article=article, status="claim-added")
    return claim
