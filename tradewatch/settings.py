"""TradeWatch settings: one module, read from the environment.

SQLite is the default so that a fresh clone runs with no server; PostgreSQL is one
variable away (DATABASE_URL=postgres://postgres@127.0.0.1:5432/tradewatch).
Bad values fail loudly at start-up rather than half-working.
"""

import os
from datetime import date
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    lowered = value.strip().lower()
    if lowered in {"1", "true", "yes", "on"}:
        return True
    if lowered in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (true/false), got {value!r}")


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def env_int(name: str, default: int, *, minimum: int = 0) -> int:
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    try:
        number = int(value)
    except ValueError:
        number = None
    if number is None or number < minimum:
        raise ImproperlyConfigured(f"{name} must be a whole number >= {minimum}, got {value!r}")
    return number


def env_proxy_ssl_header(name: str) -> tuple[str, str] | None:
    """SECURE_PROXY_SSL_HEADER from "HTTP_X_FORWARDED_PROTO" or "HTTP_X_FORWARDED_PROTO=https"."""
    value = os.environ.get(name, "").strip()
    if not value:
        return None
    header, _, expected = value.partition("=")
    header, expected = header.strip(), expected.strip() or "https"
    if not header.startswith("HTTP_") or header != header.upper() or "-" in header:
        raise ImproperlyConfigured(
            f"{name} must name a request header as Django sees it, e.g. HTTP_X_FORWARDED_PROTO "
            f"for X-Forwarded-Proto, got {value!r}"
        )
    return (header, expected)


DEBUG = env_bool("DEBUG", True)

# A development key is fine while DEBUG is on; production must bring its own.
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off")
    SECRET_KEY = "dev-only-insecure-key-do-not-use-in-production"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver" if DEBUG else "")

INSTALLED_APPS = [
    # The project itself: deployment checks, the web-only statement timeout, admin sign-in.
    "tradewatch",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.syndication",
    "django.contrib.sitemaps",
    "django.contrib.postgres",
    "django_extensions",
    "simple_history",
    "articles",
    "timeline",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Before anything reads the query string or the cookies: PostgreSQL cannot take a NUL.
    "tradewatch.middleware.RejectNulMiddleware",
    # WhiteNoise, serving from the app folders too when collectstatic has not been run.
    "tradewatch.middleware.StaticFilesMiddleware",
    # A reader's cached page is answered here, before the rest (timeline/caching.py).
    "timeline.caching.PageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Records who made each change kept in the history tables.
    "simple_history.middleware.HistoryRequestMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
]

ROOT_URLCONF = "tradewatch.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.csp",
            ],
        },
    },
]

WSGI_APPLICATION = "tradewatch.wsgi.application"

DATABASE_URL = os.environ.get("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}"
try:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
except ValueError as exc:
    raise ImproperlyConfigured(f"DATABASE_URL is not a database URL: {exc}") from exc
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Write-ahead logging: readers never wait for a writer, and a commit is one append to
    # the log rather than two syncs of the file (still durable across a crash of the
    # process; the last commits may be lost only with the machine's power).
    # Transactions take the write lock when they begin: one that began reading and then
    # wrote while another writer committed would fail at once with "database is locked"
    # (an editor saving during an ingest); taking it first, it waits its turn, up to
    # `timeout` seconds.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        init_command="PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        transaction_mode="IMMEDIATE",
        timeout=env_int("SQLITE_TIMEOUT_SECONDS", 20),
    )

# Cap on any one SQL statement run while answering a web request, on PostgreSQL (ms);
# 0 leaves the server's own setting alone. Management commands never get it.
WEB_STATEMENT_TIMEOUT_MS = env_int("WEB_STATEMENT_TIMEOUT_MS", 5000)

CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
if os.environ.get("REDIS_URL"):
    CACHES["default"] = {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": os.environ["REDIS_URL"],
    }
    # Each process keeps its own copies of the pages it served most lately in front of the
    # shared cache; they are never stale either, since their keys carry the content version
    # (timeline/caching.py). At most 100 pages a process.
    CACHES["pages"] = {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "tradewatch-pages",
        "OPTIONS": {"MAX_ENTRIES": 100},
    }
# How long a public page or API answer is kept in that cache, in seconds (0: not cached).
# It is never stale: any change to the content makes every copy unreachable at once
# (timeline/caching.py); the time only bounds the memory old copies hold.
TRADEWATCH_PAGE_CACHE_SECONDS = env_int("PAGE_CACHE_SECONDS", 600)
# The most events the timeline shows on one page; a longer timeline is shown a year, a
# quarter or a month at a time (timeline/paging.py). Fifty events with their quotes are
# about 330 KB of HTML (22 KB gzipped); a hundred were 590 KB, took a quarter longer to
# render and, to a client that takes no compression, longer to send than the rest of a
# cached answer (docs/performance.md, "A first screen of fifty events").
TRADEWATCH_TIMELINE_PAGE_EVENTS = env_int("TIMELINE_PAGE_EVENTS", 50, minimum=1)
# The most events the overview above the timeline draws one by one; past it, it shows how
# many events each month holds (timeline/overview.py).
TRADEWATCH_OVERVIEW_MARKS = env_int("OVERVIEW_MARKS", 60, minimum=1)

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-gb"
FORMAT_MODULE_PATH = ["tradewatch.formats"]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT") or BASE_DIR / "staticfiles")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        # WhiteNoise's hashed, compressed files; unhashed names (and a warning) until
        # `manage.py collectstatic` has written the manifest, rather than a 500 on every page.
        else "tradewatch.storage.ManifestStaticFilesStorage"
    },
}

