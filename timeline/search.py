"""Search over what the public site shows: events, the claims quoted from reports, the reports.

    search("rare earth", limit=20, offset=0) -> Results(total, counts, hits=[Hit, ...])

On PostgreSQL it is full-text search: weighted vectors (a title weighs A, a quoted sentence
or a place B, a body or a summary C), every word required and matched as a prefix
("soy" finds "soybeans"), ts_rank, and ts_headline snippets. Each vector has a GIN
expression index (timeline/migrations/0006_search_indexes.py builds them from the same
expressions, so the planner uses them). On SQLite it falls back to icontains per word.

The plan, the same on both databases, whatever the data:

1. one query counts the matches of each kind: a UNION ALL of three counts;
2. one query ranks every match and takes the page: a UNION ALL of three (kind, pk, rank)
   selects, ORDER BY rank, LIMIT/OFFSET;
3. at most three queries read the page's own rows by primary key, with their snippets.

Each select reads one table (events semi-join their accepted evidence through
`Event.objects.sourced()`, an IN (subquery) that cannot multiply rows), and never joins
an event to its claims: a match costs one row however many claims quote it. Snippets,
the costly part, are computed for the rows of the page only, never for every match.
A UNION rather than three pages merged in Python because paging through one ranked list
needs one ORDER BY over all kinds; three bounded queries would each have to fetch
offset + limit rows to merge them.
"""

import html
import re
from dataclasses import dataclass, field
from datetime import date

from django.contrib.postgres.search import (
    SearchHeadline,
    SearchQuery,
    SearchRank,
    SearchVectorField,
)
from django.db import connection
from django.db.models import (
    Case,
    Count,
    Expression,
    F,
    FloatField,
    Q,
    QuerySet,
    TextField,
    Value,
    When,
)
from django.db.models.expressions import Col
from django.db.models.functions import (
    Coalesce,
    Greatest,
    Least,
    Length,
    Lower,
    NullIf,
    Replace,
    StrIndex,
    Substr,
)
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from articles.models import Article, Claim
from articles.search import Search, search_words

from .models import Event

MAX_LIMIT = 50
# Paging further than this is no longer reading results; it only makes the database sort.
MAX_OFFSET = 10_000
SNIPPET_CHARS = 300  # visible characters of a snippet, at most
REPORT_WINDOW = 4000  # characters of a report's body a snippet is cut from
CONFIG = "english"

KINDS = ("event", "claim", "report")  # ties in rank are shown in this order


@dataclass(frozen=True)
class Hit:
    kind: str  # "event" | "claim" | "report"
    title: str  # the event's, the report's, or for a claim its report's
    snippet: SafeString  # escaped text, the matched words in <mark>
    url: str  # the event page; the claim's passage on its report page; the report page
    rank: float
    outlet: str = ""  # claims and reports
    published: date | None = None  # claims and reports
    when: str = ""  # events: the day or days they cover, as the timeline writes them


@dataclass(frozen=True)
class Results:
    query: Search  # the words searched, and a note when some were dropped
    total: int
    hits: list[Hit]
    counts: dict[str, int] = field(default_factory=dict)  # matches of each kind
    limit: int = 20
    offset: int = 0

    @property
    def words(self) -> tuple[str, ...]:
        return self.query.words

    @property
    def has_previous(self) -> bool:
        return self.offset > 0

    @property
    def previous_offset(self) -> int:
        return max(self.offset - self.limit, 0)

    @property
    def has_next(self) -> bool:
        return self.offset + self.limit < min(self.total, MAX_OFFSET + self.limit)

    @property
    def next_offset(self) -> int:
        return self.offset + self.limit


def search(q: str, *, limit: int = 20, offset: int = 0) -> Results:
    """The public events, claims and reports matching every word of `q`, best first."""
    words = search_words(q)
    limit = min(max(int(limit), 1), MAX_LIMIT)
    offset = min(max(int(offset), 0), MAX_OFFSET)
    backend = backend_for(words.words)
    if backend is None:  # nothing to search for: no words, only punctuation
        return Results(words, 0, [], dict.fromkeys(KINDS, 0), limit, offset)

    counts = dict.fromkeys(KINDS, 0)
    for kind, n in count_query(backend):
        counts[KINDS[kind]] = n
    total = sum(counts.values())
    if total <= offset:
        return Results(words, total, [], counts, limit, offset)

    page = list(page_query(backend)[offset : offset + limit])
    wanted = {kind: [pk for k, pk, _ in page if k == n] for n, kind in enumerate(KINDS)}
    found = {
        "event": backend.events(wanted["event"]) if wanted["event"] else {},
        "claim": backend.claims(wanted["claim"]) if wanted["claim"] else {},
        "report": backend.reports(wanted["report"]) if wanted["report"] else {},
    }
    hits = []
    for n, pk, rank in page:
        kind = KINDS[n]
        if pk in found[kind]:  # gone between the two queries: skipped, not an error
            hits.append(found[kind][pk](float(rank)))
    return Results(words, total, hits, counts, limit, offset)


