"""The journalist's and the reader's paths in a real browser, at a desktop's and a phone's
width, light and dark, on screen and on paper; and axe-core's accessibility check on every
public page. Headless Debian Chromium against the live server, as in test_browser.py.

The screenshots in docs/screenshots/ (shown in the README) are taken here, so that they
show the pages as they are: run the browser tests and commit what changed.
"""

from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from axe_playwright_python.base import AXE_SCRIPT

from tests.browser import PHONE, RECORD_CSP_VIOLATIONS, WIDE, Console

pytestmark = pytest.mark.browser

SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
BUSAN = "trump-xi-busan-meeting"
# axe-core's two worst impacts: what keeps someone from using the page.
BLOCKING = {"serious", "critical"}


@pytest.fixture
def pinned(settings):
    """A fixed today, so that the pages (and their screenshots) do not change by the day."""
    settings.TRADEWATCH_TODAY = "2025-11-20"


@pytest.fixture
def dark_page(browser):
    """A page in a context that asks for the dark colour scheme."""
    context = browser.new_context(viewport=WIDE, color_scheme="dark")
    context.add_init_script(RECORD_CSP_VIOLATIONS)
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.console = Console(page)
    yield page
    context.close()


def cards(page):
    return page.eval_on_selector_all("article.event", "els => els.map(e => e.id)")


def query(url):
    return {k: v[0] for k, v in parse_qs(urlsplit(url).query).items()}


def in_view(page, selector):
    """Whether the element is on screen, below the sticky header if there is one."""
    return page.evaluate(
        """sel => {
          const box = document.querySelector(sel).getBoundingClientRect();
          const header = document.querySelector('.site-header');
          const covered = getComputedStyle(header).position === 'sticky'
            ? header.getBoundingClientRect().bottom : 0;
          return box.top >= covered - 1 && box.top < window.innerHeight;
        }""",
        selector,
    )


# --- the journalist's path -------------------------------------------------------------------


def test_the_journalist_sees_the_period_zooms_to_a_quarter_and_opens_an_event_from_the_axis(
    site, open_page, pinned
):
    page = open_page(WIDE)
    page.goto(site + "/")
    axis = page.locator("svg.overview-axis")
    assert axis.is_visible()
    assert axis.locator("a.ov-mark").count() == 7
    assert len(cards(page)) == 7

    page.get_by_role("link", name="Q4 2025").click()
    page.wait_for_load_state()
    assert query(page.url) == {"start": "2025-10-01", "end": "2025-12-31"}
    assert len(cards(page)) == 5
    assert page.locator(".overview-zoom a[aria-current]").inner_text() == "Q4 2025"
    # The filter form says the same dates, and a status narrows them further.
    assert page.locator("#id_start").input_value() == "2025-10-01"
    page.select_option("#id_status", "threatened")
    page.get_by_role("button", name="Filter").click()
    page.wait_for_load_state()
    assert cards(page) == ["event-100-percent-tariff-threat"]

    page.goto(site + "/")
    busan = axis.locator(f'a.ov-mark[href="#event-{BUSAN}"]')
    busan.click()
    assert page.url.endswith(f"#event-{BUSAN}")
    assert in_view(page, f"#event-{BUSAN}")
    assert page.console.check() == []


SCREEN_X = """([day]) => {
  const svg = document.querySelector('svg.overview-axis');
  const first = Date.parse(svg.dataset.first), last = Date.parse(svg.dataset.last);
  const point = svg.createSVGPoint();
  point.x = 14 + 972 * (Date.parse(day) - first) / (last - first);
  point.y = 0;
  return point.matrixTransform(svg.getScreenCTM()).x;
}"""


def test_dragging_across_the_axis_shows_the_events_of_those_days(site, open_page, pinned):
    page = open_page(WIDE)
    page.goto(site + "/")
    box = page.locator("svg.overview-axis").bounding_box()
    x_from, x_to = (page.evaluate(SCREEN_X, [day]) for day in ("2025-10-01", "2025-11-15"))
    y = box["y"] + box["height"] - 12  # on the axis line, clear of the marks
    page.mouse.move(x_from, y)
    page.mouse.down()
    page.mouse.move((x_from + x_to) / 2, y)
    page.mouse.move(x_to, y)
    page.mouse.up()
    page.wait_for_url("**start=*")
    chosen = query(page.url)
    # A pixel is more than a day on this axis: the range is the days under the drag.
    assert "2025-09-29" <= chosen["start"] <= "2025-10-03"
    assert "2025-11-13" <= chosen["end"] <= "2025-11-17"
    assert set(cards(page)) == {
        "event-rare-earth-export-controls",
        "event-kuala-lumpur-talks",
        f"event-{BUSAN}",
        "event-100-percent-tariff-threat",
        "event-truce-expiry-november-10",
    }
    assert page.console.check() == []


