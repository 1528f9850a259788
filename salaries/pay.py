"""What a member is paid on a day, in a month and in a calendar year, from the placements, the
appointments and a set of dated tables. The arithmetic is in `salaries.rules`; this module reads
the facts and the tables and says which table and rule every figure came from."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from functools import cached_property

from dateutil.relativedelta import relativedelta
from django.db.models import Prefetch, prefetch_related_objects
from django.utils.formats import date_format
from django.utils.translation import gettext

from appointments import rules as term_rules
from appointments.models import Appointment, Member, SearchPeriod
from tmgportal import versions

from . import rules
from .models import (
    AllowanceKind,
    AllowanceRate,
    Confidence,
    ExcellenceTable,
    Placement,
    ScaleTable,
    WntMaximum,
    WntYearEntry,
)
from .rules import (
    Cited,
    NoAllowanceRate,
    NoAmountInForce,
    NoExcellenceAmounts,
    NoScaleTable,
    NoStepInScale,
    NoWntMaximum,
)

TABLE_MODELS = {model._meta.model_name: model for model in (ScaleTable, ExcellenceTable, AllowanceRate)}
EMPLOYMENT_ENDING = (SearchPeriod.Outcome.MUTUAL_CONSENT, SearchPeriod.Outcome.COURT)


def _source(row) -> str:
    start = date_format(row.valid_from, "j F Y") if row.valid_from else "?"
    return f"{row._meta.verbose_name} {start}: {row.source}"


@dataclass(frozen=True)
class OutdatedTable:
    """A table row in force whose amounts may have been overtaken [rules.may_be_outdated]: which
    table (model and series, language-neutral, so it can be stored) and the row's first day."""

    table: str
    series: int | str
    since: date

    @property
    def name(self) -> str:
        """As staff name the table, in the user's language ("salaristabel schaal 19")."""
        model = TABLE_MODELS[self.table]
        return model(**{model.series_fields[0]: self.series}).series_label


@dataclass(frozen=True)
class TableAmount(Cited):
    """An amount read from a dated table row; `outdated` is set when that row may have been
    overtaken on the day the amount is used for."""

    outdated: OutdatedTable | None = None


def _outdated(row, on: date) -> OutdatedTable | None:
    if rules.may_be_outdated(valid_from=row.valid_from, valid_until=row.valid_until, on=on):
        return OutdatedTable(
            table=row._meta.model_name, series=getattr(row, row.series_fields[0]), since=row.valid_from
        )
    return None


def _amount(row, value, on: date) -> TableAmount:
    return TableAmount(value, _source(row), outdated=_outdated(row, on))


# The current tables of this process, with the pay stamp they were read under.
_CURRENT: dict = {}


@dataclass
class TableSet:
    """All dated tables, as they are now or as they were at a moment (from their history)."""

    scales: list
    excellence: list
    allowances: list
    wnt_maxima: dict

    @classmethod
    def current(cls) -> TableSet:
        """The tables as they are now: read once per process and per change of them (the pay stamp,
        tmgportal.versions, renewed by every write of a table). Callers never change a TableSet
        (`salaries.selectors.tables_after` copies what it raises)."""
        stamp = versions.stamp(versions.PAY)
        if _CURRENT.get("stamp") != stamp:
            _CURRENT.update(stamp=stamp, tables=cls._read())
        return _CURRENT["tables"]

    @classmethod
    def _read(cls) -> TableSet:
        return cls(
            scales=list(ScaleTable.objects.select_related("increase")),
            excellence=list(ExcellenceTable.objects.select_related("increase")),
            allowances=list(AllowanceRate.objects.all()),
            wnt_maxima={row.year: row for row in WntMaximum.objects.all()},
        )

    @classmethod
    def as_of(cls, moment) -> TableSet:
        return cls(
            scales=list(ScaleTable.history.as_of(moment)),
            excellence=list(ExcellenceTable.history.as_of(moment)),
            allowances=list(AllowanceRate.history.as_of(moment)),
            wnt_maxima={row.year: row for row in WntMaximum.history.as_of(moment)},
        )

    @staticmethod
    def _in_force(rows, on: date, **match):
        for row in rows:
            if row.is_in_force(on) and all(getattr(row, key) == value for key, value in match.items()):
                return row
        return None

    def scale_table(self, scale: int, on: date) -> ScaleTable:
        row = self._in_force(self.scales, on, scale=scale)
        if row is None:
            raise NoScaleTable("No table of scale %(scale)s on %(on)s", scale=scale, on=on)
        return row

    def excellence_table(self, scale: int, on: date) -> ExcellenceTable | None:
        return self._in_force(self.excellence, on, scale=scale)

    def scale_amount(self, scale: int, step: int, excellence: int, on: date) -> Cited:
        if excellence:
            row = self.excellence_table(scale, on)
            if row is None:
                raise NoExcellenceAmounts(
                    "No excellence amounts of scale %(scale)s on %(on)s", scale=scale, on=on
                )
            return _amount(row, row.amounts[excellence - 1], on)
        row = self.scale_table(scale, on)
        if step > row.top_step:
            raise NoStepInScale(
                "No step %(step)s in scale %(scale)s on %(on)s", scale=scale, on=on, step=step
            )
        return _amount(row, row.amounts[step], on)

    def allowance(self, kind: str, on: date) -> TableAmount | None:
        row = self._in_force(self.allowances, on, kind=kind)
        return _amount(row, row.amount, on) if row else None

    def wnt_maximum(self, year: int) -> Cited:
        row = self.wnt_maxima.get(year)
        if row is None:
            raise NoWntMaximum("No WNT maximum for %(year)s", year=year, on=date(year, 1, 1))
        source = f"[WNT 2.3] {row.regulation or row.source}"
        if row.confidence == Confidence.SECONDARY:
            # Until ABD staff confirm it with the regulation's reference, every use says so.
            source += " — " + gettext("secondary source, not yet confirmed")
        return Cited(row.amount, source)

    def outdated_on(self, on: date) -> list[OutdatedTable]:
        """The rows in force on `on` whose amounts may have been overtaken. The SG percentage is
        fixed by BBRA 22b, not indexed, so its age says nothing."""
        rows = (*self.scales, *self.excellence, *(r for r in self.allowances if r.kind != AllowanceKind.SG))
        return [found for row in rows if row.is_in_force(on) and (found := _outdated(row, on))]

    def breakpoints(self) -> set[date]:
        dates = set()
        for row in (*self.scales, *self.excellence, *self.allowances):
            dates.update(day for day in (row.valid_from, row.valid_until) if day)
        return dates


