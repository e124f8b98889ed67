"""What search engines may crawl: /sitemap.xml (django.contrib.sitemaps) and /robots.txt.

The sitemaps list the public events (Event.objects.sourced(), the rule the event page
itself applies), every report and the list pages. /sitemap.xml is their index: one sitemap
a section (/sitemap-events.xml, /sitemap-reports.xml, /sitemap-pages.xml), each in pages of
SITEMAP_URLS addresses (?p=2…), so that no response grows with the archive. robots.txt
points to the index and keeps crawlers out of the editors' admin.
"""

from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps import views as sitemap_views
from django.db.models import Max, Q
from django.db.models.functions import Coalesce, Greatest
from django.http import HttpResponse
from django.urls import reverse
from django.views.decorators.http import require_safe

from articles.models import Article

from ..models import Event

# Addresses per sitemap page (the protocol allows 50,000; a page of 1,000 is some 150 KB).
SITEMAP_URLS = 1000


class Section(Sitemap):
    limit = SITEMAP_URLS

    def get_latest_lastmod(self):
        # The index's lastmod of a section; Django's default reads every item for it.
        return None


class EventSitemap(Section):
    changefreq = "daily"
    priority = 0.8

    def items(self):
        # Last modified: the event's own edits or the last decision on its evidence,
        # the same date the event page gives as "Last corrected".
        return (
            Event.objects.sourced()
            .annotate(
                lastmod=Greatest(
                    "updated",
                    Coalesce(
                        Max("evidence__updated", filter=Q(evidence__state="accepted")), "updated"
                    ),
                )
            )
            .only("slug", "updated")
            .order_by("start", "title", "pk")
        )

    def lastmod(self, event):
        return event.lastmod


class ReportSitemap(Section):
    changefreq = "monthly"
    priority = 0.5

    def items(self):
        return Article.objects.only("slug", "updated").order_by("pk")

    def lastmod(self, article):
        return article.updated


class PageSitemap(Section):
    changefreq = "daily"
    priority = 1.0

    def items(self):
        return ["timeline", "article-list", "coverage"]

    def location(self, name):
        return reverse(name)


SITEMAPS = {"events": EventSitemap, "reports": ReportSitemap, "pages": PageSitemap}

# Django's sitemap views, answering GET and HEAD only like every other view here: the index
# at /sitemap.xml, each section's pages at /sitemap-<section>.xml (timeline/urls.py).
index = require_safe(sitemap_views.index)
sitemap = require_safe(sitemap_views.sitemap)


@require_safe
def robots(request):
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Allow: /",
        "",
        f"Sitemap: {request.build_absolute_uri(reverse('sitemap'))}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")
