from django.contrib import admin

from tmgportal.admin import ReadOnlyTrackedAdmin

from .models import (
    AllowanceRate,
    ExcellenceTable,
    Placement,
    ScaleTable,
    TableChange,
    WntMaximum,
    WntYearEntry,
)

# Tables change through their own screens (overlap lock, retroactive-change record); pay records
# through the placement and WNT services. The admin shows them and their history.
for model in (ScaleTable, ExcellenceTable, AllowanceRate, WntMaximum, Placement, WntYearEntry, TableChange):
    admin.site.register(model, ReadOnlyTrackedAdmin)
