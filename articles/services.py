"""The one door for writes: every report enters through ingest_report().

The ingest command, the admin and the tests all call it, so a report is cleaned,
split, mined for claims and linked the same way whichever way it came in. Here: the
checks, finding the report again (URL, text), the article's own row, wire grouping and
the report_ingested signal; the passages and claims it writes are articles.analysis_rows'.
"""

import hashlib
import logging
from collections.abc import Iterable, Mapping
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cache

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import DatabaseError, IntegrityError, connections, transaction
from django.utils.module_loading import import_string
from django.utils.text import slugify

from tradewatch import statements
from tradewatch.history import bulk_create_with_history

from . import wire_groups
from .analysis_rows import (
    store_analysis,
    store_claim,
    store_details,
    topic_keywords,
    topics_by_slug,
)
from .analysts import Ahead, Analysts
from .clock import today
from .models import Article, Claim, Outlet
from .pipeline.analysis import Analysis, analyse, draft_claim
from .pipeline.dates import Known, find_dates
from .pipeline.wire import signed_text
from .reports import (
    EARLIEST_PUBLISHED,
    ReportError,
    check_header,
    check_passages,
    check_text,
)
from .signals import content_changed, report_ingested, reports_ingested

CREATED, UPDATED, UNCHANGED = "created", "updated", "unchanged"

logger = logging.getLogger(__name__)


@dataclass
class IngestResult:
    article: Article
    status: str
    claims: list[Claim] = field(default_factory=list)


def content_hash(body: str) -> str:
    """Identity of a report without a URL: its cleaned text, whitespace folded."""
    return hashlib.sha256(" ".join(body.split()).encode()).hexdigest()


def unique_slug(model, text: str, max_length=80, *, taken: bool | None = None) -> str:
    """The slug of `text`, numbered (-2, -3…) past those the rows of `model` have.
    `taken`: whether the plain one is, when the caller has asked already."""
    base = slug_of(text, max_length)
    slug, n = base, 2
    while slug_taken(model, slug) if taken is None else taken:
        slug = f"{base[: max_length - 4]}-{n}"
        n, taken = n + 1, None
    return slug


def slug_of(text: str, max_length=80) -> str:
    return slugify(text)[:max_length].strip("-") or "report"


def slug_taken(model, slug: str) -> bool:
    db = connections[model._default_manager.db]
    with db.cursor() as cursor:
        cursor.execute(_slug_sql(db.alias, model), [slug])
        return cursor.fetchone() is not None


@cache
def _slug_sql(using: str, model) -> str:
    db = connections[using]
    (slug,) = statements.columns(db, model, "slug")
    return f"SELECT 1 FROM {statements.table(db, model)} WHERE {slug} = %s LIMIT 1"


def outlet_named(name: str) -> Outlet:
    """The outlet of that name, whatever its case, created if there is none. In a batch,
    an outlet found is remembered by its name as written: the batch's reports mostly come
    from a few outlets. One created is not, until a later report finds it: the report
    that created it may yet fail, and take the outlet with it."""
    name = name.strip()
    batch = _batch.get()
    known = batch.outlets if batch is not None else {}
    outlet = known.get(name)
    if outlet is None:
        outlet = Outlet.objects.filter(name__iexact=name).first()
        if outlet is None:
            return Outlet.objects.create(name=name, slug=unique_slug(Outlet, name))
        known[name] = outlet
    return outlet


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


def known_dates(published: date) -> tuple[Known, ...]:
    """What the timeline already dates around `published`."""
    return known_dates_around([published])[published]


