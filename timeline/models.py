"""Events on the timeline and the evidence (claims) behind them.

timeline depends on articles, never the reverse: a claim knows nothing of events.
"""

from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Exists, F, OuterRef, Q
from django.db.models.functions import Now
from django.urls import reverse

from articles.models import Claim, DateMention, Topic, without_article_texts
from articles.pipeline.dates.periods import describe_range, period_end
from articles.search import search_words
from tradewatch.history import HistoricalRecords


class EventQuerySet(models.QuerySet):
    def on_timeline(self):
        """Events in date order with the evidence a page shows, in a fixed number of queries."""
        return self.order_by("start", "end", "title", "pk").prefetch_related(
            "topics",
            models.Prefetch(
                "changes",
                queryset=StatusChange.objects.prefetch_related(
                    models.Prefetch(
                        "claims",
                        queryset=Claim.objects.select_related("article__outlet").defer(
                            *without_article_texts()
                        ),
                    )
                ),
            ),
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
        # A correlated EXISTS, answered from the evidence_shown index row by row; an
        # `IN (subquery)` made PostgreSQL hash every public event on every use.
        return self.filter(
            Exists(
                Evidence.objects.shown()
                .filter(event=OuterRef("pk"))
                .exclude(stance=Evidence.Stance.CONTRADICTS)
            )
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
        """What became of a plan or a measure. The event's status is its latest change."""

        SCHEDULED = "scheduled", "scheduled"
        THREATENED = "threatened", "threatened"
        HAPPENED = "happened", "happened"
        IN_FORCE = "in_force", "in force"
        SUSPENDED = "suspended", "suspended"  # a measure paused
        POSTPONED = "postponed", "postponed"  # a meeting moved later
        EXTENDED = "extended", "extended"  # a deadline or truce moved later, to a new date
        CANCELLED = "cancelled", "called off"  # called off, averted, withdrawn
        EXPIRED = "expired", "expired"

    class Kind(models.TextChoices):
        TALKS = "talks", "talks"
        SUMMIT = "summit", "summit"
        TARIFF = "tariff", "tariff action"
        EXPORT_CONTROL = "export_control", "export control"
        DEADLINE = "deadline", "deadline"
        AGREEMENT = "agreement", "agreement"
        STATEMENT = "statement", "statement"

    # Statuses that look ahead to a day: when it passes, readers need to know what happened.
    FORWARD_LOOKING = (Status.SCHEDULED, Status.THREATENED, Status.POSTPONED, Status.EXTENDED)
    # Statuses whose change carries the new day the event now falls on.
    MOVED = (Status.POSTPONED, Status.EXTENDED)

    title = models.CharField(max_length=200)
    slug = models.SlugField(max_length=120, unique=True)
    start = models.DateField(help_text="YYYY-MM-DD; at the precision below.")
    end = models.DateField(
        null=True, blank=True, help_text="YYYY-MM-DD; for spans, such as a truce."
    )
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
        indexes = [
            # The timeline's order and its periods (start between two days).
            models.Index(fields=["start", "end", "title", "id"], name="event_timeline_order"),
            models.Index(fields=["status", "start"], name="event_status_start"),
            # Linking reads the events whose days reach a report's (timeline/linking.py).
            models.Index(fields=["end", "start"], name="event_end_start"),
        ]
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
        """Whether it looks ahead to a day: scheduled or threatened, or moved to a known
        new date (an extension of unknown length looks ahead to nothing in particular)."""
        if self.status in self.MOVED:
            latest = self.latest_change
            return bool(latest and latest.status == self.status and latest.new_date)
        return self.status in self.FORWARD_LOOKING

    @property
    def story(self) -> list["StatusChange"]:
        """The status changes in the order they took effect (prefetched by on_timeline)."""
        return list(self.changes.all())

    @property
    def latest_change(self) -> "StatusChange | None":
        story = self.story
        return story[-1] if story else None

    @property
    def story_line(self) -> str:
        """The story in a line: 'threatened for Sat 1 Nov 2025 → called off, Thu 30 Oct 2025'."""
        return " → ".join(change.phrase for change in self.story)

    @property
    def story_reports(self) -> int:
        """How many reports the story's changes rest on."""
        return len({claim.article_id for change in self.story for claim in change.claims.all()})

    @property
    def due(self) -> date:
        """The day the event now looks ahead to: the new date of its latest extension or
        postponement, else its own last day."""
        latest = self.latest_change
        if latest and latest.status in self.MOVED and latest.new_date:
            return latest.new_date
        return self.last_day


class StatusChange(models.Model):
    """One step of an event's story: what it became, from when, on what evidence, whose call.

    Written only through timeline.outcomes.record_change, which also sets the event's status
    to its latest change.
    """

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="changes")
    status = models.CharField(max_length=20, choices=Event.Status)
    effective = models.DateField(help_text="The day it took effect (YYYY-MM-DD).")
    precision = models.CharField(
        max_length=10, choices=DateMention.Precision, default=DateMention.Precision.DAY
    )
    new_date = models.DateField(
        null=True,
        blank=True,
        help_text="Postponed or extended: the day it now falls on (YYYY-MM-DD).",
    )
    claims = models.ManyToManyField(Claim, blank=True, related_name="status_changes")
    note = models.TextField(blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    decided = models.DateTimeField(db_default=Now(), editable=False)

    history = HistoricalRecords()

    class Meta:
        ordering = ["event", "effective", "decided", "pk"]
        indexes = [
            # The latest developments, newest first.
            models.Index(fields=["-effective", "-decided", "-id"], name="change_newest_first"),
            # Events moved to a new day near a report's dates (timeline/linking.py).
            models.Index(fields=["new_date"], name="change_new_date"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(new_date__isnull=True) | Q(status__in=["postponed", "extended"]),
                name="status_change_new_date_only_when_moved",
            ),
        ]

    def __str__(self):
        return f"{self.event}: {self.get_status_display()} from {self.effective}"

    @property
    def when(self) -> str:
        return describe_range(
            self.effective, period_end(self.effective, self.precision), self.precision
        )

    @property
    def phrase(self) -> str:
        """This step in words: 'threatened for Sat 1 Nov 2025', 'extended to Tue 10 Nov
        2026, Mon 10 Nov 2025', 'called off, Thu 30 Oct 2025'."""
        label = self.get_status_display()
        if self.status in (Event.Status.SCHEDULED, Event.Status.THREATENED):
            return f"{label} for {self.event.when}"
        if self.status in Event.MOVED and self.new_date:
            return f"{label} to {describe_range(self.new_date, self.new_date, 'day')}, {self.when}"
        return f"{label}, {self.when}"


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
    outcome = models.CharField(
        max_length=20,
        choices=Event.Status,
        blank=True,
        help_text="What the claim says became of the event, if it says so.",
    )
    outcome_date = models.DateField(
        null=True, blank=True, help_text="The new date the claim gives (extended, postponed)."
    )
    outcome_state = models.CharField(
        max_length=20,
        choices=State,
        blank=True,
        help_text="The editor's decision on the outcome; blank when there is none.",
    )
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
        indexes = [
            # What readers see of an event: its accepted evidence (and whether any of it
            # supports the event, which puts it on the timeline).
            models.Index(
                fields=["event", "stance"],
                condition=Q(state="accepted"),
                name="evidence_shown",
            ),
        ]

    def __str__(self):
        return f"{self.event} ← {self.claim}"


class EventCandidate(Claim):
    """A dated claim that no event accepts or suggests: maybe a new event to add."""

    class Meta:
        proxy = True
        verbose_name = "candidate for a new event"
        verbose_name_plural = "candidates for new events"


class ContentVersion(models.Model):
    """One row: a number bumped after every committed change to what the site shows.

    Cached pages and API answers are keyed by it (timeline/caching.py), so a change makes
    every copy unreachable at once, on every server that shares the database.
    """

    number = models.PositiveBigIntegerField(default=0)
    changed = models.DateTimeField(db_default=Now())

    def __str__(self):
        return f"content version {self.number}"


class TariffPointQuerySet(models.QuerySet):
    def drawn(self):
        """The points the tariff chart draws: all but the rejected ones and those whose
        sentence is lost (no quote to link to), in one query, each with what the page shows
        of its claim and report as values (sentence, report slug, publication date,
        outlet): the chart reads every point, and a claim, a report and an outlet object
        for each cost four times the time of the point alone."""
        return (
            self.exclude(state=TariffPoint.State.REJECTED)
            .exclude(claim__anchor_state=Claim.AnchorState.ORPHANED)
            .annotate(
                sentence=F("claim__sentence"),
                article_slug=F("claim__article__slug"),
                published=F("claim__article__published"),
                outlet_name=F("claim__article__outlet__name"),
            )
            .order_by("imposed_by", "basis", "day", "value", "pk")
        )

    def dating_events(self):
        """For the points their sentence does not date, by claim: the earliest event the
        claim is accepted evidence for (start, precision, title), whose day they take.
        One query, whatever the number of points."""
        rows = (
            Evidence.objects.shown()
            .exclude(stance=Evidence.Stance.CONTRADICTS)
            .filter(claim__in=self.filter(day__isnull=True).values("claim"))
            .order_by("event__start", "event__pk")
            .values_list("claim", "event__start", "event__precision", "event__title")
        )
        events = {}
        for claim, start, precision, title in rows:
            events.setdefault(claim, (start, precision, title))
        return events


class TariffPoint(models.Model):
    """One duty rate a claim gives, as the tariff chart draws it (timeline/tariffs.py).

    The pipeline suggests a point for each typed figure of a claim that is a percentage
    with a known imposer; editors confirm it, correct it (any field) or reject it. A
    re-ingest refreshes suggested points only: a decided one is never overwritten.
    """

    class Side(models.TextChoices):
        US = "US", "US"
        CHINA = "China", "China"

    class Basis(models.TextChoices):
        ADDITIONAL = "additional", "additional duty"
        TOTAL = "total", "total rate"
        AVERAGE = "average", "average rate"
        RECIPROCAL = "reciprocal", "“reciprocal” duty"
        FENTANYL = "fentanyl", "fentanyl duty"
        SECTION_301 = "section_301", "Section 301 duty"
        NOT_STATED = "", "basis not stated"

    class Status(models.TextChoices):
        IN_FORCE = "in_force", "in force"
        THREATENED = "threatened", "threatened"
        CUT = "cut", "cut from"
        CANCELLED = "cancelled", "threat called off"
        NOT_STATED = "", "status not stated"

    class DatedBy(models.TextChoices):
        SENTENCE = "sentence", "dated by the sentence"
        EDITOR = "editor", "dated by an editor"
        # No day of its own: the chart takes its event's, else the report's.
        NONE = "", "not dated by the sentence"

    class State(models.TextChoices):
        SUGGESTED = "suggested", "suggested"
        CONFIRMED = "confirmed", "confirmed"
        CORRECTED = "corrected", "corrected"
        REJECTED = "rejected", "rejected"

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="tariff_points")
    figure = models.PositiveSmallIntegerField(help_text="Which of the claim's figures (from 0).")
    text = models.CharField(max_length=60, help_text="The figure as written.")
    imposed_by = models.CharField(max_length=10, choices=Side)
    imposed_on = models.CharField(max_length=10, choices=Side, blank=True)
    basis = models.CharField(max_length=20, choices=Basis, blank=True)
    value = models.DecimalField(max_digits=7, decimal_places=2, help_text="The rate, in %.")
    status = models.CharField(max_length=20, choices=Status, blank=True)
    day = models.DateField(
        null=True,
        blank=True,
        help_text="When it took effect or was threatened for; empty: its event's day, "
        "else the report's.",
    )
    precision = models.CharField(
        max_length=10, choices=DateMention.Precision, default=DateMention.Precision.DAY
    )
    dated_by = models.CharField(max_length=10, choices=DatedBy, blank=True, editable=False)
    state = models.CharField(max_length=20, choices=State, default=State.SUGGESTED)
    note = models.TextField(blank=True, help_text="Editor's note.")
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, editable=False
    )
    updated = models.DateTimeField(auto_now=True)

    objects = TariffPointQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["imposed_by", "basis", "day", "value", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["claim", "figure"], name="tariff_point_one_per_figure"),
            models.CheckConstraint(
                condition=~Q(imposed_on=F("imposed_by")), name="tariff_point_two_sides"
            ),
            models.CheckConstraint(
                condition=Q(value__gte=0), name="tariff_point_value_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(day__isnull=True, dated_by="")
                | Q(day__isnull=False, dated_by__in=["sentence", "editor"]),
                name="tariff_point_dated_by_matches_day",
            ),
        ]
        indexes = [models.Index(fields=["state"], name="tariff_point_state")]

    def __str__(self):
        rate = f"{self.value.normalize():f}%"
        return f"{self.imposed_by} {self.get_basis_display()} {rate} ({self.get_status_display()})"

    def get_absolute_url(self):
        return self.claim.get_absolute_url()
