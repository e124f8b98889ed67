"""The pages in a real browser, as a reader uses them: headless Chromium against the live server.

Run alone with ``pytest -m browser tests/timeline/test_browser.py``. One browser serves the
whole module; each test gets a fresh page (and the seed data: live-server tests run against a
flushed database). The browser is Debian's Chromium, never one that Playwright downloads.
"""

import re
from urllib.parse import unquote, urlsplit

import pytest

from tests.browser import PHONE, RECORD_CSP_VIOLATIONS, WIDE, Console

pytestmark = pytest.mark.browser

# What :target is after a navigation, and how it compares with an untargeted claim.
DESCRIBE_TARGET = """
() => {
  const t = document.querySelector(":target");
  if (!t) return null;
  const probe = document.createElement("mark");
  probe.className = "claim";
  t.parentElement.appendChild(probe);
  const plainBackground = getComputedStyle(probe).backgroundColor;
  probe.remove();
  const box = t.getBoundingClientRect();
  const header = document.querySelector(".site-header");
  const headerBox = header.getBoundingClientRect();
  const headerCovers = getComputedStyle(header).position === "sticky" ? headerBox.bottom : 0;
  return {
    tag: t.tagName.toLowerCase(),
    classes: [...t.classList],
    id: t.id,
    text: t.textContent,
    passage: t.closest(".passage") ? t.closest(".passage").id : null,
    top: box.top,
    bottom: box.bottom,
    visibleFrom: headerCovers,
    viewportHeight: window.innerHeight,
    background: getComputedStyle(t).backgroundColor,
    plainBackground,
  };
}
"""


def claim_id(href):
    match = re.search(r"#claim-(\d+)$", href)
    assert match, f"{href} is not a claim link"
    return int(match.group(1))


def events_on_page(page):
    return page.eval_on_selector_all("article.event", "els => els.map(e => e.id)")


def claims_by_id():
    from articles.models import Claim

    return Claim.objects.select_related("passage").in_bulk()


def assert_lands_on_claim(page, href, claims):
    claim = claims[claim_id(href)]
    target = page.evaluate(DESCRIBE_TARGET)
    assert target is not None, f"{href}: nothing on the page is :target"
    assert target["tag"] == "mark" and "claim" in target["classes"], (href, target)
    assert target["id"] == f"claim-{claim.pk}"
    assert target["text"] == claim.sentence
    assert target["passage"] == f"p-{claim.passage.position}"
    assert re.fullmatch(r"p-\d+", target["passage"])
    # In view, and not hidden under the sticky header.
    assert target["top"] >= target["visibleFrom"] - 1, (href, target)
    assert target["bottom"] <= target["viewportHeight"] + 1, (href, target)
    # Highlighted as the target, unlike the claims around it.
    assert target["background"] != target["plainBackground"], target
    assert target["background"] not in ("rgba(0, 0, 0, 0)", "transparent")


def test_every_quote_on_the_timeline_links_to_its_highlighted_sentence(site, open_page):
    page = open_page(WIDE)
    page.goto(site + "/")
    hrefs = page.eval_on_selector_all("a.quote-text", "els => els.map(e => e.getAttribute('href'))")
    assert len(hrefs) >= 10

    # As a reader does it: open an event's quotes, follow the first one.
    first = page.locator("details.quotes").first
    first.locator("summary").click()
    link = first.locator("a.quote-text").first
    expected = link.get_attribute("href")
    link.click()
    page.wait_for_url(re.compile(re.escape(expected) + "$"))
    claims = claims_by_id()
    assert_lands_on_claim(page, expected, claims)

    # And every other link, straight to its address: the first of each report is a fresh
    # page load, the others move within the page, as the reader's back-and-forth would.
    for href in sorted(set(hrefs), key=lambda h: (h.partition("#")[0], claim_id(h))):
        page.goto(site + href)
        assert_lands_on_claim(page, href, claims)
    assert page.console.check() == []


def test_the_timeline_fits_a_phone_screen_without_sideways_scrolling(site, open_page):
    page = open_page(PHONE)
    page.goto(site + "/")
    assert len(events_on_page(page)) >= 5
    fits = "document.documentElement.scrollWidth <= window.innerWidth"
    assert page.evaluate(fits)
    # Still true with every event's quotes open.
    page.eval_on_selector_all("details", "els => els.forEach(d => { d.open = true; })")
    assert page.evaluate(fits)
    for path in ("/coverage/", "/articles/us-china-trade-deal/", "/events/trump-xi-busan-meeting/"):
        page.goto(site + path)
        assert page.evaluate(fits), f"{path} scrolls sideways on a phone"