def known_dates_around(days: Iterable[date]) -> dict[date, tuple[Known, ...]]:
    """What the timeline already dates around each of these days
    (settings.TRADEWATCH_KNOWN_DATES, a dotted path to a callable, so that this app never
    imports the timeline)."""
    days = list(days)
    path = settings.TRADEWATCH_KNOWN_DATES
    if not path:
        return dict.fromkeys(days, ())
    return {day: tuple(known) for day, known in import_string(path)(days).items()}


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
    # Read once: the analysis and the stored claims both want them (and once for a batch).
    topics = read_once("topics", topics_by_slug)
    keywords = topic_keywords(topics)
    analysis, signed = analysed(body, published, keywords)
    dated = dateline(analysis, published) if published_estimated else None
    if dated is not None and EARLIEST_PUBLISHED <= dated[0] <= today():
        # The page's own dateline says when it was published: it confirms or corrects the
        # estimate, and relative dates are read again against it.
        day, line = dated
        published_note = f"from the dateline “{line}” (estimated {published.isoformat()})"
        if day != published:
            published = day
            analysis, signed = analysed(body, published, keywords)
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
        signed=signed,
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


@dataclass
class _Batch:
    """The ingest_reports batch under way: the reports stored so far, by article (a report
    stored twice, a correction after it, counts as it now stands: the claims it was first
    stored with may be gone), and what was read for them (the topics, and the timeline's
    dates around each day: ingesting changes neither, so the batch's reports share one
    read)."""

    stored: dict = field(default_factory=dict)  # article pk → (article, status, claims)
    reads: dict = field(default_factory=dict)
    outlets: dict = field(default_factory=dict)  # outlet_named's, by name as written
    days: set = field(default_factory=set)  # the reports' publication days, not yet read
    ahead: Ahead | None = None  # what the analysts make ahead, when the batch has them


_batch: ContextVar[_Batch | None] = ContextVar("tradewatch_ingest_batch", default=None)


def read_once(key, read):
    """`read()`, or in a batch what it gave the first time a report of the batch asked."""
    batch = _batch.get()
    if batch is None:
        return read()
    if key not in batch.reads:
        batch.reads[key] = read()
    return batch.reads[key]


def known_dates_once(published: date) -> tuple[Known, ...]:
    """known_dates(published), read once for a batch: the first report to ask reads them
    for the publication day of every report of the batch, in one read of the timeline when
    they are near each other (a report whose dateline moves it asks for its new day)."""
    batch = _batch.get()
    if batch is not None and published in batch.days:
        for day, known in known_dates_around(batch.days).items():
            batch.reads[("known dates", day)] = known
        batch.days = set()
    return read_once(("known dates", published), lambda: known_dates(published))


def analysed(body: str, published: date, keywords: dict[str, list[str]]) -> tuple[Analysis, object]:
    """The report's analysis and its passages' wire signature: those the batch's analysts
    made ahead from the same inputs (articles.analysts); or, when there are none, the
    analysis made here and wire_groups.UNSIGNED (the wire grouping signs the passages)."""
    known = known_dates_once(published)
    batch = _batch.get()
    if batch is not None and batch.ahead is not None:
        made = batch.ahead.made(body, published, keywords, known)
        if made is not None:
            return made
    return analyse(body, published, keywords, known), wire_groups.UNSIGNED


def ask_ahead(reports: list[dict], ahead: Ahead) -> None:
    """Have the analysts analyse these reports while the door writes: each with the
    topics and the known dates the door will read for it (read in the batch under way).
    A report that cannot go in as it is (a body refused, a field missing) is not asked
    for: the door says why."""
    batch = _batch.get()
    if batch is not None:  # the next batch's days are read with this one's, in one go
        batch.days |= publication_days(reports)
    keywords = topic_keywords(read_once("topics", topics_by_slug))
    asked = []
    for report in reports:
        try:
            body, published = report["body"], report["published"]
            check_text(body)
            asked.append((body, published, keywords, known_dates_once(published)))
        except Exception:  # noqa: BLE001 — the door refuses it, with its reason
            continue
    ahead.ask(asked)


# Reports a batch holds at most: one transaction, so the write lock (SQLite) or the wire
# grouping lock (PostgreSQL) is held while they all go in, a second or so.
BATCH_SIZE = 25


