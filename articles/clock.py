"""Today, as TradeWatch sees it: the timeline's marker, the newest date a report may carry.

Tests and demos pin it with the TRADEWATCH_TODAY setting (YYYY-MM-DD); otherwise it is
the local date.
"""

from datetime import date

from django.conf import settings
from django.utils import timezone


def today() -> date:
    pinned = getattr(settings, "TRADEWATCH_TODAY", "")
    return date.fromisoformat(pinned) if pinned else timezone.localdate()
