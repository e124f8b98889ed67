"""The scratch databases the benchmarks write to, and the line that says on what machine.

Every benchmark takes a --database-url and goes through check_target(), which refuses the
project's db.sqlite3, a PostgreSQL server not on 127.0.0.1 and a database whose name does
not start tw_bench; open_database() then makes Django use it in this process, empty()
refuses a database that has tables unless told to start it again, and run() runs a
script (manage.py, or a benchmark's own step) on it in a child process.
"""

import os
import platform
import subprocess
import sys
import urllib.parse
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
PYTHON = ROOT / ".venv" / "bin" / "python"
sys.path.insert(0, str(ROOT))

LOOPBACK = {"127.0.0.1", "localhost", "::1"}


def check_target(url: str) -> dict:
    """The parsed URL, or SystemExit for a database this benchmark must not write to."""
    import dj_database_url

    config = dj_database_url.parse(url)
    engine = config["ENGINE"]
    if engine.endswith("sqlite3"):
        path = Path(config["NAME"]).resolve()
        if path == (ROOT / "db.sqlite3").resolve():
            raise SystemExit("refusing the project's own db.sqlite3: give a scratch file")
        return config
    if engine.endswith("postgresql"):
        if (config.get("HOST") or "") not in LOOPBACK:
            raise SystemExit(f"refusing {url!r}: PostgreSQL on 127.0.0.1 only")
        if not config["NAME"].startswith("tw_bench"):
            raise SystemExit(f"refusing database {config['NAME']!r}: its name must start tw_bench")
        return config
    raise SystemExit(f"refusing {url!r}: SQLite or PostgreSQL only")


def ensure_postgres_database(url: str, name: str) -> None:
    """Create the benchmark's PostgreSQL database if it is missing (from template0, through
    template1: never the tradewatch or postgres databases)."""
    import psycopg

    try:
        psycopg.connect(url, connect_timeout=10).close()
        return
    except psycopg.OperationalError as exc:
        if "does not exist" not in str(exc):
            raise
    admin = urllib.parse.urlunsplit(urllib.parse.urlsplit(url)._replace(path="/template1"))
    with psycopg.connect(admin, autocommit=True, connect_timeout=10) as conn:
        conn.execute(f'CREATE DATABASE "{name}" TEMPLATE template0')


def machine(vendor: str) -> str:
    import dateparser
    import django
    from django.db import connection

    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    if vendor == "sqlite":
        import sqlite3

        database = f"SQLite {sqlite3.sqlite_version}"
    else:
        with connection.cursor() as cursor:
            cursor.execute("SHOW server_version")
            database = f"PostgreSQL {cursor.fetchone()[0].split()[0]}"
    load = os.getloadavg()[0]
    return (
        f"{os.cpu_count()} CPUs (nproc {nproc()}), {memory:.0f} GiB, Python "
        f"{platform.python_version()}, Django {django.get_version()}, {database}, "
        f"dateparser {dateparser.__version__}; load average {load:.2f} (1 min) at the start"
    )


def nproc() -> str:
    try:
        return subprocess.run(["nproc"], capture_output=True, text=True, timeout=5).stdout.strip()
    except OSError:
        return "?"


def drop(url: str, config: dict) -> None:
    """Delete a benchmark database (only ever one check_target accepted): the SQLite file
    and its log, or the PostgreSQL database."""
    if config["ENGINE"].endswith("sqlite3"):
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(str(config["NAME"]) + suffix).unlink(missing_ok=True)
        return
    import psycopg

    admin = urllib.parse.urlunsplit(urllib.parse.urlsplit(url)._replace(path="/template1"))
    with psycopg.connect(admin, autocommit=True, connect_timeout=10) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{config["NAME"]}" WITH (FORCE)')


def log(*args) -> None:
    """Progress, on stderr: the figures go to stdout."""
    print(*args, file=sys.stderr, flush=True)


def open_database(url: str) -> dict:
    """Use the database at `url` in this process (created first on PostgreSQL if missing),
    as production would (DEBUG off, so no query log kept in memory); its parsed config."""
    config = check_target(url)
    if config["ENGINE"].endswith("postgresql"):
        ensure_postgres_database(url, config["NAME"])
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tradewatch.settings")
    import django

    django.setup()
    from django.conf import settings

    settings.DEBUG = False
    return config


def empty(config: dict, reset: bool) -> None:
    """Refuse the open database if it has tables, unless `reset`: then start it again (the
    SQLite file deleted, or the PostgreSQL database's public schema dropped)."""
    from django.db import connection

    tables = connection.introspection.table_names()
    if tables and not reset:
        raise SystemExit(
            f"refusing: the database is not empty ({len(tables)} tables); "
            "give --reset to start it again, or another --database-url"
        )
    if tables:
        if connection.vendor == "sqlite":
            connection.close()
            for suffix in ("", "-wal", "-shm", "-journal"):
                Path(str(config["NAME"]) + suffix).unlink(missing_ok=True)
        else:
            with connection.cursor() as cursor:
                cursor.execute("DROP SCHEMA public CASCADE")
                cursor.execute("CREATE SCHEMA public")


def run(script: Path, *args: str, database: str, timeout: float = 3600.0):
    """Run a Python script of the project on `database` in a child process (its page cache
    its own: no REDIS_URL); raise with its output if it fails."""
    env = os.environ | {"DATABASE_URL": database, "LOG_LEVEL": "ERROR"}
    env.pop("REDIS_URL", None)
    done = subprocess.run(
        [str(PYTHON), str(script), *args],
        cwd=ROOT,
        env=env,
        timeout=timeout,
        capture_output=True,
        text=True,
    )
    if done.returncode:
        raise SystemExit(
            f"{Path(script).name} {' '.join(args)} failed:\n{done.stdout[-5000:]}\n"
            f"{done.stderr[-5000:]}"
        )
    return done