def test_on_a_wide_screen_the_events_read_in_date_order(site, open_page):
    from timeline.models import Event

    page = open_page(WIDE)
    page.goto(site + "/")
    rows = page.eval_on_selector_all(
        "article.event .event-when time",
        "els => els.map(e => [e.getAttribute('datetime'), e.getBoundingClientRect().top])",
    )
    assert len(rows) == Event.objects.sourced().on_timeline().count()
    dates = [day for day, _ in rows]
    tops = [top for _, top in rows]
    assert dates == sorted(dates)
    assert tops == sorted(tops), "the events are not laid out top to bottom in DOM order"
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


@pytest.mark.page_cache
def test_a_cached_timeline_comes_gzipped_and_reads_the_same(site, browser):
    from timeline.models import Event

    shown = Event.objects.sourced().on_timeline().count()
    for expected in ("miss", "hit"):
        # A reader of their own each time: nothing in the browser's cache.
        context = browser.new_context(viewport=WIDE)
        page = context.new_page()
        response = page.goto(site + "/")
        assert response.header_value("x-cache") == expected
        assert response.header_value("content-encoding") == "gzip"
        assert page.locator("article.event").count() == shown
        assert page.locator("blockquote.quote a.quote-text").count() > shown
        context.close()


def test_choosing_a_status_and_a_topic_in_the_filter_form_narrows_the_timeline(site, open_page):
    from timeline.models import Event

    page = open_page(WIDE)
    page.goto(site + "/")
    everything = events_on_page(page)

    page.get_by_label("Status").select_option("threatened")
    page.get_by_role("button", name="Filter").click()
    page.wait_for_url(re.compile(r"[?&]status=threatened(&|$)"))
    threatened = events_on_page(page)
    assert 0 < len(threatened) < len(everything)
    assert page.locator("article.event:not(.event--threatened)").count() == 0

    page.goto(site + "/")
    page.get_by_label("Topic").select_option("rare-earths")
    page.get_by_role("button", name="Filter").click()
    page.wait_for_url(re.compile(r"[?&]topic=rare-earths(&|$)"))
    expected = Event.objects.sourced().on_timeline().filter(topics__slug="rare-earths")
    shown = events_on_page(page)
    assert 0 < len(shown) < len(everything)
    assert set(shown) == {f"event-{slug}" for slug in expected.values_list("slug", flat=True)}
    # The form keeps the choice, and offers a way back.
    assert page.get_by_label("Topic").input_value() == "rare-earths"
    page.get_by_role("link", name="Clear").click()
    page.wait_for_url(site + "/")
    assert events_on_page(page) == everything
    assert page.console.check() == []


def test_no_page_logs_a_console_error_or_breaks_the_content_security_policy(site, open_page):
    from articles.models import Article
    from timeline.models import Event

    # Every kind of page (the quote-link test above loads every report page as well).
    paths = ["/", "/?status=scheduled&topic=tariffs", "/articles/", "/coverage/"]
    paths += [event.get_absolute_url() for event in Event.objects.on_timeline()[:2]]
    paths += ["/events/trump-xi-busan-meeting/"]  # conflicts on date and place
    paths += [article.get_absolute_url() for article in Article.objects.all()[:2]]
    paths += ["/articles/?outlet=daily-global-reports"]
    page = open_page(WIDE)
    for path in paths:
        response = page.goto(site + path)
        assert response.status == 200, path
        policy = response.headers.get("content-security-policy", "")
        assert "script-src 'self'" in policy and "style-src 'self'" in policy, policy
        assert "unsafe-inline" not in policy
        # A schema.org data block (type="application/ld+json") is never executed: allowed.
        inline = page.evaluate(
            "document.querySelectorAll('[style], style,"
            ' script:not([src]):not([type="application/ld+json"])\').length'
        )
        assert inline == 0, f"{path} carries inline styles or scripts"
        # The stylesheet did load (a blocked or missing one would leave the page unstyled).
        assert page.evaluate("getComputedStyle(document.body).display") == "flex", path
    assert page.console.check() == []


