"""Project middleware: refuse NUL characters; serve static files before collectstatic."""

from urllib.parse import unquote_to_bytes

from django.contrib.staticfiles.storage import staticfiles_storage
from django.http import HttpResponseBadRequest
from whitenoise.middleware import WhiteNoiseMiddleware

NUL = "\x00"


class RejectNulMiddleware:
    """Answer 400 to a request whose path, query string or cookies hold a NUL character.

    PostgreSQL cannot store or compare a string with a NUL in it, so such a value reaching
    a query (`/articles/?outlet=%00`, an admin search or autocomplete, a session cookie)
    is a 500. No legitimate link or cookie contains one.

    Posted forms are left alone: every POST here goes to a Django form, whose text fields
    refuse a NUL with an error beside the field (an editor's pasted report is kept in
    the form, see tests/articles/test_admin.py), and whose choice fields refuse it as an
    invalid choice.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        problem = self.problem(request)
        if problem:
            return HttpResponseBadRequest(
                f"Bad request: {problem} contains a NUL character.\n",
                content_type="text/plain; charset=utf-8",
            )
        return self.get_response(request)

    @staticmethod
    def problem(request) -> str:
        if NUL in request.path_info:
            return "the path"
        query = request.META.get("QUERY_STRING", "")
        # Raw or percent-encoded (%00), in a name or a value.
        if NUL in query or b"\x00" in unquote_to_bytes(query):
            return "the query"
        if any(NUL in name or NUL in value for name, value in request.COOKIES.items()):
            return "a cookie"
        return ""


class StaticFilesMiddleware(WhiteNoiseMiddleware):
    """WhiteNoise, which also serves the app folders when collectstatic has not been run.

    Without the manifest, pages link to unhashed names (tradewatch.storage) that are not
    in an empty STATIC_ROOT; serving them from where the finders find them, as in debug,
    keeps pages styled until the deploy runs collectstatic. (WhiteNoise reads this flag
    while it starts up.)
    """

    @property
    def use_finders(self) -> bool:
        return self._use_finders or getattr(staticfiles_storage, "manifest_missing", False)

    @use_finders.setter
    def use_finders(self, value: bool) -> None:
        self._use_finders = value
