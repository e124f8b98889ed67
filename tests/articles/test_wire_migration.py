"""Migration 0012 gives the bands stored before it their report's day."""

from datetime import date

from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("articles", "0011_article_raw_html_saved_page")]
AFTER = [("articles", "0012_wire_band_published")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def test_bands_stored_before_the_migration_take_their_report_s_day(transactional_db):
    old = migrate(BEFORE)
    try:
        Outlet = old.get_model("articles", "Outlet")
        Article = old.get_model("articles", "Article")
        WireBand = old.get_model("articles", "WireBand")
        outlet = Outlet.objects.create(name="Wire Desk", slug="wire-desk")
        days = [date(2025, 10, 26), date(2025, 11, 3)]
        for n, day in enumerate(days):
            article = Article.objects.create(
                outlet=outlet,
                title=f"Report {n}",
                slug=f"report-{n}",
                published=day,
                body="Talks ended.",
                raw_body="Talks ended.",
                content_hash=f"{n:064d}",
            )
            WireBand.objects.bulk_create(WireBand(article=article, key=k) for k in (n, 10 + n))

        new = migrate(AFTER)

        bands = new.get_model("articles", "WireBand").objects.order_by("key")
        assert [(b.key, b.published) for b in bands] == [
            (0, days[0]),
            (1, days[1]),
            (10, days[0]),
            (11, days[1]),
        ]
    finally:
        migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())  # as the suite expects
