"""The rotation forecast: the coming 12 quarters as a table, a chart and an export."""

from functools import partial

from django.http import Http404
from django.shortcuts import render
from django.utils import timezone

from tmgportal import fragments, versions
from tmgportal.exports import csv_response, xlsx_response
from tmgportal.sorting import PARAMETER, sort_rows
from tmgportal.views import apply_filter, paginate

from .. import forecast, selectors
from ..filters import ForecastFilter
from ..models import Appointment

CHART_HEIGHT = 160


def _filtered(request):
    """The quarters from today's and the dossiers the forecast may read under the filter."""
    quarters = forecast.quarters_from(timezone.localdate())
    filterset, appointments, status = apply_filter(
        ForecastFilter, request, selectors.forecast_appointments(request.user, horizon=quarters[-1].end)
    )
    return quarters, filterset, appointments, status


def _chart(rows):
    """Bar heights of the chart (SVG units): term ends stacked on the certain ends, per quarter."""
    tallest = max([row[forecast.TERM_ENDS] + row[forecast.MAXIMUM] for row in rows] + [1])
    scale = CHART_HEIGHT / tallest
    return [
        row
        | {
            "x": 10 + index * 60,
            "certain_height": row[forecast.MAXIMUM] * scale,
            "possible_height": row[forecast.TERM_ENDS] * scale,
            "certain_y": 20 + CHART_HEIGHT - row[forecast.MAXIMUM] * scale,
            "possible_y": 20 + CHART_HEIGHT - (row[forecast.MAXIMUM] + row[forecast.TERM_ENDS]) * scale,
        }
        for index, row in enumerate(rows)
    ]


AVAILABLE_PAGE = "beschikbaar"

# The sortable columns: by day, or by a fact of the dossier (read for every movement in one query).
MOVEMENT_FACTS = {
    "functie": "function__title",
    "ministerie": "function__ministry__abbreviation",
    "groep": "function__group",
    "lid": "member__surname",
}


def _sorted(request, movements):
    column = request.GET.get(PARAMETER, "").removeprefix("-")
    facts = {}
    if column in MOVEMENT_FACTS:
        facts = dict(
            Appointment.objects.filter(pk__in={m.appointment_id for m in movements}).values_list(
                "pk", MOVEMENT_FACTS[column]
            )
        )
    columns = {"datum": lambda m: (m.day, m.appointment_id)} | {
        name: lambda m: (facts[m.appointment_id].casefold(), m.day) for name in MOVEMENT_FACTS
    }
    return sort_rows(request, movements, columns, "datum")


def rotation_forecast(request):
    """The forecast asked for is kept until the work changes (tmgportal.fragments.content)."""
    quarters, filterset, appointments, status = _filtered(request)
    view = partial(_view, request, filterset, quarters, appointments)
    content = fragments.content(
        request, "forecast", stamps=(versions.WORK,), template=CONTENT, context=view, keep=status == 200
    )
    return render(request, "appointments/forecast.html", {"content": content}, status=status)


CONTENT = "appointments/includes/forecast.html"


def _view(request, filterset, quarters, appointments) -> dict:
    found = selectors.forecast_movements(appointments, today=timezone.localdate())
    rows = forecast.per_quarter(quarters, found)
    movements, sorting = _sorted(request, [m for m in found if m.kind != forecast.AVAILABLE])
    movements = paginate(request, movements)
    movements.object_list = selectors.movements_shown(movements.object_list)
    available = paginate(request, [m for m in found if m.kind == forecast.AVAILABLE], param=AVAILABLE_PAGE)
    available.object_list = selectors.movements_shown(available.object_list)
    return {
        "filter": filterset,
        "rows": rows,
        "bars": _chart(rows),
        "chart_width": 20 + 60 * len(rows),
        "chart_bottom": 20 + CHART_HEIGHT,
        # The counts and the chart cover every movement; the two lists are read a page at a time
        # (at volume they run to thousands of rows), the export gives them whole.
        "movements": movements,
        "sorting": sorting,
        "available": available,
        "kinds": forecast.KINDS,
        "first": quarters[0],
        "last": quarters[-1],
    }


HEADER = [
    "Kwartaal",
    "Soort",
    "Laatste dag (t/m)",
    "Uiterlijk mogelijke laatste dag bij verlenging",
    "Naam",
    "Functie",
    "Organisatie",
    "Ministerie",
    "Groep",
    "Bron",
]


def _rows(found):
    for movement in selectors.movements_shown(found):
        function = movement.function
        yield [
            movement.quarter.label,
            str(movement.kind_label),
            movement.day,
            movement.latest_end or "",
            movement.member.full_name,
            function.title,
            function.organisation,
            function.ministry.name,
            function.group,
            movement.source,
        ]


def rotation_forecast_export(request, fmt):
    if fmt not in ("csv", "xlsx"):
        raise Http404
    _, _, appointments, status = _filtered(request)
    found = selectors.forecast_movements(appointments, today=timezone.localdate())
    if status != 200:
        return rotation_forecast(request)
    if fmt == "xlsx":
        return xlsx_response("tmg-rotatieprognose", HEADER, _rows(found), sheet_title="Rotatieprognose")
    return csv_response("tmg-rotatieprognose", HEADER, _rows(found))