def ingest_reports(
    reports: Iterable[dict], *, analysts: Analysts | None = None
) -> list[IngestResult | Exception]:
    """Many reports through the door, BATCH_SIZE at a time: for each, in order, its
    IngestResult, or the exception that kept it out (a ReportError says why; anything
    else is a fault, for the caller to log).

    Each batch is one transaction and each report's writes a savepoint in it, stored
    exactly as ingest_report stores it, so a report that cannot go in leaves nothing and
    the rest still go in. What hears report_ingested hears it once for the batch instead
    (reports_ingested, before the batch commits): the timeline reads the events near
    all the batch's reports once and writes their evidence in one go. Should that fail,
    the batch's reports go in again one at a time.
    `reports`: ingest_report's keyword arguments, each. `analysts`: processes that analyse
    a batch's reports while this one writes them (articles.analysts); the same results.
    """
    reports = list(reports)
    results: list[IngestResult | Exception] = []
    ahead = Ahead(analysts) if analysts is not None else None
    try:
        for start in range(0, len(reports), BATCH_SIZE):
            # The analysts get this batch's reports (unless they have them already) and
            # the next batch's: they work on those while the door writes these.
            asking = reports[start : start + 2 * BATCH_SIZE] if ahead is not None else []
            results += _ingest_batch(reports[start : start + BATCH_SIZE], ahead, asking)
    finally:
        if ahead is not None:
            ahead.finish()
    return results


def _ingest_batch(
    reports: list[dict], ahead: Ahead | None = None, asking: list[dict] = ()
) -> list[IngestResult | Exception]:
    batch = _Batch(days=publication_days(reports), ahead=ahead)
    try:
        with transaction.atomic():
            token = _batch.set(batch)
            try:
                if ahead is not None:
                    ask_ahead(asking, ahead)
                results = [_one(report, alone=False) for report in reports]
            finally:
                _batch.reset(token)
            if any(isinstance(result, DatabaseError) for result in results):
                raise BatchSpoilt("a report's reads failed in the database")
            if batch.stored:
                reports_ingested.send(sender=Article, reports=list(batch.stored.values()))
    except Exception:  # noqa: BLE001 — the batch is rolled back; each report goes in alone
        logger.warning(
            "a batch of %d reports failed; ingesting them one at a time",
            len(reports),
            exc_info=True,
        )
        return [_one(report) for report in reports]
    return results


def publication_days(reports: list) -> set[date]:
    """The days the reports say they were published, for known_dates_once. What is no
    day (a datetime, a text, a report that is no mapping) is the door's to refuse, report
    by report."""
    days = set()
    for report in reports:
        day = report.get("published") if isinstance(report, Mapping) else None
        if isinstance(day, date) and not isinstance(day, datetime):
            days.add(day)
    return days


class BatchSpoilt(Exception):
    """A database error in a batch, outside the savepoint of a report's writes."""


