"""The Jinja2 environment of the row templates (templates/jinja2/rows/): the long lists render their
rows here, several times faster than with Django's template engine (docs/benchmarks.md); the page
around them, its layout and its forms stay Django templates, which include the rows with
`{% rows "rows/....html" %}` (tmgportal.templatetags.tmg).

A row template sees the including template's context and the same filters and words: `_()` and
`ngettext()` are Django's translation (so `make messages` finds the strings, which it reads from
`_("...")`), `url()` is Django's `reverse`. Autoescape is on, as in Django templates, and a name
that is not in the context is an error, never an empty cell."""

from django.urls import reverse
from django.utils.translation import gettext, ngettext
from jinja2 import Environment, StrictUndefined

from tmgportal.templatetags import tmg


def url(name: str, *args) -> str:
    return reverse(name, args=args)


def environment(**options) -> Environment:
    options["undefined"] = StrictUndefined
    env = Environment(**options)
    env.globals.update(_=gettext, ngettext=ngettext, url=url)
    env.filters.update(long_date=tmg.long_date, day_before=tmg.day_before, euro=tmg.euro)
    return env
