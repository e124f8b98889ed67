"""System checks for a deployment (`manage.py check --deploy`)."""

import json
import os

from django.apps import apps
from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import ManifestFilesMixin
from django.core.checks import Tags, Warning, register
from django.core.files.storage import storages

COLLECTSTATIC = "Run `python manage.py collectstatic --noinput` (after every deploy)."


@register(Tags.staticfiles, deploy=True)
def check_static_manifest(app_configs, **kwargs):
    """With DEBUG off, pages link to hashed static files listed in collectstatic's manifest."""
    if settings.DEBUG:
        return []
    storage = storages["staticfiles"]
    if not isinstance(storage, ManifestFilesMixin):
        return []
    content = storage.read_manifest()
    if content is None:
        return [
            Warning(
                f"The static files manifest ({storage.manifest_name}) is missing from "
                f"STATIC_ROOT ({settings.STATIC_ROOT}): pages fall back to unhashed, "
                "uncompressed static files, cached for 60 seconds only.",
                hint=COLLECTSTATIC,
                id="tradewatch.W001",
            )
        ]
    try:
        listed = json.loads(content).get("paths", {})
    except (ValueError, AttributeError):
        listed = {}
    ignore = apps.get_app_config("staticfiles").ignore_patterns
    missing = sorted(
        name
        for finder in finders.get_finders()
        for path, source in finder.list(ignore)
        if (name := os.path.join(getattr(source, "prefix", None) or "", path).replace("\\", "/"))
        not in listed
    )
    if missing:
        shown = ", ".join(missing[:5]) + (
            f" and {len(missing) - 5} more" if len(missing) > 5 else ""
        )
        return [
            Warning(
                f"The static files manifest is out of date: {shown} not in it.",
                hint=COLLECTSTATIC,
                id="tradewatch.W002",
            )
        ]
    return []
