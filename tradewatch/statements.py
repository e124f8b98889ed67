"""The quoted names for the few statements written out by hand instead of through the ORM.

Where a read or a write runs for every report ingested or every page served, building and
compiling it through the ORM can cost ten to thirty times what the database takes to run
it (docs/performance.md); such a statement is written once, from the models' own table and
column names, and cached (timeline/linking.py, timeline/caching.py,
articles/wire_groups.py). Quoted by the connection it runs on.
"""


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
