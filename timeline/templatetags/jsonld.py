"""{% event_jsonld event %} and {% article_jsonld article %}: schema.org data blocks.

A `<script type="application/ld+json">` is a data block: browsers never run it, so the
site's Content-Security-Policy (script-src 'self', no inline scripts) allows it as it is.
The JSON is escaped as json_script escapes it, so no text in it can close the element.
"""

from django import template
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from timeline.exports import jsonld

register = template.Library()


def _block(data: dict):
    # dumps() escapes <, > and &, so the JSON is safe as it stands inside the element.
    return format_html(
        '<script type="application/ld+json">{}</script>', mark_safe(jsonld.dumps(data))
    )


@register.simple_tag(takes_context=True)
def event_jsonld(context, event):
    url = context["request"].build_absolute_uri(event.get_absolute_url())
    return _block(jsonld.event_data(event, url))


@register.simple_tag(takes_context=True)
def article_jsonld(context, article):
    url = context["request"].build_absolute_uri(article.get_absolute_url())
    return _block(jsonld.article_data(article, url))
