"""The one door for writes: every report enters through ingest_report().

The ingest command, the admin and the tests all call it, so a report is cleaned,
split, mined for claims and linked the same way whichever way it came in.
"""

import hashlib
from dataclasses import dataclass, field
from datetime import date

from django.db import transaction
from django.utils.text import slugify

from .anchoring import QuoteSelector, quote_selector, relocate, sentence_hash
from .dates import explain, find_dates
from .models import Article, Claim, DateMention, Outlet, Passage, Topic
from .pipeline import Analysis, analyse, places_in, topics_in
from .reports import ReportError
from .signals import report_ingested

CREATED, UPDATED, UNCHANGED = "created", "updated", "unchanged"


@dataclass
class IngestResult:
    article: Article
    status: str
    claims: list[Claim] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def content_hash(body: str) -> str:
    """Identity of a report without a URL: its cleaned text, whitespace folded."""
    return hashlib.sha256(" ".join(body.split()).encode()).hexdigest()


def unique_slug(model, text: str, *, exclude_pk=None, max_length=80) -> str:
    base = slugify(text)[:max_length].strip("-") or "report"
    slug, n = base, 2
    while model.objects.filter(slug=slug).exclude(pk=exclude_pk).exists():
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


@transaction.atomic
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
) -> IngestResult:
    """Store a report and everything derived from it, in one transaction.

    Idempotent: a report is found again by its URL, else by the hash of its cleaned text.
    The same report twice is UNCHANGED; a changed text or header UPDATES it, re-running the
    pipeline while keeping editors' claims (re-anchored by their quote selector).
    Pass `article` to update that one explicitly (the admin's change form does).
    Raises ReportError for a report that cannot go in.
    """
    url = (url or "").strip()
    analysis = analyse(body, published, topic_keywords())
    if not analysis.body.strip():
        raise ReportError("empty body: nothing is left once boilerplate is removed")
    digest = content_hash(analysis.body)

    if article is None and url:
        article = Article.objects.filter(url=url).first()
    if article is None:
        # Same text, and no URL on one side or the other: the same report. Same text at
        # two different URLs is a duplicate, refused below.
        same_text = Article.objects.filter(content_hash=digest).first()
        if same_text and not (url and same_text.url):
            article = same_text
    twin = Article.objects.filter(content_hash=digest).exclude(pk=article.pk if article else None)
    if twin.exists():
        other = twin.get()
        raise ReportError(
            f"duplicate report: same text as '{other.title}' ({other.url or other.slug})"
        )

    fields = dict(
        title=title.strip(),
        outlet=outlet_named(outlet),
        url=url or None,
        byline=byline.strip(),
        published=published,
        published_estimated=published_estimated,
        published_note=published_note.strip(),
    )
    if article is None:
        article = Article(
            **fields,
            slug=unique_slug(Article, title),
            body=analysis.body,
            raw_body=body,
            removed=removals(analysis),
            content_hash=digest,
            source_name=source_name,
            added_by=user,
        )
        article.full_clean()
        article.save()
        status = CREATED
    else:
        same_text = article.content_hash == digest and article.raw_body == body
        same_header = all(getattr(article, k) == v for k, v in fields.items())
        if same_text and same_header:
            return IngestResult(article, UNCHANGED, list(article.claims.with_context()))
        for name, value in fields.items():
            setattr(article, name, value)
        article.body, article.raw_body = analysis.body, body
        article.removed, article.content_hash = removals(analysis), digest
        article.version += 1
        if source_name:
            article.source_name = source_name
        article.full_clean()
        article.save()
        status = UPDATED

    claims = store_analysis(article, analysis)
    report_ingested.send(sender=Article, article=article, status=status)
    return IngestResult(article, status, claims)


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
    topics = {t.slug: t for t in Topic.objects.all()}
    previous = {}
    for claim in article.claims.filter(origin=Claim.Origin.PIPELINE):
        previous.setdefault(claim.sentence_hash, []).append(claim)

    DateMention.objects.filter(claim__article=article).delete()
    kept = []
    for draft in analysis.claims:
        selector = quote_selector(body, draft.start, draft.end)
        digest = sentence_hash(draft.sentence)
        claim = previous.get(digest, []).pop(0) if previous.get(digest) else Claim(article=article)
        claim.passage = passages[draft.passage]
        claim.sentence = draft.sentence
        claim.start, claim.end = draft.start, draft.end
        claim.selector_prefix, claim.selector_suffix = selector.prefix, selector.suffix
        claim.sentence_hash = digest
        claim.kind = draft.kind
        claim.attribution = draft.signals.attribution
        claim.figures = list(draft.signals.figures)
        claim.places = list(draft.places)
        claim.anchor_state = Claim.AnchorState.EXACT
        claim.save()
        claim.topics.set([topics[slug] for slug in draft.topics if slug in topics])
        store_mentions(claim, draft.dates, draft.explanations)
        kept.append(claim)

    # An unreviewed pipeline claim is derived data: if its sentence is gone, so is it.
    # A reviewed one carries an editor's decision (accepting evidence marks it reviewed).
    for claim in (c for group in previous.values() for c in group):
        if not claim.reviewed:
            claim.delete()
    for claim in article.claims.exclude(pk__in=[c.pk for c in kept]):
        reanchor(claim, body, passages)
    return list(article.claims.with_context())


def store_mentions(claim: Claim, matches, explanations) -> None:
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
        for match, why in zip(matches, explanations, strict=True)
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
    selector = quote_selector(article.body, start, end)
    claim = Claim.objects.create(
        article=article,
        passage=passage,
        sentence=sentence,
        start=start,
        end=end,
        selector_prefix=selector.prefix,
        selector_suffix=selector.suffix,
        sentence_hash=sentence_hash(sentence),
        kind=kind or Claim.Kind.ATTRIBUTED,
        attribution=attribution,
        origin=Claim.Origin.EDITOR,
        reviewed=True,
        places=list(places_in(sentence)),
    )
    keywords = topic_keywords()
    claim.topics.set(Topic.objects.filter(slug__in=topics_in(sentence, keywords)))
    matches = find_dates(sentence, article.published)
    store_mentions(claim, matches, [explain(m, article.published) for m in matches])
    if not kind and claim.mentions.exists():
        claim.kind = Claim.Kind.DATED
        claim.save(update_fields=["kind"])
    report_ingested.send(sender=Article, article=article, status="claim-added")
    return claim
