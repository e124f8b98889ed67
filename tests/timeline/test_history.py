"""Every change to reports, claims, events and evidence is kept, with who and when, and an
editor can see it and put an earlier version back."""

from datetime import date

import pytest
from django.test import RequestFactory
from django.urls import reverse

from articles.models import Article, Claim
from articles.services import ingest_report
from timeline.models import Event, Evidence, TariffPoint

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


def tracked(version) -> dict:
    """A version's copy of the row, and who made it, how and why: all but its own id and time."""
    values = {
        f.attname: getattr(version, f.attname)
        for f in version.instance_type.history.model.tracked_fields
    }
    return values | {
        "history_type": version.history_type,
        "history_user_id": version.history_user_id,
        "history_change_reason": version.history_change_reason,
    }


@pytest.mark.parametrize("model", [Claim, Evidence, TariffPoint])
def test_the_door_writes_the_first_versions_simple_history_would(model, seeded, editor):
    # The door's bulk writes copy each new row's first version in the database
    # (tradewatch.history.bulk_create_with_history). Written again by simple_history's own
    # bulk_history_create from the same objects, each version must be the same, field for field.
    from simple_history.models import HistoricalRecords

    request = RequestFactory().get("/")
    request.user = editor  # an editor signed in, as in the admin's upload
    HistoricalRecords.context.request = request
    try:
        result = ingest_report(
            title="Harbour duties rise",
            outlet="Test Wire",
            published=date(2025, 10, 20),
            body=(
                "Washington raised the additional tariff on Chinese goods to 30% on Oct. 14, "
                "officials said on Monday. The Geneva truce talks resumed in Kuala Lumpur on "
                "Oct. 25, the Treasury said."
            ),
        )
        rows = list(model.objects.filter(**{LINK_TO_ARTICLE[model]: result.article}))
        assert rows, "the report made none of these rows"
        ours = {v.id: tracked(v) for v in model.history.filter(id__in=[r.pk for r in rows])}
        # As simple_history's bulk_create_with_history calls it: no default change reason.
        model.history.bulk_history_create(rows, default_change_reason=None)
    finally:
        del HistoricalRecords.context.request
    theirs = {
        v.id: tracked(v)
        for v in model.history.filter(id__in=[r.pk for r in rows]).order_by("history_id")
    }
    assert len(ours) == len(rows)
    for pk, version in ours.items():
        assert version == theirs[pk], pk
    assert {v["history_user_id"] for v in ours.values()} == {editor.pk}
    assert {v["history_type"] for v in ours.values()} == {"+"}


LINK_TO_ARTICLE = {Claim: "article", Evidence: "claim__article", TariffPoint: "claim__article"}


def test_a_change_reason_set_on_a_new_row_is_kept_in_its_first_version(seeded):
    from tradewatch.history import bulk_create_with_history

    article = Article.objects.get(title="US China Trade Deal")
    sentence = article.body[:40]
    claim = Claim(article=article, sentence=sentence, start=0, end=len(sentence), kind="dated")
    claim._change_reason = "added by hand"
    [stored] = bulk_create_with_history([claim], Claim)
    version = stored.history.get()
    assert version.history_change_reason == "added by hand"
    assert version.sentence == sentence and version.history_user is None


def test_a_row_s_own_user_and_the_request_s_are_each_kept_in_one_batch(
    seeded, editor, django_user_model
):
    # The door asks simple_history for the request's user once a batch, not once a row
    # (tradewatch.history.bulk_create_with_history); a row with a user of its own keeps it.
    from simple_history.models import HistoricalRecords

    from tradewatch.history import DEFAULT_GET_USER, RECORDS, bulk_create_with_history

    assert RECORDS[Claim].get_user is DEFAULT_GET_USER  # the once-a-batch way is the one run
    other = django_user_model.objects.create_user("olga", password="not-a-real-password")
    article = Article.objects.get(title="US China Trade Deal")
    claims = [
        Claim(article=article, sentence=article.body[n : n + 20], start=n, end=n + 20)
        for n in range(4)
    ]
    claims[1]._history_user = other
    claims[3]._history_user = None
    request = RequestFactory().get("/")
    request.user = editor
    HistoricalRecords.context.request = request
    try:
        bulk_create_with_history(claims, Claim)
        ours = [tracked(claim.history.get()) for claim in claims]
        Claim.history.bulk_history_create(claims, default_change_reason=None)
    finally:
        del HistoricalRecords.context.request
    theirs = [tracked(claim.history.order_by("history_id").last()) for claim in claims]
    assert ours == theirs
    assert [v["history_user_id"] for v in ours] == [editor.pk, other.pk, editor.pk, None]
