"""The admin's upload of a saved web page, on the reports' list (ArticleAdmin).

The page's text and metadata are read from it (articles/saved_pages.py); what it lacks,
the editor completes on a second form, the page waiting in their session meanwhile.
Either way the report goes through the door, articles.services.ingest_report, as a pasted
one does, with the page kept as its raw_html.
"""

import secrets
from datetime import date

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse

from .admin_fields import TolerantModelChoiceField
from .models import Article, Outlet
from .reports import ReportError
from .saved_pages import (
    FIELD_WORDS,
    MAX_PAGE_BYTES,
    SavedPage,
    pack,
    read_page,
    unpack,
)
from .services import UNCHANGED, ingest_report


class SavedPageUploadForm(forms.Form):
    page = forms.FileField(
        label="Saved web page",
        help_text="The article saved from the browser (“Save page as…”, HTML), at most "
        f"{MAX_PAGE_BYTES // 1024 // 1024} MB. Its main text, title, site name, author, "
        "date and address are read from it; the page itself is kept with the report.",
        widget=forms.ClearableFileInput(attrs={"accept": ".html,.htm,text/html"}),
    )
    outlet = TolerantModelChoiceField(
        queryset=Outlet.objects.all(),
        required=False,
        help_text="Leave empty to use the site name the page gives.",
    )

    def clean_page(self):
        upload = self.cleaned_data["page"]
        if upload.size > MAX_PAGE_BYTES:
            raise forms.ValidationError(
                f"The file is {upload.size / 1024 / 1024:.1f} MB; the limit is "
                f"{MAX_PAGE_BYTES // 1024 // 1024} MB. Save the page without its images."
            )
        try:
            return read_page(upload.read(), source_name=upload.name)
        except ReportError as exc:
            raise forms.ValidationError(f"{upload.name}: {exc.as_sentence()}") from None


def article_field(name: str, **kwargs) -> forms.Field:
    """The Article column's own form field: its label, help text and length limit."""
    return Article._meta.get_field(name).formfield(**kwargs)


class SavedPageCompletionForm(forms.Form):
    """What a saved page did not say, completed by the editor; pre-filled with what it did."""

    title = article_field("title")
    outlet = TolerantModelChoiceField(
        queryset=Outlet.objects.all(), required=False, help_text="An outlet already known…"
    )
    new_outlet = forms.CharField(
        label="or a new outlet",
        max_length=Outlet._meta.get_field("name").max_length,
        required=False,
        help_text="…or the name of one to add (as a report file's 'Outlet:' line does).",
    )
    url = article_field("url")
    byline = article_field("byline")
    published = article_field("published", widget=forms.DateInput(format="%Y-%m-%d"))
    published_estimated = article_field("published_estimated")
    published_note = article_field("published_note")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        published = self.fields["published"]
        published.widget.attrs["placeholder"] = "YYYY-MM-DD"
        published.help_text = f"YYYY-MM-DD. {published.help_text}"
        # As wide as the admin's own forms make them: a headline is read whole.
        for name in ("title", "url", "published_note"):
            self.fields[name].widget.attrs["class"] = "vLargeTextField"
        for name in ("new_outlet", "byline"):
            self.fields[name].widget.attrs["class"] = "vTextField"

    @classmethod
    def initial_for(cls, page: SavedPage, outlet: Outlet | None) -> dict:
        """The form's starting values: what the page gave; its site name as the known
        outlet of that name, else as a new one."""
        if outlet is None and page.outlet:
            outlet = Outlet.objects.filter(name__iexact=page.outlet).first()
        return {
            "title": page.title,
            "outlet": outlet,
            "new_outlet": "" if outlet else page.outlet,
            "url": page.url,
            "byline": page.byline,
            "published": page.published,
        }

    def clean(self):
        data = super().clean()
        outlet, new = data.get("outlet"), (data.get("new_outlet") or "").strip()
        if outlet and new:
            self.add_error("new_outlet", "Choose a known outlet or name a new one, not both.")
        elif not outlet and not new:
            self.add_error("outlet", "Choose the outlet, or name a new one below.")
        data["outlet_name"] = outlet.name if outlet else new
        return data

    def report_fields(self) -> dict:
        data = self.cleaned_data
        return {
            "title": data["title"],
            "outlet": data["outlet_name"],
            "url": data.get("url") or "",
            "byline": data.get("byline", ""),
            "published": data["published"],
            "published_estimated": data.get("published_estimated", False),
            "published_note": data.get("published_note", ""),
        }


# Pages waiting for their editor to complete them, in the editor's session (the database's,
# so any server process finds them): packed, and at most this many, the oldest giving way.
PENDING_PAGES = "saved_pages"
MAX_PENDING_PAGES = 3


def stash_page(session, page: SavedPage, outlet: Outlet | None) -> str:
    pending = dict(session.get(PENDING_PAGES, {}))
    while len(pending) >= MAX_PENDING_PAGES:
        pending.pop(next(iter(pending)))
    token = secrets.token_urlsafe(12)
    # What was read from the page is kept with it: the completion form's every showing
    # and its save would otherwise run trafilatura over the page again.
    pending[token] = {
        "name": page.source_name,
        "html": pack(page.html),
        "text": pack(page.text),
        "title": page.title,
        "outlet_name": page.outlet,
        "byline": page.byline,
        "published": page.published.isoformat() if page.published else None,
        "url": page.url,
        "warnings": list(page.warnings),
        "outlet": outlet.pk if outlet else None,
    }
    session[PENDING_PAGES] = pending
    return token


