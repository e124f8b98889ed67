"""Atom feeds of what changes on the timeline: /feed/ for everything, /feed/<topic>/ per topic.

An entry is either an event as it now stands (published when it was added, updated at its
last edit or the last decision on its evidence) or one step of its story (a StatusChange,
published when an editor recorded it). Entries come newest first, at most MAX_ENTRIES, and
only for public events (Event.objects.sourced()). Ids are tag URIs built from the row's
primary key and a date that never changes, so an edited event keeps its id and a feed
reader shows it as updated rather than new.
"""

from dataclasses import dataclass, field
from datetime import datetime

from django.contrib.syndication.views import Feed
from django.db.models import Max, Prefetch, Q
from django.db.models.functions import Coalesce, Greatest
from django.http.request import split_domain_port
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import format_html, format_html_join
from django.views.decorators.http import require_safe

from articles.models import Claim, Topic, without_article_texts
from articles.pipeline.dates.periods import format_day

from ..models import Event, Evidence, StatusChange

MAX_ENTRIES = 50


@dataclass(frozen=True)
class Scope:
    """What one request's feed covers: a topic (or all) and the host its ids are minted on."""

    host: str
    topic: Topic | None = None


@dataclass
class Entry:
    title: str
    link: str
    guid: str
    published: datetime
    updated: datetime
    description: str
    categories: list[str] = field(default_factory=list)


def tag(host: str, day: datetime, specific: str) -> str:
    """A tag URI (RFC 4151): 'tag:tradewatch.example,2025-10-27:event-12/change-40'."""
    return f"tag:{host},{day:%Y-%m-%d}:{specific}"


def sources(claims) -> str:
    """'Sources: Outlet, “Report title” (Sun 12 Oct 2025); …' as HTML, each report once."""
    seen, rows = set(), []
    for claim in claims:
        article = claim.article
        if article.pk in seen:
            continue
        seen.add(article.pk)
        rows.append((article.outlet.name, article.title, format_day(article.published)))
    if not rows:
        return ""
    return format_html(
        "<p>Sources: {}.</p>",
        format_html_join("; ", "{}, “{}” ({})", rows),
    )


def public_events(topic):
    events = Event.objects.sourced()
    return events.filter(topics=topic) if topic else events


class EventFeed(Feed):
    feed_type = Atom1Feed
    title = "TradeWatch: the US–China trade talks"
    subtitle = "Events on the timeline and every change to their status, newest first."

    @method_decorator(require_safe)
    def __call__(self, request, *args, **kwargs):
        return super().__call__(request, *args, **kwargs)

    def get_object(self, request, *args, **kwargs):
        return Scope(host=split_domain_port(request.get_host())[0] or "localhost")

    def link(self, scope):
        return reverse("timeline")

    def feed_url(self, scope):
        return reverse("feed")

    def feed_guid(self, scope):
        return tag(scope.host, datetime(2025, 1, 1), "feed")

    def items(self, scope):
        entries = [*self.event_entries(scope), *self.change_entries(scope)]
        entries.sort(key=lambda e: (e.updated, e.guid), reverse=True)
        return entries[:MAX_ENTRIES]

    def event_entries(self, scope):
        """The newest-edited events: an event's last edit includes the decisions on its
        evidence, since those change the sources its entry names."""
        events = (
            public_events(scope.topic)
            .on_timeline()
            .annotate(
                last_edit=Greatest(
                    "updated",
                    Coalesce(
                        Max("evidence__updated", filter=Q(evidence__state="accepted")), "updated"
                    ),
                )
            )
            .order_by("-last_edit", "-pk")[:MAX_ENTRIES]
        )
        for event in events:
            # A report that contradicts the event is shown on its page, but is not its source.
            evidence = [ev for ev in event.evidence.all() if ev.stance != "contradicts"]
            summary = format_html(
                "<p>{} — {}, {}.</p>", event.title, event.when, event.get_status_display()
            )
            yield Entry(
                title=f"{event.title} ({event.when}): {event.get_status_display()}",
                link=event.get_absolute_url(),
                guid=tag(scope.host, event.created, f"event-{event.pk}"),
                published=event.created,
                updated=event.last_edit,
                description=summary
                + (format_html("<p>{}</p>", event.summary) if event.summary else "")
                + sources(ev.claim for ev in evidence),
                categories=[t.name for t in event.topics.all()],
            )

    def change_entries(self, scope):
        """The newest recorded steps of the events' stories, each naming the reports it
        rests on (or, when it names none, the event's)."""
        changes = (
            StatusChange.objects.filter(event__in=public_events(scope.topic))
            .select_related("event")
            .prefetch_related(
                Prefetch(
                    "claims",
                    queryset=Claim.objects.select_related("article__outlet").defer(
                        *without_article_texts()
                    ),
                ),
                Prefetch(
                    "event__evidence",
                    queryset=Evidence.objects.shown()
                    .exclude(stance="contradicts")
                    .select_related("claim__article__outlet")
                    .defer(*without_article_texts("claim__article")),
                ),
                "event__topics",
            )
            .order_by("-decided", "-pk")[:MAX_ENTRIES]
        )
        for change in changes:
            event = change.event
            claims = list(change.claims.all()) or [ev.claim for ev in event.evidence.all()]
            yield Entry(
                title=f"{event.title}: {change.phrase}",
                # Every step links to the story on the event page; the id tells steps apart.
                link=f"{event.get_absolute_url()}#story",
                guid=tag(scope.host, change.decided, f"event-{event.pk}/change-{change.pk}"),
                published=change.decided,
                updated=change.decided,
                description=format_html("<p>{}: {}.</p>", event.title, change.phrase)
                + (format_html("<p>{}</p>", change.note) if change.note else "")
                + sources(claims),
                categories=[t.name for t in event.topics.all()],
            )

    def item_title(self, entry):
        return entry.title

    def item_link(self, entry):
        return entry.link

    def item_guid(self, entry):
        return entry.guid

    def item_description(self, entry):
        return entry.description

    def item_pubdate(self, entry):
        return entry.published

    def item_updateddate(self, entry):
        return entry.updated

    def item_categories(self, entry):
        return entry.categories


class TopicFeed(EventFeed):
    """The same feed for the events of one topic: /feed/rare-earths/."""

    def get_object(self, request, topic):
        return Scope(
            host=split_domain_port(request.get_host())[0] or "localhost",
            topic=get_object_or_404(Topic, slug=topic),
        )

    def title(self, scope):
        return f"TradeWatch: {scope.topic.name}"

    def subtitle(self, scope):
        return f"Events about {scope.topic.name} and every change to their status, newest first."

    def link(self, scope):
        return f"{reverse('timeline')}?topic={scope.topic.slug}"

    def feed_url(self, scope):
        return reverse("topic-feed", args=[scope.topic.slug])

    def feed_guid(self, scope):
        return tag(scope.host, datetime(2025, 1, 1), f"feed/topic-{scope.topic.pk}")