# --- phones first ----------------------------------------------------------------------------


def test_on_a_phone_the_first_screen_shows_the_first_event_and_the_filters_are_folded(
    site, open_page, pinned
):
    page = open_page(PHONE)
    page.goto(site + "/")
    first = page.locator("article.event").first
    box = first.bounding_box()
    assert box["y"] + 80 < PHONE["height"], "the first event's date and title are on screen"
    assert page.locator("details.filters-fold").get_attribute("open") is None
    assert not page.locator("#id_status").is_visible()
    page.locator("details.filters-fold > summary").click()
    assert page.locator("#id_status").is_visible()
    # The axis scrolls inside its own frame; the page itself never scrolls sideways.
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    frame = page.evaluate(
        "(() => { const f = document.querySelector('.overview-frame');"
        " return [f.scrollWidth, f.clientWidth]; })()"
    )
    assert frame[0] > frame[1]
    # It opens on the latest event, not on the first months.
    latest = page.locator("svg.overview-axis a.ov-mark").last
    box, outer = latest.bounding_box(), page.locator(".overview-frame").bounding_box()
    assert outer["x"] <= box["x"] and box["x"] + box["width"] <= outer["x"] + outer["width"]
    assert page.console.check() == []


def test_on_a_phone_a_quote_lands_on_its_sentence_below_the_header_with_its_paragraph_number(
    site, open_page, pinned
):
    page = open_page(PHONE)
    page.goto(site + f"/events/{BUSAN}/")
    quote = page.locator("a.quote-text").first
    quote.scroll_into_view_if_needed()
    quote.click()
    page.wait_for_load_state()
    target = page.locator(":target")
    assert target.evaluate("t => t.classList.contains('claim')")
    assert in_view(page, ":target")
    anchor = page.locator(".passage:has(:target) .anchor")
    assert anchor.inner_text().startswith("¶")
    assert anchor.is_visible()
    top = anchor.bounding_box()["y"]
    assert 0 <= top < PHONE["height"], "the paragraph number is on screen beside the sentence"


# --- reading: links, dark, paper --------------------------------------------------------------


def test_quote_links_look_like_links(site, open_page, pinned):
    page = open_page(WIDE)
    page.goto(site + f"/events/{BUSAN}/")
    style = page.locator("a.quote-text").first.evaluate(
        "a => { const s = getComputedStyle(a);"
        " return [s.textDecorationLine, s.color, getComputedStyle(a.closest('.quote')).color]; }"
    )
    decoration, colour, surrounding = style
    assert "underline" in decoration
    assert colour != surrounding


def test_a_reported_cell_of_the_coverage_table_is_drawn_like_its_neighbours(
    site, open_page, pinned
):
    # The search results' cards are .hit too: their border and margins must stay theirs.
    page = open_page(WIDE)
    page.goto(site + "/coverage/")
    hit, miss = (
        page.locator(f"table.coverage td.{kind}").first.evaluate(
            "td => { const s = getComputedStyle(td);"
            " return [s.borderLeftWidth, s.marginTop, s.paddingLeft]; }"
        )
        for kind in ("hit", "miss")
    )
    assert hit == miss


def test_the_dark_scheme_darkens_the_pages_and_keeps_them_readable(site, dark_page, pinned):
    for path in ("/", f"/events/{BUSAN}/"):
        dark_page.goto(site + path)
        background, ink = dark_page.evaluate(
            "(s => [s.backgroundColor, s.color])(getComputedStyle(document.body))"
        )
        assert luminance(background) < 0.05 < 0.6 < luminance(ink), (path, background, ink)
    assert dark_page.console.check() == []


