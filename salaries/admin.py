from django.contrib import admin

from tmgportal.admin import ReadOnlyTrackedAdmin, TrackedAdmin

from .models import (
    AllowanceRate,
    ExcellenceTable,
    Placement,
    ScaleTable,
    TableChange,
    WntMaximum,
    WntYearEntry,
)

for model in (ScaleTable, ExcellenceTable, AllowanceRate, WntMaximum, Placement, WntYearEntry):
    admin.site.register(model, TrackedAdmin)
admin.site.register(TableChange, ReadOnlyTrackedAdmin)
