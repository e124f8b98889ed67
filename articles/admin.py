"""The editors' workspace for reports.

Adding or editing a report goes through articles.services.ingest_report, so the admin
runs the same pipeline as the ingest command. Derived rows (passages, date mentions)
are shown read-only.
"""

import difflib

from django import forms
from django.contrib import admin, messages
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from simple_history.admin import SimpleHistoryAdmin
from simple_history.utils import bulk_update_with_history

from .admin_fields import BoundedSearchAdmin
from .admin_upload import SavedPageUploadMixin
from .clock import today
from .models import Article, Claim, DateMention, Outlet, Topic, without_article_texts
from .pipeline.clean import clean
from .reports import ReportError, check_header, check_text
from .services import add_claim, content_hash, ingest_report
from .signals import content_changed


@admin.register(Outlet)
class OutletAdmin(BoundedSearchAdmin):
    list_display = ["name", "kind", "homepage"]
    list_filter = ["kind"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Topic)
class TopicAdmin(BoundedSearchAdmin):
    list_display = ["name", "slug", "keywords"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}


class ArticleForm(forms.ModelForm):
    # The version the editor started from: a save on top of a newer one is a conflict.
    base_version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    raw_body = forms.CharField(
        label="Report text",
        strip=False,  # kept exactly as pasted; cleaning is the pipeline's job
        widget=forms.Textarea(attrs={"rows": 24, "cols": 100}),
        help_text="Paste the report as published. Advertising lines, 'Also read' links and "
        "comment forms are removed automatically; the text is kept exactly as pasted too.",
    )

    class Meta:
        model = Article
        fields = [
            "outlet",
            "title",
            "url",
            "byline",
            "published",
            "published_estimated",
            "published_note",
            "raw_body",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        published = self.fields["published"]
        published.widget.attrs["placeholder"] = "YYYY-MM-DD"
        published.help_text = f"YYYY-MM-DD. {published.help_text}"
        if self.instance.pk:
            # The stored version, not the instance's: reverting to an old version from the
            # history starts from an old instance, and is a save on top of the current one.
            self.fields["base_version"].initial = (
                Article.objects.filter(pk=self.instance.pk)
                .values_list("version", flat=True)
                .first()
            )

    def clean_raw_body(self):
        """Browsers send a text area's lines with CRLF whatever was pasted: an unchanged
        text stays byte for byte as stored, and a changed one is kept with plain LF."""
        text = self.cleaned_data["raw_body"].replace("\r\n", "\n")
        stored = self.instance.raw_body if self.instance.pk else None
        if stored is not None and stored.replace("\r\n", "\n") == text:
            return stored
        return text

    def clean(self):
        data = super().clean()
        self.check_version(data)
        raw = data.get("raw_body")
        if raw is None:
            return data
        try:
            check_text(raw)
            if data.get("title") and data.get("outlet") and data.get("published"):
                check_header(
                    title=data["title"],
                    outlet=data["outlet"].name,
                    url=data.get("url") or "",
                    byline=data.get("byline", ""),
                    published=data["published"],
                    published_note=data.get("published_note", ""),
                    today=today(),
                )
        except ReportError as exc:
            raise forms.ValidationError(exc.as_sentence()) from None
        body = clean(raw).text
        if not body.strip():
            self.add_error("raw_body", "Nothing is left of this text once boilerplate is removed.")
            return data
        twin = Article.objects.filter(content_hash=content_hash(body)).exclude(pk=self.instance.pk)
        if twin.exists():
            other = twin.get()
            self.add_error("raw_body", f"This text is already stored as “{other.title}”.")
        return data

    def check_version(self, data):
        """Refuse to save over a version the editor never saw, and show both.

        The stored row is read locked (PostgreSQL) for the rest of the admin's transaction,
        so no save can slip in between this check and the write. Submitting again after
        reading the conflict saves on top of the newer version, knowingly.
        """
        if not self.instance.pk or data.get("base_version") is None:
            return
        stored = Article.objects.select_for_update().filter(pk=self.instance.pk).first()
        if stored is None:
            raise forms.ValidationError("This report was deleted by someone else meanwhile.")
        if stored.version == data["base_version"]:
            return
        self.data = self.data.copy()
        self.data["base_version"] = stored.version
        raise forms.ValidationError(conflict_message(stored, data))


def conflict_message(stored: Article, data: dict):
    """What the other editor saved, beside what this one is saving, field by field."""
    rows = []
    for name in ArticleForm.Meta.fields:
        theirs, yours = getattr(stored, name), data.get(name)
        if (theirs or "") == (yours or ""):
            continue
        label = Article._meta.get_field(name).verbose_name
        if name == "raw_body":
            diff = "\n".join(
                difflib.unified_diff(
                    theirs.splitlines(), yours.splitlines(), "saved", "yours", lineterm="", n=1
                )
            )
            rows.append((label, format_html("<pre>{}</pre>", diff[:4000]), ""))
        else:
            rows.append((label, theirs, yours))
    return format_html(
        "Someone else saved this report (now version {}, {} UTC) after you "
        "opened it. Nothing was saved. Compare, then save again to replace their version "
        "with yours, or reload to start from theirs."
        "<table><tr><th>field</th><th>saved by them</th><th>yours</th></tr>{}</table>",
        stored.version,
        f"{stored.updated:%d %b %Y %H:%M}",
        format_html_join("", "<tr><td>{}</td><td>{}</td><td>{}</td></tr>", rows),
    )


@admin.register(Article)
class ArticleAdmin(SavedPageUploadMixin, SimpleHistoryAdmin, BoundedSearchAdmin):
    form = ArticleForm
    list_display = [
        "title",
        "outlet",
        "published",
        "published_estimated",
        "claim_count",
        "wire_copy",
    ]
    list_filter = ["outlet", "published_estimated", "published", "agency", "wire_origin"]
    list_select_related = ["outlet"]
    search_fields = ["title", "url", "body"]
    date_hierarchy = "published"
    autocomplete_fields = ["outlet"]
    # Derived rows are shown as read-only tables, not inline formsets: nothing an editor
    # submits can overwrite what the pipeline made, and the page costs two queries.
    readonly_fields = [
        "claims_table",
        "passages_table",
        "removed_boilerplate",
        "wire_copies",
        "slug",
        "version",
        "source_name",
        "saved_page",
        "added_by",
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).for_listing()

    @admin.display(description="claims", ordering="claim_count")
    def claim_count(self, article):
        return article.claim_count

    @admin.display(description="saved web page")
    def saved_page(self, article):
        if not article.raw_html:
            return "None: the text was pasted or came from a text file."
        return (
            f"Kept with the report, exactly as uploaded ({len(article.raw_html):,} characters); "
            "the report's text was read from it."
        )

    @admin.display(description="wire copy", ordering="wire_group")
    def wire_copy(self, article):
        """The group of reports printing the same copy, and whether this one is its origin."""
        if not article.wire_group:
            return "—"
        name = article.get_agency_display() or article.wire_group
        return f"{name} (origin)" if article.wire_origin else name

    @admin.display(description="same copy as")
    def wire_copies(self, article):
        if not article.wire_group:
            return "No other report prints this copy: it counts as an independent source."
        others = (
            Article.objects.filter(wire_group=article.wire_group)
            .exclude(pk=article.pk)
            .select_related("outlet")
            .only("title", "published", "wire_origin", "outlet__name")
            .order_by("published", "pk")
        )
        return format_html(
            "<p>Group “{}”: {} counted as one independent source.</p><ul>{}</ul>",
            article.wire_group,
            "this report and the ones below are" if others else "this report is",
            format_html_join(
                "",
                "<li><a href='{}'>{}</a> — {}, {}{}</li>",
                (
                    (
                        reverse("admin:articles_article_change", args=[o.pk]),
                        o.title,
                        o.outlet.name,
                        o.published.isoformat(),
                        " (origin)" if o.wire_origin else "",
                    )
                    for o in others
                ),
            ),
        )

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        # The form checked the text, the header and the version; what the door still
        # refuses (a save that raced past the form) rolls back with a message, never a 500.
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except ReportError as exc:
            self.message_user(request, f"Nothing was saved: {exc}.", messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())

    def get_fieldsets(self, request, obj=None):
        report = (None, {"fields": ArticleForm.Meta.fields})
        if obj is None:
            return [report]
        report = (None, {"fields": [*ArticleForm.Meta.fields, "base_version"]})
        derived = ("What the pipeline made of it", {"fields": self.readonly_fields})
        return [report, derived]

    def get_readonly_fields(self, request, obj=None):
        return self.readonly_fields if obj else []

    @admin.display(description="claims")
    def claims_table(self, article):
        claims = article.claims.select_related("passage").prefetch_related("mentions")
        if not claims:
            return "No claims: no sentence carries a date, a figure or an attribution."
        rows = (
            (
                reverse("admin:articles_claim_change", args=[c.pk]),
                c.passage.anchor if c.passage else "—",
                c.sentence,
                format_html_join("", "<div>{}</div>", ((m.explanation,) for m in c.mentions.all())),
                c.get_kind_display(),
                c.attribution,
                c.get_anchor_state_display(),
                c.get_origin_display(),
            )
            for c in claims
        )
        return format_html(
            "<table><tr><th>passage</th><th>sentence</th><th>dates</th><th>kind</th>"
            "<th>attributed to</th><th>anchor</th><th>origin</th></tr>{}</table>",
            format_html_join(
                "",
                "<tr><td>{1}</td><td><a href='{0}'>{2}</a></td><td>{3}</td><td>{4}</td>"
                "<td>{5}</td><td>{6}</td><td>{7}</td></tr>",
                rows,
            ),
        )

    @admin.display(description="passages")
    def passages_table(self, article):
        return format_html(
            "<table><tr><th>anchor</th><th>kind</th><th>text</th></tr>{}</table>",
            format_html_join(
                "",
                "<tr><td>{}</td><td>{}</td><td>{}</td></tr>",
                ((p.anchor, p.get_kind_display(), p.text) for p in article.passages.all()),
            ),
        )

    @admin.display(description="removed boilerplate")
    def removed_boilerplate(self, article):
        if not article.removed:
            return "Nothing was removed."
        return format_html(
            "<table><tr><th>line</th><th>rule</th><th>text</th></tr>{}</table>",
            format_html_join(
                "",
                "<tr><td>{}</td><td>{}</td><td>{}</td></tr>",
                ((r["line"], r["rule"], r["text"]) for r in article.removed),
            ),
        )

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        result = ingest_report(
            title=data["title"],
            outlet=data["outlet"].name,
            published=data["published"],
            body=data["raw_body"],
            url=data.get("url") or "",
            byline=data.get("byline", ""),
            published_estimated=data.get("published_estimated", False),
            published_note=data.get("published_note", ""),
            source_name=obj.source_name or "admin",
            user=request.user,
            article=obj if change else None,
            expected_version=data.get("base_version") if change else None,
        )
        # The admin redirects to this object, so it must be the stored one.
        obj.pk = result.article.pk
        obj.refresh_from_db()
        kept = sum(c.origin == Claim.Origin.EDITOR for c in result.claims)
        flagged = sum(c.anchor_state != Claim.AnchorState.EXACT for c in result.claims)
        note = f"{result.status.capitalize()}: {len(result.claims)} claims"
        if kept:
            note += f", {kept} by editors kept"
        if flagged:
            note += f", {flagged} need review after the change"
        self.message_user(request, note + ".", messages.WARNING if flagged else messages.SUCCESS)


class DateMentionInline(admin.TabularInline):
    model = DateMention
    fields = ["text", "date_start", "date_end", "precision", "method", "explanation"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


class ClaimAddForm(forms.ModelForm):
    """An editor quotes a sentence of a report the pipeline did not pick."""

    class Meta:
        model = Claim
        fields = ["article", "sentence", "kind", "attribution"]
        widgets = {"sentence": forms.Textarea(attrs={"rows": 3})}
        help_texts = {"sentence": "Copy it exactly from the report's text."}

    def clean(self):
        data = super().clean()
        article, sentence = data.get("article"), (data.get("sentence") or "").strip()
        if article and sentence:
            if sentence not in article.body:
                self.add_error("sentence", "This is not in the report's text; copy it exactly.")
            elif not article.passages.filter(text__contains=sentence).exists():
                self.add_error("sentence", "A claim must lie within one paragraph.")
        return data


# What an editor may set on a claim by hand; the rest is the report's words and the pipeline's.
EDITORS_CHOICES = ("kind", "attribution", "topics")


@admin.register(Claim)
class ClaimAdmin(SimpleHistoryAdmin, BoundedSearchAdmin):
    list_display = ["sentence", "article", "kind", "anchor_state", "origin", "reviewed"]
    list_filter = ["kind", "anchor_state", "origin", "reviewed", "topics", "article__outlet"]
    list_select_related = ["article"]
    search_fields = ["sentence", "attribution", "article__title"]
    autocomplete_fields = ["article"]
    readonly_fields = [
        "article",
        "passage",
        "start",
        "end",
        "selector_prefix",
        "selector_suffix",
        "previous_sentence",
        "anchor_state",
        "origin",
    ]
    fields = ["sentence", "kind", "attribution", "topics", "reviewed", *readonly_fields]
    filter_horizontal = ["topics"]
    inlines = [DateMentionInline]
    actions = ["mark_reviewed"]

    add_form = ClaimAddForm

    def get_queryset(self, request):
        return super().get_queryset(request).defer(*without_article_texts())

    def get_form(self, request, obj=None, **kwargs):
        if obj is None:
            kwargs["form"] = self.add_form
        else:
            kwargs["help_texts"] = {
                "reviewed": "An editor has checked this claim against the report. Saving it "
                "ticked clears “needs review”. Changing its kind, attribution or topics ticks "
                "it: a reviewed claim keeps them through corrections of the report."
            }
        return super().get_form(request, obj, **kwargs)

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["article", "sentence", "kind", "attribution"]
        return self.fields

    def get_readonly_fields(self, request, obj=None):
        # The sentence is the source's words: it changes with the report, not by hand.
        return [] if obj is None else ["sentence", *self.readonly_fields]

    def get_inlines(self, request, obj):
        return self.inlines if obj else []

    def save_model(self, request, obj, form, change):
        if change:
            # A kind, attribution or topics set by hand are an editor's decision, which
            # only a reviewed claim keeps through corrections of the report.
            if any(name in form.changed_data for name in EDITORS_CHOICES):
                obj.reviewed = True
            if obj.reviewed and mark_reviewed(obj):
                self.message_user(
                    request,
                    "This claim is no longer in the report's text and stays orphaned.",
                    messages.WARNING,
                )
            return super().save_model(request, obj, form, change)
        data = form.cleaned_data
        claim = add_claim(
            article=data["article"],
            sentence=data["sentence"],
            kind=data.get("kind", ""),
            attribution=data.get("attribution", ""),
        )
        obj.pk = claim.pk
        obj.refresh_from_db()

    def save_related(self, request, form, formsets, change):
        if change:
            super().save_related(request, form, formsets, change)

    @admin.action(description="Mark the selected claims as reviewed")
    def mark_reviewed(self, request, queryset):
        claims = list(queryset.order_by("pk"))
        orphaned = sum(mark_reviewed(claim) for claim in claims)
        # Saved with their history (who, when), not a bare update.
        bulk_update_with_history(
            claims, Claim, ["reviewed", "anchor_state"], batch_size=500, default_user=request.user
        )
        content_changed.send(sender=Claim)
        note = f"{len(claims)} claim{'s' if len(claims) != 1 else ''} marked reviewed."
        if orphaned:
            note += (
                f" {orphaned} {'is' if orphaned == 1 else 'are'} no longer in the report's text "
                f"and {'stays' if orphaned == 1 else 'stay'} orphaned: there is no sentence to "
                "point at."
            )
        self.message_user(request, note, messages.WARNING if orphaned else messages.SUCCESS)


def mark_reviewed(claim: Claim) -> bool:
    """An editor has looked at the claim: it no longer needs review, nor is it merely
    relocated. An orphaned claim has no place in the text and stays orphaned (returns True).
    """
    claim.reviewed = True
    if claim.anchor_state == Claim.AnchorState.ORPHANED:
        return True
    claim.anchor_state = Claim.AnchorState.EXACT
    return False
