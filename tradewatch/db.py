"""A PostgreSQL statement timeout for web requests only.

A page must not hold a worker (and a connection) for minutes on a runaway query, but
`manage.py ingest` or `migrate` may legitimately run long statements. So the timeout
(settings.WEB_STATEMENT_TIMEOUT_MS) is set when a request starts: at once on a
connection that is already open (persistent connections), or as soon as the request
opens one. Management commands never start a request, so they never get it.

The SET runs on the driver's connection, not through Django's cursor, so it is not
counted in a page's queries (tests count them). A connection keeps the setting once
set outside a transaction, so a persistent connection is sent it once, not once a
request: a cached page then costs one round trip to the database, not two. A SET made
inside a transaction (a test's, say) is undone by its rollback, so it is sent again.
"""

import logging

from django.conf import settings
from django.core.signals import request_finished, request_started
from django.db import DatabaseError, connections
from django.db.backends.signals import connection_created

logger = logging.getLogger(__name__)

# Set on a connection wrapper while a request is being answered: the timeout it wants.
PENDING = "tradewatch_statement_timeout_ms"
# Set on a connection wrapper by a SET that lasts: (the driver's connection, the timeout).
KEPT = "tradewatch_statement_timeout_kept"


def set_statement_timeout(connection, ms: int) -> None:
    raw = connection.connection
    kept = getattr(connection, KEPT, None)
    if kept is not None and kept[0] is raw and kept[1] == ms:
        return  # this very connection has it already
    with connection.wrap_database_errors:
        raw.execute(f"SET statement_timeout = {int(ms)}")
    setattr(connection, KEPT, (raw, ms) if connection.get_autocommit() else None)


def on_request_started(sender, **kwargs):
    ms = settings.WEB_STATEMENT_TIMEOUT_MS
    if not ms:
        return
    for connection in connections.all():
        if connection.vendor != "postgresql":
            continue
        setattr(connection, PENDING, ms)
        if connection.connection is None:
            continue  # on_connection_created sets it if the request connects
        try:
            set_statement_timeout(connection, ms)
        except DatabaseError:
            # A persistent connection the server dropped: close it and let the view
            # reconnect (which sets the timeout), rather than fail outside any view.
            logger.warning("Could not set statement_timeout; reconnecting", exc_info=True)
            connection.close()


def on_connection_created(sender, connection, **kwargs):
    ms = getattr(connection, PENDING, None)
    if ms and connection.vendor == "postgresql":
        set_statement_timeout(connection, ms)


def on_request_finished(sender, **kwargs):
    for connection in connections.all(initialized_only=True):
        if getattr(connection, PENDING, None) is not None:
            setattr(connection, PENDING, None)


def connect_signals() -> None:
    request_started.connect(on_request_started, dispatch_uid="tradewatch.db.request_started")
    connection_created.connect(
        on_connection_created, dispatch_uid="tradewatch.db.connection_created"
    )
    request_finished.connect(on_request_finished, dispatch_uid="tradewatch.db.request_finished")
