"""django-simple-history's HistoricalRecords, with the `history` manager class built once.

simple_history's descriptor builds a new manager class each time `Model.history` is read
(Manager.from_queryset, which walks the queryset class with inspect.getmembers). The door
reads it for every bulk write with history and every saved report: some 2 ms a report. Here
the class is built when the model is, and each read only makes the manager.
"""

from simple_history.manager import HistoryDescriptor
from simple_history.models import HistoricalRecords as SimpleHistoricalRecords


class PreparedHistoryDescriptor(HistoryDescriptor):
    def __init__(self, model, manager, queryset):
        super().__init__(model, manager=manager, queryset=queryset)
        self.prepared = manager.from_queryset(queryset)

    def __get__(self, instance, owner):
        return self.prepared(self.model, instance)


class HistoricalRecords(SimpleHistoricalRecords):
    def finalize(self, sender, **kwargs):
        super().finalize(sender, **kwargs)
        descriptor = sender.__dict__.get(self.manager_name)
        if type(descriptor) is HistoryDescriptor:
            setattr(
                sender,
                self.manager_name,
                PreparedHistoryDescriptor(
                    descriptor.model, descriptor.manager_class, descriptor.queryset_class
                ),
            )
