"""The rotation forecast: the coming 12 quarters as a table, a chart and an export."""

from django.http import Http404
from django.shortcuts import render
from django.utils import timezone

from tmgportal.exports import csv_response, xlsx_response
from tmgportal.sorting import sort_rows
from tmgportal.views import apply_filter

from .. import forecast
from ..filters import ForecastFilter
from ..selectors import deadline_appointments

CHART_HEIGHT = 160


def _forecast(request):
    filterset, appointments, status = apply_filter(
        ForecastFilter, request, deadline_appointments(request.user)
    )
    quarters, found = forecast.movements(appointments, today=timezone.localdate())
    return filterset, quarters, found, status


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


MOVEMENT_COLUMNS = {
    "datum": lambda m: (m.day, m.member.surname),
    "functie": lambda m: (m.function.title.casefold(), m.day),
    "ministerie": lambda m: (m.function.ministry.abbreviation, m.day),
    "groep": lambda m: (m.function.group, m.day),
    "lid": lambda m: (m.member.surname.casefold(), m.day),
}


def rotation_forecast(request):
    filterset, quarters, found, status = _forecast(request)
    rows = forecast.per_quarter(quarters, found)
    movements, sorting = sort_rows(
        request, [m for m in found if m.kind != forecast.AVAILABLE], MOVEMENT_COLUMNS, "datum"
    )
    return render(
        request,
        "appointments/forecast.html",
        {
            "filter": filterset,
            "rows": rows,
            "bars": _chart(rows),
            "chart_width": 20 + 60 * len(rows),
            "chart_bottom": 20 + CHART_HEIGHT,
            "movements": movements,
            "sorting": sorting,
            "available": [m for m in found if m.kind == forecast.AVAILABLE],
            "kinds": forecast.KINDS,
            "first": quarters[0],
            "last": quarters[-1],
        },
        status=status,
    )


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
    for movement in found:
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
    filterset, quarters, found, status = _forecast(request)
    if status != 200:
        return rotation_forecast(request)
    if fmt == "xlsx":
        return xlsx_response("tmg-rotatieprognose", HEADER, _rows(found), sheet_title="Rotatieprognose")
    return csv_response("tmg-rotatieprognose", HEADER, _rows(found))
