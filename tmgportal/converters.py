"""URL parts that can only name what can exist: a record id the database can hold, a year within
the domain's bounds. Anything else is a 404, never a server error (ids above 2^63 overflowed SQLite)."""

from .validation import EARLIEST, LATEST

BIGGEST_ID = 2**63 - 1


def parse_id(value) -> int | None:
    """A record id from a query parameter, or None when it cannot name a record."""
    text = str(value or "")
    if not text.isascii() or not text.isdigit() or len(text) > 19:
        return None
    number = int(text)
    return number if 0 < number <= BIGGEST_ID else None


class IdConverter:
    regex = "[0-9]{1,19}"

    def to_python(self, value: str) -> int:
        number = int(value)
        if not 0 < number <= BIGGEST_ID:
            raise ValueError(value)  # Django answers 404
        return number

    def to_url(self, value) -> str:
        return str(value)


class YearConverter:
    regex = "[0-9]{4}"

    def to_python(self, value: str) -> int:
        year = int(value)
        if not EARLIEST.year <= year <= LATEST.year:
            raise ValueError(value)
        return year

    def to_url(self, value) -> str:
        return f"{int(value):04d}"
