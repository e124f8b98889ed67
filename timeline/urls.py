from django.urls import path

from . import charts, views
from .api import api
from .caching import cached
from .exports import annotations, csv, feeds, ical, sitemaps, timelinejs

# Every public page and export is served from the page cache while nothing has changed
# (timeline/caching.py); the API's operations are wrapped in timeline/api.py.
urlpatterns = [
    path("", cached(views.timeline), name="timeline"),
    path("events/<slug:slug>/", cached(views.event_detail), name="event"),
    path("articles/", cached(views.article_list), name="article-list"),
    path("articles/<slug:slug>/", cached(views.article_detail), name="article"),
    path("coverage/", cached(views.coverage), name="coverage"),
    path("search/", cached(views.search), name="search"),
    path("tariffs/", cached(charts.tariffs), name="tariffs"),
    # Exports (timeline/exports/) and the read-only API (timeline/api.py).
    path("api/annotations/", cached(annotations.collection), name="annotations"),
    path("api/", api.urls),
    path("timeline.json", cached(timelinejs.timeline_json), name="timelinejs"),
    path("timeline/embed/", cached(timelinejs.embed), name="timelinejs-embed"),
    path("feed/", cached(feeds.EventFeed()), name="feed"),
    path("feed/<slug:topic>/", cached(feeds.TopicFeed()), name="topic-feed"),
    path("events.ics", cached(ical.calendar), name="ical"),
    path("evidence.csv", csv.evidence, name="evidence-csv"),
    path(
        "sitemap.xml",
        cached(sitemaps.index),
        {"sitemaps": sitemaps.SITEMAPS, "sitemap_url_name": "sitemap-section"},
        name="sitemap",
    ),
    path(
        "sitemap-<slug:section>.xml",
        cached(sitemaps.sitemap),
        {"sitemaps": sitemaps.SITEMAPS},
        name="sitemap-section",
    ),
    path("robots.txt", cached(sitemaps.robots), name="robots"),
]
