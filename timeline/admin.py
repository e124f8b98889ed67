"""The editors' workspace for the timeline: events, evidence, decisions on suggestions.

It also extends the report page from articles with each claim's suggested events and
accept / reject buttons: timeline knows articles, never the reverse.
"""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST
from simple_history.admin import SimpleHistoryAdmin

from articles.admin import ArticleAdmin, BoundedSearchAdmin, TolerantChoicesMixin
from articles.models import Article, without_article_texts

from .linking import decide, unlinked_claims
from .models import Event, EventCandidate, Evidence


class EvidenceInline(TolerantChoicesMixin, admin.TabularInline):
    model = Evidence
    fields = ["claim", "quote", "stance", "state", "note"]
    readonly_fields = ["quote"]
    autocomplete_fields = ["claim"]
    extra = 0

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("claim__article__outlet")
            .defer(*without_article_texts("claim__article"))
        )

    @admin.display(description="source")
    def quote(self, ev):
        if not ev.pk:
            return "—"
        article = ev.claim.article
        return format_html(
            "“{}”<br><small>{}, {}</small>", ev.claim.sentence, article.outlet, article.published
        )


@admin.register(Event)
class EventAdmin(SimpleHistoryAdmin, BoundedSearchAdmin):
    list_display = ["title", "start", "end", "precision", "status", "kind", "accepted_count"]
    list_filter = ["status", "kind", "topics"]
    search_fields = ["title", "summary", "place"]
    prepopulated_fields = {"slug": ["title"]}
    filter_horizontal = ["topics"]
    inlines = [EvidenceInline]
    date_hierarchy = "start"

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(accepted=Count("evidence", filter=Q(evidence__state="accepted")))
        )

    @admin.display(description="accepted evidence", ordering="accepted")
    def accepted_count(self, event):
        return event.accepted

    def has_delete_permission(self, request, obj=None):
        # Events carry editors' curation; cancelled ones stay, with their status.
        return request.user.is_superuser and super().has_delete_permission(request, obj)


@admin.register(Evidence)
class EvidenceAdmin(SimpleHistoryAdmin, BoundedSearchAdmin):
    list_display = ["claim_sentence", "event", "stance", "state", "outlet", "score"]
    list_filter = ["state", "stance", "event", "claim__article__outlet"]
    list_select_related = ["event", "claim__article__outlet"]
    search_fields = ["claim__sentence", "event__title", "note"]
    autocomplete_fields = ["claim", "event"]
    readonly_fields = ["mention", "score"]
    actions = ["accept", "reject"]

    def get_queryset(self, request):
        return super().get_queryset(request).defer(*without_article_texts("claim__article"))

    @admin.display(description="claim")
    def claim_sentence(self, ev):
        return ev.claim.sentence[:120]

    @admin.display(description="outlet", ordering="claim__article__outlet__name")
    def outlet(self, ev):
        return ev.claim.article.outlet

    @admin.action(description="Accept the selected suggestions", permissions=["change"])
    def accept(self, request, queryset):
        count = decide(queryset, Evidence.State.ACCEPTED)
        self.message_user(request, f"{count} accepted.")

    @admin.action(description="Reject the selected suggestions", permissions=["change"])
    def reject(self, request, queryset):
        count = decide(queryset, Evidence.State.REJECTED)
        self.message_user(request, f"{count} rejected.")

    def get_urls(self):
        decide_view = self.admin_site.admin_view(require_POST(self.decide_view))
        return [
            path("decide/", decide_view, name="timeline_evidence_decide"),
            *super().get_urls(),
        ]

    def decide_view(self, request):
        """Accept or reject one suggestion from a button on the report's page."""
        if not self.has_change_permission(request):
            raise PermissionDenied
        pk, _, state = request.POST.get("decision", "").partition(":")
        if state not in (Evidence.State.ACCEPTED, Evidence.State.REJECTED):
            raise PermissionDenied
        evidence = get_object_or_404(Evidence.objects.select_related("event"), pk=pk)
        decide([evidence], state)
        self.message_user(request, f"“{evidence.event}” {state} for the claim.", messages.SUCCESS)
        back = request.POST.get("next", "")
        if not url_has_allowed_host_and_scheme(back, {request.get_host()}):
            back = reverse("admin:timeline_evidence_changelist")
        return redirect(back)


class ReportAdmin(ArticleAdmin):
    """The report page, with the events suggested for its claims."""

    def get_readonly_fields(self, request, obj=None):
        fields = super().get_readonly_fields(request, obj)
        return [*fields, "suggested_events"] if obj else fields

    @admin.display(description="events for its claims")
    def suggested_events(self, article):
        rows = (
            Evidence.objects.filter(claim__article=article)
            .select_related("event", "claim", "mention")
            .order_by("claim__start", "-score", "pk")
        )
        if not rows:
            return "No claim of this report matches an event yet."
        back = reverse("admin:articles_article_change", args=[article.pk])
        action = reverse("admin:timeline_evidence_decide")
        return format_html(
            '<input type="hidden" name="next" value="{}">'
            "<table><tr><th>claim</th><th>date</th><th>event</th><th>state</th><th></th></tr>"
            "{}</table>",
            back,
            format_html_join(
                "",
                "<tr><td>{}</td><td>{}</td><td><a href='{}'>{}</a></td><td>{}</td><td>"
                "<button type='submit' name='decision' value='{}:accepted' formaction='{}'>"
                "Accept</button> "
                "<button type='submit' name='decision' value='{}:rejected' formaction='{}'>"
                "Reject</button></td></tr>",
                (
                    (
                        ev.claim.sentence[:140],
                        ev.mention.text if ev.mention else "",
                        reverse("admin:timeline_event_change", args=[ev.event_id]),
                        ev.event,
                        ev.get_state_display(),
                        ev.pk,
                        action,
                        ev.pk,
                        action,
                    )
                    for ev in rows
                ),
            ),
        )

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None:
            return fieldsets
        return [fieldsets[0], ("Timeline", {"fields": ["suggested_events"]}), *fieldsets[1:]]


admin.site.unregister(Article)
admin.site.register(Article, ReportAdmin)


@admin.register(EventCandidate)
class EventCandidateAdmin(BoundedSearchAdmin):
    """Dated claims the linker tied to no event: what the timeline may be missing."""

    list_display = ["sentence", "dates", "article", "outlet"]
    list_filter = ["article__outlet", "topics"]
    search_fields = ["sentence"]
    list_select_related = ["article__outlet"]

    def get_queryset(self, request):
        return unlinked_claims(EventCandidate.objects.all())

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description="dates")
    def dates(self, claim):
        return "; ".join(m.explanation or m.text for m in claim.mentions.all())

    @admin.display(description="outlet")
    def outlet(self, claim):
        return claim.article.outlet
