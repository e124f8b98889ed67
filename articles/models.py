"""Source reports and what the pipeline finds in them.

Outlet → Article → Passage → Claim → DateMention. Every row below Article is derived
from the article's body by the pipeline (articles.pipeline), except claims an editor
adds by hand, which are kept and re-anchored when the body changes.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, OuterRef, Q, Subquery
from django.db.models.functions import Length, Now
from django.urls import reverse

from tradewatch.history import HistoricalRecords

from .pipeline.wire import AGENCY_CHOICES


class Topic(models.Model):
    """A subject used to tag claims and events ("rare earths", "tariffs").

    `keywords` are the words that make the pipeline tag a sentence with this topic.
    """

    slug = models.SlugField(unique=True)
    name = models.CharField(max_length=80, unique=True)
    keywords = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class Outlet(models.Model):
    class Kind(models.TextChoices):
        WIRE = "wire", "wire service"
        NEWSPAPER = "newspaper", "newspaper"
        BROADCASTER = "broadcaster", "broadcaster"
        BLOG = "blog", "blog"
        AGGREGATOR = "aggregator", "aggregator"
        TRADE = "trade", "trade press"
        UNKNOWN = "unknown", "not identified"

    name = models.CharField(max_length=200, unique=True)
    slug = models.SlugField(max_length=200, unique=True)
    homepage = models.URLField(blank=True)
    kind = models.CharField(max_length=20, choices=Kind, default=Kind.UNKNOWN)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("article-list") + f"?outlet={self.slug}"


# An article's texts can run to a megabyte; rows that only name or link the article (a
# quote's source line, a list) must not carry them, or memory grows as claims × report size.
HEAVY_ARTICLE_FIELDS = ("body", "raw_body", "raw_html", "removed", "wire_signature")


def without_article_texts(path: str = "article") -> list[str]:
    """The deferred-field names that keep a related article's texts out of a query."""
    return [f"{path}__{name}" for name in HEAVY_ARTICLE_FIELDS]


def claim_anchor(claim_pk: int) -> str:
    """The id of a claim's sentence on its report's page."""
    return f"claim-{claim_pk}"


def claim_url(article_slug: str, claim_pk: int) -> str:
    """A claim's address, its sentence highlighted on its report's page, from two values: a
    list of thousands of claims need not make an object of each report to link them."""
    return f"{reverse('article', args=[article_slug])}#{claim_anchor(claim_pk)}"


class ArticleQuerySet(models.QuerySet):
    def light(self):
        """Articles for lists and links: everything but their texts."""
        return self.defer(*HEAVY_ARTICLE_FIELDS)

    def with_outlet(self):
        return self.select_related("outlet")

    def for_listing(self):
        return (
            self.with_outlet()
            .light()
            .annotate(claim_count=models.Count("claims"))
            .order_by("-published", "title", "pk")
        )

    def with_text_corrected(self):
        """Articles with `text_corrected`: when their current text replaced another one, read
        from their history in the same query (None for a text never corrected).

        That is the first saved version after the last one whose text differs from today's,
        so a header-only edit since does not move it, and A → B → A dates the return to A.
        """
        versions = self.model.history.model.objects
        last_other_text = (
            versions.filter(id=OuterRef(OuterRef("pk")))
            .exclude(raw_body=OuterRef(OuterRef("raw_body")))
            .order_by("-history_date")
            .values("history_date")[:1]
        )
        arrived = (
            versions.filter(id=OuterRef("pk"), history_date__gt=Subquery(last_other_text))
            .order_by("history_date")
            .values("history_date")[:1]
        )
        return self.annotate(text_corrected=Subquery(arrived))


