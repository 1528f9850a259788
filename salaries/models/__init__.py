from .figures import PayMonth
from .placement import Placement, PlacementKind, WntYearEntry
from .tables import AllowanceKind, AllowanceRate, ExcellenceTable, ScaleTable, TableChange, WntMaximum

__all__ = [
    "AllowanceKind",
    "AllowanceRate",
    "ExcellenceTable",
    "PayMonth",
    "Placement",
    "PlacementKind",
    "ScaleTable",
    "TableChange",
    "WntMaximum",
    "WntYearEntry",
]
