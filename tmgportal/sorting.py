"""Sortable columns for every list: `?sorteer=naam` ascending, `?sorteer=-naam` descending. Each list
names its columns and how to order by them; an unknown column falls back to the list's own order."""

from dataclasses import dataclass
from functools import cmp_to_key

from django.db.models import F

PARAMETER = "sorteer"


@dataclass(frozen=True)
class Sorting:
    column: str
    descending: bool

    def state(self, column: str) -> str | None:
        """The aria-sort value of a column header [WAI-ARIA 1.2]."""
        if column != self.column:
            return None
        return "descending" if self.descending else "ascending"

    def next_value(self, column: str) -> str:
        """What a click on the header asks for: ascending first, then the other way round."""
        return f"-{column}" if column == self.column and not self.descending else column


def _requested(request, columns, default: str) -> Sorting:
    value = request.GET.get(PARAMETER, "") or default
    descending = value.startswith("-")
    column = value.removeprefix("-")
    if column not in columns:
        descending = default.startswith("-")
        column = default.removeprefix("-")
    return Sorting(column, descending)


def sort_queryset(request, queryset, columns: dict[str, tuple[str, ...]], default: str):
    """`columns`: column name -> the fields to order by (the last one makes the order total)."""
    sorting = _requested(request, columns, default)
    order = [
        F(field).desc(nulls_last=True) if sorting.descending else F(field).asc(nulls_last=True)
        for field in columns[sorting.column]
    ]
    return queryset.order_by(*order, "pk"), sorting


def sort_rows(request, rows, columns: dict, default: str):
    """The same for a list computed in Python: `columns` maps to a key function; rows without a
    value (None) come last in both directions."""
    sorting = _requested(request, columns, default)
    key = columns[sorting.column]

    def compare(a, b):
        left, right = key(a), key(b)
        if left is None or right is None:
            return (left is None) - (right is None)
        order = (left > right) - (left < right)
        return -order if sorting.descending else order

    return sorted(rows, key=cmp_to_key(compare)), sorting
