"""Saved web pages as reports: reading them, the ingest command, the admin's upload.

The pages in tests/data/saved_pages/ are written as news sites serve them: the article
among menus, adverts, a newsletter box, comments and a footer; metadata in Open Graph
tags, JSON-LD and a canonical link, or missing.
"""

import doctest
import io
import json
from datetime import date
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from articles import saved_pages
from articles.models import Article, Outlet
from articles.reports import ReportError
from articles.saved_pages import MAX_PAGE_BYTES, decode_page, read_page
from tests.conftest import write_report

PAGES = Path(__file__).resolve().parent.parent / "data" / "saved_pages"
FULL = PAGES / "kuala-lumpur-talks.html"
NO_DATE = PAGES / "no-date-blog.html"
BROKEN = PAGES / "broken-encoding.html"
EMPTY = PAGES / "empty.html"
WINDOWS_1252 = PAGES / "windows-1252.html"

ARTICLE_PARAGRAPHS = [
    "KUALA LUMPUR – Negotiators from the United States and China ended two days of talks in "
    "Kuala Lumpur with what both sides called a framework for their leaders to approve.",
    "President Donald Trump and President Xi Jinping are expected to meet on Thursday in "
    "South Korea, where the framework would be put to them for approval.",
    "Analysts at the Hinrich Foundation cautioned that a framework was not yet a deal, and "
    "that the details on soybean purchases would matter most to American farmers.",
]
# What the page carries around the article, none of which is the report.
PAGE_FURNITURE = [
    "Subscribe for unlimited access",
    "Hang Seng",
    "Refinance your home loan",
    "Trade smarter with zero commissions",
    "Share on Facebook",
    "Rare earth curbs explained",
    "Get the Asia Markets Briefing",
    "Wake me up when tariffs actually come down",
    "Leave a Reply",
    "Chipmaker beats forecasts",
    "All rights reserved",
    "We use cookies",
]
CANONICAL = "https://www.harbourline.example/markets/2025/us-china-framework-kuala-lumpur-talks"


# Reading a page (no database)


def test_the_examples_in_the_docstrings_hold():
    assert doctest.testmod(saved_pages).failed == 0


def test_a_news_page_gives_its_article_text_without_the_site_around_it():
    page = read_page(FULL.read_bytes(), "kuala-lumpur-talks.html")
    paragraphs = page.text.strip().split("\n\n")
    for paragraph in ARTICLE_PARAGRAPHS:
        assert paragraph in paragraphs
    assert "Soybeans and rare earths" in paragraphs  # the subheading, a block of its own
    for furniture in PAGE_FURNITURE:
        assert furniture not in page.text, furniture
    # The headline is the title, not the first paragraph.
    assert not page.text.startswith("US and China agree")


def test_a_news_page_gives_its_metadata():
    page = read_page(FULL.read_bytes(), "kuala-lumpur-talks.html")
    assert page.title == "US and China agree on framework in Kuala Lumpur talks"
    assert page.outlet == "Harbourline Business"
    assert page.byline == "Mei Lin Tan"
    # The published time, not the later modified time the page also gives.
    assert page.published == date(2025, 10, 26)
    assert page.url == CANONICAL
    assert page.missing == ()


def test_a_page_without_a_date_or_site_name_says_so_and_no_date_is_guessed():
    page = read_page(NO_DATE.read_bytes(), "no-date-blog.html")
    assert page.title == "Why the soybean question will decide the truce"
    assert page.published is None  # not today, not a date read off the text
    assert page.missing == ("outlet", "published")
    assert "it now expires on November 10" in page.text
    assert "Powered by a static site generator" not in page.text
    with pytest.raises(ReportError, match="site name \\(outlet\\), publication date"):
        page.report()


def test_what_an_editor_gives_completes_the_report():
    page = read_page(NO_DATE.read_bytes(), "no-date-blog.html")
    report = page.report(outlet="Prairie Ledger", published=date(2025, 10, 20))
    assert report.title == page.title
    assert report.body == page.text
    assert report.source_name == "no-date-blog.html"


def test_the_declared_character_set_is_the_one_read():
    page = read_page(WINDOWS_1252.read_bytes(), "windows-1252.html")
    assert "on each other’s ships" in page.text
    assert "“This is good news for carriers,”" in page.text
    assert page.published == date(2025, 11, 3)


def test_a_page_with_bytes_its_character_set_cannot_read_is_refused_by_position():
    with pytest.raises(ReportError) as refused:
        read_page(BROKEN.read_bytes(), "broken-encoding.html")
    assert str(refused.value).startswith("the page declares utf-8, but byte 0xed at position")


