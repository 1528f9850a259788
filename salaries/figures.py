"""Pay computed once per change [issue 16]: every change of a pay fact refreshes the stored months of
the members it touches (`PayMonth`), in the same transaction, through the signals below; pages read
the stored months. Months are stored from the first placement to the end of next calendar year (or
the end of employment); a later month is computed when asked for, and the daily
`rebuild_pay_figures` moves the horizon on and proves the store equals a fresh computation."""

from __future__ import annotations

from collections import defaultdict
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date
from decimal import Decimal

from dateutil.relativedelta import relativedelta
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.utils import timezone

from appointments.models import Appointment, Member, SearchPeriod, Termination

from . import rules
from .models import (
    AllowanceRate,
    ExcellenceTable,
    PayMonth,
    PayYear,
    Placement,
    ScaleTable,
    WntMaximum,
    WntYearEntry,
)
from .pay import MemberPay, MonthPay, OutdatedTable, TableSet, members_with_pay_facts, wnt_year_of_stored

COMPARED_YEAR = ("bezoldiging", "maximum", "is_above", "is_near", "is_complete")
COMPARED = (
    "salary",
    "sg_allowance",
    "representation",
    "days_paid",
    "spans",
    "first_paid_day",
    "last_paid_day",
    "missing",
    "outdated",
)


def horizon(today: date) -> date:
    """The first month not stored: January of the year after next."""
    return date(today.year + 2, 1, 1)


def _encode_missing(exc: rules.NoAmountInForce) -> list:
    params = {k: v.isoformat() if isinstance(v, date) else v for k, v in exc.params.items()}
    return [type(exc).__name__, params]


def _decode_missing(code: str, params: dict) -> rules.NoAmountInForce:
    values = {k: date.fromisoformat(v) if k == "on" else v for k, v in params.items()}
    return getattr(rules, code)(code, **values)


def compute(pay: MemberPay, today: date, since: date | None = None) -> list[PayMonth]:
    """The member's months from the first placement (or from the month of `since`, when only later
    months can have changed) up to the horizon or the end of employment."""
    if not pay.placements:
        return []
    end = horizon(today)
    if pay.employment_end:
        end = min(end, date(pay.employment_end.year, pay.employment_end.month, 1) + relativedelta(months=1))
    start = pay.placements[0].valid_from
    if since is not None:
        start = max(start, date(since.year, since.month, 1))
    rows = []
    for month in pay.months(start, end):
        first = month.first_day
        spans, paid_days = [], []
        for day, days in pay.segments(first, first + relativedelta(months=1)):
            placement = pay.placement_on(day)
            if placement:
                spans.append([days, str(placement.part_time_factor)])
                paid_days += [day, day + relativedelta(days=days - 1)]
        rows.append(
            PayMonth(
                member=pay.member,
                month=first,
                salary=month.salary,
                sg_allowance=month.sg_allowance,
                representation=month.representation,
                days_paid=month.days_paid,
                spans=spans,
                first_paid_day=min(paid_days, default=None),
                last_paid_day=max(paid_days, default=None),
                missing=[_encode_missing(exc) for exc in month.missing],
                outdated=sorted([t.table, t.series, t.since.isoformat()] for t in month.outdated),
            )
        )
    return rows


def as_month_pay(row: PayMonth) -> MonthPay:
    return MonthPay(
        year=row.month.year,
        month=row.month.month,
        salary=row.salary,
        sg_allowance=row.sg_allowance,
        representation=row.representation,
        days_paid=row.days_paid,
        missing=[_decode_missing(code, params) for code, params in row.missing],
        outdated={
            OutdatedTable(table=table, series=series, since=date.fromisoformat(since))
            for table, series, since in row.outdated
        },
    )


def spans_of(rows: list[PayMonth]) -> list[rules.EmploymentSpan]:
    return [
        rules.EmploymentSpan(days=days, part_time_factor=Decimal(factor))
        for row in rows
        for days, factor in row.spans
    ]


def _computed(members, today: date) -> tuple[list[PayMonth], list[PayYear]]:
    tables = TableSet.current()
    months = [
        row for member in members_with_pay_facts(members) for row in compute(MemberPay(member, tables), today)
    ]
    return months, years_of(months, tables)


