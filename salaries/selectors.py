"""Reads of pay: a member's stored months, rates and WNT year; across members who is due a step
increase, the WNT position of a year, the back pay of a retroactive table change. Each loads its members in a constant number of queries."""

import copy
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.db.models import Count, Exists, OuterRef, Q, Subquery
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from appointments import rules as term_rules
from appointments.models import Appointment, Function, Member, SearchPeriod

from . import figures, rules
from .models import (
    AllowanceKind,
    AllowanceRate,
    Confidence,
    ExcellenceTable,
    PayMonth,
    PayYear,
    Placement,
    ScaleTable,
    TableChange,
    WntMaximum,
    WntYearEntry,
)
from .pay import MemberPay, MonthPay, TableSet, WntYear, member_pay, members_with_pay_facts, wnt_year


def pay_facts(user, tables: TableSet | None = None, members=None):
    tables = tables or TableSet.current()
    queryset = members if members is not None else Member.objects.for_user(user)
    return [
        MemberPay(member, tables) for member in members_with_pay_facts(queryset.order_by("surname", "pk"))
    ]


@dataclass(frozen=True)
class DueIncrease:
    placement_id: int
    member_id: int
    step: int
    scale: int
    due_dates: list[date]
    top_step: int

    @property
    def new_step(self) -> int:
        return self.step + len(self.due_dates)


def due_increases(user, *, today: date) -> tuple[list[DueIncrease], list[Member]]:
    """Members whose last placement or increase is a year old and who are below the top step
    [BBRA 7], by name; and the members whose scale has no table in force today, who cannot be
    assessed. The database picks each member's placement in force today (as `MemberPay.placement_on`:
    none once employment has ended) and leaves out what cannot be due; the rule itself
    (`rules.increases_due`) decides for the rest, on plain values, so the list costs a query and a
    loop over the candidates, not every member's pay (`with_members` loads the rows shown)."""
    tables = TableSet.current()
    in_force = Placement.objects.filter(member=OuterRef("pk"), valid_from__lte=today).order_by("-valid_from")
    employment_ended = SearchPeriod.objects.filter(
        appointment__member=OuterRef("pk"),
        appointment__status__in=sorted(term_rules.HELD_STATES),
        outcome__in=[SearchPeriod.Outcome.MUTUAL_CONSENT, SearchPeriod.Outcome.COURT],
        outcome_date__lte=today,
    )
    members = (
        Member.objects.for_user(user)
        .annotate(placement_in_force=Subquery(in_force.values("pk")[:1]))
        .exclude(Exists(employment_ended))
    )
    # A year since the last change can only have passed for a change up to a year and a day ago
    # (29 February plus a year is 28 February); the rule below decides exactly.
    candidates = (
        Placement.objects.filter(
            pk__in=members.values("placement_in_force"),
            excellence=0,
            valid_from__lte=today - relativedelta(years=1) + timedelta(days=1),
        )
        .order_by("member__surname", "member__initials", "member_id")
        .values_list("pk", "member_id", "step", "scale", "excellence", "valid_from")
    )
    due: list[DueIncrease] = []
    unknown_ids: list[int] = []
    tops: dict[int, int | None] = {}  # the top step of each scale's table in force, None without one
    for pk, member_id, step, scale, excellence, valid_from in candidates:
        if scale not in tops:
            try:
                tops[scale] = tables.scale_table(scale, today).top_step
            except rules.NoAmountInForce:
                tops[scale] = None
        top = tops[scale]
        if top is None:
            unknown_ids.append(member_id)
            continue
        due_dates = rules.increases_due(
            step=step, top_step=top, excellence=excellence, last_change=valid_from, today=today
        )
        if due_dates:
            due.append(DueIncrease(pk, member_id, step, scale, due_dates, top))
    return due, list(Member.objects.filter(pk__in=unknown_ids).order_by("surname", "initials", "pk"))


def with_members(rows: list[DueIncrease]) -> list[tuple[DueIncrease, Member]]:
    """The rows of one page with their members, in one query."""
    members = Member.objects.in_bulk([row.member_id for row in rows])
    return [(row, members[row.member_id]) for row in rows]


@dataclass(frozen=True)
class MonthlyIncome:
    amount: Decimal
    day: date
    salary: Decimal
    sg_allowance: Decimal


