"""An editor brings in saved web pages through the admin, in headless Chromium.

Run alone with ``pytest -m browser tests/articles/test_saved_pages_browser.py``. The browser
and its pages are the suite's fixtures (tests/browser.py: Debian's Chromium).
"""

import re

import pytest

from tests.articles.test_saved_pages import FULL, NO_DATE
from tests.browser import sign_in

pytestmark = pytest.mark.browser


@pytest.fixture
def signed_in(transactional_db, live_server, browser, django_user_model):
    """An editor who may add and change reports (staff, not a superuser), signed in."""
    from django.contrib.auth.models import Permission

    editor = django_user_model.objects.create_user("uma", password="pw-uploads-123")
    editor.is_staff = True
    editor.save()
    editor.user_permissions.set(
        Permission.objects.filter(
            codename__in=["add_article", "change_article", "view_article", "view_outlet"]
        )
    )

    def signed(page):
        sign_in(page, live_server.url, "uma", "pw-uploads-123")
        return live_server.url

    return signed


def test_an_editor_uploads_a_page_and_completes_what_it_lacks(signed_in, open_page):
    from articles.models import Article

    page = open_page()
    site = signed_in(page)
    page.goto(f"{site}/admin/articles/article/")
    page.get_by_role("link", name="Upload a saved web page").click()
    page.set_input_files("#id_page", str(NO_DATE))
    page.get_by_role("button", name="Upload and read the page").click()

    # The page gave no date or site name: a form to complete, not an error.
    page.wait_for_url(re.compile(r".*/admin/articles/article/upload/[^/]+/$"))
    assert "does not give its site name (outlet), publication date" in page.inner_text(
        ".missing-metadata"
    )
    assert page.input_value("#id_title") == "Why the soybean question will decide the truce"
    preview = page.inner_text("#extracted-text")
    assert "it now expires on November 10" in preview
    assert "Powered by a static site generator" not in preview
    page.fill("#id_new_outlet", "Prairie Ledger")
    page.fill("#id_published", "2025-10-20")
    page.get_by_role("button", name="Save the report").click()

    page.wait_for_url(re.compile(r".*/admin/articles/article/\d+/change/$"))
    assert "Created “Why the soybean question will decide the truce”" in page.inner_text(
        ".messagelist"
    )
    article = Article.objects.get()
    assert article.outlet.name == "Prairie Ledger"
    assert article.raw_html == NO_DATE.read_text(encoding="utf-8")

    # The public report page shows the page's text, its dated sentence as a claim.
    page.goto(site + article.get_absolute_url())
    claim = page.locator("mark.claim", has_text="it now expires on November 10")
    assert claim.count() == 1
    assert page.console.check() == []


def test_a_page_with_all_its_metadata_goes_straight_to_its_report(signed_in, open_page):
    page = open_page()
    site = signed_in(page)
    page.goto(f"{site}/admin/articles/article/upload/")
    page.set_input_files("#id_page", str(FULL))
    page.get_by_role("button", name="Upload and read the page").click()
    page.wait_for_url(re.compile(r".*/admin/articles/article/\d+/change/$"))
    assert "Created “US and China agree on framework in Kuala Lumpur talks”" in page.inner_text(
        ".messagelist"
    )
    assert page.input_value("#id_url") == (
        "https://www.harbourline.example/markets/2025/us-china-framework-kuala-lumpur-talks"
    )
    assert "on Thursday → Thu 30 Oct 2025" in page.inner_text(".field-claims_table")
    assert page.console.check() == []