def backend_for(words):
    """How this database searches for the words; None when there is nothing to search."""
    if connection.vendor == "postgresql":
        text = tsquery_text(words)
        return Postgres(words, text) if text else None
    return Fallback(words) if words else None


def count_query(backend) -> QuerySet:
    """(kind, matches) for each kind that has any: one query, a UNION ALL of three counts."""
    counting = [
        qs.order_by()
        .annotate(hit_kind=Value(n))
        .values("hit_kind")
        .annotate(n=Count("pk"))
        .values_list("hit_kind", "n")
        for n, qs in enumerate(backend.branches())
    ]
    return counting[0].union(*counting[1:], all=True).order_by()


def page_query(backend) -> QuerySet:
    """(kind, pk, rank) of every match, best first: slice it for a page."""
    ranked = [
        qs.order_by()
        .annotate(hit_kind=Value(n), hit_rank=rank)
        .values_list("hit_kind", "pk", "hit_rank")
        for n, (qs, rank) in enumerate(zip(backend.branches(), backend.ranks(), strict=True))
    ]
    return ranked[0].union(*ranked[1:], all=True).order_by("-hit_rank", "hit_kind", "pk")


# --- the three kinds as pages show them ----------------------------------------------------


def event_hit(event, snippet):
    return lambda rank: Hit(
        kind="event",
        title=event.title,
        snippet=snippet,
        url=event.get_absolute_url(),
        rank=rank,
        when=event.when,
    )


def claim_hit(claim, snippet):
    return lambda rank: Hit(
        kind="claim",
        title=claim.article.title,
        snippet=snippet,
        url=claim.get_absolute_url(),
        rank=rank,
        outlet=claim.article.outlet.name,
        published=claim.article.published,
    )


def report_hit(article, snippet):
    return lambda rank: Hit(
        kind="report",
        title=article.title,
        snippet=snippet,
        url=article.get_absolute_url(),
        rank=rank,
        outlet=article.outlet.name,
        published=article.published,
    )


def public_events() -> QuerySet:
    return Event.objects.sourced()


def public_claims() -> QuerySet:
    return Claim.objects.all()


def public_reports() -> QuerySet:
    return Article.objects.all()


def event_text():
    """What an event's snippet is cut from: its summary, else its title."""
    return Coalesce(NullIf("summary", Value("")), "title", output_field=TextField())


def claims_to_show(pks) -> QuerySet:
    return (
        Claim.objects.filter(pk__in=pks)
        .select_related("article__outlet")
        .only(
            "pk", "article__slug", "article__title", "article__published", "article__outlet__name"
        )
    )


def reports_to_show(pks) -> QuerySet:
    return Article.objects.filter(pk__in=pks).select_related("outlet").light()


# --- snippets --------------------------------------------------------------------------------


def render_snippet(pieces: list[tuple[str, bool]], limit: int = SNIPPET_CHARS) -> SafeString:
    """Plain-text pieces, each marked or not, as safe HTML of at most `limit` characters.

    Every piece is escaped here, whatever the database returned, so the only markup in
    a snippet is the <mark> added below.

    >>> render_snippet([("a <b> & ", False), ("soy", True), (" beans", False)])
    'a &lt;b&gt; &amp; <mark>soy</mark> beans'
    >>> render_snippet([("x" * 10, False)], limit=4)
    'xxxx…'
    """
    out, room = [], limit
    for text, marked in pieces:
        text = re.sub(r"\s+", " ", text)
        if not text or room <= 0:
            if room <= 0 and text:
                out.append("…")
                break
            continue
        cut = text[:room]
        room -= len(cut)
        out.append(f"<mark>{escape(cut)}</mark>" if marked else escape(cut))
        if len(cut) < len(text):
            out.append("…")
            break
    return mark_safe("".join(out).strip())


