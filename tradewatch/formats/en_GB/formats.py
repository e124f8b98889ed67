"""Dates typed and shown in forms as ISO 8601 (2025-11-10), the format report files use,
so the admin shows the format its help texts name; British day-first input still works."""

DATE_INPUT_FORMATS = ["%Y-%m-%d", "%d/%m/%Y", "%d/%m/%y", "%d %b %Y", "%d %B %Y"]