def test_an_event_prints_with_its_quotes_open_and_the_addresses_of_its_links(
    site, open_page, pinned
):
    page = open_page(WIDE)
    page.goto(site + f"/events/{BUSAN}/")
    page.emulate_media(media="print")
    quotes = page.locator(".quotes .quote-text, .outlet-group .quote-text")
    assert quotes.count() >= 5
    assert all(quotes.nth(i).is_visible() for i in range(quotes.count()))
    printed = page.locator(".print-links").first
    assert printed.is_visible()
    assert site + "/articles/" in printed.inner_text()
    assert page.locator(".print-only", has_text=site + f"/events/{BUSAN}/").is_visible()
    assert not page.locator(".site-search").is_visible()
    assert page.evaluate("getComputedStyle(document.body).backgroundColor") == "rgb(255, 255, 255)"


def luminance(css_colour: str) -> float:
    """Relative luminance (WCAG) of an rgb()/rgba() colour."""
    parts = css_colour[css_colour.index("(") + 1 : css_colour.index(")")].split(",")

    def channel(value):
        c = int(float(value)) / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(v) for v in parts[:3])
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


# --- accessibility ---------------------------------------------------------------------------


# axe.run() is a promise the page may never settle; bounded in the page, a stuck check fails
# with this message instead of holding the suite (Playwright's evaluate has no timeout).
AXE_RUN = """options => Promise.race([
  axe.run(document, options),
  new Promise((_, reject) => setTimeout(
    () => reject(new Error("axe-core did not finish within 60 s")), 60000)),
])"""


def blocking(page):
    """axe's serious and critical violations on the page, each with the nodes it found them on."""
    page.evaluate(AXE_SCRIPT)
    results = page.evaluate(AXE_RUN, {"resultTypes": ["violations"]})
    return [
        (v["id"], v["impact"], [n["target"] for n in v["nodes"]][:5])
        for v in results["violations"]
        if v["impact"] in BLOCKING
    ]


def public_pages():
    from articles.models import Article

    report = Article.objects.exclude(url="").exclude(url=None).order_by("pk").first()
    return [
        "/",
        "/?start=2025-10-01&end=2025-12-31",
        f"/events/{BUSAN}/",
        "/articles/",
        report.get_absolute_url(),
        "/coverage/",
        "/search/?q=Busan",
        "/search/",
        "/tariffs/",
        "/timeline/embed/",
    ]


@pytest.mark.parametrize("viewport", [WIDE, PHONE], ids=["desktop", "phone"])
def test_axe_finds_nothing_serious_on_any_public_page(site, open_page, pinned, viewport):
    page = open_page(viewport)
    found = {}
    for path in public_pages():
        response = page.goto(site + path)
        assert response.status == 200, path
        serious = blocking(page)
        if serious:
            found[path] = serious
    assert found == {}


def test_axe_finds_nothing_serious_on_any_public_page_in_the_dark_scheme(site, dark_page, pinned):
    found = {}
    for path in public_pages():
        assert dark_page.goto(site + path).status == 200, path
        serious = blocking(dark_page)
        if serious:
            found[path] = serious
    assert found == {}


# --- the README's screenshots ----------------------------------------------------------------


def test_the_screenshots_in_the_readme_show_the_pages_as_they_are(site, open_page, pinned):
    from articles.models import Claim

    claim = (
        Claim.objects.filter(evidence__event__slug=BUSAN, evidence__state="accepted")
        .order_by("pk")
        .first()
    )
    shots = {
        "timeline": "/",
        "event-with-conflict": f"/events/{BUSAN}/",
        "report-with-claim": claim.get_absolute_url(),
        "tariff-chart": "/tariffs/",
    }
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for width, viewport in (("desktop", WIDE), ("phone", PHONE)):
        page = open_page(viewport)
        for name, path in shots.items():
            page.goto(site + path)
            page.wait_for_load_state("networkidle")
            if "#" in path:
                assert in_view(page, ":target"), path
            file = SCREENSHOTS / f"{name}-{width}.png"
            page.screenshot(path=file)
            assert file.stat().st_size > 20_000, f"{file.name} looks blank"
        assert page.console.check() == []
    readme = (SCREENSHOTS.parents[1] / "README.md").read_text()
    for name in shots:
        assert f"docs/screenshots/{name}-desktop.png" in readme
