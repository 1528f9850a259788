"""Deadlines: calendar feed and reminders."""

from django.db import transaction
from django.utils.translation import gettext as _

from tmgportal.history import save_tracked

from ..models import (
    CalendarFeed,
    ReminderSent,
)
from ..models.reminders import new_token


@transaction.atomic
def calendar_feed_renew(*, user) -> CalendarFeed:
    """A new secret token; the old feed URL stops working at once."""
    feed, created = CalendarFeed.objects.get_or_create(user=user)
    if not created:
        feed.token = new_token()
    return save_tracked(feed, user=user, reason=_("Calendar feed address renewed"))


@transaction.atomic
def reminder_record(*, user, recipient, deadline_key: str) -> bool:
    """Record a reminder; False when it was already sent (it is then not sent again)."""
    if ReminderSent.objects.filter(recipient=recipient, deadline_key=deadline_key).exists():
        return False
    save_tracked(
        ReminderSent(recipient=recipient, deadline_key=deadline_key), user=user, reason=_("Reminder e-mailed")
    )
    return True
