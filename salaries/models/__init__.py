from .figures import PayMonth, PayYear
from .placement import Placement, PlacementKind, WntYearEntry
from .tables import (
    AllowanceKind,
    AllowanceRate,
    Confidence,
    ExcellenceTable,
    GeneralIncrease,
    ScaleTable,
    TableChange,
    TableOrigin,
    WntMaximum,
)

__all__ = [
    "AllowanceKind",
    "AllowanceRate",
    "Confidence",
    "GeneralIncrease",
    "ExcellenceTable",
    "PayMonth",
    "PayYear",
    "Placement",
    "PlacementKind",
    "ScaleTable",
    "TableChange",
    "TableOrigin",
    "WntMaximum",
    "WntYearEntry",
]
