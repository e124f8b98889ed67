"""Events on the timeline and the evidence (claims) behind them.

timeline depends on articles, never the reverse: a claim knows nothing of events.
"""

from datetime import date

from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Now
from django.urls import reverse
from simple_history.models import HistoricalRecords

from articles.dates import describe_range, period_end
from articles.models import Claim, DateMention, Topic, without_article_texts
from articles.search import search_words


class EventQuerySet(models.QuerySet):
    def on_timeline(self):
        """Events in date order with the evidence a page shows, in a fixed number of queries."""
        return self.order_by("start", "end", "title", "pk").prefetch_related(
            "topics",
            models.Prefetch(
                "evidence",
                queryset=Evidence.objects.shown()
                .select_related("claim__article__outlet", "claim__passage", "mention")
                .defer(*without_article_texts("claim__article"))
                .prefetch_related("claim__mentions"),
            ),
        )

    def sourced(self):
        """Only events at least one accepted piece of evidence supports: no sourceless events."""
        return self.filter(
            pk__in=Evidence.objects.shown().exclude(stance="contradicts").values("event")
        )

    def ending_on_or_after(self, day: date):
        return self.filter(Q(end__gte=day) | Q(end__isnull=True, start__gte=day))

    def search(self, text: str):
        """Events whose title, summary, place or accepted quotes contain every word.

        One query, with one condition per word, for at most MAX_SEARCH_WORDS words.
        """
        query = Q()
        for word in search_words(text).words:
            query &= (
                Q(title__icontains=word)
                | Q(summary__icontains=word)
                | Q(place__icontains=word)
                | Q(
                    pk__in=Evidence.objects.shown()
                    .filter(claim__sentence__icontains=word)
                    .values("event")
                )
            )
        return self.filter(query)


class Event(models.Model):
    class Status(models.TextChoices):
        HAPPENED = "happened", "happened"
        SCHEDULED = "scheduled", "scheduled"
        THREATENED = "threatened", "threatened"
        EXPIRED = "expired", "expired"
        CANCELLED = "cancelled", "cancelled"

    class Kind(models.TextChoices):
        TALKS = "talks", "talks"
        SUMMIT = "summit", "summit"
        TARIFF = "tariff", "tariff action"
        EXPORT_CONTROL = "export_control", "export control"
        DEADLINE = "deadline", "deadline"
        AGREEMENT = "agreement", "agreement"
        STATEMENT = "statement", "statement"

    FORWARD_LOOKING = (Status.SCHEDULED, Status.THREATENED)

    title = models.CharField(max_length=200)
    slug = models.SlugField(max_length=120, unique=True)
    start = models.DateField()
    end = models.DateField(null=True, blank=True, help_text="For spans, such as a truce.")
    precision = models.CharField(
        max_length=10, choices=DateMention.Precision, default=DateMention.Precision.DAY
    )
    status = models.CharField(max_length=20, choices=Status, default=Status.HAPPENED)
    kind = models.CharField(max_length=20, choices=Kind, default=Kind.STATEMENT)
    place = models.CharField(max_length=120, blank=True)
    summary = models.TextField(blank=True)
    topics = models.ManyToManyField(Topic, blank=True, related_name="events")
    keywords = models.JSONField(
        default=list, blank=True, help_text="Words that tie a report's sentence to this event."
    )
    created = models.DateTimeField(db_default=Now(), editable=False)
    updated = models.DateTimeField(auto_now=True)

    objects = EventQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["created"])

    class Meta:
        ordering = ["start", "title", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__isnull=True) | Q(end__gte=F("start")),
                name="event_end_not_before_start",
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("event", args=[self.slug])

    @property
    def last_day(self) -> date:
        """The last day the event covers: its end, or the end of its start's period."""
        return self.end or period_end(self.start, self.precision)

    @property
    def when(self) -> str:
        """'Thu 30 Oct 2025', 'May 2025', 'Sat 25 – Sun 26 Oct 2025'."""
        return describe_range(self.start, self.last_day, self.precision)

    @property
    def is_forward_looking(self):
        return self.status in self.FORWARD_LOOKING


class EvidenceQuerySet(models.QuerySet):
    def shown(self):
        """What readers see: accepted evidence only; suggestions wait for an editor."""
        return self.filter(state=Evidence.State.ACCEPTED)

    def suggested(self):
        return self.filter(state=Evidence.State.SUGGESTED)


class Evidence(models.Model):
    class Stance(models.TextChoices):
        SUPPORTS = "supports", "supports"
        CONTRADICTS = "contradicts", "contradicts"
        MENTIONS = "mentions", "mentions"

    class State(models.TextChoices):
        SUGGESTED = "suggested", "suggested"
        ACCEPTED = "accepted", "accepted"
        REJECTED = "rejected", "rejected"

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="evidence")
    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="evidence")
    mention = models.ForeignKey(
        DateMention,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="evidence",
        help_text="The date mention that ties the claim to the event.",
    )
    stance = models.CharField(max_length=20, choices=Stance, default=Stance.SUPPORTS)
    state = models.CharField(max_length=20, choices=State, default=State.SUGGESTED)
    score = models.FloatField(default=0, help_text="How strongly the linker matched them.")
    note = models.TextField(blank=True, help_text="Editor's note.")
    created = models.DateTimeField(db_default=Now(), editable=False)
    updated = models.DateTimeField(auto_now=True)

    objects = EvidenceQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["created"])

    class Meta:
        verbose_name_plural = "evidence"
        # The claim breaks ties between reports of one day, so pages never depend on the
        # rows' physical order.
        ordering = [
            "event",
            "claim__article__published",
            "claim__article__title",
            "claim__start",
            "pk",
        ]
        constraints = [
            models.UniqueConstraint(fields=["event", "claim"], name="evidence_one_per_pair"),
        ]

    def __str__(self):
        return f"{self.event} ← {self.claim}"


class EventCandidate(Claim):
    """A dated claim that no event accepts or suggests: maybe a new event to add."""

    class Meta:
        proxy = True
        verbose_name = "candidate for a new event"
        verbose_name_plural = "candidates for new events"
