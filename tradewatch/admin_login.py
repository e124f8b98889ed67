"""Admin sign-in that refuses further attempts after repeated failures.

After settings.ADMIN_LOGIN_FAILURE_LIMIT failed sign-ins for one username, or from one
client address, within settings.ADMIN_LOGIN_FAILURE_WINDOW seconds of the first of them,
every attempt is refused (the right password too) until that window ends. Counts live in
the default cache: per process with the local-memory cache, shared with REDIS_URL. A
successful sign-in clears its username's count; the address's count stays, so one
account's good password cannot reset the count of someone guessing others.

Installed as `admin.site.login_form` in tradewatch/urls.py.
"""

import hashlib

from django.conf import settings
from django.contrib.admin.forms import AdminAuthenticationForm
from django.core.cache import cache
from django.core.exceptions import ValidationError


def client_ip(request) -> str:
    """The client's address: the connection's, or as the trusted proxies forwarded it."""
    if request is None:
        return "unknown"
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies:
        forwarded = [
            part.strip()
            for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
            if part.strip()
        ]
        # Each trusted proxy appended the address it saw; anything before those is
        # whatever the client claimed.
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR") or "unknown"


def _key(kind: str, value: str) -> str:
    digest = hashlib.sha256(value.encode("utf-8", "surrogatepass")).hexdigest()
    return f"tradewatch:admin-login-failures:{kind}:{digest}"


def failure_keys(username: str, ip: str) -> list[str]:
    return [_key("username", username.casefold()), _key("ip", ip)]


def is_locked_out(username: str, ip: str) -> bool:
    counts = cache.get_many(failure_keys(username, ip))
    return any(n >= settings.ADMIN_LOGIN_FAILURE_LIMIT for n in counts.values())


def record_failure(username: str, ip: str) -> None:
    for key in failure_keys(username, ip):
        # The window starts at the first failure; later ones do not extend it.
        if not cache.add(key, 1, timeout=settings.ADMIN_LOGIN_FAILURE_WINDOW):
            try:
                cache.incr(key)
            except ValueError:  # expired between add and incr
                cache.add(key, 1, timeout=settings.ADMIN_LOGIN_FAILURE_WINDOW)


def clear_failures(username: str) -> None:
    cache.delete(failure_keys(username, "")[0])


def wait_text(seconds: int) -> str:
    minutes = max(1, round(seconds / 60))
    return f"{minutes} minute" if minutes == 1 else f"{minutes} minutes"


class ThrottledAdminAuthenticationForm(AdminAuthenticationForm):
    error_messages = {
        **AdminAuthenticationForm.error_messages,
        "throttled": "Too many failed sign-ins; try again in %(wait)s.",
    }

    def clean(self):
        username = self.cleaned_data.get("username")
        if username is None or not self.cleaned_data.get("password"):
            return super().clean()
        ip = client_ip(self.request)
        if is_locked_out(username, ip):
            raise ValidationError(
                self.error_messages["throttled"],
                code="throttled",
                params={"wait": wait_text(settings.ADMIN_LOGIN_FAILURE_WINDOW)},
            )
        try:
            cleaned = super().clean()
        except ValidationError:
            record_failure(username, ip)
            raise
        clear_failures(username)
        return cleaned