@dataclass(frozen=True)
class DayPay:
    """Full monthly amounts in force on one day; `missing` names a table that has no amount."""

    placement: Placement | None
    salary: Cited | None = None
    sg_allowance: Cited | None = None
    representation: Cited | None = None
    missing: NoAmountInForce | None = None
    # The table amounts behind this day's figures that may have been overtaken.
    outdated: tuple = ()

    @property
    def is_paid(self) -> bool:
        return self.placement is not None

    @property
    def reward(self) -> Decimal:
        """Salary plus SG allowance: periodic pay in the sense of [WNT 1.1 e]."""
        return sum((c.value for c in (self.salary, self.sg_allowance) if c), Decimal("0.00"))

    @property
    def total(self) -> Decimal:
        return self.reward + (self.representation.value if self.representation else Decimal("0.00"))


@dataclass
class MonthPay:
    year: int
    month: int
    salary: Decimal = Decimal("0.00")
    sg_allowance: Decimal = Decimal("0.00")
    representation: Decimal = Decimal("0.00")
    days_paid: int = 0
    missing: list = field(default_factory=list)
    sources: set = field(default_factory=set)
    outdated: set = field(default_factory=set)

    @property
    def first_day(self) -> date:
        return date(self.year, self.month, 1)

    @property
    def reward(self) -> Decimal:
        return self.salary + self.sg_allowance

    @property
    def total(self) -> Decimal:
        return self.reward + self.representation

    @property
    def is_complete(self) -> bool:
        return not self.missing