HEADLINE_MARK = re.compile(r"<mark>(.*?)</mark>", re.S)


def headline_snippet(headline: str, *, cut: bool = False) -> SafeString:
    """A ts_headline of escaped text (see escaped()) rebuilt as a safe snippet.

    >>> headline_snippet("&lt;script&gt; <mark>soybeans</mark> &amp; corn")
    '&lt;script&gt; <mark>soybeans</mark> &amp; corn'
    """
    pieces, pos = [], 0
    for match in HEADLINE_MARK.finditer(headline or ""):
        pieces.append((html.unescape(headline[pos : match.start()]), False))
        pieces.append((html.unescape(match.group(1)), True))
        pos = match.end()
    pieces.append((html.unescape((headline or "")[pos:]), False))
    if cut:  # the text went on before it
        pieces.insert(0, ("…", False))
    return render_snippet(pieces)


def window_snippet(text: str, words, *, at_start: bool, at_end: bool) -> SafeString:
    """A window of text cut around a match, its words marked (SQLite's snippets).

    >>> window_snippet("buy more Soybeans now", ["soy"], at_start=True, at_end=True)
    'buy more <mark>Soy</mark>beans now'
    """
    if not at_start:  # start on a whole word
        text = "…" + text.split(" ", 1)[-1]
    if not at_end:
        text = text.rsplit(" ", 1)[0] + "…"
    alternatives = "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True))
    # Words are marked where they begin a word ("a" marks "agree", not every "a" of "tariffs"),
    # unless they only occur inside one: that is what the search matched, then.
    pattern = re.compile(rf"(?<!\w)(?:{alternatives})", re.IGNORECASE)
    if not pattern.search(text):
        pattern = re.compile(alternatives, re.IGNORECASE)
    pieces, pos = [], 0
    for match in pattern.finditer(text):
        pieces.append((text[pos : match.start()], False))
        pieces.append((match.group(), True))
        pos = match.end()
    pieces.append((text[pos:], False))
    return render_snippet(pieces)


def escaped(expression):
    """The text HTML-escaped in SQL, as django.utils.html.escape does.

    ts_headline drops anything that looks like a tag; on escaped text there are none, so
    the snippet keeps the report's words and each token comes back whole (entities too).
    """
    for char, entity in [("&", "&amp;"), ("<", "&lt;"), (">", "&gt;"), ('"', "&quot;")]:
        expression = Replace(expression, Value(char), Value(entity))
    return Replace(expression, Value("'"), Value("&#x27;"))


# --- PostgreSQL ------------------------------------------------------------------------------


class StoredDocument(Expression):
    """The table's `search_document`: its weighted tsvector, a stored generated column with
    a GIN index, added on PostgreSQL by migration timeline/0006 (the models do not declare
    it, as SQLite has no tsvector)."""

    def __init__(self):
        super().__init__(output_field=SearchVectorField())

    def resolve_expression(self, query=None, *args, **kwargs):
        column = SearchVectorField()
        column.column, column.model = "search_document", query.model
        # A column of the query's own table, relabelled as Django relabels any other.
        return Col(query.get_initial_alias(), column, output_field=column)


def tsquery_text(words) -> str:
    """Every word required, each as a prefix: to_tsquery's own syntax, quoted so that no
    word can be read as an operator. PostgreSQL's parser splits and stems the words.

    >>> tsquery_text(["rare", "earth's", "a|b"])
    "'rare':* & 'earth s':* & 'a|b':*"
    """
    terms = []
    for word in words:
        cleaned = " ".join(re.sub(r"['\\]", " ", word).split())
        if cleaned:
            terms.append(f"'{cleaned}':*")
    return " & ".join(terms)


class PrefixQuery(SearchQuery):
    """to_tsquery in English, or, when English drops every word as a stop word ("a", "the",
    "on"), the same words unstemmed: a one-letter search still finds the words it begins."""

    def __init__(self, text):
        super().__init__(text, search_type="raw", config=CONFIG)
        self.text = text

    def as_sql(self, compiler, connection, function=None, template=None):
        english, params = super().as_sql(compiler, connection, function, template)
        plain = SearchQuery(self.text, search_type="raw", config="simple")
        simple, simple_params = compiler.compile(plain.resolve_expression(compiler.query))
        return f"COALESCE(NULLIF({english}, ''::tsquery), {simple})", (*params, *simple_params)


