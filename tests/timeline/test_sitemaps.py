"""The sitemaps (the index /sitemap.xml and the sections it lists), parsed as XML, and
robots.txt."""

import xml.etree.ElementTree as ET
from datetime import date

from articles.models import Article
from timeline.exports import sitemaps
from timeline.exports.sitemaps import SITEMAPS
from timeline.models import Event

from .factories import grow, make_event

NS = {"sm": "http://www.sitemaps.org/schemas/sitemap/0.9"}
SITE = "http://testserver"


def xml(client, path: str, tag: str):
    response = client.get(path)
    assert response.status_code == 200, path
    assert response["Content-Type"].startswith("application/xml")
    root = ET.fromstring(response.content)
    assert root.tag == "{http://www.sitemaps.org/schemas/sitemap/0.9}" + tag
    return root


def sitemaps_listed(client) -> list[str]:
    """The addresses of the sitemaps the index lists, as a crawler finds them."""
    index = xml(client, "/sitemap.xml", "sitemapindex")
    return [s.findtext("sm:loc", namespaces=NS) for s in index.findall("sm:sitemap", NS)]


def read(client) -> dict[str, str | None]:
    """Each address listed in any sitemap of the index, with its lastmod."""
    urls = {}
    for listed in sitemaps_listed(client):
        root = xml(client, listed.removeprefix(SITE), "urlset")
        for url in root.findall("sm:url", NS):
            loc = url.findtext("sm:loc", namespaces=NS)
            assert loc not in urls, f"{loc} listed twice"
            urls[loc] = url.findtext("sm:lastmod", namespaces=NS)
    return urls


def expected(events=None):
    events = events if events is not None else Event.objects.sourced()
    return (
        {SITE + e.get_absolute_url() for e in events}
        | {SITE + a.get_absolute_url() for a in Article.objects.all()}
        | {f"{SITE}/", f"{SITE}/articles/", f"{SITE}/coverage/"}
    )


def test_it_lists_every_public_event_every_report_and_the_list_pages(seeded, client):
    urls = read(client)
    assert set(urls) == expected()
    assert len(urls) == 7 + Article.objects.count() + 3
    for url in urls:
        assert client.get(url.removeprefix(SITE)).status_code == 200, url


def test_events_and_reports_say_when_they_last_changed(seeded, client):
    urls = read(client)
    for url, lastmod in urls.items():
        if "/events/" in url or "/articles/" in url.removesuffix("/articles/"):
            assert lastmod and date.fromisoformat(lastmod[:10]), url


def test_it_leaves_out_events_no_accepted_evidence_supports(seeded, client):
    make_event("secret-summit", date(2025, 12, 1))
    urls = read(client)
    assert f"{SITE}/events/secret-summit/" not in urls
    assert set(urls) == expected()


def test_robots_allows_the_site_keeps_out_of_the_admin_and_names_the_sitemap(seeded, client):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    lines = response.content.decode().splitlines()
    assert "User-agent: *" in lines
    assert "Disallow: /admin/" in lines
    assert "Allow: /" in lines
    assert f"Sitemap: {SITE}/sitemap.xml" in lines


def test_they_only_read(seeded, client, rf):
    assert client.post("/robots.txt").status_code == 405
    assert client.head("/robots.txt").status_code == 200
    for path in ["/sitemap.xml", "/sitemap-events.xml"]:
        assert client.post(path).status_code == 405
        assert client.head(path).status_code == 200
    # The section view as it should be routed (see timeline/exports/sitemaps.py).
    assert (
        sitemaps.sitemap(rf.post("/s.xml"), sitemaps=SITEMAPS, section="pages").status_code == 405
    )


def test_a_long_archive_is_listed_a_page_of_addresses_at_a_time(seeded, client, monkeypatch):
    everything = read(client)
    assert sitemaps_listed(client) == [
        f"{SITE}/sitemap-events.xml",
        f"{SITE}/sitemap-reports.xml",
        f"{SITE}/sitemap-pages.xml",
    ]
    for section in SITEMAPS.values():
        monkeypatch.setattr(section, "limit", 3)
    listed = sitemaps_listed(client)

    def pages(section, count):
        first = f"{SITE}/sitemap-{section}.xml"
        return [first] + [f"{first}?p={n}" for n in range(2, -(-count // 3) + 1)]

    assert listed == (
        pages("events", Event.objects.sourced().count())
        + pages("reports", Article.objects.count())
        + pages("pages", 3)
    )
    assert len(listed) > 3
    for address in listed:
        page = xml(client, address.removeprefix(SITE), "urlset")
        assert len(page.findall("sm:url", NS)) <= 3, address
    # Every address once across the pages, with the lastmod it had on one page.
    assert read(client) == everything


def test_its_queries_do_not_grow(seeded, client, django_assert_num_queries):
    # The index: a count for events and for reports. Their sections: a count and a page of
    # rows each; the list pages, none.
    with django_assert_num_queries(2 + 4):
        read(client)
    new = grow(events=20, outlets=6)
    with django_assert_num_queries(2 + 4):
        urls = read(client)
    assert set(urls) == expected()
    assert {SITE + e.get_absolute_url() for e in new} <= set(urls)
