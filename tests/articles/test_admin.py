"""The editors' report workflow through the admin: paste, save, review, correct."""

import pytest
from django.urls import reverse

from articles.models import Article, Claim, Outlet

TEXT = """Talks in Kuala Lumpur

Officials from both countries held talks on Sunday in Kuala Lumpur.
Also read: Ten things to know about rare earths

The leaders are expected to meet Thursday in Busan, officials said.
Leave a Reply
Your email address will not be published. Required fields are marked *
"""


@pytest.fixture
def outlet(db):
    return Outlet.objects.create(name="Test Wire", slug="test-wire")


def add_form(outlet, **overrides):
    return {
        "outlet": outlet.pk,
        "title": "Talks resume in Kuala Lumpur",
        "url": "https://example.com/talks",
        "byline": "",
        "published": "2025-10-27",
        "published_note": "",
        "raw_body": TEXT,
    } | overrides


def test_an_editor_adds_a_report_by_pasting_its_text(editor_client, outlet):
    response = editor_client.post(reverse("admin:articles_article_add"), add_form(outlet))
    assert response.status_code == 302, response.content.decode()[:2000]
    article = Article.objects.get()
    assert article.raw_body == TEXT
    assert "Also read" not in article.body and "Leave a Reply" not in article.body
    assert article.added_by.username == "erin"
    sunday = article.claims.get(sentence__contains="on Sunday")
    assert sunday.mentions.get().date_start.isoformat() == "2025-10-26"


def test_the_change_page_shows_passages_claims_dates_and_removed_boilerplate(editor_client, outlet):
    editor_client.post(reverse("admin:articles_article_add"), add_form(outlet))
    article = Article.objects.get()
    page = editor_client.get(reverse("admin:articles_article_change", args=[article.pk]))
    html = page.content.decode()
    assert page.status_code == 200
    assert "Talks in Kuala Lumpur" in html  # the heading passage
    assert "Officials from both countries held talks on Sunday in Kuala Lumpur." in html
    assert "on Sunday → Sun 26 Oct 2025" in html
    assert "Also read: Ten things to know about rare earths" in html
    assert "comment-form" in html and "also-read" in html


def test_a_report_of_only_boilerplate_is_refused_with_a_message(editor_client, outlet):
    response = editor_client.post(
        reverse("admin:articles_article_add"),
        add_form(outlet, raw_body="Leave a Reply\nYour email address will not be published."),
    )
    assert response.status_code == 200
    assert "Nothing is left of this text once boilerplate is removed." in response.content.decode()
    assert not Article.objects.exists()


def test_pasting_a_report_that_is_already_stored_is_refused(editor_client, outlet):
    editor_client.post(reverse("admin:articles_article_add"), add_form(outlet))
    response = editor_client.post(
        reverse("admin:articles_article_add"),
        add_form(outlet, url="https://example.com/another-address"),
    )
    assert "This text is already stored as “Talks resume in Kuala Lumpur”." in (
        response.content.decode()
    )
    assert Article.objects.count() == 1


def test_editing_the_text_reruns_the_pipeline_and_keeps_editor_claims(editor_client, outlet):
    editor_client.post(reverse("admin:articles_article_add"), add_form(outlet))
    article = Article.objects.get()
    response = editor_client.post(
        reverse("admin:articles_claim_add"),
        {
            "article": article.pk,
            "sentence": "The leaders are expected to meet",
            "kind": "dated",
            "attribution": "",
        },
    )
    assert response.status_code == 302
    corrected = "Correction: the talks ran for two days.\n\n" + TEXT
    response = editor_client.post(
        reverse("admin:articles_article_change", args=[article.pk]),
        add_form(outlet, raw_body=corrected),
    )
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.version == 2
    assert article.body.startswith("Correction: the talks ran for two days.")
    mine = Claim.objects.get(origin=Claim.Origin.EDITOR)
    assert mine.anchor_state == Claim.AnchorState.RELOCATED
    assert article.body[mine.start : mine.end] == "The leaders are expected to meet"


def test_an_editor_claim_must_quote_the_report(editor_client, outlet):
    editor_client.post(reverse("admin:articles_article_add"), add_form(outlet))
    article = Article.objects.get()
    response = editor_client.post(
        reverse("admin:articles_claim_add"),
        {
            "article": article.pk,
            "sentence": "Words the report never used",
            "kind": "dated",
            "attribution": "",
        },
    )
    assert "This is not in the report&#x27;s text; copy it exactly." in response.content.decode()
    assert not Claim.objects.filter(origin=Claim.Origin.EDITOR).exists()


def change(client, article, outlet, **overrides):
    return client.post(
        reverse("admin:articles_article_change", args=[article.pk]),
        add_form(outlet, base_version=article.version) | overrides,
    )