def monthly_income_on(member, day: date) -> MonthlyIncome | None:
    """The proposal for the monthly income on which the shortening payment is computed [CAO17:
    6 x monthly income]: the full monthly salary plus SG allowance in force on `day`, the day the
    request was made, as the pay page shows it for that day (never a part month). The representation
    allowance covers expenses and is left out. The CAO does not say more precisely what "maandinkomen"
    comprises (holiday allowance and end-of-year payment, for instance); so this is a proposal the
    user checks against the salary administration and may correct, with a reason. None when no
    amount is in force that day."""
    pay = member_pay(member, TableSet.current()).on(day)
    if not pay.is_paid or pay.missing or pay.salary is None:
        return None
    sg_allowance = pay.sg_allowance.value if pay.sg_allowance else Decimal("0.00")
    return MonthlyIncome(
        amount=pay.salary.value + sg_allowance, day=day, salary=pay.salary.value, sg_allowance=sg_allowance
    )


def _stored(member, start: date, end: date, today: date) -> dict[date, PayMonth]:
    """The member's stored months from the month of `start` up to `end` and the horizon."""
    rows = PayMonth.objects.filter(
        member=member, month__gte=date(start.year, start.month, 1), month__lt=min(end, figures.horizon(today))
    )
    return {row.month: row for row in rows}


def member_months(pay: MemberPay, start: date, end: date, *, today: date) -> list[MonthPay]:
    """The member's monthly pay from the month of `start` up to the month of `end`: read from the
    store (salaries.figures), a month beyond its horizon computed."""
    stored = _stored(pay.member, start, end, today)
    result, month = [], date(start.year, start.month, 1)
    while month < end:
        row = stored.get(month)
        result.append(figures.as_month_pay(row) if row else pay.month(month.year, month.month))
        month += relativedelta(months=1)
    return result


def member_wnt_year(pay: MemberPay, year: int, entry, *, today: date) -> WntYear:
    """The member's WNT position of `year`, from the stored months when the year lies within the
    store's horizon, else computed."""
    end = date(year + 1, 1, 1)
    if end > figures.horizon(today):
        return wnt_year(pay, year, entry)
    stored = sorted(_stored(pay.member, date(year, 1, 1), end, today).values(), key=lambda row: row.month)
    return wnt_year(pay, year, entry, stored=stored)


def monthly_rates(member, start: date, end: date, *, today: date) -> list[tuple[date, Decimal]]:
    """(month, full monthly pay in force on its last paid day) of the stored months, for the chart."""
    return [
        (month, row.closing_total)
        for month, row in sorted(_stored(member, start, end, today).items())
        if row.closing_total is not None
    ]


def wnt_rows(user, year: int, tables: TableSet | None = None):
    """The WNT position of every member with pay in `year` [WNT 2.1, 2.3], from the stored months
    (salaries.figures) where the year lies within the stored horizon, else computed."""
    entries = {e.member_id: e for e in WntYearEntry.objects.filter(year=year)}
    stored = None
    if date(year + 1, 1, 1) <= figures.horizon(timezone.localdate()):
        stored = defaultdict(list)
        for row in PayMonth.objects.filter(
            month__gte=date(year, 1, 1), month__lt=date(year + 1, 1, 1)
        ).order_by("member_id", "month"):
            stored[row.member_id].append(row)
    rows = []
    for pay in pay_facts(user, tables):
        months = stored.get(pay.member.pk, []) if stored is not None else None
        result = wnt_year(pay, year, entries.get(pay.member.pk), stored=months)
        if result.spans:
            rows.append(result)
    return rows


def wnt_years(user, year: int):
    """The stored WNT years of `year` within the user's scope, by name: the overview pages and the
    dashboard select on these in the database instead of computing every member's year."""
    return (
        PayYear.objects.filter(year=year, member__in=Member.objects.for_user(user).values("pk"))
        .select_related("member")
        .order_by("member__surname", "member__initials", "member__pk")
    )


def wnt_counts(years) -> dict:
    return years.aggregate(
        above=Count("pk", filter=Q(is_above=True)),
        near=Count("pk", filter=Q(is_near=True)),
        incomplete=Count("pk", filter=Q(is_complete=False)),
    )