def years_of(months: list[PayMonth], tables: TableSet) -> list[PayYear]:
    """The WNT year of every member and year in `months` in which somebody was paid [WNT 2.1]."""
    by_year = defaultdict(list)
    for row in months:
        by_year[row.member_id, row.month.year].append(row)
    entries = {
        (e.member_id, e.year): e
        for e in WntYearEntry.objects.filter(member_id__in={member for member, _year in by_year})
    }
    years = []
    for (member, year), rows in sorted(by_year.items()):
        result = wnt_year_of_stored(None, year, rows, entries.get((member, year)), tables)
        if result.spans:
            years.append(
                PayYear(
                    member_id=member,
                    year=year,
                    bezoldiging=result.bezoldiging,
                    maximum=result.maximum.value if result.maximum else None,
                    is_above=bool(result.position and result.position.is_above),
                    is_near=bool(result.position and result.position.is_near),
                    is_complete=result.is_complete,
                )
            )
    return years


def refresh(member_ids, *, today: date | None = None, since: date | None = None) -> None:
    """Recompute and store the months and WNT years of these members: all of them, or (`since`, a
    change of a dated table) the months from that date and the WNT years from its year. A table row
    changes no month before the earliest start date among the rows it touched."""
    today = today or timezone.localdate()
    ids = {pk for pk in member_ids if pk}
    if not ids:
        return
    if since is not None:
        _refresh_since(ids, today=today, since=date(since.year, since.month, 1))
        return
    paid = set(Placement.objects.filter(member_id__in=ids).values_list("member_id", flat=True))
    # Most dossier steps concern members without a placement: nothing to compute, only to clear.
    _store(ids, *(_computed(Member.objects.filter(pk__in=paid), today) if paid else ([], [])))


def _refresh_since(ids, *, today: date, since: date) -> None:
    tables = TableSet.current()
    members = members_with_pay_facts(Member.objects.filter(pk__in=ids))
    months = [row for member in members for row in compute(MemberPay(member, tables), today, since)]
    PayMonth.objects.filter(member_id__in=ids, month__gte=since).delete()
    PayMonth.objects.bulk_create(months, batch_size=1000)
    # A WNT year counts all its months: those of the changed years are read back from the store.
    affected = PayMonth.objects.filter(member_id__in=ids, month__gte=date(since.year, 1, 1))
    PayYear.objects.filter(member_id__in=ids, year__gte=since.year).delete()
    PayYear.objects.bulk_create(years_of(list(affected), tables), batch_size=1000)


def _store(member_ids, months: list[PayMonth], years: list[PayYear]) -> None:
    """Replace everything stored for these members by `months` and `years`."""
    PayMonth.objects.filter(member_id__in=member_ids).delete()
    PayYear.objects.filter(member_id__in=member_ids).delete()
    PayMonth.objects.bulk_create(months, batch_size=1000)
    PayYear.objects.bulk_create(years, batch_size=1000)


def refresh_years(*, year: int, member_id: int | None = None) -> None:
    """Recompute the stored WNT years of `year` (of one member, or all) from the stored months: the
    year's entry or maximum changed, the months did not."""
    member = {"member_id": member_id} if member_id else {}
    months = list(PayMonth.objects.filter(month__year=year, **member))
    PayYear.objects.filter(year=year, **member).delete()
    PayYear.objects.bulk_create(years_of(months, TableSet.current()), batch_size=1000)


def members_with_placements(**placement_filter):
    return Placement.objects.filter(**placement_filter).values_list("member_id", flat=True).distinct()


REBUILD_CHUNK = 500  # members compared at a time: memory stays bounded at any number of members


def rebuild(*, write: bool, today: date | None = None) -> list[str]:
    """Compare every stored month and WNT year with a fresh computation; with `write`, store the fresh
    ones. The differences found, as lines (empty when the store is right)."""
    today = today or timezone.localdate()
    found = []
    ids = sorted(
        set(Member.objects.values_list("pk", flat=True))
        | set(PayMonth.objects.values_list("member_id", flat=True))
    )
    for first in range(0, len(ids), REBUILD_CHUNK):
        chunk = ids[first : first + REBUILD_CHUNK]
        months, years = _computed(Member.objects.filter(pk__in=chunk), today)
        found += _differences(
            {(r.member_id, r.month): r for r in PayMonth.objects.filter(member_id__in=chunk)},
            {(r.member_id, r.month): r for r in months},
            COMPARED,
            lambda key: f"lid {key[0]}, {key[1]:%Y-%m}",
        )
        found += _differences(
            {(r.member_id, r.year): r for r in PayYear.objects.filter(member_id__in=chunk)},
            {(r.member_id, r.year): r for r in years},
            COMPARED_YEAR,
            lambda key: f"lid {key[0]}, WNT {key[1]}",
        )
        if write:
            _store(chunk, months, years)
    return found


