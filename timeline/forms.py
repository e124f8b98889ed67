from django import forms

from articles.models import Outlet, Topic

from .models import Event


class TimelineFilter(forms.Form):
    """The timeline's filters, as plain query parameters (?topic=tariffs&status=threatened)."""

    q = forms.CharField(required=False, label="Search", widget=forms.SearchInput)
    topic = forms.ModelChoiceField(
        Topic.objects.all(), required=False, to_field_name="slug", empty_label="All topics"
    )
    outlet = forms.ModelChoiceField(
        Outlet.objects.all(), required=False, to_field_name="slug", empty_label="All outlets"
    )
    status = forms.ChoiceField(choices=[("", "Any status"), *Event.Status.choices], required=False)
    start = forms.DateField(required=False, label="From", widget=forms.DateInput({"type": "date"}))
    end = forms.DateField(required=False, label="To", widget=forms.DateInput({"type": "date"}))

    def filter(self, events):
        if not self.is_valid():
            return events
        data = self.cleaned_data
        if data["q"]:
            events = events.search(data["q"])
        if data["topic"]:
            events = events.filter(topics=data["topic"])
        if data["outlet"]:
            events = events.filter(
                evidence__state="accepted", evidence__claim__article__outlet=data["outlet"]
            )
        if data["status"]:
            events = events.filter(status=data["status"])
        if data["start"]:
            events = events.ending_on_or_after(data["start"])
        if data["end"]:
            events = events.filter(start__lte=data["end"])
        return events.distinct()
