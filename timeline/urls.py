from django.urls import path

from . import views
from .api import api
from .exports import annotations, csv, feeds, ical, sitemaps, timelinejs

urlpatterns = [
    path("", views.timeline, name="timeline"),
    path("events/<slug:slug>/", views.event_detail, name="event"),
    path("articles/", views.article_list, name="article-list"),
    path("articles/<slug:slug>/", views.article_detail, name="article"),
    path("coverage/", views.coverage, name="coverage"),
    path("search/", views.search, name="search"),
    # Exports (timeline/exports/) and the read-only API (timeline/api.py).
    path("api/annotations/", annotations.collection, name="annotations"),
    path("api/", api.urls),
    path("timeline.json", timelinejs.timeline_json, name="timelinejs"),
    path("timeline/embed/", timelinejs.embed, name="timelinejs-embed"),
    path("feed/", feeds.EventFeed(), name="feed"),
    path("feed/<slug:topic>/", feeds.TopicFeed(), name="topic-feed"),
    path("events.ics", ical.calendar, name="ical"),
    path("evidence.csv", csv.evidence, name="evidence-csv"),
    path("sitemap.xml", sitemaps.sitemap, {"sitemaps": sitemaps.SITEMAPS}, name="sitemap"),
    path("robots.txt", sitemaps.robots, name="robots"),
]