def stashed_page(session, token: str) -> tuple[SavedPage, Outlet | None] | None:
    """The page kept under `token` and the outlet chosen on upload; None if it is gone."""
    entry = session.get(PENDING_PAGES, {}).get(token)
    if entry is None:
        return None
    published = entry["published"]
    page = SavedPage(
        html=unpack(entry["html"]),
        text=unpack(entry["text"]),
        title=entry["title"],
        outlet=entry["outlet_name"],
        byline=entry["byline"],
        published=date.fromisoformat(published) if published else None,
        url=entry["url"],
        source_name=entry["name"],
        warnings=tuple(entry["warnings"]),
    )
    outlet = Outlet.objects.filter(pk=entry["outlet"]).first() if entry["outlet"] else None
    return page, outlet


def drop_page(session, token: str) -> None:
    pending = dict(session.get(PENDING_PAGES, {}))
    if pending.pop(token, None) is not None:
        session[PENDING_PAGES] = pending


class SavedPageUploadMixin:
    """ArticleAdmin's two upload pages: the file, then what the page did not say."""

    def get_urls(self):
        upload = self.admin_site.admin_view(self.upload_view)
        complete = self.admin_site.admin_view(self.complete_upload_view)
        return [
            path("upload/", upload, name="articles_article_upload"),
            path("upload/<str:token>/", complete, name="articles_article_upload_complete"),
            *super().get_urls(),
        ]

    def upload_context(self, request, title: str, **context) -> dict:
        return {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": title,
            "has_view_permission": self.has_view_permission(request),
            **context,
        }

    def upload_view(self, request):
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = SavedPageUploadForm()
        if request.method == "POST":
            # Refused before Django reads the body into a file: a huge upload costs no disk.
            if int(request.META.get("CONTENT_LENGTH") or 0) > MAX_PAGE_BYTES + 64 * 1024:
                form.errors["page"] = form.error_class(
                    [f"The file is larger than {MAX_PAGE_BYTES // 1024 // 1024} MB, the limit."]
                )
            else:
                form = SavedPageUploadForm(request.POST, request.FILES)
            if form.is_bound and form.is_valid():
                page, outlet = form.cleaned_data["page"], form.cleaned_data["outlet"]
                given = {"outlet": outlet.name} if outlet else {}
                if any(name not in given for name in page.missing):
                    # Not an error: the editor completes what the page did not say.
                    token = stash_page(request.session, page, outlet)
                    return HttpResponseRedirect(
                        reverse("admin:articles_article_upload_complete", args=[token])
                    )
                try:
                    return self.store_page(request, page, page.report(**given))
                except ReportError as exc:
                    saved = f"{page.source_name}: nothing was saved."
                    form.add_error(None, f"{saved} {exc.as_sentence()}")
        return TemplateResponse(
            request,
            "admin/articles/article/upload.html",
            self.upload_context(request, "Upload a saved web page", form=form),
        )

    def complete_upload_view(self, request, token):
        if not self.has_add_permission(request):
            raise PermissionDenied
        found = stashed_page(request.session, token)
        if found is None:
            self.message_user(
                request,
                "That upload is no longer waiting to be completed (it was saved, or newer "
                "uploads replaced it): upload the page again.",
                messages.WARNING,
            )
            return HttpResponseRedirect(reverse("admin:articles_article_upload"))
        page, outlet = found
        if request.method == "POST":
            form = SavedPageCompletionForm(request.POST)
            if form.is_valid():
                try:
                    response = self.store_page(request, page, page.report(**form.report_fields()))
                except ReportError as exc:
                    form.add_error(None, f"Nothing was saved. {exc.as_sentence()}")
                else:
                    drop_page(request.session, token)
                    return response
        else:
            initial = SavedPageCompletionForm.initial_for(page, outlet)
            form = SavedPageCompletionForm(initial=initial)
        given = {"outlet"} if outlet else set()
        missing = [FIELD_WORDS[name] for name in page.missing if name not in given]
        return TemplateResponse(
            request,
            "admin/articles/article/upload_complete.html",
            self.upload_context(
                request,
                "Complete the saved web page",
                form=form,
                page=page,
                missing=missing,
                passages=page.text.split("\n\n"),
            ),
        )

    def store_page(self, request, page: SavedPage, report) -> HttpResponseRedirect:
        """Ingest the page through the door and go to its report; a ReportError if the
        door refuses it (nothing is stored then)."""
        result = ingest_report(**report.fields(), raw_html=page.html, user=request.user)
        article = result.article
        for warning in page.warnings:
            self.message_user(request, f"In {page.source_name}, {warning}.", messages.WARNING)
        if result.status == UNCHANGED:
            self.message_user(
                request,
                f"The page {page.source_name} is already stored as “{article.title}”: "
                "nothing changed.",
                messages.WARNING,
            )
        else:
            self.message_user(
                request,
                f"{result.status.capitalize()} “{article.title}” from {page.source_name}: "
                f"{len(result.claims)} claims.",
                messages.SUCCESS,
            )
        return HttpResponseRedirect(reverse("admin:articles_article_change", args=[article.pk]))