class MemberPay:
    """The pay facts of one member: placements, appointments and the end of employment."""

    def __init__(self, member: Member, tables: TableSet):
        self.member = member
        self.tables = tables
        self.placements = sorted(member.placements.all(), key=lambda p: p.valid_from)
        # Held from the signed KB [ARAR 7.4].
        self.appointments = [a for a in member.appointments.all() if a.status in term_rules.HELD_STATES]
        self.employment_end = self._employment_end()

    def _employment_end(self) -> date | None:
        """Employment ends by mutual consent or by the court after the search period [CAO17]."""
        for appointment in self.appointments:
            period = getattr(appointment, "search_period", None)
            if period and period.outcome in EMPLOYMENT_ENDING and period.outcome_date:
                return period.outcome_date
        return None

    def placement_on(self, on: date) -> Placement | None:
        if self.employment_end and on >= self.employment_end:
            return None
        current = None
        for placement in self.placements:
            if placement.valid_from <= on:
                current = placement
        return current

    def appointment_on(self, on: date) -> Appointment | None:
        """The TMG function the member holds on `on` (none during a search period)."""
        for appointment in self.appointments:
            if appointment.start_date <= on < appointment.end:
                return appointment
        return None

    def on(self, day: date) -> DayPay:
        placement = self.placement_on(day)
        if placement is None:
            return DayPay(placement=None)
        try:
            amount = self.tables.scale_amount(placement.scale, placement.step, placement.excellence, day)
        except NoAmountInForce as exc:
            return DayPay(placement=placement, missing=exc)
        salary = rules.monthly_salary(scale_amount=amount, part_time_factor=placement.part_time_factor)
        held = self.appointment_on(day)
        is_sg = bool(held and held.function.is_sg)
        sg = None
        if is_sg:
            rate = self.tables.allowance(AllowanceKind.SG, day)
            if rate is None:
                return DayPay(
                    placement=placement,
                    salary=salary,
                    missing=NoAllowanceRate("No SG allowance rate on %(on)s", on=day),
                )
            sg = rules.sg_allowance(salary=salary.value, rate=rate, holds_sg_function=True)
        representation = None
        if held:
            rate = self.tables.allowance(AllowanceKind.REPRESENTATION, day)
            representation = rules.representation_allowance([rate] if rate else [])
        return DayPay(
            placement=placement,
            salary=salary,
            sg_allowance=sg,
            representation=representation,
            outdated=tuple(a.outdated for a in (amount, representation) if getattr(a, "outdated", None)),
        )

    @cached_property
    def _breakpoints(self) -> list[date]:
        """Every day on which a figure can change; computed once per MemberPay (its facts and tables
        do not change while it lives)."""
        dates = set(self.tables.breakpoints())
        dates.update(p.valid_from for p in self.placements)
        for appointment in self.appointments:
            dates.update((appointment.start_date, appointment.end))
        if self.employment_end:
            dates.add(self.employment_end)
        return sorted(dates)

    def segments(self, start: date, end: date):
        """(first day, days) pieces of [start, end) within which nothing changes."""
        cuts = [start, *(d for d in self._breakpoints if start < d < end), end]
        for first, following in zip(cuts, cuts[1:], strict=False):
            yield first, (following - first).days

    def month(self, year: int, month: int) -> MonthPay:
        """Pay of a calendar month: each amount weighed by the days it was in force (calendar days
        of the month; the payroll's own method for part months may differ)."""
        first = date(year, month, 1)
        month_days = rules.days_in_month(year, month)
        result = MonthPay(year=year, month=month)
        for day, days in self.segments(first, first + relativedelta(months=1)):
            pay = self.on(day)
            if not pay.is_paid:
                continue
            result.days_paid += days
            if pay.missing:
                result.missing.append(pay.missing)
                continue
            result.outdated.update(pay.outdated)
            for name in ("salary", "sg_allowance", "representation"):
                cited = getattr(pay, name)
                if cited:
                    share = rules.day_share(cited.value, days=days, month_days=month_days)
                    setattr(result, name, getattr(result, name) + share)
                    result.sources.add(cited.source)
        return result

    def months(self, start: date, end: date) -> list[MonthPay]:
        """Every month from the month of `start` up to, not including, the month of `end`."""
        current = date(start.year, start.month, 1)
        result = []
        while current < end:
            result.append(self.month(current.year, current.month))
            current += relativedelta(months=1)
        return result

    def history_range(self, today: date) -> tuple[date, date] | None:
        """From the first placement to the end of employment or the end of this month."""
        if not self.placements:
            return None
        end = date(today.year, today.month, 1) + relativedelta(months=1)
        if self.employment_end:
            end = min(end, self.employment_end + relativedelta(months=1))
        return self.placements[0].valid_from, end


def _pay_fact_lookups() -> tuple[Prefetch, Prefetch]:
    return (
        Prefetch(
            "placements",
            queryset=Placement.objects.select_related("appointment__function").order_by("valid_from"),
        ),
        Prefetch(
            "appointments",
            queryset=Appointment.objects.select_related(
                "function__ministry", "search_period", "termination"
            ).order_by("start_date"),
        ),
    )


def members_with_pay_facts(queryset):
    """Members with everything `MemberPay` reads, in a constant number of queries."""
    return queryset.prefetch_related(*_pay_fact_lookups())


def member_pay(member: Member, tables: TableSet) -> MemberPay:
    """The pay facts of one member already loaded (the member page), without reading the member again."""
    prefetch_related_objects([member], *_pay_fact_lookups())
    return MemberPay(member, tables)


