from django.dispatch import receiver

from articles.services import CREATED
from articles.signals import report_ingested

from .linking import link_article


@receiver(report_ingested, dispatch_uid="timeline.link_ingested_report")
def link_ingested_report(sender, article, status="", claims=None, **kwargs):
    link_article(article, claims, new=status == CREATED)
