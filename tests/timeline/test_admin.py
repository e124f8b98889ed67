"""The editors' workspace for the timeline, through the admin as editors use it."""

from datetime import date

import pytest
from django.contrib import admin
from django.urls import reverse

from articles.models import Article, Claim, Topic
from timeline.linking import decide, unlinked_claims
from timeline.models import Event, Evidence

from .factories import add_report, make_event
from .pages import parse


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """The cast's passwords are never checked (they log in with force_login): hash cheaply."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def superuser_client(client, django_user_model, db):
    """Ada runs the site: a superuser."""
    ada = django_user_model.objects.create_superuser("ada", "ada@example.com", "not-a-password")
    client.force_login(ada)
    return client


REPORT = (
    "Officials held talks on Sunday in Kuala Lumpur.\n\n"
    "Stock markets rallied on Sunday.\n\n"
    "Trump and Xi will hold a summit in Busan on Thursday.\n\n"
    "The truce expiring on November 10 could be extended."
)


@pytest.fixture
def workspace(db):
    """Three events and one report: one link accepted, two suggested, one dated claim left over."""
    talks = make_event(
        "kl-talks",
        date(2025, 10, 25),
        end=date(2025, 10, 26),
        title="Talks in Kuala Lumpur",
        keywords=["Kuala Lumpur", "talks"],
        topics=["diplomacy"],
    )
    make_event("busan-summit", date(2025, 10, 30), keywords=["Busan", "summit", "Trump and Xi"])
    make_event("truce-expiry", date(2025, 11, 10), keywords=["truce", "expir"])
    article = add_report(
        REPORT, published=date(2025, 10, 27), title="Talks and a summit", outlet="Harbour Wire"
    ).article
    decide(list(talks.evidence.all()), Evidence.State.ACCEPTED)
    return article


@pytest.fixture
def suggestions(workspace):
    """The report's suggested evidence, by event slug."""
    rows = Evidence.objects.suggested().filter(claim__article=workspace)
    by_event = {ev.event.slug: ev for ev in rows.select_related("event", "claim")}
    assert sorted(by_event) == ["busan-summit", "truce-expiry"]
    return by_event


def admin_pages():
    """Every changelist, and a change page of each model editors work with."""
    article = Article.objects.get()
    candidate = unlinked_claims().get()
    return [
        *(
            reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
            for model in admin.site._registry
            if model._meta.app_label in ("articles", "timeline")
        ),
        reverse("admin:articles_article_change", args=[article.pk]),
        reverse("admin:articles_claim_change", args=[article.claims.first().pk]),
        reverse("admin:articles_outlet_change", args=[article.outlet.pk]),
        reverse("admin:articles_topic_change", args=[Topic.objects.first().pk]),
        reverse("admin:timeline_event_change", args=[Event.objects.get(slug="kl-talks").pk]),
        reverse("admin:timeline_evidence_change", args=[Evidence.objects.shown().get().pk]),
        reverse("admin:timeline_eventcandidate_change", args=[candidate.pk]),
        reverse("admin:articles_article_add"),
        reverse("admin:timeline_event_add"),
    ]


def test_a_superuser_can_open_every_admin_page(workspace, superuser_client):
    pages = admin_pages()
    for model in ("article", "claim", "event", "evidence", "eventcandidate"):
        assert any(f"/{model}/" in url for url in pages), model
    for url in pages:
        assert superuser_client.get(url).status_code == 200, url


def test_an_editor_can_open_every_admin_page(workspace, editor_client):
    for url in admin_pages():
        assert editor_client.get(url).status_code == 200, url


def test_the_candidates_list_shows_dated_claims_no_event_takes(workspace, editor_client):
    response = editor_client.get(reverse("admin:timeline_eventcandidate_changelist"))
    doc = parse(response)
    assert "Stock markets rallied on Sunday." in doc.words()
    assert "Officials held talks on Sunday in Kuala Lumpur." not in doc.words()
    assert "on Sunday → Sun 26 Oct 2025" in doc.words()


def test_editors_cannot_delete_events(workspace, editor_client):
    event = Event.objects.get(slug="kl-talks")
    delete = reverse("admin:timeline_event_delete", args=[event.pk])
    assert editor_client.get(delete).status_code == 403
    assert editor_client.post(delete, {"post": "yes"}).status_code == 403
    assert Event.objects.filter(pk=event.pk).exists()
    change = editor_client.get(reverse("admin:timeline_event_change", args=[event.pk]))
    assert change.status_code == 200
    assert delete not in change.content.decode()


