from django.dispatch import receiver

from articles.services import CREATED
from articles.signals import report_ingested, reports_ingested

from .linking import link_article, link_articles
from .tariffs import refresh_points, refresh_points_of


@receiver(report_ingested, dispatch_uid="timeline.link_ingested_report")
def link_ingested_report(sender, article, status="", claims=None, **kwargs):
    link_article(article, claims, new=status == CREATED)


@receiver(report_ingested, dispatch_uid="timeline.tariff_points_of_ingested_report")
def suggest_tariff_points(sender, article, status="", claims=None, **kwargs):
    refresh_points(article, claims, new=status == CREATED)


@receiver(reports_ingested, dispatch_uid="timeline.link_ingested_reports")
def link_ingested_reports(sender, reports, **kwargs):
    link_articles([(article, claims, status == CREATED) for article, status, claims in reports])


@receiver(reports_ingested, dispatch_uid="timeline.tariff_points_of_ingested_reports")
def suggest_tariff_points_of(sender, reports, **kwargs):
    refresh_points_of([(article, claims, status == CREATED) for article, status, claims in reports])
