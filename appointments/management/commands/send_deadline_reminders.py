"""Daily (cron) e-mail of the deadlines that came within their lead time.

It looks at every deadline inside its window (lead time ahead, and anything overdue and still
open), not at one day, so a missed run catches up; each reminder is recorded and never sent twice.
"""

from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.core.management.base import BaseCommand
from django.template.loader import render_to_string
from django.utils import timezone, translation

from appointments import services
from appointments.deadlines import deadlines
from appointments.selectors import deadline_appointments
from tmgportal import roles
from tmgportal.system import system_user


class Command(BaseCommand):
    help = "E-mail each user the deadlines that came within their lead time (once per deadline)."

    def handle(self, *args, **options):
        today = timezone.localdate()
        sender = system_user()
        sent = 0
        with translation.override("nl"):
            for user in get_user_model().objects.filter(is_active=True).exclude(email=""):
                if not roles.abilities(user):
                    continue
                new = [
                    deadline
                    for deadline in deadlines(deadline_appointments(user), today=today)
                    if services.reminder_record(user=sender, recipient=user, deadline_key=deadline.key)
                ]
                if new:
                    send_mail(
                        subject=f"tmgportal: {len(new)} termijn(en) in zicht",
                        message=render_to_string(
                            "appointments/reminder_email.txt", {"deadlines": new, "user": user}
                        ),
                        from_email=None,
                        recipient_list=[user.email],
                    )
                    sent += 1
        self.stdout.write(f"Reminders sent to {sent} user(s).")