class Article(models.Model):
    """One source report, kept exactly as received (raw_body) and as cleaned (body)."""

    outlet = models.ForeignKey(Outlet, on_delete=models.PROTECT, related_name="articles")
    title = models.CharField(max_length=300)
    slug = models.SlugField(max_length=120, unique=True)
    url = models.URLField(max_length=500, null=True, blank=True, unique=True)
    byline = models.CharField(max_length=200, blank=True)
    published = models.DateField(help_text="Relative dates in the text are resolved against it.")
    published_estimated = models.BooleanField(
        default=False, help_text="The outlet gave no date; this one was estimated."
    )
    published_note = models.CharField(
        max_length=300, blank=True, help_text="How the publication date was established."
    )
    body = models.TextField(help_text="The cleaned text the passages and claims point into.")
    raw_body = models.TextField(help_text="The text exactly as received.")
    raw_html = models.TextField(
        blank=True,
        default="",
        help_text="The saved web page the text was extracted from, as uploaded "
        "(blank for a pasted or text report).",
    )
    removed = models.JSONField(
        default=list, blank=True, help_text="What cleaning dropped: rule, line and text."
    )
    content_hash = models.CharField(max_length=64, unique=True, editable=False)
    source_name = models.CharField(
        max_length=300, blank=True, help_text="The file or form the report came from."
    )
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    version = models.PositiveIntegerField(default=1, editable=False)
    created = models.DateTimeField(db_default=Now(), editable=False)
    updated = models.DateTimeField(auto_now=True)
    # Wire copy (articles.pipeline.wire): derived from the text on every ingest, never typed.
    wire_signature = models.BinaryField(
        null=True, blank=True, editable=False, help_text="MinHash of the passages' shingles."
    )
    wire_group = models.CharField(
        max_length=40,
        blank=True,
        db_index=True,
        editable=False,
        help_text="Reports printing the same copy share it: an agency, or copy-<hash>.",
    )
    wire_origin = models.BooleanField(
        default=False, editable=False, help_text="The earliest published report of its group."
    )
    agency = models.CharField(
        max_length=20,
        blank=True,
        choices=AGENCY_CHOICES,
        editable=False,
        help_text="The agency whose copy the report says it prints.",
    )

    objects = ArticleQuerySet.as_manager()
    # Every saved version, texts included: a correction never loses what was there before.
    history = HistoricalRecords()

    class Meta:
        ordering = ["-published", "title", "pk"]
        indexes = [
            # The lists, newest first, and wire grouping's reports within days of a new one.
            models.Index(fields=["published"], name="article_published"),
        ]
        constraints = [
            models.CheckConstraint(condition=~Q(url=""), name="article_url_null_not_empty"),
            models.CheckConstraint(condition=~Q(body=""), name="article_body_not_empty"),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("article", args=[self.slug])

    @property
    def source_key(self):
        """What makes a report an independent source: its wire group, else itself."""
        return self.wire_group or f"article-{self.pk}"


class WireBand(models.Model):
    """One LSH band of a report's wire signature (articles.pipeline.wire.band_keys).

    Derived, like the signature, on every ingest. Reports sharing a band's key are the
    only ones a new report is compared with, so grouping reads its likely copies, however
    many reports were published the same weeks. The band keeps its report's publication
    day, so that the reports sharing a key are read only within days of a new one: a story
    reprinted for months shares its keys with every copy, and a new copy is compared only
    with those of its own weeks.
    """

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="wire_bands")
    key = models.BigIntegerField()
    published = models.DateField(help_text="The report's publication day, as it was grouped.")

    class Meta:
        indexes = [models.Index(fields=["key", "published"], name="wireband_key_published")]

    def __str__(self):
        return f"{self.article_id}: {self.key}"


class Passage(models.Model):
    class Kind(models.TextChoices):
        HEADING = "heading", "heading"
        PARAGRAPH = "paragraph", "paragraph"
        LIST_ITEM = "list_item", "list item"

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="passages")
    position = models.PositiveIntegerField(help_text="1-based; the page anchor is #p-<position>.")
    kind = models.CharField(max_length=20, choices=Kind, default=Kind.PARAGRAPH)
    text = models.TextField()
    start = models.PositiveIntegerField()
    end = models.PositiveIntegerField()

    class Meta:
        ordering = ["article", "position"]
        constraints = [
            models.UniqueConstraint(fields=["article", "position"], name="passage_unique_position"),
            models.CheckConstraint(condition=Q(position__gte=1), name="passage_position_from_1"),
            models.CheckConstraint(
                condition=Q(end=F("start") + Length("text")), name="passage_offsets_match_text"
            ),
        ]

    def __str__(self):
        return f"{self.article} {self.anchor}"

    def get_absolute_url(self):
        return f"{self.article.get_absolute_url()}#{self.anchor}"

    @property
    def anchor(self):
        return f"p-{self.position}"


class ClaimQuerySet(models.QuerySet):
    def with_context(self):
        """Everything a quote needs to be shown: its outlet, article, passage and dates."""
        return (
            self.select_related("article__outlet", "passage")
            .defer(*without_article_texts())
            .prefetch_related("mentions")
        )

    def dated(self):
        return self.filter(mentions__isnull=False).distinct()

    def anchored(self):
        return self.exclude(anchor_state=Claim.AnchorState.ORPHANED)


