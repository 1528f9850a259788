"""Reminders are sent once per deadline and person, whatever the number of daily runs; a deadline
that moves (an extension) is a new deadline and is sent again for its new date."""

import io
import re
from collections import Counter
from datetime import date, timedelta

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command

from appointments import services
from appointments.models import ReminderSent
from tests.factories import AppointmentFactory, FunctionFactory, MemberFactory, approved_extension

pytestmark = pytest.mark.django_db

LINE = re.compile(r"^- (?P<kind>[^:]+): (?P<name>.+?) \(.*\) — (?P<day>\d+ \w+ \d{4})", re.MULTILINE)


def reminded(user) -> Counter:
    """(kind, member, last day) of every deadline in every mail the user received."""
    return Counter(
        (m.group("kind"), m.group("name"), m.group("day"))
        for message in mail.outbox
        if user.email in message.to
        for m in LINE.finditer(message.body)
    )


def run_daily(first: date, days: int, on_day=None):
    for n in range(days):
        with time_machine.travel(first + timedelta(days=n), tick=False):
            if on_day:
                on_day(n)
            call_command("send_deadline_reminders", stdout=io.StringIO())


def test_each_deadline_is_mailed_once_over_consecutive_days_and_again_when_it_moves(
    abd_user, office_x, ministry_x
):
    abd_user.email, office_x.email = "abd@voorbeeld.invalid", "bureau@voorbeeld.invalid"
    abd_user.save()
    office_x.save()
    member = MemberFactory(initials="H.", surname="Herinnerd")
    appointment = AppointmentFactory(
        in_function=True,
        member=member,
        start_date=date(2020, 6, 1),
        function=FunctionFactory(ministry=ministry_x),
    )

    def extend_on_the_fourth_day(n):
        if n != 3:
            return
        extension = approved_extension(
            appointment, proposer=abd_user, office=office_x, proposed_end=date(2027, 10, 1)
        )
        services.extension_record_kb(
            user=abd_user,
            extension=extension,
            council_date=date(2026, 11, 23),  # approved that day: the council and KB follow it
            kb_date=date(2026, 11, 23),
            kb_number="KB-7",
        )

    run_daily(date(2026, 11, 20), 7, on_day=extend_on_the_fourth_day)

    name = member.full_name
    expected = Counter(
        {
            ("5-jaarsgesprek", name, "1 juni 2025"): 1,  # overdue conversation, before the extension
            ("Termijn eindigt", name, "31 mei 2027"): 1,  # the term's last day before the extension
            ("Termijn eindigt", name, "30 september 2027"): 1,  # the moved deadline, sent again
        }
    )
    assert reminded(abd_user) == expected
    assert reminded(office_x) == expected
    keys = list(ReminderSent.objects.filter(recipient=abd_user).values_list("deadline_key", flat=True))
    assert sorted(keys) == sorted(
        [
            f"conversation:{appointment.pk}:2025-06-01",
            f"term_end:{appointment.pk}:2027-06-01",
            f"term_end:{appointment.pk}:2027-10-01",
        ]
    )
