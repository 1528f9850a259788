"""Demo placements for the fictitious demo members: a placement when they took office (or on
1 January 2017, the first date with a scale 19 table) and the yearly increases since, some of them
left open so the step-increase list has rows. Group B members get none: scale 18 step amounts are not
in the reference data, so ABD staff must enter that table first."""

import random
from datetime import date
from decimal import Decimal

from dateutil.relativedelta import relativedelta
from django.utils import timezone

from appointments import rules as term_rules
from appointments.demo import DEMO_REASON
from appointments.models import Appointment

from . import rules, services
from .pay import TableSet

FIRST_SCALE_19_TABLE = date(2017, 1, 1)


def load_demo_placements(*, user, members) -> int:
    """Placements for the demo `members` only: a member or placement ABD staff made by hand is never
    touched, however often the demo is loaded."""
    today = timezone.localdate()
    rng = random.Random(2026)
    tables = TableSet.current()
    created = 0
    held = (
        Appointment.objects.filter(
            member__in=members,
            status__in=term_rules.HELD_STATES,
            function__group="A",
            placements__isnull=True,
        )
        .select_related("member", "function")
        .order_by("pk")
    )
    for index, appointment in enumerate(held):
        if appointment.member.placements.exists():
            continue
        start = max(appointment.start_date, FIRST_SCALE_19_TABLE)
        if start > today:
            continue
        step = rng.choice([0, 0, 1, 2, 3, 4])
        placement = services.placement_create(
            user=user,
            member=appointment.member,
            appointment=appointment,
            valid_from=start,
            step=step,
            part_time_factor=Decimal("0.889") if index % 9 == 4 else None,
            motivation="" if step == 0 else "Ervaring in een vergelijkbare functie (demo).",
            reason=DEMO_REASON,
        )
        created += 1
        top = tables.scale_table(placement.scale, start).top_step
        # Every third member has this year's increase still open, so the list of members due has rows.
        stop = today - relativedelta(years=1) if index % 3 == 0 else today
        while placement.step < top and rules.next_increase(placement.valid_from).value <= stop:
            placement = services.placement_increase(
                user=user, placement=placement, expected_version=placement.version, reason=DEMO_REASON
            )
            created += 1
    return created
