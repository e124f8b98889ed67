"""Signals articles sends so later stages can react without articles knowing them.

timeline listens to `report_ingested` to suggest events for the new claims; articles
never imports timeline.
"""

from django.dispatch import Signal

# Sent inside the ingest transaction with sender=Article, article=..., status=...
report_ingested = Signal()
