"""Signals articles sends so later stages can react without articles knowing them.

timeline listens to `report_ingested` (and to `reports_ingested`, for a batch) to suggest
events for the new claims; articles never imports timeline.
"""

from django.dispatch import Signal

# Sent inside the ingest transaction with sender=Article, article=..., status=... and,
# from ingest_report, claims=... (all the article's claims as stored, with their passage,
# mentions and topics, so that receivers need not read them back).
report_ingested = Signal()

# Sent instead, once, by ingest_reports at the end of a batch's transaction, with
# sender=Article and reports=[(article, status, claims), ...] for every report of the
# batch that was stored: what report_ingested would have said of each, in order.
reports_ingested = Signal()

# Sent after a change that model signals do not see (a bulk update or a queryset update),
# with sender=the model changed: whatever keeps copies of the pages must drop them.
content_changed = Signal()
