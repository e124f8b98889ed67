from django import forms

from articles.models import Outlet, Topic
from articles.search import MAX_SEARCH_CHARS, search_words

from .models import Event


class TimelineFilter(forms.Form):
    """The timeline's filters, as plain query parameters (?topic=tariffs&status=threatened)."""

    q = forms.CharField(
        required=False,
        label="Search",
        strip=True,
        widget=forms.SearchInput(attrs={"maxlength": MAX_SEARCH_CHARS}),
    )
    search_note = ""
    nothing_to_search = False
    topic = forms.ModelChoiceField(
        Topic.objects.all(), required=False, to_field_name="slug", empty_label="All topics"
    )
    outlet = forms.ModelChoiceField(
        Outlet.objects.all(), required=False, to_field_name="slug", empty_label="All outlets"
    )
    status = forms.ChoiceField(choices=[("", "Any status"), *Event.Status.choices], required=False)
    start = forms.DateField(required=False, label="From", widget=forms.DateInput({"type": "date"}))
    end = forms.DateField(required=False, label="To", widget=forms.DateInput({"type": "date"}))

    def clean_q(self):
        search = search_words(self.cleaned_data["q"])
        self.search_note = search.note
        # Only unusable words: nothing matches them, rather than everything.
        self.nothing_to_search = bool(self.cleaned_data["q"]) and not search.words
        return search.text

    def filter(self, events):
        """Apply every filter that was understood; a bad one is reported, not fatal."""
        self.is_valid()  # fills cleaned_data with the valid fields only
        data = getattr(self, "cleaned_data", {})
        if self.nothing_to_search:
            return events.none()
        if data.get("q"):
            events = events.search(data["q"])
        if data.get("topic"):
            events = events.filter(topics=data["topic"])
        if data.get("outlet"):
            events = events.filter(
                evidence__state="accepted", evidence__claim__article__outlet=data["outlet"]
            )
        if data.get("status"):
            events = events.filter(status=data["status"])
        if data.get("start"):
            events = events.ending_on_or_after(data["start"])
        if data.get("end"):
            events = events.filter(start__lte=data["end"])
        return events.distinct()
