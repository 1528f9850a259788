import functools
from decimal import ROUND_HALF_UP, Decimal

from django import template
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.formats import date_format, get_format
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from tmgportal import fragments, versions

register = template.Library()


@register.simple_tag(takes_context=True)
def page_query(context, page, number):
    """The current query string with page `number` of `page` in it (for pagination links; the
    parameter is the one tmgportal.views.paginate read)."""
    query = context["request"].GET.copy()
    query[getattr(page, "param", "page")] = number
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
    """The last day of a period whose end date is exclusive [ARAR 7.4; CAO17; TMG-page]."""
    from appointments.rules import last_day

    return last_day(value) if value else value


@register.filter
def may_change(can, member) -> bool:
    """`{% if can|may_change:member %}`: the user may change files and this one is not archived."""
    return bool(can) and can.may_change(member)


CENT = Decimal("0.01")


@functools.cache
def _separators(language: str | None) -> dict[int, str]:
    """The active language's decimal and thousand separators (Django's localisation), as a
    translation of Python's "," and "." (looked up once per language: the pay page prints hundreds)."""
    return {
        ord(","): get_format("THOUSAND_SEPARATOR", language),
        ord("."): get_format("DECIMAL_SEPARATOR", language),
    }


@register.filter
def euro(value):
    """Money in the active language's separators: "€ 9.024,04" in Dutch, "€ 9,024.04" in English;
    two decimals, rounded half up, grouped."""
    if value is None or value == "":
        return "—"
    amount = Decimal(str(value)).quantize(CENT, ROUND_HALF_UP)
    return "€\u00a0" + f"{amount:,f}".translate(_separators(translation.get_language()))


@register.filter
def term_bar(appointment):
    """Positions (0-1000) for the term bar: the latest possible end under the function's regime (TMG:
    9 years) fills the width; a mark at each date that steers the term."""
    from dateutil.relativedelta import relativedelta
    from django.utils import timezone

    from appointments import rules

    start = appointment.start_in_function
    full = (rules.add_years(start, appointment.regime.figures.max_total_years) - start).days

    def x(day):
        return round(max(0, min((day - start).days, full)) * 1000 / full)

    marks = []
    course = appointment.regime.course(start)
    for day in sorted(
        {m.when.value for m in course.moments} | {course.first_end.value, course.latest_end.value}
    ):
        years = relativedelta(day, start).years
        marks.append(
            {
                "x": x(day),
                "label": _("%(years)s yrs: %(day)s") % {"years": years, "day": long_date(day)},
                "anchor": "end" if day == course.latest_end.value else "middle",
            }
        )
    # Served: up to today while in function; up to the last day once it ended; nothing while it is
    # only planned (a concept or proposal) or withdrawn.
    planned = appointment.status in rules.PLANNED_STATES or appointment.status == rules.WITHDRAWN
    served_until = min(timezone.localdate(), appointment.end)
    return {
        "regime": appointment.regime.name,
        "sources": " ".join(
            dict.fromkeys(
                cited.source
                for cited in (*(m.when for m in course.moments), course.first_end, course.latest_end)
            )
        ),
        "planned": planned,
        "ended": appointment.status in rules.ENDED_STATES or appointment.status == rules.REPLACED,
        "served_width": 0 if planned else x(served_until),
        "term_width": x(appointment.end),
        "marks": marks,
    }


# XML 1.0 allows of the control characters only tab, line feed and carriage return.
_NOT_IN_XML = {code: None for code in range(0x20) if code not in (0x09, 0x0A, 0x0D)}


@register.filter
def xml_text(value):
    """Text that keeps an XML document (the Atom feed) valid whatever was stored; escaping stays
    with the template's autoescape."""
    return str(value).translate(_NOT_IN_XML)


@register.inclusion_tag("includes/sort_header.html", takes_context=True)
def sort_header(context, column, label):
    """A column header that sorts the list by `column` (tmgportal.sorting), keeping the filters and
    going back to the first page; it says its order to screen readers (aria-sort)."""
    from tmgportal.sorting import PARAMETER

    sorting = context["sorting"]
    query = context["request"].GET.copy()
    query.pop("page", None)
    query[PARAMETER] = sorting.next_value(column)
    return {"label": label, "state": sorting.state(column), "query": query.urlencode()}


@register.simple_tag(takes_context=True)
def filter_form(context, filterset):
    """The list's filter form (includes/filter_form.html), kept per query string for everyone with the
    same scope until the work changes: its choices (ministries) are data, its errors come from the
    query string. Rendering its selects option by option cost several ms on every list page."""
    request = context["request"]
    return fragments.cached(
        f"filter:{type(filterset).__name__}",
        user=request.user,
        stamps=(versions.WORK,),
        vary=request.GET.urlencode(),
        build=lambda: mark_safe(render_to_string("includes/filter_form.html", {"filter": filterset})),
    )
