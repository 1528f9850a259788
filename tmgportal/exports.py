"""CSV and XLSX downloads with one shape: a header row and rows of plain values."""

import csv
import io
import unicodedata
from datetime import date, datetime
from decimal import Decimal

from django.http import HttpResponse
from openpyxl import Workbook

# A cell that starts with one of these would run as a formula in a spreadsheet (CSV injection).
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def _plain(value):
    if value is None:
        return ""
    if isinstance(value, (date, datetime, Decimal, int)):
        return value
    return str(value)


def csv_response(filename: str, header, rows) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    response.write("\ufeff")  # so Excel reads the file as UTF-8
    writer = csv.writer(response, delimiter=";")
    writer.writerow([str(column) for column in header])
    for row in rows:
        writer.writerow([_csv_cell(value) for value in row])
    return response


def _csv_cell(value):
    """A spreadsheet opening the CSV would run a cell starting with a formula sign: it gets an
    apostrophe, the convention spreadsheets read as "text". Spreadsheets also read a formula behind
    leading spaces and in a full-width sign ("＝" is "=" in NFKC), so those count too."""
    value = _plain(value)
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, str) and (
        value.startswith(FORMULA_PREFIXES)
        or unicodedata.normalize("NFKC", value.lstrip()).startswith(FORMULA_PREFIXES)
    ):
        return "'" + value
    return value


def xlsx_response(filename: str, header, rows, *, sheet_title: str = "Export") -> HttpResponse:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = sheet_title[:31]
    sheet.append([str(column) for column in header])
    for row in rows:
        sheet.append([_xlsx_cell(value) for value in row])
        # openpyxl stores a string that starts with "=" as a formula; user text is always text.
        for cell in sheet[sheet.max_row]:
            if isinstance(cell.value, str):
                cell.data_type = "s"
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(
        buffer.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}.xlsx"'
    return response


def _xlsx_cell(value):
    value = _plain(value)
    if isinstance(value, datetime):
        return value.replace(tzinfo=None)
    return value