def test_a_superuser_may_delete_an_event(workspace, superuser_client):
    event = Event.objects.get(slug="truce-expiry")
    delete = reverse("admin:timeline_event_delete", args=[event.pk])
    assert superuser_client.get(delete).status_code == 200
    assert superuser_client.post(delete, {"post": "yes"}).status_code == 302
    assert not Event.objects.filter(pk=event.pk).exists()


def form_data(response) -> dict:
    """The POST data of an admin change form as rendered, inlines included."""
    data = {}

    def add(form):
        for name in form.fields:
            value = form[name].value()
            key = form.add_prefix(name)
            if value is None or value is False:
                continue
            if value is True:
                data[key] = "on"
            elif isinstance(value, list | tuple):
                data[key] = [str(v) for v in value]
            else:
                data[key] = str(value)

    add(response.context["adminform"].form)
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        add(formset.management_form)
        for form in formset.forms:
            add(form)
    return data


def test_editors_can_change_an_event_and_its_evidence(workspace, editor_client):
    event = Event.objects.get(slug="kl-talks")
    url = reverse("admin:timeline_event_change", args=[event.pk])
    data = form_data(editor_client.get(url))
    assert data["evidence-TOTAL_FORMS"] == "1"
    assert data["evidence-0-id"] == str(event.evidence.get().pk)
    data["title"] = "Two days of talks in Kuala Lumpur"
    data["evidence-0-note"] = "Sunday was the second day."

    response = editor_client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    event.refresh_from_db()
    assert event.title == "Two days of talks in Kuala Lumpur"
    ev = event.evidence.get()
    assert (ev.note, ev.state) == ("Sunday was the second day.", Evidence.State.ACCEPTED)


def test_the_event_change_page_has_the_evidence_inline(workspace, editor_client):
    event = Event.objects.get(slug="kl-talks")
    response = editor_client.get(reverse("admin:timeline_event_change", args=[event.pk]))
    inlines = {i.formset.prefix: i for i in response.context["inline_admin_formsets"]}
    assert sorted(inlines) == ["changes", "evidence"]
    inline = inlines["evidence"]
    assert [form.instance.pk for form in inline.formset.forms if form.instance.pk] == list(
        event.evidence.values_list("pk", flat=True)
    )
    doc = parse(response)
    assert doc.find("input", name="evidence-TOTAL_FORMS") is not None
    assert "“Officials held talks on Sunday in Kuala Lumpur.”" in doc.words()
    assert "Harbour Wire" in doc.words()


def test_the_bulk_actions_accept_and_reject_suggestions(suggestions, editor_client):
    busan, expiry = suggestions["busan-summit"], suggestions["truce-expiry"]
    assert not busan.claim.reviewed and not expiry.claim.reviewed
    changelist = reverse("admin:timeline_evidence_changelist")

    response = editor_client.post(
        changelist, {"action": "accept", "_selected_action": [busan.pk]}, follow=True
    )
    assert "1 accepted." in response.content.decode()
    response = editor_client.post(
        changelist, {"action": "reject", "_selected_action": [expiry.pk]}, follow=True
    )
    assert "1 rejected." in response.content.decode()

    states = dict(Evidence.objects.filter(pk__in=[busan.pk, expiry.pk]).values_list("pk", "state"))
    assert states == {busan.pk: "accepted", expiry.pk: "rejected"}
    assert Claim.objects.get(pk=busan.claim_id).reviewed
    assert Claim.objects.get(pk=expiry.claim_id).reviewed


def test_the_report_page_lists_suggested_events_with_accept_and_reject(suggestions, editor_client):
    article = Article.objects.get()
    doc = parse(editor_client.get(reverse("admin:articles_article_change", args=[article.pk])))
    buttons = {
        b.attrs["value"]: b for b in doc.find_all("button") if b.attrs.get("name") == "decision"
    }
    decide_url = reverse("admin:timeline_evidence_decide")
    for ev in suggestions.values():
        assert buttons[f"{ev.pk}:accepted"].words() == "Accept"
        assert buttons[f"{ev.pk}:rejected"].words() == "Reject"
        assert buttons[f"{ev.pk}:accepted"].attrs["formaction"].startswith(decide_url)
    assert "Busan summit" in doc.words()
    assert "Truce expiry" in doc.words()