def with_function_titles(years, year: int):
    """The last TMG function each member of these stored years held before the end of the year (as
    `pay._function_in_year`), in two queries for the page."""
    years = list(years)
    latest = (
        Appointment.objects.filter(member=OuterRef("member_id"), start_date__lt=date(year + 1, 1, 1))
        .order_by("-start_date", "-pk")
        .values("function_id")[:1]
    )
    function_of = dict(
        PayYear.objects.filter(pk__in=[y.pk for y in years])
        .annotate(function_id=Subquery(latest))
        .values_list("pk", "function_id")
    )
    functions = Function.objects.select_related("ministry").in_bulk(set(function_of.values()) - {None})
    for row in years:
        function = functions.get(function_of.get(row.pk))
        row.function_title = str(function) if function else ""
    return years


@dataclass(frozen=True)
class BackPayMonth:
    member: Member
    year: int
    month: int
    paid: Decimal
    owed: Decimal

    @property
    def difference(self) -> Decimal:
        return self.owed - self.paid


def back_pay_start(change: TableChange) -> date:
    """The first day back pay is computed for: the change's effective date, but at most
    TMG_BACK_PAY_MAX_YEARS before the month it was recorded. A cap on the work, not a rule of law:
    how far back a claim reaches is for the salary administration (the page says where it starts)."""
    recorded = timezone.localdate(change.changed_at)
    earliest = date(recorded.year, recorded.month, 1) - relativedelta(years=settings.TMG_BACK_PAY_MAX_YEARS)
    return max(change.effective_from, earliest)


def back_pay(user, change: TableChange):
    """Month by month, per member: pay under the tables just before the change (what the payroll
    paid) and just after it (what is owed), from `back_pay_start` up to and including the month in
    which it was recorded. Months without difference are left out; a month that cannot be computed
    on either side (a table missing) is counted in `incomplete`, never taken as 0."""
    before = TableSet.as_of(change.tables_before)
    after = TableSet.as_of(change.changed_at)
    start = back_pay_start(change)
    recorded = timezone.localdate(change.changed_at)
    end = date(recorded.year, recorded.month, 1) + relativedelta(months=1)
    rows, incomplete = [], 0
    for old, new in zip(pay_facts(user, before), pay_facts(user, after), strict=True):
        for paid, owed in zip(old.months(start, end), new.months(start, end), strict=True):
            if not (paid.is_complete and owed.is_complete):
                incomplete += 1
            elif paid.total != owed.total:
                rows.append(
                    BackPayMonth(
                        member=new.member, year=owed.year, month=owed.month, paid=paid.total, owed=owed.total
                    )
                )
    return rows, incomplete


@dataclass(frozen=True)
class TableStatus:
    """One table of the reference data as it stands for today: its last dated change and what is
    missing or may be out of date, with the screen that maintains it."""

    label: str
    last_change: date | None
    problems: list
    url: str


