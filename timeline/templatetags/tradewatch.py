import re

from django import template
from django.utils.html import escape
from django.utils.safestring import SafeData, mark_safe

from articles.pipeline.dates.periods import describe_range, format_day

register = template.Library()


@register.filter
def weekday_date(value):
    """Thu 30 Oct 2025"""
    return format_day(value) if value else ""


@register.simple_tag
def date_range(start, end, precision):
    return describe_range(start, end, precision)


@register.filter
def highlight(text, words):
    """The text, escaped, with each searched word in it marked: <mark class="match">.

    Case-insensitive, and a word matches inside a longer one ("tariff" in "tariffs"), as
    the search itself does. The matches are found in the plain text and every piece is
    escaped before any mark is added, so neither the text nor the words can inject HTML
    and no entity (&amp;) is ever cut by a mark.
    """
    if isinstance(text, SafeData) or not words:
        return text  # already HTML (nothing we can safely mark inside), or no search
    if isinstance(words, str):
        words = words.split()
    text = str(text)
    pattern = "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True) if w)
    if not pattern:
        return escape(text)
    out, pos = [], 0
    for m in re.finditer(pattern, text, re.IGNORECASE):
        out.append(escape(text[pos : m.start()]))
        out.append(f'<mark class="match">{escape(m.group())}</mark>')
        pos = m.end()
    out.append(escape(text[pos:]))
    return mark_safe("".join(out))


@register.simple_tag(takes_context=True)
def highlighted(context, text):
    """The text with the timeline's searched words marked (highlight), escaped.

    A tag rather than `text|highlight:filters.search_terms` because quotes and event cards
    are also shown on pages with no filter form, where that argument would not exist.
    """
    return highlight(text, getattr(context.get("filters"), "search_terms", ()))


@register.simple_tag(takes_context=True)
def absolute_url(context, path):
    """The page's address in full, for paper: a printed link cannot be followed."""
    request = context.get("request")
    return request.build_absolute_uri(path) if request is not None else path
