"""Every change to reports, claims, events and evidence is kept, with who and when, and an
editor can see it and put an earlier version back."""

import pytest
from django.urls import reverse

from articles.models import Article, Claim
from timeline.models import Event, Evidence

from .test_views import page


@pytest.fixture
def report(seeded):
    return Article.objects.get(title="US China Trade Deal")


def form_of(article, **overrides):
    return {
        "outlet": article.outlet_id,
        "title": article.title,
        "url": article.url or "",
        "byline": article.byline,
        "published": article.published.isoformat(),
        "published_estimated": "on" if article.published_estimated else "",
        "published_note": article.published_note,
        "raw_body": article.raw_body,
        "base_version": article.version,
    } | overrides


def test_a_correction_keeps_the_earlier_text_with_who_made_it(report, editor_client):
    before = report.raw_body
    url = reverse("admin:articles_article_change", args=[report.pk])
    response = editor_client.post(
        url, form_of(report, raw_body="Correction: dates fixed.\n\n" + before)
    )
    assert response.status_code == 302
    versions = list(report.history.order_by("history_date"))
    assert versions[-2].raw_body == before
    assert versions[-1].raw_body.startswith("Correction: dates fixed.")
    assert versions[-1].history_user.username == "erin"


def test_the_history_page_lists_the_changes(report, editor_client):
    editor_client.post(
        reverse("admin:articles_article_change", args=[report.pk]),
        form_of(report, title="US–China trade deal (corrected)"),
    )
    history = editor_client.get(reverse("admin:articles_article_history", args=[report.pk]))
    assert history.status_code == 200
    html = history.content.decode()
    assert "erin" in html and "Changed" in html


def test_an_editor_reverts_a_report_to_an_earlier_version(report, editor_client):
    original = report.title
    change = reverse("admin:articles_article_change", args=[report.pk])
    editor_client.post(change, form_of(report, title="A wrong title"))
    report.refresh_from_db()
    first = report.history.order_by("history_date").first()
    revert = reverse("admin:articles_article_simple_history", args=[report.pk, first.pk])
    form = editor_client.get(revert)
    assert form.status_code == 200
    assert original in form.content.decode()
    response = editor_client.post(revert, form_of(report, title=original, base_version=2))
    assert response.status_code == 302, response.content.decode()[:2000]
    report.refresh_from_db()
    assert (report.title, report.version) == (original, 3)


def test_accepting_and_rejecting_evidence_is_recorded_with_who(seeded, editor_client):
    ev = Evidence.objects.filter(state=Evidence.State.ACCEPTED).first()
    response = editor_client.post(
        reverse("admin:timeline_evidence_decide"), {"decision": f"{ev.pk}:rejected"}
    )
    assert response.status_code == 302
    last = ev.history.order_by("history_date").last()
    assert (last.state, last.history_user.username) == ("rejected", "erin")
    assert Claim.objects.get(pk=ev.claim_id).reviewed


def test_an_event_edit_is_kept_and_the_page_says_when_it_was_corrected(
    seeded, editor_client, client, pinned_today
):
    event = Event.objects.get(slug="trump-xi-busan-meeting")
    seeded_title = event.title
    event.title = "Trump and Xi meet at Gimhae Air Base"
    event.save()
    titles = [h.title for h in event.history.order_by("history_date")]
    assert titles[-2:] == [seeded_title, "Trump and Xi meet at Gimhae Air Base"]
    doc = page(client, event.get_absolute_url())
    corrected = doc.find("p", cls="corrected")
    event.refresh_from_db()
    assert corrected.words() == f"Last corrected {event.updated:%-d %b %Y, %H:%M} UTC"


@pytest.mark.parametrize("model", [Article, Claim, Event, Evidence])
def test_the_history_manager_is_built_once_per_model_and_still_reads_one_rows_versions(
    model, report
):
    # The door reads Model.history for every write with history: building its manager class
    # on each read (simple_history's own descriptor) cost some 2 ms a report.
    assert type(model.history) is type(model.history)
    row = model.objects.order_by("pk").first()
    versions = row.history.all()
    assert versions.exists()
    assert {v.id for v in versions} == {row.pk}
    assert model.history.count() >= versions.count()
