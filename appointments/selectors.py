"""Reads that need the user's scope: every query of member data for a person goes through the
models' `for_user`, which applies the one scoping rule (tmgportal.roles.scope)."""

import hashlib
from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.exceptions import EmptyResultSet
from django.db.models import Q
from django.db.models.signals import post_save
from django.dispatch import receiver

from tmgportal import versions

from . import forecast, rules
from .deadlines import Deadline, deadlines
from .models import (
    Appointment,
    Conversation,
    Document,
    Extension,
    Function,
    KBDocument,
    Member,
    Ministry,
    PlannedStep,
    SearchPeriod,
    SideActivity,
    Termination,
)

# The work version (tmgportal.versions.WORK), renewed by every change of a dossier, a member, a side
# activity or a KB (`_work_changed`): part of the key of every stored deadline list, work-queue count
# and work-queue part of the start page, so none outlives the state it was computed from.
DEADLINES_SECONDS = 24 * 60 * 60


def _kept(name: str, appointments, compute, *, today: date, also=()) -> list:
    """`compute()` over these appointments, computed once per change of a dossier rather than on
    every view of a page: kept in the shared cache under the query itself (so the user's scope and
    filter are part of the key), the day, `also` and the work version."""
    try:
        sql, params = appointments.query.sql_with_params()
    except EmptyResultSet:  # a refused filter: nothing to show, nothing to keep
        return []
    key = f"{name}:" + hashlib.sha256(repr((sql, params, today, also, work_version())).encode()).hexdigest()
    found = cache.get(key)
    if found is None:
        found = compute()
        cache.set(key, found, DEADLINES_SECONDS)
    return found


def dashboard_deadlines(appointments, *, today: date) -> list[tuple]:
    """The deadlines of these appointments as (kind, due, appointment pk, source, overdue), kept until
    a dossier changes (`_kept`; the lead times are part of the key)."""
    return _kept(
        "deadlines",
        appointments,
        lambda: [
            (d.kind, d.due, d.appointment.pk, d.source, d.is_overdue)
            for d in deadlines(appointments, today=today)
        ],
        today=today,
        also=sorted(settings.TMG_LEAD_MONTHS.items()),
    )


def deadlines_shown(found: list[tuple]) -> list[Deadline]:
    """The deadlines of one page with their dossiers, in one query."""
    dossiers = Appointment.objects.select_related("member", "function__ministry").in_bulk(
        {pk for _kind, _due, pk, _source, _overdue in found}
    )
    return [Deadline(kind, due, dossiers[pk], source, overdue) for kind, due, pk, source, overdue in found]


def work_version() -> str:
    return versions.stamp(versions.WORK)


@receiver(post_save, sender=Appointment)
@receiver(post_save, sender=Extension)
@receiver(post_save, sender=SideActivity)
@receiver(post_save, sender=KBDocument)
@receiver(post_save, sender=Conversation)
@receiver(post_save, sender=SearchPeriod)
@receiver(post_save, sender=Termination)
@receiver(post_save, sender=Function)
@receiver(post_save, sender=Ministry)
@receiver(post_save, sender=PlannedStep)
@receiver(post_save, sender=Member)
@receiver(post_save, sender=Document)
@receiver(post_save, sender=get_user_model())
def _work_changed(sender, update_fields=None, **kwargs):
    if sender is get_user_model() and update_fields == frozenset({"last_login"}):
        return  # a login: no name or access changed
    versions.renew(versions.WORK)


def deadline_appointments(user):
    """The appointments whose deadlines `user` may see, with everything the dashboard reads."""
    return (
        Appointment.objects.for_user(user)
        .filter(status__in=[rules.KB_SIGNED, rules.IN_FUNCTION, rules.EXTENDED, rules.SEARCH_PERIOD])
        .select_related("member", "function__ministry", "search_period")
        .prefetch_related("extensions", "conversations")
    )


def forecast_appointments(user, *, horizon: date):
    """The dossiers the rotation forecast reads (appointments.forecast.movements): terms running in
    office that end before `horizon` (or already passed unrecorded), and search periods. The rest of
    the running dossiers cannot appear in it, and at volume they are most of them."""
    return (
        Appointment.objects.for_user(user)
        .filter(
            Q(status__in=sorted(rules.TERM_RUNNING_STATES), term_end__lte=horizon)
            | Q(status=rules.SEARCH_PERIOD)
        )
        .select_related("function", "search_period")
        .prefetch_related("extensions")
    )


def forecast_movements(appointments, *, today: date) -> list[forecast.Movement]:
    """The forecast's movements of these appointments, without their dossiers, kept until a dossier
    changes (`_kept`)."""
    return _kept(
        "forecast", appointments, lambda: forecast.movements(appointments, today=today)[1], today=today
    )


def movements_shown(found: list[forecast.Movement]) -> list[forecast.Movement]:
    """Movements with their dossiers, in one query."""
    dossiers = Appointment.objects.select_related("member", "function__ministry").in_bulk(
        {m.appointment_id for m in found}
    )
    return [m._replace(appointment=dossiers[m.appointment_id]) for m in found]


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


# -- One pipeline per function ----------------------------------------------------------------------


@dataclass(frozen=True)
class FunctionPipeline:
    """Who holds a function today, every procedure running towards it (concept to council) and who
    is appointed to follow (KB signed, not yet started) [ARAR 7.4: one holder per function]."""

    holder: Appointment | None
    procedures: list
    successors: list


def function_pipeline(function, *, today: date) -> FunctionPipeline:
    dossiers = list(
        Appointment.objects.filter(function=function)
        .exclude(status=rules.WITHDRAWN)
        .select_related("member")
        .order_by("start_date", "pk")
    )
    holder = next(
        (a for a in dossiers if a.status in rules.HELD_STATES and a.start_date <= today < a.end), None
    )
    return FunctionPipeline(
        holder=holder,
        procedures=[a for a in dossiers if a.status in rules.PLANNED_STATES],
        successors=[a for a in dossiers if a.status in rules.HELD_STATES and a.start_date > today],
    )


def competing_dossiers(function, *, start: date, end: date, exclude_pk=None) -> list[Appointment]:
    """The other dossiers of `function` whose period shares a day with [start, end): a holder, an
    appointed successor or a procedure running towards the same seat."""
    found = (
        Appointment.objects.filter(function=function, start_date__lt=end)
        .filter(status__in=sorted(rules.PLANNED_STATES | rules.HELD_STATES))
        .exclude(pk=exclude_pk)
        .select_related("member")
        .order_by("start_date", "pk")
    )
    return [a for a in found if a.end > start]
