"""Running on more than one machine (docs/scaling.md): the read-replica router.

The router's decisions are tested with a `replica` alias in settings.DATABASES (the
router reads the setting on every decision; no query is sent to it), and the settings
block that switches it on is tested in a subprocess, since settings.py reads the
environment once, at import.
"""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import transaction
from django.test import RequestFactory

from articles.models import Article
from tests.test_deploy import settings_in
from timeline.models import Event
from tradewatch.routers import (
    PRIMARY,
    REPLICA,
    PrimaryReplicaRouter,
    Reads,
    ReplicaReadsMiddleware,
    current,
)

ROOT = Path(__file__).resolve().parent.parent
# The tests add a `replica` alias to settings.DATABASES for the router to see; no
# connection is opened with it.
pytestmark = pytest.mark.filterwarnings("ignore:Overriding setting DATABASES")


@pytest.fixture
def with_replica(settings):
    """A `replica` alias configured as DATABASE_REPLICA_URL would configure it."""
    settings.DATABASES = {
        **settings.DATABASES,
        REPLICA: {**settings.DATABASES[PRIMARY], "TEST": {"MIRROR": PRIMARY}},
    }


@pytest.fixture
def router():
    return PrimaryReplicaRouter()


def read_alias_during(request, router):
    """The alias the router picks for a read made by the view answering `request`, after
    the middleware (the last one) has seen it."""
    seen = []

    def view(request):
        seen.append(router.db_for_read(Event))
        return None

    ReplicaReadsMiddleware(view)(request)
    return seen[0]


def anonymous(request):
    request.user = AnonymousUser()
    return request


class SignedIn:
    is_authenticated = True


def test_anonymous_page_reads_go_to_the_replica(with_replica, router):
    request = anonymous(RequestFactory().get("/events/geneva-truce/"))
    assert read_alias_during(request, router) == REPLICA


def test_head_reads_go_to_the_replica_too(with_replica, router):
    assert read_alias_during(anonymous(RequestFactory().head("/")), router) == REPLICA


@pytest.mark.parametrize(
    "request_",
    [
        RequestFactory().post("/search/", {"q": "tariffs"}),  # any other method
        RequestFactory().get("/admin/timeline/event/"),  # the admin, even its GETs
        RequestFactory().get("/admin/login/"),
    ],
    ids=["post", "admin-change-list", "admin-login"],
)
def test_writes_methods_and_the_admin_read_the_primary(with_replica, router, request_):
    assert read_alias_during(anonymous(request_), router) == PRIMARY


def test_a_signed_in_editor_reads_the_primary_on_public_pages(with_replica, router):
    request = RequestFactory().get("/")
    request.user = SignedIn()
    assert read_alias_during(request, router) == PRIMARY


def test_reads_after_a_write_in_the_same_request_go_to_the_primary(with_replica, router):
    token = current.set(Reads(replica=True))
    try:
        assert router.db_for_read(Event) == REPLICA
        assert router.db_for_write(Event) == PRIMARY
        assert router.db_for_read(Event) == PRIMARY
        assert router.db_for_read(Article) == PRIMARY
    finally:
        current.reset(token)


def test_a_new_request_reads_the_replica_again(with_replica, router):
    first = current.set(Reads(replica=True))
    router.db_for_write(Event)
    current.reset(first)
    second = current.set(Reads(replica=True))
    try:
        assert router.db_for_read(Event) == REPLICA
    finally:
        current.reset(second)


@pytest.mark.django_db(transaction=True)  # not inside the test's own transaction
def test_reads_inside_a_transaction_go_to_the_primary(with_replica, router):
    token = current.set(Reads(replica=True))
    try:
        with transaction.atomic():
            assert router.db_for_read(Event) == PRIMARY
        assert router.db_for_read(Event) == REPLICA
    finally:
        current.reset(token)


def test_outside_a_request_everything_uses_the_primary(with_replica, router):
    # manage.py ingest, seed, the shell: they read what they have just written.
    assert current.get() is None
    assert router.db_for_read(Event) == PRIMARY
    assert router.db_for_write(Event) == PRIMARY


def test_writes_always_go_to_the_primary(with_replica, router):
    token = current.set(Reads(replica=True))
    try:
        assert router.db_for_write(Event) == PRIMARY
        assert router.db_for_write(Article) == PRIMARY
    finally:
        current.reset(token)


def test_without_a_replica_everything_uses_the_primary(router):
    request = anonymous(RequestFactory().get("/"))
    assert read_alias_during(request, router) == PRIMARY


def test_migrations_run_on_the_primary_only(router):
    assert router.allow_migrate(PRIMARY, "timeline", "event") is True
    assert router.allow_migrate(REPLICA, "timeline", "event") is False
    assert router.allow_migrate(REPLICA, "auth") is False


def test_rows_from_either_alias_may_be_related(router):
    event, article = Event(), Article()
    event._state.db, article._state.db = REPLICA, PRIMARY
    assert router.allow_relation(event, article) is True
    article._state.db = "elsewhere"
    assert router.allow_relation(event, article) is None


def test_the_middleware_forgets_the_request_when_it_ends(with_replica, router):
    read_alias_during(anonymous(RequestFactory().get("/")), router)
    assert current.get() is None


def settings_with(**variables) -> dict:
    """What settings.py makes of the database and router settings under `variables`."""
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_REPLICA_URL"}
    env |= {"DJANGO_SETTINGS_MODULE": "tradewatch.settings", "DEBUG": "true"} | variables
    found = settings_in(env, "DATABASES", "DATABASE_ROUTERS", "MIDDLEWARE")
    replica = found["DATABASES"].get("replica", {})
    return {
        "aliases": sorted(found["DATABASES"]),
        "replica": replica.get("NAME"),
        "mirror": replica.get("TEST", {}).get("MIRROR"),
        "routers": list(found["DATABASE_ROUTERS"] or []),
        "last_middleware": found["MIDDLEWARE"][-1],
    }


def test_database_replica_url_switches_the_router_on():
    shown = settings_with(
        DATABASE_URL="postgres://postgres@127.0.0.1:5432/tradewatch",
        DATABASE_REPLICA_URL="postgres://reader@10.0.0.2:5432/tradewatch",
    )
    assert shown["aliases"] == ["default", "replica"]
    assert shown["replica"] == "tradewatch"
    assert shown["mirror"] == "default"
    assert shown["routers"] == ["tradewatch.routers.PrimaryReplicaRouter"]
    assert shown["last_middleware"] == "tradewatch.routers.ReplicaReadsMiddleware"


def test_without_database_replica_url_there_is_one_database():
    shown = settings_with()
    assert shown["aliases"] == ["default"]
    assert shown["routers"] == []
    assert shown["last_middleware"] != "tradewatch.routers.ReplicaReadsMiddleware"


def test_a_bad_database_replica_url_fails_at_start_up():
    env = {k: v for k, v in os.environ.items()}
    env |= {"DJANGO_SETTINGS_MODULE": "tradewatch.settings", "DATABASE_REPLICA_URL": "nope://"}
    done = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode != 0
    assert "DATABASE_REPLICA_URL is not a database URL" in done.stderr