def _differences(stored: dict, fresh: dict, compared, label) -> list[str]:
    found = []
    for key in sorted(set(stored) | set(fresh)):
        old, new = stored.get(key), fresh.get(key)
        if old is None or new is None:
            found.append(f"{label(key)}: {'ontbreekt' if old is None else 'te veel'}")
        elif any(getattr(old, name) != getattr(new, name) for name in compared):
            found.append(f"{label(key)}: bedragen verschillen")
    return found


def fill_after_migrate(using="default", **kwargs):
    """An installation from before the store (or a restored one without it): fill it once."""
    if Placement.objects.using(using).exists() and not (
        PayMonth.objects.using(using).exists() and PayYear.objects.using(using).exists()
    ):
        rebuild(write=True)


# -- Every change of a pay fact, in the transaction of the change ------------------------------------------

# Inside a batch: member id -> the earliest date from which its months changed (None: all of them).
_pending: ContextVar[dict | None] = ContextVar("pay_figures_pending", default=None)
EVERYTHING = None


@contextmanager
def batch():
    """Inside, changed members are refreshed once, at the end (still inside the caller's
    transaction): for loaders that save many facts of the same members in a row."""
    if _pending.get() is not None:
        yield
        return
    pending: dict = {}
    token = _pending.set(pending)
    try:
        yield
    finally:
        _pending.reset(token)
    by_since = defaultdict(set)
    for member_id, since in pending.items():
        by_since[since].add(member_id)
    for since, ids in by_since.items():
        refresh(ids, since=since)


def _changed(member_ids, since: date | None = EVERYTHING) -> None:
    pending = _pending.get()
    if pending is None:
        refresh(member_ids, since=since)
        return
    for member_id in member_ids:
        if member_id in pending:
            earlier = pending[member_id]
            pending[member_id] = EVERYTHING if EVERYTHING in (earlier, since) else min(earlier, since)
        else:
            pending[member_id] = since


@receiver(post_save, sender=Placement)
@receiver(post_delete, sender=Placement)
@receiver(post_save, sender=Appointment)
def _member_changed(sender, instance, **kwargs):
    _changed([instance.member_id])


@receiver(post_save, sender=SearchPeriod)
@receiver(post_save, sender=Termination)
def _ending_changed(sender, instance, **kwargs):
    refresh(
        [Appointment.objects.filter(pk=instance.appointment_id).values_list("member_id", flat=True).first()]
    )


def _table_since(instance) -> date | None:
    """From when a saved table row can change months: the earliest start date of the row as it is and
    as it was (salaries.services.table_save tells it, `changed_from`); None (all months) otherwise."""
    dates = [day for day in (instance.valid_from, getattr(instance, "changed_from", None)) if day]
    return min(dates) if dates else EVERYTHING


@receiver(post_save, sender=ScaleTable)
@receiver(post_save, sender=ExcellenceTable)
def _scale_changed(sender, instance, **kwargs):
    if getattr(instance, "amounts_unchanged", False):
        return  # a source or note reworded: no month changes
    _changed(members_with_placements(scale=instance.scale), since=_table_since(instance))


@receiver(post_save, sender=AllowanceRate)
def _allowance_changed(sender, instance, **kwargs):
    if getattr(instance, "amounts_unchanged", False):
        return
    _changed(members_with_placements(), since=_table_since(instance))


@receiver(post_save, sender=WntYearEntry)
def _entry_changed(sender, instance, **kwargs):
    refresh_years(year=instance.year, member_id=instance.member_id)


@receiver(post_save, sender=WntMaximum)
@receiver(post_delete, sender=WntMaximum)
def _maximum_changed(sender, instance, **kwargs):
    refresh_years(year=instance.year)
