"""The editor's path in a real browser: a saved web page uploaded in the admin, a suggested
link and a reported outcome accepted, and the public timeline changed by it.

Headless Debian Chromium against the live server over the seed timeline (tests/browser.py).
"""

import re
from pathlib import Path

import pytest

from tests.browser import WIDE, sign_in

pytestmark = pytest.mark.browser

PAGE = Path(__file__).resolve().parents[1] / "data" / "saved_pages" / "truce-extended.html"
THREAT = "100-percent-tariff-threat"
BUSAN = "trump-xi-busan-meeting"


@pytest.fixture
def editor_signs_in(site, django_user_model, settings):
    """Erin, staff in the Editors group (not a superuser), signs in to the admin."""
    from django.contrib.auth.models import Group

    settings.TRADEWATCH_TODAY = "2025-11-20"
    erin = django_user_model.objects.create_user("erin", password="pw-for-erin-123")
    erin.is_staff = True
    erin.save()
    erin.groups.add(Group.objects.get(name="Editors"))

    return lambda page: sign_in(page, site, "erin", "pw-for-erin-123")


def suggestion_row(page, event_title):
    return page.locator("#suggestions tbody tr", has=page.get_by_role("link", name=event_title))


def card(page, slug):
    return page.locator(f"article#event-{slug}")


def test_an_editor_uploads_a_page_accepts_a_link_and_an_outcome_and_the_timeline_moves(
    site, editor_signs_in, open_page
):
    page = open_page(WIDE)
    page.goto(site + "/")
    assert card(page, THREAT).locator(".badge").first.inner_text().lower() == "threatened"
    busan_sources = card(page, BUSAN).locator(".sources").inner_text()

    editor_signs_in(page)
    page.goto(f"{site}/admin/articles/article/")
    page.get_by_role("link", name="Upload a saved web page").click()
    page.set_input_files("#id_page", str(PAGE))
    page.get_by_role("button", name="Upload and read the page").click()
    page.wait_for_url(re.compile(r".*/admin/articles/article/\d+/change/$"))
    assert "Created “US and China extend tariff truce after Busan summit”" in page.inner_text(
        ".messagelist"
    )

    # A suggested link: the Busan meeting, for "Trump and Xi met in Busan last month".
    row = suggestion_row(page, "Trump and Xi meet in Busan")
    assert "Trump and Xi met in Busan" in row.inner_text()
    row.get_by_role("button", name="Accept", exact=True).click()
    page.wait_for_load_state()
    assert "accepted" in suggestion_row(page, "Trump and Xi meet in Busan").inner_text()

    # A reported outcome: the threat is off the table.
    row = suggestion_row(page, "Threatened 100% tariffs on Chinese goods")
    assert "called off" in row.inner_text()
    row.get_by_role("button", name="Accept outcome").click()
    page.wait_for_url(re.compile(r".*/summary/.*"))
    assert "The event is now called off" in page.inner_text("#content-main")
    page.get_by_role("button", name="Save the summary").click()
    page.wait_for_load_state()

    page.goto(site + "/")
    threat = card(page, THREAT)
    assert threat.locator(".badge").first.inner_text().lower() == "called off"
    assert "called off" in threat.locator(".story").inner_text()
    assert threat.locator(".quote", has_text="were off the table").count() == 1
    busan = card(page, BUSAN)
    assert busan.locator(".sources").inner_text() != busan_sources
    assert busan.locator(".quote", has_text="met in Busan last month").count() == 1
    assert page.console.check() == []