def test_an_editor_accepts_a_suggestion_from_the_report_page(suggestions, editor_client):
    busan = suggestions["busan-summit"]
    back = reverse("admin:articles_article_change", args=[busan.claim.article_id])
    response = editor_client.post(
        reverse("admin:timeline_evidence_decide"),
        {"decision": f"{busan.pk}:accepted", "next": back},
    )
    assert response.status_code == 302
    assert response.url == back
    busan.refresh_from_db()
    assert busan.state == Evidence.State.ACCEPTED
    assert Claim.objects.get(pk=busan.claim_id).reviewed
    # Accepted, the event is on the timeline with its source.
    assert "Trump and Xi will hold a summit in Busan on Thursday." in (
        editor_client.get("/events/busan-summit/").content.decode()
    )


def test_the_decide_button_rejects_too_and_never_redirects_off_site(suggestions, editor_client):
    expiry = suggestions["truce-expiry"]
    response = editor_client.post(
        reverse("admin:timeline_evidence_decide"),
        {"decision": f"{expiry.pk}:rejected", "next": "https://evil.example/"},
    )
    assert response.status_code == 302
    assert response.url == reverse("admin:timeline_evidence_changelist")
    expiry.refresh_from_db()
    assert expiry.state == Evidence.State.REJECTED


def test_the_decide_button_takes_only_accept_or_reject_by_post(suggestions, editor_client):
    busan = suggestions["busan-summit"]
    decide_url = reverse("admin:timeline_evidence_decide")
    assert editor_client.post(decide_url, {"decision": f"{busan.pk}:suggested"}).status_code == 403
    assert editor_client.get(decide_url).status_code == 405
    busan.refresh_from_db()
    assert busan.state == Evidence.State.SUGGESTED


def test_staff_outside_the_editors_cannot_decide(suggestions, client, django_user_model):
    busan = suggestions["busan-summit"]
    staff = django_user_model.objects.create_user("sam", password="not-a-password", is_staff=True)
    client.force_login(staff)
    response = client.post(
        reverse("admin:timeline_evidence_decide"), {"decision": f"{busan.pk}:accepted"}
    )
    assert response.status_code == 403
    busan.refresh_from_db()
    assert busan.state == Evidence.State.SUGGESTED


def test_editors_cannot_delete_accepted_evidence_but_may_reject_it(seeded, editor_client):
    ev = Evidence.objects.filter(state=Evidence.State.ACCEPTED).first()
    delete = reverse("admin:timeline_evidence_delete", args=[ev.pk])
    assert editor_client.post(delete, {"post": "yes"}).status_code == 403
    assert Evidence.objects.filter(pk=ev.pk).exists()
    response = editor_client.post(
        reverse("admin:timeline_evidence_decide"), {"decision": f"{ev.pk}:rejected"}
    )
    assert response.status_code == 302
    ev.refresh_from_db()
    assert ev.state == Evidence.State.REJECTED


def test_editors_cannot_delete_claims_or_reports(seeded, editor_client):
    claim = Claim.objects.first()
    for url in (
        reverse("admin:articles_claim_delete", args=[claim.pk]),
        reverse("admin:articles_article_delete", args=[claim.article_id]),
    ):
        assert editor_client.post(url, {"post": "yes"}).status_code == 403, url
    assert Claim.objects.filter(pk=claim.pk).exists()
    assert Article.objects.filter(pk=claim.article_id).exists()


def test_anonymous_visitors_only_read(seeded, client):
    ev = Evidence.objects.first()
    response = client.post(
        reverse("admin:timeline_evidence_decide"), {"decision": f"{ev.pk}:rejected"}
    )
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
    for url in ("/", "/articles/", "/coverage/"):
        assert client.post(url).status_code == 405, url


def test_event_keywords_are_edited_as_words_not_json(seeded, editor_client):
    event = Event.objects.get(slug="trump-xi-busan-meeting")
    page = editor_client.get(reverse("admin:timeline_event_change", args=[event.pk]))
    keywords = parse(page).find("textarea", name="keywords")
    assert keywords.words() == ", ".join(event.keywords)
    assert "[" not in keywords.words()
    # Dates are shown in the format their help text names.
    assert parse(page).find("input", name="start").attrs["value"] == "2025-10-30"


def test_keywords_typed_as_words_are_stored_as_a_list(seeded, admin_client):
    response = admin_client.post(
        reverse("admin:articles_topic_add"),
        {"name": "Soybeans", "slug": "soybeans", "keywords": "soybean, soy\nGrain purchases,"},
    )
    assert response.status_code == 302
    assert Topic.objects.get(slug="soybeans").keywords == ["soybean", "soy", "Grain purchases"]
