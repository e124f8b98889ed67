"""The editors' workspace for the timeline: events, evidence, decisions on suggestions.

It also extends the report page from articles with each claim's suggested events and
accept / reject buttons: timeline knows articles, never the reverse.
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.template.defaultfilters import pluralize
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.views.decorators.http import require_POST
from simple_history.admin import SimpleHistoryAdmin

from articles.admin import ArticleAdmin
from articles.admin_fields import BoundedSearchAdmin, TolerantChoicesMixin
from articles.clock import today
from articles.models import Article, Claim, without_article_texts

from .candidates import as_group, create_event, group_candidates, unique_slug
from .forms import CandidateEventForm
from .linking import decide, mark_reviewed, unlinked_claims
from .models import Event, EventCandidate, Evidence, StatusChange, TariffPoint
from .outcomes import decide_outcome, record_change, sync_status
from .tariffs import decide_points


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


class StatusChangeInline(TolerantChoicesMixin, admin.TabularInline):
    """The event's story: its changes so far (kept as they were decided), and a row to add
    one by hand, with the claims it rests on."""

    model = StatusChange
    fields = ["status", "effective", "precision", "new_date", "claims", "note", "decided_by"]
    readonly_fields = ["decided_by"]
    autocomplete_fields = ["claims"]
    extra = 1
    verbose_name = "status change"
    verbose_name_plural = "status history (the latest change is the event's status)"

    def has_change_permission(self, request, obj=None):
        return False  # a recorded change stays as decided; add a new one to correct it

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser


class SummaryForm(forms.Form):
    summary = forms.CharField(widget=forms.Textarea(attrs={"rows": 5, "cols": 90}))


@admin.register(Event)
class EventAdmin(SimpleHistoryAdmin, BoundedSearchAdmin):
    list_display = ["title", "start", "end", "precision", "status", "kind", "accepted_count"]
    list_filter = ["status", "kind", "topics"]
    search_fields = ["title", "summary", "place"]
    prepopulated_fields = {"slug": ["title"]}
    filter_horizontal = ["topics"]
    inlines = [StatusChangeInline, EvidenceInline]
    date_hierarchy = "start"

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(accepted=Count("evidence", filter=Q(evidence__state="accepted")))
        )

    def get_readonly_fields(self, request, obj=None):
        # Once the event exists its status is its latest change: add one below to move it.
        return ["status"] if obj else []

    @admin.display(description="accepted evidence", ordering="accepted")
    def accepted_count(self, event):
        return event.accepted

    def has_delete_permission(self, request, obj=None):
        # Events carry editors' curation; cancelled ones stay, with their status.
        return request.user.is_superuser and super().has_delete_permission(request, obj)

    def save_formset(self, request, form, formset, change):
        if formset.model is not StatusChange:
            return super().save_formset(request, form, formset, change)
        for step in formset.save(commit=False):
            step.decided_by = request.user
            step.save()
        formset.save_m2m()

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        event = form.instance
        if not event.changes.exists():
            # A new event starts its story with the status it was given: announced (or
            # threatened) now, or, for what already happened, on its own day.
            effective = min(today(), event.start) if event.is_forward_looking else event.start
            record_change(
                event=event,
                status=event.status,
                effective=effective,
                precision=event.precision if not event.is_forward_looking else "day",
                user=request.user,
            )
        sync_status(event)

    def get_urls(self):
        summary = self.admin_site.admin_view(self.summary_view)
        return [
            path("<int:pk>/summary/", summary, name="timeline_event_summary"),
            *super().get_urls(),
        ]

    def summary_view(self, request, pk):
        """After an outcome is accepted: bring the summary up to date (pre-filled)."""
        event = get_object_or_404(Event, pk=pk)
        if not self.has_change_permission(request, event):
            raise PermissionDenied
        back = request.GET.get("next") or request.POST.get("next", "")
        if not url_has_allowed_host_and_scheme(back, {request.get_host()}):
            back = reverse("admin:timeline_event_change", args=[event.pk])
        change = event.changes.filter(pk=request.GET.get("change") or 0).first()
        if request.method == "POST":
            form = SummaryForm(request.POST)
            if form.is_valid():
                event.summary = form.cleaned_data["summary"]
                event.full_clean()
                event.save()
                self.message_user(request, f"The summary of “{event}” was updated.")
                return redirect(back)
        else:
            form = SummaryForm(initial={"summary": updated_summary(event, change)})
        return render(
            request,
            "admin/timeline/event_summary.html",
            {
                **self.admin_site.each_context(request),
                "title": f"Update the summary of “{event}”?",
                "event": event,
                "change": change,
                "form": form,
                "next": back,
                "opts": self.model._meta,
            },
        )


def updated_summary(event: Event, change: StatusChange | None) -> str:
    """The summary as it was, with the new step said after it, for the editor to rewrite."""
    if change is None:
        return event.summary
    sources = sorted({claim.article.outlet.name for claim in change.claims.all()})
    said = f" ({', '.join(sources)})" if sources else ""
    step = change.phrase[:1].upper() + change.phrase[1:]
    return f"{event.summary} Update: {step}{said}.".strip()


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
        """Accept or reject one suggestion, or the outcome it reports, from a button on the
        report's page; back to the report's suggestions afterwards."""
        if not self.has_change_permission(request):
            raise PermissionDenied
        pk, _, decision = request.POST.get("decision", "").partition(":")
        what, _, state = decision.rpartition("-")
        if state not in (Evidence.State.ACCEPTED, Evidence.State.REJECTED) or what not in (
            "",
            "outcome",
        ):
            raise PermissionDenied
        if not pk.isdigit():
            raise PermissionDenied
        evidence = get_object_or_404(Evidence.objects.select_related("event"), pk=pk)
        back = request.POST.get("next", "")
        if not url_has_allowed_host_and_scheme(back, {request.get_host()}):
            back = reverse("admin:timeline_evidence_changelist")
        if what == "outcome":
            change = decide_outcome(evidence, state, user=request.user)
            if change is None:
                self.message_user(request, f"The outcome for “{evidence.event}” was rejected.")
                return redirect(back)
            self.message_user(
                request,
                f"“{evidence.event}” is now {change.get_status_display()}: {change.phrase}.",
                messages.SUCCESS,
            )
            # Offer to bring the summary up to date, pre-filled from the change.
            summary = reverse("admin:timeline_event_summary", args=[evidence.event_id])
            return redirect(f"{summary}?{urlencode({'change': change.pk, 'next': back})}")
        decide([evidence], state)
        self.message_user(request, f"“{evidence.event}” {state} for the claim.", messages.SUCCESS)
        return redirect(back)


class ReportAdmin(ArticleAdmin):
    """The report page, with the events suggested for its claims."""

    class Media:
        # Warns before a decision button leaves unsaved edits to the report behind.
        js = ["js/decisions.js"]

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
        return render_to_string(
            "admin/timeline/suggestions.html",
            {
                "rows": rows,
                "back": reverse("admin:articles_article_change", args=[article.pk])
                + "#suggestions",
                "action": reverse("admin:timeline_evidence_decide"),
            },
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
    """Dated claims the linker tied to no event, grouped by what they say (same dates, same
    words: timeline.candidates): what the timeline may be missing, each group one button
    away from a new event.

    The list shows groups, not claims: Django's changelist still does the searching,
    filtering and counting, and the groups are built from all the candidates it selects
    (up to `max_grouped`), in a fixed number of queries.
    """

    change_list_template = "admin/timeline/eventcandidate/change_list.html"
    list_display = ["sentence", "dates", "outlet"]
    list_filter = ["article__outlet", "topics"]
    search_fields = ["sentence"]
    list_select_related = ["article__outlet"]
    # Groups per page; there are never more groups than claims, so never more pages either.
    list_per_page = 50
    max_grouped = 2000
    actions = None
    # What an editor reads of one candidate; never its offsets, selector or hash.
    fields = ["sentence", "dates", "article", "outlet", "kind", "attribution", "topics"]
    readonly_fields = ["dates", "outlet"]

    def get_queryset(self, request):
        return unlinked_claims(EventCandidate.objects.all()).prefetch_related("topics")

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

    def changelist_view(self, request, extra_context=None):
        response = super().changelist_view(request, extra_context)
        context = getattr(response, "context_data", None) or {}
        if "cl" not in context:  # a redirect, or an error page
            return response
        cl = context["cl"]
        claims = list(cl.queryset[: self.max_grouped + 1])
        groups = group_candidates(claims[: self.max_grouped])
        page = Paginator(groups, self.list_per_page).get_page(cl.page_num)
        context.update(
            groups=page,
            group_pages=[
                (n, cl.get_query_string({"p": n}))
                for n in (page.paginator.page_range if page.paginator.num_pages > 1 else [])
            ],
            group_count=len(groups),
            grouped_claims=sum(len(g.members) for g in groups),
            too_many=len(claims) > self.max_grouped,
            can_create=request.user.has_perm("timeline.add_event"),
        )
        return response

    def get_urls(self):
        create = self.admin_site.admin_view(require_POST(self.create_event_view))
        return [
            path("create-event/", create, name="timeline_eventcandidate_create"),
            *super().get_urls(),
        ]

    @staticmethod
    def claim_ids(value: str, limit: int = 500) -> list[int]:
        """ "12,15,19" as ids; anything that is not a plausible id is left out."""
        parts = [p.strip() for p in value.split(",")[:limit]]
        return [int(p) for p in parts if p.isdigit() and len(p) <= 18]

    def create_event_view(self, request):
        """A group's "Create event": the event form filled in from the group's sentences;
        saving it creates the event and accepts the sentences as its evidence."""
        if not request.user.has_perm("timeline.add_event"):
            raise PermissionDenied
        ids = self.claim_ids(request.POST.get("claims", ""))
        claims = list(self.get_queryset(request).filter(pk__in=ids)) if ids else []
        if not claims:
            self.message_user(
                request,
                "These sentences are no longer candidates: an event has taken them since.",
                messages.WARNING,
            )
            return redirect("admin:timeline_eventcandidate_changelist")
        group = as_group(claims)
        if "_create" in request.POST:
            form = CandidateEventForm(request.POST)
            if form.is_valid():
                event = create_event(
                    form.save(commit=False),
                    topics=form.cleaned_data["topics"],
                    group=group,
                    user=request.user,
                )
                n = len(group.members)
                self.message_user(
                    request,
                    f"“{event}” was created, with {n} quote{pluralize(n)} accepted as its "
                    "evidence.",
                    messages.SUCCESS,
                )
                return redirect("admin:timeline_event_change", event.pk)
        else:
            proposal = group.proposal()
            form = CandidateEventForm(initial={**proposal, "slug": unique_slug(proposal["title"])})
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": "New event from candidates",
            "form": form,
            "group": group,
            "dropped": len(set(ids)) - len(claims),
            "media": self.media + form.media,
        }
        return TemplateResponse(request, "admin/timeline/eventcandidate/create_event.html", context)


@admin.register(TariffPoint)
class TariffPointAdmin(SimpleHistoryAdmin, BoundedSearchAdmin):
    """The tariff chart's points: confirm what the pipeline read, correct it, or reject it.

    Saving a change is a correction (the chart uses the corrected values, and a re-ingest
    of the report leaves the row alone); a changed day is the editor's day."""

    list_display = ["rate", "imposed_by", "imposed_on", "basis", "status", "day", "state", "quote"]
    list_filter = ["imposed_by", "basis", "state", "status", "claim__article__outlet"]
    list_select_related = ["claim__article__outlet"]
    search_fields = ["claim__sentence", "text", "note"]
    readonly_fields = ["quote", "text", "figure", "dated_by", "decided_by"]
    fields = [
        "quote",
        "text",
        ("imposed_by", "imposed_on"),
        ("basis", "status"),
        "value",
        ("day", "precision"),
        "dated_by",
        "state",
        "note",
        "decided_by",
    ]
    actions = ["confirm", "reject"]
    CORRECTABLE = ("imposed_by", "imposed_on", "basis", "status", "value", "day", "precision")

    def get_queryset(self, request):
        return super().get_queryset(request).defer(*without_article_texts("claim__article"))

    def has_add_permission(self, request):
        return False  # points come from claims' figures

    @admin.display(description="level", ordering="value")
    def rate(self, point):
        return f"{point.value.normalize():f}%"

    @admin.display(description="quote")
    def quote(self, point):
        if not point.pk:
            return "—"
        article = point.claim.article
        return format_html(
            '<a href="{}">“{}”</a><br><small>{}, {}</small>',
            point.claim.get_absolute_url(),
            point.claim.sentence,
            article.outlet,
            article.published,
        )

    def save_model(self, request, obj, form, change):
        corrected = set(form.changed_data) & set(self.CORRECTABLE)
        if "day" in form.changed_data:
            obj.dated_by = TariffPoint.DatedBy.EDITOR if obj.day else TariffPoint.DatedBy.NONE
        if corrected and obj.state in (TariffPoint.State.SUGGESTED, TariffPoint.State.CONFIRMED):
            obj.state = TariffPoint.State.CORRECTED
        if corrected or "state" in form.changed_data:
            obj.decided_by = request.user
        super().save_model(request, obj, form, change)
        if obj.state != TariffPoint.State.SUGGESTED:
            mark_reviewed(Claim.objects.filter(pk=obj.claim_id))

    @admin.action(description="Confirm the selected points", permissions=["change"])
    def confirm(self, request, queryset):
        count = decide_points(queryset, TariffPoint.State.CONFIRMED, user=request.user)
        self.message_user(request, f"{count} confirmed.")

    @admin.action(description="Reject the selected points", permissions=["change"])
    def reject(self, request, queryset):
        count = decide_points(queryset, TariffPoint.State.REJECTED, user=request.user)
        self.message_user(request, f"{count} rejected.")
