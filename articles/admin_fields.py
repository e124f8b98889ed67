"""What the editors' admin pages share, in both apps: keywords edited as words, choices that
refuse an implausible id instead of failing in the database, and lists whose search is
bounded. articles/admin.py and timeline/admin.py build on these.
"""

import re

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.widgets import AutocompleteSelect
from django.core.exceptions import ValidationError

from .search import search_words


class KeywordsField(forms.CharField):
    """Keywords edited as words: one per line or separated by commas, stored as a list."""

    widget = forms.Textarea(attrs={"rows": 3, "cols": 60})

    def __init__(self, *, encoder=None, decoder=None, **kwargs):  # JSONField's extras
        kwargs.setdefault(
            "help_text",
            "Words or phrases that tie a report's sentence to it: one per line, or "
            "separated by commas (Busan, summit, Gimhae).",
        )
        kwargs.pop("max_length", None)
        super().__init__(**kwargs)

    def prepare_value(self, value):
        if isinstance(value, list):
            return ", ".join(value)
        return value

    def to_python(self, value):
        text = super().to_python(value)
        words = [w.strip() for w in re.split(r"[,\n]", text or "") if w.strip()]
        if any(len(w) > 100 for w in words):
            raise forms.ValidationError("A keyword is at most 100 characters.")
        return list(dict.fromkeys(words))


class TolerantModelChoiceField(forms.ModelChoiceField):
    """A choice by id that is not a plausible id ("abc", 10**30) is an invalid choice, not
    a database error: SQLite overflows and PostgreSQL refuses out-of-range integers."""

    def to_python(self, value):
        if value not in self.empty_values and not self.to_field_name:
            text = str(value).strip()
            if not text.isdigit() or len(text) > 18:
                raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        return super().to_python(value)


class TolerantAutocompleteSelect(AutocompleteSelect):
    """Django's autocomplete widget looks up the submitted value to show it again, and a
    value that is not an id (" ", "abc") raised a server error; show it as unselected."""

    def optgroups(self, name, value, attr=None):
        plausible = [v for v in value if str(v).strip().isdigit() and len(str(v).strip()) <= 18]
        try:
            return super().optgroups(name, plausible, attr)
        except (ValueError, ValidationError):
            return super().optgroups(name, [], attr)


class TolerantChoicesMixin:
    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = TolerantAutocompleteSelect(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        kwargs.setdefault("form_class", TolerantModelChoiceField)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class BoundedSearchAdmin(TolerantChoicesMixin, admin.ModelAdmin):
    """An admin list whose search uses at most MAX_SEARCH_WORDS words, and says so.

    Django's admin adds one condition per word and field; thousands of words made one
    request that kept the database busy for minutes.
    """

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "keywords":
            kwargs["form_class"] = KeywordsField
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def get_search_results(self, request, queryset, search_term):
        search = search_words(search_term)
        if search.truncated:
            self.message_user(request, search.note, messages.WARNING)
        return super().get_search_results(request, queryset, search.text)