def test_the_report_page_links_each_passage_to_the_same_words_on_the_original_page(site, open_page):
    from articles.models import Article

    articles = list(Article.objects.filter(url__isnull=False).exclude(url=""))
    assert articles
    page = open_page(WIDE)
    checked = 0
    for article in articles:
        page.goto(site + article.get_absolute_url())
        links = page.eval_on_selector_all(
            "a.fragment",
            """els => els.map(a => [
                 a.getAttribute('href'),
                 a.closest('.passage').querySelector(':scope > p').innerText,
                 a.closest('.passage').querySelectorAll('.claim-note').length,
               ])""",
        )
        cited = article.passages.filter(claims__start__isnull=False).distinct().count()
        assert len(links) == cited, article.title
        for href, words, claims in links:
            text = " ".join(words.split())
            assert claims >= 1
            page_url, _, directive = href.partition("#:~:text=")
            assert page_url == article.url
            assert directive, href
            start, _, end = (unquote(part) for part in directive.partition(","))
            assert start and text.startswith(start), (start, text)
            if end:
                assert text.endswith(end), (end, text)
            assert urlsplit(href).scheme in ("http", "https")
            checked += 1
    assert checked >= 5
    assert page.console.check() == []


def test_an_editor_is_warned_before_a_decision_discards_unsaved_edits(
    site, open_page, django_user_model
):
    from articles.models import Article
    from timeline.models import Evidence

    django_user_model.objects.create_superuser("ed", "ed@example.org", "pw-editor-123")
    article = Article.objects.get(title="US China Trade Deal")
    assert Evidence.objects.filter(claim__article=article).exists()
    page = open_page()
    page.goto(f"{site}/admin/login/")
    page.fill("#id_username", "ed")
    page.fill("#id_password", "pw-editor-123")
    page.click("input[type=submit]")
    change = f"{site}/admin/articles/article/{article.pk}/change/"
    page.goto(change)
    page.fill("#id_title", "A title typed but not saved")
    warnings = []

    def dismiss(dialog):
        warnings.append(dialog.message)
        dialog.dismiss()

    page.once("dialog", dismiss)
    page.locator("#suggestions button[data-decision]").first.click()
    assert warnings and "without saving" in warnings[0]
    # Dismissed: still on the form, the edit still there.
    assert page.url == change
    assert page.input_value("#id_title") == "A title typed but not saved"
    # Without edits, a decision goes through and comes back to the suggestions.
    page.goto(change)
    page.locator("#suggestions button[data-decision]").first.click()
    page.wait_for_url(re.compile(r".*/change/#suggestions$"))
    assert page.locator("#suggestions").is_visible()
    assert page.console.check() == []


@pytest.mark.page_cache
def test_a_cached_page_works_in_the_browser_as_the_page_it_was(site, browser):
    """What readers are sent most: a page stored by one reader's visit and answered, on the
    next reader's, before the rest of the stack (timeline/caching.py), gzipped as Chromium
    asks. Each reader is a browser of their own (nothing kept between them)."""

    def reader():
        context = browser.new_context(viewport=WIDE)
        context.add_init_script(RECORD_CSP_VIOLATIONS)
        page = context.new_page()
        page.console = Console(page)
        return context, page

    for path in ("/", "/?status=scheduled", "/coverage/"):
        (one, first), (other, again) = reader(), reader()
        stored = first.goto(site + path)
        answered = again.goto(site + path)
        assert (stored.headers["x-cache"], answered.headers["x-cache"]) == ("miss", "hit")
        assert answered.headers["content-encoding"] == "gzip"
        assert "frame-ancestors 'none'" in answered.headers["content-security-policy"]
        assert again.title() == first.title()
        assert again.locator(".site-header").is_visible()
        styled = "getComputedStyle(document.querySelector('.site-header')).position"
        assert again.evaluate(styled) == first.evaluate(styled) == "sticky"
        if path != "/coverage/":  # the timeline's script ran: the filters unfolded
            assert again.evaluate("document.documentElement.classList.contains('js')")
            assert again.locator(".filters-fold").get_attribute("open") is not None
        assert again.console.check() == [] and first.console.check() == []
        one.close()
        other.close()