class Postgres:
    def __init__(self, words, text):
        self.words = words
        self.query = PrefixQuery(text)

    def branches(self):
        return [
            public_events().alias(document=StoredDocument()).filter(document=self.query),
            public_claims().alias(document=StoredDocument()).filter(document=self.query),
            public_reports().alias(document=StoredDocument()).filter(document=self.query),
        ]

    def ranks(self):
        return [SearchRank(F("document"), self.query)] * 3

    def headline(self, expression, **options):
        return SearchHeadline(
            escaped(expression),
            self.query,
            config=CONFIG,
            start_sel="<mark>",
            stop_sel="</mark>",
            short_word=3,
            **options,
        )

    def events(self, pks):
        rows = Event.objects.filter(pk__in=pks).annotate(
            headline=self.headline(event_text(), max_words=45, min_words=25)
        )
        return {e.pk: event_hit(e, headline_snippet(e.headline)) for e in rows}

    def claims(self, pks):
        rows = claims_to_show(pks).annotate(
            headline=self.headline("sentence", max_words=45, min_words=25)
        )
        return {c.pk: claim_hit(c, headline_snippet(c.headline)) for c in rows}

    def reports(self, pks):
        # A report can run to a megabyte: the snippet is cut from a window of the body
        # around the first place a searched word appears, not from the whole of it.
        first = Least(
            *(NullIf(StrIndex(Lower("body"), Value(w.lower())), Value(0)) for w in self.words),
            Value(2**31 - 1),
        )
        start = Greatest(first - REPORT_WINDOW // 4, Value(1))
        rows = reports_to_show(pks).annotate(
            window_start=start,
            headline=self.headline(
                Substr("body", start, REPORT_WINDOW),
                max_words=25,
                min_words=10,
                max_fragments=2,
                fragment_delimiter=" … ",
            ),
        )
        return {
            a.pk: report_hit(a, headline_snippet(a.headline, cut=a.window_start > 1)) for a in rows
        }


# --- SQLite (and any other database): a plain fallback ---------------------------------------

SNIPPET_BEFORE = 80  # characters of context before the first match


class Fallback:
    """icontains per word; a title holding every word ranks first, as on PostgreSQL."""

    def __init__(self, words):
        self.words = words

    def every_word(self, *fields):
        condition = Q()
        for word in self.words:
            either = Q()
            for name in fields:
                either |= Q(**{f"{name}__icontains": word})
            condition &= either
        return condition

    def branches(self):
        return [
            public_events().filter(self.every_word("title", "place", "summary")),
            public_claims().filter(self.every_word("sentence")),
            public_reports().filter(self.every_word("title", "body")),
        ]

    def ranks(self):
        def titled(otherwise):
            return Case(
                When(self.every_word("title"), then=Value(1.0)),
                default=Value(otherwise),
                output_field=FloatField(),
            )

        return [titled(0.2), Value(0.4, output_field=FloatField()), titled(0.2)]

    def window(self, name):
        """The text around its first match, cut in the database: a report can be long."""
        first = Coalesce(
            *(NullIf(StrIndex(Lower(name), Value(w.lower())), Value(0)) for w in self.words),
            Value(1),
        )
        start = Greatest(first - SNIPPET_BEFORE, Value(1))
        return {"window": Substr(name, start, SNIPPET_CHARS + 40), "window_start": start}

    def snippet(self, row, length):
        return window_snippet(
            row.window,
            self.words,
            at_start=row.window_start == 1,
            at_end=row.window_start - 1 + len(row.window) >= length,
        )

    def events(self, pks):
        rows = (
            Event.objects.filter(pk__in=pks)
            .annotate(text=event_text())
            .annotate(**self.window("text"))
        )
        return {e.pk: event_hit(e, self.snippet(e, len(e.text))) for e in rows}

    def claims(self, pks):
        rows = claims_to_show(pks).annotate(length=Length("sentence"), **self.window("sentence"))
        return {c.pk: claim_hit(c, self.snippet(c, c.length)) for c in rows}

    def reports(self, pks):
        rows = reports_to_show(pks).annotate(length=Length("body"), **self.window("body"))
        return {a.pk: report_hit(a, self.snippet(a, a.length)) for a in rows}