@pytest.mark.parametrize(
    ("data", "problem"),
    [
        (b"", "the file is empty"),
        (b"   \n", "the file is empty"),
        (b"%PDF-1.7 binary stream", "not an HTML page"),
        (b"<html><body><nav><a href='/'>Home</a></nav></body></html>", "no main text found"),
        (b'<meta charset="klingon"><p>x</p>', "unknown character set 'klingon'"),
        (b"<p>" + b"a" * MAX_PAGE_BYTES + b"</p>", "the page is too large"),
    ],
)
def test_what_is_not_a_saved_article_is_refused_with_the_reason(data, problem):
    with pytest.raises(ReportError, match=problem):
        read_page(data)


def test_the_page_is_kept_exactly_as_decoded():
    data = FULL.read_bytes().replace(b"\n", b"\r\n")
    assert decode_page(data) == data.decode("utf-8")
    assert read_page(data).html == data.decode("utf-8")


# The ingest command


def ingest(*paths):
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("ingest", "--json", *map(str, paths), stdout=out, stderr=err)
        failed = False
    except CommandError as exc:
        failed = exc.returncode
    return json.loads(out.getvalue()), failed


@pytest.mark.django_db
def test_ingest_stores_a_saved_page_as_a_report_with_its_page():
    doc, failed = ingest(FULL)
    assert not failed
    [row] = doc["articles"]
    assert row["status"] == "created"
    article = Article.objects.get()
    assert article.title == "US and China agree on framework in Kuala Lumpur talks"
    assert article.outlet.name == "Harbourline Business"
    assert article.byline == "Mei Lin Tan"
    assert article.published == date(2025, 10, 26)
    assert not article.published_estimated
    assert article.url == CANONICAL
    assert article.source_name == "kuala-lumpur-talks.html"
    assert article.raw_html == FULL.read_text(encoding="utf-8")
    assert article.raw_body == read_page(FULL.read_bytes()).text
    for paragraph in ARTICLE_PARAGRAPHS:
        assert paragraph in article.body
    for furniture in PAGE_FURNITURE:
        assert furniture not in article.body, furniture


@pytest.mark.django_db
def test_a_saved_page_gives_the_same_claims_and_dates_as_a_text_report():
    ingest(FULL)
    article = Article.objects.get()
    thursday = article.claims.get(sentence__contains="meet on Thursday in South Korea")
    # Thursday after a report of Sunday 26 October 2025.
    [mention] = thursday.mentions.all()
    assert (mention.text, mention.date_start) == ("on Thursday", date(2025, 10, 30))
    truce = article.claims.get(sentence__contains="expires on November 10")
    assert date(2025, 11, 10) in {m.date_start for m in truce.mentions.all()}
    # A heading of its own, as in a pasted report.
    assert article.passages.filter(kind="heading", text="Soybeans and rare earths").exists()


@pytest.mark.django_db
def test_ingest_names_each_bad_page_and_its_problem_and_stores_the_good_one(tmp_path):
    text_report = write_report(tmp_path, "text.txt", title="A text report beside the pages")
    doc, failed = ingest(FULL, NO_DATE, BROKEN, EMPTY, text_report)
    rows = {Path(row["file"]).name: row for row in doc["articles"]}
    assert failed == 1  # as for any batch with a bad file
    assert rows["kuala-lumpur-talks.html"]["status"] == "created"
    assert rows["text.txt"]["status"] == "created"
    assert rows["no-date-blog.html"]["status"] == "failed"
    assert (
        "does not give its site name (outlet), publication date"
        in (rows["no-date-blog.html"]["error"])
    )
    assert "byte 0xed" in rows["broken-encoding.html"]["error"]
    assert rows["empty.html"]["error"] == "the file is empty"
    assert sorted(Article.objects.values_list("title", flat=True)) == [
        "A text report beside the pages",
        "US and China agree on framework in Kuala Lumpur talks",
    ]


@pytest.mark.django_db
def test_without_json_the_failures_are_named_on_stderr(tmp_path):
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("ingest", str(FULL), str(NO_DATE), stdout=io.StringIO(), stderr=err)
    assert f"{NO_DATE}: the page does not give its site name (outlet)" in err.getvalue()


@pytest.mark.django_db
def test_the_same_page_twice_is_one_report_and_keeps_its_page():
    ingest(FULL)
    doc, failed = ingest(FULL)
    assert not failed and doc["articles"][0]["status"] == "unchanged"
    article = Article.objects.get()
    assert article.raw_html == FULL.read_text(encoding="utf-8")
    # Its history keeps the page too: restoring a version restores its page.
    assert article.history.latest().raw_html == article.raw_html


