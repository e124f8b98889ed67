"""python manage.py tariff_points — suggest the tariff chart's points for stored reports.

New reports get theirs when they are ingested; this fills them in for reports stored
before the chart existed (or read by an older pipeline). Idempotent, and like a re-ingest
it refreshes suggested points only: points editors confirmed, corrected or rejected stay.
"""

from django.core.management.base import BaseCommand
from django.db import transaction

from articles.models import Article
from timeline.tariffs import refresh_points


class Command(BaseCommand):
    help = "Suggest the tariff chart's points from the typed figures of stored reports."

    def add_arguments(self, parser):
        parser.add_argument("slugs", nargs="*", help="Only these reports (default: all).")

    def handle(self, *args, slugs, **options):
        articles = Article.objects.light().order_by("pk")
        if slugs:
            articles = articles.filter(slug__in=slugs)
        changed = 0
        for article in articles.iterator(chunk_size=200):
            with transaction.atomic():
                changed += refresh_points(article)
        self.stdout.write(f"{changed} tariff points added, changed or removed.")
