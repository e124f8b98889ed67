"""Two ingests at once on PostgreSQL: one report each, no crash, whoever wins the race, and
two copies of one story found to be one.

A barrier holds both ingests after they have looked for an existing report and before
either writes, so the race happens every time, not by luck.
"""

import threading
from datetime import date

import pytest
from django.db import connection, connections

from articles import services
from articles.models import Article, Outlet
from tests.articles.test_wire import EDITED, STORY

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="SQLite serialises writers; the race needs PostgreSQL's concurrent writes",
    ),
]

BODY = "Officials held talks on Sunday in Kuala Lumpur, the ministry said."


def race(monkeypatch, *reports):
    """Ingest the reports in parallel threads, released together; the results or errors."""
    barrier = threading.Barrier(len(reports), timeout=10)
    real = services.outlet_named
    waited = threading.local()

    def outlet_named_after_everyone_looked(name):
        if not getattr(waited, "done", False):  # a retry goes straight on
            waited.done = True
            barrier.wait()
        return real(name)

    monkeypatch.setattr(services, "outlet_named", outlet_named_after_everyone_looked)
    results = [None] * len(reports)

    def run(i, fields):
        try:
            results[i] = services.ingest_report(**fields)
        except Exception as exc:  # noqa: BLE001 — the test reports any crash
            results[i] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, r)) for i, r in enumerate(reports)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    return results


def report(**overrides):
    return {
        "title": "Talks in Kuala Lumpur",
        "outlet": "Race Wire",
        "published": date(2025, 10, 27),
        "body": BODY,
        "url": "https://race.example/talks",
    } | overrides


def test_the_same_report_ingested_twice_at_once_is_stored_once(monkeypatch):
    results = race(monkeypatch, report(), report())
    assert not [r for r in results if isinstance(r, Exception)], results
    assert sorted(r.status for r in results) == ["created", "unchanged"]
    assert Article.objects.count() == 1
    assert Outlet.objects.filter(name="Race Wire").count() == 1


def test_two_reports_with_one_title_at_once_get_two_slugs(monkeypatch):
    Outlet.objects.create(name="Race Wire", slug="race-wire")
    results = race(
        monkeypatch,
        report(),
        report(url="https://race.example/other", body=BODY + " A second report."),
    )
    assert not [r for r in results if isinstance(r, Exception)], results
    assert sorted(Article.objects.values_list("slug", flat=True)) == [
        "talks-in-kuala-lumpur",
        "talks-in-kuala-lumpur-2",
    ]


def test_two_reports_from_a_new_outlet_at_once_share_one_outlet(monkeypatch):
    results = race(
        monkeypatch,
        report(title="First"),
        report(title="Second", url="https://race.example/2", body=BODY + " Another."),
    )
    assert not [r for r in results if isinstance(r, Exception)], results
    assert Article.objects.count() == 2
    assert Outlet.objects.filter(name="Race Wire").count() == 1


def test_two_copies_of_one_story_ingested_at_once_are_one_wire_group(monkeypatch):
    Outlet.objects.create(name="Race Wire", slug="race-wire")
    copies = [
        report(title="First", url="https://race.example/1", body="\n\n".join(STORY)),
        report(title="Second", url="https://race.example/2", body="\n\n".join(EDITED)),
    ]
    results = race(monkeypatch, *copies)
    assert not [r for r in results if isinstance(r, Exception)], results
    groups = set(Article.objects.values_list("wire_group", flat=True))
    assert len(groups) == 1 and groups != {""}
