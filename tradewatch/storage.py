"""Static files in production: WhiteNoise's hashed, compressed files, forgiving a missing manifest.

`manage.py collectstatic` writes the manifest that maps `css/tradewatch.css` to its
hashed name. Without it WhiteNoise's storage raises on every `{% static %}`, so every
page answers 500. This one logs a warning and uses the unhashed name instead: pages
still render (tradewatch.middleware.StaticFilesMiddleware then serves the files from the
app folders), and `manage.py check --deploy` says to run collectstatic.
"""

import logging

from whitenoise.storage import CompressedManifestStaticFilesStorage

logger = logging.getLogger(__name__)


class ManifestStaticFilesStorage(CompressedManifestStaticFilesStorage):
    def __init__(self, *args, **kwargs):
        self.manifest_missing = False
        self._warned: set[str] = set()
        super().__init__(*args, **kwargs)

    def load_manifest(self):
        self.manifest_missing = self.read_manifest() is None
        return super().load_manifest()

    def save_manifest(self):
        super().save_manifest()
        self.manifest_missing = False

    def stored_name(self, name):
        if self.manifest_missing:
            self._warn_once(
                "",
                "The static files manifest %s is missing from %s: serving unhashed names. "
                "Run `python manage.py collectstatic --noinput`.",
                self.manifest_name,
                self.location,
            )
            return self.clean_name(name)
        try:
            return super().stored_name(name)
        except ValueError:
            # A file added since collectstatic last ran (or a typo in a template).
            self._warn_once(
                name,
                "%r is not in the static files manifest: serving it unhashed. "
                "Run `python manage.py collectstatic --noinput`.",
                name,
            )
            return self.clean_name(name)

    def _warn_once(self, key, message, *args):
        if key not in self._warned:
            self._warned.add(key)
            logger.warning(message, *args)
