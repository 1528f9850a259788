from django.contrib import admin

from tmgportal.admin import ReadOnlyTrackedAdmin, TrackedAdmin

from .models import (
    Appointment,
    CalendarFeed,
    Extension,
    Function,
    KBDocument,
    Member,
    Ministry,
    ReminderSent,
    SearchPeriod,
    SideActivity,
    Termination,
)

for model in (Ministry, Function, Member, Appointment, Extension, Termination, SearchPeriod, SideActivity):
    admin.site.register(model, TrackedAdmin)
for model in (KBDocument, ReminderSent, CalendarFeed):
    admin.site.register(model, ReadOnlyTrackedAdmin)
