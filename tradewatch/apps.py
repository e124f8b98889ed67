from django.apps import AppConfig


class TradeWatchConfig(AppConfig):
    """The project as an app: its deployment checks and its web-request database settings."""

    name = "tradewatch"
    verbose_name = "TradeWatch"

    def ready(self):
        from . import checks  # noqa: F401  (registers the deploy checks)
        from .db import connect_signals

        connect_signals()
