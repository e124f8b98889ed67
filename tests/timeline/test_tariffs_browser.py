"""The tariff chart in a real browser: a journalist follows a point to its quote.

Run alone with ``pytest -m browser tests/timeline/test_tariffs_browser.py``; the browser,
the live server over the seed data and the page factory are tests/browser.py's fixtures.
"""

import re

import pytest

from tests.browser import PHONE, WIDE

from .test_browser import assert_lands_on_claim, claims_by_id

pytestmark = pytest.mark.browser

# The index of the first chart point a click at its centre reaches (not covered by another).
FIRST_CLICKABLE = """
(selector) => [...document.querySelectorAll(selector)].findIndex((a) => {
  const box = a.querySelector(".mark").getBoundingClientRect();
  if (!box.width) return false;
  const hit = document.elementFromPoint(box.x + box.width / 2, box.y + box.height / 2);
  return hit !== null && a.contains(hit);
})
"""


@pytest.mark.parametrize("viewport", [WIDE, PHONE], ids=["wide", "phone"])
def test_clicking_a_chart_point_lands_on_its_quote_highlighted(site, open_page, viewport):
    page = open_page(viewport)
    page.goto(site + "/tariffs/")
    size = "wide" if viewport is WIDE else "narrow"
    selector = f".tariff-panel--{size} a.point"
    index = page.evaluate(FIRST_CLICKABLE, selector)
    assert index >= 0, "no chart point can be clicked"
    point = page.locator(selector).nth(index)
    expected = point.get_attribute("href")
    point.locator(".mark").click()
    page.wait_for_url(re.compile(re.escape(expected) + "$"))
    assert_lands_on_claim(page, expected, claims_by_id())
    assert page.console.check() == []


def test_the_page_fits_a_phone_and_its_table_scrolls_in_its_own_box(site, open_page):
    page = open_page(PHONE)
    page.goto(site + "/tariffs/")
    assert page.console.check() == []
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    box = page.locator(".tariff-table-scroll")
    assert box.evaluate("el => el.scrollWidth > el.clientWidth")
    assert page.locator(".tariff-panel--narrow svg").first.is_visible()
    assert not page.locator(".tariff-panel--wide svg").first.is_visible()
