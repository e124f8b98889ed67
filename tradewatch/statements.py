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
from django.db.backends.base.operations import BaseDatabaseOperations
from django.db.models.expressions import DatabaseDefault
from django.db.models.sql import InsertQuery


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
    """Save new rows, as bulk_create does, in INSERT … RETURNING statements written here:
    each instance gets its primary key (and what the database filled in) and is marked
    saved.

    For the rows the door writes by the dozen for every report (passages, claims, date
    mentions, topic links, evidence): bulk_create's compiler prepares each value through
    several layers, some 100 µs a passage against some 20 here. Every concrete field but
    the automatic primary key is written as the instance holds it (after its pre_save,
    through get_db_prep_save, or read as it is where that would hand it back unchanged:
    plain_types), but a field with a db_default that the rows leave to the
    database (as new instances do): it is read back, converted as the ORM converts it.
    A model with a generated column, or without an automatic primary key, is refused, as
    are rows already saved. Sends no signals, as bulk_create sends none.
    """
    if not objs:
        return
    if any(obj.pk is not None for obj in objs):
        raise ValueError(f"{model._meta.label}: insert() saves new rows only")
    using = using or router.db_for_write(model)
    db = connections[using]
    meta = model._meta
    written, defaulted = _insertable(model)
    returned = [meta.pk]
    for field in defaulted:  # written if the rows set it, else the database's to fill in
        left = [isinstance(getattr(obj, field.attname), DatabaseDefault) for obj in objs]
        if any(left) and not all(left):
            raise ValueError(f"{meta.label}.{field.name}: set on some rows, left on others")
        if left[0]:
            returned.append(field)
        else:
            written = (*written, field)
    sql = functools.partial(
        insert_sql, db, model, [f.name for f in written], returning=[f.name for f in returned]
    )
    per_row = max(1, len(written))
    if len(objs) * per_row <= ALWAYS_ALLOWED:
        size = len(objs)  # one statement, as bulk_batch_size would allow
    else:
        size = max(1, min(db.ops.bulk_batch_size(written, objs), MAX_PARAMETERS // per_row))
    convert = None
    if len(returned) > 1:  # values of the database's own: converted as a read converts them
        compiler = InsertQuery(model).get_compiler(using=using)
        converters = compiler.get_converters([f.get_col(meta.db_table) for f in returned])
        convert = (lambda rows: compiler.apply_converters(rows, converters)) if converters else None
    plain = [(field, field.attname, plain_types(field, type(db.ops))) for field in written]
    with db.cursor() as cursor:
        for chunk in batched(objs, size):
            params = []
            for obj in chunk:
                for field, name, types in plain:
                    if types:
                        value = getattr(obj, name)
                        if type(value) not in types:
                            value = field.get_db_prep_save(value, db)
                    else:
                        value = field.get_db_prep_save(field.pre_save(obj, True), db)
                    params.append(value)
            cursor.execute(sql(len(chunk)), params)
            rows = cursor.fetchall()
            for obj, values in zip(chunk, convert(rows) if convert else rows, strict=True):
                for field, value in zip(returned, values, strict=True):
                    setattr(obj, field.attname, value)
                obj._state.adding, obj._state.db = False, using


def link(relation, pairs: Sequence[tuple[int, int]], using: str | None = None) -> None:
    """Rows of a many-to-many relation's own table (`relation`: a ManyToManyField's
    `through` model, made by Django), as (source pk, target pk) pairs, in INSERT
    statements written here: the pairs are numbers and need no preparation, and making a
    model instance of each, as insert() needs, cost more than the statement."""
    if not pairs:
        return
    meta = relation._meta
    if not meta.auto_created:
        raise TypeError(f"{meta.label}: link() writes the rows of a table Django made")
    source, target = (f for f in meta.concrete_fields if f is not meta.pk)
    db = connections[using or router.db_for_write(relation)]
    size = MAX_PARAMETERS // 2
    with db.cursor() as cursor:
        for chunk in batched(pairs, size):
            cursor.execute(
                insert_sql(db, relation, [source.name, target.name], len(chunk)),
                [value for pair in chunk for value in pair],
            )


# Parameters one statement may carry on any database (PostgreSQL's protocol allows 65,535).
MAX_PARAMETERS = 30_000

# Parameters every database Django supports takes in one statement (SQLite's smallest
# default limit; PostgreSQL has none of its own). Rows that carry no more need no asking:
# bulk_batch_size reads SQLite's limit from the connection and walks the fields, some
# 20 µs for each of the five or so INSERTs of every report.
ALWAYS_ALLOWED = 999


def insert_sql(connection, model, names: Sequence[str], rows: int, returning=()) -> str:
    """INSERT INTO the model's table (the columns of the fields `names`) VALUES `rows` rows
    of parameters, RETURNING the columns of the fields `returning`, if any."""
    head, row, tail = _insert_parts(connection.alias, model, tuple(names), tuple(returning))
    return f"{head}{', '.join([row] * rows)}{tail}"


@functools.lru_cache(maxsize=256)
def _insert_parts(alias: str, model, names: tuple, returning: tuple) -> tuple[str, str, str]:
    """What an INSERT of the model's fields `names` says before its rows, each row, and
    after them, on the database `alias`: written once, whatever the number of rows."""
    connection = connections[alias]
    into = f"{table(connection, model)} ({', '.join(columns(connection, model, *names))})"
    tail = f" RETURNING {', '.join(columns(connection, model, *returning))}" if returning else ""
    return f"INSERT INTO {into} VALUES ", f"({placeholders(len(names))})", tail


@functools.cache
def _insertable(model) -> tuple[tuple, tuple]:
    """The fields insert() may write (all concrete ones but the primary key): those it
    always writes, and those with a db_default the rows may leave to the database.
    TypeError for a model it cannot insert into."""
    meta = model._meta
    if not isinstance(meta.pk, models.AutoField):
        raise TypeError(f"{meta.label}: insert() needs an automatic primary key")
    generated = [f.name for f in meta.concrete_fields if f.generated]
    if generated:
        raise TypeError(f"{meta.label}: the database fills in {', '.join(generated)}")
    fields = [f for f in meta.concrete_fields if f is not meta.pk]
    return (
        tuple(f for f in fields if not f.has_db_default()),
        tuple(f for f in fields if f.has_db_default()),
    )


# The values that Django's own fields save as they are: a str for a text column, a bool for
# a boolean, None for any of them; an int for an integer column (and a key to a table with
# an automatic one) on the backends that pass integers on as they are, which SQLite does
# (psycopg 3 sends them typed). tests/test_statements.py holds every one of them to
# get_db_prep_save.
UNCHANGED = {
    models.CharField: frozenset({str, type(None)}),
    models.TextField: frozenset({str, type(None)}),
    models.BooleanField: frozenset({bool, type(None)}),
}
INTEGERS = (
    models.IntegerField,
    models.PositiveIntegerField,
    models.SmallIntegerField,
    models.PositiveSmallIntegerField,
    models.BigIntegerField,
    models.PositiveBigIntegerField,
)
AUTOMATIC = (models.AutoField, models.BigAutoField, models.SmallAutoField)


@functools.cache
def plain_types(field, ops_class) -> frozenset[type]:
    """The exact types of the values that `field` saves unchanged (its pre_save reads the
    attribute, its get_db_prep_save hands them back) on a backend whose operations are
    `ops_class`: none for a field class of its own, a subclass included, whose preparation
    insert() must leave to it."""
    if type(field).pre_save is not models.Field.pre_save:
        return frozenset()
    integers = all(
        getattr(ops_class, name) is getattr(BaseDatabaseOperations, name)
        for name in ("adapt_integerfield_value", "validate_autopk_value")
    )
    if type(field) in UNCHANGED:
        return UNCHANGED[type(field)]
    if type(field) in INTEGERS and integers:
        return frozenset({int, type(None)})
    if type(field) is models.ForeignKey and type(field.target_field) in AUTOMATIC and integers:
        return frozenset({int, type(None)})
    return frozenset()
