from django import template
from django.utils.formats import date_format

register = template.Library()


@register.simple_tag(takes_context=True)
def query_with(context, **changes):
    """The current query string with some parameters replaced (for pagination links)."""
    query = context["request"].GET.copy()
    for key, value in changes.items():
        query[key] = value
    return query.urlencode()


@register.filter
def long_date(value):
    """A legal date as people write it: "1 januari 2022"."""
    return date_format(value, "j F Y") if value else ""


@register.filter
def get_item(mapping, key):
    return mapping.get(key) if mapping else None


@register.filter
def day_before(value):
    """The last day of a period whose end date is exclusive [domain §3]."""
    from datetime import timedelta

    return value - timedelta(days=1) if value else value
