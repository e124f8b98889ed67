"""The quoted names for the few statements written out by hand instead of through the ORM.

Where a read or a write runs for every report ingested or every page served, building and
compiling it through the ORM can cost ten to thirty times what the database takes to run
it (docs/performance.md); such a statement is written once, from the models' own table and
column names, and cached (timeline/linking.py, timeline/caching.py,
articles/wire_groups.py), and new rows the door writes by the dozen are inserted
without the ORM's compiler (insert). Quoted by the connection it runs on.
"""

import functools
from collections.abc import Sequence
from itertools import batched

from django.db import connections, models, router


def table(connection, model) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def columns(connection, model, *names: str) -> list[str]:
    """The quoted columns of the model's fields by name ("pk": its primary key), or of all
    its concrete fields when no name is given."""
    meta = model._meta
    fields = [meta.pk if n == "pk" else meta.get_field(n) for n in names] or meta.concrete_fields
    return [connection.ops.quote_name(field.column) for field in fields]


def placeholders(count: int) -> str:
    """ "%s, %s, …": `count` parameters, for an IN list or a row of VALUES."""
    return ", ".join(["%s"] * count)


def insert(model, objs: Sequence, using: str | None = None) -> None:
    """Save new rows of a plain model, as bulk_create does, in INSERT … RETURNING
    statements written here: each instance gets its primary key and is marked saved.

    For the rows the door writes by the dozen for every report (passages, date mentions,
    topic links): bulk_create's compiler prepares each value through several layers, some
    100 µs a passage against some 20 here. Every concrete field but the auto primary key
    is written as the instance holds it (after its pre_save, through get_db_prep_save); a
    model with a field the database fills in (db_default, a generated column) is not one
    of these. Sends no signals, as bulk_create sends none.
    """
    if not objs:
        return
    using = using or router.db_for_write(model)
    db = connections[using]
    fields = _plain_fields(model)
    head = f"INSERT INTO {table(db, model)} ({', '.join(columns(db, model, *fields))}) VALUES "
    row = f"({placeholders(len(fields))})"
    tail = f" RETURNING {columns(db, model, 'pk')[0]}"
    fields = [model._meta.get_field(name) for name in fields]
    size = max(1, min(db.ops.bulk_batch_size(fields, objs), MAX_PARAMETERS // len(fields)))
    with db.cursor() as cursor:
        for chunk in batched(objs, size):
            cursor.execute(
                head + ", ".join([row] * len(chunk)) + tail,
                [f.get_db_prep_save(f.pre_save(obj, True), db) for obj in chunk for f in fields],
            )
            for obj, (pk,) in zip(chunk, cursor.fetchall(), strict=True):
                obj.pk = pk
                obj._state.adding, obj._state.db = False, using


# Parameters one statement may carry on any database (PostgreSQL's protocol allows 65,535).
MAX_PARAMETERS = 30_000


@functools.cache
def _plain_fields(model) -> tuple[str, ...]:
    """The names of the fields insert() writes; TypeError for a model it cannot."""
    meta = model._meta
    if not meta.pk.auto_created and not isinstance(meta.pk, models.AutoField):
        raise TypeError(f"{meta.label}: insert() needs an automatic primary key")
    fields = [f for f in meta.concrete_fields if f is not meta.pk]
    filled = [f.name for f in fields if f.db_returning or f.has_db_default() or f.generated]
    if filled:
        raise TypeError(f"{meta.label}: the database fills in {', '.join(filled)}")
    return tuple(f.name for f in fields)
