"""Two app servers, one database, one cache: an edit on one is seen at once on the other.

    .venv/bin/python bench/two_servers.py [--redis-url redis://127.0.0.1:6379/8]
                                          [--pg-admin-url postgres://postgres@127.0.0.1:5432/postgres]

What docs/scaling.md describes, tried on one machine. It:

1. creates a scratch PostgreSQL database, tw_bench_two_<pid>, on 127.0.0.1, migrates and
   seeds it (`manage.py migrate`, `manage.py seed`), and creates a superuser with
   `manage.py createsuperuser --noinput` (DJANGO_SUPERUSER_PASSWORD, a random one);
2. empties a Redis database of its own (a db number other than 0, FLUSHDB) and starts two
   gunicorn instances (one sync worker each, DEBUG off) on two free loopback ports, A and
   B, both with that DATABASE_URL and REDIS_URL and the page cache on;
3. fetches the timeline `/` from A and from B, twice each, and prints their X-Cache
   headers (B's first answer is already a hit when the cache is shared); readers' requests
   carry one Host header, 127.0.0.1, as a load balancer in front of both would pass on;
4. signs in to the admin on A (urllib with a cookie jar: GET the login form for its CSRF
   token, POST the credentials), GETs the change form of the Busan meeting event, and
   POSTs it back with only the title changed;
5. fetches `/` and the event's page from B (no cookies: an anonymous reader, the cached
   path) and checks that the new title is there at once; and `/` from A.

It prints what it saw and exits 1 if B served the old title. Bounded: 127.0.0.1 only, a
timeout on every request and subprocess, an overall deadline; it stops both servers,
empties the Redis database and drops the PostgreSQL database, whatever happens.
"""

import argparse
import html
import http.cookiejar
import os
import re
import secrets
import shutil
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from html.parser import HTMLParser
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

from serving import (  # noqa: E402
    HOST,
    check_loopback,
    create_database,
    drop_quietly,
    flush_quietly,
    flush_redis,
    free_port,
    manage,
    start_gunicorn,
    stop,
    wait_until_up,
)

EVENT = "trump-xi-busan-meeting"
DEADLINE = 300.0  # seconds for the whole run, servers' start-up included
TIMEOUT = 30.0  # per request


def log(*args) -> None:
    print(*args, flush=True)  # the run's account is its output, on stdout


class FormFields(HTMLParser):
    """The fields a browser would submit from the form with the given id: text, hidden
    and date inputs, checked boxes, textareas and selected options."""

    def __init__(self, form_id: str):
        super().__init__(convert_charrefs=True)
        self.form_id = form_id
        self.inside = False
        self.fields: list[tuple[str, str]] = []
        self.select: dict | None = None
        self.textarea: list | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self.inside = a.get("id") == self.form_id
        if not self.inside or not a.get("name") and tag != "option":
            return
        if tag == "input":
            kind = a.get("type", "text")
            if kind in ("submit", "button", "image", "file", "reset"):
                return
            if kind in ("checkbox", "radio") and "checked" not in a:
                return
            self.fields.append((a["name"], a.get("value", "on" if kind == "checkbox" else "")))
        elif tag == "select":
            self.select = {"name": a["name"], "multiple": "multiple" in a, "chosen": []}
            self.select["first"] = None
        elif tag == "option" and self.select is not None:
            value = a.get("value", "")
            if self.select["first"] is None:
                self.select["first"] = value
            if "selected" in a:
                self.select["chosen"].append(value)
        elif tag == "textarea":
            self.textarea = [a["name"]]

    def handle_data(self, data):
        if self.textarea is not None:
            self.textarea.append(data)

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False
        elif tag == "select" and self.select is not None:
            chosen = self.select["chosen"]
            if not chosen and not self.select["multiple"] and self.select["first"] is not None:
                chosen = [self.select["first"]]
            self.fields += [(self.select["name"], value) for value in chosen]
            self.select = None
        elif tag == "textarea" and self.textarea is not None:
            name, *text = self.textarea
            # The HTML parser keeps the newline after <textarea>; a browser drops it.
            self.fields.append((name, "".join(text).removeprefix("\n")))
            self.textarea = None


def anonymous_get(port: int, path: str) -> tuple[int, dict, str]:
    """A reader's GET as a load balancer passes it on: no cookies, and the site's one host
    name (the page cache keys pages by host, and both servers answer for one site)."""
    request = urllib.request.Request(f"http://{HOST}:{port}{path}", headers={"Host": HOST})
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT) as response:
            return response.status, dict(response.headers), response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read().decode(errors="replace")


class Editor:
    """A signed-in editor on one server: urllib with a cookie jar."""

    def __init__(self, port: int):
        self.base = f"http://{HOST}:{port}"
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))

    def get(self, path: str) -> tuple[int, str, str]:
        with self.opener.open(self.base + path, timeout=TIMEOUT) as response:
            return response.status, response.geturl(), response.read().decode()

    def post(self, path: str, fields: list[tuple[str, str]]) -> tuple[int, str, str]:
        data = urllib.parse.urlencode(fields).encode()
        request = urllib.request.Request(
            self.base + path, data=data, headers={"Referer": self.base + path}
        )
        with self.opener.open(request, timeout=TIMEOUT) as response:
            return response.status, response.geturl(), response.read().decode()

    def sign_in(self, username: str, password: str) -> None:
        _, _, page = self.get("/admin/login/?next=/admin/")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        if not token:
            raise SystemExit("the admin login form has no CSRF token")
        fields = [
            ("csrfmiddlewaretoken", token.group(1)),
            ("username", username),
            ("password", password),
            ("next", "/admin/"),
        ]
        _, url, _ = self.post("/admin/login/?next=/admin/", fields)
        if "/admin/login/" in url:
            raise SystemExit("could not sign in to the admin")


