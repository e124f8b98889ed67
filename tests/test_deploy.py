"""Running in production (docs/deployment.md): static files, `check --deploy`, timeouts.

settings.py reads the environment once, at import, so tests of what an environment
produces run Python in a subprocess; tests of behaviour override the setting values.
"""

import http.client
import json
import logging
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import OperationalError, connection
from django.urls import path

from tradewatch.checks import check_static_manifest

ROOT = Path(__file__).resolve().parent.parent
PRODUCTION_STORAGE = "tradewatch.storage.ManifestStaticFilesStorage"

on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="statement_timeout is a PostgreSQL setting; SQLite has no equivalent",
)

# Variables settings.py reads that the subprocess tests set themselves.
OWN_VARIABLES = {
    "DEBUG",
    "SECRET_KEY",
    "ALLOWED_HOSTS",
    "STATIC_ROOT",
    "SECURE_SSL_REDIRECT",
    "SECURE_PROXY_SSL_HEADER",
    "SECURE_HSTS_SECONDS",
    "SECURE_HSTS_PRELOAD",
    "SECURE_COOKIES",
    "CSRF_TRUSTED_ORIGINS",
    "WEB_STATEMENT_TIMEOUT_MS",
    "TRUSTED_PROXY_COUNT",
}


def environment(**variables) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in OWN_VARIABLES}
    env["DJANGO_SETTINGS_MODULE"] = "tradewatch.settings"
    env.update(variables)
    return env


def production(static_root, **variables) -> dict:
    """The environment docs/deployment.md asks for."""
    return environment(
        DEBUG="false",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="example.org",
        STATIC_ROOT=str(static_root),
        **variables,
    )