def _one(report: dict, *, alone: bool = True) -> IngestResult | Exception:
    """One report through the door, or what kept it out, in a transaction of its own:
    whatever fails, reads included, undoes that report only.

    In a batch (not `alone`), its writes are in a savepoint of their own (ingest_report's)
    and its reads in the batch's transaction: a savepoint more for each report would cost
    more than the reads. A read that fails in the database may have spoilt the batch's
    transaction (PostgreSQL refuses every statement after it), so the batch then goes in
    again one report at a time (BatchSpoilt), as it would for any database error."""
    try:
        if not alone:
            return ingest_report(**report)
        with transaction.atomic():
            return ingest_report(**report)
    except Exception as exc:  # noqa: BLE001 — one bad report must not stop the rest
        return exc


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
    signed=wire_groups.UNSIGNED,
    **header,
) -> IngestResult:
    """ingest_report's writes, in its transaction; the stored rows are read locked, so what
    is compared is what is in the database, not what a form has already put on an object."""
    digest = content_hash(analysis.body)
    url = header["url"]
    # Built when there is something to read (a queryset costs as much as a statement).
    locked = Article.objects.select_for_update
    article = locked().filter(pk=pk).first() if pk is not None else None
    if pk is not None and article is None:
        raise ReportError("the report was deleted by someone else since it was opened")
    if article is not None and expected_version is not None:
        if article.version != expected_version:
            raise EditConflict(article)
    # The stored reports with its URL or its text (each unique). Most reports are new: a
    # statement written out once asks whether there are any, and those are read, locked;
    # and whether its title's slug is taken, which a new one will want to know.
    known, title_taken = stored_with(digest, url, slug_of(header["title"]))
    found = list(locked().filter(pk__in=known)) if known else []
    by_url = next((a for a in found if url and a.url == url), None)
    same_text = next((a for a in found if a.content_hash == digest), None)
    if article is None and url:
        article = by_url
    elif url and by_url is not None and by_url.pk != article.pk:
        raise ReportError(f"another report already has the URL {url}")
    if article is None and same_text and not (url and same_text.url):
        # Same text, and no URL on one side or the other: the same report.
        article = same_text
    if same_text and same_text != article:
        raise ReportError(
            f"duplicate report: same text as '{same_text.title}' "
            f"({same_text.url or same_text.slug})"
        )

    fields = {**header, "outlet": outlet_named(outlet)}
    if article is None:
        article = Article(
            **fields,
            slug=unique_slug(Article, header["title"], taken=title_taken),
            body=analysis.body,
            raw_body=body,
            removed=removals(analysis),
            content_hash=digest,
            source_name=source_name,
            raw_html=raw_html,
            added_by=user,
        )
        full_clean(article)
        # Inserted as the claims are, its first version copied by the database: save()
        # built that version field by field, texts and all.
        bulk_create_with_history([article], Article)
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
    content_changed.send(sender=Article)  # rows written in bulk send no model signal
    # Which reports print the same copy: from the passages, against stored signatures.
    wire_groups.group(article, signed_text(analysis.passages), signed=signed)
    batch = _batch.get()
    if batch is None:
        report_ingested.send(sender=Article, article=article, status=status, claims=claims)
    else:
        batch.stored[article.pk] = (article, status, claims)  # said once, at the batch's end
    return IngestResult(article, status, claims)


def stored_with(digest: str, url: str | None, slug: str) -> tuple[list[int], bool]:
    """The pks of the stored reports with this cleaned text's hash or this URL; and
    whether one has this slug."""
    db = connections[Article.objects.db]
    with db.cursor() as cursor:
        cursor.execute(_identity_sql(db.alias), [digest, url or None, slug] * 2)
        rows = cursor.fetchall()
    return [pk for pk, same, _ in rows if same], any(slugged for *_, slugged in rows)


@cache
def _identity_sql(using: str) -> str:
    db = connections[using]
    pk, digest, url, slug = statements.columns(db, Article, "pk", "content_hash", "url", "slug")
    same = f"{digest} = %s OR {url} = %s"
    return (
        f"SELECT {pk}, {same}, {slug} = %s FROM {statements.table(db, Article)}"
        f" WHERE {same} OR {slug} = %s"
    )


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
    Nor its URL: check_header took only a web address, as long as the column allows, which
    the field would take too (tests/articles/test_reports.py); reading it again cost as
    much as all the other fields.
    """
    try:
        article.full_clean(
            exclude=["outlet", "added_by", "url"],
            validate_unique=False,
            validate_constraints=False,
        )
    except ValidationError as exc:
        problems = "; ".join(
            f"{name}: {' '.join(messages)}" for name, messages in exc.message_dict.items()
        )
        raise ReportError(f"the report cannot be stored: {problems}") from None


def removals(analysis: Analysis) -> list[dict]:
    return [{"rule": r.rule, "line": r.line, "text": r.text} for r in analysis.cleaned.removed]


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
