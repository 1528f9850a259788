"""Reads that need the user's scope: every query of member data for a person goes through the
models' `for_user`, which applies the one scoping rule (tmgportal.roles.scope)."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from django.db.models import Q

from . import rules
from .models import Appointment


def deadline_appointments(user):
    """The appointments whose deadlines `user` may see, with everything the dashboard reads."""
    return (
        Appointment.objects.for_user(user)
        .filter(status__in=[rules.KB_SIGNED, rules.IN_FUNCTION, rules.EXTENDED, rules.SEARCH_PERIOD])
        .select_related("member", "function__ministry", "search_period")
        .prefetch_related("extensions", "conversations")
    )


@dataclass(frozen=True)
class Vacancy:
    """Who holds a function on a day, and from which day it is free [ARAR 7.4: one holder]."""

    on: date
    vacant_from: date
    holder: Appointment | None

    @property
    def is_vacant(self) -> bool:
        return self.holder is None


def vacancies(function_ids, *, on: date) -> dict[int, Vacancy]:
    """The vacancy of each function on `on`, counting appointments from KB signed onwards."""
    held = defaultdict(list)
    appointments = (
        Appointment.objects.filter(function_id__in=list(function_ids), status__in=sorted(rules.HELD_STATES))
        .filter(Q(ended_on__gt=on) | Q(ended_on__isnull=True, term_end__gt=on))
        .select_related("member")
    )
    for appointment in appointments:
        held[appointment.function_id].append(appointment)
    found = {}
    for function_id in function_ids:
        periods = [a.period for a in held[function_id]]
        holder = next((a for a in held[function_id] if a.start_date <= on < a.end), None)
        found[function_id] = Vacancy(on, rules.vacant_from(on, periods), holder)
    return found