def manage(*args, env) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def settings_in(env, *names) -> dict:
    """The values settings.py computes under env."""
    code = (
        "import json, sys\n"
        "from django.conf import settings\n"
        "print(json.dumps({n: getattr(settings, n, None) for n in sys.argv[1:]}, default=str))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, *names],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


@pytest.fixture(scope="module")
def collected(tmp_path_factory):
    """A STATIC_ROOT that `collectstatic` has filled, as a deploy leaves it."""
    static_root = tmp_path_factory.mktemp("collected")
    done = manage("collectstatic", "--noinput", env=production(static_root))
    assert done.returncode == 0, done.stderr
    assert (static_root / "staticfiles.json").exists()
    return static_root


# --- static files ---------------------------------------------------------------------------


@pytest.fixture
def production_static(settings, tmp_path):
    """DEBUG off with the production storage and an empty STATIC_ROOT: no collectstatic yet."""
    settings.DEBUG = False
    settings.STATIC_ROOT = tmp_path / "static"
    settings.STATIC_ROOT.mkdir()
    settings.STORAGES = {**settings.STORAGES, "staticfiles": {"BACKEND": PRODUCTION_STORAGE}}
    return settings


def test_production_uses_the_storage_that_forgives_a_missing_manifest(tmp_path):
    values = settings_in(production(tmp_path), "STORAGES")
    assert values["STORAGES"]["staticfiles"]["BACKEND"] == PRODUCTION_STORAGE


def test_pages_render_with_debug_off_before_collectstatic_has_run(
    db, client, production_static, caplog
):
    with caplog.at_level(logging.WARNING, logger="tradewatch.storage"):
        for url in ["/", "/articles/", "/coverage/"]:
            response = client.get(url)
            assert response.status_code == 200, url
    html = response.content.decode()
    assert 'href="/static/css/tradewatch.css"' in html
    # Said once, not on every page.
    warnings = [r for r in caplog.records if r.name == "tradewatch.storage"]
    assert len(warnings) == 1
    assert "collectstatic" in warnings[0].getMessage()


def test_before_collectstatic_the_static_files_are_served_from_the_app_folders(
    db, client, production_static
):
    client.get("/")
    response = client.get("/static/css/tradewatch.css")
    assert response.status_code == 200
    assert b"".join(response.streaming_content)


def test_after_collectstatic_pages_link_the_hashed_files(db, client, production_static, collected):
    production_static.STATIC_ROOT = collected
    html = client.get("/").content.decode()
    manifest = json.loads((collected / "staticfiles.json").read_text())
    hashed = manifest["paths"]["css/tradewatch.css"]
    assert hashed != "css/tradewatch.css"
    assert f'href="/static/{hashed}"' in html


def test_the_deploy_check_says_to_run_collectstatic_when_the_manifest_is_missing(
    production_static,
):
    [warning] = check_static_manifest(None)
    assert warning.id == "tradewatch.W001"
    assert "python manage.py collectstatic" in warning.hint


def test_the_deploy_check_is_quiet_once_collectstatic_has_run(production_static, collected):
    production_static.STATIC_ROOT = collected
    assert check_static_manifest(None) == []


def test_the_deploy_check_notices_a_static_file_added_since_collectstatic(
    production_static, collected, tmp_path
):
    production_static.STATIC_ROOT = collected
    extra = tmp_path / "extra"
    (extra / "css").mkdir(parents=True)
    (extra / "css" / "new.css").write_text("p {}")
    production_static.STATICFILES_DIRS = [*production_static.STATICFILES_DIRS, extra]
    [warning] = check_static_manifest(None)
    assert warning.id == "tradewatch.W002"
    assert "css/new.css" in warning.msg


# --- check --deploy and the security settings ------------------------------------------------


def test_check_deploy_finds_no_issues_in_the_production_environment(collected):
    done = manage("check", "--deploy", "--fail-level", "WARNING", env=production(collected))
    assert done.returncode == 0, done.stdout + done.stderr
    assert "System check identified no issues" in done.stdout


def test_check_deploy_only_notes_the_redirect_when_the_tls_proxy_does_it(collected):
    env = production(
        collected, SECURE_SSL_REDIRECT="0", SECURE_PROXY_SSL_HEADER="HTTP_X_FORWARDED_PROTO"
    )
    done = manage("check", "--deploy", "--fail-level", "WARNING", env=env)
    output = done.stdout + done.stderr
    assert done.returncode == 1
    assert "security.W008" in output
    assert "identified 1 issue" in output
    assert manage("check", "--deploy", "--fail-level", "ERROR", env=env).returncode == 0


def test_production_is_https_only_by_default(tmp_path):
    values = settings_in(
        production(tmp_path),
        "SECURE_SSL_REDIRECT",
        "SECURE_HSTS_SECONDS",
        "SECURE_HSTS_INCLUDE_SUBDOMAINS",
        "SESSION_COOKIE_SECURE",
        "CSRF_COOKIE_SECURE",
        "SECURE_CONTENT_TYPE_NOSNIFF",
        "SECURE_PROXY_SSL_HEADER",
    )
    assert values == {
        "SECURE_SSL_REDIRECT": True,
        "SECURE_HSTS_SECONDS": 31536000,
        "SECURE_HSTS_INCLUDE_SUBDOMAINS": True,
        "SESSION_COOKIE_SECURE": True,
        "CSRF_COOKIE_SECURE": True,
        "SECURE_CONTENT_TYPE_NOSNIFF": True,
        "SECURE_PROXY_SSL_HEADER": None,
    }


def test_behind_a_tls_proxy_the_redirect_can_be_turned_off_and_its_header_trusted(tmp_path):
    values = settings_in(
        production(
            tmp_path, SECURE_SSL_REDIRECT="0", SECURE_PROXY_SSL_HEADER="HTTP_X_FORWARDED_PROTO"
        ),
        "SECURE_SSL_REDIRECT",
        "SECURE_PROXY_SSL_HEADER",
        "SECURE_HSTS_SECONDS",
    )
    assert values == {
        "SECURE_SSL_REDIRECT": False,
        "SECURE_PROXY_SSL_HEADER": ["HTTP_X_FORWARDED_PROTO", "https"],
        "SECURE_HSTS_SECONDS": 31536000,
    }


def test_debug_keeps_plain_http_but_still_says_nosniff(tmp_path):
    values = settings_in(
        environment(DEBUG="true"), "SECURE_SSL_REDIRECT", "SECURE_CONTENT_TYPE_NOSNIFF"
    )
    assert values == {"SECURE_SSL_REDIRECT": False, "SECURE_CONTENT_TYPE_NOSNIFF": True}


@pytest.mark.parametrize(
    "variable, value",
    [
        ("SECURE_PROXY_SSL_HEADER", "X-Forwarded-Proto"),
        ("WEB_STATEMENT_TIMEOUT_MS", "5s"),
        ("WEB_STATEMENT_TIMEOUT_MS", "-1"),
        ("SECURE_HSTS_SECONDS", "a year"),
    ],
)
def test_a_bad_value_fails_loudly_at_start_up(tmp_path, variable, value):
    done = subprocess.run(
        [sys.executable, "-c", "from django.conf import settings; settings.DEBUG"],
        cwd=ROOT,
        env=production(tmp_path, **{variable: value}),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode != 0
    assert "ImproperlyConfigured" in done.stderr
    assert variable in done.stderr and repr(value) in done.stderr


def test_behind_a_tls_proxy_plain_http_is_redirected_and_https_gets_hsts(db, client, settings):
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    plain = client.get("/", headers={"x-forwarded-proto": "http"})
    assert plain.status_code == 301
    assert plain["Location"] == "https://testserver/"
    secure = client.get("/", headers={"x-forwarded-proto": "https"})
    assert secure.status_code == 200
    assert secure["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"


# --- statement timeout -----------------------------------------------------------------------


def show_statement_timeout() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SHOW statement_timeout")
        return cursor.fetchone()[0]


def slow_page(request):
    from django.http import HttpResponse

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_sleep(2)")
    return HttpResponse("too late")


urlpatterns = [path("slow/", slow_page)]


@on_postgresql
def test_a_web_request_sets_the_statement_timeout(db, client, settings):
    settings.WEB_STATEMENT_TIMEOUT_MS = 1234
    assert client.get("/").status_code == 200
    assert show_statement_timeout() == "1234ms"


@on_postgresql
def test_a_slow_query_in_a_web_request_is_cancelled(db, client, settings):
    settings.WEB_STATEMENT_TIMEOUT_MS = 50
    settings.ROOT_URLCONF = __name__
    started = time.monotonic()
    with pytest.raises(OperationalError, match="statement timeout"):
        client.get("/slow/")
    assert time.monotonic() - started < 1.5


@on_postgresql
@pytest.mark.django_db(transaction=True)
def test_a_request_that_opens_the_connection_sets_it_and_a_command_after_it_does_not(
    client, settings, capsys
):
    settings.WEB_STATEMENT_TIMEOUT_MS = 1234
    try:
        connection.close()
        server_default = show_statement_timeout()
        assert server_default != "1234ms"
        connection.close()

        assert client.get("/").status_code == 200  # connects, then sets the timeout
        assert show_statement_timeout() == "1234ms"

        # A management command on a connection of its own, as `ingest` or `migrate` run.
        connection.close()
        capsys.readouterr()
        call_command(
            "shell",
            command=(
                "from django.db import connection\n"
                "with connection.cursor() as c:\n"
                "    c.execute('SHOW statement_timeout')\n"
                "    print(c.fetchone()[0])\n"
            ),
        )
        assert capsys.readouterr().out.splitlines()[-1] == server_default
    finally:
        connection.close()  # no timeout left behind for later tests


@on_postgresql
@pytest.mark.django_db(transaction=True)
def test_a_persistent_connection_is_sent_the_timeout_once_not_once_a_request(
    client, settings, monkeypatch
):
    """A cached page costs one round trip (the content version), not two."""
    import psycopg

    settings.WEB_STATEMENT_TIMEOUT_MS = 1234
    sent = []
    execute = psycopg.Connection.execute

    def spy(self, query, *args, **kwargs):
        if "statement_timeout" in str(query):
            sent.append(str(query))
        return execute(self, query, *args, **kwargs)

    monkeypatch.setattr(psycopg.Connection, "execute", spy)
    try:
        connection.close()
        for _ in range(3):
            assert client.get("/health/").status_code == 200
            assert client.get("/").status_code == 200
        assert sent == ["SET statement_timeout = 1234"]
        assert show_statement_timeout() == "1234ms"

        settings.WEB_STATEMENT_TIMEOUT_MS = 2500  # a new value is sent
        assert client.get("/").status_code == 200
        connection.close()  # a new connection is sent it again
        assert client.get("/").status_code == 200
        assert sent[1:] == ["SET statement_timeout = 2500"] * 2
        assert show_statement_timeout() == "2500ms"
    finally:
        connection.close()  # no timeout left behind for later tests


@on_postgresql
def test_a_statement_timeout_of_zero_leaves_the_server_setting_alone(db, client, settings):
    before = show_statement_timeout()
    settings.WEB_STATEMENT_TIMEOUT_MS = 0
    assert client.get("/").status_code == 200
    assert show_statement_timeout() == before


@on_postgresql
def test_the_statement_timeout_is_not_counted_among_a_pages_queries(
    db, client, settings, django_assert_num_queries
):
    settings.WEB_STATEMENT_TIMEOUT_MS = 1234
    with django_assert_num_queries(1):
        assert client.get("/articles/").status_code == 200


def test_a_load_balancer_health_check_gets_ok_over_plain_http(
    db, tmp_path, client, settings, django_assert_num_queries
):
    exempt = settings_in(production(tmp_path), "SECURE_REDIRECT_EXEMPT")["SECURE_REDIRECT_EXEMPT"]
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_REDIRECT_EXEMPT = exempt
    with django_assert_num_queries(0):  # the process answers, whatever the database
        health = client.get("/health/")
    assert (health.status_code, health.content) == (200, b"ok\n")
    assert client.get("/robots.txt").status_code == 301  # every other page goes to HTTPS


def test_a_sqlite_database_is_written_through_a_write_ahead_log(tmp_path):
    env = environment(DATABASE_URL=f"sqlite:///{tmp_path / 'site.sqlite3'}")
    code = (
        "from django.db import connection\n"
        "print(connection.cursor().execute('PRAGMA journal_mode').fetchone()[0])"
    )
    done = manage("shell", "-c", code, env=env)
    assert done.returncode == 0, done.stderr
    # Readers then never wait for a writer, and a commit does not sync the file twice.
    assert done.stdout.split()[-1] == "wal"


WRITER = """
from django.db import transaction
from articles.models import Outlet
for n in range(150):
    with transaction.atomic():
        # Read first, as the door and the admin do, then write.
        Outlet.objects.filter(name__startswith="{tag}").count()
        Outlet.objects.create(name=f"{tag} {{n}}", slug=f"{tag}-{{n}}")
"""


def test_two_writers_on_one_sqlite_database_each_wait_their_turn(tmp_path):
    """An editor saving while an ingest runs: neither is told "database is locked"."""
    env = environment(DATABASE_URL=f"sqlite:///{tmp_path / 'site.sqlite3'}")
    migrated = manage("migrate", "--noinput", env=env)
    assert migrated.returncode == 0, migrated.stderr
    writers = [
        subprocess.Popen(
            [sys.executable, "manage.py", "shell", "-c", WRITER.format(tag=tag)],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for tag in ("editor", "ingest")
    ]
    for writer in writers:
        _, errors = writer.communicate(timeout=120)
        assert writer.returncode == 0, errors
    code = "from articles.models import Outlet; print(Outlet.objects.count())"
    counted = manage("shell", "-c", code, env=env)
    assert counted.stdout.split()[-1] == "300"


def test_gunicorn_workers_set_aside_what_they_build_once_from_the_garbage_collector(tmp_path):
    """Started as docs/deployment.md says, from the project's root, gunicorn reads
    gunicorn.conf.py: each worker freezes what it has built once it has loaded the
    application, and again after its first request (tradewatch/long_lived.py)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = production(tmp_path, DATABASE_URL=f"sqlite:///{tmp_path / 'site.sqlite3'}")
    log = tmp_path / "gunicorn.log"
    with log.open("w") as out:
        server = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "tradewatch.wsgi", "-w", "1"]
            + ["-b", f"127.0.0.1:{port}", "--timeout", "30", "--no-control-socket"],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
        try:
            status = None
            for _ in range(300):  # up to 30 s for the worker to start
                try:
                    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
                    conn.request("GET", "/health/", headers={"Host": "example.org"})
                    status = conn.getresponse().status
                    break
                except OSError:
                    time.sleep(0.1)
            assert status == 200, log.read_text()
            said = []
            for _ in range(100):  # the second line comes after the response is sent
                said = re.findall(r"([\d,]+) long-lived objects set aside", log.read_text())
                if len(said) == 2:
                    break
                time.sleep(0.1)
        finally:
            server.send_signal(signal.SIGTERM)
            server.wait(timeout=30)
    counts = [int(n.replace(",", "")) for n in said]
    assert len(counts) == 2, log.read_text()
    loaded, after_first = counts
    assert loaded > 10_000  # Django, the app's modules, the date parser's data
    assert after_first > loaded  # what the first request built lazily is added
