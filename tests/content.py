"""The text a person would read in a response, whatever its format: HTML, CSV, iCalendar, XLSX, PDF."""

import io

from openpyxl import load_workbook
from pypdf import PdfReader


def text_of(response) -> str:
    body = b"".join(response.streaming_content) if response.streaming else response.content
    kind = response.get("Content-Type", "")
    if "spreadsheetml" in kind:
        sheets = load_workbook(io.BytesIO(body), read_only=True).worksheets
        return "\n".join(
            " ".join("" if cell is None else str(cell) for cell in row)
            for sheet in sheets
            for row in sheet.iter_rows(values_only=True)
        )
    if kind.startswith("application/pdf"):
        return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(body)).pages)
    return body.decode("utf-8")