def title_in(page: str, title: str) -> bool:
    return html.escape(title) in page or title in page


def event_pk(database_url: str) -> tuple[int, str]:
    import psycopg

    with psycopg.connect(database_url, connect_timeout=10) as conn:
        row = conn.execute("SELECT id, title FROM timeline_event WHERE slug = %s", [EVENT])
        return row.fetchone()


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/8")
    parser.add_argument("--pg-admin-url", default="postgres://postgres@127.0.0.1:5432/postgres")
    args = parser.parse_args(argv)
    check_loopback(args.pg_admin_url)
    if not (BENCH.parent / "timeline" / "caching.py").exists():
        log("note: timeline/caching.py is missing: the pages are not cached in this version")

    ends = time.monotonic() + DEADLINE
    name = f"tw_bench_two_{os.getpid()}"
    workdir = Path(tempfile.mkdtemp(prefix="tw_two_"))
    servers = []
    database_url = None
    try:
        flush_redis(args.redis_url)
        database_url = create_database(args.pg_admin_url, name)
        password = secrets.token_urlsafe(16)
        env = os.environ | {
            "DATABASE_URL": database_url,
            "REDIS_URL": args.redis_url,
            "PAGE_CACHE_SECONDS": "600",
            "DEBUG": "false",
            "SECRET_KEY": "two-servers-only-" + secrets.token_hex(16),
            "SECURE_SSL_REDIRECT": "false",
            "SECURE_COOKIES": "false",
            "ALLOWED_HOSTS": HOST,
            "LOG_LEVEL": "ERROR",
            "DJANGO_SUPERUSER_USERNAME": "editor",
            "DJANGO_SUPERUSER_EMAIL": "editor@example.invalid",
            "DJANGO_SUPERUSER_PASSWORD": password,
        }
        started = time.perf_counter()
        manage(env, "migrate", "--noinput")
        manage(env, "seed")
        manage(env, "createsuperuser", "--noinput")
        log(
            f"database {name}: migrated, seeded, superuser made in "
            f"{time.perf_counter() - started:.0f} s; Redis {args.redis_url} emptied"
        )

        ports = []
        for label in ("A", "B"):
            port = free_port()
            server_log = (workdir / f"gunicorn-{label}.log").open("w")
            servers.append(start_gunicorn(env, port, 1, 8190, server_log))
            ports.append(port)
        for port, server in zip(ports, servers, strict=True):
            wait_until_up(port, server, seconds=max(10.0, ends - time.monotonic()))
        a, b = ports
        log(f"gunicorn A on {HOST}:{a}, B on {HOST}:{b} (one sync worker each)")

        pk, old_title = event_pk(database_url)
        for label, port in (("A", a), ("B", b), ("A", a), ("B", b)):
            status, headers, page = anonymous_get(port, "/")
            log(
                f"GET / from {label}: {status}, X-Cache {headers.get('X-Cache', '-')}, "
                f"old title {'shown' if title_in(page, old_title) else 'NOT shown'}"
            )

        editor = Editor(a)
        editor.sign_in("editor", password)
        change = f"/admin/timeline/event/{pk}/change/"
        _, _, form = editor.get(change)
        reader = FormFields("event_form")
        reader.feed(form)
        new_title = f"{old_title} (edited {time.strftime('%H:%M:%S')})"
        fields = [(k, new_title if k == "title" else v) for k, v in reader.fields]
        if not any(k == "title" for k, _ in fields):
            raise SystemExit("the event's change form has no title field")
        _, url, answer = editor.post(change, [*fields, ("_save", "Save")])
        edited_at = time.perf_counter()  # the admin has answered: the edit is committed
        if url.rstrip("/").endswith("/change"):
            errors = re.findall(r'class="errorlist[^"]*"[^>]*>(.*?)</ul>', answer, re.S)
            raise SystemExit(f"the admin did not save the change: {errors[:3]}")
        log(f"edited on A through the admin: {old_title!r} -> {new_title!r}")

        problems = 0
        for label, port, path in (("B", b, "/"), ("B", b, f"/events/{EVENT}/"), ("A", a, "/")):
            status, headers, page = anonymous_get(port, path)
            seen = title_in(page, new_title)
            problems += not seen
            log(
                f"GET {path} from {label} {time.perf_counter() - edited_at:.2f} s after the "
                f"edit: {status}, X-Cache {headers.get('X-Cache', '-')}, new title "
                f"{'shown' if seen else 'NOT shown (stale)'}"
            )
        status, headers, _ = anonymous_get(b, "/")
        log(f"GET / from B again: {status}, X-Cache {headers.get('X-Cache', '-')}")
        log("result: " + ("B showed the edit at once" if not problems else "STALE pages"))
        return 1 if problems else 0
    finally:
        for server in servers:
            stop(server)
        flush_quietly(args.redis_url)
        if database_url:
            drop_quietly(args.pg_admin_url, name)
        shutil.rmtree(workdir, ignore_errors=True)
        log("servers stopped, Redis db emptied, database dropped")


if __name__ == "__main__":
    sys.exit(main())
