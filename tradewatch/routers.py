"""Reads of the public pages from a read replica; everything else from the primary.

Switched on by DATABASE_REPLICA_URL (see the block at the end of tradewatch/settings.py),
which adds the `replica` database alias, this router and its middleware. Without it
nothing here runs and every query goes to `default`, as before.

Which database a query goes to:

- writes, always the primary (`default`); migrations run there only (the replica is a
  copy the database server keeps, not a database Django manages);
- reads, the replica only while answering a request that cannot have written anything
  a reader must see at once: an anonymous GET or HEAD outside the admin. Everything else
  reads the primary, so an editor always reads their own writes:
  - a signed-in user (an editor), any request to the admin, any POST or other method;
  - the rest of a request once it has written anything;
  - anything inside a transaction on the primary (`transaction.atomic`), so that a read
    sees the rows the transaction wrote and `select_for_update` locks real rows;
  - anything outside a request: `manage.py ingest`, `seed`, `migrate`, the shell, tests.

A reader can therefore see a change up to the replication lag late (usually well under a
second), never older. The page cache stays consistent with it: the content version a
cached page is keyed by (timeline/caching.py) is read from the same replica as the page,
and replication applies transactions in commit order, so a replica that shows version v
has every change v stands for.
"""

from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

from django.conf import settings
from django.db import connections
from django.urls import reverse

PRIMARY = "default"
REPLICA = "replica"


@dataclass
class Reads:
    """What the request being answered may read from: set by ReplicaReadsMiddleware."""

    replica: bool
    wrote: bool = False


# None outside a request (management commands, the shell, tests without a request).
current: ContextVar[Reads | None] = ContextVar("tradewatch_reads", default=None)


def replica_configured() -> bool:
    return REPLICA in settings.DATABASES


@contextmanager
def reads(replica: bool):
    """Reads inside the block go to the replica when `replica` is true and there is one
    (within the rules of the router), else to the primary."""
    token = current.set(Reads(replica=replica and replica_configured()))
    try:
        yield
    finally:
        current.reset(token)


class PrimaryReplicaRouter:
    """Django database router: see the module's docstring for the rules."""

    def db_for_read(self, model, **hints):
        reads = current.get()
        if (
            reads is None
            or not reads.replica
            or reads.wrote
            or not replica_configured()
            or connections[PRIMARY].in_atomic_block
        ):
            return PRIMARY
        return REPLICA

    def db_for_write(self, model, **hints):
        reads = current.get()
        if reads is not None:
            reads.wrote = True  # the rest of the request reads its own writes
        return PRIMARY

    def allow_relation(self, obj1, obj2, **hints):
        # Both aliases hold the same rows: an object read from the replica may be
        # related to, and saved with, one from the primary.
        if {obj1._state.db, obj2._state.db} <= {PRIMARY, REPLICA}:
            return True
        return None

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == PRIMARY


def may_read_replica(request) -> bool:
    """An anonymous GET or HEAD outside the admin: nothing it reads was written by the
    person asking, so a replica a moment behind is good enough."""
    if request.method not in ("GET", "HEAD"):
        return False
    if request.path.startswith(reverse("admin:index")):
        return False
    user = getattr(request, "user", None)
    return not (user is not None and user.is_authenticated)


class ReplicaReadsMiddleware:
    """Marks each request the router may answer from the replica. It comes after the
    authentication middleware (it asks whether the user is signed in, which reads the
    session and the user from the primary)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        # A streamed body read after the block reads the primary: the safe side.
        with reads(may_read_replica(request)):
            return self.get_response(request)