@pytest.mark.django_db(transaction=True)
# On PostgreSQL the command forks its processes (see test_ingest_command.py).
@pytest.mark.filterwarnings("ignore:This process .* is multi-threaded:DeprecationWarning")
def test_pages_go_in_several_at_once_as_one_by_one(tmp_path):
    text_report = write_report(tmp_path, "text.txt", title="A text report beside the pages")
    out = io.StringIO()
    with pytest.raises(CommandError):
        call_command(
            "ingest",
            "--json",
            "--jobs=2",
            str(FULL),
            str(NO_DATE),
            str(text_report),
            stdout=out,
            stderr=io.StringIO(),
        )
    rows = json.loads(out.getvalue())["articles"]
    assert [row["status"] for row in rows] == ["created", "failed", "created"]
    page = Article.objects.get(url=CANONICAL)
    assert page.raw_html == FULL.read_text(encoding="utf-8")


def test_a_page_and_its_corrected_copy_are_one_chain_by_their_canonical_url(tmp_path):
    from timeline.management.commands.ingest import chains_by_url

    corrected = tmp_path / "corrected.html"
    corrected.write_bytes(
        FULL.read_bytes().replace(b"two days of talks", b"two days of tough talks")
    )
    assert chains_by_url([FULL, NO_DATE, corrected]) == [[0, 2], [1]]


# The admin: upload, then complete what the page lacks


def upload(client, path, **data):
    page = SimpleUploadedFile(path.name, path.read_bytes(), content_type="text/html")
    return client.post(reverse("admin:articles_article_upload"), {"page": page, **data})


def test_the_reports_list_offers_to_upload_a_saved_page(editor_client):
    html = editor_client.get(reverse("admin:articles_article_changelist")).content.decode()
    assert reverse("admin:articles_article_upload") in html
    assert "Upload a saved web page" in html


def test_an_editor_uploads_a_complete_page_and_lands_on_its_report(editor_client, editor):
    response = upload(editor_client, FULL)
    article = Article.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:articles_article_change", args=[article.pk])
    assert article.raw_html == FULL.read_text(encoding="utf-8")
    assert article.added_by == editor
    assert article.outlet.name == "Harbourline Business"
    page = editor_client.get(response["Location"])
    assert "Created “US and China agree on framework in Kuala Lumpur talks”" in (
        page.content.decode()
    )
    assert "on Thursday → Thu 30 Oct 2025" in page.content.decode()
    assert "Kept with the report, exactly as uploaded" in page.content.decode()


def test_the_outlet_chosen_on_upload_replaces_the_site_name(editor_client):
    wire = Outlet.objects.create(name="Harbourline Wire", slug="harbourline-wire")
    upload(editor_client, FULL, outlet=wire.pk)
    assert Article.objects.get().outlet == wire


def test_a_page_missing_its_date_brings_the_editor_to_a_form_to_complete_it(editor_client):
    response = upload(editor_client, NO_DATE)
    assert response.status_code == 302
    assert not Article.objects.exists()
    form = editor_client.get(response["Location"])
    html = form.content.decode()
    assert form.status_code == 200
    assert "no-date-blog.html does not give its site name (outlet), publication date" in html
    assert form.context["form"].initial["title"] == "Why the soybean question will decide the truce"
    assert "Farmers in Iowa and Illinois have sold almost no soybeans" in html  # the preview

    saved = editor_client.post(
        response["Location"],
        {
            "title": "Why the soybean question will decide the truce",
            "new_outlet": "Prairie Ledger",
            "published": "2025-10-20",
            "published_estimated": "on",
            "published_note": "from the newsletter's archive page",
        },
    )
    article = Article.objects.get()
    assert saved.status_code == 302
    assert saved["Location"] == reverse("admin:articles_article_change", args=[article.pk])
    assert article.outlet.name == "Prairie Ledger"
    assert (article.published, article.published_estimated) == (date(2025, 10, 20), True)
    assert article.published_note == "from the newsletter's archive page"
    assert article.raw_html == NO_DATE.read_text(encoding="utf-8")
    assert "it now expires on November 10" in article.body
    # Once saved, the upload no longer waits: the form sends the editor to upload again.
    again = editor_client.get(response["Location"])
    assert again["Location"] == reverse("admin:articles_article_upload")