class Claim(models.Model):
    """A sentence of a report worth citing: it dates something, gives a figure or quotes someone.

    `sentence` is body[start:end] and lies inside its passage. The quote selector
    (sentence + prefix + suffix, as in the W3C Web Annotation TextQuoteSelector) lets the
    claim be found again after the body is corrected.
    """

    class Kind(models.TextChoices):
        DATED = "dated", "dated statement"
        QUOTATION = "quotation", "quotation"
        ATTRIBUTED = "attributed", "attributed statement"
        FIGURE = "figure", "figure"
        OUTCOME = "outcome", "reported outcome"

    class Origin(models.TextChoices):
        PIPELINE = "pipeline", "pipeline"
        EDITOR = "editor", "editor"

    class AnchorState(models.TextChoices):
        EXACT = "exact", "exact"
        RELOCATED = "relocated", "relocated"
        NEEDS_REVIEW = "needs_review", "needs review"
        ORPHANED = "orphaned", "orphaned"

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="claims")
    passage = models.ForeignKey(
        Passage, on_delete=models.SET_NULL, null=True, blank=True, related_name="claims"
    )
    sentence = models.TextField()
    start = models.PositiveIntegerField(null=True, blank=True, help_text="Offset in the body.")
    end = models.PositiveIntegerField(null=True, blank=True)
    previous_sentence = models.TextField(
        blank=True, help_text="What the claim quoted before a correction moved it."
    )
    selector_prefix = models.CharField(max_length=64, blank=True)
    selector_suffix = models.CharField(max_length=64, blank=True)
    sentence_hash = models.CharField(max_length=64, editable=False)
    kind = models.CharField(max_length=20, choices=Kind, default=Kind.DATED)
    attribution = models.CharField(max_length=200, blank=True)
    figures = models.JSONField(
        default=list,
        blank=True,
        help_text="What each figure measures, as typed by the pipeline: a list of {text, value, "
        "unit, basis, imposed_by, imposed_on, status}.",
    )
    places = models.JSONField(default=list, blank=True)
    topics = models.ManyToManyField(Topic, blank=True, related_name="claims")
    origin = models.CharField(max_length=20, choices=Origin, default=Origin.PIPELINE)
    anchor_state = models.CharField(max_length=20, choices=AnchorState, default=AnchorState.EXACT)
    reviewed = models.BooleanField(default=False)
    created = models.DateTimeField(db_default=Now(), editable=False)

    objects = ClaimQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["created"])

    class Meta:
        ordering = ["article", "start", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(start__isnull=True, end__isnull=True)
                | Q(start__isnull=False, end=F("start") + Length("sentence")),
                name="claim_offsets_match_sentence",
            ),
            models.CheckConstraint(
                condition=Q(anchor_state="orphaned") | Q(start__isnull=False),
                name="claim_anchored_unless_orphaned",
            ),
        ]

    def __str__(self):
        return self.sentence[:80]

    def get_absolute_url(self):
        return claim_url(self.article.slug, self.pk)

    @property
    def anchor(self):
        return claim_anchor(self.pk)

    @property
    def passage_offsets(self):
        """(start, end) of the sentence inside its passage's text."""
        if self.passage is None or self.start is None:
            return None
        return self.start - self.passage.start, self.end - self.passage.start

    @property
    def selector(self):
        return {
            "type": "TextQuoteSelector",
            "exact": self.sentence,
            "prefix": self.selector_prefix,
            "suffix": self.selector_suffix,
        }


class DateMention(models.Model):
    class Precision(models.TextChoices):
        DAY = "day", "day"
        WEEK = "week", "week"
        MONTH = "month", "month"
        QUARTER = "quarter", "quarter"
        SEASON = "season", "season"
        YEAR = "year", "year"

    class Method(models.TextChoices):
        ABSOLUTE = "absolute", "explicit date"
        RELATIVE = "relative", "relative to publication"
        TENSE = "tense", "weekday placed by tense"
        CONTEXT = "context", "from another date or a dated event the report names"

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="mentions")
    text = models.CharField(max_length=120, help_text="The words as written.")
    start = models.PositiveIntegerField(help_text="Offset in the claim's sentence.")
    end = models.PositiveIntegerField()
    date_start = models.DateField()
    date_end = models.DateField()
    precision = models.CharField(max_length=10, choices=Precision)
    method = models.CharField(max_length=10, choices=Method)
    explanation = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["claim", "start", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(date_end__gte=F("date_start")), name="mention_end_not_before_start"
            ),
            models.CheckConstraint(
                condition=Q(end=F("start") + Length("text")), name="mention_offsets_match_text"
            ),
        ]

    def __str__(self):
        return f"{self.text} → {self.date_start}"

    @property
    def reason(self) -> str:
        """Why the words resolve as they do: the explanation after "words → date, "
        ("counted from Tue 4 Nov 2025, the day named before it"), else the method."""
        _, arrow, resolved = self.explanation.partition(" → ")
        _, comma, why = resolved.partition(", ")
        return why if arrow and comma and why else self.get_method_display()
