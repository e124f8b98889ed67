from django.apps import AppConfig
from django.db.models.signals import post_migrate


class TimelineConfig(AppConfig):
    name = "timeline"
    verbose_name = "Timeline"

    def ready(self):
        from . import caching, receivers  # noqa: F401  (connect to the models' signals)
        from .permissions import ensure_editors_group

        post_migrate.connect(ensure_editors_group, sender=self)
