from django.dispatch import receiver

from articles.services import CREATED
from articles.signals import report_ingested

from .linking import link_article
from .tariffs import refresh_points


@receiver(report_ingested, dispatch_uid="timeline.link_ingested_report")
def link_ingested_report(sender, article, status="", claims=None, **kwargs):
    link_article(article, claims, new=status == CREATED)


@receiver(report_ingested, dispatch_uid="timeline.tariff_points_of_ingested_report")
def suggest_tariff_points(sender, article, status="", claims=None, **kwargs):
    refresh_points(article, claims, new=status == CREATED)
