from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Count

from articles.admin_fields import KeywordsField
from articles.models import Outlet, Topic
from articles.pipeline.dates.periods import format_day
from articles.search import MAX_SEARCH_CHARS, search_words

from .models import Event

# How much of a value that was not understood the page repeats back.
SHOWN_CHARS = 40


def shown(value) -> str:
    """A submitted value as the page repeats it: trimmed, never a whole pasted page."""
    text = " ".join(str(value).split())
    return text if len(text) <= SHOWN_CHARS else text[: SHOWN_CHARS - 1] + "…"


def topics_on_timeline():
    """The topics of the events on the timeline, each with how many (`n`): a topic no event
    on it carries would only lead to an empty page."""
    # Filtered before it is counted: the count reads the same join, so the events on the
    # timeline are worked out once (a filtered Count and a HAVING made PostgreSQL build
    # them twice: 55-60 ms of the first screen at 10,000 events).
    return (
        Topic.objects.filter(events__in=Event.objects.sourced())
        .annotate(n=Count("events", distinct=True))
        .order_by("name")
    )


class NamedChoice:
    """A choice field whose bad value is named in a reader's words: "There is no outlet “x”."."""

    noun = "choice"

    def message(self, value) -> str:
        return f"There is no {self.noun} “{shown(value)}”."

    def clean(self, value):
        try:
            return super().clean(value)
        except ValidationError as error:
            if getattr(error, "code", None) != "invalid_choice":
                raise
            raise ValidationError(self.message(value), code="invalid_choice") from None


class TopicField(NamedChoice, forms.ModelChoiceField):
    noun = "topic"

    def label_from_instance(self, topic):
        return f"{topic.name} ({topic.n})"

    def message(self, value) -> str:
        # Only on a bad value, one query: whether the topic exists at all.
        if Topic.objects.filter(slug=str(value)).exists():
            return f"No event on the timeline has the topic “{shown(value)}”."
        return super().message(value)


class OutletField(NamedChoice, forms.ModelChoiceField):
    noun = "outlet"


class StatusField(NamedChoice, forms.ChoiceField):
    noun = "status"


class DayField(forms.DateField):
    def to_python(self, value):
        try:
            return super().to_python(value)
        except ValidationError:
            raise ValidationError(
                f"“{shown(value)}” is not a date; use YYYY-MM-DD.", code="invalid"
            ) from None


class TimelineFilter(forms.Form):
    """The timeline's filters, as plain query parameters (?topic=tariffs&status=threatened).

    A value that is not understood is said in a reader's words and left out; the filters
    that were understood still apply.
    """

    q = forms.CharField(
        required=False,
        label="Search",
        strip=True,
        widget=forms.SearchInput(attrs={"maxlength": MAX_SEARCH_CHARS}),
    )
    search_note = ""
    range_note = ""
    nothing_to_search = False
    topic = TopicField(
        topics_on_timeline(), required=False, to_field_name="slug", empty_label="All topics"
    )
    outlet = OutletField(
        Outlet.objects.all(), required=False, to_field_name="slug", empty_label="All outlets"
    )
    status = StatusField(choices=[("", "Any status"), *Event.Status.choices], required=False)
    start = DayField(required=False, label="From", widget=forms.DateInput({"type": "date"}))
    end = DayField(required=False, label="To", widget=forms.DateInput({"type": "date"}))

    def clean_q(self):
        search = search_words(self.cleaned_data["q"])
        self.search_note = search.note
        # Only unusable words: nothing matches them, rather than everything.
        self.nothing_to_search = bool(self.cleaned_data["q"]) and not search.words
        return search.text

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end and start > end:
            # Both dates were understood, but no event falls in a reversed range: say so
            # and leave the dates out, rather than show an empty page.
            self.range_note = (
                f"“From” ({format_day(start)}) is after “To” ({format_day(end)}), so no "
                "date range was applied; swap them to see the events in between."
            )
            del data["start"], data["end"]
        return data

    @property
    def problems(self) -> list[str]:
        """What was not understood, in the order of the form's fields."""
        return [message for field in self for message in field.errors]

    @property
    def search_terms(self) -> tuple[str, ...]:
        """The words searched for, as the results are matched against them."""
        if not self.is_bound:
            return ()
        self.is_valid()  # cleans once; later calls reuse the result
        if self.nothing_to_search:
            return ()
        return search_words(self.cleaned_data.get("q", "")).words

    def filter(self, events, *, dates=True):
        """Apply every filter that was understood; a bad one is reported, not fatal.
        `dates=False` leaves out the date range (the overview shows the whole period)."""
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
        if dates and data.get("start"):
            events = events.ending_on_or_after(data["start"])
        if dates and data.get("end"):
            events = events.filter(start__lte=data["end"])
        return events.distinct()


class CandidateEventForm(forms.ModelForm):
    """A new event from a group of candidates, its fields filled in from the sentences."""

    keywords = KeywordsField(required=False)

    class Meta:
        model = Event
        fields = [
            "title",
            "slug",
            "start",
            "end",
            "precision",
            "status",
            "kind",
            "place",
            "summary",
            "topics",
            "keywords",
        ]
        widgets = {
            "topics": forms.CheckboxSelectMultiple,
            # A date input takes YYYY-MM-DD whatever the site's date format.
            "start": forms.DateInput({"type": "date"}, format="%Y-%m-%d"),
            "end": forms.DateInput({"type": "date"}, format="%Y-%m-%d"),
            "summary": forms.Textarea({"rows": 3}),
        }
