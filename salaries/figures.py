"""Pay computed once per change: every change of a pay fact refreshes the stored months of the members
it touches (`PayMonth`) and their WNT years (`PayYear`), in the same transaction, called by the
service that made the change (`members_changed`, `table_row_changed`, `refresh_years`); pages read
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

from appointments.models import Member
from tmgportal import versions

from . import rules
from .models import (
    AllowanceRate,
    ExcellenceTable,
    GeneralIncrease,
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
    "closing_total",
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
        last_paid = max(paid_days, default=None)
        rows.append(
            PayMonth(
                member=pay.member,
                month=first,
                closing_total=_closing_total(pay, last_paid),
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


def _closing_total(pay: MemberPay, last_paid: date | None) -> Decimal | None:
    """The full monthly pay in force on the month's last paid day: a rate, not the part-month amount,
    so the member page's chart shows no dip for a start in mid-month. None when no amount is in force."""
    if last_paid is None:
        return None
    rate = pay.on(last_paid)
    return rate.total if rate.is_paid and not rate.missing else None


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
    versions.renew(versions.PAY)
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
    versions.renew(versions.PAY)
    PayMonth.objects.filter(member_id__in=member_ids).delete()
    PayYear.objects.filter(member_id__in=member_ids).delete()
    PayMonth.objects.bulk_create(months, batch_size=1000)
    PayYear.objects.bulk_create(years, batch_size=1000)


def refresh_years(*, year: int, member_id: int | None = None) -> None:
    """Recompute the stored WNT years of `year` (of one member, or all) from the stored months: the
    year's entry or maximum changed, the months did not."""
    versions.renew(versions.PAY)
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


# -- Every change of a pay fact, in the transaction of the change (called by the services) ---------

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


def members_changed(member_ids, since: date | None = EVERYTHING) -> None:
    """Refresh the stored months (and years) of these members, from the month of `since` on (all
    months when None); inside `batch()` once, at its end. Called by the services that change a pay
    fact: salaries.services for placements and tables, appointments.services.effects for the file."""
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


def table_row_changed(row, *, changed_from: date | None) -> None:
    """A row of a dated table saved with other amounts or another period: the months from the earliest
    start date of the row as it is and as it was (`changed_from`) can differ; a WNT maximum changes
    only the stored years of its year."""
    if isinstance(row, WntMaximum):
        refresh_years(year=row.year)
        return
    dates = [day for day in (row.valid_from, changed_from) if day]
    since = min(dates) if dates else EVERYTHING
    if isinstance(row, AllowanceRate):
        members_changed(members_with_placements(), since=since)
    else:
        members_changed(members_with_placements(scale=row.scale), since=since)


# -- Cache invalidation only (the refresh itself is the services'): any write of a pay fact or table,
# also one that bypasses the services, renews the pay stamp of the cached page parts.
@receiver(post_save, sender=Placement)
@receiver(post_delete, sender=Placement)
@receiver(post_save, sender=ScaleTable)
@receiver(post_delete, sender=ScaleTable)
@receiver(post_save, sender=ExcellenceTable)
@receiver(post_delete, sender=ExcellenceTable)
@receiver(post_save, sender=AllowanceRate)
@receiver(post_delete, sender=AllowanceRate)
@receiver(post_save, sender=WntMaximum)
@receiver(post_delete, sender=WntMaximum)
@receiver(post_save, sender=WntYearEntry)
@receiver(post_delete, sender=WntYearEntry)
@receiver(post_save, sender=GeneralIncrease)
@receiver(post_delete, sender=GeneralIncrease)
def _pay_written(sender, **kwargs):
    versions.renew(versions.PAY)
