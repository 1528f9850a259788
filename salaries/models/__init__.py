from .figures import PayMonth, PayYear
from .placement import Placement, PlacementKind, WntYearEntry
from .tables import AllowanceKind, AllowanceRate, ExcellenceTable, ScaleTable, TableChange, WntMaximum

__all__ = [
    "AllowanceKind",
    "AllowanceRate",
    "ExcellenceTable",
    "PayMonth",
    "PayYear",
    "Placement",
    "PlacementKind",
    "ScaleTable",
    "TableChange",
    "WntMaximum",
    "WntYearEntry",
]