def undated(html: str) -> str:
    """The page with every date it states taken out."""
    for dated in (
        '<meta property="article:published_time" content="2025-10-26T19:40:00+08:00">',
        '<meta property="article:modified_time" content="2025-10-27T08:05:00+08:00">',
        '"datePublished": "2025-10-26T19:40:00+08:00",',
        '"dateModified": "2025-10-27T08:05:00+08:00",',
        '<time datetime="2025-10-26T19:40:00+08:00">26 October 2025, 7:40 pm</time>',
    ):
        assert dated in html
        html = html.replace(dated, "")
    return html


def test_the_completion_form_offers_a_known_outlet_of_the_page_name(editor_client):
    outlet = Outlet.objects.create(name="harbourline business", slug="harbourline")
    page = undated(FULL.read_text(encoding="utf-8"))
    response = editor_client.post(
        reverse("admin:articles_article_upload"),
        {"page": SimpleUploadedFile("undated.html", page.encode(), content_type="text/html")},
    )
    form = editor_client.get(response["Location"]).context["form"]
    assert form.initial["outlet"] == outlet
    assert form.initial["new_outlet"] == ""
    assert form.initial["url"] == CANONICAL


def test_the_completion_form_says_what_is_still_wrong(editor_client):
    response = upload(editor_client, NO_DATE)
    form = editor_client.post(response["Location"], {"title": "x", "published": "2099-01-01"})
    assert form.status_code == 200
    html = form.content.decode()
    assert "Choose the outlet, or name a new one below." in html
    assert not Article.objects.exists()
    refused = editor_client.post(
        response["Location"],
        {"title": "x", "new_outlet": "Prairie Ledger", "published": "2099-01-01"},
    )
    assert "Nothing was saved. Publication date 2099-01-01 is in the future" in (
        refused.content.decode()
    )
    assert not Article.objects.exists()


@pytest.mark.parametrize(
    ("path", "problem"),
    [
        (BROKEN, "broken-encoding.html: The page declares utf-8, but byte 0xed"),
        (EMPTY, "The submitted file is empty."),  # Django's own word for an empty upload
    ],
)
def test_an_unreadable_page_is_refused_on_the_upload_form(editor_client, path, problem):
    response = upload(editor_client, path)
    assert response.status_code == 200
    assert problem in response.content.decode()
    assert not Article.objects.exists()


def test_a_page_over_the_size_limit_is_refused_with_the_limit(editor_client):
    big = b"<html><body><p>" + b"tariff " * (MAX_PAGE_BYTES // 7 + 10) + b"</p></body></html>"
    response = editor_client.post(
        reverse("admin:articles_article_upload"),
        {"page": SimpleUploadedFile("live-blog.html", big, content_type="text/html")},
    )
    assert response.status_code == 200
    assert "the limit" in response.content.decode()
    assert not Article.objects.exists()


def test_a_far_larger_upload_is_refused_before_it_is_read(editor_client):
    huge = b"<html><body><p>" + b"x" * (2 * MAX_PAGE_BYTES) + b"</p></body></html>"
    response = editor_client.post(
        reverse("admin:articles_article_upload"),
        {"page": SimpleUploadedFile("huge.html", huge, content_type="text/html")},
    )
    assert response.status_code == 200
    assert "The file is larger than 5 MB, the limit." in response.content.decode()
    assert not Article.objects.exists()


def test_the_same_page_twice_goes_to_the_report_stored_already(editor_client):
    upload(editor_client, FULL)
    response = upload(editor_client, FULL)
    assert response.status_code == 302
    page = editor_client.get(response["Location"]).content.decode()
    assert "The page kuala-lumpur-talks.html is already stored as “US and China agree" in page
    assert Article.objects.count() == 1


def test_a_page_with_the_text_of_another_report_is_refused_as_a_duplicate(editor_client):
    upload(editor_client, FULL)
    copy = FULL.read_text(encoding="utf-8").replace(CANONICAL, "https://mirror.example/copy")
    response = editor_client.post(
        reverse("admin:articles_article_upload"),
        {"page": SimpleUploadedFile("copy.html", copy.encode(), content_type="text/html")},
    )
    assert response.status_code == 200
    assert "copy.html: nothing was saved. Duplicate report: same text as" in (
        response.content.decode()
    )
    assert Article.objects.count() == 1


def test_only_staff_who_may_add_reports_can_upload(client, django_user_model):
    reader = django_user_model.objects.create_user("rita", password="pw", is_staff=True)
    client.force_login(reader)
    assert client.get(reverse("admin:articles_article_upload")).status_code == 403
    assert upload(client, FULL).status_code == 403
    assert not Article.objects.exists()
    client.logout()
    anonymous = client.get(reverse("admin:articles_article_upload"))
    assert anonymous.status_code == 302 and "/login/" in anonymous["Location"]
