"""Exports: the timeline in the formats of the tools journalists use elsewhere.

Each module is a thin layer over the QuerySet methods the pages use (Event.objects.sourced()
.on_timeline(), Evidence.objects.shown()), so a read rule is written once: feeds.py (Atom),
ical.py (iCalendar), timelinejs.py (TimelineJS3), annotations.py (W3C Web Annotations),
jsonld.py (schema.org in pages), csv.py (evidence for spreadsheets), sitemaps.py.
"""