def reference_status(today: date) -> list[TableStatus]:
    """The "Referentiegegevens" status of the start page: nothing is filled in here,
    every gap is named."""

    def long(day):
        return date_format(day, "j F Y")

    def dated_series(model, label, anchor, **series):
        rows = [row for row in model.objects.all() if all(getattr(row, k) == v for k, v in series.items())]
        dated = [row for row in rows if row.valid_from]
        problems = []
        current = next((row for row in dated if row.is_in_force(today)), None)
        if not rows:
            problems.append(_("no amounts entered"))
        elif current is None:
            problems.append(_("no amounts in force on %(day)s") % {"day": long(today)})
        elif series.get("kind") != AllowanceKind.SG and rules.may_be_outdated(
            valid_from=current.valid_from, valid_until=current.valid_until, on=today
        ):
            problems.append(
                _("unchanged since %(day)s — check whether new amounts apply")
                % {"day": long(current.valid_from)}
            )
        undated = len(rows) - len(dated)
        if undated:
            problems.append(
                ngettext(
                    "%(n)s row without a start date (in force on no date until it is dated)",
                    "%(n)s rows without a start date (in force on no date until they are dated)",
                    undated,
                )
                % {"n": undated}
            )
        return TableStatus(
            label=label,
            last_change=max((row.valid_from for row in dated), default=None),
            problems=problems,
            url=reverse("salaries:table_list") + anchor,
        )

    statuses = [
        dated_series(ScaleTable, _("Salary scale 19"), "#scales-heading", scale=rules.SCALE_19),
        dated_series(ScaleTable, _("Salary scale 18"), "#scales-heading", scale=rules.SCALE_18),
        dated_series(
            ExcellenceTable, _("Excellence amounts scale 19"), "#excellence-heading", scale=rules.SCALE_19
        ),
        dated_series(
            ExcellenceTable, _("Excellence amounts scale 18"), "#excellence-heading", scale=rules.SCALE_18
        ),
        dated_series(AllowanceRate, _("SG allowance"), "#allowances-heading", kind=AllowanceKind.SG),
        dated_series(
            AllowanceRate,
            _("Representation allowance"),
            "#allowances-heading",
            kind=AllowanceKind.REPRESENTATION,
        ),
    ]
    last_year = max(WntMaximum.objects.values_list("year", flat=True), default=None)
    missing_years = list(range(last_year + 1, today.year + 1)) if last_year else [today.year]
    unconfirmed = list(
        WntMaximum.objects.filter(confidence=Confidence.SECONDARY)
        .order_by("year")
        .values_list("year", flat=True)
    )
    wnt_problems = []
    if missing_years:
        wnt_problems.append(
            _("no general maximum for %(years)s") % {"years": ", ".join(map(str, missing_years))}
        )
    if unconfirmed:
        wnt_problems.append(
            _("%(years)s from secondary sources only: confirm with the regulation's reference")
            % {"years": ", ".join(map(str, unconfirmed))}
        )
    statuses.append(
        TableStatus(
            label=_("WNT maxima"),
            last_change=date(last_year, 1, 1) if last_year else None,
            problems=wnt_problems,
            url=reverse("salaries:table_create", args=["wnt"])
            if missing_years
            else reverse("salaries:table_list") + "#wnt-max-heading",
        )
    )
    return statuses


# -- A general increase before it is applied --------------------------------------------------------


@dataclass(frozen=True)
class PayChange:
    """A member whose monthly pay on the increase's date changes, and by how much."""

    member: Member
    before: Decimal
    after: Decimal

    @property
    def difference(self) -> Decimal:
        return self.after - self.before


def tables_after(plan, *, valid_from: date, tables: TableSet | None = None) -> TableSet:
    """The tables as they would be once `plan` (salaries.services.general_increase_plan) is applied:
    in memory only, nothing saved."""
    tables = tables or TableSet.current()
    raised = {(type(change.row), change.row.pk): change for change in plan}
    lists: dict[str, list] = {"scales": [], "excellence": []}
    for name, rows in (("scales", tables.scales), ("excellence", tables.excellence)):
        for row in rows:
            change = raised.get((type(row), row.pk))
            if change is None:
                lists[name].append(row)
                continue
            if row.valid_from != valid_from:
                before = copy.copy(row)
                before.valid_until = valid_from
                lists[name].append(before)
            after = copy.copy(row)
            after.valid_from = valid_from
            for field, amount in change.after.items():
                setattr(after, field, amount)
            lists[name].append(after)
    return TableSet(
        scales=lists["scales"],
        excellence=lists["excellence"],
        allowances=tables.allowances,
        wnt_maxima=tables.wnt_maxima,
    )


def pay_changes(user, plan, *, valid_from: date) -> list[PayChange]:
    """Every member in the user's scope paid on the increase's date whose monthly pay (salary, SG
    allowance and representation allowance) changes, before and after, largest change first."""
    before_tables = TableSet.current()
    after_tables = tables_after(plan, valid_from=valid_from, tables=before_tables)
    scales = {change.row.scale for change in plan}
    members = Member.objects.for_user(user).filter(placements__scale__in=scales).distinct()
    changes = []
    for member in members_with_pay_facts(members.order_by("surname", "pk")):
        before = MemberPay(member, before_tables).on(valid_from)
        after = MemberPay(member, after_tables).on(valid_from)
        if before.is_paid and not before.missing and not after.missing and before.total != after.total:
            changes.append(PayChange(member=member, before=before.total, after=after.total))
    return sorted(changes, key=lambda change: (-change.difference, change.member.surname))