# Request bodies. The largest report the admin accepts is 1,000,000 characters; its form
# is posted URL-encoded, where an ASCII character takes 1 byte, or 3 when %-encoded, so
# 5 MB holds such a report of English text with room for the other fields. (Other scripts
# take 6 to 12 bytes a character once encoded: a million of those would not fit; raise
# this if such reports are expected.) A larger body answers 400.
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# Django's default, stated: enough for the largest admin form, an event with its evidence
# inline (8 fields a row), up to about 120 pieces of evidence. More answers 400.
DATA_UPLOAD_MAX_NUMBER_FIELDS = 1000

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Pages carry no inline scripts or styles, so a strict policy costs nothing.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "style-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}

# Every answer, pages and JSON alike, says X-Content-Type-Options: nosniff, in debug too.
SECURE_CONTENT_TYPE_NOSNIFF = True
# Behind a TLS-terminating proxy: the header the proxy sets on requests that reached it
# over HTTPS, e.g. SECURE_PROXY_SSL_HEADER=HTTP_X_FORWARDED_PROTO (meaning "https").
# Only set it when the proxy always sets (or strips) that header.
SECURE_PROXY_SSL_HEADER = env_proxy_ssl_header("SECURE_PROXY_SSL_HEADER")
# Extra origins allowed to POST forms, e.g. https://tradewatch.example.org (comma-separated).
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")
# How many proxies in front of the app append to X-Forwarded-For; 0 means none, and the
# client address is the connection's. The admin sign-in throttle counts per address.
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)

if not DEBUG:
    # HTTPS only. SECURE_SSL_REDIRECT=0 when the TLS proxy itself redirects http:// to
    # https://; `check --deploy` then reports security.W008 as a reminder, and only that.
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    # A load balancer checks each server over plain HTTP.
    SECURE_REDIRECT_EXEMPT = [r"^health/$"]
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 365 * 24 * 60 * 60)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    # Joining the browsers' preload list is the domain owner's promise and is slow to
    # undo, so it is opt-in, and the deploy check's reminder about it is silenced.
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
    if not SECURE_HSTS_PRELOAD:
        SILENCED_SYSTEM_CHECKS = ["security.W021"]
    SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", True)
    CSRF_COOKIE_SECURE = env_bool("SECURE_COOKIES", True)

# Admin sign-in: after this many failures for one username, or from one address, within
# the window, further attempts are refused until the window ends (counted in CACHES).
ADMIN_LOGIN_FAILURE_LIMIT = 5
ADMIN_LOGIN_FAILURE_WINDOW = 15 * 60  # seconds

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}

# Pins "today" (YYYY-MM-DD) for demos and tests; unset means the real date.
TRADEWATCH_TODAY = os.environ.get("TRADEWATCH_TODAY", "")
if TRADEWATCH_TODAY:
    try:
        date.fromisoformat(TRADEWATCH_TODAY)
    except ValueError:
        raise ImproperlyConfigured(
            f"TRADEWATCH_TODAY must be a date (YYYY-MM-DD), got {TRADEWATCH_TODAY!r}"
        ) from None

# What the timeline already dates, for the pipeline to read "this month" near a month's edge
# and narrow seasons to the event a sentence names: a callable(days) -> {day: Known events
# around it}, by dotted path, so that articles never imports timeline. Empty: the report
# alone.
TRADEWATCH_KNOWN_DATES = "timeline.linking.known_dates_around"

# --- Read replica (docs/scaling.md) -------------------------------------------------------
# DATABASE_REPLICA_URL names a read-only copy of the primary (a PostgreSQL streaming
# replica), parsed as DATABASE_URL is. When set, anonymous GET and HEAD requests outside the
# admin read from it; writes, the admin, signed-in editors, transactions and management
# commands use the primary (tradewatch/routers.py). Unset: one database, as before.
DATABASE_REPLICA_URL = os.environ.get("DATABASE_REPLICA_URL", "").strip()
if DATABASE_REPLICA_URL:
    try:
        DATABASES["replica"] = dj_database_url.parse(DATABASE_REPLICA_URL, conn_max_age=60)
    except ValueError as exc:
        raise ImproperlyConfigured(f"DATABASE_REPLICA_URL is not a database URL: {exc}") from exc
    # Tests run against one test database: the replica alias mirrors it.
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
    DATABASE_ROUTERS = ["tradewatch.routers.PrimaryReplicaRouter"]
    # Last, after authentication: it asks whether the user is signed in.
    MIDDLEWARE = [*MIDDLEWARE, "tradewatch.routers.ReplicaReadsMiddleware"]
# --- end of the read replica block ----------------------------------------------------------
