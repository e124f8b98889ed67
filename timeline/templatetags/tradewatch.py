from django import template

from articles.dates import describe_range, format_day

register = template.Library()


@register.filter
def weekday_date(value):
    """Thu 30 Oct 2025"""
    return format_day(value) if value else ""


@register.simple_tag
def date_range(start, end, precision):
    return describe_range(start, end, precision)
