"""django-simple-history's HistoricalRecords, with the `history` manager class built once,
and its bulk_create_with_history with the versions copied by the database.

simple_history's descriptor builds a new manager class each time `Model.history` is read
(Manager.from_queryset, which walks the queryset class with inspect.getmembers). The door
reads it for every bulk write with history and every saved report: some 2 ms a report. Here
the class is built when the model is, and each read only makes the manager.
"""

import functools
import inspect
from itertools import batched

from django.conf import settings
from django.db import connections, router
from django.utils import timezone
from simple_history.manager import HistoryDescriptor
from simple_history.models import HistoricalRecords as SimpleHistoricalRecords
from simple_history.utils import get_change_reason_from_object

from tradewatch import statements


class PreparedHistoryDescriptor(HistoryDescriptor):
    def __init__(self, model, manager, queryset):
        super().__init__(model, manager=manager, queryset=queryset)
        self.prepared = manager.from_queryset(queryset)

    def __get__(self, instance, owner):
        return self.prepared(self.model, instance)


# The models' HistoricalRecords, by model: bulk_create_with_history asks how each names
# the user of a version.
RECORDS = {}

# simple_history's own way to name that user: the signed-in user of the current request,
# whatever the row.
DEFAULT_GET_USER = (
    inspect.signature(SimpleHistoricalRecords.__init__).parameters["get_user"].default
)


class HistoricalRecords(SimpleHistoricalRecords):
    def finalize(self, sender, **kwargs):
        super().finalize(sender, **kwargs)
        descriptor = sender.__dict__.get(self.manager_name)
        if type(descriptor) is HistoryDescriptor:  # the model these records track
            RECORDS[sender] = self
            setattr(
                sender,
                self.manager_name,
                PreparedHistoryDescriptor(
                    descriptor.model, descriptor.manager_class, descriptor.queryset_class
                ),
            )


def bulk_create_with_history(objs, model, batch_size=None):
    """simple_history's bulk_create_with_history, with the rows inserted by
    tradewatch.statements.insert, and each new row's first version copied by the database
    (one INSERT … SELECT from the rows just written) instead of built as an object and
    compiled field by field: the same rows and versions, for a fraction of the cost.
    `batch_size` goes to simple_history where it writes the versions itself.

    What simple_history would write, column for column: the tracked fields as stored,
    history_type "+", the user simple_history would name (the instance's `_history_user`,
    else the signed-in editor of the current request, else none) and the instance's
    `_change_reason` (else none). Every row of one call gets the same history_date. A
    history model with columns beyond those (a custom field) is left to simple_history.
    """
    objs = list(objs)
    statements.insert(model, objs)  # bulk_create's rows, through statements written out
    if not objs or not getattr(settings, "SIMPLE_HISTORY_ENABLED", True):
        return objs
    history = model.history.model
    insert = _copy_statement(model, history)
    if insert is None:
        model.history.bulk_history_create(objs, batch_size=batch_size)
        return objs
    connection = connections[router.db_for_write(history)]
    when = history._meta.get_field("history_date").get_db_prep_save(timezone.now(), connection)
    rows: dict[tuple, list] = {}
    # With simple_history's own get_user, the user of every row not given one of its own
    # is the request's: asked for once (the request is read through a context-local).
    shared = getattr(RECORDS.get(model), "get_user", None) is DEFAULT_GET_USER
    request_user = unasked = object()
    for obj in objs:
        if shared and not hasattr(obj, "_history_user"):
            if request_user is unasked:
                request_user = history.get_default_history_user(obj)
            user = request_user
        else:
            user = history.get_default_history_user(obj)
        reason = get_change_reason_from_object(obj)
        rows.setdefault((getattr(user, "pk", None), reason), []).append(obj.pk)
    with connection.cursor() as cursor:
        for (user, reason), pks in rows.items():
            for chunk in batched(pks, COPY_CHUNK):
                cursor.execute(
                    insert.format(pks=statements.placeholders(len(chunk))),
                    [when, reason, "+", user, *chunk],
                )
    return objs


# Primary keys per INSERT … SELECT: well within every database's limit of parameters.
COPY_CHUNK = 500

EXTRA_COLUMNS = ("history_date", "history_change_reason", "history_type", "history_user")


@functools.cache
def _copy_statement(model, history) -> str | None:
    """INSERT INTO <history> (<tracked columns>, <extras>) SELECT <tracked columns>,
    %s, %s, %s, %s FROM <table> WHERE <pk> IN ({pks}); None when the history model has a
    column this does not fill."""
    quote = connections[router.db_for_write(history)].ops.quote_name
    tracked = [field.column for field in history.tracked_fields]
    extras = [history._meta.get_field(name).column for name in EXTRA_COLUMNS]
    filled = {*tracked, *extras, history._meta.pk.column}
    if {field.column for field in history._meta.concrete_fields} != filled:
        return None
    columns = ", ".join(quote(column) for column in tracked)
    return (
        f"INSERT INTO {quote(history._meta.db_table)} "
        f"({columns}, {', '.join(quote(column) for column in extras)}) "
        f"SELECT {columns}, %s, %s, %s, %s FROM {quote(model._meta.db_table)} "
        f"WHERE {quote(model._meta.pk.column)} IN ({{pks}})"
    )
