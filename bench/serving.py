"""What the load tests share (bench/load.py, bench/two_servers.py): their database, gunicorn
on a free port of 127.0.0.1, one GET, and their own Redis database, each bounded in time
and cleaned up after.

Everything here talks to 127.0.0.1 only: a database URL, a Redis URL and the servers are
refused elsewhere. `app` is the project tree served (--app-dir); the virtualenv is always
this tree's.
"""

import http.client
import os
import signal
import socket
import subprocess
import time
import urllib.parse
from contextlib import contextmanager
from pathlib import Path

from scratch import PYTHON, ROOT, log  # noqa: F401  (log: the load tests' progress too)

GUNICORN = ROOT / ".venv" / "bin" / "gunicorn"


HOST = "127.0.0.1"  # the only address this script ever talks to


LOOPBACK_DB_HOSTS = {"127.0.0.1", "localhost", "::1", ""}


REQUEST_TIMEOUT = 30.0  # seconds, per request (gunicorn's own worker timeout is 30 s too)


def check_loopback(url: str) -> None:
    parsed = urllib.parse.urlsplit(url)
    if parsed.scheme.startswith("sqlite"):
        return
    if (parsed.hostname or "") not in LOOPBACK_DB_HOSTS:
        raise SystemExit(f"refusing {url!r}: the load test only talks to 127.0.0.1")


def create_database(admin_url: str, name: str) -> str:
    import psycopg

    with psycopg.connect(admin_url, autocommit=True, connect_timeout=10) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    parsed = urllib.parse.urlsplit(admin_url)
    return urllib.parse.urlunsplit(parsed._replace(path=f"/{name}"))


def drop_database(admin_url: str, name: str) -> None:
    import psycopg

    with psycopg.connect(admin_url, autocommit=True, connect_timeout=10) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def database_for(args) -> tuple[str, str | None]:
    """The database the servers use: --database-url as it is (loopback or SQLite only), or
    a fresh PostgreSQL database, tw_load_<pid>; and the name of the one made, to drop."""
    if args.database_url:
        check_loopback(args.database_url)
        return args.database_url, None
    check_loopback(args.pg_admin_url)
    name = f"tw_load_{os.getpid()}"
    url = create_database(args.pg_admin_url, name)
    log(f"created database {name}")
    return url, name


def drop_quietly(admin_url: str, name: str) -> None:
    """Drop a database this run made; a failure is said, and the clean-up goes on."""
    try:
        drop_database(admin_url, name)
        log(f"dropped database {name}")
    except Exception as exc:  # noqa: BLE001  (report, keep cleaning up)
        log(f"could not drop {name}: {exc}")


def manage(env, *args, timeout=300.0, check=True, app=ROOT):
    return subprocess.run(
        [str(PYTHON), "manage.py", *args],
        cwd=app,
        env=env,
        timeout=timeout,
        check=check,
        capture_output=True,
        text=True,
    )


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def start_gunicorn(
    env,
    port: int,
    workers: int,
    limit_request_line: int,
    logfile,
    app=ROOT,
    module="tradewatch.wsgi",
):
    """gunicorn serving `module` (TradeWatch, unless told) from the folder `app`."""
    return subprocess.Popen(
        [
            str(GUNICORN),
            module,
            "-w",
            str(workers),
            "-b",
            f"{HOST}:{port}",
            "--timeout",
            "30",
            "--limit-request-line",
            str(limit_request_line),
        ],
        cwd=app,
        env=env,
        stdout=logfile,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


@contextmanager
def gunicorn(env, workers: int, limit_request_line: int, output: Path, **where):
    """gunicorn (start_gunicorn; `where`: its app and module) on a free port, answering
    before the block runs, with its output in the file `output`: the port. Stopped after
    the block."""
    port = free_port()
    with output.open("w") as logfile:
        server = start_gunicorn(env, port, workers, limit_request_line, logfile, **where)
        try:
            wait_until_up(port, server, seconds=120)
            yield port
        finally:
            stop(server)


def stop(proc: subprocess.Popen) -> None:
    if proc.poll() is not None:
        return
    proc.send_signal(signal.SIGTERM)
    try:
        proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(timeout=5)


def fetch(port: int, path: str, timeout: float = REQUEST_TIMEOUT, headers: dict | None = None):
    """(response, body) of one GET to 127.0.0.1, the response's headers read; raises on
    no answer."""
    conn = http.client.HTTPConnection(HOST, port, timeout=timeout)
    try:
        conn.request("GET", path, headers={"Host": HOST, "Connection": "close", **(headers or {})})
        response = conn.getresponse()
        return response, response.read()
    finally:
        conn.close()


def get(port: int, path: str, timeout: float = REQUEST_TIMEOUT, headers: dict | None = None):
    """(status, body) of one GET to 127.0.0.1; raises on no answer."""
    response, body = fetch(port, path, timeout, headers)
    return response.status, body


def wait_until_up(port: int, proc: subprocess.Popen, seconds: float = 60.0) -> bytes:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit("gunicorn exited during start-up (see its log above)")
        try:
            status, body = get(port, "/", timeout=5)
            if status == 200:
                return body
        except OSError:
            pass
        time.sleep(0.25)
    raise SystemExit(f"gunicorn did not answer on {HOST}:{port} within {seconds:.0f} s")


def flush_redis(url: str) -> None:
    """Empty the benchmark's own Redis database (a db number of its own, on 127.0.0.1)."""
    import redis

    parsed = urllib.parse.urlsplit(url)
    if parsed.hostname not in LOOPBACK_DB_HOSTS - {""}:
        raise SystemExit(f"refusing {url!r}: Redis on 127.0.0.1 only")
    if parsed.path.strip("/") in ("", "0"):
        raise SystemExit(f"refusing {url!r}: give a db number of its own, e.g. /7")
    client = redis.Redis.from_url(url, socket_timeout=5)
    try:
        client.flushdb()
    finally:
        client.close()


def flush_quietly(url: str) -> None:
    """flush_redis at the end of a run: a failure is said, and the clean-up goes on."""
    try:
        flush_redis(url)
    except Exception as exc:  # noqa: BLE001  (report, keep cleaning up)
        log(f"could not empty {url}: {exc}")