@dataclass
class WntYear:
    """The WNT position of one member in one calendar year [WNT 1.1, 2.1, 2.3]."""

    member: Member
    year: int
    months: list
    entry: object
    spans: list
    maximum: Cited | None
    position: rules.WntPosition | None
    missing: list
    employment: tuple | None = None
    function_title: str = ""

    @property
    def outdated(self) -> list[OutdatedTable]:
        """The tables behind this year's amounts that may have been overtaken."""
        return sorted({t for m in self.months for t in m.outdated}, key=lambda t: (t.name, t.since))

    @property
    def computed_reward(self) -> Decimal:
        return sum((m.reward for m in self.months), Decimal("0.00"))

    @property
    def bezoldiging(self) -> Decimal:
        return self.computed_reward + self.entered_total

    @property
    def entered_total(self) -> Decimal:
        if not self.entry:
            return Decimal("0.00")
        return sum(
            (getattr(self.entry, name) or Decimal("0.00") for name in self.entry.AMOUNT_FIELDS),
            Decimal("0.00"),
        )

    @property
    def not_given(self) -> list[str]:
        """The salary administration's components of this year not given (entered or confirmed 0)."""
        if self.entry is None:
            return [
                str(WntYearEntry._meta.get_field(name).verbose_name) for name in WntYearEntry.AMOUNT_FIELDS
            ]
        return self.entry.not_given

    @property
    def days_employed(self) -> int:
        return sum(span.days for span in self.spans)

    @property
    def fte(self) -> Decimal:
        """The part-time factor over the days employed, for the disclosure: at most 1 [WNT 2.1.2],
        also where the contract's hours exceed full time."""
        if not self.days_employed:
            return Decimal("0")
        weighted = sum((min(s.part_time_factor, Decimal(1)) * s.days for s in self.spans), Decimal(0))
        return (weighted / self.days_employed).quantize(Decimal("0.01"))

    @property
    def is_complete(self) -> bool:
        """Every amount in force, and the salary administration's figures given [WNT 1.1 e-h]."""
        return not self.missing and not self.not_given


def wnt_year(pay: MemberPay, year: int, entry=None, stored=None) -> WntYear:
    """Computed reward (salary and SG allowance, month by month) plus what the salary administration
    enters, against the individual maximum. The representation allowance is an expense allowance;
    whether it is taxable (and so counts [WNT 1.1 f]) is for the salary administration to enter.
    `stored`: the member's stored months of the year (salaries.figures), read instead of computed."""
    if stored is not None:
        result = wnt_year_of_stored(pay.member, year, stored, entry, pay.tables)
        result.function_title = _function_in_year(pay, date(year + 1, 1, 1))
        return result
    start, end = date(year, 1, 1), date(year + 1, 1, 1)
    spans = []
    for day, days in pay.segments(start, end):
        placement = pay.placement_on(day)
        if placement:
            spans.append(rules.EmploymentSpan(days=days, part_time_factor=placement.part_time_factor))
    return _wnt_result(
        pay.member,
        year,
        months=pay.months(start, end),
        spans=spans,
        entry=entry,
        tables=pay.tables,
        employment=employment_in_year(pay, year),
        function_title=_function_in_year(pay, end),
    )


def wnt_year_of_stored(member, year: int, stored, entry, tables: TableSet) -> WntYear:
    """The WNT year from the member's stored months of the year (salaries.figures), without the
    function title (which needs the appointments)."""
    from . import figures

    paid = [row for row in stored if row.first_paid_day]
    return _wnt_result(
        member,
        year,
        months=[figures.as_month_pay(row) for row in stored],
        spans=figures.spans_of(stored),
        entry=entry,
        tables=tables,
        employment=(paid[0].first_paid_day, paid[-1].last_paid_day) if paid else None,
    )


def _wnt_result(member, year, *, months, spans, entry, tables, employment, function_title="") -> WntYear:
    missing = [exc for month in months for exc in month.missing]
    maximum = None
    if spans:
        try:
            maximum = rules.wnt_individual_maximum(
                year_maximum=tables.wnt_maximum(year), year=year, spans=spans
            )
        except NoAmountInForce as exc:
            missing.append(exc)
    result = WntYear(
        member=member,
        year=year,
        months=months,
        entry=entry,
        spans=spans,
        maximum=maximum,
        position=None,
        missing=missing,
        employment=employment,
        function_title=function_title,
    )
    if maximum is not None:
        result.position = rules.wnt_position(bezoldiging=result.bezoldiging, maximum=maximum.value)
    return result


def _function_in_year(pay: MemberPay, year_end: date) -> str:
    """The last TMG function held before the end of the year."""
    held = [a for a in pay.appointments if a.start_date < year_end]
    return str(held[-1].function) if held else ""


def employment_in_year(pay: MemberPay, year: int) -> tuple[date, date] | None:
    """First and last day with pay in the year, for the disclosure."""
    days = [
        (day, length)
        for day, length in pay.segments(date(year, 1, 1), date(year + 1, 1, 1))
        if pay.placement_on(day)
    ]
    if not days:
        return None
    last_start, last_length = days[-1]
    return days[0][0], last_start + relativedelta(days=last_length - 1)