@pytest.mark.parametrize(
    "field, value, stored",
    [
        ("title", "Talks resume: a new headline", "Talks resume: a new headline"),
        ("published", "2025-10-28", "2025-10-28"),
        ("url", "https://example.com/talks-corrected", "https://example.com/talks-corrected"),
        ("byline", "Jane Doe", "Jane Doe"),
    ],
)
def test_a_header_only_edit_is_saved(editor_client, outlet, field, value, stored):
    editor_client.post(reverse("admin:articles_article_add"), add_form(outlet))
    article = Article.objects.get()
    response = change(editor_client, article, outlet, **{field: value})
    assert response.status_code == 302, response.content.decode()[:3000]
    article.refresh_from_db()
    assert str(getattr(article, field)) == stored
    assert article.version == 2


def test_moving_a_report_to_another_outlet_is_saved(editor_client, outlet):
    editor_client.post(reverse("admin:articles_article_add"), add_form(outlet))
    article = Article.objects.get()
    other = Outlet.objects.create(name="Other Daily", slug="other-daily")
    response = editor_client.post(
        reverse("admin:articles_article_change", args=[article.pk]),
        add_form(other, base_version=article.version),
    )
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.outlet == other


def test_a_new_publication_date_moves_the_resolved_dates(editor_client, outlet):
    editor_client.post(reverse("admin:articles_article_add"), add_form(outlet))
    article = Article.objects.get()
    change(editor_client, article, outlet, published="2025-11-03")
    sunday = article.claims.get(sentence__contains="on Sunday")
    assert sunday.mentions.get().date_start.isoformat() == "2025-11-02"


def test_a_stale_form_is_refused_and_shows_both_versions(client, editor, outlet):
    client.force_login(editor)
    client.post(reverse("admin:articles_article_add"), add_form(outlet))
    article = Article.objects.get()
    opened_at = article.version
    # Another editor saves a new title first.
    first = client.post(
        reverse("admin:articles_article_change", args=[article.pk]),
        add_form(outlet, title="Their title", base_version=opened_at),
    )
    assert first.status_code == 302
    # This editor, still on the form opened before, saves another title.
    second = client.post(
        reverse("admin:articles_article_change", args=[article.pk]),
        add_form(outlet, title="My title", base_version=opened_at),
    )
    html = second.content.decode()
    assert second.status_code == 200
    assert "Someone else saved this report" in html
    assert "Their title" in html and "My title" in html
    article.refresh_from_db()
    assert article.title == "Their title"
    # Having read the conflict, saving again replaces their version knowingly.
    assert 'name="base_version" value="2"' in html
    third = client.post(
        reverse("admin:articles_article_change", args=[article.pk]),
        add_form(outlet, title="My title", base_version=2),
    )
    assert third.status_code == 302
    article.refresh_from_db()
    assert article.title == "My title" and article.version == 3


def test_a_stale_text_edit_shows_what_changed_in_the_text(editor_client, outlet):
    editor_client.post(reverse("admin:articles_article_add"), add_form(outlet))
    article = Article.objects.get()
    change(editor_client, article, outlet, raw_body="Their added line.\n\n" + TEXT)
    stale = editor_client.post(
        reverse("admin:articles_article_change", args=[article.pk]),
        add_form(outlet, raw_body="My added line.\n\n" + TEXT, base_version=1),
    )
    html = stale.content.decode()
    assert "+My added line." in html and "-Their added line." in html
    article.refresh_from_db()
    assert "Their added line." in article.body


@pytest.mark.parametrize(
    "overrides, message",
    [
        ({"title": "\u200b \u2060"}, "The title has no visible characters."),
        ({"published": "2031-01-01"}, "Publication date 2031-01-01 is in the future"),
        ({"published": "1900-01-01"}, "Publication date 1900-01-01 is before 1990-01-01"),
        ({"raw_body": "Talks\x00 on Sunday."}, "Null characters are not allowed."),
    ],
)
def test_a_report_the_door_would_refuse_is_refused_in_the_form(
    editor_client, outlet, overrides, message
):
    response = editor_client.post(
        reverse("admin:articles_article_add"), add_form(outlet, **overrides)
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Article.objects.exists()


def test_a_header_edit_from_a_browser_keeps_the_text_byte_for_byte(editor_client, outlet):
    # Browsers send a text area with CRLF line ends; that is not a change to the report.
    editor_client.post(reverse("admin:articles_article_add"), add_form(outlet))
    article = Article.objects.get()
    stored, claims = article.raw_body, list(article.claims.values_list("pk", "start"))
    response = change(
        editor_client, article, outlet, title="New title", raw_body=TEXT.replace("\n", "\r\n")
    )
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.raw_body == stored
    assert list(article.claims.values_list("pk", "start")) == claims
    assert article.history.latest().raw_body == stored


def test_text_pasted_in_a_browser_is_kept_with_plain_line_ends(editor_client, outlet):
    editor_client.post(
        reverse("admin:articles_article_add"),
        add_form(outlet, raw_body=TEXT.replace("\n", "\r\n")),
    )
    assert Article.objects.get().raw_body == TEXT
