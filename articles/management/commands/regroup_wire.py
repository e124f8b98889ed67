"""python manage.py regroup_wire — put every stored report in its wire group again.

Reports are grouped when they are ingested; run this after changing the similarity
settings in articles.pipeline.wire, or to repair groups. It reads the reports in
publication order, as if each had just arrived, inside one transaction, and prints what it
found: how many reports, how many groups and how many independent sources.
"""

from django.core.management.base import BaseCommand
from django.db import transaction
from django.db.models import Count, Q

from articles import wire_groups
from articles.models import Article


class Command(BaseCommand):
    help = "Group every stored report by the wire copy it prints, again."

    def handle(self, *args, **options):
        with transaction.atomic():
            count = wire_groups.regroup()
        grouped = Article.objects.exclude(wire_group="")
        groups = grouped.values("wire_group").distinct().count()
        alone = Article.objects.filter(wire_group="").count()
        members = grouped.aggregate(n=Count("pk"), origins=Count("pk", filter=Q(wire_origin=True)))
        self.stdout.write(
            f"{count} reports read: {members['n']} in {groups} wire groups "
            f"({members['origins']} origins), {alone} on their own; "
            f"{groups + alone} independent sources."
        )
