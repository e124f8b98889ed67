"""The sitemap (/sitemap.xml), parsed as XML, and robots.txt."""

import xml.etree.ElementTree as ET
from datetime import date

from articles.models import Article
from timeline.exports import sitemaps
from timeline.exports.sitemaps import SITEMAPS
from timeline.models import Event

from .factories import grow, make_event

NS = {"sm": "http://www.sitemaps.org/schemas/sitemap/0.9"}
SITE = "http://testserver"


def read(client) -> dict[str, str | None]:
    """Each listed address with its lastmod."""
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/xml")
    root = ET.fromstring(response.content)
    assert root.tag == "{http://www.sitemaps.org/schemas/sitemap/0.9}urlset"
    return {
        url.findtext("sm:loc", namespaces=NS): url.findtext("sm:lastmod", namespaces=NS)
        for url in root.findall("sm:url", NS)
    }


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
    # The sitemap view as it should be routed (see timeline/exports/sitemaps.py).
    assert sitemaps.sitemap(rf.post("/sitemap.xml"), sitemaps=SITEMAPS).status_code == 405
    assert sitemaps.sitemap(rf.get("/sitemap.xml"), sitemaps=SITEMAPS).status_code == 200


def test_its_queries_do_not_grow(seeded, client, django_assert_num_queries):
    # Each of the three sections: none for the pages, a count and a page of rows for the others.
    with django_assert_num_queries(4):
        read(client)
    new = grow(events=20, outlets=6)
    with django_assert_num_queries(4):
        urls = read(client)
    assert set(urls) == expected()
    assert {SITE + e.get_absolute_url() for e in new} <= set(urls)
