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

# The catalogue and personal details may be corrected here (with a reason); every record with a
# procedure is changed only through the app's services (tmgportal.admin).
for model in (Ministry, Function, Member):
    admin.site.register(model, TrackedAdmin)
for model in (
    Appointment,
    Extension,
    Termination,
    SearchPeriod,
    SideActivity,
    KBDocument,
    ReminderSent,
):
    admin.site.register(model, ReadOnlyTrackedAdmin)


@admin.register(CalendarFeed)
class CalendarFeedAdmin(ReadOnlyTrackedAdmin):
    """The token is the feed's credential: never shown, not even to the administrator."""

    exclude = ("token",)
